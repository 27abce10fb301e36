"""Great Expectations on DuckDB data: real rows reach GE, failures name ids; versioned suites."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import duckdb
import pytest
from test_pipeline_support import AS_AT, PERSONAL, make_marts, make_raw, make_settings, variant_rows

from cscperf.contract import EXTRACTS
from cscperf.dbt_runner import run_dbt
from cscperf.quality import (
    ERROR,
    WARNING,
    QualityRunner,
    raw_parameters,
    validate_marts,
    validate_raw,
)
from cscperf.quality.suites import (
    dump,
    load_suites,
    raw_suite,
    raw_suite_path,
    row_count_suite,
    row_count_suite_path,
)
from cscperf.settings import PROJECT_DIR

RUN_DATE = date(2015, 11, 2)


@pytest.fixture
def settings(tmp_path: Path):
    return make_settings(tmp_path)


def by_check(results, suite: str, check: str):
    matches = [r for r in results if r.suite == suite and r.check_name == check]
    assert len(matches) == 1, [(r.suite, r.check_name) for r in results]
    return matches[0]


def test_expectations_fail_on_real_rows_read_from_duckdb(tmp_path: Path, settings):
    """The DuckDB -> pandas -> GE path returns real rows: a planted bad row fails
    its expectation with the right counts and id (GE's SQL datasource would
    see an empty table here)."""
    db = tmp_path / "build.duckdb"
    make_raw(db, variant_rows("bad"))
    runner = QualityRunner("run-1", tmp_path / "quality" / "run-1")
    results = validate_raw(runner, db, AS_AT, RUN_DATE, None, settings)
    report = runner.finish()

    code = by_check(results, "raw.contacts", "source_code in the code list")
    assert code.severity == ERROR and not code.success
    assert code.element_count == 4 and code.unexpected_count == 1
    assert code.example_ids == ("C3",)

    assert [e.check_name for e in report.errors] == ["source_code in the code list"]
    assert report.warnings == []  # findings are read from the build (validate_marts)
    assert report.docs_index is not None and report.docs_index.exists()
    assert (report.out_dir / "results" / "raw.contacts.json").exists()
    summary = json.loads((report.out_dir / "summary.json").read_text())
    assert summary["errors"] == 1


def test_a_good_extract_set_passes_every_check(tmp_path: Path, settings):
    db = tmp_path / "build.duckdb"
    make_raw(db, variant_rows("good"))
    make_marts(db)
    runner = QualityRunner("run-ok", tmp_path / "q")
    validate_raw(runner, db, AS_AT, RUN_DATE, None, settings)
    validate_marts(runner, db, AS_AT, settings)
    report = runner.finish()
    failed = [r.describe() for r in report.results if not r.success]
    assert failed == []
    assert len(report.passed) > 100


def test_cross_file_findings(tmp_path: Path, settings):
    """The findings are dbt's (marts.data_quality_findings, built here from planted
    raw rows): the quality step turns each kind into a warning with its count and
    example record ids."""
    rows = variant_rows("good")
    rows["lac_episodes"] += [
        # overlaps E1 (open since 2015-01-01)
        {"episode_id": "E2", "person_id": "P3", "start_date": "2015-06-01",
         "end_date": "2015-07-01", "legal_status": "C2"},
        # ends before it starts
        {"episode_id": "E3", "person_id": "P2", "start_date": "2015-06-01",
         "end_date": "2015-05-01", "legal_status": "C2"},
    ]
    # consecutive episodes are not overlapping
    rows["lac_episodes"] += [
        {"episode_id": "E4", "person_id": "P1", "start_date": "2014-01-01",
         "end_date": "2014-02-01", "legal_status": "C2"},
        {"episode_id": "E5", "person_id": "P1", "start_date": "2014-02-01",
         "end_date": "2014-03-01", "legal_status": "C2"},
    ]
    rows["cp_plans"].append(
        {"cpp_id": "CPP2", "person_id": "P2", "start_date": "2015-10-01", "category": "EMO"})
    rows["cp_plans"].append(
        {"cpp_id": "CPP3", "person_id": "P9", "start_date": "2015-10-01", "category": "EMO"})
    # a transfer-in conference is not an ICPC: CPP4 has no ICPC (spec: the plan's
    # ICPC is the child's latest ICPC on or before its start; code 25)
    rows["cp_plans"].append(
        {"cpp_id": "CPP4", "person_id": "P3", "start_date": "2015-10-01", "category": "EMO"})
    rows["cp_conferences"].append(
        {"conference_id": "K9", "person_id": "P3", "conference_type": "TRANSFER_IN",
         "conference_date": "2015-09-30"})
    db = tmp_path / "build.duckdb"
    make_raw(db, rows)
    run_dbt(["seed"], db, settings, AS_AT, target_path=tmp_path / "target")
    run_dbt(["run", "--select", "+data_quality_findings"], db, settings, AS_AT,
            target_path=tmp_path / "target")
    runner = QualityRunner("run-x", tmp_path / "q")
    results = [r for r in validate_marts(runner, db, AS_AT, settings)
               if r.suite == "cross_file.findings"]
    kinds = {e["meta"]["check"] for e in load_suites("cross_file")[0].expectations}
    assert {r.check_name for r in results} == kinds  # every kind listed, found or not
    failed = {r.check_name: r for r in results if not r.success}
    assert set(failed) == {
        "lac_episodes_overlap", "lac_episode_ended_before_start", "cp_plan_without_icpc",
        "person_missing",
    }
    assert all(r.severity == WARNING for r in failed.values())
    assert set(failed["lac_episodes_overlap"].example_ids) <= {
        "lac_episodes E1", "lac_episodes E2"}
    assert failed["lac_episode_ended_before_start"].example_ids == ("lac_episodes E3",)
    assert set(failed["cp_plan_without_icpc"].example_ids) == {
        "cp_plans CPP2", "cp_plans CPP3", "cp_plans CPP4"}
    assert failed["cp_plan_without_icpc"].unexpected_count == 3
    assert failed["person_missing"].example_ids == ("cp_plans CPP3",)


def test_marts_suites_only_check_what_dbt_does_not(tmp_path: Path, settings):
    """Percentages out of 0-100 are dbt's test (indicator_values_checks), not GE's
    again; the month-on-month change, which dbt does not test, stays a warning."""
    db = tmp_path / "build.duckdb"
    make_marts(db, percent=150.0)  # 50% -> 150%: out of range and a +200% change
    runner = QualityRunner("run-m", tmp_path / "q")
    results = validate_marts(runner, db, AS_AT, settings)
    assert not [r for r in results if r.check_name == "percentages within 0-100"]
    change = by_check(results, "marts.indicator_changes",
                      "month-on-month change within quality.mom_change_band")
    assert change.severity == WARNING and not change.success
    assert change.unexpected_count == 15


def test_a_missing_mart_is_an_error(tmp_path: Path, settings):
    db = tmp_path / "build.duckdb"
    duckdb.connect(str(db)).close()
    runner = QualityRunner("run-e", tmp_path / "q")
    results = validate_marts(runner, db, AS_AT, settings)
    assert results and all(r.severity == ERROR and not r.success for r in results)
    assert "could not run" in results[0].check_name


def test_row_count_change_and_future_dates_are_warnings(tmp_path: Path, settings):
    rows = variant_rows("good")
    rows["people"][0]["dob"] = "2031-01-01"  # a date of birth in the future
    db = tmp_path / "build.duckdb"
    make_raw(db, rows)
    previous = {"contacts": 20, "people": 3}
    runner = QualityRunner("run-w", tmp_path / "q")
    results = validate_raw(runner, db, AS_AT, RUN_DATE, previous, settings)
    report = runner.finish()
    rows_check = by_check(results, "raw.contacts.row_count", "row count close to the last run's")
    assert not rows_check.success and rows_check.severity == WARNING
    assert by_check(results, "raw.people.row_count", "row count close to the last run's").success
    dob = by_check(results, "raw.people", "dob not after the run date")
    assert not dob.success and dob.severity == WARNING and dob.example_ids == ("P1",)
    # dates of birth never leave the database as values: not even in GE's own results
    written = "".join(p.read_text() for p in report.out_dir.rglob("*.json"))
    written += "".join(p.read_text() for p in report.out_dir.rglob("*.html"))
    assert "2031-01-01" not in written
    for value in PERSONAL:
        assert value not in written


def test_old_quality_runs_are_pruned(tmp_path: Path):
    from cscperf.quality.engine import prune_runs

    names = [f"2015110{d}T060000-abcdef" for d in range(1, 6)]
    for name in [*names, "keep-me"]:
        (tmp_path / name).mkdir()
    removed = prune_runs(tmp_path, keep=2)
    assert [p.name for p in removed] == names[:3]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*names[3:], "keep-me"])


def test_raw_parameters():
    params = raw_parameters("contacts", AS_AT, RUN_DATE, {"contacts": 100}, 0.5)
    assert params["row_count_min"] == 50 and params["row_count_max"] == 150
    assert params["latest_date"] == "2015-11-03"
    first = raw_parameters("contacts", AS_AT, RUN_DATE, None, 0.5)
    assert first["row_count_min"] == 0 and first["row_count_max"] is None


def test_raw_suite_files_match_the_contract():
    """expectations/raw/*.json are generated from cscperf.contract; regenerate with
    `python -m cscperf.quality` when the contract changes."""
    for extract in EXTRACTS:
        path = raw_suite_path(extract)
        assert path.read_text(encoding="utf-8") == dump(raw_suite(extract)), path
        path = row_count_suite_path(extract)
        assert path.read_text(encoding="utf-8") == dump(row_count_suite(extract)), path


def test_every_suite_file_is_a_ge_suite():
    import great_expectations as gx

    seen = 0
    for layer in ("raw", "cross_file", "marts"):
        for suite in load_suites(layer):
            ge_suite = gx.ExpectationSuite(**suite.definition)
            assert ge_suite.name == suite.name
            assert suite.query.strip()
            assert suite.id_columns or suite.name.endswith(".row_count"), suite.name
            for exp in suite.expectations:
                assert exp["severity"] in {"critical", "warning"}, (suite.name, exp)
                assert exp["meta"].get("check"), (suite.name, exp)
            seen += 1
    assert seen == 2 * len(EXTRACTS) + 1 + 1  # rows and row count per extract


def test_the_findings_suite_names_every_finding_dbt_defines():
    """Each finding is defined once, in models/intermediate/quality/ (unioned by
    marts.data_quality_findings); the suite lists exactly those kinds (a new
    finding without a warning fails here)."""
    findings = load_suites("cross_file")[0]
    names = {e["meta"]["check"] for e in findings.expectations}
    folder = PROJECT_DIR / "models" / "intermediate" / "quality"
    found = [re.findall(r"select\s+'([a-z0-9_]+)'", path.read_text())
             for path in sorted(folder.glob("*.sql"))]
    kinds = [kind for per_model in found for kind in per_model]
    defined = set(kinds)
    assert len(kinds) == len(defined) + 1  # person_missing, in two models (two extract sets)
    assert len(defined) > 15
    assert names == defined
    assert "marts.data_quality_findings" in findings.query
