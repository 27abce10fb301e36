with

source as (

    select * from {{ source('frameworki', 'lac_visits') }}
    where visit_date <= {{ as_at_date() }}

),

renamed as (

    select
        ----------  ids
        visit_id,
        person_id,

        ----------  visit
        visit_date,

        ----------  lineage
        _line as source_line

    from source

)

select * from renamed
