{#- column_name <= other_column on every row where both are present
    (e.g. a numerator never exceeds its denominator). -#}
{% test not_greater_than(model, column_name, other_column) %}

select *
from {{ model }}
where {{ column_name }} > {{ other_column }}

{% endtest %}
