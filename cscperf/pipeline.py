"""One run of cscperf: land -> validate -> build -> validate -> publish -> report -> alert.

:func:`execute_run` is the body of every run. It calls its steps through a
:class:`Steps` object: :class:`PlainSteps` calls the step functions below
directly (``cscperf run`` with no Prefect server configured: no temporary
server, no Prefect import); ``cscperf.orchestration.PrefectSteps`` calls them
as Prefect tasks inside the ``monthly_report`` / ``nightly_refresh`` flows (the
schedules, and ``cscperf run`` when ``PREFECT_API_URL`` points at a server, so
that a manual run appears in Prefect's UI). Each run:

1. sets the umask (``security.umask``) and takes the warehouse lock (waits up
   to ``publish.lock_timeout_seconds``); sweeps what a killed run left;
2. lands the extracts into a *new* build file in the restricted folder (0700),
   retried on OSError (a file still being written or a share not yet mounted),
   never on bad data;
3. validates the raw tables and the cross-file findings (GE);
4. builds the dbt project in the build file;
5. validates the marts (GE);
6. publishes: writes a new analyst file holding only the ``marts`` and
   ``reference`` schemas, the run history and the check results, and swaps it
   in with one ``os.replace`` -- only when no error-severity check failed; the
   build file (personal data) is then deleted or kept in the restricted folder;
7. monthly: renders the report from the published warehouse;
8. alerts: one message on failure, one on warnings.

A failure at any step leaves the published warehouse byte for byte as it was,
and raises PipelineError with a one-line message that names files, lines,
columns and checks but never a record's value.
"""

from __future__ import annotations

import csv
import logging
import os
import sys
import time
import tomllib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from cscperf import alerts, security
from cscperf.history import (  # issue 14
    HistoryStore,
    records_history,
    stage_run_history,
    write_history_source,
)
from cscperf.publish import (
    RunHistory,
    RunRecord,
    keep_or_discard_build,
    swap_in,
    warehouse_lock,
    write_analyst_file,
    write_run_tables,
)
from cscperf.quality import (
    QualityReport,
    QualityRunner,
    validate_findings,
    validate_marts,
    validate_raw,
)
from cscperf.quality.engine import prune_runs
from cscperf.redaction import redact, redact_urls
from cscperf.settings import PROJECT_DIR, Settings
from cscperf.work_due import after_nightly_publish, has_work_due
from cscperf.work_due_trend import trend_path_for, write_trend_table
from cscperf.worklists import work_due_summary

log = logging.getLogger(__name__)
step_log = logging.getLogger("cscperf.steps")  # one record per finished step (the console)

TIMEZONE = "Europe/London"  # of schedules, run ids and "today"
LONDON = ZoneInfo(TIMEZONE)
MAX_MESSAGE = 600
LAND_RETRY_DELAYS = (15, 60)  # seconds: landing is retried on OSError only
# Messages of these exceptions are ours and name no record value; any other
# exception's message is redacted before it is kept or shown.
OWN_ERRORS = frozenset({"PipelineError", "LockTimeout", "LoadError", "SecretsError"})

T = TypeVar("T")


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
    full_build: Path | None = None
    work_lists: list[Path] = field(default_factory=list)
    work_due: str = ""  # nightly: counts per area and status, for the alert

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
        if self.full_build is not None:
            lines.append(f"full build (personal data, restricted): {self.full_build}")
        if self.work_lists:
            lines.append(f"work-due lists: {len(self.work_lists)} files in "
                         f"{self.work_lists[0].parent}")
        lines += [f"report: {p}" for p in self.report_paths]
        return "\n".join(lines)


def build_path_for(folder: Path) -> Path:
    """A fresh build file (personal data) in the restricted ``folder``."""
    return Path(folder) / f"{security.BUILD_PREFIX}{uuid.uuid4().hex[:8]}.duckdb"


def publish_path_for(warehouse: Path) -> Path:
    """A fresh analyst file beside the warehouse, renamed onto it when published."""
    return Path(warehouse).with_name(f"{security.PUBLISH_PREFIX}{uuid.uuid4().hex[:8]}.duckdb")


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


# --------------------------------------------------------------------------- step functions
# Plain functions that do one step each; tests replace them with monkeypatch.


class LoadResultLike(Protocol):
    rows_loaded: dict[str, int]
    rows_rejected: int


def land_extracts(extracts_dir: Path, db_path: Path, settings: Settings) -> LoadResultLike:
    from cscperf.dbt_runner import preload
    from cscperf.loader import land

    preload()  # dbt's import (seconds of Python) overlaps landing (DuckDB's threads)
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


def land_step(extracts_dir: Path, building: Path, settings: Settings) -> LoadResultLike:
    if not Path(extracts_dir).is_dir():
        raise PipelineError(f"extracts folder {extracts_dir} does not exist")
    return land_extracts(extracts_dir, building, settings)


