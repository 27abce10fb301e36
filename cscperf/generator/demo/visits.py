"""Visit timeliness (codes 21 and 27): natural visit sequences, then exact
numbers in the published months.

Each plan / period of care gets visits at gaps drawn per month (mostly within
timescale, a share late). In a published month the counts are then made
exact without touching any other visit of the month: dropping a plan's
*last* visit of the month changes no other visit of the month, and a second
visit on the same day as another has the same previous visit and so the same
status.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from datetime import date, timedelta

import numpy as np

from cscperf.calendar import Month, first_day, last_day, month_key, month_of

from .context import Context
from .records import CarePeriod, CpPlan

LAST_DAY = date(2015, 11, 30)


def cp_visits(ctx: Context, plans: Sequence[CpPlan]) -> None:
    rng = ctx.rng("cp-visits")
    cal = ctx.cal
    for p in plans:
        end = min(p.end or LAST_DAY, LAST_DAY + timedelta(days=1))
        d = p.start
        days: list[date] = []
        while True:
            q = ctx.plan.shares.get(month_of(d), {}).get("cp_visit_late_share", 0.05)
            k = int(rng.integers(11, 17)) if rng.random() < q else int(rng.integers(8, 11))
            nd = cal.add(d, k)
            if nd.weekday() == 0 and rng.random() < 0.05:
                nd -= timedelta(days=2)  # a Saturday visit: the same working-day count - 1
            if nd >= end:
                break
            days.append(nd)
            d = nd
        p.visits = [(x, "Y") for x in days]
        if days and rng.random() < 0.1:  # a visit where the child was not seen
            x = days[int(rng.integers(0, len(days)))] + timedelta(days=1)
            if x < end:
                p.visits.append((x, "N"))

    def status(p: CpPlan, seen: list[date], i: int) -> bool:
        prev = max((x for x in seen[:i] if x < seen[i]), default=p.start)
        return cal.between(prev, seen[i]) <= 10

    for month in ctx.plan.months:
        v = ctx.plan.values[month]
        if "cp_visits" in v:
            _tune(
                month,
                v["cp_visits"],
                v["cp_visits_within"],
                list(plans),
                lambda p: sorted(d for d, s in p.visits if s == "Y"),
                lambda p, seen: _set_seen(p, seen),
                status,
                rng,
            )
    # planted: a visit on the day a plan ends (the child is no longer on it)
    ended = [p for p in plans if p.end is not None and month_of(p.end) in ((2012, 5), (2014, 2))]
    for p in ended[:2]:
        p.visits.append((p.end, "Y"))


def _set_seen(p: CpPlan, seen: list[date]) -> None:
    p.visits = [(d, "Y") for d in seen] + [(d, s) for d, s in p.visits if s != "Y"]


def lac_visits(ctx: Context, periods: Sequence[CarePeriod]) -> None:
    rng = ctx.rng("lac-visits")
    for period in periods:
        if not period.visited:
            continue
        end = min(period.end or LAST_DAY, LAST_DAY + timedelta(days=1))
        d = period.start
        days: list[date] = []
        while True:
            m = month_of(d)
            q = ctx.plan.shares.get(m, {}).get("lac_visit_late_share", 0.1)
            low = 14 if m[0] <= 2013 else (25 if m[0] == 2014 else 30)
            gap = int(rng.integers(43, 70)) if rng.random() < q else int(rng.integers(low, 43))
            nd = d + timedelta(days=gap)
            if nd >= end:
                break
            days.append(nd)
            d = nd
        period.visits = days

    def status(period: CarePeriod, seen: list[date], i: int) -> bool:
        prev = max((x for x in seen[:i] if x < seen[i]), default=period.start)
        return (seen[i] - prev).days <= 42

    def put(period: CarePeriod, seen: list[date]) -> None:
        period.visits = seen

    for month in ctx.plan.months:
        v = ctx.plan.values[month]
        if "lac_visits" in v:
            _tune(
                month,
                v["lac_visits"],
                v["lac_visits_within"],
                list(periods),
                lambda p: sorted(p.visits),
                put,
                status,
                rng,
            )


def _tune(
    month: Month,
    total: int,
    within: int,
    owners: list,
    get: Callable,
    put: Callable,
    status: Callable,
    rng: np.random.Generator,
) -> None:
    """Make the month's visits exactly ``total``, ``within`` of them within timescale."""
    tuning = _Tuning(month, owners, get, status)
    want = {True: within, False: total - within}
    tuning.drop_excess(want, rng)
    for flag in (True, False):
        if tuning.counts[flag] < want[flag]:
            tuning.repeat_missing(flag, want, rng)
    for o in owners:
        put(o, tuning.seen[id(o)])


