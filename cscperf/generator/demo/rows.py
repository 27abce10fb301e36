"""Records -> rows of the 13 extracts (values still typed: date, datetime, str)."""

from __future__ import annotations

from datetime import date, datetime

from ..shared.teams import add_teams
from .care import Care
from .context import Context
from .records import Assessment, Caf, Conference, Contact, Protection, Referral

Row = dict[str, object]
Tables = dict[str, list[Row]]


EXTRACT_NAMES = (
    "people",
    "contacts",
    "referrals",
    "assessments",
    "strategy_discussions",
    "s47_enquiries",
    "cp_conferences",
    "cp_plans",
    "cp_visits",
    "lac_episodes",
    "lac_visits",
    "lac_reviews",
    "caf_episodes",
)
# Files whose records are built without an id: ids in date order from these
UNNUMBERED = {
    "cp_visits": (9_000_001, "VISIT_DATE"),
    "lac_episodes": (10_000_001, "START_DATE"),
    "lac_visits": (11_000_001, "VISIT_DATE"),
    "lac_reviews": (12_000_001, "REVIEW_DATE"),
}
# Files with their own ids: sorted by this date, then id
DATED = {
    "contacts": "CONTACT_DATETIME",
    "referrals": "REFERRAL_DATE",
    "assessments": "START_DATE",
    "strategy_discussions": "SD_DATE",
    "s47_enquiries": "START_DATE",
    "cp_conferences": "CONFERENCE_DATE",
    "cp_plans": "START_DATE",
    "caf_episodes": "START_DATE",
}


def build_tables(
    ctx: Context,
    contacts: list[Contact],
    referrals: list[Referral],
    assessments: list[Assessment],
    prot: Protection,
    care: Care,
    cafs: list[Caf],
) -> Tables:
    t: Tables = {name: [] for name in EXTRACT_NAMES}
    t["contacts"] = [contact_row(c) for c in contacts]
    t["referrals"] = [referral_row(r) for r in referrals]
    t["assessments"] = [assessment_row(a) for a in assessments]
    protection_rows(t, prot)
    care_rows(t, care)
    t["caf_episodes"] = [caf_row(c) for c in cafs]
    order_and_number(t)
    add_teams(t)  # v1.1 TEAM, from each row's id (no random draw)
    return t


def contact_row(c: Contact) -> Row:
    return {
        "CONTACT_ID": str(c.id),
        "PERSON_ID": c.who.person_id,
        "CONTACT_DATETIME": c.received,
        "SOURCE_CODE": c.source,
        "SCREENED_DATETIME": c.screened,
        "SCREENED_BY_QUALIFIED": c.qualified,
        "OUTCOME": c.outcome,
        "REFERRAL_ID": str(c.referral.id) if c.referral else None,
    }


def referral_row(r: Referral) -> Row:
    return {
        "REFERRAL_ID": str(r.id),
        "PERSON_ID": r.who.person_id,
        "REFERRAL_DATE": r.day,
        "SOURCE_CODE": r.source,
        "CONTACT_ID": str(r.contact.id) if r.contact else None,
        "OUTCOME": r.outcome,
        "CLOSURE_DATE": r.closure,
    }


def assessment_row(a: Assessment) -> Row:
    return {
        "ASSESSMENT_ID": str(a.id),
        "PERSON_ID": a.who.person_id,
        "REFERRAL_ID": a.referral_id_override or (str(a.referral.id) if a.referral else None),
        "ASSESSMENT_TYPE": a.kind,
        "START_DATE": a.start,
        "COMPLETED_DATE": a.completed,
        "AUTHORISED_DATE": a.authorised,
        "OUTCOME": a.outcome,
    }


