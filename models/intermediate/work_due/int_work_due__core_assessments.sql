-- Open work: core assessments started on or before the run's date D and not
-- authorised as at D (code 12). Due ca_limit_working_days() working days
-- after START_DATE (a working day, by an equality join on working_day_index).

with

assessments as (

    select * from {{ ref('stg_frameworki__assessments') }}
    where
        assessment_type = 'CA'
        and authorised_date is null

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
        'assessments' as area,
        'core_assessment' as item_kind,
        assessments.assessment_id as record_id,
        assessments.person_id,
        assessments.team,
        'assessment start' as timed_from_event,
        assessments.start_date as timed_from_date,
        {{ ca_limit_working_days() }} as limit_value,
        'working days' as limit_unit,
        due_day.calendar_date as due_date

    from assessments
    inner join calendar as from_day
        on assessments.start_date = from_day.calendar_date
    inner join calendar as due_day
        on
            due_day.working_day_index = from_day.working_day_index + {{ ca_limit_working_days() }}
            and due_day.is_working_day

)

select * from final
