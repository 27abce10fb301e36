-- One row per LAC visit made on a day the child is in a period of care
-- (code 27): START <= visit day < END (or no end). Timed, in calendar days,
-- from the previous visit of the child on an earlier day on or after the
-- period's start, or from the period's start for the first; within when
-- days <= var('lac_visit_days'). Several visits on one day each count, timed
-- from the same previous day.

with

visits as (

    select * from {{ ref('stg_frameworki__lac_visits') }}

),

periods as (

    select * from {{ ref('int_looked_after__periods_of_care') }}

),

visit_periods as (

    select
        visits.visit_id,
        visits.person_id,
        visits.visit_date,
        periods.period_of_care_id,
        periods.start_date as period_start_date

    from visits
    inner join periods
        on
            visits.person_id = periods.person_id
            and visits.visit_date >= periods.start_date
            and (periods.end_date is null or visits.visit_date < periods.end_date)

),

visit_days as (

    select distinct
        person_id,
        visit_date
    from visits

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
        visit_periods.*,
        last_day(visit_periods.visit_date) as period_end,
        case
            when previous_visit_days.previous_visit_date >= visit_periods.period_start_date
                then previous_visit_days.previous_visit_date
        end as previous_visit_date,
        case
            when previous_visit_days.previous_visit_date >= visit_periods.period_start_date
                then previous_visit_days.previous_visit_date
            else visit_periods.period_start_date
        end as timed_from_date

    from visit_periods
    inner join previous_visit_days
        on
            visit_periods.person_id = previous_visit_days.person_id
            and visit_periods.visit_date = previous_visit_days.visit_date

),

final as (

    select
        *,
        visit_date - timed_from_date as days_since_previous,
        visit_date - timed_from_date <= {{ var('lac_visit_days') }} as is_within_timescale
    from timed_from

)

select * from final
