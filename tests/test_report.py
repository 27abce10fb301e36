"""The monthly report rendered from the fixture marts (HTML only; no browser needed)."""

from __future__ import annotations

import contextlib
import dataclasses
import re
import shutil
from collections import Counter
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import duckdb
import pytest
from report_fixture import build_fixture

from cscperf.report import ReportError, charts, disclosure, render_html_report
from cscperf.report import data as report_data
from cscperf.report import pdf as report_pdf
from cscperf.report.commentary import load_commentary, render_comment
from cscperf.report.disclosure import is_small
from cscperf.report.formatting import fmt_comparator, fmt_target, fmt_value
from cscperf.report.pages import plan_pages
from cscperf.report.work_due import DailyCounts, area_chart
from cscperf.settings import PROJECT_DIR, Settings, load_settings

AS_AT = date(2015, 10, 31)
COMMENTARY = PROJECT_DIR / "commentary" / "2015-10.yml"
# 25 trend charts (every code but 1, 2, 3, 5) + 13 breakdown charts in the fixture
EXPECTED_CHARTS = 38


def settings_with(commentary_dir: Path) -> Settings:
    base = load_settings()
    return dataclasses.replace(base, paths=dataclasses.replace(base.paths,
                                                               commentary=commentary_dir))


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("wh") / "cscperf.duckdb")


@pytest.fixture(scope="module")
def commentary_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("commentary")
    shutil.copy(COMMENTARY, folder / COMMENTARY.name)
    return folder


def _render(warehouse: Path, out: Path, publish: bool, commentary: Path) -> str:
    path = render_html_report(warehouse, AS_AT, out, publish, settings_with(commentary))
    assert path == out / "report.html"
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def internal_html(warehouse: Path, commentary_dir: Path,
                  tmp_path_factory: pytest.TempPathFactory) -> str:
    return _render(warehouse, tmp_path_factory.mktemp("internal"), False, commentary_dir)


@pytest.fixture(scope="module")
def published_html(warehouse: Path, commentary_dir: Path,
                   tmp_path_factory: pytest.TempPathFactory) -> str:
    return _render(warehouse, tmp_path_factory.mktemp("published"), True, commentary_dir)


def section(html: str, code: int) -> str:
    """The HTML of one indicator's page."""
    start = html.index(f'<section class="page indicator" id="indicator-{code}"')
    end = html.find('<section class="page indicator"', start + 10)
    return html[start:end if end > 0 else len(html)]


def agency_row(html: str, label: str, month: str) -> list[str]:
    table = section(html, 5)
    table = table[table.index(f"Contacts received in {month}"):]
    row = re.search(rf"<tr><th scope=\"row\">{re.escape(label)}</th>(.*?)</tr>", table)
    assert row, label
    return re.findall(r"<td class=\"num\">(.*?)</td>", row.group(1))


# --------------------------------------------------------------------------
# structure
# --------------------------------------------------------------------------

def test_every_indicator_has_a_page_and_a_summary_row(internal_html: str) -> None:
    for code in range(1, 30):
        assert f'id="indicator-{code}"' in internal_html
        assert f'href="#indicator-{code}"' in internal_html
    summary = internal_html[internal_html.index('id="summary"'):
                            internal_html.index('id="indicator-1"')]
    assert summary.count('<th scope="row">') == 29


def test_every_page_shows_the_figures_of_the_original(internal_html: str) -> None:
    for code in range(1, 30):
        page = section(internal_html, code)
        for label in ("Responsible officer", "Full description", "Measure", "Indicator guide",
                      "Last update", "Current value", "Rate per 10,000", "Overall assessment",
                      "Target", "Direction of travel", "Previous values", "England",
                      "Statistical Neighbours", "West Midlands", "Measure period", "Comments"):
            assert label in page, (code, label)


def test_preface(internal_html: str) -> None:
    settings = load_settings()
    assert "<h1 id=\"report-title\">Performance Report - October 2015</h1>" in internal_html
    assert "Herefordshire Council" in internal_html
    assert "Children&#39;s Wellbeing Directorate" in internal_html
    assert ("Reports were all run as at 31st October 2015 and include all data within "
            "Frameworki up to and including 31st October 2015") in internal_html
    assert "live nature of the system" in internal_html
    for value in (settings.report.contact_name, settings.report.contact_title,
                  settings.report.contact_email, settings.report.contact_phone):
        assert value and value in internal_html


