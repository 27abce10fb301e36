"""Plan endings and review conferences, month by month.

Month by month, the plans that end are chosen so the month-end count is
exact; special plans (2+ years, second plans) end in their window. Every plan
is reviewed by its deadline (90 days after the ICPC, then 180 days after the
previous review), a few late; in the published months the exact number held
and held within timescale is chosen from the plans that can be reviewed
within / late that month. An ending review is held on the day a plan ends.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

import numpy as np

from cscperf.calendar import Month, first_day, last_day, month_key, month_of

from .context import Context
from .records import Conference, CpPlan, Protection

log = logging.getLogger("cscperf.generator")

PINNED_PLAN_MONTHS = ((2013, 10), (2014, 10), (2015, 10))


class _Schedule:
    """The plans open, and each plan's review reference: [day, still before the first review]."""

    def __init__(self) -> None:
        self.state: dict[int, list] = {}  # plan id -> [ref day, first?]
        self.open: list[CpPlan] = []

    def start(self, p: CpPlan) -> None:
        self.open.append(p)
        self.state[p.id] = [p.icpc.day if p.icpc else p.start, True]

    def ref(self, p: CpPlan) -> date:
        return self.state[p.id][0]

    def deadline(self, p: CpPlan) -> date:
        ref, first = self.state[p.id]
        if first and p.icpc is None:
            return ref - timedelta(days=1)  # a transfer in: no ICPC, never within
        return ref + timedelta(days=90 if first else 180)


def stock_and_reviews(ctx: Context, out: Protection, rng: np.random.Generator) -> None:
    plans = sorted(out.plans, key=lambda p: (p.start, p.id))
    starting: dict[Month, list[CpPlan]] = {}
    for p in plans:
        starting.setdefault(month_of(p.start), []).append(p)
    # ICPCs that decided NO_PLAN keep their own child: copy the SD's person slot
    for c in out.conferences:
        if c.kind == "ICPC" and c.outcome == "NO_PLAN" and c.s47 is not None:
            c.who = c.s47.sd.who
            c.s47.who = c.s47.sd.who
    sched = _Schedule()
    for month in ctx.plan.months:
        for p in starting.get(month, []):
            sched.start(p)
        ending = _ending_plans(ctx, sched, month, rng)
        n_end_within = _end_plans(ctx, out, sched, month, ending, rng)
        ended = {id(p) for p in ending}
        sched.open = [p for p in sched.open if id(p) not in ended]
        if month in PINNED_PLAN_MONTHS or "rcpcs" in ctx.plan.values[month]:
            _exact_reviews(ctx, out, sched, month, len(ending), n_end_within, rng)
        else:
            _natural_reviews(ctx, out, sched, month, rng)
        for p in out.plans:
            if p.reviews and month_of(p.reviews[-1].day) == month:
                sched.state[p.id] = [p.reviews[-1].day, False]
    log.debug("%d plans, %d still open", len(plans), len(sched.open))


def _ending_plans(
    ctx: Context, sched: _Schedule, month: Month, rng: np.random.Generator
) -> list[CpPlan]:
    """The plans that end this month, so the month-end count is the target."""
    ms, me = first_day(month), last_day(month)
    strict = month in PINNED_PLAN_MONTHS
    open_plans = sched.open
    n_end = len(open_plans) - ctx.plan.values[month]["plans_open"]
    forced = [p for p in open_plans if p.max_end is not None and p.max_end <= me]
    eligible = [
        p
        for p in open_plans
        if p not in forced
        and p.start <= ms - timedelta(days=75)
        and (p.min_end is None or p.min_end <= me)
    ]
    if strict:  # ending reviews within timescale where the month is published
        eligible = [p for p in eligible if sched.deadline(p) >= ms + timedelta(days=3)]
    extra = n_end - len(forced)
    if extra < 0 or extra > len(eligible):
        if strict:
            raise ValueError(
                f"{month_key(month)}: cannot end {n_end} plans "
                f"({len(forced)} forced, {len(eligible)} eligible)"
            )
        extra = max(0, min(extra, len(eligible)))
    age = np.array([(ms - p.start).days for p in eligible], float)
    weight = (age + 30.0) ** 1.5
    chosen = (
        rng.choice(len(eligible), size=extra, replace=False, p=weight / weight.sum())
        if extra
        else []
    )
    return forced + [eligible[i] for i in sorted(chosen)]


