with

source as (

    select * from {{ source('frameworki', 'referrals') }}
    where referral_date <= {{ as_at_date() }}

),

renamed as (

    select
        ----------  ids
        referral_id,
        person_id,
        contact_id,

        ----------  codes
        source_code,
        outcome as outcome_code,

        ----------  dates
        referral_date,
        {{ known_as_at('closure_date') }} as closure_date,

        ----------  work allocation (contract v1.1)
        team,

        ----------  lineage
        _line as source_line

    from source

)

select * from renamed
