-- Every indicator's monthly numerator and denominator, one row per indicator
-- (1-29) and reported month, zeros included. Count indicators: numerator =
-- the count, denominator null. Percentage indicators: numerator = records
-- meeting the rule, denominator = records measured (0 and 0 in an empty month).

with

months as (

    select period_end from {{ ref('int_reporting_months') }}

),

catalogue as (

    select indicator_code, is_percentage from {{ ref('indicator_catalogue') }}

),

contacts as (

    select * from {{ ref('int_contacts__screening') }}

),

cafs as (

    select * from {{ ref('int_early_help__caf_episodes') }}

),

measured as (

    -- 1: CAF episodes open at month end
    select 1 as indicator_code, period_end, count(*) as numerator, null as denominator
    from {{ ref('int_early_help__cafs_open_at_month_end') }}
    group by period_end

    -- 2: CAF episodes starting in the month with STEP_DOWN = Y
    union all
    select 2, start_period_end, count(*) filter (where is_step_down), null
    from cafs
    group by start_period_end

    -- 3: CAF episodes with END_DATE in the month
    union all
    select 3, end_period_end, count(*), null
    from cafs
    where end_date is not null
    group by end_period_end

    -- 4 and 5: contacts received in the month
    union all
    select 4, period_end, count(*), null from contacts group by period_end
    union all
    select 5, period_end, count(*), null from contacts group by period_end

    -- 6: screened by a qualified practitioner on the same working day
    union all
    select 6, period_end, count(*) filter (where is_screened_same_working_day), count(*)
    from contacts
    group by period_end

    -- 7: progressed to referral (OUTCOME = REFERRAL)
    union all
    select 7, period_end, count(*) filter (where is_progressed_to_referral), count(*)
    from contacts
    group by period_end

    -- 8: re-referrals
    union all
    select 8, period_end, count(*) filter (where is_re_referral), count(*)
    from {{ ref('int_referrals__re_referrals') }}
    group by period_end

    -- 9: referrals with an initial assessment
    union all
    select 9, period_end, count(*) filter (where has_initial_assessment), count(*)
    from {{ ref('int_referrals__initial_assessment_links') }}
    group by period_end

    -- 10: initial assessments authorised in the month
    union all
    select 10, period_end, count(*), null
    from {{ ref('int_assessments__initial_assessment_timeliness') }}
    group by period_end

    -- 11: ... within 10 working days
    union all
    select 11, period_end, count(*) filter (where is_within_10_working_days), count(*)
    from {{ ref('int_assessments__initial_assessment_timeliness') }}
    group by period_end

    -- 12, 13: core assessments within 35 / in 61+ working days
    union all
    select 12, period_end, count(*) filter (where is_within_35_working_days), count(*)
    from {{ ref('int_assessments__core_assessment_timeliness') }}
    group by period_end
    union all
    select 13, period_end, count(*) filter (where is_61_or_more_working_days), count(*)
    from {{ ref('int_assessments__core_assessment_timeliness') }}
    group by period_end

    -- 14-16: strategy discussions, leading / not leading to s47
    union all
    select 14, period_end, count(*), null
    from {{ ref('int_child_protection__strategy_discussion_s47_links') }}
    group by period_end
    union all
    select 15, period_end, count(*) filter (where has_s47), count(*)
    from {{ ref('int_child_protection__strategy_discussion_s47_links') }}
    group by period_end
    union all
    select 16, period_end, count(*) filter (where not has_s47), count(*)
    from {{ ref('int_child_protection__strategy_discussion_s47_links') }}
    group by period_end

    -- 17: distinct children with a plan starting in the month
    union all
    select 17, last_day(start_date), count(distinct person_id), null
    from {{ ref('stg_frameworki__cp_plans') }}
    group by last_day(start_date)

    -- 18-20: children on a plan at month end; second+ plan; open 2+ years
    union all
    select 18, period_end, count(*), null
    from {{ ref('int_child_protection__plans_at_month_end') }}
    group by period_end
    union all
    select 19, period_end, count(*) filter (where is_second_or_later_plan), count(*)
    from {{ ref('int_child_protection__plans_at_month_end') }}
    group by period_end
    union all
    select 20, period_end, count(*) filter (where is_open_two_years_or_more), count(*)
    from {{ ref('int_child_protection__plans_at_month_end') }}
    group by period_end

    -- 21: CP visits within timescale
    union all
    select 21, period_end, count(*) filter (where is_within_timescale), count(*)
    from {{ ref('int_child_protection__cp_visit_timeliness') }}
    group by period_end

    -- 22, 23: ICPCs, within 15 working days of the strategy discussion
    union all
    select 22, period_end, count(*), null
    from {{ ref('int_child_protection__icpc_timeliness') }}
    group by period_end
    union all
    select 23, period_end, count(*) filter (where is_within_timescale), count(*)
    from {{ ref('int_child_protection__icpc_timeliness') }}
    group by period_end

    -- 24, 25: RCPCs, within 90 / 180 days
    union all
    select 24, period_end, count(*), null
    from {{ ref('int_child_protection__rcpc_chains') }}
    group by period_end
    union all
    select 25, period_end, count(*) filter (where is_within_timescale), count(*)
    from {{ ref('int_child_protection__rcpc_chains') }}
    group by period_end

    -- 26: children looked after at month end
    union all
    select 26, period_end, count(*), null
    from {{ ref('int_looked_after__children_at_month_end') }}
    group by period_end

    -- 27: LAC visits within timescale
    union all
    select 27, period_end, count(*) filter (where is_within_timescale), count(*)
    from {{ ref('int_looked_after__lac_visit_timeliness') }}
    group by period_end

    -- 28, 29: LAC reviews, within timescale
    union all
    select 28, period_end, count(*), null
    from {{ ref('int_looked_after__lac_review_timeliness') }}
    group by period_end
    union all
    select 29, period_end, count(*) filter (where is_within_timescale), count(*)
    from {{ ref('int_looked_after__lac_review_timeliness') }}
    group by period_end

),

final as (

    select
        catalogue.indicator_code,
        months.period_end,
        cast(coalesce(measured.numerator, 0) as bigint) as numerator,
        case
            when catalogue.is_percentage then cast(coalesce(measured.denominator, 0) as bigint)
        end as denominator

    from catalogue
    cross join months
    left join measured
        on measured.indicator_code = catalogue.indicator_code
        and measured.period_end = months.period_end

)

select * from final
