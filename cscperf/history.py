"""The history of what was reported: an append-only store beside the warehouse.

Every run that reports (the monthly run, or any run that renders the report)
records the figures its report showed -- each indicator's value, numerator,
denominator and rate for the report month and for the previous periods the
report printed -- as one *entry*: a JSON file ``<run_id>.json`` in the folder
``<warehouse stem>.indicator_history/`` beside the warehouse. Back-filled
entries (``cscperf backfill``) have the same shape, with kind ``backfill``.

Crash safety (a kill at any moment never leaves half an entry):

- an entry is written to a temporary name, fsynced, and renamed to
  ``<run_id>.json.pending`` *before* the warehouse swap; the rename is atomic,
  so the pending file is whole or absent;
- right *after* the swap it is renamed to ``<run_id>.json`` (committed);
- a run that finds a pending entry (under the warehouse lock, at its start, or
  a run whose publishing failed) commits it when the published warehouse's
  ``marts.run_history`` says that run published, and deletes it otherwise.

Only ``*.json`` files are entries; nothing is ever rewritten (a rerun of a
month is a new entry). Files are created 0640 and the folder 0750 (the run's
umask, 027, does the rest).

Before the build, the committed entries go into the build file as source
``history.indicator_history`` (:func:`write_history_source`), from which dbt
builds ``marts.indicator_restatements`` (models/marts/indicator_restatements.sql:
each indicator and month ever reported, as first reported, as last reported
and as computed now). After the build, ``marts.indicator_history`` (every
committed entry, plus the publishing run's own) is written beside the marts,
so every published warehouse carries both.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from cscperf.calendar import month_end

log = logging.getLogger(__name__)

ENTRY_FORMAT = 1
KINDS = ("published", "backfill")
FILE_MODE = 0o640
DIR_MODE = 0o750
PENDING = ".pending"
TEMP_MARK = ".tmp-"


# --------------------------------------------------------------------------- entries


@dataclass(frozen=True)
class Figure:
    """One figure a report showed: an indicator for one month end."""

    indicator_code: int
    period_end: date
    value: float | None
    numerator: int | None
    denominator: int | None
    rate_per_10k: float | None
    shown_as: str  # "report month", "previous 1", "previous 2"


@dataclass(frozen=True)
class Entry:
    """What one run reported (or, back-filled, would have reported)."""

    run_id: str
    kind: str  # published | backfill
    as_at: date
    extracts_dir: str
    recorded_at: datetime
    report_period_end: date
    figures: tuple[Figure, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": ENTRY_FORMAT,
            "run_id": self.run_id,
            "kind": self.kind,
            "as_at": self.as_at.isoformat(),
            "extracts_dir": self.extracts_dir,
            "recorded_at": self.recorded_at.isoformat(),
            "report_period_end": self.report_period_end.isoformat(),
            "figures": [
                {**asdict(f), "period_end": f.period_end.isoformat()} for f in self.figures
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        figures = tuple(
            Figure(
                indicator_code=int(f["indicator_code"]),
                period_end=date.fromisoformat(f["period_end"]),
                value=f["value"], numerator=f["numerator"], denominator=f["denominator"],
                rate_per_10k=f["rate_per_10k"], shown_as=f["shown_as"],
            )
            for f in data["figures"]
        )
        return cls(
            run_id=data["run_id"], kind=data["kind"], as_at=date.fromisoformat(data["as_at"]),
            extracts_dir=data["extracts_dir"],
            recorded_at=datetime.fromisoformat(data["recorded_at"]),
            report_period_end=date.fromisoformat(data["report_period_end"]),
            figures=figures,
        )


def records_history(kind: str, renders_report: bool) -> bool:
    """Whether a published run records its figures: the monthly run, or any run with a report.

    A nightly refresh or a ``cscperf run`` without ``--report-out`` reports
    nothing, so records nothing.
    """
    return kind == "monthly" or renders_report


# --------------------------------------------------------------------------- the figures


REPORTED_FIGURES_SQL = """
with report as (
    select indicator_code, period_end, previous_1_period_end, previous_2_period_end
    from marts.indicator_report
    where period_end = ?
),
shown as (
    select indicator_code, period_end, 'report month' as shown_as from report
    union all
    select indicator_code, previous_1_period_end, 'previous 1' from report
    union all
    select indicator_code, previous_2_period_end, 'previous 2' from report
)
select shown.indicator_code, shown.period_end, v.value, v.numerator, v.denominator,
    v.rate_per_10k, shown.shown_as