def test_values_are_formatted_as_published(internal_html: str) -> None:
    assert "<dd>98.26%</dd>" in section(internal_html, 6)
    assert "<dd>516</dd>" in section(internal_html, 4)
    page1 = section(internal_html, 1)
    assert "<dt>Rate per 10,000</dt><dd>145.98</dd>" in page1
    assert "<dt>Rate per 10,000 (YTD)</dt>" in section(internal_html, 8)
    assert "<dt>Target</dt><dd>100%</dd>" in section(internal_html, 6)
    assert "<dt>Target</dt><dd>2.30%</dd>" in section(internal_html, 20)


def test_previous_values_and_comparators(internal_html: str) -> None:
    page4 = section(internal_html, 4)
    assert '<th scope="row">Oct-14</th><td class="num">432</td>' in page4
    assert '<th scope="row">Oct-13</th><td class="num">472</td>' in page4
    page1 = section(internal_html, 1)
    assert '<th scope="row">Sep-15</th><td class="num">497</td>' in page1
    assert '<th scope="row">Aug-15</th><td class="num">493</td>' in page1
    assert "Previous values are rates per 10,000." in section(internal_html, 18)
    assert '<span class="prev-label">Oct-14 rate</span>' in internal_html
    assert '<th scope="row">Oct-14</th><td class="num">50.14</td>' in section(internal_html, 18)
    page8 = section(internal_html, 8)
    assert re.search(r"England <span class=\"dt-sub\">2013/14</span></dt><dd>23.4</dd>", page8)
    assert re.search(r"West Midlands <span class=\"dt-sub\">Q4 2014/15</span></dt>"
                     r"<dd>21.78</dd>", page8)
    assert re.search(r"England <span class=\"dt-sub\">2013/14</span></dt><dd>N/A</dd>",
                     section(internal_html, 4))


def test_direction_arrows_follow_polarity(internal_html: str) -> None:
    assert "dot dot-bad" in section(internal_html, 6)  # higher is better, went down
    assert "Down on Oct-14 (deterioration)" in section(internal_html, 6)
    assert "dot dot-good" in section(internal_html, 11)  # higher is better, went up
    assert "dot dot-neutral" in section(internal_html, 4)  # no polarity
    assert "rotate(180 12 12)" in section(internal_html, 6)


def test_charts_are_inline_accessible_svg(internal_html: str) -> None:
    svgs = re.findall(r"<svg class=\"chart-svg\"[^>]*>", internal_html)
    assert len(svgs) == EXPECTED_CHARTS
    for tag in svgs:
        assert 'role="img"' in tag and "aria-labelledby=" in tag
    assert internal_html.count("<desc id=") == EXPECTED_CHARTS
    assert internal_html.count('<details class="chart-data">') == EXPECTED_CHARTS
    for code in (4, 6, 29):
        assert " - Trend</h3>" in section(internal_html, code)
    for code in (1, 2, 3, 5):
        assert " - Trend</h3>" not in section(internal_html, code)
    titles = {
        1: "CAFs started, closed and open by month",
        2: "CAFs Started During Month (via Step-Down and by Locality)",
        3: "Length of Time Open at Point of CAF Closure",
        7: "Referrals - Outcomes, by Category - per Month",
        10: "Initial Assessments Completed - Outcomes, by Category - per Month",
        16: "NOT Leading to Section 47 Investigations - Outcomes, by Category - per Month",
        18: "Reasons for CPP - by Category - per Month",
        23: "ICPCs - Outcomes, by Category - per Month",
        25: "RCPCs - Outcomes, by Category - per Month",
    }
    for code, title in titles.items():
        assert title in section(internal_html, code), code


def test_ids_are_unique(internal_html: str) -> None:
    ids = Counter(re.findall(r"\sid=\"([^\"]+)\"", internal_html))
    assert [i for i, n in ids.items() if n > 1] == []
    for ref in set(re.findall(r"url\(#([^)]+)\)", internal_html)):
        assert ids[ref] == 1, ref


