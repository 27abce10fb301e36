"""Running the suites: DuckDB -> pandas -> Great Expectations (pandas datasource).

GE 1.x's SQL datasource on DuckDB (duckdb_engine) returns no rows on this
stack (it closes the connection before fetching), so the batch is built here:
the suite's query runs on a *read-only* DuckDB connection, the result is a
pandas DataFrame, and GE validates that frame through an ephemeral context's
pandas datasource. Nothing is written to the database and no GE project
folder is needed; each run gets its own ephemeral context. Its validation
results are kept as GE's JSON (``results/<suite>.json``) and shown on one
offline page, ``quality.html`` (cscperf.quality.page); GE's Data Docs are not
built (they load their scripts from public CDNs and are blank offline).
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import json
import logging
import logging.handlers
import math
import queue
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import duckdb

from cscperf.logs import quiet_telemetry
from cscperf.quality.suites import ERROR, WARNING, Suite
from cscperf.redaction import redact

log = logging.getLogger(__name__)

EXAMPLES = 5  # example ids per finding
KEEP_RUNS = 120  # run folders kept under paths.quality (about 5 MB each)
_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")
_RUN_FOLDER = re.compile(r"^\d{8}T\d{6}-[0-9a-f]{6}$")


@dataclass(frozen=True)
class CheckResult:
    """One expectation's outcome, as alerts and ``marts.quality_results`` see it.

    Holds counts and record ids only, never the values of a record.
    """

    suite: str
    check_name: str
    severity: str  # error | warning
    success: bool
    element_count: int | None = None
    unexpected_count: int | None = None
    example_ids: tuple[str, ...] = ()
    detail: str = ""

    def describe(self) -> str:
        """One line for an alert: which check, how many rows, example ids."""
        text = f"{self.suite}: {self.check_name}"
        if self.unexpected_count is not None:
            of = f" of {self.element_count:,}" if self.element_count is not None else ""
            text += f" — {self.unexpected_count:,}{of} rows"
        if self.example_ids:
            text += f"; e.g. ids {', '.join(self.example_ids)}"
        if self.detail:
            text += f" ({self.detail})"
        return text


@dataclass
class QualityReport:
    run_id: str
    out_dir: Path
    results: list[CheckResult] = field(default_factory=list)
    docs_index: Path | None = None

    @property
    def errors(self) -> list[CheckResult]:
        return [r for r in self.results if not r.success and r.severity == ERROR]

    @property
    def warnings(self) -> list[CheckResult]:
        return [r for r in self.results if not r.success and r.severity == WARNING]

    @property
    def passed(self) -> list[CheckResult]:
        return [r for r in self.results if r.success]

    def rows(self) -> list[dict[str, Any]]:
        return [{"run_id": self.run_id, **asdict(r)} for r in self.results]


def _int_or_none(value: Any) -> int | None:
    if value is None:
        return None
    try:
        if isinstance(value, float) and math.isnan(value):
            return None
        return int(value)
    except (TypeError, ValueError):
        return None


def _example_ids(result: Mapping[str, Any], id_columns: Sequence[str]) -> tuple[str, ...]:
    ids: list[str] = []
    for row in result.get("partial_unexpected_index_list") or []:
        if not isinstance(row, Mapping):
            continue
        parts = [str(row.get(c)) for c in id_columns if row.get(c) is not None]
        if parts:
            ident = " ".join(parts)
            if ident not in ids:
                ids.append(ident)
        if len(ids) >= EXAMPLES:
            break
    return tuple(ids)


def _severity(expectation_config: Any) -> str:
    value = getattr(expectation_config, "severity", "critical")
    value = getattr(value, "value", value)
    return WARNING if str(value).lower() in {"warning", "info"} else ERROR


def _check_name(expectation_config: Any) -> str:
    meta = expectation_config.meta or {}
    if meta.get("check"):
        return str(meta["check"])
    column = expectation_config.kwargs.get("column")
    name = expectation_config.type.removeprefix("expect_")
    return f"{column}: {name}" if column else name


def _table_detail(config: Any, result: Mapping[str, Any]) -> str:
    if "observed_value" not in result:
        return ""
    observed = result["observed_value"]
    kwargs = config.kwargs
    if "min_value" in kwargs or "max_value" in kwargs:
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        return f"observed {observed}, expected {low if low is not None else '-'}" \
               f" to {high if high is not None else '-'}"
    return f"observed {observed}"


def _to_check(suite: Suite, validation: Any) -> CheckResult:
    config = validation.expectation_config
    result = validation.result or {}
    exception = validation.exception_info or {}
    raised = exception.get("raised_exception") or any(
        isinstance(v, Mapping) and v.get("raised_exception") for v in exception.values()
    )
    if raised:
        messages = [exception.get("exception_message")] + [
            v.get("exception_message") for v in exception.values() if isinstance(v, Mapping)
        ]
        message = next((m for m in messages if m), "unknown error")
        return CheckResult(
            suite=suite.name, check_name=_check_name(config), severity=_severity(config),
            success=False, detail=f"could not be evaluated: {redact(str(message)[:200])}",
        )
    detail = "" if "unexpected_count" in result else _table_detail(config, result)
    return CheckResult(
        suite=suite.name,
        check_name=_check_name(config),
        severity=_severity(config),
        success=bool(validation.success),
        # a cross-file batch holds findings only: its row count means nothing
        element_count=None if suite.layer == "cross_file"
        else _int_or_none(result.get("element_count")),
        unexpected_count=_int_or_none(result.get("unexpected_count")),
        example_ids=() if validation.success else _example_ids(result, suite.id_columns),
        detail=detail,
    )


def _query_params(query: str, params: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if re.search(rf"\${k}\b", query)}


class GxValidator:
    """A Great Expectations ephemeral context that validates pandas frames (made, and
    GE imported, at the first validation).

    Writes each suite's validation result (JSON) under ``out_dir/results``. It runs in the
    process that created it: in a background worker (see :class:`QualityRunner`)
    or in-process.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)  # created when there is something to write
        self.context: Any = None  # made by the first validation (GE imports in seconds)

    def _start(self) -> None:
        quiet_telemetry()
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self._gx = gx
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self._drop_default_docs_sites()
        self.datasource = self.context.data_sources.add_pandas("cscperf")

    def _drop_default_docs_sites(self) -> None:
        """An ephemeral context comes with a Data Docs site in a new temporary
        folder; none is built (see cscperf.quality.page)."""
        for name, site in dict(self.context.get_config().data_docs_sites or {}).items():
            folder = (site.get("store_backend") or {}).get("base_directory")
            try:
                self.context.delete_data_docs_site(name)
                if folder and Path(folder).is_dir() and not any(Path(folder).iterdir()):
                    Path(folder).rmdir()
            except Exception as exc:  # cosmetic: never fail a run on it
                log.debug("could not drop Data Docs site %s: %s", name, exc)

    def validate(
        self,
        suite: Suite,
        frame: Any,
        parameters: Mapping[str, Any] | None = None,
        table_rows: int | None = None,
    ) -> list[CheckResult]:
        if self.context is None:
            self._start()
        gx = self._gx
        asset = self.datasource.add_dataframe_asset(_SAFE.sub("_", suite.name))
        batch_definition = asset.add_batch_definition_whole_dataframe("whole")
        ge_suite = self.context.suites.add(gx.ExpectationSuite(**suite.definition))
        definition = self.context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch_definition, suite=ge_suite)
        )
        result_format = {
            "result_format": "SUMMARY",
            "partial_unexpected_count": 20,
            "unexpected_index_column_names": list(suite.id_columns),
        }
        validation = definition.run(
            batch_parameters={"dataframe": frame},
            expectation_parameters=dict(parameters or {}),
            result_format=result_format,
        )
        results_dir = self.out_dir / "results"
        results_dir.mkdir(parents=True, exist_ok=True)
        (results_dir / f"{_SAFE.sub('_', suite.name)}.json").write_text(
            json.dumps(validation.to_json_dict(), indent=1, default=str), encoding="utf-8"
        )
        checks = [_to_check(suite, r) for r in validation.results]
        if table_rows is not None:
            checks = [replace(c, element_count=table_rows) for c in checks]
        return checks


