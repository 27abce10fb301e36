-- marts.indicator_values and marts.indicator_report hold every indicator of
-- the registry (reference.indicator_catalogue, codes 1-29) for every reported
-- month, and nothing else.
with

months as (select period_end from {{ ref('int_reporting_months') }}),

codes as (select indicator_code from {{ ref('indicator_catalogue') }}),

expected as (
    select
        codes.indicator_code,
        months.period_end
    from codes cross join months
),

values_ as (
    select
        indicator_code,
        period_end
    from {{ ref('indicator_values') }}
),

report as (
    select
        indicator_code,
        period_end
    from {{ ref('indicator_report') }}
),

missing_values as (
    select * from expected
    except
    select * from values_
),

unexpected_values as (
    select * from values_
    except
    select * from expected
),

missing_report as (
    select * from expected
    except
    select * from report
),

unexpected_report as (
    select * from report
    except
    select * from expected
)

select
    'missing from indicator_values' as problem,
    indicator_code,
    period_end
from missing_values
union all
select
    'unexpected in indicator_values' as problem,
    indicator_code,
    period_end
from unexpected_values
union all
select
    'missing from indicator_report' as problem,
    indicator_code,
    period_end
from missing_report
union all
select
    'unexpected in indicator_report' as problem,
    indicator_code,
    period_end
from unexpected_report
