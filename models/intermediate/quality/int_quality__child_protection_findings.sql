-- Data-quality findings on strategy discussions, s47 enquiries, CP
-- conferences and CP plans as at the run's date (one row per finding and
-- record): links to nothing, dates out of order, plans without an ICPC,
-- untraceable ICPCs, unmatched RCPCs, outcomes of the other conference type.
-- One of the three models that marts.data_quality_findings unions.

with

s47_enquiries as (select * from {{ ref('stg_frameworki__s47_enquiries') }}),

strategy_discussions as (select * from {{ ref('stg_frameworki__strategy_discussions') }}),

conferences as (select * from {{ ref('stg_frameworki__cp_conferences') }}),

plans as (select * from {{ ref('stg_frameworki__cp_plans') }}),

icpcs as (select * from {{ ref('int_child_protection__icpc_timeliness') }}),

rcpcs as (select * from {{ ref('int_child_protection__rcpc_chains') }}),

s47_strategy_discussion_missing as (

    select
        's47_strategy_discussion_missing' as finding,
        's47_enquiries' as extract,
        s47_enquiries.s47_id as record_id,
        'SD_ID ' || s47_enquiries.sd_id || ' matches no strategy discussion' as detail
    from s47_enquiries
    left join strategy_discussions
        on s47_enquiries.sd_id = strategy_discussions.sd_id
    where
        s47_enquiries.sd_id is not null
        and strategy_discussions.sd_id is null

),

conference_s47_missing as (

    select
        'conference_s47_missing' as finding,
        'cp_conferences' as extract,
        conferences.conference_id as record_id,
        'S47_ID ' || conferences.s47_id || ' matches no s47 enquiry' as detail
    from conferences
    left join s47_enquiries
        on conferences.s47_id = s47_enquiries.s47_id
    where
        conferences.s47_id is not null
        and s47_enquiries.s47_id is null

),

conference_plan_missing as (

    select
        'conference_plan_missing' as finding,
        'cp_conferences' as extract,
        conferences.conference_id as record_id,
        'CPP_ID ' || conferences.cpp_id || ' matches no CP plan' as detail
    from conferences
    left join plans
        on conferences.cpp_id = plans.cpp_id
    where
        conferences.cpp_id is not null
        and plans.cpp_id is null

),

ended_before_start as (

    select
        's47_ended_before_start' as finding,
        's47_enquiries' as extract,
        s47_id as record_id,
        'END_DATE ' || end_date || ' before START_DATE ' || start_date as detail
    from s47_enquiries
    where end_date < start_date
    union all
    select
        'cp_plan_ended_before_start' as finding,
        'cp_plans' as extract,
        cpp_id as record_id,
        'END_DATE ' || end_date || ' before START_DATE ' || start_date || ': never open' as detail
    from plans
    where end_date < start_date

),

plan_icpcs as (

    select distinct plans.cpp_id
    from plans
    inner join conferences
        on
            plans.person_id = conferences.person_id
            and conferences.conference_type = 'ICPC'
            and plans.start_date >= conferences.conference_date

),

plan_without_icpc as (

    select
        'cp_plan_without_icpc' as finding,
        'cp_plans' as extract,
        plans.cpp_id as record_id,
        'no ICPC of the child on or before START_DATE ' || plans.start_date
        || ': its first review cannot be timed (code 25)' as detail
    from plans
    left join plan_icpcs
        on plans.cpp_id = plan_icpcs.cpp_id
    where plan_icpcs.cpp_id is null

),

icpc_untraceable as (

    select
        'icpc_strategy_discussion_untraceable' as finding,
        'cp_conferences' as extract,
        conference_id as record_id,
        case
            when s47_id is null then 'no S47_ID'
            when sd_id is null then 'S47_ID ' || s47_id || ' found no s47 enquiry with an SD_ID'
            else 'SD_ID ' || sd_id || ' matches no strategy discussion'
        end || ': counted as not within timescale (code 23)' as detail
    from icpcs
    where not is_traceable

),

rcpc_unmatched as (

    select
        'rcpc_plan_unmatched' as finding,
        'cp_conferences' as extract,
        conference_id as record_id,
        case
            when recorded_cpp_id is not null
                then 'CPP_ID ' || recorded_cpp_id || ' matches no plan'
            else 'no CPP_ID and no plan of the child open or ending on the day'
        end || ': counted as not within timescale (code 25)' as detail
    from rcpcs
    where reviewed_cpp_id is null

),

rcpc_without_icpc as (

    select
        'rcpc_plan_without_icpc' as finding,
        'cp_conferences' as extract,
        conference_id as record_id,
        'first review of plan ' || reviewed_cpp_id
        || ', which has no ICPC: counted as not within timescale (code 25)' as detail
    from rcpcs
    where
        review_number = 1
        and plan_icpc_date is null

),

conference_outcome_of_other_type as (

    select
        'conference_outcome_of_other_type' as finding,
        'cp_conferences' as extract,
        conference_id as record_id,
        conference_type || ' with OUTCOME ' || outcome_code as detail
    from conferences
    where
        (conference_type = 'ICPC' and outcome_code in ('CONTINUE', 'END'))
        or (conference_type = 'RCPC' and outcome_code in ('PLAN', 'NO_PLAN'))

),

findings (finding, extract, record_id, detail) as (

    select * from s47_strategy_discussion_missing
    union all
    select * from conference_s47_missing
    union all
    select * from conference_plan_missing
    union all
    select * from ended_before_start
    union all
    select * from plan_without_icpc
    union all
    select * from icpc_untraceable
    union all
    select * from rcpc_unmatched
    union all
    select * from rcpc_without_icpc
    union all
    select * from conference_outcome_of_other_type

),

final as (

    select
        finding,
        extract,
        record_id,
        detail
    from findings

)

select * from final