def test_no_external_resources(internal_html: str, published_html: str) -> None:
    for html in (internal_html, published_html):
        assert "http://" not in html and "https://" not in html
        assert "//" not in re.sub(r"<svg.*?</svg>", "", html, flags=re.S).replace(
            "<!DOCTYPE", "")
        for target in re.findall(r"\s(?:href|src|action|poster)=\"([^\"]*)\"", html):
            assert target.startswith(("#", "mailto:")), target
        assert "<link" not in html and "<script" not in html and "<img" not in html
        assert "@import" not in html and "@font-face" not in html
        assert not re.search(r"url\((?!#)", html)


# --------------------------------------------------------------------------
# commentary
# --------------------------------------------------------------------------

def test_commentary_appears(internal_html: str) -> None:
    page1 = section(internal_html, 1)
    assert "145.98 for October 2015" in page1
    assert "<li>Half of all step-down cases were initiated in a single locality" in page1
    assert "36 cases were opened to CAF in October" in section(internal_html, 2)
    assert "<li>domestic abuse in the family home;</li>" in section(internal_html, 3)
    empty = re.search(r'<div class="comments-body">(.*?)</div>', section(internal_html, 4))
    assert empty and empty.group(1) == ""


def test_analyst_overrides_replace_the_assessment(internal_html: str) -> None:
    page6 = section(internal_html, 6)
    assert "assessment-good" in page6 and ">Met<" in page6
    assert "Analyst judgement" in page6 and "smiling face" in page6
    assert "(calculated: close)" in page6
    assert ">Met<" in section(internal_html, 7)
    page24 = section(internal_html, 24)
    assert "assessment-bad" in page24 and ">Not met<" in page24 and "frowning face" in page24
    # not overridden: calculated by the marts
    page11 = section(internal_html, 11)
    assert ">Not met<" in page11 and "Analyst judgement" not in page11


def test_comment_markup_is_escaped() -> None:
    html = str(render_comment(
        "Line with <script>alert(1)</script> & **bold** and *it*.\n\n- one\n  - nested\n- two"))
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html
    assert html.count("<ul>") == 2 and "<li>one<ul><li>nested</li></ul></li><li>two</li>" in html
    assert render_comment("   ") is None


@pytest.mark.parametrize(("entry", "message"), [
    ("{1: {assessment: good, assessment_reason: x}}", "not one of"),
    ("{1: {assessment: met}}", "needs an assessment_reason"),
    ("{30: {comment: x}}", "not 1-29"),
    ("{1: {coment: x}}", "unknown key"),
])
def test_bad_commentary_is_a_clear_error(tmp_path: Path, entry: str, message: str) -> None:
    (tmp_path / "2015-10.yml").write_text(f"indicators: {entry}\n")
    with pytest.raises(ReportError, match=message):
        load_commentary(tmp_path, date(2015, 10, 31))


def test_missing_commentary_leaves_boxes_empty(warehouse: Path, tmp_path: Path) -> None:
    html = _render(warehouse, tmp_path / "out", False, tmp_path / "no-such-folder")
    bodies = re.findall(r'<div class="comments-body">(.*?)</div>', html, flags=re.S)
    assert len(bodies) == 29 and all(b == "" for b in bodies)
    assert "Analyst judgement</span>" not in section(html, 6)


# --------------------------------------------------------------------------
# disclosure control
# --------------------------------------------------------------------------

def test_agency_count_of_three_is_suppressed_when_published(internal_html: str,
                                                             published_html: str) -> None:
    label = "Health services - Health Visitor"
    assert agency_row(internal_html, label, "October 2015") == ["3", "0.58%", "3", "100.00%"]
    assert agency_row(published_html, label, "October 2015") == ["&lt;5", "[c]", "&lt;5", "[c]"]
    # 0 is not suppressed; 5 or more is shown
    assert agency_row(published_html, "Unknown", "October 2015") == ["0", "0.00%", "0",
                                                                    "0.00%"]
    assert agency_row(published_html, "Police", "October 2015") == ["241", "46.71%", "76",
                                                                   "31.54%"]


