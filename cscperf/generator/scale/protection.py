"""Strategy discussions, s47 enquiries, conferences, CP plans and visits (scale profile)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..shared.codes import CP_CATEGORIES, CP_CATEGORY_P
from .front_door import Referrals
from .sink import AS_AT, DAY, Sink, dates, later, repeat_offsets
from .volumes import SDS, MonthSpan


@dataclass
class Icpcs:
    """The month's initial conferences: s47 ids, days, children, and which decided a plan."""

    s47_ids: np.ndarray
    day: np.ndarray
    person: np.ndarray
    plan: np.ndarray


@dataclass
class Plans:
    ids: np.ndarray
    person: np.ndarray
    start: np.ndarray
    last: np.ndarray  # the end, or a month after the as-at date while open


def protection(sink: Sink, rng: np.random.Generator, refs: Referrals, span: MonthSpan) -> None:
    icpcs = enquiries(sink, rng, refs, span)
    plans = cp_plans(sink, rng, icpcs)
    conferences(sink, icpcs, plans)
    cp_visits(sink, rng, plans)


def enquiries(sink: Sink, rng: np.random.Generator, refs: Referrals, span: MonthSpan) -> Icpcs:
    """Strategy discussions after referrals, s47 enquiries after some; the ICPCs they lead to."""
    n_sd = min(int(rng.poisson(SDS * span.scale * span.season)), refs.n)
    chosen = rng.choice(refs.n, n_sd, replace=False) if n_sd else np.array([], int)
    sd_day = refs.day[chosen] + rng.integers(0, 5, n_sd) * DAY
    sd_person = refs.person[chosen]
    sd_ids = sink.ids("strategy_discussions", n_sd)
    to_s47 = rng.random(n_sd) < 0.57
    sink.write(
        "strategy_discussions",
        {
            "SD_ID": sd_ids,
            "PERSON_ID": sd_person,
            "REFERRAL_ID": refs.ids[chosen],
            "SD_DATE": dates(sd_day),
            "OUTCOME": np.where(to_s47, "S47", "CIN"),
        },
    )
    n_s47 = int(to_s47.sum())
    s47_ids = sink.ids("s47_enquiries", n_s47)
    to_icpc = rng.random(n_s47) < 0.25
    s47_day = sd_day[to_s47]
    icpc_day = s47_day + rng.integers(5, 25, n_s47) * DAY
    sink.write(
        "s47_enquiries",
        {
            "S47_ID": s47_ids,
            "PERSON_ID": sd_person[to_s47],
            "SD_ID": sd_ids[to_s47],
            "START_DATE": dates(s47_day),
            "END_DATE": dates(later(icpc_day)),
            "OUTCOME": np.where(to_icpc, "ICPC", "CIN"),
        },
    )
    plan = rng.random(int(to_icpc.sum())) < 0.9
    return Icpcs(s47_ids[to_icpc], icpc_day[to_icpc], sd_person[to_s47][to_icpc], plan)


def cp_plans(sink: Sink, rng: np.random.Generator, icpcs: Icpcs) -> Plans:
    plan_start = icpcs.day[icpcs.plan]
    n_plan = int(icpcs.plan.sum())
    duration = rng.integers(60, 720, n_plan)
    plan_end = later(plan_start + duration * DAY)
    plan_ids = sink.ids("cp_plans", n_plan)
    plan_person = icpcs.person[icpcs.plan]
    sink.write(
        "cp_plans",
        {
            "CPP_ID": plan_ids,
            "PERSON_ID": plan_person,
            "START_DATE": dates(plan_start),
            "END_DATE": dates(plan_end),
            "CATEGORY": rng.choice(list(CP_CATEGORIES), n_plan, p=list(CP_CATEGORY_P)),
        },
    )
    last = np.where(np.isnat(plan_end), AS_AT + 30 * DAY, plan_end)
    return Plans(plan_ids, plan_person, plan_start, last)


def conferences(sink: Sink, icpcs: Icpcs, plans: Plans) -> None:
    """The ICPCs, and a review 90 days into each plan and every 180 days after."""
    n_icpc = len(icpcs.day)
    n_rev = np.maximum((plans.last - plans.start - 90 * DAY) // (180 * DAY) + 1, 0).astype(int)
    off = repeat_offsets(n_rev)
    rev_day = np.repeat(plans.start, n_rev) + (90 + 180 * off) * DAY
    conf_n = n_icpc + len(rev_day)
    sink.write(
        "cp_conferences",
        {
            "CONFERENCE_ID": sink.ids("cp_conferences", conf_n),
            "PERSON_ID": np.concatenate([icpcs.person, np.repeat(plans.person, n_rev)]),
            "CONFERENCE_TYPE": np.array(["ICPC"] * n_icpc + ["RCPC"] * len(rev_day)),
            "CONFERENCE_DATE": dates(np.concatenate([icpcs.day, rev_day])),
            "S47_ID": np.concatenate([icpcs.s47_ids.astype(str), np.full(len(rev_day), "")]),
            "CPP_ID": np.concatenate(
                [np.full(n_icpc, ""), np.repeat(plans.ids, n_rev).astype(str)]
            ),
            "OUTCOME": np.concatenate(
                [np.where(icpcs.plan, "PLAN", "NO_PLAN"), np.full(len(rev_day), "CONTINUE")]
            ),
        },
    )


def cp_visits(sink: Sink, rng: np.random.Generator, plans: Plans) -> None:
    """A visit about every 12 days of each plan."""
    n_vis = ((plans.last - plans.start) // (12 * DAY)).astype(int)
    off = repeat_offsets(n_vis)
    vis_day = np.repeat(plans.start, n_vis) + (12 * (off + 1) - rng.integers(0, 5, len(off))) * DAY
    sink.write(
        "cp_visits",
        {
            "VISIT_ID": sink.ids("cp_visits", len(vis_day)),
            "PERSON_ID": np.repeat(plans.person, n_vis),
            "VISIT_DATE": dates(vis_day),
            "CHILD_SEEN": np.where(rng.random(len(vis_day)) < 0.95, "Y", "N"),
        },
    )
