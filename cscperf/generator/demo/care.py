"""Looked after children: periods of care, episodes, reviews (codes 26, 28, 29).

Periods of care start each month; the periods that end are chosen so that
the month-end count of children looked after is exact. A period is written as
one to three consecutive episodes (a legal status or placement change starts
the next episode on the day the previous one ends). Short breaks (V3/V4) are
separate episodes of other children and never count.

Reviews are scheduled month by month against each period's deadline (first
review 20 working days after the start, 28 days before April 2011; second 3
months after the first; then 6 months). In months with a target (every month
of 2015 to October, and the published Oct-13 and Oct-14) the exact number of
reviews within and outside timescale is chosen among the periods that can
have one that month.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from cscperf.calendar import add_months, first_day, last_day, month_key, month_of

from ..shared.draws import pick
from .context import Context
from .records import CarePeriod, Who

REGULATIONS_CHANGE = date(2011, 4, 1)
FIRST_STATUS = (
    ("V2", 0.45),
    ("C2", 0.25),
    ("L1", 0.05),
    ("L2", 0.05),
    ("J1", 0.05),
    ("C1", 0.1),
    ("E1", 0.05),
)
LATER_STATUS = (("C2", 0.3), ("C1", 0.35), ("E1", 0.15), ("V2", 0.1), ("J2", 0.05), ("D1", 0.05))
PLACEMENTS = ("U1", "U3", "U4", "U5", "U6", "R1", "H5", "K2", "P1", "A3", "A5", "Z1", "T0")
CEASED = (
    ("E4A", 0.3),
    ("E13", 0.15),
    ("E11", 0.1),
    ("E12", 0.05),
    ("E8", 0.1),
    ("E41", 0.08),
    ("E17", 0.07),
    ("E15", 0.05),
    ("E45", 0.05),
    ("E3", 0.05),
)


def _pick(rng: np.random.Generator, options: tuple[tuple[str, float], ...]) -> str:
    return pick(rng, options)


class Care:
    def __init__(self) -> None:
        self.periods: list[CarePeriod] = []
        self.short_breaks: list[tuple[Who, date, date, str]] = []


def build(ctx: Context) -> Care:
    rng = ctx.rng("care")
    cal = ctx.cal
    out = Care()
    open_periods: list[CarePeriod] = []
    ended_people: list[tuple[date, Who]] = []
    state: dict[int, list] = {}  # id(period) -> [ref day, reviews held]
    pinned_stock = {m for m, g in ctx.plan.pinned.items() if "lac_open" in g}

    def deadline(p: CarePeriod) -> date:
        ref, n = state[id(p)]
        if n == 0:
            if p.start < REGULATIONS_CHANGE:
                return p.start + timedelta(days=28)
            return cal.add(p.start, 20)
        return add_months(ref, 3 if n == 1 else 6)

    def earliest(p: CarePeriod) -> date:
        ref, n = state[id(p)]
        if n == 0:
            return p.start + timedelta(days=7)
        return ref + timedelta(days=30 if n == 1 else 75)

    for month in ctx.plan.months:
        v = ctx.plan.values[month]
        ms, me = first_day(month), last_day(month)
        # --- new periods ------------------------------------------------------
        days = [ms + timedelta(days=i) for i in range(me.day)]
        for _ in range(v["lac_starts"]):
            start = days[int(rng.integers(0, len(days)))]
            who = Who()
            if ended_people and rng.random() < 0.08:  # back in care
                back = [w for end, w in ended_people if end < ms - timedelta(days=60)]
                if back:
                    who = back[int(rng.integers(0, len(back)))]
                    ended_people = [(e, w) for e, w in ended_people if w is not who]
            p = CarePeriod(who, start, visited=bool(rng.random() < 0.7))
            out.periods.append(p)
            open_periods.append(p)
            state[id(p)] = [start, 0]
        # --- ends -------------------------------------------------------------
        n_end = len(open_periods) - v["lac_open"]
        eligible = [p for p in open_periods if p.start <= ms - timedelta(days=20)]
        strict = month in pinned_stock
        if n_end < 0 or n_end > len(eligible):
            if strict:
                raise ValueError(f"{month_key(month)}: cannot end {n_end} periods of care")
            n_end = max(0, min(n_end, len(eligible)))
        if n_end:
            age = np.array([(ms - p.start).days for p in eligible], float)
            w = (age + 60.0) ** 0.7
            for i in sorted(rng.choice(len(eligible), size=n_end, replace=False, p=w / w.sum())):
                p = eligible[i]
                lo = max(ms, state[id(p)][0] + timedelta(days=1))
                if rng.random() < 0.07:
                    p.end = me  # ends on the month end: not looked after at month end
                else:
                    p.end = lo + timedelta(days=int(rng.integers(0, (me - lo).days + 1)))
                ended_people.append((p.end, p.who))
            open_periods = [p for p in open_periods if p.end is None]
        # --- reviews ------------------------------------------------------------
        active = [
            p
            for p in out.periods
            if p.start <= me and (p.end is None or p.end > ms) and id(p) in state
        ]

        def window(p: CarePeriod, lo: date, hi: date, ms: date = ms, me: date = me) -> list[date]:
            hi = min(hi, me, (p.end - timedelta(days=1)) if p.end else me)
            lo = max(lo, ms, p.start)
            return cal.working_days(lo, hi) if lo <= hi else []

        if "lac_reviews" in v:
            want_within = v["lac_reviews_within"]
            want_late = v["lac_reviews"] - want_within
            late, within = [], []
            keys = rng.random(len(active))
            for k, p in zip(keys, active, strict=True):
                dl = deadline(p)
                w_late = window(p, max(dl + timedelta(days=1), earliest(p)), me)
                if w_late:
                    late.append((dl, k, p, w_late))
                w_in = window(p, earliest(p), dl)
                if w_in:
                    within.append((dl > me, k, p, w_in))
            late.sort(key=lambda t: (t[0], t[1]))
            if len(late) < want_late:
                raise ValueError(
                    f"{month_key(month)}: {len(late)} periods can have a late "
                    f"review, {want_late} wanted"
                )
            taken = set()
            for _, _, p, wd in late[:want_late]:
                _review(p, wd, rng, state)
                taken.add(id(p))
            within = sorted(
                (t for t in within if id(t[2]) not in taken), key=lambda t: (t[0], t[1])
            )
            if len(within) < want_within:
                raise ValueError(
                    f"{month_key(month)}: {len(within)} periods can have a review "
                    f"within timescale, {want_within} wanted"
                )
            for _, _, p, wd in within[:want_within]:
                _review(p, wd, rng, state)
        else:
            q = ctx.plan.shares[month]["lac_review_late_share"]
            for p in active:
                dl = deadline(p)
                if dl > me:
                    continue
                wd = [] if rng.random() < q else window(p, earliest(p), dl)
                if not wd:
                    wd = window(p, max(dl + timedelta(days=1), earliest(p)), me)
                    if rng.random() < 0.3:
                        wd = []
                if wd:
                    _review(p, wd, rng, state)
    _episodes(ctx, out, rng)
    _short_breaks(ctx, out, rng)
    return out


def _review(
    p: CarePeriod, days: list[date], rng: np.random.Generator, state: dict[int, list]
) -> None:
    day = days[int(rng.integers(0, len(days)))]
    p.reviews.append(day)
    state[id(p)] = [day, state[id(p)][1] + 1]


def _episodes(ctx: Context, out: Care, rng: np.random.Generator) -> None:
    for p in out.periods:
        last = p.end or date(2016, 3, 1)
        n = int(rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15]))
        span = (last - p.start).days
        cuts = sorted(
            {p.start + timedelta(days=int(x)) for x in rng.integers(1, max(span, 2), size=n - 1)}
        )
        cuts = [c for c in cuts if p.start < c < last]
        bounds = [p.start, *cuts]
        for i, s in enumerate(bounds):
            e = bounds[i + 1] if i + 1 < len(bounds) else p.end
            status = _pick(rng, FIRST_STATUS if i == 0 else LATER_STATUS)
            reason_new = "S" if i == 0 else str(rng.choice(["L", "P", "B", "T", "U"]))
            ceased = _pick(rng, CEASED) if (e is not None and e == p.end) else None
            p.episodes.append((s, e, status, str(rng.choice(PLACEMENTS)), reason_new, ceased))


def _short_breaks(ctx: Context, out: Care, rng: np.random.Generator) -> None:
    """Short-break episodes (V3/V4) of disabled children: never looked after."""
    children = [Who() for _ in range(25)]
    for month in ctx.plan.months:
        for _ in range(int(rng.integers(1, 4))):
            start = first_day(month) + timedelta(days=int(rng.integers(0, 27)))
            end = start + timedelta(days=int(rng.integers(1, 5)))
            who = children[int(rng.integers(0, len(children)))]
            out.short_breaks.append((who, start, end, str(rng.choice(["V3", "V4"]))))


__all__ = ["Care", "build", "month_of"]
