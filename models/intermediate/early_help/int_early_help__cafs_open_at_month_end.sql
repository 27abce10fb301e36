-- One row per reported month end and CAF episode open at that month end
-- (code 1): START_DATE <= ME and (END_DATE null or END_DATE > ME). An
-- episode ending on ME is not open at ME.

with

caf_episodes as (

    select * from {{ ref('int_early_help__caf_episodes') }}

),

months as (

    select period_end from {{ ref('int_reporting_months') }}

),

final as (

    select
        months.period_end,
        caf_episodes.caf_id,
        caf_episodes.person_id,
        caf_episodes.start_date,
        caf_episodes.end_date

    from months
    inner join caf_episodes
        on
            months.period_end >= caf_episodes.start_date
            and (caf_episodes.end_date is null or months.period_end < caf_episodes.end_date)

)

select * from final
