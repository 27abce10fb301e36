"""The run's data-quality page (quality.html): every section, offline, no record values.

The run validates the fake "bad" extract set (an error: source_code C3 not in
the code list; a warning: contact C4's referral missing) in a build file named
as the pipeline names it, with a run history of two earlier runs (given to the
runner, as the pipeline does), with rows
planted in raw.rejected_rows. Headless Chromium renders the page through a
counting proxy: nothing may be requested. A screenshot is kept for review:
``$CSCPERF_SCREENSHOT_DIR/quality-page.png`` (default /tmp).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
from markupsafe import escape
from test_pipeline_support import AS_AT, PERSONAL, make_marts, make_raw, make_settings, variant_rows
from test_report_browser import (  # noqa: F401  (background_hosts, listener: fixtures)
    SCREENSHOT_DIR,
    background_hosts,
    browse,
    listener,
    page_requests,
)

from cscperf.publish import RunHistory, RunRecord
from cscperf.quality import QualityRunner, validate_marts, validate_raw
from cscperf.quality.page import PAGE

RUN_ID = "20151102T020000-abc123"
PLANTED_VALUE = "Zz-planted-value-9"
SECTIONS = ("outcome", "failed", "rejected", "trend", "suites")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    base = tmp_path_factory.mktemp("qpage")
    settings = make_settings(base)
    warehouse = base / "cscperf.duckdb"
    history = RunHistory(warehouse)
    for n, (status, failed, warned) in enumerate((("published", 0, 1), ("failed", 2, 3)), 1):
        history.append(RunRecord(
            run_id=f"2015100{n}T020000-00000{n}", kind="nightly", as_at=date(2015, 10, n),
            extracts_dir="x", warehouse=str(warehouse),
            started_at=datetime(2015, 10, n, 2, tzinfo=ZoneInfo("Europe/London")),
            status=status, published=status == "published", checks_failed=failed,
            checks_warned=warned, checks_passed=100))
    build = base / ".cscperf.build-0123abcd.duckdb"  # as cscperf.pipeline.build_path_for
    make_raw(build, variant_rows("bad"))
    make_marts(build)
    con = duckdb.connect(str(build))
    try:
        con.execute("insert into raw.rejected_rows values "
                    "('contacts.csv', 7, 'contact_datetime', ?, 'date does not parse'),"
                    "('contacts.csv', 9, 'contact_datetime', '32/13/2015', 'date does not parse'),"
                    "('people.csv', 3, 'person_id', 'P1', 'duplicate id (first at line 2)'),"
                    "('people.csv', 5, 'person_id', 'P1', 'duplicate id (first at line 2)')",
                    [PLANTED_VALUE])
    finally:
        con.close()
    runner = QualityRunner(RUN_ID, base / "quality" / RUN_ID, history=history.path)
    validate_raw(runner, build, AS_AT, date(2015, 11, 2), None, settings)
    validate_marts(runner, build, AS_AT, settings)
    report = runner.finish()
    return Path(report.docs_index), report


def test_page_is_the_docs_index(run: tuple[Path, object]) -> None:
    page, report = run
    assert page == report.out_dir / PAGE and page.exists()
    assert not (report.out_dir / "data_docs").exists()  # GE Data Docs are no longer built
    assert (report.out_dir / "results" / "raw.contacts.json").exists()
    assert page.stat().st_mode & 0o777 == 0o640


def test_page_content(run: tuple[Path, object]) -> None:
    page, report = run
    html = page.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", html)
    assert "<script" not in html
    # every suite and every check, with a link to GE's result
    for check in report.results:
        assert str(escape(check.check_name)) in html, check.check_name
    for suite in {c.suite for c in report.results}:
        assert f'href="results/{suite}.json"' in html
        assert (report.out_dir / "results" / f"{suite}.json").exists()
    assert "source_code in the code list" in html and ">C3<" in html
    assert "contact_referral_missing" in html and ">contacts C4<" in html  # extract and id
    # rejected rows by file and reason: counts, no values
    assert re.search(r"<td>contacts.csv</td><td>contact_datetime</td><td>date does not parse"
                     r'</td><td class="num">2</td>', html)
    assert re.search(r"<td>people.csv</td><td>person_id</td><td>duplicate id</td>"
                     r'<td class="num">2</td>', html)
    for value in (PLANTED_VALUE, "32/13/2015", *PERSONAL):
        assert value not in html
    # the trend: two earlier runs and this one
    trend = html[html.index('id="trend"'):html.index('id="suites"')]
    assert "20151001T020000-000001" in trend and "20151002T020000-000002" in trend
    assert RUN_ID in trend and trend.count("<rect") >= 3
    assert f"as at {AS_AT.isoformat()}" in html


def test_page_in_headless_chromium(run: tuple[Path, object], listener,  # noqa: F811
                                   background_hosts: set[str]) -> None:  # noqa: F811
    page, report = run
    dom = browse(listener, "--virtual-time-budget=3000", "--dump-dom",
                 page.as_uri()).decode("utf-8", "replace")
    for section in SECTIONS:
        assert f'<section id="{section}"' in dom, section
    assert dom.count("<tr>") > len(report.results)
    assert page_requests(listener, background_hosts) == []
    shot = SCREENSHOT_DIR / "quality-page.png"
    shot.unlink(missing_ok=True)
    browse(listener, "--hide-scrollbars", "--window-size=1200,1800", f"--screenshot={shot}",
           page.as_uri())
    assert shot.exists() and shot.stat().st_size > 20_000
    assert page_requests(listener, background_hosts) == []
