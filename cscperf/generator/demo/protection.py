"""Strategy discussions, s47 enquiries, conferences and CP plans (codes 14-25).

1. ICPCs per month (exact number, number within 15 working days, number
   deciding PLAN); each is built backwards: its strategy discussion is k
   working days earlier (k <= 15 within, 16+ outside) and its s47 enquiry
   starts that day.
2. More strategy discussions fill each month up to the exact number with and
   without an s47 enquiry.
3. Plans start on the ICPC day (PLAN) or a transfer-in conference; special
   plans (2+ years, second plans) get a window they must end in
   (``special_plans``) and discussions their referral (``links``).
4. Month by month (``plan_reviews``), the plans that end are chosen so the
   month-end count is exact. Review conferences: every plan is reviewed by
   its deadline (90 days after the ICPC, then 180 days after the previous
   review), a few late; in the
   published months the exact number held and held within timescale is
   chosen from the plans that can be reviewed within / late that month. An
   ending review is held on the day a plan ends.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from cscperf.calendar import first_day, last_day, month_key, month_of

from ..shared.codes import CP_CATEGORIES, CP_CATEGORY_P
from .context import AS_AT, HISTORY_START, Context
from .links import link_referrals
from .plan_reviews import PINNED_PLAN_MONTHS, stock_and_reviews
from .records import S47, Conference, CpPlan, Protection, Referral, StrategyDiscussion, Who
from .special_plans import designate

FIRST_SD = date(2011, 1, 4)


def build(ctx: Context, referrals: list[Referral]) -> Protection:
    out = Protection()
    rng = ctx.rng("protection")
    _icpc_chains(ctx, out, rng)
    _fill_sds(ctx, out, rng)
    _transfers(ctx, out, rng)
    designate(out, rng)
    link_referrals(out, referrals, rng)
    stock_and_reviews(ctx, out, rng)
    return out


def _icpc_chains(ctx: Context, out: Protection, rng: np.random.Generator) -> None:
    cal = ctx.cal
    for month in ctx.plan.months:
        v = ctx.plan.values[month]
        n, n_within, n_plan = v["icpcs"], v["icpc_within"], v["icpc_plan"]
        lo = max(first_day(month), date(2011, 1, 24))
        work = cal.working_days(lo, last_day(month))
        status = [True] * n_within + [False] * (n - n_within)
        decides = [True] * n_plan + [False] * (n - n_plan)
        rng.shuffle(status)
        rng.shuffle(decides)
        for within, plan in zip(status, decides, strict=True):
            day = work[int(rng.integers(0, len(work)))]
            k = int(rng.integers(4, 16)) if within else int(rng.integers(16, 26))
            sd_day = cal.back(day, k)
            if sd_day < FIRST_SD:  # go-live: as far back as history allows
                sd_day = FIRST_SD
                if not within and cal.between(sd_day, day) <= 15:
                    day = cal.add(sd_day, 16)
            who = Who()
            sd = StrategyDiscussion(ctx.next_id("sd", 4_000_001), who, None, sd_day, "S47")
            s47 = S47(ctx.next_id("s47", 5_000_001), who, sd, sd_day, day, "ICPC")
            sd.s47 = s47
            icpc = Conference(
                ctx.next_id("conference", 6_000_001),
                who,
                "ICPC",
                day,
                s47=s47,
                outcome="PLAN" if plan else "NO_PLAN",
            )
            out.sds.append(sd)
            out.s47s.append(s47)
            out.conferences.append(icpc)
            if plan:
                out.plans.append(
                    CpPlan(
                        ctx.next_id("plan", 7_000_001),
                        who,
                        day,
                        str(rng.choice(CP_CATEGORIES, p=CP_CATEGORY_P)),
                        icpc,
                    )
                )


def _fill_sds(ctx: Context, out: Protection, rng: np.random.Generator) -> None:
    """More strategy discussions, up to each month's numbers with and without an s47."""
    chain = {m: 0 for m in ctx.plan.months}
    for sd in out.sds:
        chain[month_of(sd.day)] = chain.get(month_of(sd.day), 0) + 1
    planted_after_as_at = False
    for month in ctx.plan.months:
        v = ctx.plan.values[month]
        with_s47 = v["sd_s47"] - chain[month]
        if with_s47 < 0:
            if month >= (2015, 1) or month in PINNED_PLAN_MONTHS:
                raise ValueError(
                    f"{month_key(month)}: {chain[month]} ICPC chains, "
                    f"only {v['sd_s47']} SDs with s47 wanted"
                )
            with_s47 = 0
        days, p = ctx.day_weights(month, weekend=0.05)
        days = [d for d in days if d >= FIRST_SD] or [FIRST_SD]
        p = np.ones(len(days)) / len(days) if len(days) != len(p) else p
        for i in range(with_s47 + v["sd_no_s47"]):
            day = days[int(rng.choice(len(days), p=p))]
            if i < with_s47:
                out.sds.append(_sd_with_s47(ctx, out, day, rng))
            else:
                plant = month == (2015, 10) and not planted_after_as_at
                out.sds.append(_sd_without_s47(ctx, out, day, plant, rng))
                planted_after_as_at = planted_after_as_at or plant


