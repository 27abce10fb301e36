with

source as (

    select * from {{ source('frameworki', 'lac_reviews') }}
    where review_date <= {{ as_at_date() }}

),

renamed as (

    select
        ----------  ids
        review_id,
        person_id,

        ----------  review
        review_date,

        ----------  lineage
        _line as source_line

    from source

)

select * from renamed
