-- Open contact screenings, initial and core assessments: one row per item, as each area model gives it (the work-due mart reads three such unions, not eight models).

with

items as (

    select * from {{ ref('int_work_due__contact_screenings') }}
    union all
    select * from {{ ref('int_work_due__initial_assessments') }}
    union all
    select * from {{ ref('int_work_due__core_assessments') }}

)

select * from items
