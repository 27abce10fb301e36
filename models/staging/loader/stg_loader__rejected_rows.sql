-- The loader's rejected rows (raw.rejected_rows), one row per bad field. The
-- loader already withholds personal values (value is null for personal
-- columns and for every field of people.csv); this model only renames.

with

source as (

    select * from {{ source('frameworki', 'rejected_rows') }}

),

renamed as (

    select
        file,
        line,
        record_id,
        column_name,
        value,
        reason
    from source

)

select * from renamed
