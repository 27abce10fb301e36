-- One row per contact known as at the run's date, with whether it was
-- screened by a qualified practitioner on the same working day (code 6) and
-- whether it progressed to a referral (codes 5, 7).
--
-- Same working day: working days between the received date and the screened
-- date (times ignored) is 0 for a contact received on a working day; one
-- received on a non-working day counts as received on the next working day,
-- so 0 or 1 is allowed. Negative (screened before received), a null screened
-- date or SCREENED_BY_QUALIFIED not Y: not screened.

with

contacts as (

    select * from {{ ref('stg_frameworki__contacts') }}

),

calendar as (

    select
        calendar_date,
        is_working_day,
        working_day_index
    from {{ ref('int_calendar__days') }}

),

timed as (

    select
        contacts.contact_id,
        contacts.person_id,
        contacts.source_code,
        contacts.received_date,
        last_day(contacts.received_date) as period_end,
        contacts.screened_date,
        coalesce(contacts.is_screened_by_qualified, false) as is_screened_by_qualified,
        contacts.outcome_code,
        coalesce(contacts.outcome_code = 'REFERRAL', false) as is_progressed_to_referral,
        received_day.is_working_day as is_received_on_working_day,
        {{ working_days_between('received_day', 'screened_day') }} as working_days_to_screen

    from contacts
    left join calendar as received_day
        on contacts.received_date = received_day.calendar_date
    left join calendar as screened_day
        on contacts.screened_date = screened_day.calendar_date

),

final as (

    select
        *,
        coalesce(
            is_screened_by_qualified
            and working_days_to_screen >= 0
            and working_days_to_screen
            <= {{ screening_allowed_working_days('is_received_on_working_day') }},
            false
        ) as is_screened_same_working_day
    from timed

)

select * from final
