{#- True when a contact's screening happened on or before the as-at date. -#}
{% macro screened_by_as_at() -%}
    cast(screened_datetime as date) <= {{ as_at_date() }}
{%- endmacro %}
