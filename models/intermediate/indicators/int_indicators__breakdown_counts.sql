-- The breakdowns the report's charts show, as counted: one row per indicator,
-- month, dimension and category found (null category = not recorded).
-- marts.indicator_breakdowns completes them with the listed zero categories.
--   1  activity: CAFs started, closed, open at month end
--   2  CAFs started in the month by step_down, social_care_involvement,
--      lead_professional_agency, locality; the step-down starts alone by
--      step_down_lead_professional_agency and step_down_locality
--   3  CAFs closed in the month by closure_reason and duration_band
--   7  referrals in the month by referral_outcome
--   10 IAs authorised in the month by outcome
--   16 strategy discussions of the month not leading to s47, by outcome
--   18 children on a plan at ME by category (of their current plan)
--   23 ICPCs in the month by outcome
--   25 RCPCs in the month by outcome

with

cafs as (

    select * from {{ ref('int_early_help__caf_episodes') }}

),

started_cafs as (

    select * from cafs

),

closed_cafs as (

    select * from cafs where end_date is not null

),

flag_label as (

    select true as flag, 'Y' as label
    union all select false, 'N'

),

counted as (

    select 1 as indicator_code, start_period_end as period_end, 'activity' as dimension,
        'started' as category, count(*) as count
    from started_cafs group by all
    union all
    select 1, end_period_end, 'activity', 'closed', count(*)
    from closed_cafs group by all
    union all
    select 1, period_end, 'activity', 'open at month end', count(*)
    from {{ ref('int_early_help__cafs_open_at_month_end') }} group by all

    union all
    select 2, start_period_end, 'step_down', step_down.label, count(*)
    from started_cafs
    left join flag_label as step_down on step_down.flag = started_cafs.is_step_down
    group by all
    union all
    select 2, start_period_end, 'social_care_involvement', involvement.label, count(*)
    from started_cafs
    left join flag_label as involvement
        on involvement.flag = started_cafs.has_social_care_involvement
    group by all
    union all
    select 2, start_period_end, 'lead_professional_agency', lead_professional_agency, count(*)
    from started_cafs group by all
    union all
    select 2, start_period_end, 'locality', locality, count(*)
    from started_cafs group by all
    union all
    select 2, start_period_end, 'step_down_lead_professional_agency', lead_professional_agency,
        count(*)
    from started_cafs where is_step_down group by all
    union all
    select 2, start_period_end, 'step_down_locality', locality, count(*)
    from started_cafs where is_step_down group by all

    union all
    select 3, end_period_end, 'closure_reason', closure_reason, count(*)
    from closed_cafs group by all
    union all
    select 3, end_period_end, 'duration_band', duration_band, count(*)
    from closed_cafs group by all

    union all
    select 7, period_end, 'referral_outcome', outcome_code, count(*)
    from {{ ref('int_referrals__re_referrals') }} group by all

    union all
    select 10, period_end, 'outcome', outcome_code, count(*)
    from {{ ref('int_assessments__initial_assessment_timeliness') }} group by all

    union all
    select 16, period_end, 'outcome', outcome_code, count(*)
    from {{ ref('int_child_protection__strategy_discussion_s47_links') }}
    where not has_s47
    group by all

    union all
    select 18, period_end, 'category', category_code, count(*)
    from {{ ref('int_child_protection__plans_at_month_end') }} group by all

    union all
    select 23, period_end, 'outcome', outcome_code, count(*)
    from {{ ref('int_child_protection__icpc_timeliness') }} group by all

    union all
    select 25, period_end, 'outcome', outcome_code, count(*)
    from {{ ref('int_child_protection__rcpc_chains') }} group by all

),

final as (

    select
        indicator_code,
        period_end,
        dimension,
        category,
        cast(count as bigint) as count
    from counted

)

select * from final
