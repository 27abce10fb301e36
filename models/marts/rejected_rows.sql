-- Every row the loader rejected, for analysts to find and correct in the case
-- system: file, line, the record's id, column and reason. The bad value is kept
-- only where it is not personal data (codes, flags, event dates, ids).

with

rejected as (

    select * from {{ ref('stg_loader__rejected_rows') }}

),

final as (

    select
        file,
        line,
        record_id,
        column_name,
        value,
        reason
    from rejected

)

select * from final