# ---------------------------------------------------------------- the background worker
# One Great Expectations process per cscperf process: the first background
# runner starts it (it imports GE, seconds, while that run lands and builds),
# later runners in the same process (the test suite, a Prefect worker serving
# the nightly and monthly flows) find it ready. Each run's frames are
# validated in a GE context of its own, in its own results folder.
#
# It is a daemon process fed through a pipe: a cscperf process that ends (a run
# that failed at landing, while GE is still importing) does not wait for it,
# and it ends itself when the pipe closes (its cscperf process gone, even killed).

_VALIDATOR: GxValidator | None = None  # in the worker: the current run's context
# The worker's niceness: its results are needed only after the build, so on a busy
# machine (2 cores, DuckDB on both at 100x) it yields them to landing and dbt.
NICENESS = 10


class WorkerFailure(RuntimeError):
    """A call in the worker raised, or the worker died (``args[0]``: what, no values)."""


def _worker_warm() -> bool:
    """In the worker: import Great Expectations now, before the first frame comes."""
    quiet_telemetry()
    import great_expectations  # noqa: F401

    return True


def _worker_validate(out_dir: str, umask: int, level: int, suite: Suite, frame: Any,
                     parameters: dict[str, Any], table_rows: int | None) -> list[CheckResult]:
    """In the worker: validate one frame in the context of the run writing ``out_dir``."""
    global _VALIDATOR
    import os

    os.umask(umask)  # the run's: its results files are as private as its other files
    logging.getLogger().setLevel(level)
    if _VALIDATOR is None or _VALIDATOR.out_dir != Path(out_dir):
        _VALIDATOR = GxValidator(Path(out_dir))
    return _VALIDATOR.validate(suite, frame, parameters, table_rows)


