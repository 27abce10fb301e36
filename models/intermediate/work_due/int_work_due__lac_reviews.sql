-- Open work: the next LAC review of every child looked after at the run's
-- date D (code 29), in the period of care covering D. The period's reviews so
-- far are those int_looked_after__lac_review_timeliness places in it. The
-- next one is due:
--   first:  lac_first_review_limit_working_days() working days after the
--           period's start (a working day, by an equality join on
--           working_day_index); lac_first_review_earlier_limit_days()
--           calendar days for a period that started before
--           lac_earlier_regulations_before();
--   second: lac_second_review_limit_months() months after the first;
--   later:  lac_later_review_limit_months() months after the previous.

with

periods as (

    select * from {{ ref('int_looked_after__periods_of_care') }}
    where
        start_date <= {{ as_at_date() }}
        and (end_date is null or end_date > {{ as_at_date() }})

),

reviews as (

    select
        period_of_care_id,
        count(*) as review_count,
        max(review_date) as review_date
    from {{ ref('int_looked_after__lac_review_timeliness') }}
    where period_of_care_id is not null
    group by period_of_care_id

),

teams as (

    {{ work_due_looked_after_teams() }}

),

calendar as (

    select
        calendar_date,
        is_working_day,
        working_day_index
    from {{ ref('int_calendar__days') }}

),

timed as (

    select
        periods.period_of_care_id,
        periods.person_id,
        teams.team,
        coalesce(reviews.review_count, 0) as review_count,
        periods.start_date < {{ lac_earlier_regulations_before() }} as is_under_earlier_regulations,
        case
            when reviews.review_count is null then 'period of care start'
            when reviews.review_count = 1 then 'first review'
            else 'previous review'
        end as timed_from_event,
        coalesce(reviews.review_date, periods.start_date) as timed_from_date

    from periods
    left join reviews
        on periods.period_of_care_id = reviews.period_of_care_id
    left join teams
        on periods.person_id = teams.person_id

),

final as (

    select
        'looked_after' as area,
        'lac_review' as item_kind,
        timed.period_of_care_id as record_id,
        timed.person_id,
        timed.team,
        timed.timed_from_event,
        timed.timed_from_date,
        case
            when timed.review_count = 0 and timed.is_under_earlier_regulations
                then {{ lac_first_review_earlier_limit_days() }}
            when timed.review_count = 0 then {{ lac_first_review_limit_working_days() }}
            when timed.review_count = 1 then {{ lac_second_review_limit_months() }}
            else {{ lac_later_review_limit_months() }}
        end as limit_value,
        case
            when timed.review_count = 0 and timed.is_under_earlier_regulations then 'days'
            when timed.review_count = 0 then 'working days'
            else 'months'
        end as limit_unit,
        case
            when timed.review_count = 0 and timed.is_under_earlier_regulations
                then cast(
                    timed.timed_from_date + {{ lac_first_review_earlier_limit_days() }}
                    as date
                )
            when timed.review_count = 0 then due_day.calendar_date
            when timed.review_count = 1
                then {{ add_months('timed.timed_from_date', lac_second_review_limit_months()) }}
            else {{ add_months('timed.timed_from_date', lac_later_review_limit_months()) }}
        end as due_date

    from timed
    inner join calendar as from_day
        on timed.timed_from_date = from_day.calendar_date
    left join calendar as due_day
        on
            due_day.working_day_index
            = from_day.working_day_index + {{ lac_first_review_limit_working_days() }}
            and due_day.is_working_day

)

select * from final
