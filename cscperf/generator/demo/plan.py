"""The demo profile's plan: whole-number targets per month, and the tools that make them.

``Plan`` holds the targets ``targets.build_plan`` derives from
``herefordshire_2015.yml``; ``distribute`` splits a total exactly (largest
remainder) and ``interpolate`` draws a stock line through anchor points.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np
import yaml

from cscperf.calendar import Month


@dataclass
class Plan:
    """Whole-number targets per month, plus the YAML for the details."""

    months: list[Month]
    values: dict[Month, dict[str, int]]
    shares: dict[Month, dict[str, float]]
    config: dict[str, Any]
    pinned: dict[Month, dict[str, Any]] = field(default_factory=dict)

    def get(self, month: Month, key: str, default: int | None = None) -> int | None:
        return self.values.get(month, {}).get(key, default)

    def pin(self, month: Month, group: str) -> dict[str, Any] | None:
        return self.pinned.get(month, {}).get(group)


def load_config() -> dict[str, Any]:
    text = resources.files("cscperf.generator.demo").joinpath("herefordshire_2015.yml").read_text()
    return yaml.safe_load(text)


def distribute(total: int, weights: list[float], caps: list[int] | None = None) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), each
    part at most its cap."""
    n = len(weights)
    if n == 0:
        if total:
            raise ValueError(f"cannot place {total} in no months")
        return []
    caps = caps if caps is not None else [10**9] * n
    if total > sum(caps) or total < 0:
        raise ValueError(f"cannot distribute {total} under caps {caps}")
    parts = [0] * n
    remaining = total
    active = [i for i in range(n) if caps[i] > 0]
    while remaining > 0 and active:
        w = np.array([max(weights[i], 1e-9) for i in active])
        exact = w / w.sum() * remaining
        floors = np.floor(exact).astype(int)
        order = np.argsort(-(exact - floors), kind="stable")
        give = floors.copy()
        for k in order[: remaining - int(floors.sum())]:
            give[k] += 1
        for k, i in enumerate(active):
            take = min(int(give[k]), caps[i] - parts[i])
            parts[i] += take
            remaining -= take
        active = [i for i in active if parts[i] < caps[i]]
    if remaining:
        raise ValueError(f"cannot distribute {total} under caps {caps}")
    return parts


def interpolate(anchors: dict[Month, int], months: list[Month]) -> dict[Month, float]:
    keys = sorted(anchors)
    index = {m: i for i, m in enumerate(months)}
    out = {}
    for m in months:
        if m <= keys[0]:
            out[m] = float(anchors[keys[0]])
            continue
        if m >= keys[-1]:
            out[m] = float(anchors[keys[-1]])
            continue
        for a, b in itertools.pairwise(keys):
            if a <= m <= b:
                t = (index[m] - index[a]) / (index[b] - index[a])
                out[m] = anchors[a] + t * (anchors[b] - anchors[a])
                break
    return out
