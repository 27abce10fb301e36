{#- The run's as-at date: only what was known on this day counts. -#}
{% macro as_at_date() -%}
    cast('{{ var("as_at") }}' as date)
{%- endmacro %}

{#- A later date (end, closure, authorisation...) as known on the as-at date:
    null when it falls after the as-at date. -#}
{% macro known_as_at(date_expression) -%}
    case when {{ date_expression }} <= {{ as_at_date() }} then {{ date_expression }} end
{%- endmacro %}
