with

source as (

    select * from {{ source('frameworki', 'cp_conferences') }}
    where conference_date <= {{ as_at_date() }}

),

renamed as (

    select
        ----------  ids
        conference_id,
        person_id,
        s47_id,
        cpp_id,

        ----------  codes
        conference_type,
        outcome as outcome_code,

        ----------  dates
        conference_date,

        ----------  lineage
        _line as source_line

    from source

)

select * from renamed
