"""What each page of the report shows: figures already formatted, charts drawn.

Pages are built from data that went through ``disclosure.apply`` (once, for
the whole report): a hidden figure is None in the data and its symbol comes
from ``data.disclosure``. The template only lays the result out.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from markupsafe import Markup

from cscperf.calendar import month_end_after
from cscperf.report import charts
from cscperf.report import history as report_history
from cscperf.report.commentary import IndicatorCommentary, render_comment
from cscperf.report.data import AgencyRow, BreakdownCell, ComparatorValue, MartData
from cscperf.report.dates import month_label, month_name
from cscperf.report.disclosure import Disclosure
from cscperf.report.errors import ReportError
from cscperf.report.formatting import (
    NOT_AVAILABLE,
    fmt_comparator,
    fmt_count,
    fmt_pct,
    fmt_rate,
    fmt_target,
    fmt_value,
    or_symbol,
)
from cscperf.report.labels import (
    NO_TREND_CODES,
    PAIRED_PREFIX,
    PAIRED_SERIES,
    breakdown_kind,
    breakdown_title,
    dimension_sort_key,
    full_description,
    rate_label,
)

log = logging.getLogger("cscperf.report")

ASSESSMENT_TEXT = {"met": "Met", "close": "Close", "not met": "Not met"}
ASSESSMENT_CLASS = {"met": "good", "close": "close", "not met": "bad"}
DIRECTION_TEXT = {"up": "Up", "down": "Down", "level": "Level"}


@dataclass(frozen=True)
class Assessment:
    status: str  # met | close | not met
    text: str
    css: str
    is_override: bool = False
    reason: str | None = None
    computed: str | None = None  # what the marts said, when overridden


@dataclass(frozen=True)
class Direction:
    direction: str  # up | down | level
    css: str  # good | bad | neutral
    text: str  # for screen readers and the summary


@dataclass(frozen=True)
class Comparator:
    name: str
    period: str
    value: str


@dataclass(frozen=True)
class Previous:
    label: str
    value: str
    # issue 14: the figure as last reported, where it differs from now
    reported: str | None = None
    reported_as_at: str = ""
    marker: str = ""
    month: date | None = None  # the month end shown (marts: previous_<i>_period_end)


@dataclass(frozen=True)
class AgencyTable:
    caption: str
    rows: list[list[str]]
    total: list[str]


@dataclass
class IndicatorPage:
    code: int
    anchor: str
    name: str
    officer: str
    full_description: str
    measure: str
    guide: str
    value: str
    rate_label: str
    rate: str
    target: str
    assessment: Assessment | None
    direction: Direction | None
    previous: list[Previous]
    previous_note: str | None
    comparators: list[Comparator]
    measure_period: str
    charts: list[charts.Chart] = field(default_factory=list)
    agency_tables: list[AgencyTable] = field(default_factory=list)
    comment: Markup | None = None


def _text(value: Any) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    return str(value).strip()


def _assessment(row: dict[str, Any], note: IndicatorCommentary | None) -> Assessment | None:
    computed = row.get("assessment")
    if note is not None and note.assessment:
        status = note.assessment
        return Assessment(status, ASSESSMENT_TEXT[status], ASSESSMENT_CLASS[status], True,
                          note.assessment_reason, computed)
    if computed in ASSESSMENT_TEXT:
        return Assessment(computed, ASSESSMENT_TEXT[computed], ASSESSMENT_CLASS[computed])
    return None


def _direction(row: dict[str, Any], period_end: date) -> Direction | None:
    direction = row.get("direction")
    if direction not in DIRECTION_TEXT:
        return None
    improvement = row.get("direction_is_improvement")
    if row.get("polarity") in (None, "none") or improvement is None:
        css, meaning = "neutral", "no polarity" if row.get("polarity") in (None, "none") else (
            "no change")
    else:
        css = "good" if improvement else "bad"
        meaning = "improvement" if improvement else "deterioration"
    if direction == "level":
        meaning = "no change" if css == "neutral" else meaning
    last_year = month_label(month_end_after(period_end, -12))
    return Direction(direction, css,
                     f"{DIRECTION_TEXT[direction]} on {last_year} ({meaning})")


def _previous(code: int, row: dict[str, Any], plan: Disclosure) -> list[Previous]:
    """The two previous values, at the month ends the mart gives."""
    shows_rate = bool(row.get("previous_shows_rate"))
    is_pct = bool(row.get("is_percentage"))
    out: list[Previous] = []
    for i in (1, 2):
        month = row.get(f"previous_{i}_period_end")
        value = row.get(f"previous_{i}_value")
        text = fmt_rate(value) if shows_rate else fmt_value(value, is_pct)
        out.append(Previous(month_label(month) if month else NOT_AVAILABLE,
                            or_symbol(plan.previous(code, i), text), month=month))
    return out


def comparators(rows: list[ComparatorValue]) -> list[Comparator]:
    """Every comparator area of the mart, in its display order."""
    return [Comparator(c.name, _text(c.period_label) or NOT_AVAILABLE,
                       fmt_comparator(c.value)) for c in rows]


def _agency_cells(r: AgencyRow, month: date, plan: Disclosure, total: bool) -> list[str]:
    def symbol(column: str) -> str | None:
        if total:
            return plan.agency_total(month, column)
        return plan.agency(month, r.source_code, column)

    pct_progressed = (r.pct_progressed if r.pct_progressed is not None
                      else 0.0 if r.contacts == 0 else None)
    pct_of_contacts = (r.pct_of_contacts if r.pct_of_contacts is not None
                       else 0.0 if r.contacts == 0 else None)
    return [
        or_symbol(symbol("contacts"), fmt_count(r.contacts)),
        or_symbol(symbol("pct_of_contacts"), fmt_pct(pct_of_contacts)),
        or_symbol(symbol("progressed"), fmt_count(r.progressed)),
        or_symbol(symbol("pct_progressed"), fmt_pct(pct_progressed)),
    ]


def _agency_table(rows: list[AgencyRow], total: AgencyRow | None, month: date,
                  plan: Disclosure) -> AgencyTable:
    body = [[r.source_label, *_agency_cells(r, month, plan, False)]
            for r in sorted(rows, key=lambda r: r.report_order)]
    if total is None:
        total_cells = [NOT_AVAILABLE] * 4
    else:
        total_cells = _agency_cells(total, month, plan, True)
        if total.contacts == 0:
            total_cells[1] = NOT_AVAILABLE
    return AgencyTable(f"Contacts received in {month_name(month)}", body, ["Total", *total_cells])


def _breakdown_charts(code: int, name: str, data: MartData, plan: Disclosure
                      ) -> list[charts.ChartJob]:
    cells = data.breakdowns.get(code, [])
    period_end = data.period_end
    by_dimension: dict[str, list[BreakdownCell]] = {}
    for c in cells:
        by_dimension.setdefault(c.dimension, []).append(c)
    kind = breakdown_kind(code)
    out: list[charts.ChartJob] = []
    paired = {d[len(PAIRED_PREFIX):]: by_dimension.pop(d) for d in list(by_dimension)
              if d.startswith(PAIRED_PREFIX) and d[len(PAIRED_PREFIX):] in by_dimension}
    ordered = sorted(by_dimension.items(), key=lambda item: dimension_sort_key(item[0]))
    for n, (dimension, dim_cells) in enumerate(ordered, start=1):
        title = breakdown_title(code, dimension, name)
        chart_id = f"c{code}-b{n}"
        if dimension in paired:
            out.append(charts.ChartJob(charts.paired_chart, (
                chart_id, title, period_end, dim_cells, paired[dimension], PAIRED_SERIES,
                plan, code)))
        elif kind == "caf_summary":
            title = f"{title} (as at {period_end.day} {month_name(period_end)})"
            out.append(charts.ChartJob(charts.caf_summary_chart, (
                chart_id, title, period_end, dim_cells, plan, code)))
        elif kind == "current_month":
            out.append(charts.ChartJob(charts.current_month_chart, (
                chart_id, title, period_end, dim_cells, plan, code)))
        else:
            out.append(charts.ChartJob(charts.monthly_chart, (
                chart_id, title, period_end, dim_cells, plan, code, data.breakdown_totals)))
    return out


def _plan(data: MartData) -> Disclosure:
    if data.disclosure is None:
        raise ReportError("internal error: report data must go through "
                          "cscperf.report.disclosure.apply before pages are built")
    return data.disclosure


def build_page(code: int, data: MartData, note: IndicatorCommentary | None) -> IndicatorPage:
    page, jobs = plan_page(code, data, note)
    page.charts = charts.draw_all(jobs)
    return page


def plan_page(code: int, data: MartData, note: IndicatorCommentary | None
              ) -> tuple[IndicatorPage, list[charts.ChartJob]]:
    """The page without its charts, and the charts to draw for it, in order."""
    plan = _plan(data)
    row = data.report[code]
    period_end = data.period_end
    points = data.values.get(code, {})
    is_pct = bool(row.get("is_percentage"))
    name = _text(row.get("indicator_name")) or f"Indicator {code}"
    rate_text = or_symbol(plan.rate(code, period_end), fmt_rate(row.get("rate_per_10k")))
    previous = _previous(code, row, plan)
    previous = report_history.mark_previous(  # issue 14: as reported beside as now
        previous, code, bool(row.get("previous_shows_rate")), data.restatements, plan.publish)
    previous_note = ("Previous values are rates per 10,000."
                     if row.get("previous_shows_rate") else None)
    page = IndicatorPage(
        code=code,
        anchor=f"indicator-{code}",
        name=name,
        officer=_text(row.get("responsible_officer")),
        full_description=full_description(_text(row.get("full_description_template")),
                                          period_end),
        measure=_text(row.get("measure")) or NOT_AVAILABLE,
        guide=_text(row.get("indicator_guide")),
        value=fmt_value(row.get("value"), is_pct, plan.value(code, period_end)),
        rate_label=rate_label(row.get("rate_basis")),
        rate=rate_text,
        target=fmt_target(row.get("target"), is_pct),
        assessment=_assessment(row, note),
        direction=_direction(row, period_end),
        previous=previous,
        previous_note=previous_note,
        comparators=comparators(data.comparators.get(code, [])),
        measure_period=_text(row.get("measure_period")) or NOT_AVAILABLE,
        comment=render_comment(note.comment) if note else None,
    )
    jobs: list[charts.ChartJob] = []
    if code not in NO_TREND_CODES:
        jobs.append(charts.ChartJob(charts.trend_chart, (
            f"c{code}-trend", f"{name} - Trend", period_end, points, is_pct, row.get("target"),
            plan, code)))
    jobs += _breakdown_charts(code, name, data, plan)
    if code == 5:
        for month in (period_end, month_end_after(period_end, -1)):
            if month in data.agency:
                page.agency_tables.append(_agency_table(
                    data.agency[month], data.agency_totals.get(month), month, plan))
            else:
                log.warning("no contacts_by_agency rows for %s", month.isoformat())
    return page, jobs


@dataclass(frozen=True)
class SummaryRow:
    code: int
    anchor: str
    name: str
    value: str
    previous_label: str
    previous: str
    direction: Direction | None
    target: str
    assessment: Assessment | None
    previous_is_rate: bool = False
    previous_marker: str = ""  # issue 14: changed since reported


def summary_row(page: IndicatorPage) -> SummaryRow:
    first = page.previous[0] if page.previous else Previous("", NOT_AVAILABLE)
    return SummaryRow(page.code, page.anchor, page.name, page.value, first.label, first.value,
                      page.direction, page.target, page.assessment,
                      previous_is_rate=page.previous_note is not None,
                      previous_marker=first.marker)


def plan_pages(data: MartData, commentary: dict[int, IndicatorCommentary]
               ) -> list[tuple[IndicatorPage, list[charts.ChartJob]]]:
    """Every indicator's page without its charts, with the charts to draw for it."""
    _plan(data)
    missing = [c for c in range(1, 30) if c not in data.report]
    if missing:
        log.warning("marts.indicator_report has no row for code(s) %s in %s",
                    ", ".join(map(str, missing)), data.period_end.isoformat())
    unused = sorted(set(commentary) - set(data.report))
    if unused:
        log.warning("commentary for code(s) %s has no indicator page", unused)
    return [plan_page(code, data, commentary.get(code)) for code in sorted(data.report)]


def draw_pages(planned: list[tuple[IndicatorPage, list[charts.ChartJob]]],
               extra: Sequence[charts.ChartJob] = ()
               ) -> tuple[list[IndicatorPage], list[charts.Chart]]:
    """Draw the planned pages' charts and ``extra`` in one go (charts.draw_all); the
    pages with their charts, and ``extra``'s charts."""
    jobs = [job for _page, page_jobs in planned for job in page_jobs]
    drawn = charts.draw_all([*jobs, *extra])
    at = 0
    pages = []
    for page, page_jobs in planned:
        page.charts = drawn[at:at + len(page_jobs)]
        at += len(page_jobs)
        pages.append(page)
    return pages, drawn[at:]


def build_pages(data: MartData, commentary: dict[int, IndicatorCommentary]
                ) -> list[IndicatorPage]:
    """Every indicator's page, from data that went through ``disclosure.apply``."""
    return draw_pages(plan_pages(data, commentary))[0]