def validate_raw_step(
    runner: QualityRunner, building: Path, as_at: date, run_date: date,
    previous_rows: dict[str, int] | None, settings: Settings,
) -> int:
    results = validate_raw(runner, building, as_at, run_date, previous_rows, settings)
    return sum(not r.success for r in results)


def build_step(building: Path, settings: Settings, as_at: date) -> None:
    build_marts(building, settings, as_at)


def validate_marts_step(
    runner: QualityRunner, building: Path, as_at: date, settings: Settings
) -> int:
    results = validate_marts(runner, building, as_at, settings)
    return sum(not r.success for r in results)


def publish_step(
    building: Path, warehouse: Path, history: list[RunRecord], quality: QualityReport,
) -> None:
    """The analyst file: marts and reference from the build, run tables; then the swap."""
    analyst = publish_path_for(warehouse)
    try:
        copied = write_analyst_file(building, analyst)
        write_run_tables(analyst, history, quality.rows())
        if has_work_due(analyst):  # marts.work_due_trend: the history plus this build's day
            write_trend_table(analyst, trend_path_for(warehouse))
        swap_in(analyst, warehouse)
    finally:
        for leftover in (analyst, analyst.with_name(analyst.name + ".wal")):
            leftover.unlink(missing_ok=True)
    log.info("analyst file: %d tables of schemas marts and reference", len(copied))


def render_step(warehouse: Path, as_at: date, out_dir: Path, settings: Settings) -> list[Path]:
    return render(warehouse, as_at, out_dir, settings)


def notify_step(alert: alerts.Alert, settings: Settings) -> bool:
    """Send the alert; the URLs (secrets) are read here, never passed around."""
    return alerts.send(alert, alerts.alert_urls(settings.alerts))


def guarded(step: str, fn: Callable[..., T], *args: Any) -> T:
    """Run a step; a foreign exception becomes a PipelineError whose message is redacted.

    OSError passes through unchanged (landing retries on it; its message names
    a path, not a record value). The original exception is not chained: its
    message (and so a traceback printed by Prefect) could hold a record value.
    """
    try:
        return fn(*args)
    except OSError:
        raise
    except Exception as exc:
        if type(exc).__name__ in OWN_ERRORS:
            raise
        raise PipelineError(_failure_message(step, exc)) from None


class Steps(Protocol):
    """How :func:`execute_run` calls its steps (directly, or as Prefect tasks)."""

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

    def land(self, extracts_dir: Path, building: Path, settings: Settings) -> LoadResultLike:
        for delay in (*LAND_RETRY_DELAYS, None):
            try:
                return guarded("landing", land_step, extracts_dir, building, settings)
            except OSError as exc:
                if delay is None:
                    raise
                log.warning("landing: %s; retrying in %d s", exc, delay)
                time.sleep(delay)
        raise AssertionError("unreachable")

    def validate_raw(self, runner: QualityRunner, building: Path, as_at: date, run_date: date,
                     previous_rows: dict[str, int] | None, settings: Settings) -> int:
        return guarded("raw validation", validate_raw_step, runner, building, as_at,
                       run_date, previous_rows, settings)

    def build(self, building: Path, settings: Settings, as_at: date) -> None:
        guarded("dbt build", build_step, building, settings, as_at)

    def validate_marts(self, runner: QualityRunner, building: Path, as_at: date,
                       settings: Settings) -> int:
        return guarded("marts validation", validate_marts_step, runner, building, as_at,
                       settings)

    def publish(self, building: Path, warehouse: Path, history: list[RunRecord],
                quality: QualityReport) -> None:
        guarded("publishing", publish_step, building, warehouse, history, quality)

    def render(self, warehouse: Path, as_at: date, out_dir: Path,
               settings: Settings) -> list[Path]:
        return guarded("report", render_step, warehouse, as_at, out_dir, settings)

    def notify(self, alert: alerts.Alert, settings: Settings) -> bool:
        return notify_step(alert, settings)


# --------------------------------------------------------------------------- the run


def _step_done(name: str, summary: str = "", state: str = "") -> None:
    step_log.info("%s: %s", name, state or "done",
                  extra={"cscperf_step": name, "cscperf_summary": summary,
                         "cscperf_state": state})


def _checks_summary(report: QualityReport, layers: tuple[str, ...]) -> str:
    results = [r for r in report.results if r.suite.split(".")[0] in layers]
    suites = len({r.suite for r in results})
    errors = sum(not r.success and r.severity == "error" for r in results)
    warnings = sum(not r.success and r.severity == "warning" for r in results)
    return f"{suites} suites: {errors} error(s), {warnings} warning(s)"


