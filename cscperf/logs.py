"""Logging for the command line: a console a person can read, and a full log file per run.

Console (stderr), by default:

- one line per step of a run (landing, raw checks, dbt build, marts checks,
  publish, report) with how long it took and what it did, printed when the
  step ends; while a long step runs, a progress bar (tqdm) when stderr is a
  terminal;
- every warning and error as it happens, one line each (the run's alert, which
  lists the data-quality warnings, as a block);
- nothing of the libraries' INFO messages (Great Expectations, dbt, Prefect).

With ``-v``: every record, cscperf's debug messages and dbt's and GE's own
messages included, in the full format.

The run's log file (:func:`attach_run_log`, ``paths.logs/<run id>.log``, mode
0o640) always holds everything at INFO (cscperf's DEBUG too), dbt's events
included: dbt is run with its own console and file logs off and its events
routed here (:func:`dbt_log_args`, :func:`dbt_callback`).

A step ends when the run logs it on the logger ``cscperf.steps`` (a record with
``cscperf_step``, and its summary in ``cscperf_summary`` where the run knows
it best), the same whether the steps run directly or as Prefect tasks; the
rest of the line comes from the records the pipeline's modules already log
during the step (``StepConsole._observe``).
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
FILE_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
LOG_MODE = 0o640
# Loggers whose INFO is noise even in the log file.
SILENCED = (
    "urllib3", "matplotlib", "PIL", "fontTools", "asyncio", "httpx", "httpcore",
    "great_expectations._docs_decorators",  # "Skipping registering function ... closure"
    "great_expectations.expectations.registry",  # "Multiple declarations of metric ..."
)
_DBT_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warn": logging.WARNING,
               "error": logging.ERROR}
_MARK = "_cscperf_handler"


def quiet_telemetry() -> None:
    """No telemetry from any library this project uses, ever."""
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


# --------------------------------------------------------------------------- the console


STEP_LOGGER = "cscperf.steps"  # cscperf.pipeline logs the end of each step here
# dbt's end-of-run recap repeats the warnings of the node lines: log file only.
DBT_RECAP_EVENTS = frozenset({"RunResultWarning", "RunResultWarningMessage",
                              "CheckNodeTestFailure", "EndOfRunSummary"})
_DBT_NODE_PREFIX = re.compile(r"^\d+ of \d+ ")


@dataclass
class _Step:
    """What has been seen since the last step ended."""

    started: float = field(default_factory=time.monotonic)
    landed: str = ""
    dbt_stats: str = ""
    published: str = ""
    suites: int = 0
    warnings: int = 0
    errors: int = 0
    files: list[str] = field(default_factory=list)


def _message(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:  # a bad format string: show it raw rather than fail
        return str(record.msg)


def _first_arg(record: logging.LogRecord) -> str:
    args = record.args
    if isinstance(args, tuple) and args:
        return str(args[0])
    return ""


def _run_started(record: logging.LogRecord) -> bool:
    return record.name == "cscperf.pipeline" and str(record.msg).startswith("run %s (")


def _step_finished(record: logging.LogRecord) -> str | None:
    """The step a run's step record ends, if any."""
    if record.name != STEP_LOGGER:
        return None
    return str(getattr(record, "cscperf_step", "")) or None


def _is_check_finding(record: logging.LogRecord) -> bool:
    """A failed warning-severity check: counted in its step's line and listed in the
    run's alert, so not printed on its own."""
    return record.name == "cscperf.quality.engine" and record.levelno == logging.WARNING


def _is_dbt(record: logging.LogRecord) -> bool:
    return record.name == "dbt" or record.name.startswith("dbt.")


