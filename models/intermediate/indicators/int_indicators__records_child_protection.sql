-- The records behind the child protection indicators (codes 14-25): one row per
-- indicator, month end and counted record, generated from the indicator
-- registry (macros/indicators/registry.sql). Unioned and cut to the reported
-- months in int_indicators__records.

{{ config(materialized='view') }}

{{ indicator_records('child_protection') }}
