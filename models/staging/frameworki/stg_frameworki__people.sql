with

source as (

    select * from {{ source('frameworki', 'people') }}

),

renamed as (

    select
        ----------  ids
        person_id,
        family_id,

        ----------  demographics (names, postcode and date of birth stay in raw)
        year(dob) as birth_year,
        dob is null as is_unborn,
        gender as gender_code,
        ethnicity as ethnicity_code,

        ----------  lineage
        _line as source_line

    from source

)

select * from renamed
