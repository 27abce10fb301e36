"""Published vs computed: the figures of the October 2015 report against a warehouse.

``compare(warehouse, as_at)`` reads the project's copy of the published figures
(``cscperf/data/published-2015-10.yml``) and the warehouse's marts
(``indicator_report``, ``contacts_by_agency``, ``indicator_breakdowns``) and
returns one :class:`Row` per published figure:

- per indicator: value, rate, target, measure period, officer, each previous
  value (``previous 2014-10``...), direction of travel and assessment where
  the report prints one, each comparator (value and period label);
- code 5: contacts and contacts progressed to referral per agency, for the
  as-at month and the month before;
- the facts the CAF commentary states (codes 1-3).

Numbers are compared at the report's 2 decimal places (the computed figure is
rounded to 2 dp; counts must be equal). A figure that a ``known_differences``
entry of the yml covers is ``KNOWN DIFFERENCE`` whether or not it happens to
agree; any other disagreement is ``DIFFERENT``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import yaml

from cscperf.calendar import last_month_end, month_end, month_of
from cscperf.calendar import month_key as calendar_month_key

PUBLISHED = Path(__file__).parent / "data" / "published-2015-10.yml"

MATCH = "MATCH"
KNOWN = "KNOWN DIFFERENCE"
DIFFERENT = "DIFFERENT"

# The report's arrows and faces, as the yml transcribes them.
ASSESSMENT_FACES = {"smile": "met", "frown": "not met"}


@dataclass(frozen=True)
class Row:
    item: str  # "code 6", "code 5 agency", "CAF commentary"
    figure: str  # "value", "previous 2014-10", "Police Oct-15 contacts"...
    published: Any
    computed: Any
    status: str  # MATCH | KNOWN DIFFERENCE | DIFFERENT
    note: str = ""


def load_published(path: Path = PUBLISHED) -> dict[str, Any]:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def month_key(day: date) -> str:
    """'2015-10' for any day of October 2015."""
    return calendar_month_key(month_of(day))


def label(key: str) -> str:
    """'2014-10' -> 'Oct-14', as the report labels months."""
    year, month = (int(part) for part in key.split("-"))
    return date(year, month, 1).strftime("%b-%y")


def round2(value: Any) -> Any:
    return round(float(value), 2) if isinstance(value, (int, float)) else value


def same(published: Any, computed: Any) -> bool:
    """Equal at the printed precision: numbers to 2 dp, others exactly (None = N/A)."""
    if published is None or computed is None:
        return published is None and computed is None
    if isinstance(published, (int, float)) and isinstance(computed, (int, float)):
        return abs(round(float(computed), 2) - float(published)) < 0.005
    return str(published) == str(computed)


class _Known:
    """Which figures the yml's known_differences cover, with their notes."""

    def __init__(self, entries: Iterable[dict[str, Any]]) -> None:
        self._covered: dict[tuple[int, str], str] = {}
        for entry in entries:
            for code in entry.get("codes", []):
                for figure in entry.get("figures", []):
                    self._covered[(int(code), str(figure))] = str(entry.get("note", ""))

    def note(self, code: int, figure: str) -> str | None:
        if (code, figure) in self._covered:
            return self._covered[(code, figure)]
        if (code, "all") in self._covered:
            return self._covered[(code, "all")]
        if figure.startswith("comparator ") and figure.endswith(" period"):
            return self.note(code, figure.removesuffix(" period"))
        return None


def _row(
    item: str, figure: str, published: Any, computed: Any, known_note: str | None, note: str = ""
) -> Row:
    computed = round2(computed)
    if isinstance(published, int) and isinstance(computed, float) and computed.is_integer():
        computed = int(computed)  # a count, printed as one
    if known_note is not None:
        agrees = "agrees here" if same(published, computed) else "differs"
        return Row(item, figure, published, computed, KNOWN, f"{known_note} ({agrees})")
    status = MATCH if same(published, computed) else DIFFERENT
    return Row(item, figure, published, computed, status, note)


