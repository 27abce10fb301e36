"""Strategy discussions, s47 enquiries, conferences and CP plans (codes 14-25).

1. ICPCs per month (exact number, number within 15 working days, number
   deciding PLAN); each is built backwards: its strategy discussion is k
   working days earlier (k <= 15 within, 16+ outside) and its s47 enquiry
   starts that day.
2. More strategy discussions fill each month up to the exact number with and
   without an s47 enquiry.
3. Plans start on the ICPC day (PLAN) or a transfer-in conference. Month by
   month, the plans that end are chosen so the month-end count is exact;
   special plans (2+ years, second plans) have a window they must end in.
4. Review conferences: every plan is reviewed by its deadline (90 days after
   the ICPC, then 180 days after the previous review), a few late; in the
   published months the exact number held and held within timescale is
   chosen from the plans that can be reviewed within / late that month. An
   ending review is held on the day a plan ends.
"""

from __future__ import annotations

import bisect
import logging
from datetime import date, timedelta

import numpy as np

from cscperf.calendar import Month, add_months, first_day, last_day, month_key, month_of

from ..shared.codes import CP_CATEGORIES, CP_CATEGORY_P
from .context import AS_AT, HISTORY_START, Context
from .records import S47, Conference, CpPlan, Referral, StrategyDiscussion, Who

log = logging.getLogger("cscperf.generator")

PINNED_PLAN_MONTHS = ((2013, 10), (2014, 10), (2015, 10))
FIRST_SD = date(2011, 1, 4)


class Protection:
    def __init__(self) -> None:
        self.sds: list[StrategyDiscussion] = []
        self.s47s: list[S47] = []
        self.conferences: list[Conference] = []
        self.plans: list[CpPlan] = []


def build(ctx: Context, referrals: list[Referral]) -> Protection:
    out = Protection()
    rng = ctx.rng("protection")
    _icpc_chains(ctx, out, rng)
    _fill_sds(ctx, out, rng)
    _transfers(ctx, out, rng)
    _designate(ctx, out, rng)
    _link_referrals(ctx, out, referrals, rng)
    _stock_and_reviews(ctx, out, rng)
    return out


def _working_day(ctx: Context, lo: date, hi: date, rng: np.random.Generator) -> date | None:
    days = ctx.cal.working_days(lo, hi)
    return days[int(rng.integers(0, len(days)))] if days else None


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


def _designate(ctx: Context, out: Protection, rng: np.random.Generator) -> None:
    """Long plans (code 20), second plans (code 19) and every plan's window."""
    plans = sorted(out.plans, key=lambda p: (p.start, p.id))
    for p in plans:
        p.max_end = add_months(p.start, 23)

    def pick(lo: date, hi: date, n: int, icpc_only: bool = True) -> list[CpPlan]:
        pool = [
            p
            for p in plans
            if lo <= p.start <= hi
            and not p.long
            and not p.second
            and (p.icpc is not None or not icpc_only)
        ]
        idx = rng.choice(len(pool), size=n, replace=False)
        return [pool[i] for i in sorted(idx)]

    # code 20 at Oct-13: 4 plans started by 2011-10-31, open at 2013-10-31;
    # one of them (only) still open at 2014-10-31, ended by March 2015.
    for i, p in enumerate(pick(date(2011, 2, 1), date(2011, 10, 31), 4)):
        p.long = True
        p.min_end = date(2014, 11, 1) if i == 0 else date(2013, 11, 1)
        p.max_end = date(2015, 3, 31) if i == 0 else date(2014, 10, 31)
    # code 20 at Oct-15: 8 plans started 2012-11-01..2013-10-31, open at 2015-10-31
    for p in pick(date(2012, 11, 1), date(2013, 10, 31), 8):
        p.long = True
        p.min_end = date(2015, 11, 1)
        p.max_end = None
    # code 19: five second plans open at Oct-15; a few more that ended before
    for p in pick(date(2015, 1, 1), date(2015, 9, 30), 5):
        p.second = True
        p.min_end = date(2015, 11, 1)
    for p in pick(date(2015, 1, 1), date(2015, 4, 30), 2):
        p.second = True
        p.max_end = date(2015, 10, 15)
    for p in pick(date(2012, 4, 1), date(2012, 8, 31), 2):
        p.second = True
        p.max_end = date(2013, 9, 30)


def _link_referrals(
    ctx: Context, out: Protection, referrals: list[Referral], rng: np.random.Generator
) -> None:
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


def _stock_and_reviews(ctx: Context, out: Protection, rng: np.random.Generator) -> None:
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
                day = _working_day(ctx, lo, min(hi, dl), rng)
        if day is None:
            day = _working_day(ctx, lo, hi, rng) or hi
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
        _review(ctx, out, p, _working_day(ctx, lo, me, rng), "CONTINUE")
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
        _review(ctx, out, p, _working_day(ctx, lo, min(me, dl), rng), "CONTINUE")


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
            day = _working_day(ctx, lo_in, dl, rng)
        if day is None and rng.random() < 0.7:
            day = _working_day(ctx, max(lo_in, dl + timedelta(days=1)), me, rng)
        if day is not None:
            _review(ctx, out, p, day, "CONTINUE")


def _review(ctx: Context, out: Protection, plan: CpPlan, day: date, outcome: str) -> None:
    conf = Conference(
        ctx.next_id("conference", 6_000_001), plan.who, "RCPC", day, plan=plan, outcome=outcome
    )
    plan.reviews.append(conf)
    out.conferences.append(conf)


__all__ = ["AS_AT", "HISTORY_START", "Protection", "build"]