def _one_line(text: str) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= MAX_MESSAGE else line[: MAX_MESSAGE - 1] + "…"


def _flow_run_id() -> str:
    """The Prefect flow run's id, inside a flow (a direct run never imports Prefect)."""
    if "prefect" not in sys.modules:
        return ""
    try:
        from prefect.runtime import flow_run

        return str(flow_run.id or "")
    except Exception:
        return ""


def _remove_build_files(*paths: Path) -> None:
    for path in paths:
        for leftover in (path, path.with_name(path.name + ".wal")):
            try:
                leftover.unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                log.warning("could not remove %s: %s", leftover, exc.strerror)


def prepare_files(settings: Settings, warehouse: Path) -> Path:
    """Before a run writes anything: the umask, the restricted folder, dbt's folders."""
    security.apply_umask(settings.security.umask)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    for folder in ("target", "logs"):  # dbt's artefacts and log, from earlier runs too
        security.restrict_tree(PROJECT_DIR / folder)
    return security.private_dir(settings.paths.restricted_for(warehouse))


def execute_run(
    kind: str,
    extracts_dir: Path,
    as_at: date,
    warehouse: Path,
    settings: Settings,
    report_dir: Path | None,
    run_date: date,
    steps: Steps | None = None,
) -> RunResult:
    """The body of every run (steps called directly unless ``steps`` says otherwise)."""
    steps = steps or PlainSteps()
    extracts_dir, warehouse = Path(extracts_dir), Path(warehouse)
    restricted = prepare_files(settings, warehouse)
    alerts.alert_urls(settings.alerts)  # a bad secrets file fails now, not at alert time
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
    # Great Expectations takes seconds to import: a worker process gets it ready
    # while this one waits for the lock, lands and builds
    runner = QualityRunner(run_id, quality_dir, background=True, history=history.path)
    try:
        return _run_locked(kind, extracts_dir, as_at, warehouse, settings, report_dir,
                           run_date, steps, restricted, record, history, result, runner)
    finally:
        runner.close()


def _run_locked(
    kind: str, extracts_dir: Path, as_at: date, warehouse: Path, settings: Settings,
    report_dir: Path | None, run_date: date, steps: Steps, restricted: Path,
    record: RunRecord, history: RunHistory, result: RunResult, runner: QualityRunner,
) -> RunResult:
    step = "waiting for the warehouse lock"
    locked = False
    try:
        with warehouse_lock(warehouse, settings.publish.lock_timeout_seconds, record.run_id):
            locked = True
            security.sweep_build_leftovers(restricted, warehouse.parent)
            HistoryStore(warehouse).recover()  # issue 14: settle a killed run's entry
            building = build_path_for(restricted)
            history_pending = False  # issue 14
            try:
                step = "landing"
                previous = history.last_published()
                load = steps.land(extracts_dir, building, settings)
                record.rows_loaded = {k: int(v) for k, v in dict(load.rows_loaded).items()}
                record.rows_rejected = int(load.rows_rejected)
                write_history_source(building, HistoryStore(warehouse).entries())  # issue 14
                _step_done("landing")
                step = "raw validation"
                # the raw checks' queries run here; GE judges them in the worker while
                # dbt builds (a build on broken raw data is never published)
                steps.validate_raw(runner, building, as_at, run_date,
                                   previous.rows_loaded if previous else None, settings)
                step = "dbt build"
                try:
                    steps.build(building, settings, as_at)
                except BaseException:
                    _stop_on_errors(runner, record)  # broken raw data explains it better
                    raise
                _step_done("dbt build")
                step = "raw validation"
                if runner.report.errors:  # not published: the alert still lists the findings
                    validate_findings(runner, building, as_at)
                _stop_on_errors(runner, record)
                _step_done("raw checks", _checks_summary(runner.report, ("raw",)))
                step = "marts validation"
                steps.validate_marts(runner, building, as_at, settings)
                _stop_on_errors(runner, record)
                _step_done("marts checks", _checks_summary(runner.report, ("cross_file", "marts")))
                quality = _finish_checks(runner, record)
                step = "publishing"
                published = replace(record, status="published", published=True,
                                    ended_at=datetime.now(LONDON))
                # issue 14: the run's figures (pending until the swap) and the history marts
                history_pending = stage_run_history(
                    building, warehouse, record.run_id, as_at, str(extracts_dir),
                    published.ended_at or datetime.now(LONDON),
                    records_history(kind, report_dir is not None))
                steps.publish(building, warehouse, [*history.records(), published], quality)
                if history_pending:  # issue 14: committed right after the swap
                    HistoryStore(warehouse).resolve(record.run_id)
                    history_pending = False
                record.status, record.published = "published", True
                _step_done("publish")
                result.full_build = keep_or_discard_build(
                    building, restricted, settings.publish.keep_full_build)
                if kind == "nightly":  # the work-due lists and the trend (issue 13)
                    step = "work-due lists"
                    result.work_lists = after_nightly_publish(warehouse, as_at, settings)
                    if has_work_due(warehouse):
                        result.work_due = work_due_summary(warehouse)
                    _step_done("work-due lists", f"{len(result.work_lists)} files")
                if report_dir is not None:
                    step = "report"
                    result.report_paths = steps.render(warehouse, as_at, Path(report_dir),
                                                       settings)
                    _step_done("report")
            except BaseException as exc:
                _record_failure(record, runner, step, exc)
                _step_done(step, state="failed")
                raise
            finally:
                if history_pending:  # issue 14: publishing failed: commit only if swapped
                    HistoryStore(warehouse).resolve(record.run_id)
                _remove_build_files(building)
                record.ended_at = datetime.now(LONDON)
                history.append(record)  # under the lock, failed runs too
                prune_runs(Path(settings.paths.quality))
    except Exception as exc:
        if not locked:  # gave up waiting: nothing was touched
            _record_failure(record, runner, step, exc)
            record.ended_at = datetime.now(LONDON)
            history.append(record)
        _notify(steps, record, runner.report if runner.report.results else None, settings)
        if isinstance(exc, PipelineError):
            raise
        raise PipelineError(record.message) from None

    result.rows_loaded, result.rows_rejected = record.rows_loaded, record.rows_rejected
    result.warnings = len(runner.report.warnings)
    result.quality_docs = runner.report.docs_index
    _notify(steps, record, runner.report, settings, result.work_due)
    log.info("run %s published %s", record.run_id, warehouse)
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
    """One line for the run history, the alert and the terminal: no record values."""
    name = type(exc).__name__
    if name in {"PipelineError", "LockTimeout"}:
        return _one_line(str(exc))
    text = str(exc) or name
    if name not in OWN_ERRORS:  # a library's message may quote a value: redact it
        text = redact(text.splitlines()[0] if text.strip() else name)
    if name not in {"LoadError", "DbtError", "SecretsError"}:
        text = f"{name}: {text}"
    if text.startswith(step):  # "dbt build failed: ..." says it already
        return _one_line(text)
    return _one_line(f"{step} failed: {text}")


