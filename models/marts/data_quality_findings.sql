-- Cross-file data-quality findings as at the run's date, one row per finding
-- and record: the records that the indicator rules count in a particular way
-- (untraceable, unmatched, never open...), so analysts can correct the source
-- system. They never remove a record from an indicator. This model is the one
-- definition of every finding: the quality step reports each kind from here
-- as a warning (expectations/cross_file/findings.json: names, descriptions,
-- severities; counts and example record ids only). No person ids.

with

contacts as (select * from {{ ref('stg_frameworki__contacts') }}),
referrals as (select * from {{ ref('stg_frameworki__referrals') }}),
assessments as (select * from {{ ref('stg_frameworki__assessments') }}),
s47_enquiries as (select * from {{ ref('stg_frameworki__s47_enquiries') }}),
conferences as (select * from {{ ref('stg_frameworki__cp_conferences') }}),
plans as (select * from {{ ref('stg_frameworki__cp_plans') }}),
lac_episodes as (select * from {{ ref('stg_frameworki__lac_episodes') }}),
strategy_discussions as (select * from {{ ref('stg_frameworki__strategy_discussions') }}),
people as (select * from {{ ref('stg_frameworki__people') }}),
caf_episodes as (select * from {{ ref('stg_frameworki__caf_episodes') }}),
icpcs as (select * from {{ ref('int_child_protection__icpc_timeliness') }}),
rcpcs as (select * from {{ ref('int_child_protection__rcpc_chains') }}),
lac_reviews as (select * from {{ ref('int_looked_after__lac_review_timeliness') }}),

contact_referral_missing as (

    select
        'contact_referral_missing' as finding,
        'contacts' as extract,
        contacts.contact_id as record_id,
        'REFERRAL_ID ' || contacts.referral_id || ' matches no referral known as at the run date'
            as detail
    from contacts
    left join referrals
        on referrals.referral_id = contacts.referral_id
    where contacts.referral_id is not null
      and referrals.referral_id is null

),

assessment_referral_missing as (

    select
        'assessment_referral_missing',
        'assessments',
        assessments.assessment_id,
        'REFERRAL_ID ' || assessments.referral_id
            || ' matches no referral: an IA is timed from its own START_DATE (code 11)'
    from assessments
    left join referrals
        on referrals.referral_id = assessments.referral_id
    where assessments.referral_id is not null
      and referrals.referral_id is null

),

referral_contact_missing as (

    select
        'referral_contact_missing',
        'referrals',
        referrals.referral_id,
        'CONTACT_ID ' || referrals.contact_id || ' matches no contact known as at the run date'
    from referrals
    left join contacts
        on contacts.contact_id = referrals.contact_id
    where referrals.contact_id is not null
      and contacts.contact_id is null

),

s47_strategy_discussion_missing as (

    select
        's47_strategy_discussion_missing',
        's47_enquiries',
        s47_enquiries.s47_id,
        'SD_ID ' || s47_enquiries.sd_id || ' matches no strategy discussion'
    from s47_enquiries
    left join strategy_discussions
        on strategy_discussions.sd_id = s47_enquiries.sd_id
    where s47_enquiries.sd_id is not null
      and strategy_discussions.sd_id is null

),

conference_s47_missing as (

    select
        'conference_s47_missing',
        'cp_conferences',
        conferences.conference_id,
        'S47_ID ' || conferences.s47_id || ' matches no s47 enquiry'
    from conferences
    left join s47_enquiries
        on s47_enquiries.s47_id = conferences.s47_id
    where conferences.s47_id is not null
      and s47_enquiries.s47_id is null

),

conference_plan_missing as (

    select
        'conference_plan_missing',
        'cp_conferences',
        conferences.conference_id,
        'CPP_ID ' || conferences.cpp_id || ' matches no CP plan'
    from conferences
    left join plans
        on plans.cpp_id = conferences.cpp_id
    where conferences.cpp_id is not null
      and plans.cpp_id is null

),

