"""One run of cscperf, as Prefect flows: land -> validate -> build -> validate -> publish.

``monthly_report`` and ``nightly_refresh`` are the flows (served on schedules by
``flows/deployments.py``); ``cscperf run`` calls :func:`run_pipeline`, which runs
``monthly_report`` too, so there is one code path. Each flow run:

1. takes the warehouse lock (waits up to ``publish.lock_timeout_seconds``);
2. lands the extracts into a *new* DuckDB file (``build_path_for``), retried on
   OSError (a file still being written or a share not yet mounted), never on
   bad data;
3. validates the raw tables and the cross-file findings (GE);
4. builds the dbt project in that file;
5. validates the marts (GE);
6. publishes: copies the run history and the run's check results into the new
   file (``marts.run_history``, ``marts.quality_results``) and swaps it in with
   one ``os.replace`` -- only when no error-severity check failed;
7. monthly: renders the report from the published warehouse;
8. alerts: one message on failure, one on warnings.

A failure at any step leaves the published warehouse byte for byte as it was,
and raises PipelineError with a one-line message.
"""

from __future__ import annotations

import contextlib
import csv
import logging
import os
import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from cscperf import alerts
from cscperf.publish import (
    LockTimeout,
    RunHistory,
    RunRecord,
    swap_in,
    warehouse_lock,
    write_run_tables,
)
from cscperf.quality import QualityReport, QualityRunner, validate_marts, validate_raw
from cscperf.quality.engine import prune_runs
from cscperf.settings import PROJECT_DIR, Settings, get_settings
from cscperf.work_due import after_nightly_publish  # issue 13

log = logging.getLogger(__name__)

TIMEZONE = "Europe/London"  # of schedules, run ids and "today"
LONDON = ZoneInfo(TIMEZONE)
MAX_MESSAGE = 600
TEMPORARY_SERVER_STARTUP_SECONDS = 120


class PipelineError(RuntimeError):
    """A step failed; the published warehouse is unchanged."""


@dataclass
class RunResult:
    as_at: date
    warehouse: Path
    rows_loaded: dict[str, int] = field(default_factory=dict)
    rows_rejected: int = 0
    report_paths: list[Path] = field(default_factory=list)
    run_id: str = ""
    warnings: int = 0
    quality_docs: Path | None = None

    def summary(self) -> str:
        loaded = sum(self.rows_loaded.values())
        lines = [
            f"published {self.warehouse} as at {self.as_at.isoformat()}: "
            f"{loaded} rows loaded, {self.rows_rejected} rejected"
        ]
        if self.run_id:
            lines.append(f"run {self.run_id}: {self.warnings} data-quality warning(s)")
        if self.quality_docs is not None:
            lines.append(f"quality: {self.quality_docs}")
        lines += [f"report: {p}" for p in self.report_paths]
        return "\n".join(lines)


def build_path_for(warehouse: Path) -> Path:
    """A fresh file beside the warehouse for this run to build into."""
    return warehouse.with_name(f".{warehouse.stem}.build-{uuid.uuid4().hex[:8]}.duckdb")


def new_run_id(now: datetime | None = None) -> str:
    now = now or datetime.now(LONDON)
    return f"{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"


# --------------------------------------------------------------------------- calendar


def london_today() -> date:
    """Today in Europe/London; for a scheduled flow run, the day it was scheduled for."""
    try:
        from prefect.runtime import flow_run

        scheduled = flow_run.scheduled_start_time
        if scheduled is not None:
            return datetime.fromisoformat(str(scheduled)).astimezone(LONDON).date()
    except Exception:  # not in a flow run, or no scheduled time
        pass
    return datetime.now(LONDON).date()


def last_month_end(day: date) -> date:
    return day.replace(day=1) - timedelta(days=1)


@lru_cache(maxsize=1)
def local_closure_days() -> frozenset[date]:
    """The authority's closure days: the dbt seed ``local_closure_days``."""
    seed = PROJECT_DIR / "seeds" / "local_closure_days.csv"
    if not seed.exists():
        return frozenset()
    with seed.open(encoding="utf-8", newline="") as fh:
        return frozenset(
            date.fromisoformat(row["closure_date"].strip())
            for row in csv.DictReader(fh)
            if (row.get("closure_date") or "").strip()
        )


