-- The earliest date of each kind in the contacts, referrals and assessments
-- extracts, as at the run's date (staging keeps only records known then): one
-- row per extract and date column, null when the extract has none.
-- int_reporting_months takes the least.

with

first_dates as (

    select
        'contacts' as extract,
        'received_date' as date_column,
        min(received_date) as first_date
    from {{ ref('stg_frameworki__contacts') }}
    union all
    select
        'contacts' as extract,
        'screened_date' as date_column,
        min(screened_date) as first_date
    from {{ ref('stg_frameworki__contacts') }}
    union all
    select
        'referrals' as extract,
        'referral_date' as date_column,
        min(referral_date) as first_date
    from {{ ref('stg_frameworki__referrals') }}
    union all
    select
        'referrals' as extract,
        'closure_date' as date_column,
        min(closure_date) as first_date
    from {{ ref('stg_frameworki__referrals') }}
    union all
    select
        'assessments' as extract,
        'start_date' as date_column,
        min(start_date) as first_date
    from {{ ref('stg_frameworki__assessments') }}
    union all
    select
        'assessments' as extract,
        'completed_date' as date_column,
        min(completed_date) as first_date
    from {{ ref('stg_frameworki__assessments') }}
    union all
    select
        'assessments' as extract,
        'authorised_date' as date_column,
        min(authorised_date) as first_date
    from {{ ref('stg_frameworki__assessments') }}

)

select * from first_dates
