-- One row per referral, with whether at least one initial assessment (known
-- as at the run's date, i.e. started on or before it) is linked to it by
-- REFERRAL_ID (code 9). The person is not compared; a core assessment does
-- not count.

with

referrals as (

    select * from {{ ref('stg_frameworki__referrals') }}

),

initial_assessments as (

    select * from {{ ref('stg_frameworki__assessments') }}
    where assessment_type = 'IA'

),

assessed_referrals as (

    select
        referral_id,
        count(*) as initial_assessment_count
    from initial_assessments
    where referral_id is not null
    group by referral_id

),

final as (

    select
        referrals.referral_id,
        referrals.person_id,
        referrals.referral_date,
        last_day(referrals.referral_date) as period_end,
        coalesce(assessed_referrals.initial_assessment_count, 0) as initial_assessment_count,
        assessed_referrals.referral_id is not null as has_initial_assessment

    from referrals
    left join assessed_referrals
        on referrals.referral_id = assessed_referrals.referral_id

)

select * from final
