"""The body of every run: :func:`execute_run` (lock, land, check, build, check,
publish, report, alert) and what it returns (:class:`RunResult`).

The steps are called through a :class:`~cscperf.pipeline.steps.Steps` object
(directly, or as Prefect tasks); what they call is a
:class:`~cscperf.pipeline.steps.StepFunctions`.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from cscperf import alerts, security
from cscperf.dbt_runner import analyst_path_for
from cscperf.history import (  # issue 14
    HistoryStore,
    records_history,
    stage_run_history,
    write_history_source,
)
from cscperf.pipeline.clock import LONDON
from cscperf.pipeline.errors import PipelineError, failure_message
from cscperf.pipeline.events import checks_summary, step_done
from cscperf.pipeline.paths import build_path_for, new_run_id, prepare_files, remove_build_files
from cscperf.pipeline.steps import PlainSteps, StepFunctions, Steps, current_step_functions
from cscperf.publish import RunHistory, RunRecord, keep_or_discard_build, warehouse_lock
from cscperf.quality import QualityReport, QualityRunner, validate_findings
from cscperf.quality.engine import prune_runs
from cscperf.redaction import redact_urls
from cscperf.settings import Settings
from cscperf.work_due import after_nightly_publish, has_work_due
from cscperf.worklists import work_due_summary

log = logging.getLogger("cscperf.pipeline")  # the run's log channel (cscperf.logs knows it)


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


def _flow_run_id() -> str:
    """The Prefect flow run's id, inside a flow (a direct run never imports Prefect)."""
    if "prefect" not in sys.modules:
        return ""
    try:
        from prefect.runtime import flow_run

        return str(flow_run.id or "")
    except Exception:
        return ""


def execute_run(
    kind: str,
    extracts_dir: Path,
    as_at: date,
    warehouse: Path,
    settings: Settings,
    report_dir: Path | None,
    run_date: date,
    steps: Steps | None = None,
    functions: StepFunctions | None = None,
) -> RunResult:
    """The body of every run (steps called directly unless ``steps`` says otherwise).

    ``functions``: what the steps call (default: :func:`current_step_functions`).
    """
    functions = functions or current_step_functions()
    steps = steps or PlainSteps(functions)
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
    runner = functions.quality_runner(run_id, quality_dir, background=True,
                                      history=history.path)
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
                step_done("landing")
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
                step_done("dbt build")
                step = "raw validation"
                if runner.report.errors:  # not published: the alert still lists the findings
                    validate_findings(runner, building, as_at)
                _stop_on_errors(runner, record)
                step_done("raw checks", checks_summary(runner.report, ("raw",)))
                step = "marts validation"
                steps.validate_marts(runner, building, as_at, settings)
                _stop_on_errors(runner, record)
                step_done("marts checks", checks_summary(runner.report, ("cross_file", "marts")))
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
                step_done("publish")
                result.full_build = keep_or_discard_build(
                    building, restricted, settings.publish.keep_full_build)
                if kind == "nightly":  # the work-due lists and the trend (issue 13)
                    step = "work-due lists"
                    result.work_lists = after_nightly_publish(warehouse, as_at, settings)
                    if has_work_due(warehouse):
                        result.work_due = work_due_summary(warehouse)
                    step_done("work-due lists", f"{len(result.work_lists)} files")
                if report_dir is not None:
                    step = "report"
                    result.report_paths = steps.render(warehouse, as_at, Path(report_dir),
                                                       settings)
                    step_done("report")
            except BaseException as exc:
                _record_failure(record, runner, step, exc)
                step_done(step, state="failed")
                raise
            finally:
                if history_pending:  # issue 14: publishing failed: commit only if swapped
                    HistoryStore(warehouse).resolve(record.run_id)
                remove_build_files(building, analyst_path_for(building))
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
    record.message = failure_message(step, exc)
    if runner.report.results and runner.report.docs_index is None:
        _finish_checks(runner, record)  # failed mid-validation: keep what was found


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
