"""The report as an Excel workbook (``report.xlsx``), written with xlsxwriter.

Sheets: ``Summary`` (the report's summary page), then one sheet per indicator
(``Code 1`` .. ``Code 29``) with the report's fields, previous values, target,
comparators, the monthly series, the breakdown tables, native Excel charts of
the trend and the breakdowns, code 5's agency tables and the commentary as
plain text.

Figures are numbers with number formats, never text: percentages as
fractions with ``0.00%`` (98.26% is the number 0.9826), counts ``#,##0``,
rates ``#,##0.00``. Months are dates formatted ``mmm-yy``.

Disclosure control goes through one call, :func:`_disclosed`: it returns the
marts with every figure that must not be published replaced by its symbol
(``<5`` or ``[c]``, see :mod:`cscperf.report.disclosure`). The writer prints
a symbol as text and leaves that point out of every chart (charts read their
own hidden columns, where a suppressed or missing figure is a blank cell:
a gap in a line, no bar).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from cscperf.calendar import month_end_after
from cscperf.report import disclosure, pages
from cscperf.report.commentary import IndicatorCommentary
from cscperf.report.data import AgencyRow, BreakdownCell, MartData, ValuePoint
from cscperf.report.dates import long_date, month_label, month_name
from cscperf.report.labels import (
    NO_TREND_CODES,
    PAIRED_PREFIX,
    PAIRED_SERIES,
    breakdown_kind,
    breakdown_title,
    category_label,
    dimension_sort_key,
    full_description,
    rate_label,
)
from cscperf.report.render import Preface

log = logging.getLogger("cscperf.report")

SUMMARY_SHEET = "Summary"
PCT = "0.00%"
COUNT = "#,##0"
RATE = "#,##0.00"
MONTH = "mmm-yy"
CHART_COL = 30  # first hidden column holding chart data (AE)
CHART_WIDTH, CHART_HEIGHT = 720, 300
TEXT_WIDTH = 60  # characters: column B of an indicator sheet
SUPPRESSION_NOTE = ("Figures shown as <5 or [c] are suppressed (disclosure control) and are "
                    "left out of the charts.")
_MARKDOWN = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*")

Cell = float | int | str | None  # a figure, a suppression symbol, or nothing


def sheet_name(code: int) -> str:
    return f"Code {code}"


# --------------------------------------------------------------------------
# disclosure control (one pass over the marts, before anything is written)
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Disclosed:
    """The marts as they may be shown; a suppressed figure is its symbol (str)."""

    data: MartData
    agency_totals: dict[date, AgencyRow]


def _sym(value: Any, symbol: str | None) -> Any:
    """The figure, or the symbol printed in its place."""
    return symbol if symbol is not None else value


def _count_sym(original: Any, symbol: str | None) -> Any:
    """A count hidden with its figure: ``<5`` when it is itself 1-4, else ``[c]``."""
    if symbol is None:
        return original
    small = disclosure.is_small(original)
    return disclosure.SUPPRESSED_COUNT if small else disclosure.SUPPRESSED_DERIVED


def _point(p: ValuePoint, plan: disclosure.Disclosure, code: int) -> ValuePoint:
    """``p`` as in the data before disclosure; hidden figures become their symbols."""
    value, rate = plan.value(code, p.period_end), plan.rate(code, p.period_end)
    return dataclasses.replace(
        p, value=_sym(p.value, value), numerator=_count_sym(p.numerator, value),
        denominator=_count_sym(p.denominator, value), rate_per_10k=_sym(p.rate_per_10k, rate),
        rate_numerator=_count_sym(p.rate_numerator, rate),
    )


def _report_row(row: dict[str, Any], plan: disclosure.Disclosure, code: int,
                period_end: date) -> dict[str, Any]:
    """``row`` as in the data before disclosure; hidden figures become their symbols."""
    out = dict(row)
    value = plan.value(code, period_end)
    out["value"] = _sym(row.get("value"), value)
    for key in ("numerator", "denominator"):
        out[key] = _count_sym(row.get(key), value)
    out["rate_per_10k"] = _sym(row.get("rate_per_10k"), plan.rate(code, period_end))
    for i in (1, 2):
        out[f"previous_{i}_value"] = _sym(row.get(f"previous_{i}_value"),
                                          plan.previous(code, i))
    if plan.direction_hidden(code):
        out.update(direction=None, direction_is_improvement=None)
    return out


def _agency_row(r: AgencyRow, symbol: Any) -> AgencyRow:
    columns = ("contacts", "pct_of_contacts", "progressed", "pct_progressed")
    return dataclasses.replace(r, **{c: _sym(getattr(r, c), symbol(c)) for c in columns})


def _disclosed(data: MartData, publish: bool, year_start_month: int = 1) -> Disclosed:
    """Disclosure control for every figure the workbook shows: the report's one pass
    (:func:`cscperf.report.disclosure.apply`, the same as the HTML's), with each
    hidden figure replaced by the symbol it prints as (``<5`` or ``[c]``).

    Internal (``publish=False``): every figure as it is.
    """
    shown = disclosure.apply(data, publish, year_start_month=year_start_month)
    plan = shown.disclosure
    assert plan is not None
    # symbols from the plan, figures from the data before it hid them (so that a
    # hidden count can say whether it is itself 1-4)
    values = {code: {m: _point(p, plan, code) for m, p in points.items()}
              for code, points in data.values.items()}
    report = {code: _report_row(row, plan, code, data.period_end)
              for code, row in data.report.items()}
    breakdowns = {
        code: [dataclasses.replace(c, count=_sym(c.count, plan.breakdown(
            code, c.dimension, c.period_end, c.category))) for c in cells]
        for code, cells in shown.breakdowns.items()
    }
    agency = {
        m: [_agency_row(r, lambda c, m=m, r=r: plan.agency(m, r.source_code, c))
            for r in sorted(rows, key=lambda r: r.report_order)]
        for m, rows in shown.agency.items()
    }
    totals = {
        m: _agency_row(dataclasses.replace(r, report_order=10**6, source_code="TOTAL",
                                           source_label="Total"),
                       lambda c, m=m: plan.agency_total(m, c))
        for m, r in shown.agency_totals.items()
    }
    return Disclosed(dataclasses.replace(shown, report=report, values=values,
                                         breakdowns=breakdowns, agency=agency), totals)


# --------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------

def _is_figure(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _chart_value(value: Any, scale: float = 1.0) -> float | None:
    """A chart's point: the number, or None (a blank cell) when suppressed or missing."""
    return float(value) * scale if _is_figure(value) else None


def plain_comment(text: str | None) -> str:
    """The commentary as plain text: paragraphs joined up, bullets kept as "- ", the
    little markdown (``**bold**``, ``*italic*``) dropped."""
    if not text or not text.strip():
        return ""
    lines: list[str] = []
    joinable = False
    for raw in text.strip().splitlines():
        line = raw.strip()
        if not line:
            lines.append("")
            joinable = False
        elif re.match(r"[-*]\s", line):
            indent = len(raw) - len(raw.lstrip())
            lines.append(" " * indent + "- " + line[2:].strip())
            joinable = True
        elif joinable and lines:
            lines[-1] += " " + line
        else:
            lines.append(line)
            joinable = True
    return _MARKDOWN.sub(lambda m: m.group(1) or m.group(2), "\n".join(lines))


class _Formats:
    def __init__(self, workbook: Any) -> None:
        add = workbook.add_format
        self.title = add({"bold": True, "font_size": 14, "font_color": "#1d3b5c"})
        self.heading = add({"bold": True, "font_size": 11, "font_color": "#00707a"})
        self.label = add({"bold": True, "valign": "top"})
        self.header = add({"bold": True, "bg_color": "#f3f5f7", "bottom": 1,
                           "text_wrap": True, "valign": "top"})
        self.text = add({"valign": "top"})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.note = add({"italic": True, "font_color": "#5b6770"})
        self.link = add({"font_color": "#0b5d9e", "underline": 1})
        self.symbol = add({"align": "right"})
        self.by_code = {
            PCT: add({"num_format": PCT}),
            COUNT: add({"num_format": COUNT}),
            RATE: add({"num_format": RATE}),
            "0%": add({"num_format": "0%"}),
            "General": add({"num_format": "General"}),
            MONTH: add({"num_format": MONTH, "align": "left"}),
        }
        self.total = {
            PCT: add({"num_format": PCT, "bold": True, "top": 1}),
            COUNT: add({"num_format": COUNT, "bold": True, "top": 1}),
            "text": add({"bold": True, "top": 1}),
        }


class _Writer:
    def __init__(self, workbook: Any, disclosed: Disclosed,
                 commentary: dict[int, IndicatorCommentary], front: Preface) -> None:
        self.wb = workbook
        self.d = disclosed
        self.data = disclosed.data
        self.commentary = commentary
        self.front = front
        self.f = _Formats(workbook)

    # ---- cells
    def figure(self, ws: Any, row: int, col: int, value: Any, fmt: str,
               scale: float = 1.0) -> None:
        """A number with its format, a suppression symbol as text, N/A for nothing."""
        if _is_figure(value):
            ws.write_number(row, col, float(value) * scale, self.f.by_code[fmt])
        elif isinstance(value, str) and value:
            ws.write_string(row, col, value, self.f.symbol)
        else:
            ws.write_string(row, col, "N/A", self.f.symbol)

    def value_format(self, is_pct: bool) -> tuple[str, float]:
        return (PCT, 0.01) if is_pct else (COUNT, 1.0)

    def target(self, ws: Any, row: int, col: int, target: Any, is_pct: bool) -> None:
        if not _is_figure(target):
            ws.write_string(row, col, "N/A", self.f.symbol)
        elif is_pct:
            fmt = "0%" if float(target).is_integer() else PCT
            ws.write_number(row, col, float(target) / 100, self.f.by_code[fmt])
        else:
            ws.write_number(row, col, float(target), self.f.by_code["General"])

    # ---- summary
    def summary(self) -> None:
        ws = self.wb.add_worksheet(SUMMARY_SHEET)
        front, period_end = self.front, self.data.period_end
        ws.write_string(0, 0, front.title, self.f.title)
        ws.write_string(1, 0, f"{front.organisation} - {front.directorate}")
        ws.write_string(2, 0, f"Reports were all run as at {front.as_at} and include all data "
                              f"within {front.source_system} up to and including "
                              f"{front.as_at}.", self.f.note)
        ws.write_string(3, 0, "Published edition: disclosure control on. " + SUPPRESSION_NOTE
                        if front.publish else "Internal edition: every figure shown.",
                        self.f.note)
        headers = ["Code", "Indicator", f"Value {month_label(period_end)}", "Previous",
                   "Previous value", "Direction of travel", "Target", "Overall assessment"]
        top = 5
        for col, text in enumerate(headers):
            ws.write_string(top, col, text, self.f.header)
        for i, code in enumerate(sorted(self.data.report), start=1):
            row = self.data.report[code]
            r = top + i
            is_pct = bool(row.get("is_percentage"))
            fmt, scale = self.value_format(is_pct)
            link = f"internal:'{sheet_name(code)}'!A1"
            ws.write_url(r, 0, link, self.f.link, str(code))
            ws.write_url(r, 1, link, self.f.link,
                         pages._text(row.get("indicator_name")) or f"Indicator {code}")
            self.figure(ws, r, 2, row.get("value"), fmt, scale)
            previous_1 = row.get("previous_1_period_end")
            label = month_label(previous_1) if previous_1 else "N/A"
            if row.get("previous_shows_rate"):
                ws.write_string(r, 3, f"{label} rate")
                self.figure(ws, r, 4, row.get("previous_1_value"), RATE)
            else:
                ws.write_string(r, 3, label)
                self.figure(ws, r, 4, row.get("previous_1_value"), fmt, scale)
            direction = pages._direction(row, period_end)
            ws.write_string(r, 5, direction.text if direction else "N/A")
            self.target(ws, r, 6, row.get("target"), is_pct)
            assessment = pages._assessment(row, self.commentary.get(code))
            ws.write_string(r, 7, assessment.text if assessment else "N/A")
        ws.set_column(0, 0, 7)
        ws.set_column(1, 1, 62)
        ws.set_column(2, 4, 13)
        ws.set_column(5, 5, 34)
        ws.set_column(6, 7, 20)
        ws.freeze_panes(top + 1, 0)
        ws.autofilter(top, 0, top + len(self.data.report), len(headers) - 1)
        _print_setup(ws)

    # ---- one indicator
    def indicator(self, code: int) -> None:
        row = self.data.report[code]
        period_end = self.data.period_end
        ws = self.wb.add_worksheet(sheet_name(code))
        is_pct = bool(row.get("is_percentage"))
        fmt, scale = self.value_format(is_pct)
        name = pages._text(row.get("indicator_name")) or f"Indicator {code}"
        note = self.commentary.get(code)
        ws.write_string(0, 0, f"{code}. {name}", self.f.title)
        ws.write_url(0, 3, f"internal:'{SUMMARY_SHEET}'!A1", self.f.link, "Back to summary")
        r = 2
        assessment = pages._assessment(row, note)
        direction = pages._direction(row, period_end)
        text_fields = [
            ("Responsible officer", pages._text(row.get("responsible_officer"))),
            ("Full description", full_description(
                pages._text(row.get("full_description_template")), period_end)),
            ("Measure", pages._text(row.get("measure")) or "N/A"),
            ("Indicator guide", pages._text(row.get("indicator_guide"))),
            ("Last update", month_name(period_end)),
        ]
        for label, text in text_fields:
            ws.write_string(r, 0, label, self.f.label)
            ws.write_string(r, 1, text, self.f.wrap)
            _fit_row(ws, r, text, TEXT_WIDTH)
            r += 1
        ws.write_string(r, 0, "Current value", self.f.label)
        self.figure(ws, r, 1, row.get("value"), fmt, scale)
        r += 1
        for label, key in (("Numerator", "numerator"), ("Denominator", "denominator")):
            if row.get(key) is not None:
                ws.write_string(r, 0, label, self.f.label)
                self.figure(ws, r, 1, row.get(key), COUNT)
                r += 1
        ws.write_string(r, 0, rate_label(row.get("rate_basis")), self.f.label)
        self.figure(ws, r, 1, row.get("rate_per_10k"), RATE)
        r += 1
        ws.write_string(r, 0, "Target", self.f.label)
        self.target(ws, r, 1, row.get("target"), is_pct)
        r += 1
        ws.write_string(r, 0, "Overall assessment", self.f.label)
        text = assessment.text if assessment else "N/A"
        if assessment is not None and assessment.is_override:
            text += f" (analyst's assessment: {assessment.reason or 'no reason given'})"
        ws.write_string(r, 1, text, self.f.wrap)
        _fit_row(ws, r, text, TEXT_WIDTH)
        r += 1
        ws.write_string(r, 0, "Direction of travel", self.f.label)
        ws.write_string(r, 1, direction.text if direction else "N/A")
        r += 1
        ws.write_string(r, 0, "Measure period", self.f.label)
        ws.write_string(r, 1, pages._text(row.get("measure_period")) or "N/A")
        r += 2
        # previous values
        ws.write_string(r, 0, "Previous values", self.f.heading)
        if row.get("previous_shows_rate"):
            ws.write_string(r, 1, "Previous values are rates per 10,000.", self.f.note)
        r += 1
        for i in (1, 2):
            month = row.get(f"previous_{i}_period_end")
            label = month_label(month) if month else "N/A"
            ws.write_string(r, 0, label, self.f.label)
            if row.get("previous_shows_rate"):
                self.figure(ws, r, 1, row.get(f"previous_{i}_value"), RATE)
            else:
                self.figure(ws, r, 1, row.get(f"previous_{i}_value"), fmt, scale)
            r += 1
        r += 1
        ws.write_string(r, 0, "Comparators", self.f.heading)
        ws.write_string(r, 1, "Period", self.f.header)
        ws.write_string(r, 2, "Value", self.f.header)
        r += 1
        for comparator in self.data.comparators.get(code, []):
            ws.write_string(r, 0, comparator.name, self.f.label)
            ws.write_string(r, 1, pages._text(comparator.period_label) or "N/A")
            self.figure(ws, r, 2, comparator.value, "General")
            r += 1
        r += 1
        ws.write_string(r, 0, "Comments", self.f.heading)
        r += 1
        comment = plain_comment(note.comment if note else None)
        ws.merge_range(r, 0, r, 5, comment or "No commentary this month.", self.f.wrap)
        _fit_row(ws, r, comment or "-", TEXT_WIDTH + 34 + 4 * 11, minimum=2)
        r += 2
        if self.front.publish:
            ws.write_string(r, 0, SUPPRESSION_NOTE, self.f.note)
            r += 2
        charts = _ChartArea(ws, self, code)
        if code not in NO_TREND_CODES:
            r = charts.trend(r, name, is_pct, row.get("target"))
        r = self.breakdowns(ws, charts, code, name, r)
        if code == 5:
            r = self.agency_tables(ws, r)
        r = self.series(ws, code, is_pct, r)
        ws.set_column(0, 0, 34)
        ws.set_column(1, 1, TEXT_WIDTH)
        ws.set_column(2, 16, 11)
        ws.set_column(CHART_COL, CHART_COL + 60, None, None, {"hidden": True})
        _print_setup(ws)

    def series(self, ws: Any, code: int, is_pct: bool, r: int) -> int:
        """The monthly series: every month read (37), oldest first."""
        fmt, scale = self.value_format(is_pct)
        ws.write_string(r, 0, "Monthly series", self.f.heading)
        r += 1
        for col, text in enumerate(["Month", "Value", "Numerator", "Denominator",
                                    "Rate per 10,000"]):
            ws.write_string(r, col, text, self.f.header)
        for month, p in sorted(self.data.values.get(code, {}).items()):
            r += 1
            ws.write_datetime(r, 0, _datetime(month), self.f.by_code[MONTH])
            self.figure(ws, r, 1, p.value, fmt, scale)
            for col, v in ((2, p.numerator), (3, p.denominator)):
                if v is None:
                    ws.write_blank(r, col, None)
                else:
                    self.figure(ws, r, col, v, COUNT)
            if p.rate_per_10k is None:
                ws.write_blank(r, 4, None)
            else:
                self.figure(ws, r, 4, p.rate_per_10k, RATE)
        return r + 2

    def breakdowns(self, ws: Any, charts: _ChartArea, code: int, name: str, r: int) -> int:
        by_dimension: dict[str, list[BreakdownCell]] = {}
        for c in self.data.breakdowns.get(code, []):
            by_dimension.setdefault(c.dimension, []).append(c)
        paired = {d[len(PAIRED_PREFIX):]: by_dimension.pop(d) for d in list(by_dimension)
                  if d.startswith(PAIRED_PREFIX) and d[len(PAIRED_PREFIX):] in by_dimension}
        kind = breakdown_kind(code)
        period_end = self.data.period_end
        for dimension, cells in sorted(by_dimension.items(),
                                       key=lambda item: dimension_sort_key(item[0])):
            title = breakdown_title(code, dimension, name)
            if dimension in paired:
                months = [period_end]
                columns = {PAIRED_SERIES[0]: cells, PAIRED_SERIES[1]: paired[dimension]}
                style = "paired"
            else:
                months = ([month_end_after(period_end, -1), period_end] if kind == "current_month"
                          else [month_end_after(period_end, i - 12) for i in range(13)])
                columns = {}
                style = kind
            categories = _categories([*cells, *(paired.get(dimension) or [])])
            ws.write_string(r, 0, title, self.f.heading)
            r += 1
            ws.write_string(r, 0, "Category", self.f.header)
            if style == "paired":
                heads = [f"{s} ({month_label(period_end)})" for s in columns]
            else:
                heads = [month_label(m) for m in months]
            for col, text in enumerate(heads, start=1):
                ws.write_string(r, col, text, self.f.header)
            grid: list[list[Any]] = []
            for cat in categories:
                r += 1
                ws.write_string(r, 0, category_label(cat, dimension))
                if style == "paired":
                    line = [_count_of(cs, period_end, cat) for cs in columns.values()]
                else:
                    line = [_count_of(cells, m, cat) for m in months]
                for col, value in enumerate(line, start=1):
                    self.figure(ws, r, col, value, COUNT)
                grid.append(line)
            r += 2
            labels = [category_label(c, dimension) for c in categories]
            r = charts.breakdown(r, title, style, labels, heads, grid)
        return r

    def agency_tables(self, ws: Any, r: int) -> int:
        period_end = self.data.period_end
        for month in (period_end, month_end_after(period_end, -1)):
            rows = self.data.agency.get(month)
            if rows is None:
                continue
            ws.write_string(r, 0, f"Contacts received in {month_name(month)}", self.f.heading)
            r += 1
            for col, text in enumerate(["Referring agency", "Contacts", "% of contacts",
                                        "Progressed to referral", "% progressed"]):
                ws.write_string(r, col, text, self.f.header)
            for a in rows:
                r += 1
                ws.write_string(r, 0, a.source_label)
                self.figure(ws, r, 1, a.contacts, COUNT)
                self.figure(ws, r, 2, a.pct_of_contacts, PCT, 0.01)
                self.figure(ws, r, 3, a.progressed, COUNT)
                self.figure(ws, r, 4, a.pct_progressed, PCT, 0.01)
            total = self.d.agency_totals[month]
            r += 1
            ws.write_string(r, 0, total.source_label, self.f.total["text"])
            for col, value, fmt in ((1, total.contacts, COUNT), (2, total.pct_of_contacts, PCT),
                                    (3, total.progressed, COUNT), (4, total.pct_progressed, PCT)):
                scale = 0.01 if fmt == PCT else 1.0
                if _is_figure(value):
                    ws.write_number(r, col, float(value) * scale, self.f.total[fmt])
                else:
                    ws.write_string(r, col, str(value or "N/A"), self.f.total["text"])
            r += 2
        return r


def _fit_row(ws: Any, row: int, text: str, width: int, minimum: int = 1) -> None:
    """Row height for wrapped ``text`` in a column ``width`` characters wide (Excel and
    LibreOffice do not grow a row for wrapped text written by xlsxwriter)."""
    import math

    lines = sum(max(1, math.ceil(len(part) / (width * 0.95))) for part in text.split("\n"))
    lines = max(lines, minimum)
    if lines > 1:
        ws.set_row(row, 15 * lines)


def _print_setup(ws: Any) -> None:
    """A4 landscape, one page wide (as many pages down as needed)."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)


def _datetime(d: date) -> Any:
    from datetime import datetime

    return datetime(d.year, d.month, d.day)


def _categories(cells: list[BreakdownCell]) -> list[str | None]:
    order: dict[str | None, int] = {}
    for c in cells:
        order[c.category] = min(order.get(c.category, c.category_order), c.category_order)
    return sorted(order, key=lambda k: (order[k], k or ""))


def _count_of(cells: list[BreakdownCell], month: date, category: str | None) -> Any:
    for c in cells:
        if c.period_end == month and c.category == category:
            return c.count
    return 0


class _ChartArea:
    """Charts of one sheet: each reads its own block of hidden columns."""

    def __init__(self, ws: Any, writer: _Writer, code: int) -> None:
        self.ws, self.w, self.code = ws, writer, code
        self.col = CHART_COL
        self.sheet = sheet_name(code)

    def _block(self, header: list[str], categories: list[str],
               columns: list[list[float | None]]) -> tuple[int, int, int]:
        """Write a chart-data block; return (first column, first row, last row)."""
        ws, col = self.ws, self.col
        ws.write_string(0, col, "Chart data")
        for j, text in enumerate(header):
            ws.write_string(1, col + j, text)
        for i, cat in enumerate(categories):
            ws.write_string(2 + i, col, cat)
            for j, column in enumerate(columns, start=1):
                value = column[i]
                if value is None:
                    ws.write_blank(2 + i, col + j, None)
                else:
                    ws.write_number(2 + i, col + j, value)
        self.col += len(header) + 1
        return col, 2, 1 + len(categories)

    def _series(self, col: int, first: int, last: int, j: int) -> dict[str, Any]:
        return {
            "name": [self.sheet, 1, col + j],
            "categories": [self.sheet, first, col, last, col],
            "values": [self.sheet, first, col + j, last, col + j],
        }

    def _place(self, chart: Any, r: int, title: str, rows: int = 16) -> int:
        chart.set_title({"name": title, "name_font": {"size": 11}})
        chart.set_size({"width": CHART_WIDTH, "height": CHART_HEIGHT})
        chart.set_legend({"position": "bottom"})
        chart.show_blanks_as("gap")
        self.ws.insert_chart(r, 0, chart)
        return r + rows

    def trend(self, r: int, name: str, is_pct: bool, target: Any) -> int:
        period_end = self.w.data.period_end
        points = self.w.data.values.get(self.code, {})
        scale = 0.01 if is_pct else 1.0
        windows = [[month_end_after(period_end, -12 * k - 12 + i) for i in range(13)]
                   for k in range(3)]
        names = [f"{month_label(w[0])} to {month_label(w[-1])}" for w in windows]
        columns: list[list[float | None]] = []
        for window in windows:
            columns.append([_chart_value(points[m].value, scale) if m in points else None
                            for m in window])
        header = ["Month", *names]
        if _is_figure(target):
            header.append("Target")
            columns.append([float(target) * scale] * 13)
        col, first, last = self._block(header, [m.strftime("%b") for m in windows[0]],
                                       columns)
        chart = self.w.wb.add_chart({"type": "line"})
        styles = [
            {"line": {"color": "#0b5d9e", "width": 2.25},
             "marker": {"type": "circle", "size": 4, "fill": {"color": "#0b5d9e"},
                        "border": {"color": "#0b5d9e"}}},
            {"line": {"color": "#e07b00", "width": 1.5, "dash_type": "dash"}},
            {"line": {"color": "#7f8c8d", "width": 1.5, "dash_type": "round_dot"}},
            {"line": {"color": "#c0392b", "width": 1.25, "dash_type": "dash_dot"}},
        ]
        for j in range(1, len(header)):
            chart.add_series({**self._series(col, first, last, j), **styles[j - 1]})
        chart.set_y_axis({"num_format": "0%" if is_pct else "#,##0", "min": 0,
                          "name": "Percentage" if is_pct else "Number"})
        chart.set_x_axis({"name": f"Month ({names[0]}; earlier years at the same months)"})
        return self._place(chart, r, f"{name} - Trend")

    def breakdown(self, r: int, title: str, style: str, labels: list[str], heads: list[str],
                  grid: list[list[Any]]) -> int:
        wb = self.w.wb
        if style in ("current_month", "paired"):
            # categories down, one series per month (or per paired series): horizontal bars
            columns = [[_chart_value(line[j]) for line in grid] for j in range(len(heads))]
            col, first, last = self._block(["Category", *heads], labels, columns)
            chart = wb.add_chart({"type": "bar"})
            for j in range(1, len(heads) + 1):
                chart.add_series(self._series(col, first, last, j))
            chart.set_y_axis({"reverse": True})
            return self._place(chart, r, title, rows=max(16, 4 + len(labels)))
        # months across: one series per category
        columns = [[_chart_value(v) for v in line] for line in grid]
        col, first, last = self._block(["Month", *labels], heads, columns)
        if style == "caf_summary" and len(labels) > 2:
            chart = wb.add_chart({"type": "column"})
            for j in range(1, len(labels)):
                chart.add_series(self._series(col, first, last, j))
            line = wb.add_chart({"type": "line"})
            line.add_series({**self._series(col, first, last, len(labels)), "y2_axis": True,
                             "line": {"color": "#1d3b5c", "width": 2}})
            chart.combine(line)
        else:
            chart = wb.add_chart({"type": "column", "subtype": "stacked"})
            for j in range(1, len(labels) + 1):
                chart.add_series(self._series(col, first, last, j))
            chart.set_y_axis({"num_format": "#,##0", "min": 0})
        return self._place(chart, r, title)


@dataclass(frozen=True)
class PendingWorkbook:
    """A workbook written to its partial file, not yet in place (:func:`build_workbook`)."""

    partial: Path
    target: Path
    sheets: int
    period_end: date

    def commit(self) -> Path:
        """Move the workbook into place (atomically); return its path."""
        self.partial.replace(self.target)
        log.info("wrote %s (%d bytes, %d indicator sheets, as at %s)", self.target,
                 self.target.stat().st_size, self.sheets, long_date(self.period_end))
        return self.target

    def discard(self) -> None:
        """Remove the partial file (nothing, once committed)."""
        self.partial.unlink(missing_ok=True)


def build_workbook(data: MartData, commentary: dict[int, IndicatorCommentary],
                   front: Preface, target: Path, publish: bool,
                   year_start_month: int = 1) -> PendingWorkbook:
    """Write the workbook for ``target`` (report.xlsx) beside it, to be committed."""
    import xlsxwriter

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    disclosed = _disclosed(data, publish, year_start_month)
    workbook = xlsxwriter.Workbook(str(partial), {"strings_to_numbers": False,
                                                  "strings_to_urls": False,
                                                  "default_date_format": MONTH})
    workbook.set_properties({
        "title": front.title,
        "company": front.organisation,
        "comments": "internal edition" if not publish else "published edition "
                                                           "(disclosure control on)",
    })
    writer = _Writer(workbook, disclosed, commentary, front)
    writer.summary()
    for code in sorted(disclosed.data.report):
        writer.indicator(code)
    workbook.close()
    os.chmod(partial, 0o640)
    return PendingWorkbook(partial, target, len(disclosed.data.report), data.period_end)