def is_working_day(day: date) -> bool:
    """Not a weekend, an England bank holiday (``holidays``) or a local closure day."""
    import holidays

    if day.weekday() >= 5 or day in local_closure_days():
        return False
    return day not in holidays.country_holidays("GB", subdiv="ENG", years=day.year)


def first_working_day(year: int, month: int) -> date:
    day = date(year, month, 1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def is_first_working_day(day: date) -> bool:
    return day == first_working_day(day.year, day.month)


# --------------------------------------------------------------------------- steps
# Plain functions that do one step each. The tasks below call them through this
# module, so tests can replace a step (e.g. with monkeypatch) without touching
# the flow.


class LoadResultLike(Protocol):
    rows_loaded: dict[str, int]
    rows_rejected: int


def land_extracts(extracts_dir: Path, db_path: Path, settings: Settings) -> LoadResultLike:
    from cscperf.loader import land

    return land(Path(extracts_dir), Path(db_path), settings)


def build_marts(db_path: Path, settings: Settings, as_at: date) -> None:
    from cscperf.dbt_runner import build

    build(Path(db_path), settings, as_at)


def render(warehouse: Path, as_at: date, out_dir: Path, settings: Settings) -> list[Path]:
    try:
        from cscperf.report import render_report
    except ImportError as exc:
        log.warning("no report: cscperf.report.render_report is not available (%s)", exc)
        return []
    return list(render_report(warehouse=warehouse, as_at=as_at, out_dir=out_dir,
                              publish=False, settings=settings))


# --------------------------------------------------------------------------- tasks


def _retry_on_os_error(task: Any, task_run: Any, state: Any) -> bool:
    """Retry landing on OSError (file busy, share not mounted), never on bad data."""
    try:
        state.result()
    except OSError:
        return True
    except BaseException:
        return False
    return False


@task(name="land extracts", retries=2, retry_delay_seconds=[15, 60],
      retry_condition_fn=_retry_on_os_error, cache_policy=NO_CACHE)
def land_task(extracts_dir: Path, building: Path, settings: Settings) -> LoadResultLike:
    if not Path(extracts_dir).is_dir():
        raise PipelineError(f"extracts folder {extracts_dir} does not exist")
    return _this().land_extracts(extracts_dir, building, settings)


@task(name="validate raw", cache_policy=NO_CACHE)
def validate_raw_task(
    runner: QualityRunner, building: Path, as_at: date, run_date: date,
    previous_rows: dict[str, int] | None, settings: Settings,
) -> int:
    results = validate_raw(runner, building, as_at, run_date, previous_rows, settings)
    return sum(not r.success for r in results)


@task(name="dbt build", cache_policy=NO_CACHE)
def build_task(building: Path, settings: Settings, as_at: date) -> None:
    _this().build_marts(building, settings, as_at)


@task(name="validate marts", cache_policy=NO_CACHE)
def validate_marts_task(
    runner: QualityRunner, building: Path, as_at: date, settings: Settings
) -> int:
    results = validate_marts(runner, building, as_at, settings)
    return sum(not r.success for r in results)


@task(name="publish", cache_policy=NO_CACHE)
def publish_task(
    building: Path, warehouse: Path, history: list[RunRecord], quality: QualityReport
) -> None:
    write_run_tables(building, history, quality.rows())
    swap_in(building, warehouse)


@task(name="render report", cache_policy=NO_CACHE)
def render_task(warehouse: Path, as_at: date, out_dir: Path, settings: Settings) -> list[Path]:
    return _this().render(warehouse, as_at, out_dir, settings)


@task(name="notify", retries=2, retry_delay_seconds=10, cache_policy=NO_CACHE)
def notify_task(alert: alerts.Alert, urls: tuple[str, ...]) -> bool:
    return alerts.send(alert, urls)


def _this() -> Any:
    import cscperf.pipeline as module

    return module


# --------------------------------------------------------------------------- the run


def _one_line(text: str) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= MAX_MESSAGE else line[: MAX_MESSAGE - 1] + "…"


def _flow_run_id() -> str:
    try:
        from prefect.runtime import flow_run

        return str(flow_run.id or "")
    except Exception:
        return ""


def _remove_build_files(building: Path) -> None:
    for leftover in (building, building.with_name(building.name + ".wal")):
        try:
            leftover.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.warning("could not remove %s: %s", leftover, exc)


def execute_run(
    kind: str,
    extracts_dir: Path,
    as_at: date,
    warehouse: Path,
    settings: Settings,
    report_dir: Path | None,
    run_date: date,
) -> RunResult:
    """The body of both flows (call it inside a flow: its steps are tasks)."""
    extracts_dir, warehouse = Path(extracts_dir), Path(warehouse)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    run_id = new_run_id()
    quality_dir = Path(settings.paths.quality) / run_id
    record = RunRecord(
        run_id=run_id, kind=kind, as_at=as_at, extracts_dir=str(extracts_dir),
        warehouse=str(warehouse), started_at=datetime.now(LONDON),
        quality_dir=str(quality_dir), flow_run_id=_flow_run_id(),
    )
    history = RunHistory(warehouse)
    result = RunResult(as_at=as_at, warehouse=warehouse, run_id=run_id)
    log.info("run %s (%s): %s as at %s -> %s", run_id, kind, extracts_dir, as_at, warehouse)
    # Great Expectations is slow to import: get it ready before taking the lock
    runner = QualityRunner(run_id, quality_dir)
    step = "waiting for the warehouse lock"
    locked = False
    try:
        with warehouse_lock(warehouse, settings.publish.lock_timeout_seconds, run_id):
            locked = True
            building = build_path_for(warehouse)
            try:
                step = "landing"
                previous = history.last_published()
                load = land_task(extracts_dir, building, settings)
                record.rows_loaded = {k: int(v) for k, v in dict(load.rows_loaded).items()}
                record.rows_rejected = int(load.rows_rejected)
                step = "raw validation"
                validate_raw_task(runner, building, as_at, run_date,
                                  previous.rows_loaded if previous else None, settings)
                _stop_on_errors(runner, record)  # no point building on broken raw data
                step = "dbt build"
                build_task(building, settings, as_at)
                step = "marts validation"
                validate_marts_task(runner, building, as_at, settings)
                _stop_on_errors(runner, record)
                quality = _finish_checks(runner, record)
                step = "publishing"
                published = replace(record, status="published", published=True,
                                    ended_at=datetime.now(LONDON))
                publish_task(building, warehouse, [*history.records(), published], quality)
                record.status, record.published = "published", True
                if kind == "nightly":  # work-due lists and trend (issue 13)
                    step = "work-due lists"
                    after_nightly_publish(warehouse, as_at, settings)
                if report_dir is not None:
                    step = "report"
                    result.report_paths = render_task(warehouse, as_at, Path(report_dir),
                                                      settings)
            except BaseException as exc:
                _record_failure(record, runner, step, exc)
                raise
            finally:
                _remove_build_files(building)
                record.ended_at = datetime.now(LONDON)
                history.append(record)  # under the lock, failed runs too
                prune_runs(Path(settings.paths.quality))
    except Exception as exc:
        if not locked:  # gave up waiting: nothing was touched
            _record_failure(record, runner, step, exc)
            record.ended_at = datetime.now(LONDON)
            history.append(record)
        _notify(record, runner.report if runner.report.results else None, settings)
        if isinstance(exc, PipelineError):
            raise
        raise PipelineError(record.message) from exc

    result.rows_loaded, result.rows_rejected = record.rows_loaded, record.rows_rejected
    result.warnings = len(runner.report.warnings)
    result.quality_docs = runner.report.docs_index
    _notify(record, runner.report, settings)
    log.info("run %s published %s", run_id, warehouse)
    return result


def _stop_on_errors(runner: QualityRunner, record: RunRecord) -> None:
    """Raise PipelineError (one line) when an error-severity check has failed."""
    errors = runner.report.errors
    if not errors:
        return
    quality = _finish_checks(runner, record)
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    raise PipelineError(
        f"not published: {len(errors)} error check(s) failed: "
        f"{errors[0].describe()}{more}; see {quality.out_dir}"
    )


def _finish_checks(runner: QualityRunner, record: RunRecord) -> QualityReport:
    quality = runner.finish()
    record.checks_passed = len(quality.passed)
    record.checks_failed = len(quality.errors)
    record.checks_warned = len(quality.warnings)
    return quality


def _record_failure(
    record: RunRecord, runner: QualityRunner, step: str, exc: BaseException
) -> None:
    record.status = "failed"
    record.message = _failure_message(step, exc)
    if runner.report.results and runner.report.docs_index is None:
        _finish_checks(runner, record)  # failed mid-validation: keep what was found


def _failure_message(step: str, exc: BaseException) -> str:
    if isinstance(exc, (PipelineError, LockTimeout)):
        return _one_line(str(exc))
    text = str(exc) or type(exc).__name__
    if type(exc).__name__ not in {"LoadError", "DbtError"}:
        text = f"{type(exc).__name__}: {text}"
    if text.startswith(step):  # "dbt build failed: ..." says it already
        return _one_line(text)
    return _one_line(f"{step} failed: {text}")


def _notify(record: RunRecord, quality: QualityReport | None, settings: Settings) -> None:
    docs = ""
    if quality is not None:
        docs = str(quality.docs_index or quality.out_dir)
    alert = alerts.compose(
        record,
        quality.errors if quality else [],
        quality.warnings if quality else [],
        docs,
    )
    if alert is None:
        return
    try:
        notify_task(alert, tuple(settings.alerts.urls))
    except Exception as exc:  # an alert that cannot be sent must not hide the run's outcome
        log.error("could not send the alert: %s", exc)


# --------------------------------------------------------------------------- flows


@flow(name="cscperf-monthly-report", log_prints=True)
def monthly_report(
    extracts_dir: Path,
    as_at: date | None = None,
    report_dir: Path | None = None,
    warehouse: Path | None = None,
    render_report: bool = True,
    only_on_first_working_day: bool = False,
    kind: str = "monthly",
    settings: Settings | None = None,
) -> RunResult | None:
    """The monthly run: as at the last month end, publish, render the report.

    Scheduled runs pass ``only_on_first_working_day=True`` and return None
    (doing nothing) on any other day: cron cannot express bank holidays.
    """
    settings = settings or get_settings()
    today = london_today()
    if only_on_first_working_day and not is_first_working_day(today):
        log.info("%s is not the first working day of the month: nothing to do", today)
        return None
    as_at = as_at or last_month_end(today)
    out_dir = (report_dir or settings.paths.reports) if render_report else None
    return execute_run(kind, extracts_dir, as_at, warehouse or settings.paths.warehouse,
                       settings, out_dir, today)


@flow(name="cscperf-nightly-refresh", log_prints=True)
def nightly_refresh(
    extracts_dir: Path,
    as_at: date | None = None,
    warehouse: Path | None = None,
    settings: Settings | None = None,
) -> RunResult:
    """The nightly run: as at today, publish a fresh warehouse; no report."""
    settings = settings or get_settings()
    today = london_today()
    return execute_run("nightly", extracts_dir, as_at or today,
                       warehouse or settings.paths.warehouse, settings, None, today)


def run_pipeline(
    extracts_dir: Path,
    as_at: date,
    warehouse: Path,
    settings: Settings,
    report_dir: Path | None = None,
    nightly: bool = False,
) -> RunResult:
    """``cscperf run``: the monthly flow for one as-at date; the report only if asked.
    ``nightly``: the nightly flow instead (no report; writes the work-due lists)."""
    # one line per API call to Prefect's server is noise on the command line
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        with _patient_temporary_server():
            if nightly:  # `cscperf run --nightly` (issue 13): the nightly flow, as at as_at
                result = nightly_refresh(Path(extracts_dir), as_at, Path(warehouse), settings)
            else:
                result = monthly_report(
                    extracts_dir=Path(extracts_dir), as_at=as_at, report_dir=report_dir,
                    warehouse=Path(warehouse), render_report=report_dir is not None,
                    kind="manual", settings=settings,
                )
    except PipelineError:
        raise
    except Exception as exc:  # Prefect itself failed (e.g. no API server)
        raise PipelineError(_one_line(f"the run could not start: {type(exc).__name__}: {exc}"))\
            from exc
    finally:
        _quiet_prefect_exit()
    assert result is not None
    return result


def _patient_temporary_server() -> contextlib.AbstractContextManager[Any]:
    """Without a Prefect server configured, Prefect starts a temporary one for the
    run; its default 20 s start-up limit is too short on a busy machine (a first
    start also creates its database). Give it longer, unless the user chose."""
    from prefect.settings import (
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS as startup,
    )
    from prefect.settings import temporary_settings

    if "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS" in os.environ:
        return contextlib.nullcontext()
    seconds = max(int(startup.value()), TEMPORARY_SERVER_STARTUP_SECONDS)
    return temporary_settings(updates={startup: seconds})


def _quiet_prefect_exit() -> None:
    """Keep the command's last stderr line its own (Prefect logs its temporary
    server's shutdown at exit)."""
    logging.getLogger("prefect").setLevel(logging.WARNING)
