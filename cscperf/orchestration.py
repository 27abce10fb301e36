"""The Prefect flows ``monthly_report`` and ``nightly_refresh`` and their tasks.

The flows run :func:`cscperf.pipeline.execute_run` with :class:`PrefectSteps`:
each step of the run is a Prefect task (landing retried on OSError only), so
scheduled runs have Prefect's retries, states and history.

What Prefect stores and shows is kept free of secrets and record values:
flows take no Settings parameter (they read :func:`cscperf.settings.get_settings`,
which tests and ``cscperf run`` set with ``using_settings``); tasks take only
paths, dates and the run's objects, persist no results (``NO_CACHE``, result
persistence off) and raise only redacted messages (``pipeline.guarded``).
"""

from __future__ import annotations

import contextlib
import logging
import os
from datetime import date
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from cscperf import alerts
from cscperf.calendar import is_first_working_day, last_month_end
from cscperf.pipeline import (
    LAND_RETRY_DELAYS,
    LoadResultLike,
    PipelineError,
    RunResult,
    current_step_functions,
    execute_run,
    guarded,
    london_today,
    one_line,
)
from cscperf.pipeline.steps import (
    build_step,
    land_step,
    notify_step,
    publish_step,
    render_step,
    validate_marts_step,
    validate_raw_step,
)
from cscperf.publish import RunRecord
from cscperf.quality import QualityReport, QualityRunner
from cscperf.redaction import redact, redact_urls
from cscperf.settings import Settings, get_settings, using_settings

log = logging.getLogger(__name__)

TEMPORARY_SERVER_STARTUP_SECONDS = 120
TASK_OPTIONS: dict[str, Any] = {"cache_policy": NO_CACHE, "persist_result": False}


def _retry_on_os_error(task: Any, task_run: Any, state: Any) -> bool:
    """Retry landing on OSError (file busy, share not mounted), never on bad data."""
    try:
        state.result()
    except OSError:
        return True
    except BaseException:
        return False
    return False


@task(name="land extracts", retries=len(LAND_RETRY_DELAYS),
      retry_delay_seconds=list(LAND_RETRY_DELAYS), retry_condition_fn=_retry_on_os_error,
      **TASK_OPTIONS)
def land_task(extracts_dir: Path, building: Path) -> LoadResultLike:
    return guarded("landing", land_step, extracts_dir, building, get_settings())


@task(name="validate raw", **TASK_OPTIONS)
def validate_raw_task(runner: QualityRunner, building: Path, as_at: date, run_date: date,
                      previous_rows: dict[str, int] | None) -> int:
    return guarded("raw validation", validate_raw_step, runner, building, as_at,
                   run_date, previous_rows, get_settings())


@task(name="dbt build", **TASK_OPTIONS)
def build_task(building: Path, as_at: date) -> None:
    guarded("dbt build", build_step, building, get_settings(), as_at)


@task(name="validate marts", **TASK_OPTIONS)
def validate_marts_task(runner: QualityRunner, building: Path, as_at: date) -> int:
    return guarded("marts validation", validate_marts_step, runner, building, as_at,
                   get_settings())


@task(name="publish", **TASK_OPTIONS)
def publish_task(building: Path, warehouse: Path, history: list[RunRecord],
                 quality: QualityReport) -> None:
    guarded("publishing", publish_step, building, warehouse, history, quality)


@task(name="render report", **TASK_OPTIONS)
def render_task(warehouse: Path, as_at: date, out_dir: Path) -> list[Path]:
    return guarded("report", render_step, warehouse, as_at, out_dir, get_settings())


@task(name="notify", retries=2, retry_delay_seconds=10, **TASK_OPTIONS)
def notify_task(alert: alerts.Alert) -> bool:
    return notify_step(alert, get_settings())


