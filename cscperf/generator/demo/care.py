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

from cscperf.calendar import Month, add_months, first_day, last_day, month_key, month_of

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


class Care:
    def __init__(self) -> None:
        self.periods: list[CarePeriod] = []
        self.short_breaks: list[tuple[Who, date, date, str]] = []


class _Periods:
    """The periods of care being built, and each one's review reference day."""

    def __init__(self, ctx: Context, out: Care) -> None:
        self.cal = ctx.cal
        self.out = out
        self.open: list[CarePeriod] = []
        self.ended_people: list[tuple[date, Who]] = []
        self.state: dict[int, list] = {}  # id(period) -> [ref day, reviews held]

    def deadline(self, p: CarePeriod) -> date:
        ref, n = self.state[id(p)]
        if n == 0:
            if p.start < REGULATIONS_CHANGE:
                return p.start + timedelta(days=28)
            return self.cal.add(p.start, 20)
        return add_months(ref, 3 if n == 1 else 6)

    def earliest(self, p: CarePeriod) -> date:
        ref, n = self.state[id(p)]
        if n == 0:
            return p.start + timedelta(days=7)
        return ref + timedelta(days=30 if n == 1 else 75)

    def window(self, p: CarePeriod, lo: date, hi: date, month: Month) -> list[date]:
        """Working days of ``month`` from ``lo`` to ``hi`` while ``p`` is open."""
        ms, me = first_day(month), last_day(month)
        hi = min(hi, me, (p.end - timedelta(days=1)) if p.end else me)
        lo = max(lo, ms, p.start)
        return self.cal.working_days(lo, hi) if lo <= hi else []


def build(ctx: Context) -> Care:
    rng = ctx.rng("care")
    out = Care()
    care = _Periods(ctx, out)
    pinned_stock = {m for m, g in ctx.plan.pinned.items() if "lac_open" in g}
    for month in ctx.plan.months:
        v = ctx.plan.values[month]
        ms, me = first_day(month), last_day(month)
        _new_periods(care, month, v["lac_starts"], rng)
        _end_periods(care, month, v["lac_open"], month in pinned_stock, rng)
        active = [
            p
            for p in out.periods
            if p.start <= me and (p.end is None or p.end > ms) and id(p) in care.state
        ]
        if "lac_reviews" in v:
            _exact_reviews(care, month, active, v["lac_reviews"], v["lac_reviews_within"], rng)
        else:
            q = ctx.plan.shares[month]["lac_review_late_share"]
            _natural_reviews(care, month, active, q, rng)
    _episodes(ctx, out, rng)
    _short_breaks(ctx, out, rng)
    return out


def _new_periods(care: _Periods, month: Month, n: int, rng: np.random.Generator) -> None:
    """``n`` periods of care start; a few are children back in care."""
    ms, me = first_day(month), last_day(month)
    days = [ms + timedelta(days=i) for i in range(me.day)]
    for _ in range(n):
        start = days[int(rng.integers(0, len(days)))]
        who = Who()
        if care.ended_people and rng.random() < 0.08:  # back in care
            back = [w for end, w in care.ended_people if end < ms - timedelta(days=60)]
            if back:
                who = back[int(rng.integers(0, len(back)))]
                care.ended_people = [(e, w) for e, w in care.ended_people if w is not who]
        p = CarePeriod(who, start, visited=bool(rng.random() < 0.7))
        care.out.periods.append(p)
        care.open.append(p)
        care.state[id(p)] = [start, 0]


def _end_periods(
    care: _Periods, month: Month, lac_open: int, strict: bool, rng: np.random.Generator
) -> None:
    """End periods so that ``lac_open`` are open at the month end (exactly if ``strict``)."""
    ms, me = first_day(month), last_day(month)
    n_end = len(care.open) - lac_open
    eligible = [p for p in care.open if p.start <= ms - timedelta(days=20)]
    if n_end < 0 or n_end > len(eligible):
        if strict:
            raise ValueError(f"{month_key(month)}: cannot end {n_end} periods of care")
        n_end = max(0, min(n_end, len(eligible)))
    if not n_end:
        return
    age = np.array([(ms - p.start).days for p in eligible], float)
    w = (age + 60.0) ** 0.7
    for i in sorted(rng.choice(len(eligible), size=n_end, replace=False, p=w / w.sum())):
        p = eligible[i]
        lo = max(ms, care.state[id(p)][0] + timedelta(days=1))
        if rng.random() < 0.07:
            p.end = me  # ends on the month end: not looked after at month end
        else:
            p.end = lo + timedelta(days=int(rng.integers(0, (me - lo).days + 1)))
        care.ended_people.append((p.end, p.who))
    care.open = [p for p in care.open if p.end is None]


def _exact_reviews(
    care: _Periods,
    month: Month,
    active: list[CarePeriod],
    total: int,
    want_within: int,
    rng: np.random.Generator,
) -> None:
    """A month with a target: exactly ``total`` reviews, ``want_within`` within timescale."""
    me = last_day(month)
    want_late = total - want_within
    late, within = [], []
    keys = rng.random(len(active))
    for k, p in zip(keys, active, strict=True):
        dl = care.deadline(p)
        w_late = care.window(p, max(dl + timedelta(days=1), care.earliest(p)), me, month)
        if w_late:
            late.append((dl, k, p, w_late))
        w_in = care.window(p, care.earliest(p), dl, month)
        if w_in:
            within.append((dl > me, k, p, w_in))
    late.sort(key=lambda t: (t[0], t[1]))
    if len(late) < want_late:
        raise ValueError(
            f"{month_key(month)}: {len(late)} periods can have a late review, {want_late} wanted"
        )
    taken = set()
    for _, _, p, wd in late[:want_late]:
        _review(p, wd, rng, care.state)
        taken.add(id(p))
    within = sorted((t for t in within if id(t[2]) not in taken), key=lambda t: (t[0], t[1]))
    if len(within) < want_within:
        raise ValueError(
            f"{month_key(month)}: {len(within)} periods can have a review "
            f"within timescale, {want_within} wanted"
        )
    for _, _, p, wd in within[:want_within]:
        _review(p, wd, rng, care.state)


def _natural_reviews(
    care: _Periods, month: Month, active: list[CarePeriod], q: float, rng: np.random.Generator
) -> None:
    """Any other month: periods due are reviewed, a share ``q`` late, a few not at all."""
    me = last_day(month)
    for p in active:
        dl = care.deadline(p)
        if dl > me:
            continue
        wd = [] if rng.random() < q else care.window(p, care.earliest(p), dl, month)
        if not wd:
            wd = care.window(p, max(dl + timedelta(days=1), care.earliest(p)), me, month)
            if rng.random() < 0.3:
                wd = []
        if wd:
            _review(p, wd, rng, care.state)


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
            status = pick(rng, FIRST_STATUS if i == 0 else LATER_STATUS)
            reason_new = "S" if i == 0 else str(rng.choice(["L", "P", "B", "T", "U"]))
            ceased = pick(rng, CEASED) if (e is not None and e == p.end) else None
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
