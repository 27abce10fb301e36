-- Open LAC visits and reviews: one row per item, as each area model gives it.

with

items as (

    select * from {{ ref('int_work_due__lac_visits') }}
    union all
    select * from {{ ref('int_work_due__lac_reviews') }}

)

select * from items
