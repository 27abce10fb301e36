-- Data-quality findings on periods of care (LAC episodes and reviews), CAF
-- episodes and the children of CP plans, LAC and CAF episodes as at the run's
-- date (one row per finding and record): dates out of order, overlapping
-- episodes, reviews outside care, people missing from people.csv. One of the
-- three models that marts.data_quality_findings unions.

with

lac_episodes as (select * from {{ ref('stg_frameworki__lac_episodes') }}),

caf_episodes as (select * from {{ ref('stg_frameworki__caf_episodes') }}),

lac_reviews as (select * from {{ ref('int_looked_after__lac_review_timeliness') }}),

plans as (select * from {{ ref('stg_frameworki__cp_plans') }}),

people as (select * from {{ ref('stg_frameworki__people') }}),

ended_before_start as (

    select
        'lac_episode_ended_before_start' as finding,
        'lac_episodes' as extract,
        episode_id as record_id,
        'END_DATE ' || end_date || ' before START_DATE ' || start_date || ': never open' as detail
    from lac_episodes
    where end_date < start_date
    union all
    select
        'caf_episode_ended_before_start' as finding,
        'caf_episodes' as extract,
        caf_id as record_id,
        'END_DATE ' || end_date || ' before START_DATE ' || start_date
        || ': never open, still closed in its END month' as detail
    from caf_episodes
    where end_date < start_date

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
    where
        is_looked_after
        and (end_date is null or end_date >= start_date)

),

overlapping_care_episodes as (

    select
        'lac_episodes_overlap' as finding,
        'lac_episodes' as extract,
        episode_id as record_id,
        'starts ' || start_date || ', before an earlier episode of the child ends ('
        || case
            when previous_end_so_far = date '9999-12-31' then 'open'
            else cast(previous_end_so_far as varchar)
        end || ')' as detail
    from ordered_care_episodes
    where start_date < previous_end_so_far

),

lac_review_outside_care as (

    select
        'lac_review_outside_care' as finding,
        'lac_reviews' as extract,
        review_id as record_id,
        'REVIEW_DATE ' || review_date
        || ' is in no period of care: counted as not within timescale (code 29)' as detail
    from lac_reviews
    where period_of_care_id is null

),

person_missing as (

    {%- set person_extracts = [
        ('cp_plans', 'plans', 'cpp_id'),
        ('lac_episodes', 'lac_episodes', 'episode_id'),
        ('caf_episodes', 'caf_episodes', 'caf_id'),
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

    select * from ended_before_start
    union all
    select * from overlapping_care_episodes
    union all
    select * from lac_review_outside_care
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
