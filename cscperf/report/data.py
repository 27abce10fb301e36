"""Read what the report needs from the marts (read-only, named columns only).

Only the five documented marts are read, and only the columns listed below:
none of them holds personal data, and selecting named columns means a column
added to a mart later never reaches a report by accident.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from cscperf.calendar import month_end, month_end_after
from cscperf.report.errors import ReportError
from cscperf.report.history import Restatements, read_restatements

if TYPE_CHECKING:
    from cscperf.report.disclosure import Disclosure

log = logging.getLogger("cscperf.report")

REPORT_COLUMNS: tuple[str, ...] = (
    "indicator_code", "period_end", "indicator_name", "responsible_officer",
    "full_description_template", "measure", "indicator_guide", "polarity", "is_percentage",
    "value", "numerator", "denominator", "rate_per_10k", "rate_basis", "previous_rule",
    "previous_shows_rate", "previous_1_period_end", "previous_1_value", "previous_2_period_end",
    "previous_2_value", "direction", "direction_is_improvement", "target", "assessment",
    "measure_period",
)
COMPARATOR_COLUMNS: tuple[str, ...] = (
    "indicator_code", "comparator", "comparator_name", "display_order", "period_label", "value",
)
VALUE_COLUMNS: tuple[str, ...] = (
    "indicator_code", "period_end", "value", "numerator", "denominator", "rate_per_10k",
    "rate_numerator", "is_percentage",
)
BREAKDOWN_COLUMNS: tuple[str, ...] = (
    "indicator_code", "period_end", "dimension", "category", "category_order", "count",
)
AGENCY_COLUMNS: tuple[str, ...] = (
    "period_end", "report_order", "source_code", "source_label", "contacts",
    "pct_of_contacts", "progressed", "pct_progressed",
)
MART_COLUMNS: dict[str, tuple[str, ...]] = {
    "indicator_report": REPORT_COLUMNS,
    "indicator_values": VALUE_COLUMNS,
    "indicator_breakdowns": BREAKDOWN_COLUMNS,
    "contacts_by_agency": AGENCY_COLUMNS,
    "indicator_comparators": COMPARATOR_COLUMNS,
}

# Months of history read: the trend shows 13 months and the same months of the
# two previous years (37 month ends in all).
HISTORY_MONTHS = 36
BREAKDOWN_MONTHS = 13


@dataclass(frozen=True)
class ValuePoint:
    period_end: date
    value: float | None
    numerator: int | None
    denominator: int | None
    rate_per_10k: float | None
    rate_numerator: int | None


@dataclass(frozen=True)
class BreakdownCell:
    period_end: date
    dimension: str
    category: str | None
    category_order: int
    count: int | None  # None: hidden by disclosure control


@dataclass(frozen=True)
class AgencyRow:
    report_order: int
    source_code: str
    source_label: str
    contacts: int | None  # None: hidden by disclosure control
    pct_of_contacts: float | None
    progressed: int | None
    pct_progressed: float | None


@dataclass(frozen=True)
class ComparatorValue:
    """One published comparator of an indicator (marts.indicator_comparators)."""

    comparator: str
    name: str
    period_label: str | None
    value: float | None


@dataclass(frozen=True)
class MartData:
    """Everything the report shows for one month.

    ``breakdown_totals`` ((code, dimension, month) -> count) and ``agency_totals``
    (month -> a "Total" row) are the sums of the cells as read, filled in by
    ``with_totals``; after ``cscperf.report.disclosure.apply`` a hidden figure is
    None and ``disclosure`` says what to print instead. Outputs format what
    ``apply`` returns, never the data as read.
    """

    period_end: date
    report: dict[int, dict[str, Any]]
    values: dict[int, dict[date, ValuePoint]]
    breakdowns: dict[int, list[BreakdownCell]]
    agency: dict[date, list[AgencyRow]]
    breakdown_totals: dict[tuple[int, str, date], int | None] = field(default_factory=dict)
    agency_totals: dict[date, AgencyRow] = field(default_factory=dict)
    disclosure: Disclosure | None = None
    # issue 14: marts.indicator_restatements by (code, month); empty without the mart
    restatements: Restatements = field(default_factory=dict)
    # marts.indicator_comparators by code, in display order
    comparators: dict[int, list[ComparatorValue]] = field(default_factory=dict)


TOTAL_LABEL = "Total"


def agency_total(rows: list[AgencyRow]) -> AgencyRow:
    """The table's total row: all contacts, all progressed, % progressed."""
    contacts = sum(r.contacts or 0 for r in rows)
    progressed = sum(r.progressed or 0 for r in rows)
    return AgencyRow(0, TOTAL_LABEL, TOTAL_LABEL, contacts, 100.0 if contacts else None,
                     progressed, progressed / contacts * 100 if contacts else None)


