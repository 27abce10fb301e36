-- One row per extract file of the run: its encoding and rows read, loaded and
-- rejected.

with

load_log as (

    select * from {{ ref('stg_loader__load_log') }}

),

final as (

    select
        file,
        encoding,
        rows_read,
        rows_loaded,
        rows_rejected
    from load_log

)

select * from final
