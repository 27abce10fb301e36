-- The 29 indicators, one row per indicator and reported month end (see
-- spec/indicators.md, "Shape of marts.indicator_values"):
--   count indicators: value = numerator = the count, denominator null;
--   percentage indicators: value = numerator / denominator x 100, null when
--   the denominator is 0 (numerator and denominator always present);
--   code 5: value = the month's total contacts.
-- rate_per_10k = rate_numerator / population x 10,000 by the indicator's rate
-- basis: snapshot and month -> the month's numerator; ytd -> the monthly
-- numerators summed from the start of the reporting year (var
-- year_start_month) to the month; none -> null. The population is that of the
-- month end's year (seed population), or the indicator's fixed denominator
-- (seed indicator_catalogue, rate_population = 'fixed').

with

measures as (

    select * from {{ ref('int_indicators__monthly_measures') }}

),

year_to_date as (

    select
        measures.*,
        sum(measures.numerator) over (
            partition by measures.indicator_code, measures.ytd_start
            order by measures.period_end
            rows between unbounded preceding and current row
        ) as ytd_numerator

    from measures

),

rated as (

    select
        year_to_date.indicator_code,
        year_to_date.period_end,
        year_to_date.numerator,
        year_to_date.denominator,
        year_to_date.is_percentage,
        case year_to_date.rate_basis
            when 'snapshot' then year_to_date.numerator
            when 'month' then year_to_date.numerator
            when 'ytd' then year_to_date.ytd_numerator
        end as rate_numerator,
        case year_to_date.rate_population
            when 'fixed' then year_to_date.rate_population_fixed
            else year_to_date.population_0_17
        end as rate_population

    from year_to_date

),

final as (

    select
        cast(indicator_code as integer) as indicator_code,
        period_end,
        cast(
            case
                when is_percentage then {{ percentage('numerator', 'denominator') }}
                else numerator
            end as double
        ) as value,
        cast(numerator as bigint) as numerator,
        cast(denominator as bigint) as denominator,
        cast(
            case when rate_population > 0 then rate_numerator * 10000.0 / rate_population end
            as double
        ) as rate_per_10k,
        cast(rate_numerator as bigint) as rate_numerator,
        is_percentage

    from rated

)

select * from final