class _PipeHandler(logging.handlers.QueueHandler):
    """In the worker: each log record, made picklable, sent up the pipe."""

    def __init__(self, conn: Any, lock: threading.Lock) -> None:
        super().__init__(queue=None)  # type: ignore[arg-type]
        self._conn, self._lock = conn, lock

    def enqueue(self, record: logging.LogRecord) -> None:
        with self._lock:
            self._conn.send(("log", record))


def _serve(requests: Any, conn: Any, level: int) -> None:
    """The worker's loop: ``(id, fn, args)`` in from ``requests``, ``("result", id, ok,
    value)`` (and ``("log", record)``) out on ``conn``."""
    import os

    os.nice(NICENESS)  # GE's import and checks give way to landing and the build
    lock = threading.Lock()
    root = logging.getLogger()
    root.handlers[:] = [_PipeHandler(conn, lock)]
    root.setLevel(level)
    while True:
        try:
            ident, fn, args = requests.recv()
        except (EOFError, OSError):  # closed: the cscperf process stopped it, or is gone
            return
        try:
            outcome: tuple[Any, ...] = ("result", ident, True, fn(*args))
        except BaseException as exc:  # its type only: a message may quote a value
            outcome = ("result", ident, False, WorkerFailure(type(exc).__name__))
        with lock:
            try:
                conn.send(outcome)
            except (EOFError, OSError):
                return
            except Exception as exc:  # the result would not pickle
                conn.send(("result", ident, False, WorkerFailure(type(exc).__name__)))


