-- The chart breakdowns of the social care indicators (contacts and referrals,
-- assessments, child protection, looked after) as counted, generated from the
-- indicator registry; see int_indicators__breakdown_counts.

{{ config(materialized='view') }}

{{ indicator_breakdown_counts(
    ['contacts_referrals', 'assessments', 'child_protection', 'looked_after']
) }}
