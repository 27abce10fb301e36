-- The records behind the looked after children indicators (codes 26-29): one row per
-- indicator, month end and counted record, generated from the indicator
-- registry (macros/indicators/registry.sql). Unioned and cut to the reported
-- months in int_indicators__records.

{{ config(materialized='view') }}

{{ indicator_records('looked_after') }}
