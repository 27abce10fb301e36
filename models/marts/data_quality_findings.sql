-- Cross-file data-quality findings as at the run's date, one row per finding
-- and record: the records that the indicator rules count in a particular way
-- (untraceable, unmatched, never open...), so analysts can correct the source
-- system. They never remove a record from an indicator. This model is the one
-- definition of every finding: the quality step reports each kind from here
-- as a warning (expectations/cross_file/findings.json: names, descriptions,
-- severities; counts and example record ids only). No person ids.

--
-- The findings are defined in three intermediate models by area (so that no
-- model reads more than six others): int_quality__front_door_findings,
-- int_quality__child_protection_findings and
-- int_quality__care_and_early_help_findings.

with

findings as (

    select * from {{ ref('int_quality__front_door_findings') }}
    union all
    select * from {{ ref('int_quality__child_protection_findings') }}
    union all
    select * from {{ ref('int_quality__care_and_early_help_findings') }}

),

final as (

    select
        finding,
        extract,
        record_id,
        detail
    from findings

)

select * from final