def _end_plans(
    ctx: Context,
    out: Protection,
    sched: _Schedule,
    month: Month,
    ending: list[CpPlan],
    rng: np.random.Generator,
) -> int:
    """End each plan on a day its window allows, with an ending review; return how
    many of those reviews were within timescale."""
    cal = ctx.cal
    ms, me = first_day(month), last_day(month)
    strict = month in PINNED_PLAN_MONTHS
    q = ctx.plan.shares[month]["rcpc_late_share"]
    n_end_within = 0
    for p in ending:
        ref = sched.ref(p)
        lo = max(ms, ref + timedelta(days=14), p.start + timedelta(days=1))
        if p.min_end is not None:
            lo = max(lo, p.min_end)
        hi = me if p.max_end is None else min(me, p.max_end)
        dl = sched.deadline(p)
        day = None
        if (strict or rng.random() > q) and lo <= min(hi, dl):
            if rng.random() < 0.06 and cal.is_working_day(min(hi, dl)) and min(hi, dl) == me:
                day = me  # ends on the month end
            else:
                day = ctx.some_working_day(lo, min(hi, dl), rng)
        if day is None:
            day = ctx.some_working_day(lo, hi, rng) or hi
        p.end = day
        n_end_within += day <= dl
        _review(ctx, out, p, day, "END")
    return n_end_within


def _review_candidates(
    ctx: Context, sched: _Schedule, month: Month
) -> tuple[list[tuple[date, CpPlan, date]], list[tuple[date, CpPlan, date]]]:
    """(deadline, plan, earliest day) of the open plans that can be reviewed late / within."""
    cal = ctx.cal
    ms, me = first_day(month), last_day(month)
    late, within = [], []
    for p in sched.open:
        ref = sched.ref(p)
        if p.start > ms - timedelta(days=20):
            continue
        dl = sched.deadline(p)
        lo_late = max(ms, dl + timedelta(days=1), ref + timedelta(days=28))
        if cal.working_days(lo_late, me):
            late.append((dl, p, lo_late))
        lo_in = max(ms, ref + timedelta(days=28))
        if lo_in <= min(me, dl) and cal.working_days(lo_in, min(me, dl)):
            within.append((dl, p, lo_in))
    return late, within


def _exact_reviews(
    ctx: Context,
    out: Protection,
    sched: _Schedule,
    month: Month,
    n_ending: int,
    n_end_within: int,
    rng: np.random.Generator,
) -> None:
    """A published month: exactly the target number of reviews, and within timescale."""
    v = ctx.plan.values[month]
    me = last_day(month)
    want = v["rcpcs"] - n_ending
    want_within = v["rcpcs_within"] - n_end_within
    want_late = want - want_within
    if want_within < 0 or want_late < 0:
        raise ValueError(f"{month_key(month)}: ending reviews exceed the targets")
    late, within = _review_candidates(ctx, sched, month)
    late.sort(key=lambda t: (t[0], t[1].id))
    if len(late) < want_late:
        raise ValueError(f"{month_key(month)}: {len(late)} plans can have a late review")
    taken = set()
    for _, p, lo in late[:want_late]:
        _review(ctx, out, p, ctx.some_working_day(lo, me, rng), "CONTINUE")
        taken.add(id(p))
    within = [t for t in within if id(t[1]) not in taken]
    keys = rng.random(len(within))
    order = sorted(range(len(within)), key=lambda i: (within[i][0] > me, keys[i]))
    if len(order) < want_within:
        raise ValueError(
            f"{month_key(month)}: {len(order)} plans can be reviewed within, {want_within} wanted"
        )
    for i in order[:want_within]:
        dl, p, lo = within[i]
        _review(ctx, out, p, ctx.some_working_day(lo, min(me, dl), rng), "CONTINUE")


def _natural_reviews(
    ctx: Context, out: Protection, sched: _Schedule, month: Month, rng: np.random.Generator
) -> None:
    """Any other month: plans due are reviewed, a share late and a few not at all."""
    ms, me = first_day(month), last_day(month)
    q = ctx.plan.shares[month]["rcpc_late_share"]
    for p in sched.open:
        ref = sched.ref(p)
        dl = sched.deadline(p)
        if dl > me:
            continue
        lo_in = max(ms, ref + timedelta(days=28))
        day = None
        if rng.random() > q and lo_in <= dl:
            day = ctx.some_working_day(lo_in, dl, rng)
        if day is None and rng.random() < 0.7:
            day = ctx.some_working_day(max(lo_in, dl + timedelta(days=1)), me, rng)
        if day is not None:
            _review(ctx, out, p, day, "CONTINUE")


def _review(ctx: Context, out: Protection, plan: CpPlan, day: date, outcome: str) -> None:
    conf = Conference(
        ctx.next_id("conference", 6_000_001), plan.who, "RCPC", day, plan=plan, outcome=outcome
    )
    plan.reviews.append(conf)
    out.conferences.append(conf)
