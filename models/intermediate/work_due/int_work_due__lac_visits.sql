-- Open work: the next visit of every child looked after at the run's date D
-- (in a period of care with START <= D < END or no END; code 27). A visit
-- made after D will be timed from the child's latest visit on or before D
-- that is on or after the period's start, or from the period's start; it is
-- due var('lac_visit_days') calendar days later. The team is that of the
-- child's looked-after episode open at D that started last.

with

periods as (

    select * from {{ ref('int_looked_after__periods_of_care') }}
    where
        start_date <= {{ as_at_date() }}
        and (end_date is null or end_date > {{ as_at_date() }})

),

visits as (

    select
        person_id,
        visit_date
    from {{ ref('stg_frameworki__lac_visits') }}

),

teams as (

    {{ work_due_looked_after_teams() }}

),

last_visits as (

    select
        periods.period_of_care_id,
        max(visits.visit_date) as visit_date
    from periods
    inner join visits
        on
            periods.person_id = visits.person_id
            and periods.start_date <= visits.visit_date
            and visits.visit_date <= {{ as_at_date() }}
    group by periods.period_of_care_id

),

final as (

    select
        'looked_after' as area,
        'lac_visit' as item_kind,
        periods.period_of_care_id as record_id,
        periods.person_id,
        teams.team,
        case
            when last_visits.visit_date is not null then 'previous visit'
            else 'period of care start'
        end as timed_from_event,
        coalesce(last_visits.visit_date, periods.start_date) as timed_from_date,
        {{ var('lac_visit_days') }} as limit_value,
        'days' as limit_unit,
        cast(
            coalesce(last_visits.visit_date, periods.start_date) + {{ var('lac_visit_days') }}
            as date
        ) as due_date

    from periods
    left join last_visits
        on periods.period_of_care_id = last_visits.period_of_care_id
    left join teams
        on periods.person_id = teams.person_id

)

select * from final
