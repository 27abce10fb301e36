{#- Working days between two dates, per the spec: the number of working days d
    with start < d <= end (negative when end < start).

    Both dates must have been joined to int_calendar__days on equality; pass
    the two aliases. The count is then a subtraction of the cumulative
    working-day indices, e.g.

        left join {{ ref('int_calendar__days') }} as start_day
            on start_day.calendar_date = referrals.referral_date
        left join {{ ref('int_calendar__days') }} as end_day
            on end_day.calendar_date = assessments.authorised_date
        ...
        {{ working_days_between('start_day', 'end_day') }} as working_days_to_authorise
-#}
{% macro working_days_between(start_day, end_day) -%}
    ({{ end_day }}.working_day_index - {{ start_day }}.working_day_index)
{%- endmacro %}
