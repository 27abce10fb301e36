{#- A percentage is null exactly when its denominator is 0 (or null): never
    0% for an empty month, never null with something to divide by.
    `where` narrows the rows checked (e.g. to percentage indicators). -#}
{% test null_exactly_when_zero_denominator(model, column_name, denominator) %}

select *
from {{ model }}
where ({{ column_name }} is null) <> (coalesce({{ denominator }}, 0) = 0)

{% endtest %}
