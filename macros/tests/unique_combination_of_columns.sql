{#- The combination of columns is unique (the primary key of a long table).
    Null values take part as values (two rows with the same nulls collide). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

select
    {{ combination_of_columns | join(', ') }},
    count(*) as n_records
from {{ model }}
group by all
having count(*) > 1

{% endtest %}
