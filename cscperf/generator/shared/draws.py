"""Random draws both profiles' record builders use: a time of day, a weighted name."""

from __future__ import annotations

import bisect
from datetime import date, datetime, time

import numpy as np


def at(day: date, rng: np.random.Generator, first_hour: int = 8, last_hour: int = 18) -> datetime:
    minutes = int(rng.integers(first_hour * 60, last_hour * 60))
    return datetime.combine(day, time(minutes // 60, minutes % 60, int(rng.integers(0, 60))))


_CUMULATIVE: dict[int, tuple[tuple[str, ...], list[float]]] = {}


def pick(rng: np.random.Generator, options: tuple[tuple[str, float], ...]) -> str:
    """One name from weighted (name, weight) options (fast: no numpy choice per call)."""
    cached = _CUMULATIVE.get(id(options))
    if cached is None:
        total = float(sum(w for _, w in options))
        acc, cum = 0.0, []
        for _, w in options:
            acc += w / total
            cum.append(acc)
        cached = (tuple(n for n, _ in options), cum)
        _CUMULATIVE[id(options)] = cached
    names, cum = cached
    i = bisect.bisect_left(cum, rng.random() * cum[-1])
    return names[min(i, len(names) - 1)]