def with_totals(data: MartData) -> MartData:
    """``data`` with breakdown and agency totals computed where they are missing."""
    if data.disclosure is not None:
        return data  # already through disclosure control: totals are final
    totals = dict(data.breakdown_totals)
    if not totals:
        for code, cells in data.breakdowns.items():
            for c in cells:
                key = (code, c.dimension, c.period_end)
                totals[key] = (totals.get(key) or 0) + (c.count or 0)
    agency = dict(data.agency_totals) or {m: agency_total(rows) for m, rows in data.agency.items()}
    return dataclasses.replace(data, breakdown_totals=totals, agency_totals=agency)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _schema(con: duckdb.DuckDBPyConnection) -> str:
    """``"<catalog>".marts``: fully qualified, so a file named marts.duckdb still works."""
    row = con.execute("select current_database()").fetchone()
    catalog = str(row[0]) if row else "memory"
    return '"' + catalog.replace('"', '""') + '".marts'


def _check_marts(con: duckdb.DuckDBPyConnection, warehouse: Path) -> None:
    found: dict[str, set[str]] = {}
    for table, column in con.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_catalog = current_database() and table_schema = 'marts'"
    ).fetchall():
        found.setdefault(table, set()).add(column)
    for table, columns in MART_COLUMNS.items():
        if table not in found:
            raise ReportError(
                f"{warehouse}: table marts.{table} is missing; build the warehouse first "
                "(cscperf run ...)"
            )
        missing = [c for c in columns if c not in found[table]]
        if missing:
            raise ReportError(
                f"{warehouse}: marts.{table} lacks column(s) {', '.join(missing)} "
                "(see docs/architecture.md)"
            )


def read_marts(warehouse: Path, as_at: date) -> MartData:
    """Read the reporting month (the month containing ``as_at``) and its history."""
    warehouse = Path(warehouse)
    if not warehouse.exists():
        raise ReportError(f"warehouse {warehouse} does not exist; run the pipeline first")
    period_end = month_end(as_at)
    first = month_end_after(period_end, -HISTORY_MONTHS)
    first_breakdown = month_end_after(period_end, -(BREAKDOWN_MONTHS - 1))
    log.info("reading marts from %s for %s", warehouse, period_end.isoformat())
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        _check_marts(con, warehouse)
        marts = _schema(con)
        report_rows = _rows(
            con,
            f"select {', '.join(REPORT_COLUMNS)} from {marts}.indicator_report "
            "where period_end = ? order by indicator_code",
            [period_end],
        )
        value_rows = _rows(
            con,
            f"select {', '.join(VALUE_COLUMNS)} from {marts}.indicator_values "
            "where period_end between ? and ? order by indicator_code, period_end",
            [first, period_end],
        )
        breakdown_rows = _rows(
            con,
            f"select {', '.join(BREAKDOWN_COLUMNS)} from {marts}.indicator_breakdowns "
            "where period_end between ? and ? "
            "order by indicator_code, dimension, period_end, category_order",
            [first_breakdown, period_end],
        )
        agency_rows = _rows(
            con,
            f"select {', '.join(AGENCY_COLUMNS)} from {marts}.contacts_by_agency "
            "where period_end in (?, ?) order by period_end, report_order",
            [month_end_after(period_end, -1), period_end],
        )
        comparator_rows = _rows(
            con,
            f"select {', '.join(COMPARATOR_COLUMNS)} from {marts}.indicator_comparators "
            "order by indicator_code, display_order",
            [],
        )
        restatements = read_restatements(con, marts)  # issue 14
    finally:
        con.close()
    if not report_rows:
        raise ReportError(
            f"{warehouse}: marts.indicator_report has no rows for {period_end.isoformat()}; "
            "was the warehouse built as at a date in that month?"
        )
    report = {int(r["indicator_code"]): r for r in report_rows}
    values: dict[int, dict[date, ValuePoint]] = {}
    for r in value_rows:
        values.setdefault(int(r["indicator_code"]), {})[r["period_end"]] = ValuePoint(
            r["period_end"], r["value"], r["numerator"], r["denominator"],
            r["rate_per_10k"], r["rate_numerator"],
        )
    breakdowns: dict[int, list[BreakdownCell]] = {}
    for r in breakdown_rows:
        breakdowns.setdefault(int(r["indicator_code"]), []).append(BreakdownCell(
            r["period_end"], r["dimension"], r["category"], int(r["category_order"] or 0),
            int(r["count"] or 0),
        ))
    agency: dict[date, list[AgencyRow]] = {}
    for r in agency_rows:
        agency.setdefault(r["period_end"], []).append(AgencyRow(
            int(r["report_order"]), r["source_code"], r["source_label"], int(r["contacts"] or 0),
            r["pct_of_contacts"], int(r["progressed"] or 0), r["pct_progressed"],
        ))
    comparators: dict[int, list[ComparatorValue]] = {}
    for r in comparator_rows:
        comparators.setdefault(int(r["indicator_code"]), []).append(ComparatorValue(
            r["comparator"], r["comparator_name"], r["period_label"], r["value"],
        ))
    log.info("read %d indicators, %d values, %d breakdown cells, %d agency rows",
             len(report), len(value_rows), len(breakdown_rows), len(agency_rows))
    return with_totals(MartData(period_end, report, values, breakdowns, agency,
                                restatements=restatements, comparators=comparators))
