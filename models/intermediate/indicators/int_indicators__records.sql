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

    select records.*
    from records
    inner join months
        on months.period_end = records.period_end

)

select * from final
