-- The published comparators of each indicator, one row per indicator of the
-- catalogue and comparator area of seeds/comparator_areas.csv (its name and
-- display order), with the published period and value of seeds/comparators.csv.
-- The areas come from the data: adding a comparator is a row in
-- comparator_areas and its values in comparators. period_label is data, the
-- period the published value is for, as published ('2013/14', 'Q4 2014/15');
-- period_label and value are null where nothing is published (the report
-- prints N/A).

with

catalogue as (

    select * from {{ ref('indicator_catalogue') }}

),

comparators as (

    select * from {{ ref('comparators') }}

),

areas as (

    select * from {{ ref('comparator_areas') }}

),

final as (

    select
        catalogue.indicator_code,
        areas.comparator,
        areas.comparator_name,
        areas.display_order,
        comparators.period_label,
        cast(comparators.value as double) as value

    from catalogue
    cross join areas
    left join comparators
        on
            catalogue.indicator_code = comparators.indicator_code
            and areas.comparator = comparators.comparator

)

select * from final
