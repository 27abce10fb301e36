{#- A date plus n calendar months (negative n goes back), keeping the day
    number or, where that day does not exist, taking the month's last day:
    DuckDB's date + interval clamps that way (2015-01-31 + 1 month =
    2015-02-28; 2016-02-29 - 12 months = 2015-02-28). -#}
{% macro add_months(date_expression, months) -%}
    cast(({{ date_expression }}) + to_months({{ months }}) as date)
{%- endmacro %}
