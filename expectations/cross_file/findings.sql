-- Cross-file data-quality findings on the raw tables: one row per finding,
-- (finding, record_id). These never reject rows (the contract says the rows
-- still count where the definitions say so); findings.json turns each kind
-- into a warning with its count and example ids.
with
plan_icpc as (
    select p.cpp_id
    from raw.cp_plans as p
    where exists (
        select 1 from raw.cp_conferences as c
        where c.person_id = p.person_id
          and c.conference_type in ('ICPC', 'TRANSFER_IN')
          and c.conference_date <= p.start_date
    )
),
episodes as (
    select episode_id, person_id, start_date, coalesce(end_date, date '9999-12-31') as end_date
    from raw.lac_episodes
    where end_date is null or end_date >= start_date
),
care_spans as (
    select person_id, start_date, coalesce(end_date, date '9999-12-31') as end_date
    from raw.lac_episodes
    where legal_status not in ('V3', 'V4')
),
people as (select distinct person_id from raw.people)

-- orphan links
select 'contact_referral_missing' as finding, c.contact_id as record_id
from raw.contacts as c
where c.referral_id is not null
  and not exists (select 1 from raw.referrals as r where r.referral_id = c.referral_id)
union all
select 'referral_contact_missing', r.referral_id
from raw.referrals as r
where r.contact_id is not null
  and not exists (select 1 from raw.contacts as c where c.contact_id = r.contact_id)
union all
select 'assessment_referral_missing', a.assessment_id
from raw.assessments as a
where a.referral_id is not null
  and not exists (select 1 from raw.referrals as r where r.referral_id = a.referral_id)
union all
select 's47_strategy_discussion_missing', s.s47_id
from raw.s47_enquiries as s
where s.sd_id is not null
  and not exists (select 1 from raw.strategy_discussions as d where d.sd_id = s.sd_id)
union all
select 'conference_s47_missing', c.conference_id
from raw.cp_conferences as c
where c.s47_id is not null
  and not exists (select 1 from raw.s47_enquiries as s where s.s47_id = c.s47_id)
union all
select 'conference_plan_missing', c.conference_id
from raw.cp_conferences as c
where c.cpp_id is not null
  and not exists (select 1 from raw.cp_plans as p where p.cpp_id = c.cpp_id)
union all
-- an ICPC whose strategy discussion cannot be traced (ICPC -> S47_ID -> SD_ID)
select 'icpc_strategy_discussion_untraceable', c.conference_id
from raw.cp_conferences as c
left join raw.s47_enquiries as s on s.s47_id = c.s47_id
left join raw.strategy_discussions as d on d.sd_id = s.sd_id
where c.conference_type = 'ICPC' and d.sd_id is null
union all
-- a plan with no ICPC (or transfer-in conference) of its child on or before its start
select 'cp_plan_without_icpc', p.cpp_id
from raw.cp_plans as p
where p.cpp_id not in (select cpp_id from plan_icpc)
union all
-- an outcome of the other conference type's kind
select 'conference_outcome_of_other_type', c.conference_id
from raw.cp_conferences as c
where (c.conference_type = 'ICPC' and c.outcome in ('CONTINUE', 'END'))
   or (c.conference_type = 'RCPC' and c.outcome in ('PLAN', 'NO_PLAN'))
union all
-- end before start
select 'referral_closed_before_referral', referral_id
from raw.referrals where closure_date < referral_date
union all
select 'assessment_completed_before_start', assessment_id
from raw.assessments where completed_date < start_date or authorised_date < start_date
union all
select 's47_ended_before_start', s47_id
from raw.s47_enquiries where end_date < start_date
union all
select 'cp_plan_ended_before_start', cpp_id
from raw.cp_plans where end_date < start_date
union all
select 'lac_episode_ended_before_start', episode_id
from raw.lac_episodes where end_date < start_date
union all
select 'caf_episode_ended_before_start', caf_id
from raw.caf_episodes where end_date < start_date
union all
-- overlapping care episodes of one child (one starting on the day the
-- previous one ended is consecutive, not overlapping)
select distinct 'lac_episodes_overlap', a.episode_id
from episodes as a
join episodes as b
  on b.person_id = a.person_id and b.episode_id <> a.episode_id
 and a.start_date < b.end_date and b.start_date < a.end_date
union all
-- a LAC review outside any period of care
select 'lac_review_outside_care', v.review_id
from raw.lac_reviews as v
where not exists (
    select 1 from care_spans as s
    where s.person_id = v.person_id and s.start_date <= v.review_date
      and v.review_date <= s.end_date
)
union all
-- records whose child is missing from people.csv (they still count)
select 'person_missing', 'contacts:' || contact_id from raw.contacts
where person_id not in (select person_id from people)
union all
select 'person_missing', 'referrals:' || referral_id from raw.referrals
where person_id not in (select person_id from people)
union all
select 'person_missing', 'assessments:' || assessment_id from raw.assessments
where person_id not in (select person_id from people)
union all
select 'person_missing', 'cp_plans:' || cpp_id from raw.cp_plans
where person_id not in (select person_id from people)
union all
select 'person_missing', 'lac_episodes:' || episode_id from raw.lac_episodes
where person_id not in (select person_id from people)
union all
select 'person_missing', 'caf_episodes:' || caf_id from raw.caf_episodes
where person_id not in (select person_id from people)
order by finding, record_id
