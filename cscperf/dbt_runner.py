"""Run dbt (in process) against a DuckDB file with the run's as-at date."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from cscperf.logs import dbt_callback, dbt_log_args, quiet_telemetry
from cscperf.settings import PROJECT_DIR, Settings

log = logging.getLogger(__name__)


class DbtError(RuntimeError):
    """dbt failed: a model did not build or a test with severity error failed."""


def dbt_vars(settings: Settings, as_at: date | None) -> dict[str, object]:
    variables: dict[str, object] = dict(settings.dbt_vars())
    if as_at is not None:
        variables["as_at"] = as_at.isoformat()
    return variables


def run_dbt(
    command: Sequence[str],
    db_path: Path,
    settings: Settings,
    as_at: date | None = None,
    target_path: Path | None = None,
) -> object:
    """Invoke ``dbt <command>`` on ``db_path``; raise DbtError on failure.

    ``target_path`` keeps dbt's artefacts (manifest, run results) apart, so
    that runs in parallel do not share one ``target/`` folder.
    """
    quiet_telemetry()
    from dbt.cli.main import dbtRunner  # slow import: only when needed

    os.environ["CSCPERF_DBT_DB_PATH"] = str(Path(db_path).resolve())
    args = [
        *command,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--vars",
        json.dumps(dbt_vars(settings, as_at)),
    ]
    if target_path is not None:
        args += ["--target-path", str(target_path)]
    args += dbt_log_args(settings.paths.logs)  # dbt's events go to our log, not stdout
    log.info("dbt %s on %s", " ".join(command), db_path)
    try:
        result = dbtRunner(callbacks=[dbt_callback]).invoke(args)
    finally:
        _release_database()
    if not result.success:
        detail = ""
        if result.exception is not None:
            detail = f": {result.exception}"
        else:
            failures = [
                f"{r.node.name} ({r.status})"
                for r in getattr(result.result, "results", []) or []
                if str(r.status) in {"error", "fail", "runtime error"}
            ]
            if failures:
                detail = ": " + ", ".join(failures[:10])
        raise DbtError(f"dbt {command[0]} failed{detail}")
    return result.result


def _release_database() -> None:
    """Close dbt-duckdb's cached database so the file can be renamed and reopened.

    dbt-duckdb keeps one DuckDB instance per process after a run; while it is
    open, DuckDB refuses another connection to the file with other settings
    (e.g. read-only) from this process.
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager as manager

    with manager._LOCK:
        if manager._ENV is not None:
            manager._ENV.close()
            manager._ENV = None


def build(
    db_path: Path, settings: Settings, as_at: date, target_path: Path | None = None
) -> object:
    """``dbt build`` for a run: every seed, model and data test.

    dbt unit tests check the SQL, not the data: they run in the test suite
    (``make test``), not in every production run, as dbt advises.
    """
    return run_dbt(
        ["build", "--exclude-resource-type", "unit_test"], db_path, settings, as_at,
        target_path=target_path,
    )
