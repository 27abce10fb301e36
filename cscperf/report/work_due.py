"""The report's work-due trend: a chart per area of the daily counts of overdue
and due-soon items (``marts.work_due_trend``, kept across nightly rebuilds).

Internal reports only: a published report (publish mode) leaves the section
out, as the counts are operational, not indicators, and may be small. A
warehouse without the table (no nightly run yet) gives no charts.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import matplotlib

from cscperf.report import palette
from cscperf.report.charts import (
    Chart,
    ChartJob,
    DataTable,
    _count_axis,
    _new_figure,
    _rc,
    _render,
    draw_all,
)
from cscperf.report.formatting import fmt_count

AREA_TITLES = {
    "contacts": "Contacts to screen",
    "assessments": "Assessments",
    "child_protection": "Child protection",
    "looked_after": "Looked after children",
}


@dataclass(frozen=True)
class DailyCounts:
    day: date
    overdue: int
    due_soon: int


def read_trend(warehouse: Path, period_end: date) -> dict[str, list[DailyCounts]]:
    """The month's daily counts per area (areas with no point are left out)."""
    first = period_end.replace(day=1)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        exists = con.execute(
            "select count(*) from information_schema.tables"
            " where table_schema = 'marts' and table_name = 'work_due_trend'"
        ).fetchone()
        if not exists or not exists[0]:
            return {}
        rows = con.execute(
            "select area, as_at, overdue, due_soon from marts.work_due_trend"
            " where as_at between ? and ? order by as_at",
            [first, period_end],
        ).fetchall()
    finally:
        con.close()
    by_area: dict[str, list[DailyCounts]] = {}
    for area, day, overdue, due_soon in rows:
        by_area.setdefault(area, []).append(DailyCounts(day, int(overdue), int(due_soon)))
    return by_area


def area_chart(area: str, period_end: date, points: list[DailyCounts]) -> Chart:
    """Overdue and due-soon items by day of the month, for one area."""
    chart_id = f"work-due-{area.replace('_', '-')}"
    title = f"Work due: {AREA_TITLES.get(area, area)}, {period_end:%B %Y}"
    days = calendar.monthrange(period_end.year, period_end.month)[1]
    fig = _new_figure(chart_id, 2.2)
    with matplotlib.rc_context(_rc(chart_id)):
        ax = fig.add_subplot()
        xs = [p.day.day for p in points]
        ax.plot(xs, [p.overdue for p in points], color=palette.BAD, marker="o", markersize=3,
                label="Overdue")
        ax.plot(xs, [p.due_soon for p in points], color=palette.TREND_CURRENT, marker="o",
                markersize=3, linestyle="--", label="Due soon")
        top = max([1, *(p.overdue for p in points), *(p.due_soon for p in points)])
        ax.set_ylim(0, top * 1.18)
        ax.set_xlim(0.5, days + 0.5)
        _count_axis(ax)
        ax.set_xlabel(f"Day of {period_end:%B %Y}")
        ax.set_ylabel("Open items")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=2)
    last = points[-1]
    description = (
        f"Line chart of open {AREA_TITLES.get(area, area).lower()} items by day in "
        f"{period_end:%B %Y}: overdue (solid) and due soon (dashed). Latest "
        f"({last.day.isoformat()}): {last.overdue} overdue, {last.due_soon} due soon."
    )
    rows = [[p.day.isoformat(), fmt_count(p.overdue), fmt_count(p.due_soon)] for p in points]
    table = DataTable(["Day", "Overdue", "Due soon"], rows)
    return Chart(chart_id, title, _render(fig, chart_id, title, description), table)


def work_due_jobs(warehouse: Path, period_end: date, publish: bool) -> list[ChartJob]:
    """The charts of :func:`work_due_charts`, to draw later (charts.draw_all)."""
    if publish:
        return []
    trend = read_trend(Path(warehouse), period_end)
    order = [a for a in AREA_TITLES if a in trend] + sorted(set(trend) - set(AREA_TITLES))
    return [ChartJob(area_chart, (area, period_end, trend[area])) for area in order]


def work_due_charts(warehouse: Path, period_end: date, publish: bool) -> list[Chart]:
    """A chart per area for the report's month; none in publish mode or without a trend."""
    return draw_all(work_due_jobs(warehouse, period_end, publish))
