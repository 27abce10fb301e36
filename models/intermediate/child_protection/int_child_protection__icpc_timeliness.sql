-- One row per initial child protection conference (CONFERENCE_TYPE = ICPC;
-- TRANSFER_IN never counts), codes 22 and 23. The chain ICPC -> S47_ID ->
-- s47 enquiry -> SD_ID -> strategy discussion gives the SD_DATE the 15
-- working days run from. A missing link anywhere (no S47_ID, no such s47, no
-- SD_ID, no such discussion, as at the run's date): not traceable, so not
-- within timescale (and a data-quality finding).

with

icpcs as (

    select * from {{ ref('stg_frameworki__cp_conferences') }}
    where conference_type = 'ICPC'

),

s47_enquiries as (

    select
        s47_id,
        sd_id
    from {{ ref('stg_frameworki__s47_enquiries') }}

),

strategy_discussions as (

    select
        sd_id,
        sd_date
    from {{ ref('stg_frameworki__strategy_discussions') }}

),

calendar as (

    select
        calendar_date,
        working_day_index
    from {{ ref('int_calendar__days') }}

),

traced as (

    select
        icpcs.conference_id,
        icpcs.person_id,
        icpcs.conference_date,
        last_day(icpcs.conference_date) as period_end,
        icpcs.outcome_code,
        icpcs.s47_id,
        s47_enquiries.sd_id,
        strategy_discussions.sd_date,
        strategy_discussions.sd_id is not null as is_traceable

    from icpcs
    left join s47_enquiries
        on icpcs.s47_id = s47_enquiries.s47_id
    left join strategy_discussions
        on s47_enquiries.sd_id = strategy_discussions.sd_id

),

final as (

    select
        traced.*,
        {{ working_days_between('sd_day', 'conference_day') }} as working_days_from_sd,
        coalesce(
            traced.is_traceable
            and {{ working_days_between('sd_day', 'conference_day') }}
            <= {{ icpc_limit_working_days() }},
            false
        ) as is_within_timescale

    from traced
    left join calendar as sd_day
        on traced.sd_date = sd_day.calendar_date
    left join calendar as conference_day
        on traced.conference_date = conference_day.calendar_date

)

select * from final
