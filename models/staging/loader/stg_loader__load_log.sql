-- The loader's per-file log (raw.load_log): encoding and row counts.

with

source as (

    select * from {{ source('frameworki', 'load_log') }}

),

renamed as (

    select
        file,
        encoding,
        rows_read,
        rows_loaded,
        rows_rejected
    from source

)

select * from renamed