def test_percentage_from_small_count_is_suppressed(internal_html: str,
                                                   published_html: str) -> None:
    # code 12: 3 of 98
    assert "<dd>3.06%</dd>" in section(internal_html, 12)
    assert "<dd>3.06%</dd>" not in section(published_html, 12)
    assert "<dd>[c]</dd>" in section(published_html, 12)
    # its trend: the table shows [c] and the chart says it left the point out
    assert "<td class=\"num\">[c]</td>" in section(published_html, 12)
    assert "are not drawn" in section(published_html, 12)
    assert "are not drawn" not in section(internal_html, 12)
    # code 20, Oct-14 previous value: 1 of 181
    assert '<th scope="row">Oct-14</th><td class="num">0.55%</td>' in section(internal_html, 20)
    assert '<th scope="row">Oct-14</th><td class="num">[c]</td>' in section(published_html, 20)
    # the summary follows the page
    summary = published_html[published_html.index('id="summary"'):
                             published_html.index('id="indicator-1"')]
    assert "3.06%" not in summary


def test_breakdown_small_count_is_suppressed(internal_html: str, published_html: str) -> None:
    def kington(html: str) -> list[str]:
        row = re.search(r'<th scope="row">Kington</th>(.*?)</tr>', section(html, 2))
        assert row
        return re.findall(r"<td class=\"num\">(.*?)</td>", row.group(1))

    # all CAFs started there, and those via step-down
    assert kington(internal_html) == ["4", "3"]
    # published: a small locality is not named, its CAFs are counted with other localities
    assert ">Kington<" not in section(published_html, 2)
    assert re.search(r'<th scope="row">(Other|All) localities</th>', section(published_html, 2))
    page2 = section(internal_html, 2)
    assert "Started via step-down" in page2 and "Not step-down" in page2
    assert 'class="chart chart-half"' in page2
    assert "Disclosure control." in published_html
    assert "Disclosure control." not in internal_html


