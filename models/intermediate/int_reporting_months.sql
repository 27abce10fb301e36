-- The months reported: from the month of the earliest date of any kind (main
-- date, end, closure, completion, authorisation, screening) of any record that
-- exists as at the run's date, dates of birth aside, to the month containing
-- the as-at date. With no events at all, the as-at month alone.

with

event_dates as (

    select first_date as event_date
    from {{ ref('int_reporting__first_dates_front_door') }}
    union all
    select first_date from {{ ref('int_reporting__first_dates_child_protection') }}
    union all
    select first_date from {{ ref('int_reporting__first_dates_care_and_early_help') }}

),

population as (

    select
        year,
        population_0_17
    from {{ ref('population') }}

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