def _notify(steps: Steps, record: RunRecord, quality: QualityReport | None,
            settings: Settings, extra: str = "") -> None:
    docs = ""
    if quality is not None:
        docs = str(quality.docs_index or quality.out_dir)
    alert = alerts.compose(
        record,
        quality.errors if quality else [],
        quality.warnings if quality else [],
        docs,
        extra,
    )
    if alert is None:
        return
    try:
        steps.notify(alert, settings)
    except Exception as exc:  # an alert that cannot be sent must not hide the run's outcome
        log.error("could not send the alert: %s", redact_urls(str(exc)))


# --------------------------------------------------------------------------- cscperf run


def prefect_server_configured() -> bool:
    """Whether a Prefect server is configured (then ``auto`` runs go through flows).

    ``PREFECT_API_URL`` in the environment, or in the active profile of
    Prefect's ``profiles.toml`` -- read as a file: importing Prefect's settings
    to ask takes seconds.
    """
    if os.environ.get("PREFECT_API_URL"):
        return True
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    profiles = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml")
    try:
        data = tomllib.loads(profiles.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    active = os.environ.get("PREFECT_PROFILE") or data.get("active") or "ephemeral"
    profile = (data.get("profiles") or {}).get(active) or {}
    return bool(profile.get("PREFECT_API_URL"))


def run_pipeline(
    extracts_dir: Path,
    as_at: date,
    warehouse: Path,
    settings: Settings,
    report_dir: Path | None = None,
    nightly: bool = False,
) -> RunResult:
    """``cscperf run``: one run for one as-at date; the report only if asked.
    ``nightly``: the nightly run instead (no report; writes the work-due lists).

    With a Prefect server configured the run is the monthly (or nightly) flow,
    visible in Prefect's UI; without one, the same steps run directly (Prefect
    would otherwise start a temporary server for 10-15 s).
    """
    kind = "nightly" if nightly else "manual"
    mode = settings.run.orchestrator
    if mode not in {"auto", "prefect", "direct"}:
        raise PipelineError(f"run.orchestrator: {mode!r} is not auto, prefect or direct")
    if mode == "direct" or (mode == "auto" and not prefect_server_configured()):
        return execute_run(kind, Path(extracts_dir), as_at, Path(warehouse), settings,
                           Path(report_dir) if report_dir is not None else None,
                           datetime.now(LONDON).date())
    from cscperf.orchestration import run_flow

    return run_flow(Path(extracts_dir), as_at, Path(warehouse), settings,
                    Path(report_dir) if report_dir is not None else None, kind)
