-- The earliest date of each kind in the LAC episodes, visits and reviews, and
-- CAF episodes extracts, as at the run's date (staging keeps only records known
-- then): one row per extract and date column, null when the extract has none.
-- int_reporting_months takes the least.

with

first_dates as (

    select
        'lac_episodes' as extract,
        'start_date' as date_column,
        min(start_date) as first_date
    from {{ ref('stg_frameworki__lac_episodes') }}
    union all
    select
        'lac_episodes' as extract,
        'end_date' as date_column,
        min(end_date) as first_date
    from {{ ref('stg_frameworki__lac_episodes') }}
    union all
    select
        'lac_visits' as extract,
        'visit_date' as date_column,
        min(visit_date) as first_date
    from {{ ref('stg_frameworki__lac_visits') }}
    union all
    select
        'lac_reviews' as extract,
        'review_date' as date_column,
        min(review_date) as first_date
    from {{ ref('stg_frameworki__lac_reviews') }}
    union all
    select
        'caf_episodes' as extract,
        'start_date' as date_column,
        min(start_date) as first_date
    from {{ ref('stg_frameworki__caf_episodes') }}
    union all
    select
        'caf_episodes' as extract,
        'end_date' as date_column,
        min(end_date) as first_date
    from {{ ref('stg_frameworki__caf_episodes') }}

)

select * from first_dates
