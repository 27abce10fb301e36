-- The breakdowns the report's charts show, as counted: one row per indicator,
-- month, dimension and category found (null category = not recorded),
-- generated from the registry's `breakdowns` (macros/indicators/registry.sql)
-- in two halves of at most six parents each. marts.indicator_breakdowns
-- completes them with the listed zero categories.

with

counted as (

    select * from {{ ref('int_indicators__breakdowns_early_help') }}
    union all
    select * from {{ ref('int_indicators__breakdowns_social_care') }}

),

final as (

    select
        indicator_code,
        period_end,
        dimension,
        category,
        count
    from counted

)

select * from final