class StepConsole(logging.Handler):
    """The default console: step lines, progress bars, warnings and errors.

    A step ends when the run logs it on ``cscperf.steps``; it started when the
    previous one ended (the first when the run started).
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        super().__init__(logging.DEBUG)
        self._stream = stream
        # a formatter marks this as the user's handler: Prefect then leaves the root alone
        self.setFormatter(logging.Formatter("%(message)s"))
        self.step = _Step()
        self.bar: Any = None
        setattr(self, _MARK, True)

    @property
    def stream(self) -> TextIO:
        return self._stream or sys.stderr

    # ---- output
    def _print(self, line: str) -> None:
        if self.bar is not None or "tqdm" in sys.modules:  # ours or the loader's bar
            from tqdm import tqdm

            tqdm.write(line, file=self.stream)  # clears the bars, writes, redraws
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def _tty(self) -> bool:
        try:
            return self.stream.isatty()
        except (AttributeError, ValueError):
            return False

    def _progress(self, desc: str, total: int | None, done: int | None = None) -> None:
        if not self._tty():
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=desc, file=self.stream, leave=False,
                            dynamic_ncols=True, mininterval=0.2)
        if total and self.bar.total != total:
            self.bar.total = total
        self.bar.update(1 if done is None else max(0, done - self.bar.n))

    def _close_bar(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    # ---- steps
    def _summary(self, name: str, step: _Step) -> str:
        if name.endswith("checks"):
            return f"{step.suites} suites: {step.errors} error(s), {step.warnings} warning(s)"
        return {
            "landing": step.landed,
            "dbt build": step.dbt_stats,
            "publish": step.published,
            "report": ", ".join(dict.fromkeys(step.files)),
        }.get(name, "")

    def end_step(self, name: str, state: str = "", summary: str = "") -> None:
        step, self.step = self.step, _Step()
        self._close_bar()
        seconds = time.monotonic() - step.started
        summary = summary or self._summary(name, step)
        if state:
            summary = f"{summary}  [{state[:80]}]".strip()
        self._print(f"{name:<13}{seconds:6.1f} s   {summary}".rstrip())

    def _observe(self, record: logging.LogRecord) -> None:
        step, msg = self.step, str(record.msg)
        if record.name == "cscperf.loader":  # the loader draws its own bar over the files
            if msg.startswith("landed"):
                step.landed = _message(record)
        elif record.name == "cscperf.quality.engine":
            if msg == "suite %s":
                step.suites += 1
                self._progress("checks", None)
            elif record.levelno >= logging.ERROR:
                step.errors += 1
            elif _is_check_finding(record):
                step.warnings += 1
        elif _is_dbt(record):
            progress = getattr(record, "dbt_progress", None)
            if progress:
                self._progress("dbt build", int(progress[1]), int(progress[0]))
            if getattr(record, "dbt_event", "") == "StatsLine":
                step.dbt_stats = _message(record)
        elif record.name == "cscperf.publish" and msg.startswith("published"):
            step.published = _message(record)
        elif record.name == "cscperf.report" and msg.startswith("wrote %s"):
            step.files.append(Path(_first_arg(record)).name)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if _run_started(record) or (record.name == "cscperf.publish"
                                        and str(record.msg) == "holding %s"):
                self.step = _Step()  # the clock starts once the warehouse lock is held
            finished = _step_finished(record)
            if finished is not None:
                self.end_step(finished, str(getattr(record, "cscperf_state", "") or ""),
                              str(getattr(record, "cscperf_summary", "") or ""))
                return
            self._observe(record)
            if record.levelno >= logging.WARNING and self._shown(record):
                self._print(self._problem(record))
        except Exception:
            self.handleError(record)

    @staticmethod
    def _shown(record: logging.LogRecord) -> bool:
        if _is_check_finding(record):
            return False
        return not (_is_dbt(record) and record.levelno < logging.ERROR
                    and getattr(record, "dbt_event", "") in DBT_RECAP_EVENTS)

    @staticmethod
    def _problem(record: logging.LogRecord) -> str:
        kind = "error" if record.levelno >= logging.ERROR else "warning"
        text = _message(record).strip()
        if record.name != "cscperf.alerts":  # the alert is a block; anything else one line
            text = " ".join(text.split())
        if _is_dbt(record):
            text = "dbt: " + _DBT_NODE_PREFIX.sub("", text)
        return f"{kind}: {text}"


def finish_console() -> None:
    """The command is ending: take down a progress bar left open."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, StepConsole):
            handler._close_bar()


