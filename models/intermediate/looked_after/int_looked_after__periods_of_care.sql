-- Periods of care: one row per child and period. Short-break episodes (legal
-- status V3/V4) are dropped before periods are formed, so they neither join
-- nor bridge periods; an episode whose END_DATE is before its START_DATE
-- covers no day and is left out. The remaining episodes of a child, in
-- START_DATE order, join the current period when they start on or before its
-- end so far (on the day: consecutive episodes, the spec's rule; before:
-- overlapping episodes, a data-quality finding). A period ends at the latest
-- end of its episodes, and is open (null end) when any of them is. It covers
-- the days START <= day < END.

with

episodes as (

    select * from {{ ref('stg_frameworki__lac_episodes') }}
    where
        is_looked_after
        and (end_date is null or end_date >= start_date)

),

ordered as (

    select
        person_id,
        episode_id,
        start_date,
        end_date,
        -- the end so far of everything before this episode (open = far future)
        max(coalesce(end_date, date '9999-12-31')) over (
            partition by person_id
            order by start_date, end_date nulls last, episode_id
            rows between unbounded preceding and 1 preceding
        ) as previous_end_so_far

    from episodes

),

numbered as (

    select
        *,
        sum(
            case
                when previous_end_so_far is null or start_date > previous_end_so_far then 1 else 0
            end
        ) over (
            partition by person_id
            order by start_date, end_date nulls last, episode_id
            rows between unbounded preceding and current row
        ) as period_number

    from ordered

),

final as (

    select
        person_id || '#' || period_number as period_of_care_id,
        person_id,
        period_number,
        min(start_date) as start_date,
        case when bool_or(end_date is null) then null else max(end_date) end as end_date,
        count(*) as episode_count

    from numbered
    group by person_id, period_number

)

select * from final
