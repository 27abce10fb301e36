"""Run dbt (in process) against a DuckDB file with the run's as-at date."""

from __future__ import annotations

import contextlib
import fcntl
import importlib
import json
import logging
import os
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from cscperf.logs import dbt_callback, dbt_log_args, quiet_telemetry
from cscperf.settings import PROJECT_DIR, Settings

log = logging.getLogger(__name__)


class DbtError(RuntimeError):
    """dbt failed: a model did not build or a test with severity error failed."""


def dbt_vars(settings: Settings) -> dict[str, object]:
    """The --vars of every run: settings only, so that they stay the same from run to run.

    The as-at date is not among them (a new date would make dbt parse the
    whole project again): ``run_dbt`` writes it into the database instead.
    """
    return dict(settings.dbt_vars())


# dbt reaches the database through this symlink in the target folder. dbt
# parses partially only while its profile stays the same, and the profile holds
# the database's path and name (DuckDB names it after the file it resolves to):
# so the file being built is moved, for the time of the dbt run, into a folder
# of its own beside it under this name, and the link points there.
DB_LINK_NAME = "cscperf_build.duckdb"
# The analyst file being made (profiles.yml attaches it as database ``analyst``:
# marts.indicator_records is built straight into it), reached the same way.
ANALYST_LINK_NAME = "cscperf_analyst.duckdb"


def analyst_path_for(db_path: Path) -> Path:
    """The analyst file that dbt writes into while building ``db_path``: beside it."""
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}.analyst.duckdb")


def run_dbt(
    command: Sequence[str],
    db_path: Path,
    settings: Settings,
    as_at: date | None = None,
    target_path: Path | None = None,
    callbacks: Sequence[Callable[[Any], None]] = (),
) -> object:
    """Invoke ``dbt <command>`` on ``db_path``; raise DbtError on failure.

    ``as_at`` (if given) is written into the database as the DuckDB macro
    ``main.cscperf_as_at()``, which every model's as-at rule calls.
    ``target_path`` keeps dbt's artefacts (manifest, run results, the saved
    parse) apart, so that runs in parallel do not share one ``target/`` folder.
    ``callbacks`` receive dbt's events (dbtRunner's callbacks).
    """
    quiet_telemetry()
    from dbt.cli.main import dbtRunner  # slow import: only when needed

    db_path = Path(db_path).resolve()
    target = Path(target_path).resolve() if target_path is not None else default_target()
    if as_at is not None and command[0] != "parse":
        write_as_at(db_path, as_at)
    args = [
        *command,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--vars",
        json.dumps(dbt_vars(settings)),
        "--target-path",
        str(target),
    ]
    args += dbt_log_args(settings.paths.logs)  # dbt's events go to our log, not stdout
    log.info("dbt %s on %s", " ".join(command), db_path)
    link = target / DB_LINK_NAME
    os.environ["CSCPERF_DBT_DB_PATH"] = str(link)
    os.environ["CSCPERF_DBT_ANALYST_PATH"] = str(target / ANALYST_LINK_NAME)
    with contextlib.ExitStack() as stack:
        if command[0] != "parse":  # parse never opens the database
            stack.enter_context(_reached_through(link, db_path))
        try:
            result = dbtRunner(callbacks=[dbt_callback, *callbacks]).invoke(args)
        finally:
            release_database()
        results = list(getattr(result.result, "results", None) or [])
        failed_lines: list[str] = []
        warned_lines: list[str] = []
        failed = [r for r in results if str(r.status) in FAILED]
        warned = [r for r in results if str(r.status) == "warn"]
        if failed or warned:  # while the database is still where the SQL names it
            failed_lines, warned_lines = _describe(failed, link), _describe(warned, link)
    if warned:
        log.warning("dbt warnings: %s", "; ".join(warned_lines))
    if not result.success:
        detail = ""
        if result.exception is not None:
            detail = f": {result.exception}"
        elif failed:
            detail = ": " + "; ".join(failed_lines[:10])
        raise DbtError(f"dbt {command[0]} failed{detail}")
    return result.result


FAILED = {"error", "fail", "runtime error"}


def default_target() -> Path:
    """dbt's target folder when a run names none: ``DBT_TARGET_PATH`` (dbt's own variable,
    relative to the project) if set, else the project's ``target/``.

    The test suite sets it per pytest-xdist worker, so that workers' builds neither
    wait for each other on the folder's lock nor undo each other's saved parse.
    """
    path = os.environ.get("DBT_TARGET_PATH")
    return (PROJECT_DIR / path).resolve() if path else PROJECT_DIR / "target"


def _describe(results: Sequence[Any], link: Path) -> list[str]:
    """One line per failed (or warned) node; a ``checks`` test names each failing check.

    The checks' labels and row counts only: never a record's values.
    """
    lines = []
    for r in results:
        node = r.node
        meta = getattr(node, "test_metadata", None)
        code = getattr(node, "compiled_code", None)
        if meta is not None and meta.name == "checks" and code and str(r.status) != "error":
            try:
                import duckdb

                with duckdb.connect(str(link), read_only=True) as con:
                    rows = con.execute(code).fetchall()
            except Exception as exc:  # the failure itself is reported either way
                log.debug("could not list the failed checks of %s: %s", node.name, exc)
            else:
                lines += [f"{node.name}: {check} ({count} rows)" for check, count in rows]
                continue
        lines.append(f"{node.name} ({r.status})")
    return lines


