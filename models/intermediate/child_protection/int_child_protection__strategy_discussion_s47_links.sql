-- One row per strategy discussion, with whether at least one s47 enquiry
-- known as at the run's date is linked to it by SD_ID (codes 14-16).

with

strategy_discussions as (

    select * from {{ ref('stg_frameworki__strategy_discussions') }}

),

s47_enquiries as (

    select * from {{ ref('stg_frameworki__s47_enquiries') }}

),

linked_discussions as (

    select
        sd_id,
        count(*) as s47_count
    from s47_enquiries
    where sd_id is not null
    group by sd_id

),

final as (

    select
        strategy_discussions.sd_id,
        strategy_discussions.person_id,
        strategy_discussions.sd_date,
        last_day(strategy_discussions.sd_date) as period_end,
        strategy_discussions.outcome_code,
        coalesce(linked_discussions.s47_count, 0) as s47_count,
        linked_discussions.sd_id is not null as has_s47

    from strategy_discussions
    left join linked_discussions
        on strategy_discussions.sd_id = linked_discussions.sd_id

)

select * from final
