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
    ms, me = first_day(month), last_day(month)
    seen = {id(o): get(o) for o in owners}
    every = owners
    owners = [o for o in owners if any(ms <= d <= me for d in seen[id(o)])]

    def in_month(o) -> list[int]:
        lst = seen[id(o)]
        return list(range(bisect.bisect_left(lst, ms), bisect.bisect_right(lst, me)))

    counts = {True: 0, False: 0}
    for o in owners:
        for i in in_month(o):
            counts[status(o, seen[id(o)], i)] += 1
    want = {True: within, False: total - within}
    # 1. too many of a status: drop a visit of that status with every later
    # visit of the owner in the month (dropping a suffix of the month changes
    # the status of no earlier visit); the last visit of the month first
    while counts[True] > want[True] or counts[False] > want[False]:
        flag = counts[True] > want[True]
        last = []
        anywhere = []
        for o in owners:
            idx = in_month(o)
            flags = [status(o, seen[id(o)], i) for i in idx]
            if flags and flags[-1] == flag:
                last.append((id(o), idx[-1:], flags[-1:]))
            for k, f in enumerate(flags):
                if f == flag:
                    anywhere.append((id(o), idx[k:], flags[k:]))
        pool = last or anywhere
        if not pool:
            raise ValueError(f"{month_key(month)}: cannot drop a visit")
        key, drop, flags = pool[int(rng.integers(0, len(pool)))]
        for f in flags:
            counts[f] -= 1
        del seen[key][drop[0] : drop[-1] + 1]
    # 2. too few: repeat a visit of that status on the same day
    for flag in (True, False):
        if counts[flag] < want[flag]:
            pool = [
                (id(o), i) for o in owners for i in in_month(o) if status(o, seen[id(o)], i) == flag
            ]
            if not pool and not flag:
                made = _make_late(owners, seen, in_month, status, ms, rng)
                counts[True] -= 1
                counts[False] += 1
                pool = [made]
                if counts[True] < want[True]:  # the within visit it was: repeat another
                    extra = [
                        (id(o), i) for o in owners for i in in_month(o) if status(o, seen[id(o)], i)
                    ]
                    for _ in range(want[True] - counts[True]):
                        key, i = extra[int(rng.integers(0, len(extra)))]
                        seen[key].append(seen[key][i])
                    for o in owners:
                        seen[id(o)].sort()
                    counts[True] = want[True]
                    pool = [
                        (id(o), i)
                        for o in owners
                        for i in in_month(o)
                        if not status(o, seen[id(o)], i)
                    ]
            if not pool:
                raise ValueError(f"{month_key(month)}: no visit to repeat")
            for _ in range(want[flag] - counts[flag]):
                key, i = pool[int(rng.integers(0, len(pool)))]
                seen[key].append(seen[key][i])
            for o in owners:
                seen[id(o)].sort()
            counts[flag] = want[flag]
    for o in every:
        put(o, seen[id(o)])


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