def _fetch(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def compare(warehouse: Path, as_at: date, published_path: Path = PUBLISHED) -> list[Row]:
    """Every published figure against the warehouse built as at ``as_at``."""
    published = load_published(published_path)
    published_as_at = published["as_at"]
    if month_key(as_at) != month_key(published_as_at):
        raise ValueError(
            f"the published figures are as at {published_as_at}; "
            f"the warehouse to compare must be built for that month, not {as_at}"
        )
    period_end = month_end(as_at)
    known = _Known(published.get("known_differences", []))
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        report = {
            r["indicator_code"]: r
            for r in _fetch(
                con, "select * from marts.indicator_report where period_end = ?", [period_end]
            )
        }
        comparators: dict[int, list[dict[str, Any]]] = {}
        for r in _fetch(
            con,
            "select indicator_code, comparator, period_label, value"
            " from marts.indicator_comparators order by indicator_code, display_order",
            [],
        ):
            comparators.setdefault(int(r["indicator_code"]), []).append(r)
        agencies = _fetch(
            con,
            "select period_end, source_label, contacts, progressed from marts.contacts_by_agency"
            " where period_end in (?, ?)",
            [period_end, last_month_end(period_end)],
        )
        breakdowns = _fetch(
            con,
            "select indicator_code, period_end, dimension, category, count"
            " from marts.indicator_breakdowns where indicator_code in (1, 2, 3)"
            " and period_end between ? and ?",
            [date(period_end.year - 1, 1, 1), period_end],
        )
    finally:
        con.close()

    rows: list[Row] = []
    for code, figures in sorted(published["indicators"].items()):
        rows.extend(
            _indicator_rows(
                int(code), figures, report.get(int(code)), comparators.get(int(code), []), known
            )
        )
    rows.extend(_agency_rows(published.get("contacts_by_agency", {}), agencies, known))
    rows.extend(_commentary_rows(published.get("commentary_facts", {}), breakdowns, period_end))
    return rows


def _indicator_rows(
    code: int,
    figures: dict[str, Any],
    computed: dict[str, Any] | None,
    comparators: list[dict[str, Any]],
    known: _Known,
) -> list[Row]:
    item = f"code {code}"
    if computed is None:
        return [
            Row(
                item,
                "row",
                "present",
                None,
                DIFFERENT,
                "no row in marts.indicator_report for the month",
            )
        ]
    rows = [
        _row(item, "value", figures.get("value"), computed["value"], known.note(code, "value")),
        _row(item, "rate", figures.get("rate"), computed["rate_per_10k"], known.note(code, "rate")),
        _row(item, "target", figures.get("target"), computed["target"], known.note(code, "target")),
        _row(
            item,
            "officer",
            figures.get("officer"),
            computed["responsible_officer"],
            known.note(code, "officer"),
        ),
        _row(
            item,
            "period",
            figures.get("period"),
            computed["measure_period"],
            known.note(code, "period"),
        ),
    ]
    previous_by_month = {
        month_key(computed["previous_1_period_end"]): computed["previous_1_value"],
        month_key(computed["previous_2_period_end"]): computed["previous_2_value"],
    }
    for key, value in (figures.get("previous") or {}).items():
        figure = f"previous {key}"
        if key in previous_by_month:
            rows.append(
                _row(item, figure, value, previous_by_month[key], known.note(code, figure))
            )
        else:
            rows.append(
                Row(
                    item,
                    figure,
                    value,
                    None,
                    KNOWN if known.note(code, figure) else DIFFERENT,
                    f"the mart shows {sorted(previous_by_month)}, not {key}",
                )
            )
    if "dot" in figures:
        rows.append(
            _row(
                item,
                "direction",
                figures["dot"],
                computed["direction"],
                known.note(code, "direction"),
            )
        )
    if "assessment" in figures:
        face = figures["assessment"]
        rows.append(
            _row(
                item,
                "assessment",
                ASSESSMENT_FACES.get(face, face),
                computed["assessment"],
                known.note(code, "assessment"),
                note=f"published {face}",
            )
        )
    for area in comparators if "comparators" in figures else []:
        comparator = area["comparator"]
        period, value = figures["comparators"].get(comparator, (None, None))
        figure = f"comparator {comparator}"
        rows.append(_row(item, figure, value, area["value"], known.note(code, figure)))
        rows.append(
            _row(
                item,
                f"{figure} period",
                period,
                area["period_label"],
                known.note(code, f"{figure} period"),
            )
        )
    return rows


def _agency_rows(
    published: dict[str, dict[str, list[int]]], computed: list[dict[str, Any]], known: _Known
) -> list[Row]:
    by_key = {(month_key(r["period_end"]), r["source_label"]): r for r in computed}
    rows = []
    for key, sources in published.items():
        for source_label, (contacts, progressed) in sources.items():
            found = by_key.get((key, source_label))
            for name, value in (("contacts", contacts), ("progressed", progressed)):
                figure = f"{source_label} {label(key)} {name}"
                rows.append(
                    _row(
                        "code 5 agency",
                        figure,
                        value,
                        found[name] if found else None,
                        known.note(5, figure),
                    )
                )
    return rows


def _commentary_rows(
    facts: dict[str, Any], breakdowns: list[dict[str, Any]], period_end: date
) -> list[Row]:
    counts: dict[tuple[int, str, str | None, date], int] = {}
    for r in breakdowns:
        counts[(r["indicator_code"], r["dimension"], r["category"], r["period_end"])] = r["count"]

    def count(code: int, dimension: str, category: str | None, month: date = period_end) -> int:
        return int(counts.get((code, dimension, category, month), 0))

    def share(part: int, whole: int, places: int) -> float | None:
        return round(part / whole * 100, places) if whole else None

    started = count(1, "activity", "started")
    closed = count(1, "activity", "closed")
    step_down = count(2, "step_down", "Y")
    year_months = sorted(
        {
            r["period_end"]
            for r in breakdowns
            if r["period_end"].year == period_end.year and r["period_end"] <= period_end
        }
    )
    starts_this_year = [count(1, "activity", "started", m) for m in year_months]
    bands = {
        c: count(3, "duration_band", c)
        for c in ("0-3 months", "3-6 months", "6-12 months", "12+ months")
    }
    top_band = max(bands, key=lambda c: bands[c]) if any(bands.values()) else None
    needs_met = share(count(3, "closure_reason", "NEEDS_MET"), closed, 2)

    computed: dict[str, tuple[Any, Callable[[Any, Any], bool], str]] = {
        "caf_started_2015_10": (started, same, "CAFs started in the month"),
        "caf_started_2015_10_no_social_care": (
            count(2, "social_care_involvement", "N"),
            same,
            "started with SOCIAL_CARE_INVOLVEMENT = N",
        ),
        "caf_started_2015_09_total": (
            count(1, "activity", "started", last_month_end(period_end)),
            same,
            "CAFs started the month before",
        ),
        "caf_started_avg_2015": (
            round(sum(starts_this_year) / len(starts_this_year)) if starts_this_year else None,
            same,
            "mean monthly starts of the year to date, to the nearest whole",
        ),
        "caf_started_2015_10_school_involved_pct": (
            share(
                count(2, "lead_professional_agency", "SCHOOL")
                + count(2, "lead_professional_agency", "EARLY_YEARS"),
                started,
                1,
            ),
            same,
            "lead professional SCHOOL or EARLY_YEARS (educational settings), 1 dp",
        ),
        "caf_step_down_2015_10_school_lead_pct": (
            share(count(2, "step_down_lead_professional_agency", "SCHOOL"), step_down, 1),
            same,
            "step-down starts led by a school, 1 dp",
        ),
        "caf_step_down_2015_10_north_city_pct": (
            share(count(2, "step_down_locality", "Hereford North City"), step_down, 1),
            same,
            "step-down starts in Hereford North City, 1 dp",
        ),
        "caf_closed_2015_10_step_up": (
            count(3, "closure_reason", "STEP_UP"),
            same,
            "closed with reason STEP_UP",
        ),
        "caf_closed_2015_10_needs_met_pct_over": (
            needs_met,
            lambda p, c: c is not None and c > p,
            "closed with needs met, %: the commentary says 'over'",
        ),
        "caf_closed_2015_10_top_duration_band": (
            top_band,
            same,
            "the duration band with most closures",
        ),
    }
    rows = []
    for fact, published in facts.items():
        if fact not in computed:
            rows.append(
                Row(
                    "CAF commentary",
                    fact,
                    published,
                    None,
                    DIFFERENT,
                    "no rule to compute this fact",
                )
            )
            continue
        value, agrees, note = computed[fact]
        status = MATCH if agrees(published, value) else DIFFERENT
        rows.append(Row("CAF commentary", fact, published, round2(value), status, note))
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return "N/A"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _counts(rows: list[Row]) -> str:
    matches = sum(r.status == MATCH for r in rows)
    knowns = sum(r.status == KNOWN for r in rows)
    different = sum(r.status == DIFFERENT for r in rows)
    return f"{matches} match, {knowns} known differences, {different} different"


def format_summary(rows: list[Row], as_at: date) -> str:
    """The counts in one line, then the rows that differ (if any) as a table."""
    month = month_end(as_at).strftime("%B %Y")
    lines = [f"{month} report reproduced ({len(rows)} published figures): {_counts(rows)}"]
    different = [r for r in rows if r.status == DIFFERENT]
    if different:
        lines += ["", _aligned(different), ""]
    lines.append("(the full table, with the known differences explained: "
                 "cscperf reproduce --full)")
    return "\n".join(lines)


def format_table(rows: list[Row]) -> str:
    """An aligned text table, then 'N match, K known differences, D different'."""
    return "\n".join([_aligned(rows), "", _counts(rows)])


def _aligned(rows: list[Row]) -> str:
    header = ("item", "figure", "published", "computed", "status", "note")
    cells = [header] + [
        (r.item, r.figure, _cell(r.published), _cell(r.computed), r.status, r.note) for r in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header) - 1)]
    lines = []
    for row in cells:
        left = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
        lines.append(f"{left}  {row[-1]}".rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * 4)
    return "\n".join(lines)
