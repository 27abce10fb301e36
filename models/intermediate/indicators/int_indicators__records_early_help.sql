-- The records behind the early help (CAF) indicators (codes 1-3): one row per
-- indicator, month end and counted record, generated from the indicator
-- registry (macros/indicators/registry.sql). Unioned and cut to the reported
-- months in int_indicators__records.

{{ config(materialized='view') }}

{{ indicator_records('early_help') }}
