with

source as (

    select * from {{ source('frameworki', 'cp_plans') }}
    where start_date <= {{ as_at_date() }}

),

renamed as (

    select
        ----------  ids
        cpp_id,
        person_id,

        ----------  codes
        category as category_code,

        ----------  dates
        start_date,
        {{ known_as_at('end_date') }} as end_date,

        ----------  work allocation (contract v1.1)
        team,

        ----------  lineage
        _line as source_line

    from source

)

select * from renamed