def protection_rows(t: Tables, prot: Protection) -> None:
    """Strategy discussions, s47 enquiries, conferences, plans and their visits."""
    for sd in prot.sds:
        t["strategy_discussions"].append(
            {
                "SD_ID": str(sd.id),
                "PERSON_ID": sd.who.person_id,
                "REFERRAL_ID": str(sd.referral.id) if sd.referral else None,
                "SD_DATE": sd.day,
                "OUTCOME": sd.outcome,
            }
        )
    for s in prot.s47s:
        t["s47_enquiries"].append(
            {
                "S47_ID": str(s.id),
                "PERSON_ID": s.sd.who.person_id,
                "SD_ID": str(s.sd.id),
                "START_DATE": s.start,
                "END_DATE": s.end,
                "OUTCOME": s.outcome,
            }
        )
    t["cp_conferences"] = [conference_row(c) for c in prot.conferences]
    for p in prot.plans:
        t["cp_plans"].append(
            {
                "CPP_ID": str(p.id),
                "PERSON_ID": p.who.person_id,
                "START_DATE": p.start,
                "END_DATE": p.end,
                "CATEGORY": p.category,
            }
        )
        for day, seen in p.visits:
            t["cp_visits"].append(
                {"VISIT_ID": None, "PERSON_ID": p.who.person_id, "VISIT_DATE": day,
                 "CHILD_SEEN": seen}
            )  # fmt: skip


def conference_row(c: Conference) -> Row:
    return {
        "CONFERENCE_ID": str(c.id),
        "PERSON_ID": (c.s47.sd.who if c.s47 else c.who).person_id,
        "CONFERENCE_TYPE": c.kind,
        "CONFERENCE_DATE": c.day,
        "S47_ID": str(c.s47.id) if c.s47 else None,
        "CPP_ID": str(c.plan.id) if (c.plan and c.kind == "RCPC") else None,
        "OUTCOME": c.outcome,
    }


def care_rows(t: Tables, care: Care) -> None:
    """Episodes, visits and reviews of the periods of care, then the short breaks."""
    for p in care.periods:
        pid = p.who.person_id
        for s, e, status, placement, reason_new, ceased in p.episodes:
            t["lac_episodes"].append(
                {
                    "EPISODE_ID": None,
                    "PERSON_ID": pid,
                    "START_DATE": s,
                    "END_DATE": e,
                    "LEGAL_STATUS": status,
                    "PLACEMENT_TYPE": placement,
                    "REASON_NEW_EPISODE": reason_new,
                    "REASON_CEASED": ceased,
                }
            )
        t["lac_visits"] += [{"VISIT_ID": None, "PERSON_ID": pid, "VISIT_DATE": d} for d in p.visits]
        t["lac_reviews"] += [
            {"REVIEW_ID": None, "PERSON_ID": pid, "REVIEW_DATE": d} for d in p.reviews
        ]
    for who, start, end, status in care.short_breaks:
        t["lac_episodes"].append(
            {
                "EPISODE_ID": None,
                "PERSON_ID": who.person_id,
                "START_DATE": start,
                "END_DATE": end,
                "LEGAL_STATUS": status,
                "PLACEMENT_TYPE": "R5",
                "REASON_NEW_EPISODE": "S",
                "REASON_CEASED": "E8",
            }
        )


def caf_row(c: Caf) -> Row:
    return {
        "CAF_ID": str(c.id),
        "PERSON_ID": c.who.person_id,
        "START_DATE": c.start,
        "END_DATE": c.end,
        "STEP_DOWN": c.step_down,
        "SOCIAL_CARE_INVOLVEMENT": c.social_care,
        "LEAD_PROFESSIONAL_AGENCY": c.lead,
        "LOCALITY": c.locality,
        "CLOSURE_REASON": c.closure_reason,
    }


def order_and_number(t: Tables) -> None:
    """Rows in date order; ids for the files whose records have none, in that order."""
    for name, (first, key) in UNNUMBERED.items():
        id_col = next(iter(t[name][0])) if t[name] else None
        t[name].sort(key=lambda r, k=key: (_day(r[k]), r["PERSON_ID"] or ""))
        for i, row in enumerate(t[name]):
            row[id_col] = str(first + i)
    for name, key in DATED.items():
        t[name].sort(key=lambda r, k=key: (_day(r[k]), int(str(next(iter(r.values()))))))


def _day(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    assert isinstance(value, date)
    return value
