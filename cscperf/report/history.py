"""As reported and as now (issue 14): what the report shows of the history of its figures.

Read from ``marts.indicator_restatements`` (named columns; a warehouse
without it, from before the history, gives an empty history):

- each previous value that differs, as printed, from what the last report
  said gets the value as reported beside it, with a marker and a footnote;
- a page lists the figures restated by more than the threshold
  (``[history] restatement_threshold``);
- the summary says how many figures changed since they were last reported.

In the published edition (``--publish``) the figures as reported and as now,
and the changes, print as ``[c]`` / ``~``: which figures changed is shown,
never by how much (an earlier report's own suppression is not known here).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import duckdb

from cscperf.report.dates import month_label
from cscperf.report.formatting import fmt_rate, fmt_value

log = logging.getLogger("cscperf.report")

RESTATEMENT_COLUMNS: tuple[str, ...] = (
    "indicator_code", "period_end", "is_percentage", "reported_kind", "last_reported_value",
    "last_reported_numerator", "last_reported_denominator", "last_reported_rate_per_10k",
    "last_reported_as_at", "value_now", "numerator_now", "denominator_now",
    "rate_per_10k_now", "change_since_last", "is_restated", "restatement_threshold",
)
MARKER = "†"
HIDDEN = "[c]"  # = disclosure.SUPPRESSED_DERIVED (disclosure imports data, which imports this)
FOOTNOTE = (f"{MARKER} The figure has changed since it was last reported (the figure as "
            "reported, in brackets, with the date it was reported as at): records added "
            "late, dates corrected or records removed in the case system change past "
            "months.")


@dataclass(frozen=True)
class Restatement:
    indicator_code: int
    period_end: date
    is_percentage: bool
    reported_kind: str
    last_reported_value: float | None
    last_reported_numerator: int | None
    last_reported_denominator: int | None
    last_reported_rate_per_10k: float | None
    last_reported_as_at: date
    value_now: float | None
    numerator_now: int | None
    denominator_now: int | None
    rate_per_10k_now: float | None
    change_since_last: float | None
    is_restated: bool
    restatement_threshold: float


Restatements = dict[tuple[int, date], Restatement]


def read_restatements(con: duckdb.DuckDBPyConnection, marts: str) -> Restatements:
    """``marts.indicator_restatements`` by (code, month); empty when the mart is absent."""
    found = {c for (c,) in con.execute(
        "select column_name from information_schema.columns where table_catalog = "
        "current_database() and table_schema = 'marts' "
        "and table_name = 'indicator_restatements'").fetchall()}
    if not found:
        return {}
    missing = [c for c in RESTATEMENT_COLUMNS if c not in found]
    if missing:
        log.warning("marts.indicator_restatements lacks %s: previous values shown as now",
                    ", ".join(missing))
        return {}
    cursor = con.execute(f"select {', '.join(RESTATEMENT_COLUMNS)} "
                         f"from {marts}.indicator_restatements")
    out: Restatements = {}
    for row in cursor.fetchall():
        r = Restatement(*row)
        out[(int(r.indicator_code), r.period_end)] = replace(
            r, indicator_code=int(r.indicator_code), is_restated=bool(r.is_restated))
    return out


# --------------------------------------------------------------------------- previous values


def _as_at(r: Restatement) -> str:
    """When it was reported; a back-filled figure was never published, only known then."""
    text = f"{r.last_reported_as_at:%-d %b %Y}"
    return f"{text}, back-filled" if r.reported_kind == "backfill" else text


def _text(value: float | None, is_percentage: bool, shows_rate: bool) -> str:
    return fmt_rate(value) if shows_rate else fmt_value(value, is_percentage)


def reported_text(r: Restatement, shows_rate: bool, publish: bool) -> str:
    """The figure as last reported, as the report prints it.

    Published edition: ``[c]``. The figure may have been hidden in the report
    that printed it (secondary suppression decided on that month's data), and
    beside the figure now it would give the change: neither is shown.
    """
    if publish:
        return HIDDEN
    value = r.last_reported_rate_per_10k if shows_rate else r.last_reported_value
    return _text(value, r.is_percentage, shows_rate)


def now_text(r: Restatement, shows_rate: bool, publish: bool) -> str:
    if publish:
        return HIDDEN
    value = r.rate_per_10k_now if shows_rate else r.value_now
    return _text(value, r.is_percentage, shows_rate)


def differs(r: Restatement, shows_rate: bool, publish: bool) -> bool:
    """Whether the figure as printed now is not the figure as printed when reported
    (judged on the figures themselves, in either edition)."""
    return reported_text(r, shows_rate, False) != now_text(r, shows_rate, False)


def mark_previous(previous: list[Any], code: int, shows_rate: bool,
                  restatements: Restatements, publish: bool) -> list[Any]:
    """Each previous value that changed since reported: ``reported`` and ``marker`` set."""
    out = []
    for p in previous:
        r = restatements.get((code, p.month)) if p.month else None
        if r is not None and differs(r, shows_rate, publish):
            p = replace(p, reported=reported_text(r, shows_rate, publish),
                        reported_as_at=_as_at(r), marker=MARKER)
        out.append(p)
    return out


# --------------------------------------------------------------------------- the page


@dataclass(frozen=True)
class RestatedRow:
    code: int
    anchor: str
    name: str
    month: str
    reported: str
    reported_as_at: str
    now: str
    change: str


@dataclass(frozen=True)
class HistorySection:
    """The restatements page and the summary's sentence."""

    changed: int  # figures whose printed value moved since last reported
    restated: list[RestatedRow]
    threshold: float | None
    compared: int  # figures of earlier reports compared with now

    @property
    def sentence(self) -> str:
        if not self.compared:
            return "No earlier report is recorded in the history: nothing to compare."
        figures = "figure" if self.changed == 1 else "figures"
        return (f"{self.changed} {figures} of earlier reports changed since last reported; "
                f"{len(self.restated)} by more than the threshold (see Restatements).")


def _change(r: Restatement, publish: bool) -> str:
    """The change since reported; hidden ("~") when either side is suppressed (publish)."""
    if r.change_since_last is None:
        return "new" if r.last_reported_value is None else "no longer reported"
    if publish:  # now minus the change would give the figure as reported: hidden
        return "~"
    unit = " pts" if r.is_percentage else ""
    return f"{r.change_since_last:+,.2f}{unit}"


def history_section(restatements: Restatements, names: dict[int, str], period_end: date,
                    publish: bool) -> HistorySection:
    """Restated figures (above the threshold), newest month first; the count of changes.

    Only months up to the report month ``period_end``.
    """
    restatements = {k: r for k, r in restatements.items() if k[1] <= period_end}
    rows = []
    changed = 0
    threshold = None
    for (code, month), r in sorted(restatements.items(), key=lambda i: (-i[0][1].toordinal(),
                                                                         i[0][0])):
        threshold = r.restatement_threshold
        if differs(r, False, publish):
            changed += 1
        if not r.is_restated:
            continue
        rows.append(RestatedRow(
            code, f"indicator-{code}", names.get(code, f"Indicator {code}"), month_label(month),
            reported_text(r, False, publish), _as_at(r),
            now_text(r, False, publish), _change(r, publish)))
    return HistorySection(changed, rows, threshold, len(restatements))
