"""The scale profile's output: chunks appended to the 13 files, and column helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cscperf.contract import EXTRACTS

from ..shared.teams import TEAMS_BY_EXTRACT, teams_for

AS_AT = np.datetime64("2015-10-31")
DAY = np.timedelta64(1, "D")


@dataclass
class Sink:
    """Appends chunks to the 13 files and counts rows."""

    out_dir: Path
    rows: dict[str, int] = field(default_factory=dict)
    next_id: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        for e in EXTRACTS:
            cols = ",".join(c.name for c in e.columns)
            (self.out_dir / e.file_name).write_text(cols + "\n")
            self.rows[e.name] = 0
            self.next_id[e.name] = 1

    def ids(self, name: str, n: int) -> np.ndarray:
        first = self.next_id[name]
        self.next_id[name] = first + n
        return np.arange(first, first + n, dtype=np.int64)

    def write(self, name: str, frame: dict[str, object]) -> None:
        df = pd.DataFrame(frame)
        if df.empty:
            return
        if name in TEAMS_BY_EXTRACT:  # v1.1 TEAM (last column), from the id: no random draw
            df["TEAM"] = teams_for(name, df.iloc[:, 0].to_numpy())
        df.to_csv(self.out_dir / f"{name}.csv", mode="a", header=False, index=False)
        self.rows[name] += len(df)


def dates(values: np.ndarray) -> np.ndarray:
    """datetime64[D] -> ISO text; NaT -> empty."""
    out = np.datetime_as_string(values, unit="D")
    out[np.isnat(values)] = ""
    return out


def later(values: np.ndarray) -> np.ndarray:
    """Dates after the as-at date stay (the as-at rule ignores them) only up to a month."""
    return np.where(values > AS_AT + 30 * DAY, np.datetime64("NaT"), values)


def repeat_offsets(counts: np.ndarray) -> np.ndarray:
    """0..count-1 for each group, concatenated."""
    total = int(counts.sum())
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total) - starts