def preload() -> threading.Thread:
    """Import dbt (about 2 s of CPU) in a background thread, e.g. while landing runs,
    and pandas (1 s: the raw checks read their rows as frames right after landing).

    ``run_dbt`` then finds it imported; join the thread to wait for it.
    """

    def load() -> None:
        quiet_telemetry()
        try:
            importlib.import_module("pandas")
            importlib.import_module("dbt.cli.main")
            importlib.import_module("dbt.adapters.duckdb.connections")
        except Exception as exc:  # e.g. the run failed early and the process is exiting;
            # a real import error is raised again where dbt is used
            log.debug("dbt preload stopped: %s", type(exc).__name__)

    thread = threading.Thread(target=load, name="dbt-preload", daemon=True)
    thread.start()
    return thread


def write_as_at(db_path: Path, as_at: date) -> None:
    """Define ``main.cscperf_as_at()`` in ``db_path`` as the run's as-at date."""
    import duckdb

    with duckdb.connect(str(db_path)) as con:
        con.execute(
            f"create or replace macro main.cscperf_as_at() as date '{as_at.isoformat()}'"
        )


@contextlib.contextmanager
def _reached_through(link: Path, db_path: Path) -> Iterator[None]:
    """While the block runs, ``db_path`` is ``<dir>/.<name>.dbt-<id>/<DB_LINK_NAME>`` and
    ``link`` points to it; afterwards the file is back at ``db_path``, whole.

    A rename within the file's own folder: no copy, whatever the size. If the
    process dies meanwhile, the file is left in that hidden folder. dbt runs
    sharing one target folder (and so one link) wait for each other.
    """
    link.parent.mkdir(parents=True, exist_ok=True)
    analyst_link = link.with_name(ANALYST_LINK_NAME)
    with open(link.with_name(link.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        analyst_link.unlink(missing_ok=True)
        analyst_link.symlink_to(analyst_path_for(db_path))  # DuckDB creates it if new
        try:
            with _moved_for_dbt(link, db_path):
                yield
        finally:
            analyst_link.unlink(missing_ok=True)


@contextlib.contextmanager
def _moved_for_dbt(link: Path, db_path: Path) -> Iterator[None]:
    if not db_path.exists():
        import duckdb

        duckdb.connect(str(db_path)).close()  # a new, empty database
    room = db_path.with_name(f".{db_path.name}.dbt-{uuid.uuid4().hex[:8]}")
    room.mkdir()
    inside = room / DB_LINK_NAME
    moved = [(db_path, inside)]
    wal = db_path.with_name(db_path.name + ".wal")
    if wal.exists():
        moved.append((wal, inside.with_name(inside.name + ".wal")))
    for old, new in moved:
        os.replace(old, new)
    try:
        link.unlink(missing_ok=True)
        link.symlink_to(inside)
        yield
    finally:
        link.unlink(missing_ok=True)
        if inside.with_name(inside.name + ".wal").exists():
            _checkpoint(inside)
        os.replace(inside, db_path)
        room.rmdir()


def _checkpoint(path: Path) -> None:
    """Fold the write-ahead log beside ``path`` into the database file."""
    import duckdb

    with duckdb.connect(str(path)) as con:
        con.execute("checkpoint")


def release_database() -> None:
    """Close dbt-duckdb's cached database so the file can be renamed and reopened.

    dbt-duckdb keeps one DuckDB instance per process after a run; while it is
    open, DuckDB refuses another connection to the file with other settings
    (e.g. read-only) from this process.

    Only dbt-duckdb's public API: ``env()`` (the environment; it raises when there
    is none), the environment's ``close()``, then ``close_all_connections()``
    (forgets it, so that the next invocation opens a fresh one).
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager as manager

    try:
        environment = manager.env()
    except Exception:  # "environment requested before creation": dbt never connected
        return
    environment.close()
    manager.close_all_connections()


# dbt's own console and file logs are off in every invocation (its events reach
# cscperf's log through a callback: cscperf.logs.dbt_log_args); a build's JSON
# artefacts (run_results, an updated manifest) are not read.
BUILD_FLAGS = ("--no-write-json",)


def build(
    db_path: Path, settings: Settings, as_at: date, target_path: Path | None = None
) -> object:
    """``dbt build`` for a run: every seed, model and data test.

    dbt unit tests check the SQL, not the data: they run in the test suite
    (``make test``), not in every production run, as dbt advises.
    """
    return run_dbt(
        ["build", "--exclude-resource-type", "unit_test", *BUILD_FLAGS], db_path, settings, as_at,
        target_path=target_path,
    )
