-- Open work with deadlines as at the run's date D: one row per open item
-- (models/intermediate/work_due/), with the working days (and, for calendar
-- limits, the days) left until its due date, negative when overdue, and its
-- status: overdue (due before D), due_today, due_soon (due within
-- var('due_soon_working_days') working days after D), later.

with

items as (

    select * from {{ ref('int_work_due__referral_and_assessment_items') }}
    union all
    select * from {{ ref('int_work_due__child_protection_items') }}
    union all
    select * from {{ ref('int_work_due__looked_after_items') }}

),

calendar as (

    select
        calendar_date,
        working_day_index
    from {{ ref('int_calendar__days') }}

),

counted as (

    select
        {{ as_at_date() }} as as_at_date,
        items.*,
        {{ working_days_between('as_at_day', 'due_day') }} as working_days_left,
        case when items.limit_unit = 'working days' then 'working days' else 'days' end
            as days_left_unit,
        case
            when items.limit_unit = 'working days'
                then {{ working_days_between('as_at_day', 'due_day') }}
            else cast(items.due_date - {{ as_at_date() }} as integer)
        end as days_left

    from items
    inner join calendar as due_day
        on items.due_date = due_day.calendar_date
    inner join calendar as as_at_day
        on as_at_day.calendar_date = {{ as_at_date() }}

),

final as (

    select
        as_at_date,
        area,
        item_kind,
        record_id,
        person_id,
        team,
        timed_from_event,
        timed_from_date,
        limit_value,
        limit_unit,
        due_date,
        working_days_left,
        days_left,
        days_left_unit,
        case
            when due_date < as_at_date then 'overdue'
            when due_date = as_at_date then 'due_today'
            when working_days_left <= {{ var('due_soon_working_days') }} then 'due_soon'
            else 'later'
        end as status

    from counted

)

select * from final
