-- One row per indicator (codes 1-29), generated from the indicator registry
-- (macros/indicators/registry.sql): what the report prints about it and how
-- it is computed and judged. Same columns as the seed it replaces, plus where
-- its records come from (area, record_model, extract, counts, timescales).

{{ config(schema='reference', materialized='table') }}

{%- set columns = [
    ('indicator_code', 'integer'), ('indicator_name', 'varchar'), ('short_name', 'varchar'),
    ('responsible_officer', 'varchar'), ('full_description', 'varchar'),
    ('indicator_guide', 'varchar'), ('measure', 'varchar'), ('polarity', 'varchar'),
    ('is_percentage', 'boolean'), ('rate_basis', 'varchar'), ('rate_population', 'varchar'),
    ('rate_population_fixed', 'integer'), ('previous_rule', 'varchar'),
    ('previous_shows_rate', 'boolean'), ('target', 'double'), ('measure_period', 'varchar'),
    ('has_trend_chart', 'boolean'), ('area', 'varchar'), ('record_model', 'varchar'),
    ('extract', 'varchar'), ('counts', 'varchar'), ('timescales', 'varchar'),
] %}

with

registry as (

{%- for indicator in indicator_registry() %}
    {% if not loop.first %}union all {% endif -%}
    select
    {%- for name, type in columns %}
        {%- if name == 'indicator_code' %}{% set value = indicator.code %}
        {%- elif name == 'record_model' %}{% set value = indicator.model %}
        {%- elif name == 'timescales' %}
            {%- set settings = [] %}
            {%- for case in indicator.get('timing', []) if case.get('limit') %}{% do settings.append(case.limit) %}{% endfor %}
            {%- set value = settings | join(', ') if settings else none %}
        {%- else %}{% set value = indicator.get(name) %}{% endif %}
        cast({{ 'null' if value is none else (value | string | lower if value is boolean else ("'" ~ (value | string | replace("'", "''")) ~ "'" if type == 'varchar' else value)) }} as {{ type }}) as {{ name }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endfor %}

)

select * from registry
