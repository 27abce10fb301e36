-- Code 5: contacts received in each reported month per referral source, all
-- 22 sources every month in the report's order, zero rows included.
-- pct_of_contacts = the source's share of the month's contacts;
-- pct_progressed = the share of the source's contacts with OUTCOME = REFERRAL.
-- Both null when there is nothing to divide by.

with

contacts as (

    select * from {{ ref('int_contacts__screening') }}

),

sources as (

    select * from {{ ref('referral_sources') }}

),

months as (

    select period_end from {{ ref('int_reporting_months') }}

),

source_counts as (

    select
        period_end,
        source_code,
        count(*) as contacts,
        count(*) filter (where is_progressed_to_referral) as progressed
    from contacts
    group by period_end, source_code

),

every_source_every_month as (

    select
        months.period_end,
        sources.report_order,
        sources.source_code,
        sources.source_label,
        coalesce(source_counts.contacts, 0) as contacts,
        coalesce(source_counts.progressed, 0) as progressed

    from months
    cross join sources
    left join source_counts
        on
            months.period_end = source_counts.period_end
            and sources.source_code = source_counts.source_code

),

final as (

    select
        period_end,
        cast(report_order as integer) as report_order,
        source_code,
        source_label,
        cast(contacts as bigint) as contacts,
        cast(
            {{ percentage('contacts', 'sum(contacts) over (partition by period_end)') }}
            as double
        ) as pct_of_contacts,
        cast(progressed as bigint) as progressed,
        cast({{ percentage('progressed', 'contacts') }} as double) as pct_progressed

    from every_source_every_month

)

select * from final
