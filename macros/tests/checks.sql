{#- Many checks of one model in one query: one dbt node where there would be
    one per column and check (dbt's time goes into nodes, not into queries).

    columns: a column -> the checks its `data_tests` would list: a test name
      (unique, not_null) or {test name: {its arguments}}; `where` among the
      arguments narrows the rows that check reads, as dbt's `where` config.
      dbt's generic tests (unique, not_null, accepted_values, relationships)
      and the project's (macros/tests/) work; cscperf_check_query names them.
    combinations: lists of columns that are unique together
      (unique_combination_of_columns).

    Each check runs the SQL its own test would run. The query returns one row
    per failing check: `failed_check` names it, e.g. "not_null(person_id)" or
    "value_between(value; where is_percentage)", and `failing_rows` counts
    what that test would have counted; dbt fails (or warns) on their sum.
    dbt_runner lists the failed checks by name when such a test fails. -#}
{% test checks(model, columns={}, combinations=[]) %}
{{ config(fail_calc='coalesce(sum(failing_rows), 0)') }}
{%- set queries = [] -%}
{%- for column_name, column_checks in columns.items() -%}
    {%- for check in column_checks -%}
        {%- if check is string -%}
            {%- set test_name, arguments = check, {} -%}
        {%- else -%}
            {%- set test_name = (check.keys() | list)[0] -%}
            {%- set arguments = dict(check[test_name] or {}) -%}
        {%- endif -%}
        {%- set where = arguments.pop('where', none) -%}
        {%- set label = test_name ~ '(' ~ column_name ~ ('; where ' ~ where if where else '') ~ ')' -%}
        {%- do queries.append(cscperf_check_query(label, test_name, model, where,
                                                   dict(arguments, column_name=column_name))) -%}
    {%- endfor -%}
{%- endfor -%}
{%- for combination in combinations -%}
    {%- set label = 'unique_combination_of_columns(' ~ (combination | join(', ')) ~ ')' -%}
    {%- do queries.append(cscperf_check_query(label, 'unique_combination_of_columns', model, none,
                                               {'combination_of_columns': combination})) -%}
{%- endfor -%}
{%- if queries -%}
{{ queries | join('\nunion all\n') }}
{%- else -%}
select cast(null as varchar) as failed_check, 0 as failing_rows where false
{%- endif -%}
{% endtest %}


{#- One check of `checks`: the rows its generic test returns, counted. Each
    test is named here as written: dbt gives a test only the macros it finds
    called in its SQL, so a test cannot be looked up by a name in a variable. -#}
{% macro cscperf_check_query(label, test_name, model, where, arguments) -%}
    {%- set relation = '(select * from ' ~ model ~ ' where ' ~ where ~ ') as checked' if where else model -%}
    {%- if test_name == 'unique' -%}
        {%- set sql = adapter.dispatch('test_unique', 'dbt')(model=relation, **arguments) -%}
    {%- elif test_name == 'not_null' -%}
        {%- set sql = adapter.dispatch('test_not_null', 'dbt')(model=relation, **arguments) -%}
    {%- elif test_name == 'accepted_values' -%}
        {%- set sql = adapter.dispatch('test_accepted_values', 'dbt')(model=relation, **arguments) -%}
    {%- elif test_name == 'relationships' -%}
        {%- set sql = adapter.dispatch('test_relationships', 'dbt')(model=relation, **arguments) -%}
    {%- elif test_name == 'value_between' -%}
        {%- set sql = test_value_between(model=relation, **arguments) -%}
    {%- elif test_name == 'not_greater_than' -%}
        {%- set sql = test_not_greater_than(model=relation, **arguments) -%}
    {%- elif test_name == 'null_exactly_when_zero_denominator' -%}
        {%- set sql = test_null_exactly_when_zero_denominator(model=relation, **arguments) -%}
    {%- elif test_name == 'unique_combination_of_columns' -%}
        {%- set sql = test_unique_combination_of_columns(model=relation, **arguments) -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error("checks: unknown test " ~ test_name ~ " (add it to macro cscperf_check_query)") }}
    {%- endif -%}
select '{{ label | replace("'", "''") }}' as failed_check, count(*) as failing_rows
from (
{{ sql }}
) as failures
having count(*) > 0
{%- endmacro %}
