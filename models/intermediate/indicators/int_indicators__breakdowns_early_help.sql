-- The chart breakdowns of the early help indicators (codes 1-3) as counted,
-- generated from the indicator registry; see int_indicators__breakdown_counts.

{{ config(materialized='view') }}

{{ indicator_breakdown_counts(['early_help']) }}
