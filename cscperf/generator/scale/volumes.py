"""The scale profile's volumes: records per month at ``children = 1``, and their mix."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CONTACTS, SDS, LAC_STARTS, CAF_STARTS = 500, 120, 14, 30
SEASON = np.array([1.02, 1.0, 1.04, 0.96, 1.02, 1.04, 1.0, 0.82, 0.95, 1.08, 1.08, 0.88])
SOURCE_P = np.array(
    [
        0.42,
        0.14,
        0.05,
        0.07,
        0.09,
        0.02,
        0.015,
        0.008,
        0.006,
        0.075,
        0.04,
        0.013,
        0.002,
        0.018,
        0.007,
        0.007,
        0.002,
        0.002,
        0.001,
        0.002,
        0.004,
        0.001,
    ]
)


@dataclass(frozen=True)
class MonthSpan:
    """One month of the scale profile: its first day, length, size and season."""

    start: np.datetime64  # datetime64[D]
    days: int
    scale: int
    season: float


def month_span(month: np.datetime64, scale: int) -> MonthSpan:
    start = month.astype("datetime64[D]")
    days = int(((month + 1).astype("datetime64[D]") - start) // np.timedelta64(1, "D"))
    return MonthSpan(start, days, scale, float(SEASON[int(str(month)[5:7]) - 1]))
