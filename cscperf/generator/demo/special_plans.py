"""Special child protection plans: long plans (code 20), second plans (code 19) and
the window every plan must end in."""

from __future__ import annotations

from datetime import date

import numpy as np

from cscperf.calendar import add_months

from .records import CpPlan, Protection


def designate(out: Protection, rng: np.random.Generator) -> None:
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
