-- The months reported: from the month of the earliest date of any kind (main
-- date, end, closure, completion, authorisation, screening) of any record that
-- exists as at the run's date, dates of birth aside, to the month containing
-- the as-at date. With no events at all, the as-at month alone.

with

event_dates as (

    select min(received_date) as event_date from {{ ref('stg_frameworki__contacts') }}
    union all select min(screened_date) from {{ ref('stg_frameworki__contacts') }}
    union all select min(referral_date) from {{ ref('stg_frameworki__referrals') }}
    union all select min(closure_date) from {{ ref('stg_frameworki__referrals') }}
    union all select min(start_date) from {{ ref('stg_frameworki__assessments') }}
    union all select min(completed_date) from {{ ref('stg_frameworki__assessments') }}
    union all select min(authorised_date) from {{ ref('stg_frameworki__assessments') }}
    union all select min(sd_date) from {{ ref('stg_frameworki__strategy_discussions') }}
    union all select min(start_date) from {{ ref('stg_frameworki__s47_enquiries') }}
    union all select min(end_date) from {{ ref('stg_frameworki__s47_enquiries') }}
    union all select min(conference_date) from {{ ref('stg_frameworki__cp_conferences') }}
    union all select min(start_date) from {{ ref('stg_frameworki__cp_plans') }}
    union all select min(end_date) from {{ ref('stg_frameworki__cp_plans') }}
    union all select min(visit_date) from {{ ref('stg_frameworki__cp_visits') }}
    union all select min(start_date) from {{ ref('stg_frameworki__lac_episodes') }}
    union all select min(end_date) from {{ ref('stg_frameworki__lac_episodes') }}
    union all select min(visit_date) from {{ ref('stg_frameworki__lac_visits') }}
    union all select min(review_date) from {{ ref('stg_frameworki__lac_reviews') }}
    union all select min(start_date) from {{ ref('stg_frameworki__caf_episodes') }}
    union all select min(end_date) from {{ ref('stg_frameworki__caf_episodes') }}

),

population as (

    select year, population_0_17 from {{ ref('population') }}

),

bounds as (

    select
        cast(date_trunc('month', coalesce(min(event_date), {{ as_at_date() }})) as date)
            as first_month_start,
        cast(date_trunc('month', {{ as_at_date() }}) as date) as last_month_start
    from event_dates

),

month_spine as (

    select
        cast(
            unnest(generate_series(first_month_start, last_month_start, interval 1 month))
            as date
        ) as period_start
    from bounds

),

months as (

    select
        period_start,
        last_day(period_start) as period_end,
        year(period_start) as year,
        month(period_start) as month,
        -- the first day of the reporting year containing the month (YTD start)
        make_date(
            case
                when month(period_start) >= {{ var('year_start_month') }} then year(period_start)
                else year(period_start) - 1
            end,
            {{ var('year_start_month') }},
            1
        ) as ytd_start,
        period_start = cast(date_trunc('month', {{ as_at_date() }}) as date) as is_as_at_month
    from month_spine

),

final as (

    -- the population of the month end's year, or of the latest earlier year
    -- in the seed when that year is missing
    select
        months.*,
        population.population_0_17
    from months
    asof left join population
        on months.year >= population.year

)

select * from final
