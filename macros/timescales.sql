{#- The timescale limits of the indicators, in one place: the indicator models
    (codes 6, 11, 12, 13, 20, 23, 25, 29, 8) and the work-due lists
    (models/intermediate/work_due/) both use these, so that what a list calls
    due is what the indicator later counts as within timescale. Every limit is
    a var (defaults in dbt_project.yml `vars:`, set from cscperf.toml
    [timescales]); cp_visit_working_days (code 21) and lac_visit_days (code 27)
    are used as var() directly. -#}

{#- Code 6: working days allowed between receipt and screening. A contact
    received on a working day: 0 (the same day); on a non-working day: 1 (it
    counts as received on the next working day). -#}
{% macro screening_allowed_working_days(is_received_on_working_day) -%}
    case when {{ is_received_on_working_day }} then 0 else 1 end
{%- endmacro %}

{#- Code 11: initial assessment, working days from the referral (or start). -#}
{% macro ia_limit_working_days() -%} {{ var('initial_assessment_working_days') }} {%- endmacro %}

{#- Code 12: core assessment, working days from its start. -#}
{% macro ca_limit_working_days() -%} {{ var('core_assessment_working_days') }} {%- endmacro %}

{#- Code 13: core assessment taking this many working days or more. -#}
{% macro ca_long_limit_working_days() -%} {{ var('core_assessment_long_working_days') }} {%- endmacro %}

{#- Code 23: ICPC, working days from the strategy discussion. -#}
{% macro icpc_limit_working_days() -%} {{ var('icpc_working_days') }} {%- endmacro %}

{#- Code 25: first RCPC, calendar days from the plan's ICPC. -#}
{% macro rcpc_first_limit_days() -%} {{ var('rcpc_first_days') }} {%- endmacro %}

{#- Code 25: later RCPCs, calendar days from the previous review. -#}
{% macro rcpc_later_limit_days() -%} {{ var('rcpc_later_days') }} {%- endmacro %}

{#- Code 29: first LAC review, working days from the period of care's start. -#}
{% macro lac_first_review_limit_working_days() -%} {{ var('lac_review_first_working_days') }} {%- endmacro %}

{#- Code 29: first LAC review of a period of care that started before this
    day (the earlier regulations): calendar days instead. -#}
{% macro lac_earlier_regulations_before() -%} date '2011-04-01' {%- endmacro %}
{% macro lac_first_review_earlier_limit_days() -%} {{ var('lac_review_first_earlier_days') }} {%- endmacro %}

{#- Code 29: second LAC review, calendar months after the first. -#}
{% macro lac_second_review_limit_months() -%} {{ var('lac_review_second_months') }} {%- endmacro %}

{#- Code 29: third and later LAC reviews, calendar months after the previous. -#}
{% macro lac_later_review_limit_months() -%} {{ var('lac_review_later_months') }} {%- endmacro %}

{#- Code 20: a CP plan open this many months or more. -#}
{% macro cp_plan_long_limit_months() -%} {{ var('cp_plan_long_months') }} {%- endmacro %}

{#- Code 8: a re-referral is within this many months of an earlier referral. -#}
{% macro re_referral_limit_months() -%} {{ var('re_referral_months') }} {%- endmacro %}
