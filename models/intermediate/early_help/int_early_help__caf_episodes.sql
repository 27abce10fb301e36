-- One row per CAF episode known as at the run's date (codes 1-3), with the
-- months it started and closed in and, once closed, how long it was open in
-- calendar-month bands (lower bound inclusive): 0-3 months (END < START + 3
-- months), 3-6, 6-12, 12+ months. An END before START (a data-quality
-- finding) falls in 0-3 months; such an episode is never open but still
-- counts as closed in its END month.

with

caf_episodes as (

    select * from {{ ref('stg_frameworki__caf_episodes') }}

),

final as (

    select
        caf_id,
        person_id,
        start_date,
        end_date,
        last_day(start_date) as start_period_end,
        last_day(end_date) as end_period_end,
        is_step_down,
        has_social_care_involvement,
        lead_professional_agency,
        locality,
        closure_reason,
        case
            when end_date is null then null
            when end_date < {{ add_months('start_date', 3) }} then '0-3 months'
            when end_date < {{ add_months('start_date', 6) }} then '3-6 months'
            when end_date < {{ add_months('start_date', 12) }} then '6-12 months'
            else '12+ months'
        end as duration_band

    from caf_episodes

)

select * from final
