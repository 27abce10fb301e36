-- Data-quality findings on contacts, referrals and assessments as at the
-- run's date (one row per finding and record): links to nothing, dates out of
-- order, people missing from people.csv. One of the three models that
-- marts.data_quality_findings unions; each finding is defined once, here or in
-- one of the other two.

with

contacts as (select * from {{ ref('stg_frameworki__contacts') }}),

referrals as (select * from {{ ref('stg_frameworki__referrals') }}),

assessments as (select * from {{ ref('stg_frameworki__assessments') }}),

people as (select * from {{ ref('stg_frameworki__people') }}),

contact_referral_missing as (

    select
        'contact_referral_missing' as finding,
        'contacts' as extract,
        contacts.contact_id as record_id,
        'REFERRAL_ID ' || contacts.referral_id || ' matches no referral known as at the run date'
            as detail
    from contacts
    left join referrals
        on contacts.referral_id = referrals.referral_id
    where
        contacts.referral_id is not null
        and referrals.referral_id is null

),

assessment_referral_missing as (

    select
        'assessment_referral_missing' as finding,
        'assessments' as extract,
        assessments.assessment_id as record_id,
        'REFERRAL_ID ' || assessments.referral_id
        || ' matches no referral: an IA is timed from its own START_DATE (code 11)' as detail
    from assessments
    left join referrals
        on assessments.referral_id = referrals.referral_id
    where
        assessments.referral_id is not null
        and referrals.referral_id is null

),

referral_contact_missing as (

    select
        'referral_contact_missing' as finding,
        'referrals' as extract,
        referrals.referral_id as record_id,
        'CONTACT_ID ' || referrals.contact_id || ' matches no contact known as at the run date'
            as detail
    from referrals
    left join contacts
        on referrals.contact_id = contacts.contact_id
    where
        referrals.contact_id is not null
        and contacts.contact_id is null

),

ended_before_start as (

    select
        'referral_closed_before_referral' as finding,
        'referrals' as extract,
        referral_id as record_id,
        'CLOSURE_DATE ' || closure_date || ' before REFERRAL_DATE ' || referral_date as detail
    from referrals
    where closure_date < referral_date
    union all
    select
        'assessment_authorised_before_start' as finding,
        'assessments' as extract,
        assessment_id as record_id,
        'AUTHORISED_DATE ' || authorised_date || ' before START_DATE ' || start_date as detail
    from assessments
    where authorised_date < start_date
    union all
    select
        'assessment_completed_before_start' as finding,
        'assessments' as extract,
        assessment_id as record_id,
        'COMPLETED_DATE ' || completed_date || ' before START_DATE ' || start_date as detail
    from assessments
    where completed_date < start_date

),

person_missing as (

    {%- set person_extracts = [
        ('contacts', 'contacts', 'contact_id'),
        ('referrals', 'referrals', 'referral_id'),
        ('assessments', 'assessments', 'assessment_id'),
    ] %}
    {%- for extract, cte, id_column in person_extracts %}
    select
        'person_missing' as finding,
        '{{ extract }}' as extract,
        {{ cte }}.{{ id_column }} as record_id,
        'its PERSON_ID matches no person in people.csv (the record still counts)' as detail
    from {{ cte }}
    left join people
        on {{ cte }}.person_id = people.person_id
    where people.person_id is null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

findings (finding, extract, record_id, detail) as (

    select * from contact_referral_missing
    union all
    select * from assessment_referral_missing
    union all
    select * from referral_contact_missing
    union all
    select * from ended_before_start
    union all
    select * from person_missing

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
