-- One row per reported month end and child looked after at that month end
-- (code 26): a care episode with a legal status other than V3/V4 open at ME
-- (START_DATE <= ME and (END_DATE null or END_DATE > ME)), episode by
-- episode. A child with several open episodes counts once.

with

episodes as (

    select * from {{ ref('stg_frameworki__lac_episodes') }}
    where is_looked_after

),

months as (

    select period_end from {{ ref('int_reporting_months') }}

),

final as (

    select
        months.period_end,
        episodes.person_id,
        count(*) as open_episode_count

    from months
    inner join episodes
        on
            months.period_end >= episodes.start_date
            and (episodes.end_date is null or months.period_end < episodes.end_date)
    group by months.period_end, episodes.person_id

)

select * from final
