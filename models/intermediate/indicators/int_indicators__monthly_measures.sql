-- Every indicator's monthly numerator and denominator, one row per indicator
-- (1-29, from the registry's reference.indicator_catalogue) and reported
-- month, zeros included: the sums of its records (int_indicators__records).
-- Count indicators: numerator = the records (or distinct children) counted,
-- denominator null. Percentage indicators: numerator = those in the
-- numerator, denominator = those in the denominator (0 and 0 in an empty
-- month). An indicator counting children counts each person_id once.
-- Each row carries what marts.indicator_values needs to rate it: the
-- indicator's rate basis and population (catalogue) and the month's reporting
-- year start and population (int_reporting_months).

with

months as (

    select
        period_end,
        ytd_start,
        population_0_17
    from {{ ref('int_reporting_months') }}

),

catalogue as (

    select
        indicator_code,
        is_percentage,
        counts,
        rate_basis,
        rate_population,
        rate_population_fixed
    from {{ ref('indicator_catalogue') }}

),

records as (

    select * from {{ ref('int_indicators__records') }}

),

measured as (

    select
        indicator_code,
        period_end,
        count(*) filter (where in_numerator) as numerator_records,
        count(*) filter (where in_denominator) as denominator_records,
        count(distinct person_id) filter (where in_numerator) as numerator_children,
        count(distinct person_id) filter (where in_denominator) as denominator_children

    from records
    group by indicator_code, period_end

),

final as (

    select
        catalogue.indicator_code,
        months.period_end,
        cast(coalesce(
            case catalogue.counts
                when 'children' then measured.numerator_children
                else measured.numerator_records
            end, 0
        ) as bigint) as numerator,
        case
            when catalogue.is_percentage then cast(coalesce(
                case catalogue.counts
                    when 'children' then measured.denominator_children
                    else measured.denominator_records
                end, 0
            ) as bigint)
        end as denominator,
        catalogue.is_percentage,
        catalogue.rate_basis,
        catalogue.rate_population,
        catalogue.rate_population_fixed,
        months.ytd_start,
        months.population_0_17

    from catalogue
    cross join months
    left join measured
        on
            catalogue.indicator_code = measured.indicator_code
            and months.period_end = measured.period_end

)

select * from final