from shown
left join marts.indicator_values as v
    on v.indicator_code = shown.indicator_code and v.period_end = shown.period_end
order by shown.indicator_code, shown.shown_as
"""


def _has_tables(con: duckdb.DuckDBPyConnection, *names: str) -> bool:
    found = {n for (n,) in con.execute(
        "select table_name from information_schema.tables "
        "where table_catalog = current_database() and table_schema = 'marts'"
    ).fetchall()}
    return set(names) <= found


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


def reported_figures(
    con: duckdb.DuckDBPyConnection, report_period_end: date
) -> tuple[Figure, ...]:
    """The figures the report of ``report_period_end`` shows, from a build's marts.

    The report month and the two previous periods of each indicator by its
    previous-values rule (``years``: 12 and 24 months back; ``months``: 1 and
    2), as ``cscperf.report.pages._previous`` shows them; a period the marts do
    not hold (before the earliest event) is recorded with null figures.
    """
    if not _has_tables(con, "indicator_report", "indicator_values"):
        return ()
    rows = con.execute(REPORTED_FIGURES_SQL, [report_period_end]).fetchall()
    return tuple(
        Figure(int(code), period, _float_or_none(value), _int_or_none(num), _int_or_none(den),
               _float_or_none(rate), shown_as)
        for code, period, value, num, den, rate, shown_as in rows
    )


# --------------------------------------------------------------------------- the store


def store_path_for(warehouse: Path) -> Path:
    """The history folder beside the warehouse: ``cscperf.indicator_history/``."""
    return Path(warehouse).with_name(f"{Path(warehouse).stem}.indicator_history")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class HistoryStore:
    """One folder of entries; written only under the warehouse lock."""

    def __init__(self, warehouse: Path) -> None:
        self.warehouse = Path(warehouse)
        self.folder = store_path_for(warehouse)

    def _entry_path(self, run_id: str) -> Path:
        if not run_id or "/" in run_id or run_id.startswith("."):
            raise ValueError(f"not a run id for a history entry: {run_id!r}")
        return self.folder / f"{run_id}.json"

    def pending_path(self, run_id: str) -> Path:
        path = self._entry_path(run_id)
        return path.with_name(path.name + PENDING)

    def _ensure_folder(self) -> None:
        self.folder.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)

    def _write_new(self, target: Path, entry: Entry) -> Path:
        """Write ``entry`` whole to ``target`` (temp name, fsync, rename): never half a file."""
        self._ensure_folder()
        if target.exists() or self._entry_path(entry.run_id).exists():
            raise FileExistsError(f"{target}: a history entry is never overwritten")
        temp = target.with_name(f"{target.name}{TEMP_MARK}{os.getpid()}")
        data = (json.dumps(entry.to_json(), sort_keys=True) + "\n").encode("utf-8")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
        _fsync_dir(self.folder)
        return target

    def write_pending(self, entry: Entry) -> Path:
        """Before the swap: the run's entry, not yet an entry until :meth:`commit`."""
        return self._write_new(self.pending_path(entry.run_id), entry)

    def append(self, entry: Entry) -> Path:
        """A committed entry at once (back-fill: no warehouse swap to wait for)."""
        return self._write_new(self._entry_path(entry.run_id), entry)

    def commit(self, run_id: str) -> None:
        os.replace(self.pending_path(run_id), self._entry_path(run_id))
        _fsync_dir(self.folder)
        log.info("history: recorded the figures of run %s", run_id)

    def discard(self, run_id: str) -> None:
        self.pending_path(run_id).unlink(missing_ok=True)
        log.info("history: run %s did not publish; its entry was discarded", run_id)

    def pending_runs(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.name[: -len(".json" + PENDING)]
                      for p in self.folder.glob(f"*.json{PENDING}"))

    def resolve(self, run_id: str) -> None:
        """A pending entry: commit it if the warehouse says the run published, else delete it."""
        if not self.pending_path(run_id).exists():
            return
        if run_id in published_run_ids(self.warehouse):
            self.commit(run_id)
        else:
            self.discard(run_id)

    def recover(self) -> None:
        """Under the lock, before a run: settle what a killed run left."""
        if not self.folder.is_dir():
            return
        for temp in self.folder.glob(f"*{TEMP_MARK}*"):
            temp.unlink(missing_ok=True)
        for run_id in self.pending_runs():
            self.resolve(run_id)

    def entries(self, include_pending: Sequence[str] = ()) -> list[Entry]:
        """Committed entries in the order recorded (plus the named runs' pending entries)."""
        if not self.folder.is_dir():
            return []
        paths = list(self.folder.glob("*.json"))
        paths += [self.pending_path(r) for r in include_pending if self.pending_path(r).exists()]
        out = []
        for path in paths:
            try:
                out.append(Entry.from_json(json.loads(path.read_text(encoding="utf-8"))))
            except (OSError, ValueError, KeyError, TypeError) as exc:
                log.warning("%s is not a history entry (%s): skipped", path.name,
                            type(exc).__name__)
        return sorted(out, key=lambda e: (e.recorded_at, e.run_id))


