-- One row per core assessment authorised on or before the run's date
-- (codes 12, 13): working days from START_DATE to AUTHORISED_DATE, within 35
-- (<= 35) and 61 or more (>= 61).

with

assessments as (

    select * from {{ ref('stg_frameworki__assessments') }}
    where
        assessment_type = 'CA'
        and authorised_date is not null

),

calendar as (

    select
        calendar_date,
        working_day_index
    from {{ ref('int_calendar__days') }}

),

timed as (

    select
        assessments.assessment_id,
        assessments.person_id,
        assessments.referral_id,
        assessments.outcome_code,
        assessments.start_date,
        assessments.authorised_date,
        last_day(assessments.authorised_date) as period_end,
        {{ working_days_between('start_day', 'end_day') }} as working_days_to_authorise

    from assessments
    left join calendar as start_day
        on assessments.start_date = start_day.calendar_date
    left join calendar as end_day
        on assessments.authorised_date = end_day.calendar_date

),

final as (

    select
        *,
        working_days_to_authorise <= {{ ca_limit_working_days() }} as is_within_35_working_days,
        working_days_to_authorise
        >= {{ ca_long_limit_working_days() }} as is_61_or_more_working_days
    from timed

)

select * from final
