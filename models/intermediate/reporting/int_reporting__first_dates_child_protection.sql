-- The earliest date of each kind in the strategy discussions, s47 enquiries, CP
-- conferences, CP plans and CP visits extracts, as at the run's date (staging
-- keeps only records known then): one row per extract and date column, null
-- when the extract has none. int_reporting_months takes the least.

with

first_dates as (

    select
        'strategy_discussions' as extract,
        'sd_date' as date_column,
        min(sd_date) as first_date
    from {{ ref('stg_frameworki__strategy_discussions') }}
    union all
    select
        's47_enquiries' as extract,
        'start_date' as date_column,
        min(start_date) as first_date
    from {{ ref('stg_frameworki__s47_enquiries') }}
    union all
    select
        's47_enquiries' as extract,
        'end_date' as date_column,
        min(end_date) as first_date
    from {{ ref('stg_frameworki__s47_enquiries') }}
    union all
    select
        'cp_conferences' as extract,
        'conference_date' as date_column,
        min(conference_date) as first_date
    from {{ ref('stg_frameworki__cp_conferences') }}
    union all
    select
        'cp_plans' as extract,
        'start_date' as date_column,
        min(start_date) as first_date
    from {{ ref('stg_frameworki__cp_plans') }}
    union all
    select
        'cp_plans' as extract,
        'end_date' as date_column,
        min(end_date) as first_date
    from {{ ref('stg_frameworki__cp_plans') }}
    union all
    select
        'cp_visits' as extract,
        'visit_date' as date_column,
        min(visit_date) as first_date
    from {{ ref('stg_frameworki__cp_visits') }}

)

select * from first_dates
