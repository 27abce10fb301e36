-- Every figure is the sum of its records: for every indicator and reported
-- month, marts.indicator_values' numerator and denominator equal the records
-- of marts.indicator_records in the numerator and in the denominator (each
-- child once for an indicator counting children; a count indicator has no
-- denominator), and a month without records has 0 (0 and 0). Returns the
-- indicator-months that disagree, with the two figures (counts, no records).
with

catalogue as (
    select
        indicator_code,
        is_percentage,
        counts
    from {{ ref('indicator_catalogue') }}
),

records as (
    select
        records.indicator_code,
        records.period_end,
        case
            when catalogue.counts = 'children'
                then count(distinct records.person_id) filter (where records.in_numerator)
            else count(*) filter (where records.in_numerator)
        end as numerator,
        case
            when catalogue.counts = 'children'
                then count(distinct records.person_id) filter (where records.in_denominator)
            else count(*) filter (where records.in_denominator)
        end as denominator
    from {{ ref('indicator_records') }} as records
    inner join catalogue on records.indicator_code = catalogue.indicator_code
    group by records.indicator_code, records.period_end, catalogue.counts
),

values_ as (
    select
        values_.indicator_code,
        values_.period_end,
        values_.numerator,
        values_.denominator,
        catalogue.is_percentage
    from {{ ref('indicator_values') }} as values_
    inner join catalogue on values_.indicator_code = catalogue.indicator_code
)

select
    coalesce(values_.indicator_code, records.indicator_code) as indicator_code,
    coalesce(values_.period_end, records.period_end) as period_end,
    values_.numerator as value_numerator,
    coalesce(records.numerator, 0) as records_numerator,
    values_.denominator as value_denominator,
    case when values_.is_percentage then coalesce(records.denominator, 0) end as records_denominator
from values_
full outer join records
    on
        values_.indicator_code = records.indicator_code
        and values_.period_end = records.period_end
where
    values_.indicator_code is null
    or values_.numerator is distinct from coalesce(records.numerator, 0)
    or values_.denominator is distinct from
    case when values_.is_percentage then coalesce(records.denominator, 0) end
