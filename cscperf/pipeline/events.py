"""The log record at the end of each step (the console draws its step lines from them)."""

from __future__ import annotations

import logging

from cscperf.quality import QualityReport

step_log = logging.getLogger("cscperf.steps")  # one record per finished step (the console)


def step_done(name: str, summary: str = "", state: str = "") -> None:
    step_log.info("%s: %s", name, state or "done",
                  extra={"cscperf_step": name, "cscperf_summary": summary,
                         "cscperf_state": state})


def checks_summary(report: QualityReport, layers: tuple[str, ...]) -> str:
    results = [r for r in report.results if r.suite.split(".")[0] in layers]
    suites = len({r.suite for r in results})
    errors = sum(not r.success and r.severity == "error" for r in results)
    warnings = sum(not r.success and r.severity == "warning" for r in results)
    return f"{suites} suites: {errors} error(s), {warnings} warning(s)"
