-- Open ICPCs, RCPCs and CP visits: one row per item, as each area model gives it.

with

items as (

    select * from {{ ref('int_work_due__icpcs') }}
    union all
    select * from {{ ref('int_work_due__rcpcs') }}
    union all
    select * from {{ ref('int_work_due__cp_visits') }}

)

select * from items
