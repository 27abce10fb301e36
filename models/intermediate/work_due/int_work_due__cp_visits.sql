-- Open work: the next child-seen visit of every child on a plan at the run's
-- date D (code 21), on the child's current plan (the open plan that started
-- last; ties: the greater CPP_ID, as in int_child_protection__cp_visit_timeliness).
-- A visit made after D will be timed from the child's latest child-seen
-- visit on or before D that is on or after the plan's START_DATE, or from
-- that START_DATE; it is due var('cp_visit_working_days') working days later
-- (a working day, by an equality join on working_day_index).

with

plans as (

    select
        *,
        row_number() over (
            partition by person_id order by start_date desc, cpp_id desc
        ) as plan_rank
    from {{ ref('stg_frameworki__cp_plans') }}
    where
        start_date <= {{ as_at_date() }}
        and (end_date is null or end_date > {{ as_at_date() }})

),

seen_visits as (

    select
        person_id,
        visit_date
    from {{ ref('stg_frameworki__cp_visits') }}
    where is_child_seen

),

last_visits as (

    select
        plans.cpp_id,
        max(seen_visits.visit_date) as visit_date
    from plans
    inner join seen_visits
        on
            plans.person_id = seen_visits.person_id
            and plans.start_date <= seen_visits.visit_date
            and seen_visits.visit_date <= {{ as_at_date() }}
    where plans.plan_rank = 1
    group by plans.cpp_id

),

calendar as (

    select
        calendar_date,
        is_working_day,
        working_day_index
    from {{ ref('int_calendar__days') }}

),

timed as (

    select
        plans.cpp_id,
        plans.person_id,
        plans.team,
        case
            when last_visits.visit_date is not null then 'previous child-seen visit'
            else 'plan start'
        end as timed_from_event,
        coalesce(last_visits.visit_date, plans.start_date) as timed_from_date

    from plans
    left join last_visits
        on plans.cpp_id = last_visits.cpp_id
    where plans.plan_rank = 1

),

final as (

    select
        'child_protection' as area,
        'cp_visit' as item_kind,
        timed.cpp_id as record_id,
        timed.person_id,
        timed.team,
        timed.timed_from_event,
        timed.timed_from_date,
        {{ var('cp_visit_working_days') }} as limit_value,
        'working days' as limit_unit,
        due_day.calendar_date as due_date

    from timed
    inner join calendar as from_day
        on timed.timed_from_date = from_day.calendar_date
    inner join calendar as due_day
        on
            due_day.working_day_index
            = from_day.working_day_index + {{ var('cp_visit_working_days') }}
            and due_day.is_working_day

)

select * from final