class _Worker:
    """This process's side of one worker: a sending and a receiving thread."""

    def __init__(self) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        # two one-way pipes: closing ours of the first ends the worker even while
        # _receive is blocked reading the second
        requests, self._requests = context.Pipe(duplex=False)
        self._conn, results = context.Pipe(duplex=False)
        level = logging.getLogger().getEffectiveLevel()
        self.process = context.Process(target=_serve, args=(requests, results, level),
                                       daemon=True, name="cscperf-gx")
        self.process.start()
        requests.close()
        results.close()
        atexit.register(self.stop)  # before multiprocessing's own: it would kill it
        self._lock = threading.Lock()
        self._pending: dict[int, Future[Any]] = {}
        self._ids = itertools.count()
        self._outbox: queue.SimpleQueue[tuple[int, Any, tuple[Any, ...]] | None] = (
            queue.SimpleQueue())
        self.broken = False
        threading.Thread(target=self._send, name="cscperf-gx-send", daemon=True).start()
        threading.Thread(target=self._receive, name="cscperf-gx-receive", daemon=True).start()

    def stop(self) -> None:
        """Close the pipe: an idle worker ends at once, cleanly; a busy one (e.g. still
        importing) is not waited for: multiprocessing ends it, a daemon, with this process."""
        with self._lock:
            busy = bool(self._pending)
        self._outbox.put(None)  # _send closes the requests pipe after what is queued
        if not busy:
            self.process.join(5)

    def submit(self, fn: Any, args: tuple[Any, ...]) -> Future[Any]:
        future: Future[Any] = Future()
        with self._lock:
            broken = self.broken
            if not broken:
                ident = next(self._ids)
                self._pending[ident] = future
        if broken:  # died meanwhile: the caller reads the failure from the future
            future.set_running_or_notify_cancel()
            future.set_exception(WorkerFailure("worker died"))
            return future
        self._outbox.put((ident, fn, args))  # the frame is pickled and sent by _send
        return future

    def _send(self) -> None:
        while (message := self._outbox.get()) is not None:
            try:
                self._requests.send(message)
            except (EOFError, OSError):
                return  # _receive sees the pipe close and fails what is pending
            except Exception as exc:  # would not pickle
                self._settle(message[0], False, WorkerFailure(type(exc).__name__))
        self._requests.close()

    def _receive(self) -> None:
        while True:
            try:
                message = self._conn.recv()
            except Exception:  # EOF: the worker died (or sent what cannot be read)
                break
            if message[0] == "log":
                record = message[1]
                logger = logging.getLogger(record.name)
                if logger.isEnabledFor(record.levelno):
                    logger.handle(record)
            else:
                self._settle(*message[1:])
        with self._lock:
            self.broken = True
            pending, self._pending = self._pending, {}
        for future in pending.values():
            if future.set_running_or_notify_cancel():
                future.set_exception(WorkerFailure("worker died"))

    def _settle(self, ident: int, ok: bool, value: Any) -> None:
        with self._lock:
            future = self._pending.pop(ident, None)
        if future is None or not future.set_running_or_notify_cancel():
            return  # cancelled (its run gave up on it)
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)


class _SharedWorker:
    """The process's one worker, started on demand and replaced if it died."""

    _lock = threading.Lock()
    _worker: _Worker | None = None

    @classmethod
    def get(cls) -> _Worker:
        """The worker (a new one importing GE at once if there was none, or it died)."""
        with cls._lock:
            worker = cls._worker
            if worker is None or worker.broken or not worker.process.is_alive():
                worker = cls._worker = _Worker()
                worker.submit(_worker_warm, ())
            return worker


