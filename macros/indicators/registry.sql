{#- The indicator registry: every indicator in one place (issue 12).

    indicator_registry() returns a list with one mapping per indicator, read
    at compile time (fromyaml) by the models generated from it:
      reference.indicator_catalogue   (the judging rules, joined to the wording
                                       the seed indicator_wording holds),
      int_indicators__records_<area>  (the records behind every figure),
      int_indicators__monthly_measures and int_indicators__breakdown_counts.
    docs/adding-an-indicator.md explains how to add one.

    Keys of an entry
      code                 the indicator code as numbered in the report
      area                 which int_indicators__records_<area> holds its records
      model                the record-level (area) model its records come from
      extract              the extract (entity) a record is a row of
      counts               records | children (distinct person_id)
      period               the model's column with the month end it counts in
      record_id            the model's column identifying the counted record
      person_id            the model's child id column (indicators counting children)
      where                optional filter: which rows of the model are records
      numerator            SQL boolean over the model's columns: in the numerator
      denominator          SQL boolean: in the denominator (percentages only)
      timing               what decided it: a list of cases, each with optional
                           `when` (SQL boolean; first match wins), start, end and
                           taken (model columns), unit (working days | days |
                           months) and limit (the name of a timescale setting,
                           see timescale_limit() below)
      breakdowns           the report's chart breakdowns: dimension, model,
                           period, category (SQL expression), optional where
      is_percentage .. has_trend_chart
                           the rule columns of reference.indicator_catalogue
    What the report prints about an indicator (its name, officer, description,
    guide, measure) is a row of the seed indicator_wording, which analysts edit
    without touching the rules; a test holds one row there per entry here.
                           (descriptions in models/reference/_reference__models.yml)
    Model columns and SQL expressions are plain SQL (no Jinja). -#}

{% macro indicator_registry() -%}
{%- set registry_yaml -%}
- code: 1
  area: early_help
  model: int_early_help__cafs_open_at_month_end
  extract: caf_episodes
  counts: records
  period: period_end
  record_id: caf_id
  numerator: "true"
  timing:
    - {start: "start_date", end: "end_date"}
  breakdowns:
    - {dimension: "activity", model: "int_early_help__caf_episodes", period: "start_period_end", category: "'started'"}
    - {dimension: "activity", model: "int_early_help__caf_episodes", period: "end_period_end", category: "'closed'", where: "end_date is not null"}
    - {dimension: "activity", model: "int_early_help__cafs_open_at_month_end", period: "period_end", category: "'open at month end'"}
  is_percentage: false
  polarity: "none"
  rate_basis: "snapshot"
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "months"
  previous_shows_rate: false
  target: null
  has_trend_chart: false

- code: 2
  area: early_help
  model: int_early_help__caf_episodes
  extract: caf_episodes
  counts: records
  period: start_period_end
  record_id: caf_id
  where: "is_step_down"
  numerator: "true"
  timing:
    - {start: "start_date", end: "end_date"}
  breakdowns:
    - {dimension: "step_down", model: "int_early_help__caf_episodes", period: "start_period_end", category: "case when is_step_down then 'Y' when not is_step_down then 'N' end"}
    - {dimension: "social_care_involvement", model: "int_early_help__caf_episodes", period: "start_period_end", category: "case when has_social_care_involvement then 'Y' when not has_social_care_involvement then 'N' end"}
    - {dimension: "lead_professional_agency", model: "int_early_help__caf_episodes", period: "start_period_end", category: "lead_professional_agency"}
    - {dimension: "locality", model: "int_early_help__caf_episodes", period: "start_period_end", category: "locality"}
    - {dimension: "step_down_lead_professional_agency", model: "int_early_help__caf_episodes", period: "start_period_end", category: "lead_professional_agency", where: "is_step_down"}
    - {dimension: "step_down_locality", model: "int_early_help__caf_episodes", period: "start_period_end", category: "locality", where: "is_step_down"}
  is_percentage: false
  polarity: "none"
  rate_basis: null
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "months"
  previous_shows_rate: false
  target: null
  has_trend_chart: false

- code: 3
  area: early_help
  model: int_early_help__caf_episodes
  extract: caf_episodes
  counts: records
  period: end_period_end
  record_id: caf_id
  where: "end_date is not null"
  numerator: "true"
  timing:
    - {start: "start_date", end: "end_date"}
  breakdowns:
    - {dimension: "closure_reason", model: "int_early_help__caf_episodes", period: "end_period_end", category: "closure_reason", where: "end_date is not null"}
    - {dimension: "duration_band", model: "int_early_help__caf_episodes", period: "end_period_end", category: "duration_band", where: "end_date is not null"}
  is_percentage: false
  polarity: "none"
  rate_basis: null
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "months"
  previous_shows_rate: false
  target: null
  has_trend_chart: false

- code: 4
  area: contacts_referrals
  model: int_contacts__screening
  extract: contacts
  counts: records
  period: period_end
  record_id: contact_id
  numerator: "true"
  timing:
    - {start: "received_date"}
  is_percentage: false
  polarity: "none"
  rate_basis: null
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: false
  target: null
  has_trend_chart: true

- code: 5
  area: contacts_referrals
  model: int_contacts__screening
  extract: contacts
  counts: records
  period: period_end
  record_id: contact_id
  numerator: "true"
  timing:
    - {start: "received_date"}
  is_percentage: false
  polarity: "none"
  rate_basis: null
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: false
  target: null
  has_trend_chart: false

- code: 6
  area: contacts_referrals
  model: int_contacts__screening
  extract: contacts
  counts: records
  period: period_end
  record_id: contact_id
  numerator: "is_screened_same_working_day"
  denominator: "true"
  timing:
    - {start: "received_date", end: "screened_date", taken: "working_days_to_screen", unit: "working days", limit: "contact_screening_working_days"}
  is_percentage: true
  polarity: "higher"
  rate_basis: null
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: false
  target: 100
  has_trend_chart: true

- code: 7
  area: contacts_referrals
  model: int_contacts__screening
  extract: contacts
  counts: records
  period: period_end
  record_id: contact_id
  numerator: "is_progressed_to_referral"
  denominator: "true"
  timing:
    - {start: "received_date"}
  breakdowns:
    - {dimension: "referral_outcome", model: "int_referrals__re_referrals", period: "period_end", category: "outcome_code"}
  is_percentage: true
  polarity: "none"
  rate_basis: null
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: false
  target: null
  has_trend_chart: true

- code: 8
  area: contacts_referrals
  model: int_referrals__re_referrals
  extract: referrals
  counts: records
  period: period_end
  record_id: referral_id
  numerator: "is_re_referral"
  denominator: "true"
  timing:
    - {start: "previous_referral_date", end: "referral_date", unit: "months", limit: "re_referral_months"}
  is_percentage: true
  polarity: "to target"
  rate_basis: "ytd"
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: false
  target: null
  has_trend_chart: true

- code: 9
  area: contacts_referrals
  model: int_referrals__initial_assessment_links
  extract: referrals
  counts: records
  period: period_end
  record_id: referral_id
  numerator: "has_initial_assessment"
  denominator: "true"
  timing:
    - {start: "referral_date"}
  is_percentage: true
  polarity: "none"
  rate_basis: "ytd"
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: false
  target: null
  has_trend_chart: true

- code: 10
  area: assessments
  model: int_assessments__initial_assessment_timeliness
  extract: assessments
  counts: records
  period: period_end
  record_id: assessment_id
  numerator: "true"
  timing:
    - {start: "clock_start_date", end: "authorised_date", taken: "working_days_to_authorise", unit: "working days"}
  breakdowns:
    - {dimension: "outcome", model: "int_assessments__initial_assessment_timeliness", period: "period_end", category: "outcome_code"}
  is_percentage: false
  polarity: "none"
  rate_basis: "ytd"
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: true
  target: null
  has_trend_chart: true

- code: 11
  area: assessments
  model: int_assessments__initial_assessment_timeliness
  extract: assessments
  counts: records
  period: period_end
  record_id: assessment_id
  numerator: "is_within_10_working_days"
  denominator: "true"
  timing:
    - {start: "clock_start_date", end: "authorised_date", taken: "working_days_to_authorise", unit: "working days", limit: "initial_assessment_working_days"}
  is_percentage: true
  polarity: "higher"
  rate_basis: "ytd"
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: false
  target: 85
  has_trend_chart: true

- code: 12
  area: assessments
  model: int_assessments__core_assessment_timeliness
  extract: assessments
  counts: records
  period: period_end
  record_id: assessment_id
  numerator: "is_within_35_working_days"
  denominator: "true"
  timing:
    - {start: "start_date", end: "authorised_date", taken: "working_days_to_authorise", unit: "working days", limit: "core_assessment_working_days"}
  is_percentage: true
  polarity: "higher"
  rate_basis: "ytd"
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: false
  target: null
  has_trend_chart: true

- code: 13
  area: assessments
  model: int_assessments__core_assessment_timeliness
  extract: assessments
  counts: records
  period: period_end
  record_id: assessment_id
  numerator: "is_61_or_more_working_days"
  denominator: "true"
  timing:
    - {start: "start_date", end: "authorised_date", taken: "working_days_to_authorise", unit: "working days", limit: "core_assessment_long_working_days"}
  is_percentage: true
  polarity: "lower"
  rate_basis: "ytd"
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: false
  target: null
  has_trend_chart: true

- code: 14
  area: child_protection
  model: int_child_protection__strategy_discussion_s47_links
  extract: strategy_discussions
  counts: records
  period: period_end
  record_id: sd_id
  numerator: "true"
  timing:
    - {start: "sd_date"}
  is_percentage: false
  polarity: "none"
  rate_basis: null
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: false
  target: null
  has_trend_chart: true

- code: 15
  area: child_protection
  model: int_child_protection__strategy_discussion_s47_links
  extract: strategy_discussions
  counts: records
  period: period_end
  record_id: sd_id
  numerator: "has_s47"
  denominator: "true"
  timing:
    - {start: "sd_date"}
  is_percentage: true
  polarity: "none"
  rate_basis: "ytd"
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: false
  target: null
  has_trend_chart: true

- code: 16
  area: child_protection
  model: int_child_protection__strategy_discussion_s47_links
  extract: strategy_discussions
  counts: records
  period: period_end
  record_id: sd_id
  numerator: "not has_s47"
  denominator: "true"
  timing:
    - {start: "sd_date"}
  breakdowns:
    - {dimension: "outcome", model: "int_child_protection__strategy_discussion_s47_links", period: "period_end", category: "outcome_code", where: "not has_s47"}
  is_percentage: true
  polarity: "none"
  rate_basis: "ytd"
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: false
  target: null
  has_trend_chart: true

- code: 17
  area: child_protection
  model: int_child_protection__plan_starts
  extract: cp_plans
  counts: children
  period: period_end
  record_id: cpp_id
  person_id: person_id
  numerator: "true"
  timing:
    - {start: "start_date", end: "end_date"}
  is_percentage: false
  polarity: "none"
  rate_basis: "ytd"
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: true
  target: null
  has_trend_chart: true

- code: 18
  area: child_protection
  model: int_child_protection__plans_at_month_end
  extract: cp_plans
  counts: children
  period: period_end
  record_id: current_cpp_id
  person_id: person_id
  numerator: "true"
  timing:
    - {start: "current_plan_start_date"}
  breakdowns:
    - {dimension: "category", model: "int_child_protection__plans_at_month_end", period: "period_end", category: "category_code"}
  is_percentage: false
  polarity: "none"
  rate_basis: "snapshot"
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: true
  target: null
  has_trend_chart: true

- code: 19
  area: child_protection
  model: int_child_protection__plans_at_month_end
  extract: cp_plans
  counts: children
  period: period_end
  record_id: current_cpp_id
  person_id: person_id
  numerator: "is_second_or_later_plan"
  denominator: "true"
  timing:
    - {start: "current_plan_start_date"}
  is_percentage: true
  polarity: "lower"
  rate_basis: null
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: false
  target: null
  has_trend_chart: true

- code: 20
  area: child_protection
  model: int_child_protection__plans_at_month_end
  extract: cp_plans
  counts: children
  period: period_end
  record_id: current_cpp_id
  person_id: person_id
  numerator: "is_open_two_years_or_more"
  denominator: "true"
  timing:
    - {start: "current_plan_start_date", end: "period_end", unit: "months", limit: "cp_plan_long_months"}
  is_percentage: true
  polarity: "lower"
  rate_basis: null
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: false
  target: 2.3
  has_trend_chart: true

- code: 21
  area: child_protection
  model: int_child_protection__cp_visit_timeliness
  extract: cp_visits
  counts: records
  period: period_end
  record_id: visit_id
  numerator: "is_within_timescale"
  denominator: "true"
  timing:
    - {start: "timed_from_date", end: "visit_date", taken: "working_days_since_previous", unit: "working days", limit: "cp_visit_working_days"}
  is_percentage: true
  polarity: "higher"
  rate_basis: null
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: false
  target: 100
  has_trend_chart: true

- code: 22
  area: child_protection
  model: int_child_protection__icpc_timeliness
  extract: cp_conferences
  counts: records
  period: period_end
  record_id: conference_id
  numerator: "true"
  timing:
    - {start: "sd_date", end: "conference_date", taken: "working_days_from_sd", unit: "working days"}
  is_percentage: false
  polarity: "none"
  rate_basis: null
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: false
  target: null
  has_trend_chart: true

- code: 23
  area: child_protection
  model: int_child_protection__icpc_timeliness
  extract: cp_conferences
  counts: records
  period: period_end
  record_id: conference_id
  numerator: "is_within_timescale"
  denominator: "true"
  timing:
    - {start: "sd_date", end: "conference_date", taken: "working_days_from_sd", unit: "working days", limit: "icpc_working_days"}
  breakdowns:
    - {dimension: "outcome", model: "int_child_protection__icpc_timeliness", period: "period_end", category: "outcome_code"}
  is_percentage: true
  polarity: "higher"
  rate_basis: null
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: false
  target: 100
  has_trend_chart: true

- code: 24
  area: child_protection
  model: int_child_protection__rcpc_chains
  extract: cp_conferences
  counts: records
  period: period_end
  record_id: conference_id
  numerator: "true"
  timing:
    - {when: "review_number = 1", start: "plan_icpc_date", end: "conference_date", taken: "days_since_previous", unit: "days"}
    - {when: "review_number > 1", start: "previous_review_date", end: "conference_date", taken: "days_since_previous", unit: "days"}
  is_percentage: false
  polarity: "none"
  rate_basis: null
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: false
  target: null
  has_trend_chart: true

- code: 25
  area: child_protection
  model: int_child_protection__rcpc_chains
  extract: cp_conferences
  counts: records
  period: period_end
  record_id: conference_id
  numerator: "is_within_timescale"
  denominator: "true"
  timing:
    - {when: "review_number = 1", start: "plan_icpc_date", end: "conference_date", taken: "days_since_previous", unit: "days", limit: "rcpc_first_days"}
    - {when: "review_number > 1", start: "previous_review_date", end: "conference_date", taken: "days_since_previous", unit: "days", limit: "rcpc_later_days"}
  breakdowns:
    - {dimension: "outcome", model: "int_child_protection__rcpc_chains", period: "period_end", category: "outcome_code"}
  is_percentage: true
  polarity: "higher"
  rate_basis: null
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: false
  target: 100
  has_trend_chart: true

- code: 26
  area: looked_after
  model: int_looked_after__children_at_month_end
  extract: lac_episodes
  counts: children
  period: period_end
  record_id: person_id
  person_id: person_id
  numerator: "true"
  is_percentage: false
  polarity: "none"
  rate_basis: "snapshot"
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: false
  target: null
  has_trend_chart: true

- code: 27
  area: looked_after
  model: int_looked_after__lac_visit_timeliness
  extract: lac_visits
  counts: records
  period: period_end
  record_id: visit_id
  numerator: "is_within_timescale"
  denominator: "true"
  timing:
    - {start: "timed_from_date", end: "visit_date", taken: "days_since_previous", unit: "days", limit: "lac_visit_days"}
  is_percentage: true
  polarity: "higher"
  rate_basis: "month"
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: false
  target: 100
  has_trend_chart: true

- code: 28
  area: looked_after
  model: int_looked_after__lac_review_timeliness
  extract: lac_reviews
  counts: records
  period: period_end
  record_id: review_id
  numerator: "true"
  timing:
    - {when: "review_number = 1 and is_under_earlier_regulations", start: "period_start_date", end: "review_date", taken: "days_since_period_start", unit: "days"}
    - {when: "review_number = 1", start: "period_start_date", end: "review_date", taken: "working_days_since_period_start", unit: "working days"}
    - {when: "review_number = 2", start: "previous_review_date", end: "review_date", unit: "months"}
    - {when: "review_number > 2", start: "previous_review_date", end: "review_date", unit: "months"}
  is_percentage: false
  polarity: "none"
  rate_basis: "ytd"
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: false
  target: null
  has_trend_chart: true

- code: 29
  area: looked_after
  model: int_looked_after__lac_review_timeliness
  extract: lac_reviews
  counts: records
  period: period_end
  record_id: review_id
  numerator: "is_within_timescale"
  denominator: "true"
  timing:
    - {when: "review_number = 1 and is_under_earlier_regulations", start: "period_start_date", end: "review_date", taken: "days_since_period_start", unit: "days", limit: "lac_review_first_earlier_days"}
    - {when: "review_number = 1", start: "period_start_date", end: "review_date", taken: "working_days_since_period_start", unit: "working days", limit: "lac_review_first_working_days"}
    - {when: "review_number = 2", start: "previous_review_date", end: "review_date", unit: "months", limit: "lac_review_second_months"}
    - {when: "review_number > 2", start: "previous_review_date", end: "review_date", unit: "months", limit: "lac_review_later_months"}
  is_percentage: true
  polarity: "higher"
  rate_basis: "ytd"
  rate_population: "population_0_17"
  rate_population_fixed: null
  previous_rule: "years"
  previous_shows_rate: false
  target: 100
  has_trend_chart: true
{%- endset -%}
{{ return(fromyaml(registry_yaml)) }}
{%- endmacro %}


{#- The indicators of one area (records) or all of them (area none). -#}
{% macro indicators_of_area(area=none) -%}
{%- set found = [] -%}
{%- for indicator in indicator_registry() -%}
    {%- if area is none or indicator.area == area -%}{%- do found.append(indicator) -%}{%- endif -%}
{%- endfor -%}
{{ return(found) }}
{%- endmacro %}


{#- The value of a timescale setting, by its name: the var of that name
    (defaults in dbt_project.yml vars, set from cscperf.toml [timescales]),
    the same the rule in the area model reads, so that the limit shown beside
    a record is the one its rule used. -#}
{% macro timescale_limit(setting) -%}
{%- if setting == 'contact_screening_working_days' -%}
    {#- code 6: not a setting but the same-working-day rule (0, or 1 when
        received on a non-working day), macros/timescales.sql -#}
    {{ screening_allowed_working_days('is_received_on_working_day') }}
{%- elif var.has_var(setting) -%}
    {{ var(setting) }}
{%- else -%}
    {{ exceptions.raise_compiler_error("timescale_limit: " ~ setting ~ " is not a timescale setting (dbt_project.yml vars, cscperf.toml [timescales])") }}
{%- endif -%}
{%- endmacro %}


{#- A registry flag as a boolean column: never null; no flag = false. -#}
{% macro indicator_flag(expression) -%}
{%- if expression is none -%} false
{%- elif expression | trim == 'true' -%} true
{%- else -%} coalesce({{ expression }}, false)
{%- endif -%}
{%- endmacro %}


{#- The SQL of a timing column (start, end, taken, unit or limit) over the
    cases of an indicator's timing: null when it has none. -#}
{% macro indicator_timing_column(timing, key) -%}
{%- set parts = [] -%}
{%- for case in timing if case.get(key) is not none -%}
    {%- if key == 'limit' -%}{%- set value = timescale_limit(case.limit) | trim -%}
    {%- elif key == 'unit' -%}{%- set value = "'" ~ case.unit ~ "'" -%}
    {%- else -%}{%- set value = case.get(key) -%}{%- endif -%}
    {%- do parts.append((case.get('when'), value)) -%}
{%- endfor -%}
{%- if parts | length == 0 -%} null
{%- elif parts | length == 1 and parts[0][0] is none -%} {{ parts[0][1] }}
{%- else -%} case{% for when, value in parts %} when {{ when if when is not none else 'true' }} then {{ value }}{% endfor %} end
{%- endif -%}
{%- endmacro %}


{#- The records of one area's indicators: one row per indicator, month end
    and counted record (see int_indicators__records). -#}
{% macro indicator_records(area) -%}
{%- for indicator in indicators_of_area(area) %}
{% if not loop.first %}union all
{% endif -%}
-- indicator {{ indicator.code }} ({{ indicator.model }})
select
    {{ indicator.code }} as indicator_code,
    {{ indicator.period }} as period_end,
    cast({{ indicator.record_id }} as varchar) as record_id,
    '{{ indicator.extract }}' as extract,
    {{ 'cast(' ~ indicator.person_id ~ ' as varchar)' if indicator.counts == 'children' else 'cast(null as varchar)' }} as person_id,
    {{ indicator_flag(indicator.numerator) }} as in_numerator,
    {{ indicator_flag(indicator.get('denominator')) }} as in_denominator,
    cast({{ indicator_timing_column(indicator.timing, 'start') }} as date) as start_date,
    cast({{ indicator_timing_column(indicator.timing, 'end') }} as date) as end_date,
    cast({{ indicator_timing_column(indicator.timing, 'taken') }} as integer) as time_taken,
    cast({{ indicator_timing_column(indicator.timing, 'limit') }} as integer) as time_limit,
    cast({{ indicator_timing_column(indicator.timing, 'unit') }} as varchar) as time_unit
from {{ ref(indicator.model) }}
{%- if indicator.where %}
where {{ indicator.where }}
{%- endif %}
{%- endfor %}
{%- endmacro %}


{#- The chart breakdowns of some areas' indicators, as counted: one row per
    indicator, month end, dimension and category found. -#}
{% macro indicator_breakdown_counts(areas) -%}
{%- set branches = [] -%}
{%- for indicator in indicator_registry() if indicator.area in areas -%}
    {%- for breakdown in indicator.get('breakdowns', []) -%}
        {%- do branches.append((indicator.code, breakdown)) -%}
    {%- endfor -%}
{%- endfor -%}
{%- for code, breakdown in branches %}
{% if not loop.first %}union all
{% endif -%}
select
    {{ code }} as indicator_code,
    {{ breakdown.period }} as period_end,
    '{{ breakdown.dimension }}' as dimension,
    cast({{ breakdown.category }} as varchar) as category,
    cast(count(*) as bigint) as count
from {{ ref(breakdown.model) }}
{%- if breakdown.where %}
where {{ breakdown.where }}
{%- endif %}
group by all
{%- endfor %}
{%- endmacro %}


{#- A registry entry's value for a column of reference.indicator_catalogue, as
    a typed SQL literal: record_model is the entry's model, timescales the
    settings its timing names (comma-separated), anything else the key of the
    column's name; null where the entry has none. -#}
{% macro catalogue_value(indicator, name, type) -%}
{%- if name == 'indicator_code' -%}{%- set value = indicator.code -%}
{%- elif name == 'record_model' -%}{%- set value = indicator.model -%}
{%- elif name == 'timescales' -%}
    {%- set settings = [] -%}
    {%- for case in indicator.get('timing', []) if case.get('limit') -%}
        {%- do settings.append(case.limit) -%}
    {%- endfor -%}
    {%- set value = settings | join(', ') if settings else none -%}
{%- else -%}{%- set value = indicator.get(name) -%}
{%- endif -%}
{%- if value is none -%} cast(null as {{ type }})
{%- elif value is boolean -%} {{ value | string | lower }}
{%- elif type == 'varchar' -%} '{{ value | string | replace("'", "''") }}'
{%- else -%} cast({{ value }} as {{ type }})
{%- endif -%}
{%- endmacro %}


{#- The select list of an entry's row of reference.indicator_catalogue:
    `value as column, ...` over (column, type) pairs. -#}
{% macro catalogue_row(indicator, columns) -%}
{%- set items = [] -%}
{%- for name, type in columns -%}
    {%- do items.append(catalogue_value(indicator, name, type) | trim ~ ' as ' ~ name) -%}
{%- endfor -%}
{{ items | join(', ') }}
{%- endmacro %}
