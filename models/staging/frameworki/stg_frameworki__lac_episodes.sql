with

source as (

    select * from {{ source('frameworki', 'lac_episodes') }}
    where start_date <= {{ as_at_date() }}

),

renamed as (

    select
        ----------  ids
        episode_id,
        person_id,

        ----------  codes
        legal_status,
        legal_status not in ('V3', 'V4') as is_looked_after,
        placement_type,
        reason_new_episode,
        case
            when end_date <= {{ as_at_date() }} then reason_ceased
        end as reason_ceased,

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
