-- One row per warning the loader raised about an extract's header in the run:
-- a missing optional column (its indicators count what they can without it)
-- or an unknown extra column (ignored).

with

load_warnings as (

    select * from {{ ref('stg_loader__load_warnings') }}

),

final as (

    select
        file,
        column_name,
        message
    from load_warnings

)

select * from final
