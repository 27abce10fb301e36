-- One row per LAC review (codes 28, 29), with the period of care covering the
-- review day (START <= day < END; a review on the day the period ends is
-- outside it), its place in that period's reviews (by REVIEW_DATE, then
-- REVIEW_ID) and whether it was held within timescale:
--   first:  within 20 working days of the period's start; 28 calendar days
--           for a period that started before 2011-04-01 (earlier regulations);
--   second: on or before the first review + 3 months (calendar months);
--   later:  on or before the previous review + 6 months.
-- A review outside any period of care is not within (a data-quality finding).

with

reviews as (

    select * from {{ ref('stg_frameworki__lac_reviews') }}

),

periods as (

    select * from {{ ref('int_looked_after__periods_of_care') }}

),

calendar as (

    select
        calendar_date,
        working_day_index
    from {{ ref('int_calendar__days') }}

),

review_periods as (

    select
        reviews.review_id,
        reviews.person_id,
        reviews.review_date,
        last_day(reviews.review_date) as period_end,
        periods.period_of_care_id,
        periods.start_date as period_start_date

    from reviews
    left join periods
        on
            reviews.person_id = periods.person_id
            and reviews.review_date >= periods.start_date
            and (periods.end_date is null or reviews.review_date < periods.end_date)

),

sequenced as (

    select
        *,
        case
            when period_of_care_id is not null then
                row_number() over (
                    partition by period_of_care_id order by review_date, review_id
                )
        end as review_number,
        case
            when period_of_care_id is not null then
                lag(review_date) over (
                    partition by period_of_care_id order by review_date, review_id
                )
        end as previous_review_date

    from review_periods

),

final as (

    select
        sequenced.*,
        sequenced.period_start_date
        < {{ lac_earlier_regulations_before() }} as is_under_earlier_regulations,
        case
            when
                sequenced.review_number = 1
                and sequenced.period_start_date < {{ lac_earlier_regulations_before() }}
                then sequenced.review_date - sequenced.period_start_date
        end as days_since_period_start,
        case
            when sequenced.review_number = 1
                then {{ working_days_between('start_day', 'review_day') }}
        end as working_days_since_period_start,
        coalesce(
            case
                when
                    sequenced.review_number = 1
                    and sequenced.period_start_date < {{ lac_earlier_regulations_before() }}
                    then
                        sequenced.review_date - sequenced.period_start_date
                        <= {{ lac_first_review_earlier_limit_days() }}
                when sequenced.review_number = 1
                    then
                        {{ working_days_between('start_day', 'review_day') }}
                        <= {{ lac_first_review_limit_working_days() }}
                when sequenced.review_number = 2
                    then
                        sequenced.review_date
                        <= {{ add_months(
                            'sequenced.previous_review_date', lac_second_review_limit_months()
                        ) }}
                when sequenced.review_number > 2
                    then
                        sequenced.review_date
                        <= {{ add_months(
                            'sequenced.previous_review_date', lac_later_review_limit_months()
                        ) }}
            end,
            false
        ) as is_within_timescale

    from sequenced
    left join calendar as start_day
        on sequenced.period_start_date = start_day.calendar_date
    left join calendar as review_day
        on sequenced.review_date = review_day.calendar_date

)

select * from final
