-- The date dimension: one row per day, with whether it is a working day and
-- the cumulative working-day index that makes every working-day count a
-- subtraction (see macro working_days_between).

with

bank_holidays as (

    select
        holiday_date,
        holiday_name
    from {{ ref('bank_holidays') }}

),

local_closures as (

    select
        closure_date,
        description
    from {{ ref('local_closure_days') }}

),

date_spine as (

    select cast(spine.range as date) as calendar_date
    from range(
        cast('{{ var("calendar_start") }}' as date),
        cast('{{ var("calendar_end") }}' as date) + interval 1 day,
        interval 1 day
    ) as spine

),

classified as (

    select
        date_spine.calendar_date,
        year(date_spine.calendar_date) as year,
        month(date_spine.calendar_date) as month,
        cast(date_trunc('month', date_spine.calendar_date) as date) as month_start,
        last_day(date_spine.calendar_date) as month_end,
        isodow(date_spine.calendar_date) as day_of_week,
        isodow(date_spine.calendar_date) in (6, 7) as is_weekend,
        bank_holidays.holiday_name as bank_holiday_name,
        local_closures.closure_date is not null as is_local_closure

    from date_spine
    left join bank_holidays
        on date_spine.calendar_date = bank_holidays.holiday_date
    left join local_closures
        on date_spine.calendar_date = local_closures.closure_date

),

final as (

    select
        *,
        not is_weekend and bank_holiday_name is null and not is_local_closure
            as is_working_day,
        cast(
            sum(
                case
                    when not is_weekend and bank_holiday_name is null and not is_local_closure
                        then 1
                    else 0
                end
            ) over (order by calendar_date rows between unbounded preceding and current row)
            as integer
        ) as working_day_index

    from classified

)

select * from final
