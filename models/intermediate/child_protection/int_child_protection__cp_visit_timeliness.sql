-- One row per child-seen child protection visit made to a child on a plan that
-- day (code 21): START_DATE <= visit day < END_DATE (or no end), the current
-- plan being the one that started last (ties: the greater CPP_ID). Visits
-- with CHILD_SEEN = N neither count nor serve as previous visit.
--
-- Timed from the previous child-seen visit of the child on an earlier day on
-- or after the current plan's START_DATE (whichever plan was current then), or
-- from that START_DATE for the first; within when the working days between are
-- <= var('cp_visit_working_days'). The latest earlier visit day decides: if it
-- is before the plan's start, every earlier one is. Several visits on one day
-- each count, timed from the same previous day.

with

seen_visits as (

    select * from {{ ref('stg_frameworki__cp_visits') }}
    where is_child_seen

),

plans as (

    select * from {{ ref('stg_frameworki__cp_plans') }}

),

calendar as (

    select
        calendar_date,
        working_day_index
    from {{ ref('int_calendar__days') }}

),

visit_plans as (

    select
        seen_visits.visit_id,
        seen_visits.person_id,
        seen_visits.visit_date,
        plans.cpp_id,
        plans.start_date as plan_start_date,
        row_number() over (
            partition by seen_visits.visit_id
            order by plans.start_date desc, plans.cpp_id desc
        ) as plan_rank

    from seen_visits
    inner join plans
        on
            seen_visits.person_id = plans.person_id
            and seen_visits.visit_date >= plans.start_date
            and (plans.end_date is null or seen_visits.visit_date < plans.end_date)

),

visit_days as (

    select distinct
        person_id,
        visit_date
    from seen_visits

),

previous_visit_days as (

    select
        person_id,
        visit_date,
        lag(visit_date) over (partition by person_id order by visit_date) as previous_visit_date
    from visit_days

),

timed_from as (

    select
        visit_plans.visit_id,
        visit_plans.person_id,
        visit_plans.visit_date,
        last_day(visit_plans.visit_date) as period_end,
        visit_plans.cpp_id,
        visit_plans.plan_start_date,
        case
            when previous_visit_days.previous_visit_date >= visit_plans.plan_start_date
                then previous_visit_days.previous_visit_date
        end as previous_visit_date,
        case
            when previous_visit_days.previous_visit_date >= visit_plans.plan_start_date
                then previous_visit_days.previous_visit_date
            else visit_plans.plan_start_date
        end as timed_from_date

    from visit_plans
    inner join previous_visit_days
        on
            visit_plans.person_id = previous_visit_days.person_id
            and visit_plans.visit_date = previous_visit_days.visit_date
    where visit_plans.plan_rank = 1

),

final as (

    select
        timed_from.*,
        {{ working_days_between('from_day', 'visit_day') }} as working_days_since_previous,
        {{ working_days_between('from_day', 'visit_day') }} <= {{ var('cp_visit_working_days') }}
            as is_within_timescale

    from timed_from
    left join calendar as from_day
        on timed_from.timed_from_date = from_day.calendar_date
    left join calendar as visit_day
        on timed_from.visit_date = visit_day.calendar_date

)

select * from final
