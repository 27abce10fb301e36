{#- A month end as the report labels it: 'Oct-15'. -#}
{% macro month_label(date_expression) -%}
    strftime({{ date_expression }}, '%b-%y')
{%- endmacro %}
