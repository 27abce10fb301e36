-- One row per review child protection conference (CONFERENCE_TYPE = RCPC),
-- codes 24 and 25: the plan it reviews, its place in that plan's chain of
-- reviews, and whether it was held within timescale.
--
-- The reviewed plan: by CPP_ID when given (that plan, of any child; no plan
-- with that id known as at the run's date -> unmatched, no fall-back). With
-- CPP_ID null: the child's plan open on the conference date (START <= day <
-- END), the one that started last (ties: the greater CPP_ID); else the
-- child's plan ending on that date (an ending review is held the day its
-- plan ends; started last if several); else unmatched.
-- The chain: every RCPC resolved to the plan, by (CONFERENCE_DATE,
-- CONFERENCE_ID). The first is within when held within 90 days of the plan's
-- ICPC (the plan child's latest ICPC on or before the plan's START_DATE); a
-- later one within 180 days of the previous review. Unmatched, or first with
-- no ICPC: not within (and a data-quality finding).

with

rcpcs as (

    select * from {{ ref('stg_frameworki__cp_conferences') }}
    where conference_type = 'RCPC'

),

icpcs as (

    select * from {{ ref('stg_frameworki__cp_conferences') }}
    where conference_type = 'ICPC'

),

plans as (

    select * from {{ ref('stg_frameworki__cp_plans') }}

),

matched_by_id as (

    select
        rcpcs.conference_id,
        plans.cpp_id
    from rcpcs
    inner join plans
        on rcpcs.cpp_id = plans.cpp_id

),

open_on_conference_day as (

    select
        rcpcs.conference_id,
        plans.cpp_id,
        row_number() over (
            partition by rcpcs.conference_id
            order by plans.start_date desc, plans.cpp_id desc
        ) as plan_rank
    from rcpcs
    inner join plans
        on rcpcs.person_id = plans.person_id
    where
        rcpcs.cpp_id is null
        and plans.start_date <= rcpcs.conference_date
        and (plans.end_date is null or plans.end_date > rcpcs.conference_date)

),

ending_on_conference_day as (

    select
        rcpcs.conference_id,
        plans.cpp_id,
        row_number() over (
            partition by rcpcs.conference_id
            order by plans.start_date desc, plans.cpp_id desc
        ) as plan_rank
    from rcpcs
    inner join plans
        on
            rcpcs.person_id = plans.person_id
            and rcpcs.conference_date = plans.end_date
    where rcpcs.cpp_id is null

),

resolved as (

    select
        rcpcs.conference_id,
        rcpcs.person_id,
        rcpcs.conference_date,
        last_day(rcpcs.conference_date) as period_end,
        rcpcs.outcome_code,
        rcpcs.cpp_id as recorded_cpp_id,
        coalesce(
            matched_by_id.cpp_id, open_on_conference_day.cpp_id, ending_on_conference_day.cpp_id
        ) as reviewed_cpp_id,
        case
            when matched_by_id.cpp_id is not null then 'cpp_id'
            when open_on_conference_day.cpp_id is not null then 'plan open on the day'
            when ending_on_conference_day.cpp_id is not null then 'plan ending on the day'
            when rcpcs.cpp_id is not null then 'unmatched cpp_id'
            else 'no plan'
        end as plan_match

    from rcpcs
    left join matched_by_id
        on rcpcs.conference_id = matched_by_id.conference_id
    left join open_on_conference_day
        on
            rcpcs.conference_id = open_on_conference_day.conference_id
            and open_on_conference_day.plan_rank = 1
    left join ending_on_conference_day
        on
            rcpcs.conference_id = ending_on_conference_day.conference_id
            and ending_on_conference_day.plan_rank = 1

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

chained as (

    select
        resolved.*,
        case
            when resolved.reviewed_cpp_id is not null then
                row_number() over (
                    partition by resolved.reviewed_cpp_id
                    order by resolved.conference_date, resolved.conference_id
                )
        end as review_number,
        case
            when resolved.reviewed_cpp_id is not null then
                lag(resolved.conference_date) over (
                    partition by resolved.reviewed_cpp_id
                    order by resolved.conference_date, resolved.conference_id
                )
        end as previous_review_date

    from resolved

),

final as (

    select
        chained.*,
        plan_icpcs.icpc_date as plan_icpc_date,
        case
            when chained.review_number = 1 then chained.conference_date - plan_icpcs.icpc_date
            when
                chained.review_number > 1
                then chained.conference_date - chained.previous_review_date
        end as days_since_previous,
        coalesce(
            case
                when chained.review_number = 1
                    then
                        chained.conference_date - plan_icpcs.icpc_date
                        <= {{ rcpc_first_limit_days() }}
                when chained.review_number > 1
                    then
                        chained.conference_date - chained.previous_review_date
                        <= {{ rcpc_later_limit_days() }}
            end,
            false
        ) as is_within_timescale

    from chained
    left join plan_icpcs
        on chained.reviewed_cpp_id = plan_icpcs.cpp_id

)

select * from final