person_missing as (

    {%- set person_extracts = [
        ('contacts', 'contacts', 'contact_id'),
        ('referrals', 'referrals', 'referral_id'),
        ('assessments', 'assessments', 'assessment_id'),
        ('cp_plans', 'plans', 'cpp_id'),
        ('lac_episodes', 'lac_episodes', 'episode_id'),
        ('caf_episodes', 'caf_episodes', 'caf_id'),
    ] %}
    {%- for extract, cte, id_column in person_extracts %}
    select
        'person_missing',
        '{{ extract }}',
        {{ cte }}.{{ id_column }},
        'its PERSON_ID matches no person in people.csv (the record still counts)'
    from {{ cte }}
    left join people
        on people.person_id = {{ cte }}.person_id
    where people.person_id is null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

ended_before_start as (

    select 'referral_closed_before_referral', 'referrals', referral_id,
        'CLOSURE_DATE ' || closure_date || ' before REFERRAL_DATE ' || referral_date
    from referrals where closure_date < referral_date
    union all
    select 'assessment_authorised_before_start', 'assessments', assessment_id,
        'AUTHORISED_DATE ' || authorised_date || ' before START_DATE ' || start_date
    from assessments where authorised_date < start_date
    union all
    select 'assessment_completed_before_start', 'assessments', assessment_id,
        'COMPLETED_DATE ' || completed_date || ' before START_DATE ' || start_date
    from assessments where completed_date < start_date
    union all
    select 's47_ended_before_start', 's47_enquiries', s47_id,
        'END_DATE ' || end_date || ' before START_DATE ' || start_date
    from s47_enquiries where end_date < start_date
    union all
    select 'cp_plan_ended_before_start', 'cp_plans', cpp_id,
        'END_DATE ' || end_date || ' before START_DATE ' || start_date || ': never open'
    from plans where end_date < start_date
    union all
    select 'lac_episode_ended_before_start', 'lac_episodes', episode_id,
        'END_DATE ' || end_date || ' before START_DATE ' || start_date || ': never open'
    from lac_episodes where end_date < start_date
    union all
    select 'caf_episode_ended_before_start', 'caf_episodes', caf_id,
        'END_DATE ' || end_date || ' before START_DATE ' || start_date
            || ': never open, still closed in its END month'
    from caf_episodes where end_date < start_date

),

ordered_care_episodes as (

    select
        episode_id,
        person_id,
        start_date,
        end_date,
        max(coalesce(end_date, date '9999-12-31')) over (
            partition by person_id
            order by start_date, end_date nulls last, episode_id
            rows between unbounded preceding and 1 preceding
        ) as previous_end_so_far
    from lac_episodes
    where is_looked_after
      and (end_date is null or end_date >= start_date)

),

overlapping_care_episodes as (

    select
        'lac_episodes_overlap',
        'lac_episodes',
        episode_id,
        'starts ' || start_date || ', before an earlier episode of the child ends ('
            || case
                when previous_end_so_far = date '9999-12-31' then 'open'
                else cast(previous_end_so_far as varchar)
            end || ')'
    from ordered_care_episodes
    where start_date < previous_end_so_far

),

plan_icpcs as (

    select distinct plans.cpp_id
    from plans
    inner join conferences
        on conferences.person_id = plans.person_id
        and conferences.conference_type = 'ICPC'
        and conferences.conference_date <= plans.start_date

),

plan_without_icpc as (

    select
        'cp_plan_without_icpc',
        'cp_plans',
        plans.cpp_id,
        'no ICPC of the child on or before START_DATE ' || plans.start_date
            || ': its first review cannot be timed (code 25)'
    from plans
    left join plan_icpcs
        on plan_icpcs.cpp_id = plans.cpp_id
    where plan_icpcs.cpp_id is null

),

icpc_untraceable as (

    select
        'icpc_strategy_discussion_untraceable',
        'cp_conferences',
        conference_id,
        case
            when s47_id is null then 'no S47_ID'
            when sd_id is null then 'S47_ID ' || s47_id || ' found no s47 enquiry with an SD_ID'
            else 'SD_ID ' || sd_id || ' matches no strategy discussion'
        end || ': counted as not within timescale (code 23)'
    from icpcs
    where not is_traceable

),

rcpc_unmatched as (

    select
        'rcpc_plan_unmatched',
        'cp_conferences',
        conference_id,
        case
            when recorded_cpp_id is not null
                then 'CPP_ID ' || recorded_cpp_id || ' matches no plan'
            else 'no CPP_ID and no plan of the child open or ending on the day'
        end || ': counted as not within timescale (code 25)'
    from rcpcs
    where reviewed_cpp_id is null

),

rcpc_without_icpc as (

    select
        'rcpc_plan_without_icpc',
        'cp_conferences',
        conference_id,
        'first review of plan ' || reviewed_cpp_id
            || ', which has no ICPC: counted as not within timescale (code 25)'
    from rcpcs
    where review_number = 1
      and plan_icpc_date is null

),

conference_outcome_of_other_type as (

    select
        'conference_outcome_of_other_type',
        'cp_conferences',
        conference_id,
        conference_type || ' with OUTCOME ' || outcome_code
    from conferences
    where (conference_type = 'ICPC' and outcome_code in ('CONTINUE', 'END'))
       or (conference_type = 'RCPC' and outcome_code in ('PLAN', 'NO_PLAN'))

),

lac_review_outside_care as (

    select
        'lac_review_outside_care',
        'lac_reviews',
        review_id,
        'REVIEW_DATE ' || review_date
            || ' is in no period of care: counted as not within timescale (code 29)'
    from lac_reviews
    where period_of_care_id is null

),

findings as (

    select * from contact_referral_missing
    union all select * from referral_contact_missing
    union all select * from assessment_referral_missing
    union all select * from s47_strategy_discussion_missing
    union all select * from conference_s47_missing
    union all select * from conference_plan_missing
    union all select * from person_missing
    union all select * from ended_before_start
    union all select * from overlapping_care_episodes
    union all select * from plan_without_icpc
    union all select * from icpc_untraceable
    union all select * from rcpc_unmatched
    union all select * from rcpc_without_icpc
    union all select * from conference_outcome_of_other_type
    union all select * from lac_review_outside_care

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
