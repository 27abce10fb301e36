with

source as (

    select * from {{ source('frameworki', 'assessments') }}
    where start_date <= {{ as_at_date() }}

),

renamed as (

    select
        ----------  ids
        assessment_id,
        person_id,
        referral_id,

        ----------  codes
        assessment_type,
        outcome as outcome_code,

        ----------  dates (authorised is "completed" for every indicator)
        start_date,
        {{ known_as_at('completed_date') }} as completed_date,
        {{ known_as_at('authorised_date') }} as authorised_date,

        ----------  work allocation (contract v1.1)
        team,

        ----------  lineage
        _line as source_line

    from source

)

select * from renamed
