-- Each indicator and month that an earlier report showed: the figure as
-- first reported, as last reported, and as computed now (indicator_values of
-- this build), and whether it has been restated.
--
-- earlier reports: stg_history__indicator_history (the history before this
--   run); the published entries where the month has any, back-filled entries
--   otherwise (reported_kind).
-- first / last reported: by recorded_at (then run_id).
-- is_restated (var restatement_threshold, one number in the unit the report
--   prints): percentage indicators -> |now - last reported| in percentage
--   points > threshold; counts -> |now - last reported| / |last reported| x
--   100 > threshold (per cent of the figure as last reported; any change of
--   a count last reported as 0); a figure that appeared or disappeared (null
--   on one side) is restated; null on both sides is not.

with

history as (

    select * from {{ ref('stg_history__indicator_history') }}

),

values_ as (

    select * from {{ ref('indicator_values') }}

),

with_published_count as (

    select
        history.*,
        count(*) filter (where history.kind = 'published') over (
            partition by history.indicator_code, history.period_end
        ) as published_entries
    from history

),

reported as (

    select * from with_published_count
    where kind = 'published' or published_entries = 0

),

ranked as (

    select
        reported.*,
        row_number() over (
            partition by reported.indicator_code, reported.period_end
            order by reported.recorded_at, reported.run_id
        ) as first_rank,
        row_number() over (
            partition by reported.indicator_code, reported.period_end
            order by reported.recorded_at desc, reported.run_id desc
        ) as last_rank,
        count(*) over (partition by reported.indicator_code, reported.period_end) as times_reported
    from reported

),

first_reported as (

    select * from ranked
    where first_rank = 1

),

last_reported as (

    select * from ranked
    where last_rank = 1

),

compared as (

    select
        last_reported.indicator_code,
        last_reported.period_end,
        coalesce(values_.is_percentage, false) as is_percentage,
        last_reported.kind as reported_kind,
        last_reported.times_reported,
        first_reported.value as first_reported_value,
        first_reported.run_id as first_reported_run_id,
        first_reported.as_at as first_reported_as_at,
        last_reported.value as last_reported_value,
        last_reported.numerator as last_reported_numerator,
        last_reported.denominator as last_reported_denominator,
        last_reported.rate_per_10k as last_reported_rate_per_10k,
        last_reported.run_id as last_reported_run_id,
        last_reported.as_at as last_reported_as_at,
        values_.value as value_now,
        values_.numerator as numerator_now,
        values_.denominator as denominator_now,
        values_.rate_per_10k as rate_per_10k_now,
        values_.value - first_reported.value as change_since_first,
        values_.value - last_reported.value as change_since_last

    from last_reported
    inner join first_reported
        on
            last_reported.indicator_code = first_reported.indicator_code
            and last_reported.period_end = first_reported.period_end
    left join values_
        on
            last_reported.indicator_code = values_.indicator_code
            and last_reported.period_end = values_.period_end

),

measured as (

    select
        compared.*,
        case
            when compared.value_now is null or compared.last_reported_value is null then null
            when compared.is_percentage then abs(compared.change_since_last)
            when compared.last_reported_value = 0 then case when compared.value_now = 0 then 0 end
            else abs(compared.change_since_last) / abs(compared.last_reported_value) * 100
        end as change_measure
    from compared

),

final as (

    select
        measured.*,
        case
            when measured.value_now is null and measured.last_reported_value is null then false
            when measured.value_now is null or measured.last_reported_value is null then true
            when measured.change_measure is null then true  -- a count moved from 0
            else measured.change_measure > {{ var('restatement_threshold') }}
        end as is_restated,
        cast({{ var('restatement_threshold') }} as double) as restatement_threshold
    from measured

)

select * from final
