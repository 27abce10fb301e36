"""The console a person reads: `make demo` in under 60 lines, ending with where the outputs are.

``make demo`` runs as a new user runs it (setup, generate, run, reproduce),
with the warehouse, quality results, logs and Prefect's home in a temporary
folder. Its whole output (stdout and stderr) is counted and read: one line
per step, the warnings, the reproduction's counts, then the paths of the
report (HTML, PDF, xlsx), the data-quality page and the warehouse; none of
the libraries' INFO noise. The run's log file holds what the console leaves
out. ``-v`` shows dbt's and Great Expectations' own messages.
"""

from __future__ import annotations

import io
import logging
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MakeDemo, demo_env

from cscperf.logs import StepConsole
from cscperf.reproduce import DIFFERENT, KNOWN, MATCH, Row, format_summary
from cscperf.settings import PROJECT_DIR

pytestmark = pytest.mark.slow

SAMPLE = Path(__file__).parent / "fixtures" / "sample_extracts"
MAX_LINES = 60
# raw checks are judged while dbt builds: their line follows the build's
STEPS = ("landing", "dbt build", "raw checks", "marts checks", "publish", "report")
NOISE = (
    "Skipping registering function", "Multiple declarations of metric",  # GE
    "Running with dbt=", "Registered adapter", " START ", "OK created",  # dbt
    "Finished in state", "Beginning flow run", "Starting temporary server",  # Prefect
    "INFO ",
)


@pytest.fixture(scope="module")
def demo(make_demo: MakeDemo) -> tuple[subprocess.CompletedProcess, Path]:
    """The session's ``make demo`` (tests/conftest.py), as a finished process."""
    result = subprocess.CompletedProcess(["make", "demo"], make_demo.returncode,
                                         make_demo.stdout, make_demo.stderr)
    return result, make_demo.home


def lines_of(result: subprocess.CompletedProcess) -> list[str]:
    return (result.stderr + result.stdout).splitlines()


def test_make_demo_prints_under_60_lines(demo: tuple[subprocess.CompletedProcess, Path]) -> None:
    result, _home = demo
    assert result.returncode == 0, result.stderr[-3000:]
    lines = lines_of(result)
    assert len(lines) < MAX_LINES, "\n".join(lines)
    for noise in NOISE:
        assert not [line for line in lines if noise in line], noise


def test_one_line_per_step_in_order(demo: tuple[subprocess.CompletedProcess, Path]) -> None:
    result, _home = demo
    stderr = result.stderr.splitlines()
    found = []
    for step in STEPS:
        matches = [i for i, line in enumerate(stderr)
                   if re.match(rf"{re.escape(step)}\s+\d+\.\d s\b", line)]
        assert len(matches) == 1, (step, stderr)
        found.append(matches[0])
    assert found == sorted(found)
    landing = stderr[found[0]]
    assert re.search(r"landed \d+ rows \(\d+ rejected\)", landing)
    assert "PASS=" in stderr[found[1]]  # dbt build
    assert re.search(r"\d+ suites: 0 error\(s\)", stderr[found[2]])  # raw checks
    assert stderr[found[5]].endswith("report.html, report.pdf, report.xlsx")
    # the warnings: the data-quality alert lists every failed check
    assert any(line.startswith("warning: cscperf manual run published with") for line in stderr)
    # the reproduction: counts, not the 391-row table
    assert "372 match, 19 known differences, 0 different" in result.stdout
    assert "MATCH" not in result.stdout


def test_ends_with_the_outputs(demo: tuple[subprocess.CompletedProcess, Path]) -> None:
    result, home = demo
    tail = result.stdout.strip().splitlines()[-5:]
    labels = [line.split(":", 1)[0] for line in tail]
    assert labels == ["report", "report", "report", "quality", "warehouse"], tail
    paths = [Path(line.split(":", 1)[1].strip()) for line in tail]
    assert [p.name for p in paths] == ["report.html", "report.pdf", "report.xlsx",
                                       "quality.html", "cscperf.duckdb"]
    assert all(p.exists() for p in paths)
    assert paths[0].parent == home / "demo" / "report"


