-- Open work: the next review child protection conference of every plan open
-- at the run's date D (START_DATE <= D and no END_DATE as at D), code 25.
-- The plan's reviews are those int_child_protection__rcpc_chains resolves to
-- it. With none yet, the first is due rcpc_first_limit_days() calendar days
-- after the plan's ICPC (the plan child's latest ICPC on or before the plan's
-- START_DATE, as in that model); otherwise rcpc_later_limit_days() days after
-- the latest review. A plan with no such ICPC (a transfer in) is left out:
-- its first review can never be within timescale.

with

plans as (

    select * from {{ ref('stg_frameworki__cp_plans') }}
    where
        start_date <= {{ as_at_date() }}
        and (end_date is null or end_date > {{ as_at_date() }})

),

icpcs as (

    select
        person_id,
        conference_date
    from {{ ref('stg_frameworki__cp_conferences') }}
    where conference_type = 'ICPC'

),

plan_icpcs as (

    select
        plans.cpp_id,
        max(icpcs.conference_date) as icpc_date
    from plans
    inner join icpcs
        on
            plans.person_id = icpcs.person_id
            and plans.start_date >= icpcs.conference_date
    group by plans.cpp_id

),

latest_reviews as (

    select
        reviewed_cpp_id as cpp_id,
        max(conference_date) as review_date
    from {{ ref('int_child_protection__rcpc_chains') }}
    where reviewed_cpp_id is not null
    group by reviewed_cpp_id

),

timed as (

    select
        plans.cpp_id,
        plans.person_id,
        plans.team,
        case when latest_reviews.review_date is not null then 'previous RCPC' else 'ICPC' end
            as timed_from_event,
        coalesce(latest_reviews.review_date, plan_icpcs.icpc_date) as timed_from_date,
        case
            when latest_reviews.review_date is not null then {{ rcpc_later_limit_days() }}
            else {{ rcpc_first_limit_days() }}
        end as limit_value

    from plans
    left join latest_reviews
        on plans.cpp_id = latest_reviews.cpp_id
    left join plan_icpcs
        on plans.cpp_id = plan_icpcs.cpp_id

),

final as (

    select
        'child_protection' as area,
        'rcpc' as item_kind,
        cpp_id as record_id,
        person_id,
        team,
        timed_from_event,
        timed_from_date,
        limit_value,
        'days' as limit_unit,
        cast(timed_from_date + limit_value as date) as due_date

    from timed
    where timed_from_date is not null

)

select * from final
