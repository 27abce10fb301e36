-- The records behind the assessments indicators (codes 10-13): one row per
-- indicator, month end and counted record, generated from the indicator
-- registry (macros/indicators/registry.sql). Unioned and cut to the reported
-- months in int_indicators__records.

{{ config(materialized='view') }}

{{ indicator_records('assessments') }}
