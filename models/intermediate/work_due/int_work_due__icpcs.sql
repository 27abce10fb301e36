-- Open work: initial child protection conferences not yet held, one per s47
-- enquiry that is open at the run's date D or ended with OUTCOME = ICPC, and
-- that no ICPC known as at D records by S47_ID (code 23). Due
-- icpc_limit_working_days() working days after the SD_DATE of the strategy
-- discussion that started the enquiry (SD_ID). An enquiry with no traceable
-- strategy discussion has no due date and is left out: its ICPC can never be
-- within timescale (int_child_protection__icpc_timeliness).

with

enquiries as (

    select * from {{ ref('stg_frameworki__s47_enquiries') }}
    where end_date is null or outcome_code = 'ICPC'

),

icpcs as (

    select distinct s47_id
    from {{ ref('stg_frameworki__cp_conferences') }}
    where
        conference_type = 'ICPC'
        and s47_id is not null

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
        is_working_day,
        working_day_index
    from {{ ref('int_calendar__days') }}

),

final as (

    select
        'child_protection' as area,
        'icpc' as item_kind,
        enquiries.s47_id as record_id,
        enquiries.person_id,
        enquiries.team,
        'strategy discussion' as timed_from_event,
        strategy_discussions.sd_date as timed_from_date,
        {{ icpc_limit_working_days() }} as limit_value,
        'working days' as limit_unit,
        due_day.calendar_date as due_date

    from enquiries
    inner join strategy_discussions
        on enquiries.sd_id = strategy_discussions.sd_id
    inner join calendar as from_day
        on strategy_discussions.sd_date = from_day.calendar_date
    inner join calendar as due_day
        on
            due_day.working_day_index = from_day.working_day_index + {{ icpc_limit_working_days() }}
            and due_day.is_working_day
    left join icpcs
        on enquiries.s47_id = icpcs.s47_id
    where icpcs.s47_id is null

)

select * from final
