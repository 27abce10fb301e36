-- The records behind the contacts and referrals indicators (codes 4-9): one row per
-- indicator, month end and counted record, generated from the indicator
-- registry (macros/indicators/registry.sql). Unioned and cut to the reported
-- months in int_indicators__records.

{{ config(materialized='view') }}

{{ indicator_records('contacts_referrals') }}
