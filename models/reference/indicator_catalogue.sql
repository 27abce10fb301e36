-- One row per indicator (codes 1-29): how it is computed and judged, generated
-- from the indicator registry (macros/indicators/registry.sql), and what the
-- report prints about it, from the seed indicator_wording. Plus where its
-- records come from (area, record_model, extract, counts, timescales).

{{ config(schema='reference', materialized='table') }}

{%- set columns = [
    ('indicator_code', 'integer'), ('polarity', 'varchar'),
    ('is_percentage', 'boolean'), ('rate_basis', 'varchar'), ('rate_population', 'varchar'),
    ('rate_population_fixed', 'integer'), ('previous_rule', 'varchar'),
    ('previous_shows_rate', 'boolean'), ('target', 'double'),
    ('has_trend_chart', 'boolean'), ('area', 'varchar'), ('record_model', 'varchar'),
    ('extract', 'varchar'), ('counts', 'varchar'), ('timescales', 'varchar'),
] %}

with

registry as (
    {% for indicator in indicator_registry() %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select {{ catalogue_row(indicator, columns) }}
    {%- endfor %}

),

wording as (

    select * from {{ ref('indicator_wording') }}

),

final as (

    select
        registry.indicator_code,
        wording.indicator_name,
        wording.short_name,
        wording.responsible_officer,
        wording.full_description,
        wording.indicator_guide,
        wording.measure,
        registry.polarity,
        registry.is_percentage,
        registry.rate_basis,
        registry.rate_population,
        registry.rate_population_fixed,
        registry.previous_rule,
        registry.previous_shows_rate,
        registry.target,
        wording.measure_period,
        registry.has_trend_chart,
        registry.area,
        registry.record_model,
        registry.extract,
        registry.counts,
        registry.timescales

    from registry
    inner join wording
        on registry.indicator_code = wording.indicator_code

)

select * from final
