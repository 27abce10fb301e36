"""Looked after children: periods of care as episodes, visits and reviews (scale profile)."""

from __future__ import annotations

import numpy as np

from .persons import State
from .sink import AS_AT, DAY, Sink, dates, later, repeat_offsets
from .volumes import LAC_STARTS, MonthSpan


def looked_after(sink: Sink, st: State, span: MonthSpan) -> None:
    rng = st.rng
    n_lac = int(rng.poisson(LAC_STARTS * span.scale))
    lac_start = span.start + rng.integers(0, span.days, n_lac) * DAY
    lac_person = st.persons(n_lac, 0.2)
    lac_end = later(lac_start + rng.integers(30, 1500, n_lac) * DAY)
    episodes(sink, rng, lac_start, lac_end, lac_person)
    last = np.where(np.isnat(lac_end), AS_AT + 30 * DAY, lac_end)
    visits_and_reviews(sink, lac_start, last, lac_person)


def episodes(
    sink: Sink,
    rng: np.random.Generator,
    lac_start: np.ndarray,
    lac_end: np.ndarray,
    lac_person: np.ndarray,
) -> None:
    """One episode per period of care, or two (split half way) for 40% of them."""
    n_lac = len(lac_start)
    split = rng.random(n_lac) < 0.4
    mid = lac_start + ((np.where(np.isnat(lac_end), AS_AT, lac_end) - lac_start) // 2)
    ep_start = np.concatenate([lac_start, mid[split]])
    ep_end = np.concatenate([np.where(split, mid, lac_end), lac_end[split]])
    n_ep = len(ep_start)
    sink.write(
        "lac_episodes",
        {
            "EPISODE_ID": sink.ids("lac_episodes", n_ep),
            "PERSON_ID": np.concatenate([lac_person, lac_person[split]]),
            "START_DATE": dates(ep_start),
            "END_DATE": dates(ep_end),
            "LEGAL_STATUS": rng.choice(
                ["V2", "C2", "C1", "E1", "J1", "V3"], n_ep, p=[0.35, 0.3, 0.2, 0.08, 0.04, 0.03]
            ),
            "PLACEMENT_TYPE": rng.choice(["U1", "U4", "R1", "H5", "K2"], n_ep),
            "REASON_NEW_EPISODE": np.concatenate([np.full(n_lac, "S"), np.full(split.sum(), "L")]),
            "REASON_CEASED": np.where(np.isnat(ep_end), "", "E4A"),
        },
    )


def visits_and_reviews(
    sink: Sink, lac_start: np.ndarray, last: np.ndarray, lac_person: np.ndarray
) -> None:
    """A visit every 35 days; reviews after 25 and 110 days, then every 180 (no draws)."""
    n_vis = ((last - lac_start) // (35 * DAY)).astype(int)
    off = repeat_offsets(n_vis)
    sink.write(
        "lac_visits",
        {
            "VISIT_ID": sink.ids("lac_visits", int(n_vis.sum())),
            "PERSON_ID": np.repeat(lac_person, n_vis),
            "VISIT_DATE": dates(np.repeat(lac_start, n_vis) + 35 * (off + 1) * DAY),
        },
    )
    n_rev = np.maximum((last - lac_start - 28 * DAY) // (182 * DAY) + 2, 0).astype(int)
    n_rev = np.where(last - lac_start > 28 * DAY, n_rev, 0)
    off = repeat_offsets(n_rev)
    gap = np.where(off == 0, 25, np.where(off == 1, 110, 110 + 180 * (off - 1)))
    rev = np.repeat(lac_start, n_rev) + gap * DAY
    keep = rev < np.repeat(last, n_rev)
    sink.write(
        "lac_reviews",
        {
            "REVIEW_ID": sink.ids("lac_reviews", int(keep.sum())),
            "PERSON_ID": np.repeat(lac_person, n_rev)[keep],
            "REVIEW_DATE": dates(rev[keep]),
        },
    )
