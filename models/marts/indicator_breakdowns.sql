-- Every chart breakdown of the report, long form: one row per indicator,
-- month end, dimension and category. Every month shows every listed category
-- of a dimension (seed breakdown_categories, zero counts included) in the
-- listed order, then any other category found that month (alphabetically;
-- localities are all found, none listed), then the count with no category
-- recorded (category null) last when there is one.

with

counted as (

    select * from {{ ref('int_indicators__breakdown_counts') }}

),

listed as (

    select * from {{ ref('breakdown_categories') }}

),

months as (

    select period_end from {{ ref('int_reporting_months') }}

),

listed_every_month as (

    select
        listed.indicator_code,
        months.period_end,
        listed.dimension,
        listed.category,
        listed.category_order,
        coalesce(counted.count, 0) as count

    from listed
    cross join months
    left join counted
        on
            listed.indicator_code = counted.indicator_code
            and months.period_end = counted.period_end
            and listed.dimension = counted.dimension
            and listed.category = counted.category

),

listed_sizes as (

    select
        indicator_code,
        dimension,
        max(category_order) as listed_count
    from listed
    group by indicator_code, dimension

),

found_unlisted as (

    select
        counted.indicator_code,
        counted.period_end,
        counted.dimension,
        counted.category,
        coalesce(listed_sizes.listed_count, 0)
        + case
            when counted.category is null then 1000
            else dense_rank() over (
                partition by
                    counted.indicator_code, counted.period_end, counted.dimension,
                    counted.category is null
                order by counted.category
            )
        end as category_order,
        counted.count

    from counted
    left join listed
        on
            counted.indicator_code = listed.indicator_code
            and counted.dimension = listed.dimension
            and counted.category = listed.category
    left join listed_sizes
        on
            counted.indicator_code = listed_sizes.indicator_code
            and counted.dimension = listed_sizes.dimension
    where listed.category is null

),

final as (

    select
        cast(indicator_code as integer) as indicator_code,
        period_end,
        dimension,
        category,
        cast(category_order as integer) as category_order,
        cast(count as bigint) as count
    from listed_every_month

    union all

    select
        cast(indicator_code as integer) as indicator_code,
        period_end,
        dimension,
        category,
        cast(category_order as integer) as category_order,
        cast(count as bigint) as count
    from found_unlisted

)

select * from final
