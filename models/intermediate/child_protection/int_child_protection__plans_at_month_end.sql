-- One row per reported month end and child on a child protection plan at that
-- month end (codes 18-20): the child's current plan (the open plan that
-- started last; ties: the greater CPP_ID), whether it is their second or
-- later plan (any plan of the child known as at the run's date started
-- strictly before it) and whether it has been open two years or more (started
-- on or before ME - 24 months, clamped to the month end).
-- Open at ME: START_DATE <= ME and (END_DATE null or END_DATE > ME).

with

plans as (

    select * from {{ ref('stg_frameworki__cp_plans') }}

),

months as (

    select period_end from {{ ref('int_reporting_months') }}

),

first_plan_starts as (

    select
        person_id,
        min(start_date) as first_plan_start_date
    from plans
    group by person_id

),

open_plans as (

    select
        months.period_end,
        plans.person_id,
        plans.cpp_id,
        plans.start_date,
        plans.category_code,
        row_number() over (
            partition by months.period_end, plans.person_id
            order by plans.start_date desc, plans.cpp_id desc
        ) as plan_rank,
        count(*) over (partition by months.period_end, plans.person_id) as open_plan_count

    from months
    inner join plans
        on
            months.period_end >= plans.start_date
            and (plans.end_date is null or months.period_end < plans.end_date)

),

final as (

    select
        open_plans.period_end,
        open_plans.person_id,
        open_plans.cpp_id as current_cpp_id,
        open_plans.start_date as current_plan_start_date,
        open_plans.category_code,
        open_plans.open_plan_count,
        first_plan_starts.first_plan_start_date < open_plans.start_date as is_second_or_later_plan,
        open_plans.start_date
        <= {{ add_months('open_plans.period_end', '-' ~ cp_plan_long_limit_months()) }}
            as is_open_two_years_or_more

    from open_plans
    inner join first_plan_starts
        on open_plans.person_id = first_plan_starts.person_id
    where open_plans.plan_rank = 1

)

select * from final