def test_no_personal_data_reaches_the_report(tmp_path: Path, commentary_dir: Path) -> None:
    """Even a mart that grew personal columns leaks nothing: named columns only."""
    wh = build_fixture(tmp_path / "poisoned.duckdb")
    con = duckdb.connect(str(wh))
    for table in ("indicator_report", "indicator_values", "indicator_breakdowns",
                  "contacts_by_agency"):
        con.execute(f"alter table marts.{table} add column person_id VARCHAR "
                    "default 'PERSONID-LEAK-1'")
        con.execute(f"alter table marts.{table} add column forename VARCHAR default 'Zebedee'")
        con.execute(f"alter table marts.{table} add column postcode VARCHAR default 'HR4 9ZZ'")
        con.execute(f"alter table marts.{table} add column dob DATE default DATE '2009-02-13'")
    con.close()
    for publish in (False, True):
        html = _render(wh, tmp_path / f"out-{publish}", publish, commentary_dir)
        lowered = html.lower()
        for leak in ("personid-leak", "zebedee", "hr4 9zz", "2009-02-13", "13/02/2009",
                     "person_id", "forename", "surname", "date of birth", "postcode"):
            assert leak not in lowered, leak
        text = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
        assert not re.search(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b", text)  # UK postcode
    for columns in report_data.MART_COLUMNS.values():
        assert not {"person_id", "forename", "surname", "dob", "postcode"} & set(columns)


# --------------------------------------------------------------------------
# reading the warehouse
# --------------------------------------------------------------------------

def test_warehouse_is_opened_read_only(warehouse: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, object]] = []
    real_connect = duckdb.connect

    def spy(*args: object, **kwargs: object) -> duckdb.DuckDBPyConnection:
        calls.append(kwargs)
        return real_connect(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(report_data.duckdb, "connect", spy)
    report_data.read_marts(warehouse, AS_AT)
    assert calls and all(c.get("read_only") is True for c in calls)


def test_month_without_data_is_a_clear_error(warehouse: Path) -> None:
    with pytest.raises(ReportError, match="no rows for 2016-03-31"):
        report_data.read_marts(warehouse, date(2016, 3, 5))


def test_missing_mart_is_a_clear_error(tmp_path: Path) -> None:
    wh = build_fixture(tmp_path / "w.duckdb")
    con = duckdb.connect(str(wh))
    con.execute("drop table marts.contacts_by_agency")
    con.close()
    with pytest.raises(ReportError, match=r"marts\.contacts_by_agency is missing"):
        report_data.read_marts(wh, AS_AT)


def test_sparse_marts_still_render(tmp_path: Path, commentary_dir: Path) -> None:
    """No history for one code, no breakdowns for another, a null name: still a report."""
    wh = build_fixture(tmp_path / "sparse.duckdb")
    con = duckdb.connect(str(wh))
    con.execute("delete from marts.indicator_values where indicator_code = 14")
    con.execute("delete from marts.indicator_breakdowns where indicator_code = 7")
    con.execute("delete from marts.indicator_values where period_end < DATE '2014-06-01'")
    con.execute("update marts.indicator_report set indicator_name = null, target = null, "
                "assessment = null, direction = null where indicator_code = 11")
    con.close()
    for publish in (False, True):
        html = _render(wh, tmp_path / f"out-{publish}", publish, commentary_dir)
        assert "Referrals - Outcomes" not in section(html, 7)
        assert "Indicator 11" in section(html, 11)
        assert html.count('class="chart-svg"') == EXPECTED_CHARTS - 1


def _chart_jobs(warehouse: Path, publish: bool) -> list[charts.ChartJob]:
    """The report's first two charts of each kind (each kind draws the same way)."""
    data = disclosure.apply(report_data.read_marts(warehouse, AS_AT), publish)
    jobs = [job for _page, page_jobs in plan_pages(data, {}) for job in page_jobs]
    trend = [DailyCounts(date(2015, 10, d), d % 7, 3) for d in range(1, 32)]
    jobs.append(charts.ChartJob(area_chart, ("contacts", date(2015, 10, 31), trend)))
    kept: dict[str, list[charts.ChartJob]] = {}
    for job in jobs:
        kind = kept.setdefault(job.draw.__name__, [])
        if len(kind) < 2:
            kind.append(job)
    return [job for kind in kept.values() for job in kind]


@pytest.mark.parametrize("publish", [False, True])
def test_charts_are_the_same_without_savefigs_layout_pass(
        warehouse: Path, monkeypatch: pytest.MonkeyPatch, publish: bool) -> None:
    """charts._no_layout_pass skips the layout-only draw of bbox_inches="tight": every
    kind of chart must come out byte for byte as savefig draws it with that pass."""
    jobs = _chart_jobs(warehouse, publish)
    assert {job.draw.__name__ for job in jobs} == {
        "trend_chart", "monthly_chart", "current_month_chart", "paired_chart",
        "caf_summary_chart", "area_chart"}
    shortcut = [job.draw(*job.args) for job in jobs]
    monkeypatch.setattr(charts, "_no_layout_pass", lambda _fig: contextlib.nullcontext())
    plain = [job.draw(*job.args) for job in jobs]
    assert [c.chart_id for c in shortcut] == [c.chart_id for c in plain]
    for fast, slow in zip(shortcut, plain, strict=True):
        assert fast.svg == slow.svg, fast.chart_id


def test_charts_drawn_by_the_pool_are_the_same(warehouse: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    jobs = _chart_jobs(warehouse, True)
    monkeypatch.setattr(charts, "CHART_WORKERS", 2)
    monkeypatch.setattr(charts, "MIN_PARALLEL_CHARTS", 2)
    monkeypatch.setattr(charts.os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    assert charts._workers(len(jobs)) == 2
    pooled = charts.draw_all(jobs)
    monkeypatch.setattr(charts, "CHART_WORKERS", 1)
    assert charts._workers(len(jobs)) == 1
    assert pooled == charts.draw_all(jobs)


def test_a_warehouse_file_named_like_the_schema_works(warehouse: Path, tmp_path: Path) -> None:
    copy = tmp_path / "marts.duckdb"
    shutil.copy(warehouse, copy)
    assert len(report_data.read_marts(copy, AS_AT).report) == 29


def test_any_day_of_the_month_reports_that_month(warehouse: Path) -> None:
    assert report_data.read_marts(warehouse, date(2015, 10, 3)).period_end == date(2015, 10, 31)


def test_missing_chromium_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(report_pdf.CHROMIUM_ENV, raising=False)
    monkeypatch.setattr(report_pdf.shutil, "which", lambda _name: None)
    with pytest.raises(ReportError, match=r"scripts/setup.sh --with-browser"):
        report_pdf.find_chromium()


# --------------------------------------------------------------------------
# formatting rules
# --------------------------------------------------------------------------

def test_formatting_and_disclosure_rules() -> None:
    assert [is_small(n) for n in (None, 0, 1, 4, 5)] == [False, False, True, True, False]
    assert fmt_value(98.2558, True) == "98.26%"
    assert fmt_value(3.0612, True, "[c]") == "[c]"
    assert fmt_value(None, True) == "N/A"
    assert fmt_value(3.0, False, "<5") == "<5"
    assert fmt_value(3.0, False) == "3"
    assert fmt_value(1234.0, False) == "1,234"
    assert fmt_target(100, True) == "100%" and fmt_target(2.3, True) == "2.30%"
    assert fmt_target(None, True) == "N/A"
    assert [fmt_comparator(v) for v in (291.0, 23.4, 23.65, None)] == ["291", "23.4", "23.65",
                                                                      "N/A"]


# --------------------------------------------------------------------------
# free text from the data cannot break a chart or the page
# --------------------------------------------------------------------------

LONG_LABEL = "Very long locality name " * 12
HOSTILE_LABELS = ["$\\x$", "<script>alert(1)</script>", 'Hay & "Wye"', LONG_LABEL.strip(),
                  "Ystradgynlais – Ŵ 漢字 ☃", "--><svg onload=alert(1)>"]


@pytest.fixture(scope="module")
def hostile_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wh = build_fixture(tmp_path_factory.mktemp("hostile") / "cscperf.duckdb")
    con = duckdb.connect(str(wh))
    rows = []
    for n, label in enumerate(HOSTILE_LABELS, start=1):
        for month in (date(2015, 9, 30), AS_AT):
            rows += [(2, month, "locality", label, 100 + n, 20 + n),
                     (2, month, "step_down_locality", label, 100 + n, 10 + n),
                     (7, month, "referral_outcome", label, 100 + n, 30 + n)]
    con.executemany("insert into marts.indicator_breakdowns values (?, ?, ?, ?, ?, ?)", rows)
    con.close()
    return wh


@pytest.mark.parametrize("publish", [False, True])
def test_hostile_labels_are_shown_literally(hostile_warehouse: Path, commentary_dir: Path,
                                            tmp_path: Path, publish: bool) -> None:
    html = _render(hostile_warehouse, tmp_path / "out", publish, commentary_dir)
    page2, page7 = section(html, 2), section(html, 7)
    assert "<script" not in html and "onload" not in html.replace("onload=alert(1)&gt;", "")
    assert "<svg onload" not in html
    for page in (page2, page7):
        # the data tables print every label whole, HTML-escaped
        assert '<th scope="row">$\\x$</th>' in page or '<th scope="col" class="num">$\\x$</th>' \
            in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "Hay &amp; &#34;Wye&#34;" in page
        assert "Ystradgynlais – Ŵ 漢字 ☃" in page
        assert LONG_LABEL.strip() in page
        assert "--&gt;&lt;svg onload=alert(1)&gt;" in page
    # the charts draw them as text: a dollar sign is a dollar sign, not mathtext
    svg2 = "".join(re.findall(r"<svg class=\"chart-svg\".*?</svg>", page2, flags=re.S))
    texts = re.findall(r"<text\b[^>]*>(.*?)</text>", svg2, flags=re.S)
    assert "$\\x$" in texts
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in texts
    assert "Ystradgynlais – Ŵ 漢字 ☃" in texts
    # a very long label is cut in the chart (and printed whole in the table)
    assert not [t for t in texts if LONG_LABEL.strip() in t]
    # every chart is still one well-formed SVG element
    for svg in re.findall(r"<svg class=\"chart-svg\".*?</svg>", html, flags=re.S):
        ElementTree.fromstring(svg)
    assert any(t.startswith("Very long locality name") and t.endswith("…") for t in texts)


def test_chart_labels_are_literal_and_short() -> None:
    from cscperf.report.charts import LABEL_CHARS, chart_label

    assert chart_label("$\\x$") == "$\\x$"
    assert chart_label("a\nb\t c") == "a b c"
    assert len(chart_label("x" * 500)) == LABEL_CHARS
