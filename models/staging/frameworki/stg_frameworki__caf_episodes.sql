with

source as (

    select * from {{ source('frameworki', 'caf_episodes') }}
    where start_date <= {{ as_at_date() }}

),

renamed as (

    select
        ----------  ids
        caf_id,
        person_id,

        ----------  flags and codes
        step_down as is_step_down,
        social_care_involvement as has_social_care_involvement,
        lead_professional_agency,
        locality,
        case
            when end_date <= {{ as_at_date() }} then closure_reason
        end as closure_reason,

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
