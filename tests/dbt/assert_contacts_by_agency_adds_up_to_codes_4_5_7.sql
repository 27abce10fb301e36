-- The code-5 table adds up: each month's 22 rows sum to the month's contacts
-- (codes 4 and 5) and to the numerator of code 7 (progressed to referral).
with

agency_totals as (

    select
        period_end,
        count(*) as source_rows,
        sum(contacts) as contacts,
        sum(progressed) as progressed
    from {{ ref('contacts_by_agency') }}
    group by period_end

),

values_ as (

    select * from {{ ref('indicator_values') }}

)

select agency_totals.*
from agency_totals
inner join values_ as code_4
    on agency_totals.period_end = code_4.period_end and code_4.indicator_code = 4
inner join values_ as code_5
    on agency_totals.period_end = code_5.period_end and code_5.indicator_code = 5
inner join values_ as code_7
    on agency_totals.period_end = code_7.period_end and code_7.indicator_code = 7
where
    agency_totals.source_rows <> 22
    or agency_totals.contacts <> code_4.numerator
    or agency_totals.contacts <> code_5.value
    or agency_totals.progressed <> code_7.numerator
    or agency_totals.contacts <> code_7.denominator
