-- The records behind every figure: one row per indicator, reported month end
-- and counted record, the areas' records (int_indicators__records_<area>)
-- cut to the reported months. Aggregated by int_indicators__monthly_measures;
-- published as marts.indicator_records.

{{ config(materialized='view') }}

with

months as (

    select period_end from {{ ref('int_reporting_months') }}

),

records as (

    select * from {{ ref('int_indicators__records_early_help') }}
    union all
    select * from {{ ref('int_indicators__records_contacts_referrals') }}
    union all
    select * from {{ ref('int_indicators__records_assessments') }}
    union all
    select * from {{ ref('int_indicators__records_child_protection') }}
    union all
    select * from {{ ref('int_indicators__records_looked_after') }}

),

final as (

    select
        records.indicator_code,
        records.period_end,
        records.record_id,
        records.extract,
        records.person_id,
        records.in_numerator,
        records.in_denominator,
        records.start_date,
        records.end_date,
        records.time_taken,
        records.time_limit,
        records.time_unit
    from records
    inner join months
        on records.period_end = months.period_end

)

select * from final