def published_run_ids(warehouse: Path) -> set[str]:
    """Run ids that ``marts.run_history`` of the published warehouse says published."""
    warehouse = Path(warehouse)
    if not warehouse.exists():
        return set()
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        if not _has_tables(con, "run_history"):
            return set()
        return {r for (r,) in con.execute(
            "select run_id from marts.run_history where published").fetchall()}
    finally:
        con.close()


# --------------------------------------------------------------------------- marts


INDICATOR_HISTORY_DDL = """
create or replace table marts.indicator_history (
    indicator_code integer, period_end date, value double, numerator bigint,
    denominator bigint, rate_per_10k double, run_id varchar, as_at date, kind varchar,
    recorded_at timestamptz, report_period_end date, shown_as varchar, extracts_dir varchar
)
"""


def _history_rows(entries: Iterable[Entry]) -> list[tuple[Any, ...]]:
    return [
        (f.indicator_code, f.period_end, f.value, f.numerator, f.denominator, f.rate_per_10k,
         e.run_id, e.as_at, e.kind, e.recorded_at, e.report_period_end, f.shown_as,
         e.extracts_dir)
        for e in entries for f in e.figures
    ]


def write_history_table(con: duckdb.DuckDBPyConnection, entries: Iterable[Entry]) -> int:
    """``marts.indicator_history``: one row per figure of every entry."""
    con.execute("create schema if not exists marts")
    con.execute(INDICATOR_HISTORY_DDL)
    rows = _history_rows(entries)
    if rows:
        con.executemany(
            "insert into marts.indicator_history values (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    return len(rows)


def write_history_source(db_path: Path, entries: Iterable[Entry]) -> int:
    """Before ``dbt build``: the history so far as source ``history.indicator_history``.

    dbt's ``indicator_restatements`` compares this build with it; the run
    being built is not in it (its entry is written after the build).
    """
    con = duckdb.connect(str(db_path))
    try:
        con.execute("create schema if not exists history")
        con.execute(INDICATOR_HISTORY_DDL.replace("marts.", "history."))
        rows = _history_rows(entries)
        if rows:
            con.executemany(
                "insert into history.indicator_history values (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        con.execute("checkpoint")
    finally:
        con.close()
    return len(rows)


# --------------------------------------------------------------------------- a run's hook


def stage_run_history(
    building: Path, warehouse: Path, run_id: str, as_at: date, extracts_dir: str,
    recorded_at: datetime, record: bool,
) -> bool:
    """After the build, before publishing: the run's pending entry and ``marts.indicator_history``.

    Writes ``marts.indicator_history`` (committed entries plus this run's
    pending one) into the build file, so that the analyst file (every
    ``marts`` table) carries it. Returns
    whether a pending entry was written (then :meth:`HistoryStore.resolve`
    must follow the publish, whatever its outcome).
    """
    store = HistoryStore(warehouse)
    con = duckdb.connect(str(building))
    try:
        if not _has_tables(con, "indicator_values"):
            return False
        pending = False
        if record:
            period = month_end(as_at)
            figures = reported_figures(con, period)
            if figures:
                store.write_pending(Entry(run_id, "published", as_at, extracts_dir,
                                          recorded_at, period, figures))
                pending = True
        entries = store.entries(include_pending=[run_id] if pending else [])
        rows = write_history_table(con, entries)
        con.execute("checkpoint")
    finally:
        con.close()
    log.info("history: %d entries (%d figures)", len(entries), rows)
    return pending
