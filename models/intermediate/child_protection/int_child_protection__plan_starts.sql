-- One row per child protection plan known as at the run's date, with the
-- month end of its START_DATE (code 17: children becoming subject to a plan
-- in the month, each child once).

with

plans as (

    select * from {{ ref('stg_frameworki__cp_plans') }}

),

final as (

    select
        cpp_id,
        person_id,
        start_date,
        end_date,
        last_day(start_date) as period_end

    from plans

)

select * from final
