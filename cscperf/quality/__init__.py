"""Data quality: Great Expectations suites on the raw tables, and after the build on the
cross-file findings (defined once in dbt: ``marts.data_quality_findings``) and the marts.

Two severities: an *error* (GE severity ``critical``) stops the run before
publishing; a *warning* is alerted on and published in
``marts.quality_results``. See ``cscperf.quality.suites`` for the suite files
and ``cscperf.quality.engine`` for how GE runs on DuckDB data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path

from cscperf.quality.engine import CheckResult, QualityReport, QualityRunner
from cscperf.quality.suites import ERROR, WARNING, Suite, load_suites
from cscperf.settings import Settings

__all__ = [
    "ERROR",
    "FUTURE_TOLERANCE_DAYS",
    "WARNING",
    "CheckResult",
    "QualityReport",
    "QualityRunner",
    "Suite",
    "raw_parameters",
    "validate_findings",
    "validate_marts",
    "validate_raw",
]

# A date after the run date (or the as-at date, when that is later) cannot be
# real: a warning. Dates after the as-at date alone are allowed (a later
# extract re-used for an earlier month).
FUTURE_TOLERANCE_DAYS = 1


def raw_parameters(
    table: str,
    as_at: date,
    run_date: date,
    previous_rows: Mapping[str, int] | None,
    band: float,
) -> dict[str, object]:
    latest = max(as_at, run_date) + timedelta(days=FUTURE_TOLERANCE_DAYS)
    params: dict[str, object] = {
        "latest_date": latest.isoformat(),
        "latest_year": latest.year,
        "row_count_min": 0,
        "row_count_max": None,
    }
    previous = (previous_rows or {}).get(table)
    if previous is not None:
        params["row_count_min"] = math.floor(previous * (1 - band))
        params["row_count_max"] = math.ceil(previous * (1 + band))
    return params


def validate_raw(
    runner: QualityRunner,
    db_path: Path,
    as_at: date,
    run_date: date,
    previous_rows: Mapping[str, int] | None,
    settings: Settings,
) -> list[CheckResult]:
    """The raw suites (one per extract), after landing: generated from the contract."""
    results: list[CheckResult] = []
    with runner.reading(db_path):
        for suite in load_suites("raw"):
            table = suite.name.split(".")[1]
            params = raw_parameters(table, as_at, run_date, previous_rows,
                                    settings.quality.row_count_change_band)
            query_params = {"as_at": as_at, "latest_date": params["latest_date"],
                            "latest_year": params["latest_year"]}
            results += runner.validate_suite(db_path, suite, params, query_params)
    return results


def validate_findings(runner: QualityRunner, db_path: Path, as_at: date) -> list[CheckResult]:
    """The cross-file findings the build produced (marts.data_quality_findings): one
    warning per kind of finding, with its count and example record ids."""
    results: list[CheckResult] = []
    for suite in load_suites("cross_file"):
        results += runner.validate_suite(db_path, suite, {}, {"as_at": as_at})
    return results


def validate_marts(
    runner: QualityRunner, db_path: Path, as_at: date, settings: Settings
) -> list[CheckResult]:
    """After dbt build: the cross-file findings the build produced (one warning per kind
    of finding, with its count and example record ids), then the marts suites (only
    what dbt's own tests do not assert, e.g. the month-on-month change)."""
    band = settings.quality.mom_change_band
    params = {"mom_change_min": -band, "mom_change_max": band}
    results = validate_findings(runner, db_path, as_at)
    for suite in load_suites("marts"):
        results += runner.validate_suite(db_path, suite, params, {"as_at": as_at})
    return results
