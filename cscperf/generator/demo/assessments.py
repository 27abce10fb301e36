"""Initial and core assessments (codes 9-13).

Every referral flagged ``has_ia`` gets an IA started in the referral's
month. Authorisations are then allocated month by month from the pool of
unauthorised IAs: exactly the target number within 10 working days of the
referral (earliest deadline first) and the target number outside (oldest
first), each on a working day its status allows. IAs left over for more than
four months are never authorised. Core assessments are built backwards from
their authorisation day: the working days taken decide their band (<= 35,
36-60, 61+).
"""

from __future__ import annotations

import bisect
from datetime import date, timedelta

import numpy as np

from cscperf.calendar import Month, first_day, last_day, month_key, month_of, next_month

from ..shared.draws import pick
from .context import AS_AT, HISTORY_START, Context
from .records import Assessment, Referral, Who

IA_OUTCOMES = (
    ("NFA", 0.33),
    ("CIN", 0.3),
    ("CA", 0.2),
    ("S47", 0.07),
    ("EARLY_HELP", 0.08),
    ("OTHER", 0.02),
)
CA_OUTCOMES = (("CIN", 0.55), ("S47", 0.1), ("LAC", 0.08), ("NFA", 0.22), ("OTHER", 0.05))
# planted IAs across Christmas 2014 / Easter 2015: (referral day, working days)
PLANTED_AUTHORISATIONS = {date(2014, 12, 19): (10, 11), date(2015, 3, 24): (10, 11)}


Planted = dict[Month, list[tuple[Assessment, date]]]


def build_ias(ctx: Context, referrals: list[Referral]) -> list[Assessment]:
    rng = ctx.rng("ias")
    ias, started, planted = _start_ias(ctx, referrals, rng)
    pool: list[Assessment] = []
    planted_set = {id(a) for lst in planted.values() for a, _ in lst}
    for month in ctx.plan.months:
        pool += [a for a in started.get(month, []) if id(a) not in planted_set]
        chosen = _authorise_month(ctx, month, pool, planted.get(month, []), rng)
        expiry = first_day(next_month(month, -3))
        pool = [a for a in pool if id(a) not in chosen and a.start >= expiry]
    for ia in ias:  # never authorised: some were completed by the practitioner
        if ia.authorised is None and rng.random() < 0.4:
            done = ia.start + timedelta(days=int(rng.integers(5, 40)))
            ia.completed = done if done <= AS_AT or ia.start > AS_AT else None
    return ias


def _start_ias(
    ctx: Context, referrals: list[Referral], rng: np.random.Generator
) -> tuple[list[Assessment], dict[Month, list[Assessment]], Planted]:
    """An IA for every referral flagged ``has_ia``, started in the referral's month; the
    planted ones with their authorisation day."""
    cal = ctx.cal
    started: dict[Month, list[Assessment]] = {}
    ias: list[Assessment] = []
    planted: Planted = {}
    for r in referrals:
        if not r.has_ia:
            continue
        me = last_day(month_of(r.day))
        start = r.day
        if not r.planted and rng.random() < 0.5:
            nxt = cal.add(r.day, int(rng.integers(1, 3)))
            if nxt <= me:
                start = nxt
        ia = Assessment(ctx.next_id("assessment", 3_000_001), r.who, r, "IA", start)
        r.ia = ia
        ias.append(ia)
        started.setdefault(month_of(start), []).append(ia)
        if r.planted:
            offsets = PLANTED_AUTHORISATIONS[r.day]
            used = sum(1 for lst in planted.values() for a, _ in lst if a.referral.day == r.day)
            day = cal.add(r.day, offsets[used])
            planted.setdefault(month_of(day), []).append((ia, day))
    return ias, started, planted


def _authorise_month(
    ctx: Context,
    month: Month,
    pool: list[Assessment],
    planted: list[tuple[Assessment, date]],
    rng: np.random.Generator,
) -> set[int]:
    """Authorise the month's planted IAs, then exactly the target numbers within 10
    working days (earliest deadline first) and outside (oldest first); return their ids."""
    v = ctx.plan.values[month]
    want_within, want_outside = v["ia_within"], v["ia_auth"] - v["ia_within"]
    for ia, day in planted:
        _authorise(ia, day, rng)
        if ctx.cal.between(ia.referral.day, day) <= 10:
            want_within -= 1
        else:
            want_outside -= 1
    keys = rng.random(len(pool))
    strict = month >= (2013, 1)  # every month from 2013 is pinned or in a YTD total
    chosen: set[int] = set()
    _authorise_within(ctx, month, pool, keys, want_within, strict, chosen, rng)
    _authorise_outside(ctx, month, pool, keys, want_outside, strict, chosen, rng)
    return chosen


