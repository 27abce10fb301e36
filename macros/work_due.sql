{#- The team of each child looked after at the run's date: the team of the
    child's looked-after episode (not V3/V4) open at that date that started
    last (ties: the greater EPISODE_ID). One row per person_id. -#}
{% macro work_due_looked_after_teams() -%}
    select person_id, team
    from (
        select
            person_id,
            team,
            row_number() over (
                partition by person_id order by start_date desc, episode_id desc
            ) as episode_rank
        from {{ ref('stg_frameworki__lac_episodes') }}
        where is_looked_after
          and start_date <= {{ as_at_date() }}
          and (end_date is null or end_date > {{ as_at_date() }})
    ) as ranked
    where episode_rank = 1
{%- endmacro %}
