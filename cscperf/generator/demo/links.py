"""Each strategy discussion follows a recent referral of the same child: the
discussion's chain (s47, plan, ICPC) takes the referral's child slot."""

from __future__ import annotations

import bisect
from datetime import timedelta

import numpy as np

from .records import CpPlan, Protection, Referral, StrategyDiscussion


def link_referrals(out: Protection, referrals: list[Referral], rng: np.random.Generator) -> None:
    """Each strategy discussion follows a recent referral of the same child."""
    refs = sorted(referrals, key=lambda r: (r.day, r.id))
    days = [r.day for r in refs]
    plan_of_sd = {id(p.icpc.s47.sd): p for p in out.plans if p.icpc is not None}
    for sd in sorted(out.sds, key=lambda s: (s.day, s.id)):
        plan = plan_of_sd.get(id(sd))
        hi = bisect.bisect_right(days, sd.day)
        lo = bisect.bisect_left(days, sd.day - timedelta(days=40))
        ref = None
        for _ in range(12):
            if hi <= lo:
                break
            r = refs[int(rng.integers(lo, hi))]
            if r.sd is not None or (plan is not None and plan.second and r.rereferral):
                continue
            ref = r
            break
        if ref is None:
            if plan is not None and plan.second:
                raise ValueError(f"no referral for the second plan starting {plan.start}")
            continue
        ref.sd = sd
        sd.referral = ref
        old = sd.who
        for rec in _chain(sd, plan):
            if rec.who is old:
                rec.who = ref.who
        if plan is not None:
            ref.plan = plan


def _chain(sd: StrategyDiscussion, plan: CpPlan | None) -> list:
    recs: list = [sd]
    if sd.s47 is not None:
        recs.append(sd.s47)
    if plan is not None:
        recs += [plan, plan.icpc]
    return recs
