-- The loader's warnings about an extract's header (raw.load_warnings): a
-- missing optional column or an unknown extra one. Never a record's value.

with

source as (

    select * from {{ source('frameworki', 'load_warnings') }}

),

renamed as (

    select
        file,
        column_name,
        message
    from source

)

select * from renamed