def test_the_log_file_holds_the_detail(demo: tuple[subprocess.CompletedProcess, Path]) -> None:
    result, home = demo
    logs = list((home / "warehouse" / "logs").glob("*.log"))
    assert len(logs) == 1
    log = logs[0]
    run_id = re.search(r"\(run (\S+)\)", result.stdout).group(1)
    assert log.name == f"{run_id}.log"
    assert f"log:       {log}" in result.stdout
    assert stat.S_IMODE(log.stat().st_mode) == 0o640
    text = log.read_text(encoding="utf-8")
    assert "dbt: Running with dbt=" in text and " OK created " in text
    assert "great_expectations" in text
    assert "landing: done" in text and "publish: done" in text  # the run's step records
    assert "Skipping registering function" not in text  # pure noise, even here
    assert not (home / "warehouse" / "logs" / "dbt.log").exists()


def test_verbose_shows_dbt_and_ge(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cscperf.cli", "-v", "run", "--extracts", str(SAMPLE),
         "--as-at", "2015-10-31"],
        cwd=PROJECT_DIR, env=demo_env(tmp_path), capture_output=True, text=True, timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "dbt: Running with dbt=" in result.stderr
    assert " OK created " in result.stderr
    assert "great_expectations" in result.stderr
    assert "cscperf.loader" in result.stderr


def test_reproduce_summary_lists_only_the_rows_that_differ() -> None:
    from datetime import date

    rows = [Row("code 6", "value", 98.26, 98.26, MATCH, ""),
            Row("code 7", "value", 48.84, 48.0, DIFFERENT, ""),
            Row("code 8", "value", 21.4, 21.43, KNOWN, "rounding")]
    text = format_summary(rows, date(2015, 10, 31))
    assert text.splitlines()[0] == ("October 2015 report reproduced (3 published figures): "
                                    "1 match, 1 known differences, 1 different")
    assert "code 7" in text and "code 6" not in text and "code 8" not in text
    assert "--full" in text


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def record(name: str, level: int, msg: str, *args: object, **extra: object) -> logging.LogRecord:
    rec = logging.LogRecord(name, level, __file__, 1, msg, args, None)
    rec.__dict__.update(extra)
    return rec


def test_steps_and_progress_bars_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a run: the console's own rules on hand-made records."""
    monkeypatch.setenv("COLUMNS", "100")
    out = Terminal()
    console = StepConsole(out)
    console.emit(record("cscperf.pipeline", logging.INFO, "run %s (%s): x", "R1", "manual"))
    for suite in ("raw.contacts", "raw.people", "cross_file.findings"):
        console.emit(record("cscperf.quality.engine", logging.DEBUG, "suite %s", suite))
    console.emit(record("cscperf.quality.engine", logging.WARNING, "%s %s", "WARNING", "x: y"))
    console.emit(record("great_expectations.core", logging.INFO, "noise"))
    console.emit(record("prefect.task_runs", logging.INFO, "Finished in state Completed()",
                        task_name="validate raw"))  # Prefect's records end no step
    console.emit(record("cscperf.steps", logging.INFO, "%s: %s", "raw checks", "done",
                        cscperf_step="raw checks",
                        cscperf_summary="3 suites: 0 error(s), 1 warning(s)"))
    for i in range(1, 11):
        console.emit(record("dbt", logging.INFO, "%s", f"{i} of 10 OK", dbt_event="LogModelResult",
                            dbt_progress=(i, 10)))
    console.emit(record("dbt", logging.WARNING, "%s", "7 of 10 WARN 1 some_test",
                        dbt_event="LogTestResult"))
    console.emit(record("dbt", logging.WARNING, "%s", "Warning in test some_test",
                        dbt_event="RunResultWarning"))
    console.emit(record("dbt", logging.INFO, "%s", "Done. PASS=9 WARN=1", dbt_event="StatsLine"))
    console.emit(record("cscperf.steps", logging.INFO, "%s: %s", "dbt build", "failed",
                        cscperf_step="dbt build", cscperf_state="Failed('boom')"))
    text = out.getvalue()
    lines = [line for line in text.replace("\r", "\n").splitlines() if line.strip()]
    assert any(re.match(r"raw checks\s+\d+\.\d s   3 suites: 0 error\(s\), 1 warning\(s\)$", line)
               for line in lines), lines
    assert any(re.match(r"dbt build\s+\d+\.\d s   Done\. PASS=9 WARN=1  \[Failed\('boom'\)\]$",
                        line) for line in lines), lines
    assert "checks: " in text and "dbt build: " in text and "10/10" in text  # the bars
    assert "warning: dbt: WARN 1 some_test" in text
    assert "Warning in test" not in text and "noise" not in text and "x: y" not in text
    assert console.bar is None
