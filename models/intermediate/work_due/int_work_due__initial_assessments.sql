-- Open work: initial assessments started on or before the run's date D and
-- not authorised as at D (code 11). The clock starts as in
-- int_assessments__initial_assessment_timeliness: on the REFERRAL_DATE of the
-- referral linked by REFERRAL_ID, else on the assessment's START_DATE. Due
-- ia_limit_working_days() working days later (a working day, by an equality
-- join on working_day_index).

with

assessments as (

    select * from {{ ref('stg_frameworki__assessments') }}
    where
        assessment_type = 'IA'
        and authorised_date is null

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
        is_working_day,
        working_day_index
    from {{ ref('int_calendar__days') }}

),

clock_started as (

    select
        assessments.assessment_id,
        assessments.person_id,
        assessments.team,
        case when referrals.referral_id is not null then 'referral' else 'assessment start' end
            as timed_from_event,
        coalesce(referrals.referral_date, assessments.start_date) as timed_from_date

    from assessments
    left join referrals
        on assessments.referral_id = referrals.referral_id

),

final as (

    select
        'assessments' as area,
        'initial_assessment' as item_kind,
        clock_started.assessment_id as record_id,
        clock_started.person_id,
        clock_started.team,
        clock_started.timed_from_event,
        clock_started.timed_from_date,
        {{ ia_limit_working_days() }} as limit_value,
        'working days' as limit_unit,
        due_day.calendar_date as due_date

    from clock_started
    inner join calendar as from_day
        on clock_started.timed_from_date = from_day.calendar_date
    inner join calendar as due_day
        on
            due_day.working_day_index = from_day.working_day_index + {{ ia_limit_working_days() }}
            and due_day.is_working_day

)

select * from final
