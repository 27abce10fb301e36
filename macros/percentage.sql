{#- numerator / denominator x 100; null (never an error, never 0%) when the
    denominator is 0 or null. -#}
{% macro percentage(numerator, denominator) -%}
    case
        when coalesce({{ denominator }}, 0) <> 0
            then 100.0 * ({{ numerator }}) / ({{ denominator }})
    end
{%- endmacro %}
