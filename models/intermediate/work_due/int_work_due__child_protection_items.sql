-- Open ICPCs, RCPCs and CP visits: one row per item, as each area model gives it.

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
    from {{ ref('int_work_due__icpcs') }}
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
    from {{ ref('int_work_due__rcpcs') }}
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
    from {{ ref('int_work_due__cp_visits') }}

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
