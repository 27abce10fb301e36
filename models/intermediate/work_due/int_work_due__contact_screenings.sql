-- Open work: contacts received on or before the run's date D and not yet
-- screened as at D (code 6). Due on the day of receipt, or on the next
-- working day for a contact received on a non-working day: the allowance of
-- code 6 (macro screening_allowed_working_days), as a due date found by an
-- equality join on working_day_index. Contacts carry no team.

with

contacts as (

    select * from {{ ref('stg_frameworki__contacts') }}
    where screened_date is null

),

calendar as (

    select
        calendar_date,
        is_working_day,
        working_day_index
    from {{ ref('int_calendar__days') }}

),

final as (

    select
        'contacts' as area,
        'contact_screening' as item_kind,
        contacts.contact_id as record_id,
        contacts.person_id,
        cast(null as varchar) as team,
        'contact received' as timed_from_event,
        contacts.received_date as timed_from_date,
        {{ screening_allowed_working_days('received_day.is_working_day') }} as limit_value,
        'working days' as limit_unit,
        due_day.calendar_date as due_date

    from contacts
    inner join calendar as received_day
        on contacts.received_date = received_day.calendar_date
    inner join calendar as due_day
        on
            due_day.working_day_index = received_day.working_day_index
            + {{ screening_allowed_working_days('received_day.is_working_day') }}
            and due_day.is_working_day

)

select * from final
