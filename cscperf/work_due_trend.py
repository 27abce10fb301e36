"""The work-due trend: daily counts of overdue and due-soon items per area.

The nightly rebuild replaces the warehouse, so the counts are kept in an
append-only JSON-lines file beside it (like the run history): one line per
nightly run, appended and fsynced. ``write_trend_table`` copies that history
into a new warehouse as ``marts.work_due_trend``, together with the counts of
the build itself, so the table a run publishes includes its own day.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from cscperf.worklists import AREAS, count_by_area_and_status

log = logging.getLogger(__name__)

TREND_STATUSES = ("overdue", "due_today", "due_soon")
TREND_DDL = """
create or replace table marts.work_due_trend (
    as_at date, recorded_at timestamptz, area varchar,
    overdue integer, due_today integer, due_soon integer
)
"""


@dataclass(frozen=True)
class TrendPoint:
    as_at: date
    recorded_at: datetime
    area: str
    overdue: int
    due_today: int
    due_soon: int


def trend_path_for(warehouse: Path) -> Path:
    return Path(warehouse).with_name(f"{Path(warehouse).stem}.work_due_trend.jsonl")


def _as_at_of(warehouse: Path) -> date | None:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        row = con.execute("select max(as_at_date) from marts.work_due").fetchone()
    finally:
        con.close()
    return row[0] if row else None


def _line(warehouse: Path, as_at: date, recorded_at: datetime) -> dict[str, object]:
    counts = count_by_area_and_status(warehouse)
    return {
        "as_at": as_at.isoformat(),
        "recorded_at": recorded_at.isoformat(),
        "counts": {area: {s: counts[area][s] for s in TREND_STATUSES} for area in counts},
    }


def append_trend(
    warehouse: Path, history_path: Path, as_at: date, recorded_at: datetime | None = None
) -> None:
    """Append the counts of the published ``warehouse`` (as at ``as_at``) to the history."""
    recorded_at = recorded_at or datetime.now(ZoneInfo("Europe/London"))
    line = json.dumps(_line(Path(warehouse), as_at, recorded_at), sort_keys=True) + "\n"
    history_path = Path(history_path)
    history_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(history_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        fh.write(line)
        fh.flush()
        os.fsync(fh.fileno())


def _points(data: dict[str, object]) -> list[TrendPoint]:
    as_at = date.fromisoformat(str(data["as_at"]))
    recorded_at = datetime.fromisoformat(str(data["recorded_at"]))
    counts = data["counts"]
    assert isinstance(counts, dict)
    return [
        TrendPoint(as_at, recorded_at, str(area), *(int(by_status[s]) for s in TREND_STATUSES))
        for area, by_status in counts.items()
    ]


def read_trend(history_path: Path) -> list[TrendPoint]:
    """Every point of the history; a line that cannot be read is skipped with a warning."""
    history_path = Path(history_path)
    if not history_path.exists():
        return []
    points: list[TrendPoint] = []
    for number, text in enumerate(history_path.read_text(encoding="utf-8").splitlines(), 1):
        if not text.strip():
            continue
        try:
            points += _points(json.loads(text))
        except (ValueError, KeyError, TypeError, AssertionError) as exc:
            log.warning("%s line %d is not a trend record (%s): skipped", history_path, number,
                        type(exc).__name__)
    return points


def latest_per_day(points: list[TrendPoint]) -> list[TrendPoint]:
    """One point per as-at date and area: the one recorded last."""
    latest: dict[tuple[date, str], TrendPoint] = {}
    for p in sorted(points, key=lambda p: p.recorded_at):
        latest[(p.as_at, p.area)] = p
    return sorted(latest.values(), key=lambda p: (p.as_at, AREAS.index(p.area)
                                                  if p.area in AREAS else len(AREAS), p.area))


def write_trend_table(build_db_path: Path, history_path: Path) -> None:
    """Write ``marts.work_due_trend`` into a build file: the history, plus the build's
    own counts (as the latest point of its as-at day), one row per day and area."""
    points = read_trend(history_path)
    as_at = _as_at_of(Path(build_db_path))
    if as_at is not None:
        now = datetime.now(ZoneInfo("Europe/London"))
        points += _points(_line(Path(build_db_path), as_at, now))
    rows = [(p.as_at, p.recorded_at, p.area, p.overdue, p.due_today, p.due_soon)
            for p in latest_per_day(points)]
    con = duckdb.connect(str(build_db_path))
    try:
        con.execute("create schema if not exists marts")
        con.execute(TREND_DDL)
        if rows:
            con.executemany("insert into marts.work_due_trend values (?,?,?,?,?,?)", rows)
        con.execute("checkpoint")
    finally:
        con.close()