class _Tuning:
    """The visit days of each owner (plan / period) while one month is made exact."""

    def __init__(self, month: Month, owners: list, get: Callable, status: Callable) -> None:
        self.month = month
        self.ms, self.me = first_day(month), last_day(month)
        self.status = status
        self.seen = {id(o): get(o) for o in owners}
        self.owners = [o for o in owners if any(self.ms <= d <= self.me for d in self.seen[id(o)])]
        self.counts = {True: 0, False: 0}
        for o in self.owners:
            for i in self.in_month(o):
                self.counts[self.flag(o, i)] += 1

    def in_month(self, o: object) -> list[int]:
        lst = self.seen[id(o)]
        return list(range(bisect.bisect_left(lst, self.ms), bisect.bisect_right(lst, self.me)))

    def flag(self, o: object, i: int) -> bool:
        return self.status(o, self.seen[id(o)], i)

    def of_status(self, flag: bool) -> list[tuple[int, int]]:
        return [
            (id(o), i) for o in self.owners for i in self.in_month(o) if self.flag(o, i) == flag
        ]

    def drop_excess(self, want: dict[bool, int], rng: np.random.Generator) -> None:
        """Too many of a status: drop a visit of that status with every later visit of
        the owner in the month (dropping a suffix of the month changes the status of
        no earlier visit); the last visit of the month first."""
        counts = self.counts
        while counts[True] > want[True] or counts[False] > want[False]:
            flag = counts[True] > want[True]
            last = []
            anywhere = []
            for o in self.owners:
                idx = self.in_month(o)
                flags = [self.flag(o, i) for i in idx]
                if flags and flags[-1] == flag:
                    last.append((id(o), idx[-1:], flags[-1:]))
                for k, f in enumerate(flags):
                    if f == flag:
                        anywhere.append((id(o), idx[k:], flags[k:]))
            pool = last or anywhere
            if not pool:
                raise ValueError(f"{month_key(self.month)}: cannot drop a visit")
            key, drop, flags = pool[int(rng.integers(0, len(pool)))]
            for f in flags:
                counts[f] -= 1
            del self.seen[key][drop[0] : drop[-1] + 1]

    def repeat(self, pool: list[tuple[int, int]], n: int, rng: np.random.Generator) -> None:
        """Repeat ``n`` visits drawn from ``pool`` on the same day (same status)."""
        for _ in range(n):
            key, i = pool[int(rng.integers(0, len(pool)))]
            self.seen[key].append(self.seen[key][i])
        for o in self.owners:
            self.seen[id(o)].sort()

    def repeat_missing(self, flag: bool, want: dict[bool, int], rng: np.random.Generator) -> None:
        """Too few of a status: repeat a visit of that status on the same day; with no
        late visit at all, make one late first."""
        counts = self.counts
        pool = self.of_status(flag)
        if not pool and not flag:
            made = _make_late(self.owners, self.seen, self.in_month, self.status, self.ms, rng)
            counts[True] -= 1
            counts[False] += 1
            pool = [made]
            if counts[True] < want[True]:  # the within visit it was: repeat another
                self.repeat(self.of_status(True), want[True] - counts[True], rng)
                counts[True] = want[True]
                pool = self.of_status(False)
        if not pool:
            raise ValueError(f"{month_key(self.month)}: no visit to repeat")
        self.repeat(pool, want[flag] - counts[flag], rng)
        counts[flag] = want[flag]


def _make_late(
    owners: list,
    seen: dict,
    in_month: Callable,
    status: Callable,
    ms: date,
    rng: np.random.Generator,
) -> tuple[int, int]:
    """Make one visit of the month late by removing the visits before it (all
    in earlier months, which are not published): its previous visit moves back."""
    order = [int(i) for i in rng.permutation(len(owners))]
    for k in order:
        o = owners[k]
        lst = seen[id(o)]
        idx = in_month(o)
        if not idx:
            continue
        j = idx[0]
        trial = list(lst)
        while j > 0 and trial[j - 1] < ms:
            del trial[j - 1]
            j -= 1
            if not status(o, trial, j):
                lst[:] = trial
                return (id(o), j)
    raise ValueError("cannot make a visit late")
