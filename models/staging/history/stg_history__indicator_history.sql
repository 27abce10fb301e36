-- The figures earlier reports showed: the committed entries of the history
-- store (cscperf/history.py), which the pipeline writes into the build file
-- as source history.indicator_history before dbt builds. Empty when the build
-- holds no history (a build outside a run, e.g. the tests or the benchmark).

{%- set history = source('history', 'indicator_history') -%}
{%- set found = load_relation(history) if execute else none %}

{% if found is not none -%}

select
    cast(indicator_code as integer) as indicator_code,
    cast(period_end as date) as period_end,
    cast(value as double) as value,
    cast(numerator as bigint) as numerator,
    cast(denominator as bigint) as denominator,
    cast(rate_per_10k as double) as rate_per_10k,
    cast(run_id as varchar) as run_id,
    cast(as_at as date) as as_at,
    cast(kind as varchar) as kind,
    cast(recorded_at as timestamptz) as recorded_at
from {{ history }}

{%- else -%}

select
    cast(null as integer) as indicator_code,
    cast(null as date) as period_end,
    cast(null as double) as value,
    cast(null as bigint) as numerator,
    cast(null as bigint) as denominator,
    cast(null as double) as rate_per_10k,
    cast(null as varchar) as run_id,
    cast(null as date) as as_at,
    cast(null as varchar) as kind,
    cast(null as timestamptz) as recorded_at
where false

{%- endif %}