def _authorise_within(
    ctx: Context,
    month: Month,
    pool: list[Assessment],
    keys: np.ndarray,
    want: int,
    strict: bool,
    chosen: set[int],
    rng: np.random.Generator,
) -> None:
    cal = ctx.cal
    ms, me = first_day(month), last_day(month)
    within = []
    for k, ia in zip(keys, pool, strict=True):
        lo, hi = max(ia.start, ms), min(me, cal.add(ia.referral.day, 10))
        if lo <= hi:
            within.append((hi, k, ia, lo))
    within.sort(key=lambda t: (t[0], t[1]))
    if not strict:
        want = min(want, len(within))
    if len(within) < want:
        raise ValueError(f"{month_key(month)}: {len(within)} IAs can be within, {want} wanted")
    for hi, _, ia, lo in within[:want]:
        _authorise(ia, ctx.some_working_day(lo, hi, rng) or hi, rng)
        chosen.add(id(ia))


def _authorise_outside(
    ctx: Context,
    month: Month,
    pool: list[Assessment],
    keys: np.ndarray,
    want: int,
    strict: bool,
    chosen: set[int],
    rng: np.random.Generator,
) -> None:
    cal = ctx.cal
    ms, me = first_day(month), last_day(month)
    outside = []
    for k, ia in zip(keys, pool, strict=True):
        if id(ia) in chosen:
            continue
        lo = max(ia.start, ms, cal.add(ia.referral.day, 11))
        if lo <= me:
            outside.append((ia.referral.day, k, ia, lo))
    outside.sort(key=lambda t: (t[0], t[1]))
    if not strict:
        want = min(want, len(outside))
    if len(outside) < want:
        raise ValueError(f"{month_key(month)}: {len(outside)} IAs can be outside, {want} wanted")
    for _, _, ia, lo in outside[:want]:
        _authorise(ia, ctx.some_working_day(lo, me, rng) or me, rng)
        chosen.add(id(ia))


def _authorise(ia: Assessment, day: date, rng: np.random.Generator) -> None:
    ia.authorised = day
    ia.completed = max(ia.start, day - timedelta(days=int(rng.integers(0, 4))))
    ia.outcome = pick(rng, IA_OUTCOMES)


def build_cas(ctx: Context, referrals: list[Referral]) -> list[Assessment]:
    """Core assessments: per month the exact numbers authorised in each band."""
    rng = ctx.rng("cas")
    cal = ctx.cal
    linked = sorted(
        (r.ia.authorised, i, r)
        for i, r in enumerate(referrals)
        if r.ia is not None and r.ia.authorised is not None
    )
    keys = [t[0] for t in linked]
    used: set[int] = set()
    cas: list[Assessment] = []
    for month in ctx.plan.months:
        v = ctx.plan.values[month]
        bands = (
            [(1, 35)] * v["ca_35"]
            + [(61, 95)] * v["ca_61"]
            + [(36, 60)] * (v["cas"] - v["ca_35"] - v["ca_61"])
        )
        work = ctx.cal.month_working_days(month)
        for lo_k, hi_k in bands:
            day = work[int(rng.integers(0, len(work)))]
            k = int(rng.integers(lo_k, hi_k + 1))
            start = cal.back(day, k)
            if start < HISTORY_START:  # the first months: as long as history allows
                start = cal.on_or_after(HISTORY_START + timedelta(days=3))
            ref = _pick_referral(linked, keys, used, start, rng)
            who = ref.who if ref is not None else Who()
            ca = Assessment(
                ctx.next_id("assessment", 3_000_001),
                who,
                ref,
                "CA",
                start,
                completed=max(start, day - timedelta(days=int(rng.integers(0, 5)))),
                authorised=day,
                outcome=pick(rng, CA_OUTCOMES),
            )
            if ref is not None and ref.ia is not None:
                ref.ia.outcome = "CA"
            cas.append(ca)
    # core assessments still in progress at the as-at date
    for _ in range(25):
        start = cal.back(AS_AT, int(rng.integers(1, 30)))
        ref = _pick_referral(linked, keys, used, start, rng)
        cas.append(
            Assessment(
                ctx.next_id("assessment", 3_000_001), ref.who if ref else Who(), ref, "CA", start
            )
        )
    return cas


def _pick_referral(
    linked: list, keys: list[date], used: set[int], start: date, rng: np.random.Generator
) -> Referral | None:
    hi = bisect.bisect_right(keys, start)
    lo = bisect.bisect_left(keys, start - timedelta(days=60))
    for _ in range(6):
        if hi <= lo:
            return None
        j = int(rng.integers(lo, hi))
        _, i, ref = linked[j]
        if i not in used:
            used.add(i)
            return ref
    return None
