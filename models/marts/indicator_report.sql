-- What a page of the report shows for each indicator and month end: the
-- catalogue's texts, the value and rate, the two previous values by the
-- indicator's rule, the direction of travel and the assessment against
-- target. Facts only: dates, numbers, codes and the catalogue's texts; the
-- report words them (month labels, the rate's label, the description's date).
-- The comparators are marts.indicator_comparators, one row per area.
--
-- previous values: rule 'years' -> the same month one and two years earlier
--   (for October 2015: 2014-10-31, 2013-10-31); 'months' -> the two previous
--   months (2015-09-30, 2015-08-31), as previous_<i>_period_end dates;
--   the rate per 10,000 where previous_shows_rate, else the value; null when
--   that month is not reported (before the earliest event).
-- direction: the value (rounded to the 2 decimal places the report prints)
--   against the same month one year earlier: up, down or level; null when
--   either is null. On the value even where previous values show rates.
-- direction_is_improvement: higher -> up; lower -> down; to target -> moved
--   closer to the target; null for level, for polarity none and for to target
--   without a target.
-- assessment: with a target and a value: the gap short of the target (target
--   - value for higher; value - target for lower; |value - target| for to
--   target): <= 0 met, <= var('assessment_close_margin') close, else not met.

with

values_ as (

    select * from {{ ref('indicator_values') }}

),

catalogue as (

    select * from {{ ref('indicator_catalogue') }}

),

with_previous_periods as (

    select
        values_.*,
        catalogue.previous_rule,
        catalogue.previous_shows_rate,
        case catalogue.previous_rule
            when 'years' then last_day({{ add_months('values_.period_end', -12) }})
            else last_day({{ add_months('values_.period_end', -1) }})
        end as previous_1_period_end,
        case catalogue.previous_rule
            when 'years' then last_day({{ add_months('values_.period_end', -24) }})
            else last_day({{ add_months('values_.period_end', -2) }})
        end as previous_2_period_end,
        last_day({{ add_months('values_.period_end', -12) }}) as last_year_period_end

    from values_
    inner join catalogue
        on values_.indicator_code = catalogue.indicator_code

),

with_previous_values as (

    select
        current_month.*,
        case
            when current_month.previous_shows_rate then previous_1.rate_per_10k
            else previous_1.value
        end as previous_1_value,
        case
            when current_month.previous_shows_rate then previous_2.rate_per_10k
            else previous_2.value
        end as previous_2_value,
        last_year.value as last_year_value

    from with_previous_periods as current_month
    left join values_ as previous_1
        on
            current_month.indicator_code = previous_1.indicator_code
            and current_month.previous_1_period_end = previous_1.period_end
    left join values_ as previous_2
        on
            current_month.indicator_code = previous_2.indicator_code
            and current_month.previous_2_period_end = previous_2.period_end
    left join values_ as last_year
        on
            current_month.indicator_code = last_year.indicator_code
            and current_month.last_year_period_end = last_year.period_end

),

judged as (

    select
        with_previous_values.*,
        catalogue.polarity,
        catalogue.target,
        case
            when
                with_previous_values.value is null
                or with_previous_values.last_year_value is null
                then null
            when
                round(with_previous_values.value, 2)
                > round(with_previous_values.last_year_value, 2)
                then 'up'
            when
                round(with_previous_values.value, 2)
                < round(with_previous_values.last_year_value, 2)
                then 'down'
            else 'level'
        end as direction,
        case catalogue.polarity
            when 'higher' then catalogue.target - with_previous_values.value
            when 'lower' then with_previous_values.value - catalogue.target
            when 'to target' then abs(with_previous_values.value - catalogue.target)
        end as gap_to_target,
        case
            when catalogue.polarity = 'to target'
                then
                    abs(round(with_previous_values.value, 2) - catalogue.target)
                    - abs(round(with_previous_values.last_year_value, 2) - catalogue.target)
        end as change_in_distance_to_target

    from with_previous_values
    inner join catalogue
        on with_previous_values.indicator_code = catalogue.indicator_code

),

final as (

    select
        judged.indicator_code,
        judged.period_end,
        catalogue.indicator_name,
        catalogue.responsible_officer,
        catalogue.full_description as full_description_template,
        catalogue.measure,
        catalogue.indicator_guide,
        catalogue.polarity,
        judged.is_percentage,
        judged.value,
        judged.numerator,
        judged.denominator,
        judged.rate_per_10k,
        catalogue.rate_basis,
        judged.previous_rule,
        judged.previous_shows_rate,
        judged.previous_1_period_end,
        cast(judged.previous_1_value as double) as previous_1_value,
        judged.previous_2_period_end,
        cast(judged.previous_2_value as double) as previous_2_value,
        judged.direction,
        case
            when judged.direction is null or judged.direction = 'level' then null
            when judged.polarity = 'higher' then judged.direction = 'up'
            when judged.polarity = 'lower' then judged.direction = 'down'
            when judged.polarity = 'to target' and judged.change_in_distance_to_target <> 0
                then judged.change_in_distance_to_target < 0
        end as direction_is_improvement,
        cast(judged.target as double) as target,
        case
            when judged.target is null or judged.value is null then null
            when judged.gap_to_target <= 0 then 'met'
            when judged.gap_to_target <= {{ var('assessment_close_margin') }} then 'close'
            else 'not met'
        end as assessment,
        catalogue.measure_period

    from judged
    inner join catalogue
        on judged.indicator_code = catalogue.indicator_code

)

select * from final
