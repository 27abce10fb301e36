-- Contacts received on or before the as-at date. A contact screened after the
-- as-at date is unscreened as at that date: its screening, outcome and
-- referral are not yet known.

with

source as (

    select * from {{ source('frameworki', 'contacts') }}
    where cast(contact_datetime as date) <= {{ as_at_date() }}

),

renamed as (

    select
        ----------  ids
        contact_id,
        person_id,

        ----------  received
        contact_datetime as received_at,
        cast(contact_datetime as date) as received_date,
        source_code,

        ----------  screening, known only once screened
        case when {{ screened_by_as_at() }} then screened_datetime end as screened_at,
        case
            when {{ screened_by_as_at() }} then cast(screened_datetime as date)
        end as screened_date,
        case
            when {{ screened_by_as_at() }} then screened_by_qualified
        end as is_screened_by_qualified,
        case
            when screened_datetime is null or {{ screened_by_as_at() }} then outcome
        end as outcome_code,
        case
            when screened_datetime is null or {{ screened_by_as_at() }} then referral_id
        end as referral_id,

        ----------  lineage
        _line as source_line

    from source

)

select * from renamed
