"""Publishing the warehouse: one run at a time, one rename, and a run history.

- **Lock.** A run holds an exclusive ``fcntl.flock`` on a lock file beside the
  warehouse (``cscperf.duckdb.lock-run``) from landing to publishing. The
  holder writes its pid, start time and run id into the file, so a second run
  that gives up after ``publish.lock_timeout_seconds`` can say who holds it.
  The lock is released by the kernel when the holder exits, however it exits:
  a crashed run never leaves a stale lock behind.
- **Atomic swap.** A run builds into its own new DuckDB file and publishes it
  with one ``os.replace``. Readers that have the old file open keep reading
  the old inode; new readers see the new file; nobody ever sees half a file.
- **Two kinds of file.** A run builds everything (raw, staging, intermediate,
  marts: personal data) in a build file in the restricted folder. What is
  published is a *new* file holding only what analysts need -- the ``marts``
  and ``reference`` schemas, the run history and the check results
  (:func:`write_analyst_file`); the build file is then deleted, or kept in the
  restricted folder (``publish.keep_full_build``) for those who may see
  personal data.
- **Run history.** One JSON line per finished run in
  ``cscperf.run_history.jsonl`` beside the warehouse (outside the warehouse,
  so failed runs are kept too), copied into every published warehouse as
  ``marts.run_history``; the run's check results go in as
  ``marts.quality_results``.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import logging
import os
import shutil
import socket
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

log = logging.getLogger(__name__)

LOCK_POLL_SECONDS = 0.2


class LockTimeout(RuntimeError):
    """Another run held the warehouse lock for longer than we were willing to wait."""


def lock_path_for(warehouse: Path) -> Path:
    return Path(warehouse).with_name(Path(warehouse).name + ".lock-run")


def history_path_for(warehouse: Path) -> Path:
    return Path(warehouse).with_name(f"{Path(warehouse).stem}.run_history.jsonl")


def _describe_holder(lock_file: Path) -> str:
    try:
        holder = json.loads(lock_file.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        holder = {}
    if not holder:
        return "another run (holder unknown)"
    return (
        f"run {holder.get('run_id', '?')} (pid {holder.get('pid', '?')} on "
        f"{holder.get('host', '?')}, started {holder.get('started_at', '?')})"
    )


@contextlib.contextmanager
def warehouse_lock(warehouse: Path, timeout_seconds: float, run_id: str) -> Iterator[Path]:
    """Hold the warehouse's run lock; wait up to ``timeout_seconds`` for it.

    Raises LockTimeout with a one-line message naming the holder.
    """
    lock_file = lock_path_for(warehouse)
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o640)
    try:
        deadline = time.monotonic() + max(0.0, float(timeout_seconds))
        waited = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waited:
                    log.info("warehouse %s is locked by %s; waiting up to %.0f s",
                             warehouse, _describe_holder(lock_file), timeout_seconds)
                    waited = True
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"warehouse {warehouse} is locked by {_describe_holder(lock_file)}; "
                        f"gave up after {timeout_seconds:g} s "
                        f"(publish.lock_timeout_seconds)"
                    ) from None
                time.sleep(LOCK_POLL_SECONDS)
        holder = {
            "run_id": run_id,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder).encode(), 0)
        log.debug("holding %s", lock_file)
        try:
            yield lock_file
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def swap_in(building: Path, warehouse: Path) -> None:
    """Replace the published warehouse with ``building`` in one rename.

    The build file must be closed (checkpointed: no WAL). A WAL left beside
    the published file belongs to the old database and would be replayed onto
    the new one, so it is moved aside first.
    """
    building, warehouse = Path(building), Path(warehouse)
    if building.with_name(building.name + ".wal").exists():
        raise RuntimeError(f"{building} still has a write-ahead log: it was not closed")
    with open(building, "rb") as fh:
        os.fsync(fh.fileno())
    stale_wal = warehouse.with_name(warehouse.name + ".wal")
    if stale_wal.exists():
        aside = stale_wal.with_name(f"{stale_wal.name}.{int(time.time())}.stale")
        log.warning("moving aside a stale WAL of the published warehouse: %s", aside)
        os.replace(stale_wal, aside)
    os.replace(building, warehouse)
    _fsync_dir(warehouse.parent)
    log.info("published %s", warehouse)


# --------------------------------------------------------------------------- run history


@dataclass
class RunRecord:
    """One run, as kept in the run history."""

    run_id: str
    kind: str  # monthly | nightly | manual
    as_at: date
    extracts_dir: str
    warehouse: str
    started_at: datetime
    ended_at: datetime | None = None
    status: str = "running"  # published | failed | skipped
    published: bool = False
    rows_loaded: dict[str, int] = field(default_factory=dict)
    rows_rejected: int = 0
    checks_passed: int = 0
    checks_failed: int = 0
    checks_warned: int = 0
    quality_dir: str = ""
    flow_run_id: str = ""
    message: str = ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("as_at", "started_at", "ended_at"):
            value = data[key]
            data[key] = value.isoformat() if value is not None else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunRecord:
        data = dict(data)
        data["as_at"] = date.fromisoformat(data["as_at"])
        data["started_at"] = datetime.fromisoformat(data["started_at"])
        if data.get("ended_at"):
            data["ended_at"] = datetime.fromisoformat(data["ended_at"])
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


class RunHistory:
    """The JSON-lines run history beside a warehouse (written under the run lock)."""

    def __init__(self, warehouse: Path) -> None:
        self.path = history_path_for(warehouse)

    def records(self) -> list[RunRecord]:
        if not self.path.exists():
            return []
        records = []
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                records.append(RunRecord.from_json(json.loads(line)))
            except (ValueError, KeyError, TypeError) as exc:
                log.warning("%s line %d is not a run record (%s): skipped", self.path, number, exc)
        return records

    def last_published(self) -> RunRecord | None:
        published = [r for r in self.records() if r.published]
        return published[-1] if published else None

    def append(self, record: RunRecord) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(record.to_json(), sort_keys=True) + "\n"
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())


RUN_HISTORY_DDL = """
create or replace table marts.run_history (
    run_id varchar, kind varchar, status varchar, published boolean,
    started_at timestamptz, ended_at timestamptz, as_at date,
    extracts_dir varchar, rows_loaded_total bigint, rows_loaded varchar,
    rows_rejected bigint, checks_passed integer, checks_failed integer,
    checks_warned integer, message varchar
)
"""

QUALITY_RESULTS_DDL = """
create or replace table marts.quality_results (
    run_id varchar, suite varchar, check_name varchar, severity varchar,
    success boolean, element_count bigint, unexpected_count bigint,
    example_ids varchar, detail varchar
)
"""


# What the analyst file holds: every table of these schemas, copied from the build.
ANALYST_SCHEMAS = ("marts", "reference")
FULL_BUILD_NAME = "cscperf-full.duckdb"


def write_analyst_file(building: Path, target: Path, begun: Path | None = None) -> list[str]:
    """Copy the analyst schemas of the build file into the new file ``target``.

    ``begun``: the analyst file dbt wrote its largest mart into while building
    (``cscperf.dbt_runner.analyst_path_for``); if it exists it becomes ``target``
    (renamed, or copied across file systems) and keeps its tables. Views become
    tables (a view would point at a schema the file does not hold). Returns the
    tables copied, as ``schema.table``.
    """
    building, target = Path(building), Path(target)
    if target.exists():
        raise FileExistsError(f"{target} exists: the analyst file must be new")
    if begun is not None and Path(begun).exists():
        _move(Path(begun), target)
    copied: list[str] = []
    con = duckdb.connect(str(target))
    try:
        con.execute(f"ATTACH {_sql_literal(str(building))} AS build (READ_ONLY)")
        for schema in ANALYST_SCHEMAS:
            present = {name for (name,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_catalog = current_database() and table_schema = ?", [schema],
            ).fetchall()}
            tables = [name for (name,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_catalog = 'build' and table_schema = ? order by table_name",
                [schema],
            ).fetchall() if name not in present]
            con.execute(f"create schema if not exists {schema}")
            for name in tables:
                ident = '"' + name.replace('"', '""') + '"'
                con.execute(f"create table {schema}.{ident} as "
                            f"select * from build.{schema}.{ident}")
                copied.append(f"{schema}.{name}")
        con.execute("detach build")
        con.execute("checkpoint")
    except BaseException:
        con.close()
        for leftover in (target, target.with_name(target.name + ".wal")):
            leftover.unlink(missing_ok=True)
        raise
    con.close()
    return copied


def _move(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target``; copy then delete when they are on two file systems."""
    try:
        os.replace(source, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        shutil.copyfile(source, target)
        source.unlink()


def keep_or_discard_build(building: Path, restricted: Path, keep: bool) -> Path | None:
    """After publishing: delete the full build, or keep it as the restricted copy."""
    building = Path(building)
    if not keep:
        building.unlink(missing_ok=True)
        return None
    kept = Path(restricted) / FULL_BUILD_NAME
    os.chmod(building, 0o600)
    os.replace(building, kept)
    log.info("kept the full build (personal data) in %s", kept)
    return kept


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def write_run_tables(
    db_path: Path,
    records: Sequence[RunRecord],
    quality_rows: Sequence[dict[str, Any]],
) -> None:
    """Write ``marts.run_history`` and ``marts.quality_results`` into a build file."""
    con = duckdb.connect(str(db_path))
    try:
        con.execute("create schema if not exists marts")
        con.execute(RUN_HISTORY_DDL)
        run_rows = [
            (
                r.run_id, r.kind, r.status, r.published, r.started_at, r.ended_at,
                r.as_at, r.extracts_dir, sum(r.rows_loaded.values()),
                json.dumps(r.rows_loaded, sort_keys=True), r.rows_rejected,
                r.checks_passed, r.checks_failed, r.checks_warned, r.message,
            )
            for r in records
        ]
        if run_rows:
            con.executemany(
                "insert into marts.run_history values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", run_rows
            )
        con.execute(QUALITY_RESULTS_DDL)
        check_rows = [
            (
                q["run_id"], q["suite"], q["check_name"], q["severity"], q["success"],
                q["element_count"], q["unexpected_count"], ", ".join(q["example_ids"]),
                q["detail"],
            )
            for q in quality_rows
        ]
        if check_rows:
            con.executemany(
                "insert into marts.quality_results values (?,?,?,?,?,?,?,?,?)", check_rows
            )
        con.execute("checkpoint")
    finally:
        con.close()
