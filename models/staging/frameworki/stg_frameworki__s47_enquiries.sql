with

source as (

    select * from {{ source('frameworki', 's47_enquiries') }}
    where start_date <= {{ as_at_date() }}

),

renamed as (

    select
        ----------  ids
        s47_id,
        person_id,
        sd_id,

        ----------  codes
        outcome as outcome_code,

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