# --------------------------------------------------------------------------- the log file


class RunLog(logging.FileHandler):
    """Everything at INFO (cscperf's DEBUG too) into ``<folder>/<run id>.log``.

    The file is opened as ``<timestamp>-<pid>.log`` and renamed to the run's id
    as soon as the pipeline logs it ("run <id> (...)").
    """

    def __init__(self, folder: Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{datetime.now():%Y%m%dT%H%M%S}-{os.getpid()}.log"
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, LOG_MODE))
        os.chmod(path, LOG_MODE)
        super().__init__(path, encoding="utf-8")
        self.setLevel(logging.DEBUG)
        self.setFormatter(logging.Formatter(LOG_FORMAT, datefmt=FILE_DATE_FORMAT))
        self.run_id: str | None = None
        setattr(self, _MARK, True)

    @property
    def path(self) -> Path:
        return Path(self.baseFilename)

    def emit(self, record: logging.LogRecord) -> None:
        if (self.run_id is None and record.name == "cscperf.pipeline"
                and str(record.msg).startswith("run %s (")):
            self._rename(_first_arg(record))
        super().emit(record)

    def _rename(self, run_id: str) -> None:
        if not run_id or "/" in run_id or run_id.startswith("."):
            return
        target = self.path.with_name(f"{run_id}.log")
        if target.exists():
            return
        try:
            os.rename(self.baseFilename, target)
        except OSError:
            return
        self.baseFilename = str(target)
        self.run_id = run_id


def attach_run_log(folder: Path) -> RunLog:
    """Start writing the run's log file; returns the handler (see :func:`detach`)."""
    handler = RunLog(folder)
    logging.getLogger().addHandler(handler)
    return handler


def detach(handler: logging.Handler) -> None:
    logging.getLogger().removeHandler(handler)
    handler.close()


# --------------------------------------------------------------------------- dbt


def dbt_log_args(log_dir: Path) -> list[str]:
    """dbt's own stdout and dbt.log off (its events reach :func:`dbt_callback`); dbt
    still creates its log folder, so point it at ours."""
    return ["--log-level", "none", "--log-level-file", "none", "--log-path", str(log_dir)]


def dbt_callback(msg: Any) -> None:
    """A dbt event as a record of logger ``dbt`` (empty lines and debug events dropped)."""
    level = _DBT_LEVELS.get(str(msg.info.level), logging.INFO)
    logger = logging.getLogger("dbt")
    if level < logging.INFO or not logger.isEnabledFor(level):
        return
    text = str(msg.info.msg or "").rstrip()
    if not text.strip():
        return
    extra: dict[str, Any] = {"dbt_event": str(msg.info.name)}
    data = getattr(msg, "data", None)
    total = getattr(data, "total", 0) or getattr(data, "num_models", 0) or 0
    index = getattr(data, "index", 0) or 0
    if total and index and str(msg.info.name).endswith("Result"):
        extra["dbt_progress"] = (int(index), int(total))
    logger.log(level, "%s", text, extra=extra)


# --------------------------------------------------------------------------- set-up


def configure_logging(verbose: bool = False, stream: TextIO | None = None) -> None:
    """Install the console handler (again: earlier cscperf handlers are replaced)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _MARK, False) and not isinstance(handler, RunLog):
            root.removeHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("cscperf").setLevel(logging.DEBUG)
    console: logging.Handler
    if verbose:
        console = logging.StreamHandler(stream)  # stderr by default
        console.setLevel(logging.DEBUG)
        console.setFormatter(logging.Formatter(LOG_FORMAT, datefmt="%H:%M:%S"))
        setattr(console, _MARK, True)
    else:
        console = StepConsole(stream)
    root.addHandler(console)
    for noisy in SILENCED:
        logging.getLogger(noisy).setLevel(logging.WARNING)


quiet_telemetry()
