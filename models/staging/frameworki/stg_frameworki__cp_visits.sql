with

source as (

    select * from {{ source('frameworki', 'cp_visits') }}
    where visit_date <= {{ as_at_date() }}

),

renamed as (

    select
        ----------  ids
        visit_id,
        person_id,

        ----------  visit
        visit_date,
        child_seen as is_child_seen,

        ----------  lineage
        _line as source_line

    from source

)

select * from renamed
