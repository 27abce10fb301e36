"""CAF episodes (codes 1-3 and the CAF commentary).

Per month an exact number of CAFs start (and of step-downs among them) and
close; closures are chosen among the open CAFs so that the number open at the
month end follows. October 2015 follows the commentary of the report exactly
(lead professionals, localities, closure reasons, length of time open).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from cscperf.calendar import Month, add_months, first_day, last_day, month_key

from ..shared.codes import LOCALITIES
from ..shared.draws import pick
from .context import Context
from .records import Caf, Who

LOCALITY_P = (0.22, 0.2, 0.15, 0.1, 0.12, 0.07, 0.07, 0.07)
ODD_LOCALITY = "Ledbury – Colwall"  # an en dash: the file is written in Windows-1252
LEAD_STEP_DOWN = (
    ("SCHOOL", 0.7),
    ("MAG", 0.15),
    ("EARLY_YEARS", 0.05),
    ("HEALTH", 0.05),
    ("CHILDRENS_CENTRE", 0.05),
)
LEAD_OTHER = (
    ("SCHOOL", 0.6),
    ("EARLY_YEARS", 0.15),
    ("HEALTH", 0.1),
    ("CHILDRENS_CENTRE", 0.1),
    ("OTHER", 0.05),
)
REASONS = (
    ("STEP_UP", 0.37),
    ("NEEDS_MET", 0.21),
    ("DISENGAGED", 0.17),
    ("MOVED_AWAY", 0.1),
    ("OTHER", 0.15),
)
BANDS = {
    "0-3 months": (0, 3),
    "3-6 months": (3, 6),
    "6-12 months": (6, 12),
    "12+ months": (12, 600),
}
OCTOBER: Month = (2015, 10)


def build(ctx: Context) -> list[Caf]:
    rng = ctx.rng("caf")
    cafs: list[Caf] = []
    open_cafs: list[Caf] = []
    detail = ctx.plan.config["caf_2015_10"]
    for month in ctx.plan.months:
        v = ctx.plan.values[month]
        ms, me = first_day(month), last_day(month)
        starts = _starts(ctx, month, v["caf_starts"], v["caf_step_down"], detail, rng)
        cafs += starts
        # --- closures -----------------------------------------------------------
        n = v["caf_closes"]
        eligible = [c for c in open_cafs if c.start < ms]
        if n > len(eligible):
            raise ValueError(f"{month_key(month)}: cannot close {n} CAFs")
        if month == OCTOBER:
            closing = _october_closures(eligible, detail, rng)
        else:
            age = np.array([(ms - c.start).days for c in eligible], float)
            w = (age + 90.0) ** 0.8
            idx = rng.choice(len(eligible), size=n, replace=False, p=w / w.sum()) if n else []
            closing = [(eligible[i], None, None) for i in sorted(idx)]
        for c, lo_hi, reason in closing:
            lo, hi = lo_hi if lo_hi else (ms, me)
            lo = max(lo, ms, c.start + timedelta(days=1))
            if lo_hi is None and rng.random() < 0.05:
                c.end = me
            else:
                c.end = lo + timedelta(days=int(rng.integers(0, (hi - lo).days + 1)))
            c.closure_reason = reason or pick(rng, REASONS)
        closed = {id(c) for c, _, _ in closing}
        open_cafs = [c for c in open_cafs if id(c) not in closed] + starts
    return cafs


def _starts(
    ctx: Context, month: Month, n: int, n_step_down: int, detail: dict, rng: np.random.Generator
) -> list[Caf]:
    _ms, _me = first_day(month), last_day(month)
    days, p = ctx.day_weights(month, weekend=0.02)
    out = []
    if month == OCTOBER:
        leads = [k for k, c in detail["step_down_lead"].items() for _ in range(c)]
        places = ["Hereford North City"] * detail["step_down_north_city"]
        others = [x for x in LOCALITIES if x != "Hereford North City"]
        places += [others[int(i)] for i in rng.integers(0, len(others), n_step_down - len(places))]
        rng.shuffle(places)
        other_leads = [k for k, c in detail["other_lead"].items() for _ in range(c)]
        rng.shuffle(other_leads)
        no_sc = detail["no_social_care"]
        rows = [("Y", "Y", lead, place) for lead, place in zip(leads, places, strict=True)]
        rows += [("N", "N" if i < no_sc else "Y", lead, None) for i, lead in enumerate(other_leads)]
        if len(rows) != n or sum(r[0] == "Y" for r in rows) != n_step_down:
            raise ValueError("the October 2015 CAF detail does not match the targets")
    else:
        rows = []
        for i in range(n):
            step = i < n_step_down
            rows.append(
                (
                    "Y" if step else "N",
                    "Y" if step or rng.random() < 0.4 else "N",
                    pick(rng, LEAD_STEP_DOWN if step else LEAD_OTHER),
                    None,
                )
            )
    for step, sci, lead, place in rows:
        if place is None:
            place = str(rng.choice(LOCALITIES, p=np.array(LOCALITY_P)))
            if month < (2015, 1) and rng.random() < 0.01:
                place = ODD_LOCALITY
        start = days[int(rng.choice(len(days), p=p))]
        out.append(Caf(ctx.next_id("caf", 8_000_001), Who(), start, step, sci, lead, place))
    return out


def _october_closures(
    eligible: list[Caf], detail: dict, rng: np.random.Generator
) -> list[tuple[Caf, tuple[date, date], str]]:
    ms, me = date(2015, 10, 1), date(2015, 10, 31)
    chosen: list[tuple[Caf, tuple[date, date]]] = []
    used: set[int] = set()
    need_step_down = detail["step_up_from_step_down"]  # stepped-down CAFs among the closures
    for band, count in detail["duration_bands"].items():
        lo_m, hi_m = BANDS[band]
        cands = []
        for c in eligible:
            lo = max(ms, add_months(c.start, lo_m), c.start + timedelta(days=1))
            hi = min(me, add_months(c.start, hi_m) - timedelta(days=1))
            if lo <= hi and id(c) not in used:
                cands.append((c, (lo, hi)))
        if len(cands) < count:
            raise ValueError(f"October 2015: {len(cands)} CAFs can close in band {band}")
        step = [i for i, (c, _) in enumerate(cands) if c.step_down == "Y"]
        take = min(count, len(step), need_step_down)
        picked = [int(i) for i in rng.choice(step, size=take, replace=False)] if take else []
        need_step_down -= take
        rest = [i for i in range(len(cands)) if i not in set(picked)]
        picked += [int(i) for i in rng.choice(rest, size=count - take, replace=False)]
        for i in sorted(picked):
            chosen.append(cands[i])
            used.add(id(cands[i][0]))
    reasons = [k for k, c in detail["closure_reasons"].items() for _ in range(c)]
    step_up = reasons.count("STEP_UP")
    from_step_down = detail["step_up_from_step_down"]
    sd = [i for i, (c, _) in enumerate(chosen) if c.step_down == "Y"]
    if len(sd) < from_step_down:
        raise ValueError("October 2015: too few stepped-down CAFs to close as step-ups")
    rest = [i for i in range(len(chosen)) if i not in sd]
    up = set(rng.choice(sd, size=from_step_down, replace=False).tolist())
    up |= set(rng.choice(rest, size=step_up - from_step_down, replace=False).tolist())
    others = [r for r in reasons if r != "STEP_UP"]
    rng.shuffle(others)
    out = []
    for i, (c, window) in enumerate(chosen):
        out.append((c, window, "STEP_UP" if i in up else others.pop()))
    return out
