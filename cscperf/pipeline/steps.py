"""The run's steps: what each does (:class:`StepFunctions`) and how it is called
(:class:`Steps`: :class:`PlainSteps` directly, ``cscperf.orchestration.PrefectSteps``
as Prefect tasks).

:class:`StepFunctions` holds what the steps call -- the loader, dbt, the checks,
the swap, the report, the checks' runner -- so that a test replaces one with
``dataclasses.replace`` and runs with :func:`using_step_functions` (as flows read
their settings with ``using_settings``), never by patching module attributes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from cscperf import alerts, publish
from cscperf.pipeline.errors import PipelineError, guarded
from cscperf.pipeline.paths import publish_path_for
from cscperf.publish import RunRecord, write_analyst_file, write_run_tables
from cscperf.quality import QualityReport, QualityRunner, validate_marts, validate_raw
from cscperf.settings import Settings
from cscperf.work_due import has_work_due
from cscperf.work_due_trend import trend_path_for, write_trend_table

log = logging.getLogger("cscperf.pipeline")  # the run's log channel (cscperf.logs knows it)

LAND_RETRY_DELAYS = (15, 60)  # seconds: landing is retried on OSError only


class LoadResultLike(Protocol):
    rows_loaded: dict[str, int]
    rows_rejected: int


# --------------------------------------------------------------------------- what the steps call


def land_extracts(extracts_dir: Path, db_path: Path, settings: Settings) -> LoadResultLike:
    from cscperf.dbt_runner import preload
    from cscperf.loading import land

    preload()  # dbt's import (seconds of Python) overlaps landing (DuckDB's threads)
    return land(Path(extracts_dir), Path(db_path), settings)


def build_marts(db_path: Path, settings: Settings, as_at: date) -> None:
    from cscperf.dbt_runner import build

    build(Path(db_path), settings, as_at)


def count_raw_failures(
    runner: QualityRunner, building: Path, as_at: date, run_date: date,
    previous_rows: dict[str, int] | None, settings: Settings,
) -> int:
    results = validate_raw(runner, building, as_at, run_date, previous_rows, settings)
    return sum(not r.success for r in results)


def count_marts_failures(
    runner: QualityRunner, building: Path, as_at: date, settings: Settings
) -> int:
    results = validate_marts(runner, building, as_at, settings)
    return sum(not r.success for r in results)


def render(warehouse: Path, as_at: date, out_dir: Path, settings: Settings) -> list[Path]:
    try:
        from cscperf.report import render_report
    except ImportError as exc:
        log.warning("no report: cscperf.report.render_report is not available (%s)", exc)
        return []
    return list(render_report(warehouse=warehouse, as_at=as_at, out_dir=out_dir,
                              publish=False, settings=settings))


@dataclass(frozen=True)
class StepFunctions:
    """What the steps call; tests replace fields (``dataclasses.replace``)."""

    land_extracts: Callable[[Path, Path, Settings], LoadResultLike] = land_extracts
    validate_raw: Callable[
        [QualityRunner, Path, date, date, dict[str, int] | None, Settings], int
    ] = count_raw_failures
    build_marts: Callable[[Path, Settings, date], None] = build_marts
    validate_marts: Callable[[QualityRunner, Path, date, Settings], int] = count_marts_failures
    swap_in: Callable[[Path, Path], None] = publish.swap_in
    render: Callable[[Path, date, Path, Settings], list[Path]] = render
    quality_runner: Callable[..., QualityRunner] = QualityRunner
    land_retry_delays: tuple[int, ...] = LAND_RETRY_DELAYS  # seconds, on OSError only


_override: StepFunctions | None = None


def current_step_functions() -> StepFunctions:
    """The step functions of runs started now: the real ones unless a block chose others."""
    return _override or StepFunctions()


@contextmanager
def using_step_functions(functions: StepFunctions) -> Iterator[StepFunctions]:
    """Make ``functions`` what runs (direct or Prefect tasks) call, for a block."""
    global _override
    previous, _override = _override, functions
    try:
        yield functions
    finally:
        _override = previous


# --------------------------------------------------------------------------- the steps


def land_step(extracts_dir: Path, building: Path, settings: Settings,
              functions: StepFunctions | None = None) -> LoadResultLike:
    if not Path(extracts_dir).is_dir():
        raise PipelineError(f"extracts folder {extracts_dir} does not exist")
    fns = functions or current_step_functions()
    return fns.land_extracts(extracts_dir, building, settings)


def validate_raw_step(
    runner: QualityRunner, building: Path, as_at: date, run_date: date,
    previous_rows: dict[str, int] | None, settings: Settings,
    functions: StepFunctions | None = None,
) -> int:
    fns = functions or current_step_functions()
    return fns.validate_raw(runner, building, as_at, run_date, previous_rows, settings)


def build_step(building: Path, settings: Settings, as_at: date,
               functions: StepFunctions | None = None) -> None:
    (functions or current_step_functions()).build_marts(building, settings, as_at)


def validate_marts_step(
    runner: QualityRunner, building: Path, as_at: date, settings: Settings,
    functions: StepFunctions | None = None,
) -> int:
    fns = functions or current_step_functions()
    return fns.validate_marts(runner, building, as_at, settings)


def publish_step(
    building: Path, warehouse: Path, history: list[RunRecord], quality: QualityReport,
    functions: StepFunctions | None = None,
) -> None:
    """The analyst file: marts and reference from the build, run tables; then the swap."""
    from cscperf.dbt_runner import analyst_path_for

    fns = functions or current_step_functions()
    analyst = publish_path_for(warehouse)
    try:  # the analyst file dbt began (its largest mart), completed from the build
        copied = write_analyst_file(building, analyst, begun=analyst_path_for(building))
        write_run_tables(analyst, history, quality.rows())
        if has_work_due(analyst):  # marts.work_due_trend: the history plus this build's day
            write_trend_table(analyst, trend_path_for(warehouse))
        fns.swap_in(analyst, warehouse)
    finally:
        for leftover in (analyst, analyst.with_name(analyst.name + ".wal")):
            leftover.unlink(missing_ok=True)
    log.info("analyst file: %d tables of schemas marts and reference", len(copied))


def render_step(warehouse: Path, as_at: date, out_dir: Path, settings: Settings,
                functions: StepFunctions | None = None) -> list[Path]:
    return (functions or current_step_functions()).render(warehouse, as_at, out_dir, settings)


def notify_step(alert: alerts.Alert, settings: Settings) -> bool:
    """Send the alert; the URLs (secrets) are read here, never passed around."""
    return alerts.send(alert, alerts.alert_urls(settings.alerts))


# --------------------------------------------------------------------------- how they are called


class Steps(Protocol):
    """How :func:`~cscperf.pipeline.run.execute_run` calls its steps (directly, or as
    Prefect tasks)."""

    def land(self, extracts_dir: Path, building: Path, settings: Settings) -> LoadResultLike: ...
    def validate_raw(self, runner: QualityRunner, building: Path, as_at: date, run_date: date,
                     previous_rows: dict[str, int] | None, settings: Settings) -> int: ...
    def build(self, building: Path, settings: Settings, as_at: date) -> None: ...
    def validate_marts(self, runner: QualityRunner, building: Path, as_at: date,
                       settings: Settings) -> int: ...
    def publish(self, building: Path, warehouse: Path, history: list[RunRecord],
                quality: QualityReport) -> None: ...
    def render(self, warehouse: Path, as_at: date, out_dir: Path,
               settings: Settings) -> list[Path]: ...
    def notify(self, alert: alerts.Alert, settings: Settings) -> bool: ...


class PlainSteps:
    """The steps called directly, with landing's retries done here."""

    def __init__(self, functions: StepFunctions | None = None) -> None:
        self.functions = functions or current_step_functions()

    def land(self, extracts_dir: Path, building: Path, settings: Settings) -> LoadResultLike:
        fns = self.functions
        for delay in (*fns.land_retry_delays, None):
            try:
                return guarded("landing", land_step, extracts_dir, building, settings, fns)
            except OSError as exc:
                if delay is None:
                    raise
                log.warning("landing: %s; retrying in %d s", exc, delay)
                time.sleep(delay)
        raise AssertionError("unreachable")

    def validate_raw(self, runner: QualityRunner, building: Path, as_at: date, run_date: date,
                     previous_rows: dict[str, int] | None, settings: Settings) -> int:
        return guarded("raw validation", validate_raw_step, runner, building, as_at,
                       run_date, previous_rows, settings, self.functions)

    def build(self, building: Path, settings: Settings, as_at: date) -> None:
        guarded("dbt build", build_step, building, settings, as_at, self.functions)

    def validate_marts(self, runner: QualityRunner, building: Path, as_at: date,
                       settings: Settings) -> int:
        return guarded("marts validation", validate_marts_step, runner, building, as_at,
                       settings, self.functions)

    def publish(self, building: Path, warehouse: Path, history: list[RunRecord],
                quality: QualityReport) -> None:
        guarded("publishing", publish_step, building, warehouse, history, quality,
                self.functions)

    def render(self, warehouse: Path, as_at: date, out_dir: Path,
               settings: Settings) -> list[Path]:
        return guarded("report", render_step, warehouse, as_at, out_dir, settings,
                       self.functions)

    def notify(self, alert: alerts.Alert, settings: Settings) -> bool:
        return notify_step(alert, settings)
