-- Open LAC visits and reviews: one row per item, as each area model gives it.

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
    from {{ ref('int_work_due__lac_visits') }}
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
    from {{ ref('int_work_due__lac_reviews') }}

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
