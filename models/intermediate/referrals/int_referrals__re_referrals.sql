-- One row per referral, with whether it is a re-referral (code 8): the same
-- child has an earlier referral dated within the 12 months before,
-- REFERRAL_DATE - 12 months <= earlier date < REFERRAL_DATE (calendar months,
-- clamped to the month end: 29 Feb 2016 looks back to 28 Feb 2015). A second
-- referral on the same day is not earlier. The latest strictly earlier
-- referral date decides: if it is outside the window, every earlier one is.

with

referrals as (

    select * from {{ ref('stg_frameworki__referrals') }}

),

referral_days as (

    select distinct
        person_id,
        referral_date
    from referrals

),

previous_referral_days as (

    select
        person_id,
        referral_date,
        lag(referral_date) over (
            partition by person_id order by referral_date
        ) as previous_referral_date
    from referral_days

),

final as (

    select
        referrals.referral_id,
        referrals.person_id,
        referrals.referral_date,
        last_day(referrals.referral_date) as period_end,
        referrals.outcome_code,
        previous_referral_days.previous_referral_date,
        {{ add_months('referrals.referral_date', '-' ~ re_referral_limit_months()) }}
            as look_back_date,
        coalesce(
            previous_referral_days.previous_referral_date
            >= {{ add_months('referrals.referral_date', '-' ~ re_referral_limit_months()) }},
            false
        ) as is_re_referral

    from referrals
    inner join previous_referral_days
        on
            referrals.person_id = previous_referral_days.person_id
            and referrals.referral_date = previous_referral_days.referral_date

)

select * from final
