-- The records behind every figure of marts.indicator_values: one row per
-- indicator, month end and counted record, with whether it is in the
-- numerator and the denominator and the timing that decided it. No names,
-- dates of birth or free text; person_id only where the indicator counts
-- children. tests/dbt/assert_indicator_records_add_up_to_indicator_values.sql
-- proves every figure is the sum of its records.
-- Built straight into the analyst file being made (database analyst,
-- profiles.yml): the largest mart is not copied at publishing.

{{ config(database='analyst') }}

with

records as (

    select * from {{ ref('int_indicators__records') }}

),

final as (

    select
        cast(indicator_code as integer) as indicator_code,
        period_end,
        record_id,
        extract,
        person_id,
        in_numerator,
        in_denominator,
        start_date,
        end_date,
        time_taken,
        time_limit,
        time_unit

    from records

)

select * from final