class PrefectSteps:
    """The run's steps as Prefect tasks; each task calls what
    :func:`~cscperf.pipeline.current_step_functions` holds (as it reads
    :func:`~cscperf.settings.get_settings`): flows take neither as a parameter."""

    def land(self, extracts_dir: Path, building: Path, settings: Settings) -> LoadResultLike:
        delays = current_step_functions().land_retry_delays
        land = land_task
        if delays != LAND_RETRY_DELAYS:
            land = land_task.with_options(retries=len(delays), retry_delay_seconds=list(delays))
        return land(extracts_dir, building)

    def validate_raw(self, runner: QualityRunner, building: Path, as_at: date, run_date: date,
                     previous_rows: dict[str, int] | None, settings: Settings) -> int:
        return validate_raw_task(runner, building, as_at, run_date, previous_rows)

    def build(self, building: Path, settings: Settings, as_at: date) -> None:
        build_task(building, as_at)

    def validate_marts(self, runner: QualityRunner, building: Path, as_at: date,
                       settings: Settings) -> int:
        return validate_marts_task(runner, building, as_at)

    def publish(self, building: Path, warehouse: Path, history: list[RunRecord],
                quality: QualityReport) -> None:
        publish_task(building, warehouse, history, quality)

    def render(self, warehouse: Path, as_at: date, out_dir: Path,
               settings: Settings) -> list[Path]:
        return render_task(warehouse, as_at, out_dir)

    def notify(self, alert: alerts.Alert, settings: Settings) -> bool:
        return notify_task(alert)


# --------------------------------------------------------------------------- flows


@flow(name="cscperf-monthly-report", log_prints=True, persist_result=False)
def monthly_report(
    extracts_dir: Path,
    as_at: date | None = None,
    report_dir: Path | None = None,
    warehouse: Path | None = None,
    render_report: bool = True,
    only_on_first_working_day: bool = False,
    kind: str = "monthly",
) -> RunResult | None:
    """The monthly run: as at the last month end, publish, render the report.

    Scheduled runs pass ``only_on_first_working_day=True`` and return None
    (doing nothing) on any other day: cron cannot express bank holidays.
    """
    settings = get_settings()
    today = london_today()
    if only_on_first_working_day and not is_first_working_day(today):
        log.info("%s is not the first working day of the month: nothing to do", today)
        return None
    as_at = as_at or last_month_end(today)
    out_dir = (report_dir or settings.paths.reports) if render_report else None
    return execute_run(kind, extracts_dir, as_at, warehouse or settings.paths.warehouse,
                       settings, out_dir, today, PrefectSteps())


@flow(name="cscperf-nightly-refresh", log_prints=True, persist_result=False)
def nightly_refresh(
    extracts_dir: Path,
    as_at: date | None = None,
    warehouse: Path | None = None,
) -> RunResult:
    """The nightly run: as at today, publish a fresh warehouse; no report."""
    settings = get_settings()
    today = london_today()
    return execute_run("nightly", extracts_dir, as_at or today,
                       warehouse or settings.paths.warehouse, settings, None, today,
                       PrefectSteps())


def run_flow(extracts_dir: Path, as_at: date, warehouse: Path, settings: Settings,
             report_dir: Path | None, kind: str = "manual") -> RunResult:
    """``cscperf run`` against a Prefect server: the monthly (or nightly) flow."""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per API call is noise
    try:
        with using_settings(settings), _patient_temporary_server():
            if kind == "nightly":
                result: RunResult | None = nightly_refresh(
                    extracts_dir=extracts_dir, as_at=as_at, warehouse=warehouse)
            else:
                result = monthly_report(
                    extracts_dir=extracts_dir, as_at=as_at, report_dir=report_dir,
                    warehouse=warehouse, render_report=report_dir is not None, kind=kind,
                )
    except PipelineError:
        raise
    except Exception as exc:  # Prefect itself failed (e.g. no API server)
        raise PipelineError(one_line(
            f"the run could not start: {type(exc).__name__}: "
            f"{redact_urls(redact(str(exc)))}")) from None
    finally:
        _quiet_prefect_exit()
    assert result is not None
    return result


def _patient_temporary_server() -> contextlib.AbstractContextManager[Any]:
    """Should Prefect start a temporary server after all, give it longer than its
    default 20 s on a busy machine, unless the user chose."""
    from prefect.settings import (
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS as startup,
    )
    from prefect.settings import temporary_settings

    if "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS" in os.environ:
        return contextlib.nullcontext()
    seconds = max(int(startup.value()), TEMPORARY_SERVER_STARTUP_SECONDS)
    return temporary_settings(updates={startup: seconds})


def _quiet_prefect_exit() -> None:
    """Keep the command's last stderr line its own (Prefect logs at exit)."""
    logging.getLogger("prefect").setLevel(logging.WARNING)
