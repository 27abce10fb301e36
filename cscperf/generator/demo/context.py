"""Shared state of one demo generation: random streams, calendar, targets, ids."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from cscperf.calendar import Month, WorkCalendar, first_day, last_day

from .plan import Plan

AS_AT = date(2015, 10, 31)
HISTORY_START = date(2011, 1, 1)


@dataclass
class Context:
    seed: int
    plan: Plan
    cal: WorkCalendar
    _counters: dict[str, itertools.count] = field(default_factory=dict)

    def rng(self, stream: str) -> np.random.Generator:
        """An independent random stream per part, so parts don't shift each other."""
        key = sum((i + 1) * ord(c) for i, c in enumerate(stream))
        return np.random.default_rng([self.seed, key])

    def next_id(self, kind: str, first: int) -> int:
        if kind not in self._counters:
            self._counters[kind] = itertools.count(first)
        return next(self._counters[kind])

    def day_weights(self, month: Month, weekend: float = 0.3) -> tuple[list[date], np.ndarray]:
        days = [first_day(month) + timedelta(days=i) for i in range(last_day(month).day)]
        w = np.array([1.0 if self.cal.is_working_day(d) else weekend for d in days])
        return days, w / w.sum()

    def some_working_day(self, lo: date, hi: date, rng: np.random.Generator) -> date | None:
        """A working day from ``lo`` to ``hi`` drawn at random; None when there is none."""
        days = self.cal.working_days(lo, hi)
        return days[int(rng.integers(0, len(days)))] if days else None
