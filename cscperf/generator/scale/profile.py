"""The `scale` profile: the demo's kinds of journeys at any size, vectorised.

``children`` multiplies Herefordshire's volumes (1 = about 6,000 contacts,
2,700 referrals and 170 children coming into care a year; 100 = about
600,000 contacts a year). History runs ``years`` years back from 2015-10-31.
Every file is generated month by month with numpy (no loop over records) and
appended to disk, so memory depends on one month's volume, not on the total.
The figures are plausible but not calibrated.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from .assessments import assessments
from .caf import cafs
from .care import looked_after
from .front_door import contacts, referrals
from .people import people
from .persons import State
from .protection import protection
from .sink import Sink
from .volumes import month_span


def one_month(sink: Sink, st: State, month: np.datetime64, scale: int) -> None:
    """Every file's records of one month, in a fixed order of random draws."""
    span = month_span(month, scale)
    refs = contacts(sink, st, span)
    has_ia = referrals(sink, st.rng, refs)
    assessments(sink, st.rng, refs, has_ia)
    protection(sink, st.rng, refs, span)
    looked_after(sink, st, span)
    cafs(sink, st, span)


def generate(out_dir: Path, seed: int, children: int, years: int) -> str:
    if children < 1 or years < 1:
        raise ValueError("--children and --years must be at least 1")
    t0 = time.perf_counter()
    rng = np.random.default_rng([seed, 777])
    sink = Sink(Path(out_dir))
    st = State(rng)
    last = np.datetime64("2015-10", "M")
    first = last - (12 * years - 1)
    for month in np.arange(first, last + 1):
        one_month(sink, st, month, children)
    people(sink, st)
    total = sum(sink.rows.values())
    seconds = time.perf_counter() - t0
    return (
        f"scale (children {children}, years {years}, seed {seed}): 13 files, {total:,} rows "
        f"({sink.rows['contacts']:,} contacts) in {seconds:.1f}s "
        f"({total / max(seconds, 1e-9):,.0f} rows/s) in {out_dir}"
    )
