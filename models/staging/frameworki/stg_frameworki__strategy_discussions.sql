with

source as (

    select * from {{ source('frameworki', 'strategy_discussions') }}
    where sd_date <= {{ as_at_date() }}

),

renamed as (

    select
        ----------  ids
        sd_id,
        person_id,
        referral_id,

        ----------  codes
        outcome as outcome_code,

        ----------  dates
        sd_date,

        ----------  lineage
        _line as source_line

    from source

)

select * from renamed
