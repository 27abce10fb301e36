-- The date dimension for analysts: one row per day of the configured calendar,
-- with working days and the cumulative working-day index (working days
-- between S and E = index(E) - index(S)).

with

calendar as (

    select * from {{ ref('int_calendar__days') }}

),

final as (

    select
        calendar_date,
        year,
        month,
        month_start,
        month_end,
        day_of_week,
        is_weekend,
        bank_holiday_name,
        is_local_closure,
        is_working_day,
        working_day_index
    from calendar

)

select * from final
