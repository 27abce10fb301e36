{#- The run's as-at date: only what was known on this day counts.

    cscperf keeps dbt's --vars the same from run to run (so that dbt can parse
    partially): it writes the as-at date into the database it builds as the
    DuckDB macro main.cscperf_as_at() before `dbt build`, and the models call
    that macro. A --vars as_at (an analyst's by-hand run, a unit test's
    override) wins: the date is then written into the SQL. -#}
{% macro as_at_date() -%}
    {%- if var('as_at', none) is not none -%}
        cast('{{ var("as_at") }}' as date)
    {%- else -%}
        main.cscperf_as_at()
    {%- endif -%}
{%- endmacro %}

{#- on-run-start: make sure main.cscperf_as_at() exists. With a --vars as_at
    it is (re)defined as that date; without, a database cscperf built keeps
    the date of its run, and a new database gets the demo's date. -#}
{% macro define_as_at() -%}
    {%- if var('as_at', none) is not none -%}
        create or replace macro main.cscperf_as_at() as cast('{{ var("as_at") }}' as date)
    {%- else -%}
        create macro if not exists main.cscperf_as_at() as date '{{ default_as_at() }}'
    {%- endif -%}
{%- endmacro %}

{#- The as-at date of a by-hand run on a new database: the demo's. -#}
{% macro default_as_at() -%}
    2015-10-31
{%- endmacro %}

{#- A later date (end, closure, authorisation...) as known on the as-at date:
    null when it falls after the as-at date. -#}
{% macro known_as_at(date_expression) -%}
    case when {{ date_expression }} <= {{ as_at_date() }} then {{ date_expression }} end
{%- endmacro %}