def _sd_with_s47(
    ctx: Context, out: Protection, day: date, rng: np.random.Generator
) -> StrategyDiscussion:
    """A strategy discussion and the s47 enquiry it led to (not to an ICPC)."""
    cal = ctx.cal
    who = Who()
    sd = StrategyDiscussion(ctx.next_id("sd", 4_000_001), who, None, day, "S47")
    start = cal.add(day, 1) if rng.random() < 0.3 else day
    if day <= AS_AT < start:
        start = day
    s47 = S47(
        ctx.next_id("s47", 5_000_001),
        who,
        sd,
        start,
        cal.add(start, int(rng.integers(5, 25))),
        str(rng.choice(["CIN", "NFA", "OTHER"], p=[0.6, 0.35, 0.05])),
    )
    sd.s47 = s47
    out.s47s.append(s47)
    return sd


def _sd_without_s47(
    ctx: Context, out: Protection, day: date, plant: bool, rng: np.random.Generator
) -> StrategyDiscussion:
    """A strategy discussion without an s47; ``plant``: the one of 30 October 2015."""
    who = Who()
    sd = StrategyDiscussion(
        ctx.next_id("sd", 4_000_001),
        who,
        None,
        day,
        str(rng.choice(["CIN", "NFA", "EARLY_HELP", "OTHER"], p=[0.5, 0.3, 0.15, 0.05])),
    )
    if plant:
        sd.day = date(2015, 10, 30)
        # decided in October, but the enquiry only starts in
        # November: as at 31 October it has not led to an s47
        s47 = S47(
            ctx.next_id("s47", 5_000_001), who, sd, date(2015, 11, 2), date(2015, 11, 20), "CIN"
        )
        sd.outcome = "S47"
        out.s47s.append(s47)
    return sd


def _transfers(ctx: Context, out: Protection, rng: np.random.Generator) -> None:
    for month in ctx.plan.months:
        for _ in range(ctx.plan.values[month]["transfers"]):
            work = ctx.cal.month_working_days(month)
            day = work[int(rng.integers(0, len(work)))]
            who = Who()
            conf = Conference(
                ctx.next_id("conference", 6_000_001), who, "TRANSFER_IN", day, outcome="PLAN"
            )
            plan = CpPlan(
                ctx.next_id("plan", 7_000_001),
                who,
                day,
                str(rng.choice(CP_CATEGORIES, p=CP_CATEGORY_P)),
                None,
            )
            conf.plan = plan
            out.conferences.append(conf)
            out.plans.append(plan)


__all__ = ["AS_AT", "HISTORY_START", "Protection", "build"]
