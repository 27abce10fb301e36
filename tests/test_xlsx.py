"""The report as an Excel workbook, read back with openpyxl and checked against the marts.

The fixture warehouse (tests/report_fixture.py) holds small counts on purpose
(code 12's Oct-15 numerator 3, the Health Visitor agency row 3), so publish
mode has something to suppress. A screenshot of the first sheet (its cells
laid out as an HTML table, rendered by headless Chromium) is kept for review:
``$CSCPERF_SCREENSHOT_DIR/xlsx-summary.png`` (default /tmp).
"""

from __future__ import annotations

import html
import os
import re
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pytest
from report_fixture import build_fixture
from test_report import settings_with

from cscperf.report import disclosure, render_report, render_xlsx_report
from cscperf.report.commentary import load_commentary
from cscperf.report.data import read_marts
from cscperf.report.pages import build_pages
from cscperf.report.pdf import run_chromium
from cscperf.settings import PROJECT_DIR

AS_AT = date(2015, 10, 31)
SCREENSHOT_DIR = Path(os.environ.get("CSCPERF_SCREENSHOT_DIR", "/tmp"))
COMMENTARY = PROJECT_DIR / "commentary"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("wh") / "cscperf.duckdb")


def _book(warehouse: Path, out: Path, publish: bool) -> openpyxl.Workbook:
    path = render_xlsx_report(warehouse, AS_AT, out, publish, settings_with(COMMENTARY))
    assert path == out / "report.xlsx"
    assert path.stat().st_mode & 0o777 == 0o640
    assert not list(out.glob(".*partial"))
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def internal(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    return _book(warehouse, tmp_path_factory.mktemp("internal"), False)


@pytest.fixture(scope="module")
def published(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    return _book(warehouse, tmp_path_factory.mktemp("published"), True)


def marts(warehouse: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def find_row(ws: Any, label: str, col: int = 1) -> int:
    for row in ws.iter_rows(min_col=col, max_col=col):
        if row[0].value == label:
            return row[0].row
    raise AssertionError(f"{ws.title}: no row labelled {label!r}")


def series(ws: Any) -> dict[date, tuple[Any, ...]]:
    """The sheet's monthly series: month -> (value, numerator, denominator, rate)."""
    top = find_row(ws, "Monthly series") + 2
    out = {}
    for row in ws.iter_rows(min_row=top, max_col=5, values_only=True):
        if not isinstance(row[0], datetime):
            break
        out[row[0].date()] = row[1:]
    return out


def field(ws: Any, label: str) -> Any:
    return ws.cell(find_row(ws, label), 2).value


def chart_cells(ws: Any, chart: Any) -> list[Any]:
    """The values every series of a chart (and a combined chart) reads."""
    values = []
    charts = getattr(chart, "_charts", None) or [chart]  # a combined chart lists each part
    for c in charts:
        for s in c.series:
            ref = s.val.numRef.f
            match = re.fullmatch(r"'?(.+?)'?!\$([A-Z]+)\$(\d+)(?::\$([A-Z]+)\$(\d+))?", ref)
            assert match, ref
            sheet, c1, r1, c2, r2 = match.groups()
            c2, r2 = c2 or c1, r2 or r1  # a one-point series names one cell
            assert sheet == ws.title
            for row in ws[f"{c1}{r1}:{c2}{r2}"]:
                values += [cell.value for cell in row]
    return values


# --------------------------------------------------------------------------


def test_sheets(internal: openpyxl.Workbook) -> None:
    assert internal.sheetnames == ["Summary", *[f"Code {c}" for c in range(1, 30)]]


def test_code_11_figures_equal_the_marts(internal: openpyxl.Workbook, warehouse: Path) -> None:
    ws = internal["Code 11"]
    rows = series(ws)
    mart = marts(warehouse, "select period_end, value, numerator, denominator "
                 "from marts.indicator_values where indicator_code = 11 "
                 "and period_end between date '2012-10-31' and date '2015-10-31'")
    assert len(rows) == len(mart) == 34  # the fixture starts in Jan-13
    for month, value, numerator, denominator in mart:
        got = rows[month]
        assert got[0] == pytest.approx(value / 100)  # a percentage as a fraction
        assert got[1] == numerator and got[2] == denominator
    oct15 = next(r for r in mart if r[0] == AS_AT)
    assert field(ws, "Current value") == pytest.approx(oct15[1] / 100)
    assert field(ws, "Numerator") == oct15[2]
    value_cell = ws.cell(find_row(ws, "Current value"), 2)
    assert value_cell.number_format == "0.00%"


def test_every_figure_is_a_number_with_a_format(internal: openpyxl.Workbook) -> None:
    for code in range(1, 30):
        ws = internal[f"Code {code}"]
        top = find_row(ws, "Monthly series") + 2
        for row in ws.iter_rows(min_row=top, max_col=5):
            if not isinstance(row[0].value, datetime):
                break
            assert row[0].number_format == "mmm-yy"
            for cell in row[1:]:
                if cell.value is None:
                    continue
                assert isinstance(cell.value, int | float), (code, cell.coordinate)
                assert cell.number_format in ("0.00%", "#,##0", "#,##0.00"), cell.coordinate
    summary = internal["Summary"]
    numeric = [summary.cell(r, 3).value for r in range(7, 36)]
    assert all(isinstance(v, int | float) for v in numeric)


def test_summary_equals_indicator_report(internal: openpyxl.Workbook, warehouse: Path) -> None:
    report = {c: (v, p, t) for c, v, p, t in marts(
        warehouse, "select indicator_code, value, is_percentage, target "
        "from marts.indicator_report where period_end = ?", AS_AT)}
    ws = internal["Summary"]
    seen = 0
    for row in ws.iter_rows(min_row=7, max_col=8):
        if row[0].value is None:
            break
        code = int(row[0].value)
        value, is_pct, target = report[code]
        assert row[2].value == pytest.approx(value / 100 if is_pct else value), code
        if target is not None:
            assert row[6].value == pytest.approx(target / 100 if is_pct else target)
        assert row[0].hyperlink is not None and f"Code {code}" in row[0].hyperlink.location
        seen += 1
    assert seen == 29


def test_charts_per_sheet_as_in_the_html_report(internal: openpyxl.Workbook,
                                               warehouse: Path) -> None:
    data = read_marts(warehouse, AS_AT)
    pages = build_pages(disclosure.apply(data, False),
                        load_commentary(COMMENTARY, data.period_end))
    expected = {p.code: len(p.charts) for p in pages}
    got = {code: len(internal[f"Code {code}"]._charts) for code in range(1, 30)}
    assert got == expected
    assert sum(got.values()) == 38
    assert len(internal["Summary"]._charts) == 0
    trend = internal["Code 11"]._charts[0]
    values = chart_cells(internal["Code 11"], trend)
    assert len(values) == 13 * 4  # three years and the target
    assert all(v is None or isinstance(v, float | int) for v in values)


def test_agency_tables(internal: openpyxl.Workbook, warehouse: Path) -> None:
    ws = internal["Code 5"]
    top = find_row(ws, "Contacts received in October 2015") + 2
    rows = {}
    for row in ws.iter_rows(min_row=top, max_col=5, values_only=True):
        rows[row[0]] = row[1:]
        if row[0] == "Total":
            break
    mart = marts(warehouse, "select source_label, contacts, progressed from "
                 "marts.contacts_by_agency where period_end = ?", AS_AT)
    assert len(rows) == len(mart) + 1
    for label, contacts, progressed in mart:
        assert rows[label][0] == contacts and rows[label][2] == progressed
    assert rows["Total"][0] == sum(r[1] for r in mart)
    assert rows["Total"][1] == 1.0
    assert find_row(ws, "Contacts received in September 2015")


def test_commentary_is_plain_text(internal: openpyxl.Workbook) -> None:
    ws = internal["Code 2"]
    comment = ws.cell(find_row(ws, "Comments") + 1, 1).value
    assert comment.startswith("36 cases were opened to CAF in October")
    assert "<" not in comment and "**" not in comment


def test_publish_suppresses_small_counts(published: openpyxl.Workbook,
                                        internal: openpyxl.Workbook) -> None:
    ws = published["Code 12"]
    assert field(ws, "Current value") == "[c]"
    assert field(ws, "Numerator") == "<5"
    assert field(ws, "Denominator") == "[c]"  # hidden with its figure, as in the HTML
    assert series(ws)[AS_AT][:3] == ("[c]", "<5", "[c]")
    assert field(internal["Code 12"], "Numerator") == 3
    assert internal["Code 12"].cell(find_row(internal["Code 12"], "Current value"),
                                    2).value == pytest.approx(3 / 98)
    # left out of the chart: Oct-15 is the 13th point of the current year's line
    values = chart_cells(ws, ws._charts[0])
    assert values[12] is None
    assert chart_cells(internal["Code 12"], internal["Code 12"]._charts[0])[12] == \
        pytest.approx(3 / 98)
    agency = published["Code 5"]
    row = find_row(agency, "Health services - Health Visitor")
    assert [agency.cell(row, c).value for c in range(2, 6)] == ["<5", "[c]", "<5", "[c]"]
    summary = published["Summary"]
    assert summary.cell(find_row(summary, "12"), 3).value == "[c]"
    for code in range(1, 30):
        sheet = published[f"Code {code}"]
        for chart in sheet._charts:
            assert all(not isinstance(v, str) for v in chart_cells(sheet, chart)), code
    # nothing in the published book shows a count of 1-4 as a number in a count column
    for code in range(1, 30):
        sheet = published[f"Code {code}"]
        for month, (_v, numerator, denominator, _r) in series(sheet).items():
            for n in (numerator, denominator):
                assert not (isinstance(n, int | float) and 1 <= n <= 4), (code, month)


def test_render_report_writes_the_workbook_beside_html(warehouse: Path,
                                                      tmp_path: Path) -> None:
    paths = render_report(warehouse, AS_AT, tmp_path, False, settings_with(COMMENTARY),
                          formats=("html", "xlsx"))
    assert [p.name for p in paths] == ["report.html", "report.xlsx"]
    only = render_report(warehouse, AS_AT, tmp_path / "x", False, settings_with(COMMENTARY),
                         formats=("xlsx",))
    assert [p.name for p in only] == ["report.xlsx"]
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == ["report.xlsx"]


def sheet_as_html(ws: Any) -> str:
    """The sheet's cells as an HTML table, values formatted as Excel would show them."""
    from openpyxl.utils import get_column_letter

    widths = [ws.column_dimensions[get_column_letter(c)].width or 9 for c in range(1, 9)]
    cols = "".join(f'<col style="width:{w * 7:.0f}px">' for w in widths)
    body = []
    for row in ws.iter_rows(max_col=8):
        cells = []
        for cell in row:
            value, fmt = cell.value, cell.number_format
            if value is None:
                text = ""
            elif isinstance(value, int | float) and "%" in fmt:
                text = f"{value * 100:.{2 if '.00' in fmt else 0}f}%"
            elif isinstance(value, int | float) and fmt == "#,##0":
                text = f"{value:,.0f}"
            elif isinstance(value, int | float) and fmt == "#,##0.00":
                text = f"{value:,.2f}"
            else:
                text = str(value)
            style = "font-weight:bold" if cell.font and cell.font.b else ""
            align = "right" if isinstance(value, int | float) or text in ("<5", "[c]") else "left"
            cells.append(f'<td style="{style};text-align:{align}">{html.escape(text)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        "<!doctype html><meta charset=utf-8><style>body{font:12px Calibri,Arial,sans-serif}"
        "table{border-collapse:collapse;table-layout:fixed}td{border:1px solid #d5dbe0;"
        "padding:2px 6px;white-space:nowrap;overflow:visible}</style>"
        f'<table style="width:{sum(widths) * 7:.0f}px">' + cols
        + "".join(body) + "</table>"
    )


@pytest.mark.browser
def test_screenshot_of_the_first_sheet(internal: openpyxl.Workbook, tmp_path: Path) -> None:
    assert shutil.which("chromium"), "Chromium not installed: scripts/setup.sh --with-browser"
    page = tmp_path / "summary.html"
    page.write_text(sheet_as_html(internal.worksheets[0]), encoding="utf-8")
    shot = SCREENSHOT_DIR / "xlsx-summary.png"
    shot.unlink(missing_ok=True)
    run_chromium([f"--screenshot={shot}", "--window-size=1500,900", page.as_uri()])
    assert shot.exists() and shot.stat().st_size > 10_000