class QualityRunner:
    """One run's validations: queries on DuckDB here, Great Expectations there.

    ``background=False``: GE runs in this process, and every ``validate_*``
    returns its results. ``background=True`` (the pipeline): GE runs in the
    process's worker (started by the first such runner, so that its import
    overlaps landing and the dbt build; kept for the next runs); ``validate_*``
    then hand the frames over and return at once, and the results are in
    :attr:`report` (reading it waits for them). Call :meth:`close` when done.
    """

    def __init__(self, run_id: str, out_dir: Path, background: bool = False,
                 history: Path | None = None) -> None:
        self._report = QualityReport(run_id=run_id, out_dir=Path(out_dir))
        self.out_dir = Path(out_dir)
        self._pending: list[tuple[Suite, Future[list[CheckResult]]]] = []
        self._background = background
        self._gx: GxValidator | None = None
        self._db_path: Path | None = None  # the first database validated (for the page)
        self._as_at = ""
        self._history = history  # the run history (for the page's trend of failures)
        self._reading: tuple[Path, duckdb.DuckDBPyConnection] | None = None
        if background:
            import os

            self._umask = os.umask(0o077)
            os.umask(self._umask)
            self._level = logging.getLogger().getEffectiveLevel()
            _SharedWorker.get()  # started now (if not yet): GE imports while the run lands
        else:
            self._gx = GxValidator(self.out_dir)

    @property
    def report(self) -> QualityReport:
        """The results so far (waiting for any still being validated)."""
        self._collect()
        return self._report

    def validate_frame(
        self,
        suite: Suite,
        frame: Any,
        parameters: Mapping[str, Any] | None = None,
        table_rows: int | None = None,
    ) -> list[CheckResult]:
        """Validate a pandas frame against a suite; keep the results.

        ``table_rows``: the frame holds a table's candidate rows only; report
        the whole table's row count as each check's element count. Returns the
        results, or ``[]`` when they are being validated in the background.
        """
        if self._background:
            future = _SharedWorker.get().submit(_worker_validate, (
                str(self.out_dir), self._umask, self._level, suite, frame,
                dict(parameters or {}), table_rows))
            self._pending.append((suite, future))
            return []
        assert self._gx is not None
        checks = self._gx.validate(suite, frame, parameters, table_rows)
        self._keep(checks)
        return checks

    def _keep(self, checks: list[CheckResult]) -> None:
        self._report.results.extend(checks)
        for check in checks:
            if not check.success:
                log.log(logging.ERROR if check.severity == ERROR else logging.WARNING,
                        "%s %s", check.severity.upper(), check.describe())

    def _collect(self) -> None:
        pending, self._pending = self._pending, []
        for suite, future in pending:
            try:
                checks = future.result()
            except Exception as exc:  # the worker died or GE raised: the run must not publish
                what = exc.args[0] if isinstance(exc, WorkerFailure) else type(exc).__name__
                checks = [CheckResult(
                    suite=suite.name, check_name="suite could not run", severity=ERROR,
                    success=False, detail=f"validation failed ({what})",
                )]
            self._keep(checks)

    @contextlib.contextmanager
    def reading(self, db_path: Path) -> Iterator[None]:
        """Within the block, the suites run on ``db_path`` share one read-only connection
        (closed at its end: dbt may then open the file for writing)."""
        try:
            con = duckdb.connect(str(db_path), read_only=True)
        except duckdb.Error:  # each suite then reports it
            yield
            return
        self._reading = (Path(db_path), con)
        try:
            yield
        finally:
            self._reading = None
            con.close()

    def validate_suite(
        self,
        db_path: Path,
        suite: Suite,
        parameters: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
    ) -> list[CheckResult]:
        """Run the suite's query on ``db_path`` (read only) and validate the result."""
        log.debug("suite %s", suite.name)  # the console counts these (cscperf.logs)
        if self._db_path is None:
            self._db_path = Path(db_path)
            self._as_at = str((query_params or {}).get("as_at") or "")
        try:
            shared = self._reading is not None and self._reading[0] == Path(db_path)
            con = self._reading[1] if shared else duckdb.connect(str(db_path), read_only=True)
            try:
                sql = suite.query
                frame = con.execute(sql, _query_params(sql, query_params or {})).df(
                    date_as_object=True
                )
                table = (suite.definition.get("meta") or {}).get("table")
                table_rows = (
                    int(con.execute(f"select count(*) from {table}").fetchone()[0])
                    if table else None
                )
            finally:
                if not shared:
                    con.close()
        except duckdb.Error as exc:
            check = CheckResult(
                suite=suite.name, check_name="suite could not run", severity=ERROR,
                success=False, detail=redact(str(exc).splitlines()[0][:200]),
            )
            self._keep([check])
            return [check]
        return self.validate_frame(suite, frame, parameters, table_rows)

    def finish(self) -> QualityReport:
        """Wait for the results, write the summary and the data-quality page (quality.html)."""
        from cscperf.quality.page import write_page

        report = self.report
        summary = {
            "run_id": report.run_id,
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "passed": len(report.passed),
            "results": report.rows(),
        }
        self.out_dir.mkdir(parents=True, exist_ok=True)
        (self.out_dir / "summary.json").write_text(
            json.dumps(summary, indent=1, default=str), encoding="utf-8"
        )
        try:
            report.docs_index = write_page(report, self._db_path, history=self._history,
                                           as_at=self._as_at)
        except Exception as exc:  # the page is a convenience: never fail a run on it
            log.warning("could not write the data-quality page in %s: %s", self.out_dir,
                        type(exc).__name__)
        return report

    def close(self) -> None:
        """Drop the validations still waiting (the worker stays, for the next run)."""
        pending, self._pending = self._pending, []
        for _suite, future in pending:
            future.cancel()


def prune_runs(quality_root: Path, keep: int = KEEP_RUNS) -> list[Path]:
    """Delete all but the newest ``keep`` run folders (named by run id) under ``quality_root``."""
    import shutil

    root = Path(quality_root)
    if not root.is_dir():
        return []
    runs = sorted(p for p in root.iterdir() if p.is_dir() and _RUN_FOLDER.match(p.name))
    doomed = runs[: max(0, len(runs) - keep)]
    for folder in doomed:
        shutil.rmtree(folder, ignore_errors=True)
    if doomed:
        log.info("removed %d old quality run folder(s) from %s", len(doomed), root)
    return doomed
