-- marts.indicator_values and marts.indicator_report hold every indicator of
-- the registry (reference.indicator_catalogue, codes 1-29) for every reported
-- month, and nothing else.
with

months as (select period_end from {{ ref('int_reporting_months') }}),
codes as (select indicator_code from {{ ref('indicator_catalogue') }}),
expected as (select codes.indicator_code, months.period_end from codes cross join months),
values_ as (select indicator_code, period_end from {{ ref('indicator_values') }}),
report as (select indicator_code, period_end from {{ ref('indicator_report') }})

select 'missing from indicator_values' as problem, * from (select * from expected except select * from values_)
union all
select 'unexpected in indicator_values', * from (select * from values_ except select * from expected)
union all
select 'missing from indicator_report', * from (select * from expected except select * from report)
union all
select 'unexpected in indicator_report', * from (select * from report except select * from expected)
