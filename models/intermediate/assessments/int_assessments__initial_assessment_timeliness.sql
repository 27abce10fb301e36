-- One row per initial assessment authorised on or before the run's date
-- (codes 10, 11): working days from the clock start to AUTHORISED_DATE.
-- The clock starts on the REFERRAL_DATE of the referral linked by
-- REFERRAL_ID, or, when REFERRAL_ID is null or matches no referral known as
-- at the run's date, on the assessment's own START_DATE.

with

assessments as (

    select * from {{ ref('stg_frameworki__assessments') }}
    where
        assessment_type = 'IA'
        and authorised_date is not null

),

referrals as (

    select
        referral_id,
        referral_date
    from {{ ref('stg_frameworki__referrals') }}

),

calendar as (

    select
        calendar_date,
        working_day_index
    from {{ ref('int_calendar__days') }}

),

clock_started as (

    select
        assessments.assessment_id,
        assessments.person_id,
        assessments.referral_id,
        assessments.outcome_code,
        assessments.start_date,
        assessments.authorised_date,
        referrals.referral_id is not null as is_timed_from_referral,
        coalesce(referrals.referral_date, assessments.start_date) as clock_start_date

    from assessments
    left join referrals
        on assessments.referral_id = referrals.referral_id

),

final as (

    select
        clock_started.*,
        last_day(clock_started.authorised_date) as period_end,
        {{ working_days_between('start_day', 'end_day') }} as working_days_to_authorise,
        {{ working_days_between('start_day', 'end_day') }} <= {{ ia_limit_working_days() }}
            as is_within_10_working_days

    from clock_started
    left join calendar as start_day
        on clock_started.clock_start_date = start_day.calendar_date
    left join calendar as end_day
        on clock_started.authorised_date = end_day.calendar_date

)

select * from final
