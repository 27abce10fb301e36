-- Open contact screenings, initial and core assessments: one row per item, as
-- each area model gives it (the work-due mart reads three such unions, not
-- eight models).

with

items as (

    select
        area,
        item_kind,
        record_id,
        person_id,
        team,
        timed_from_event,
        timed_from_date,
        limit_value,
        limit_unit,
        due_date
    from {{ ref('int_work_due__contact_screenings') }}
    union all
    select
        area,
        item_kind,
        record_id,
        person_id,
        team,
        timed_from_event,
        timed_from_date,
        limit_value,
        limit_unit,
        due_date
    from {{ ref('int_work_due__initial_assessments') }}
    union all
    select
        area,
        item_kind,
        record_id,
        person_id,
        team,
        timed_from_event,
        timed_from_date,
        limit_value,
        limit_unit,
        due_date
    from {{ ref('int_work_due__core_assessments') }}

)

select
    area,
    item_kind,
    record_id,
    person_id,
    team,
    timed_from_event,
    timed_from_date,
    limit_value,
    limit_unit,
    due_date
from items
