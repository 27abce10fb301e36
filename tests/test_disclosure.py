"""Disclosure control (cscperf.report.disclosure.apply) on small hand-made data.

Each rule of docs/disclosure.md: one case where it must fire and one where it
must not.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from cscperf.calendar import month_end_after as add_months
from cscperf.report import disclosure
from cscperf.report.data import AgencyRow, BreakdownCell, MartData, ValuePoint
from cscperf.report.errors import ReportError
from cscperf.report.pages import build_pages

OCT = date(2015, 10, 31)
SEP = date(2015, 9, 30)
POP = 36100


def report_row(code: int, *, pct: bool = False, basis: str | None = None,
               rule: str = "years", shows_rate: bool = False, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "indicator_code": code, "period_end": OCT, "indicator_name": f"Indicator {code}",
        "is_percentage": pct, "rate_basis": basis, "previous_rule": rule,
        "previous_shows_rate": shows_rate, "polarity": "none", "direction": None,
    }
    steps = (-12, -24) if rule == "years" else (-1, -2)  # as marts.indicator_report
    for i, step in enumerate(steps, start=1):
        row[f"previous_{i}_period_end"] = add_months(OCT, step)
    row.update(extra)
    return row


def count_points(code: int, counts: dict[date, int], basis: str | None = None
                 ) -> dict[date, ValuePoint]:
    out = {}
    for m, n in counts.items():
        rate_n = n
        if basis == "ytd":
            rate_n = sum(v for k, v in counts.items() if k.year == m.year and k <= m)
        out[m] = ValuePoint(m, float(n), n, None, rate_n * 10000 / POP if basis else None,
                            rate_n if basis else None)
    return out


def pct_points(code: int, pairs: dict[date, tuple[int, int]]) -> dict[date, ValuePoint]:
    return {m: ValuePoint(m, n / d * 100 if d else None, n, d, None, None)
            for m, (n, d) in pairs.items()}


def mart(report: dict[int, dict[str, Any]] | None = None,
         values: dict[int, dict[date, ValuePoint]] | None = None,
         breakdowns: dict[int, list[BreakdownCell]] | None = None,
         agency: dict[date, list[AgencyRow]] | None = None) -> MartData:
    values = values or {}
    report = report or {code: report_row(code) for code in values}
    return MartData(OCT, report, values, breakdowns or {}, agency or {})


def cells(code: int, dimension: str, month: date, counts: dict[str, int]) -> list[BreakdownCell]:
    return [BreakdownCell(month, dimension, cat, i, n)
            for i, (cat, n) in enumerate(counts.items(), start=1)]


def year(counts: list[int]) -> dict[date, int]:
    """Monthly counts from January 2015."""
    return {add_months(date(2015, 1, 31), i): n for i, n in enumerate(counts)}


# --------------------------------------------------------------------------
# primary suppression, internal mode
# --------------------------------------------------------------------------

def test_counts_of_one_to_four_are_hidden_and_their_rates_too() -> None:
    data = mart(report={4: report_row(4, basis="snapshot")},
                values={4: count_points(4, {SEP: 5, OCT: 3}, "snapshot")})
    out = disclosure.apply(data)
    plan = out.disclosure
    assert plan is not None and plan.publish
    assert plan.value(4, OCT) == "<5" and plan.rate(4, OCT) == "[c]"
    assert out.values[4][OCT].value is None and out.values[4][OCT].rate_per_10k is None
    assert plan.value(4, SEP) is None and out.values[4][SEP].value == 5.0
    assert out.report[4]["value"] is None


def test_zero_is_shown() -> None:
    out = disclosure.apply(mart(values={4: count_points(4, {SEP: 0, OCT: 0})}))
    assert out.disclosure is not None and out.disclosure.value(4, OCT) is None


def test_internal_mode_shows_every_figure() -> None:
    data = mart(values={4: count_points(4, {OCT: 3})},
                breakdowns={7: cells(7, "outcome", OCT, {"A": 251, "B": 1})})
    out = disclosure.apply(data, publish=False)
    assert out.disclosure is not None and not out.disclosure.publish
    assert out.disclosure.symbols == {}
    assert out.values == data.values and out.breakdowns == data.breakdowns
    assert out.breakdown_totals[(7, "outcome", OCT)] == 252


def test_apply_twice_decides_once() -> None:
    data = mart(values={4: count_points(4, {SEP: 9, OCT: 3})})
    once = disclosure.apply(data)
    assert disclosure.apply(once) is once
    internal = disclosure.apply(data, publish=False)
    again = disclosure.apply(internal)
    assert again.disclosure is not None and again.disclosure.value(4, OCT) == "<5"


def test_pages_refuse_data_that_skipped_disclosure_control() -> None:
    with pytest.raises(ReportError, match=r"disclosure\.apply"):
        build_pages(mart(values={4: count_points(4, {OCT: 30})}), {})


# --------------------------------------------------------------------------
# totals
# --------------------------------------------------------------------------

def test_one_hidden_cell_beside_a_total_hides_the_next_smallest() -> None:
    # the example: referral outcomes 251, 0, <5, 0, 0, total 252
    data = mart(breakdowns={7: cells(7, "referral_outcome", OCT,
                                     {"ASSESSMENT": 251, "NFA": 0, "SIGNPOSTED": 1,
                                      "EARLY_HELP": 0, "OTHER": 0})})
    out = disclosure.apply(data)
    plan = out.disclosure
    assert plan is not None
    assert plan.breakdown(7, "referral_outcome", OCT, "SIGNPOSTED") == "<5"
    assert plan.breakdown(7, "referral_outcome", OCT, "ASSESSMENT") == "[c]"
    assert plan.breakdown(7, "referral_outcome", OCT, "NFA") is None  # zeros stay
    assert plan.breakdown_total(7, "referral_outcome", OCT) is None
    assert out.breakdown_totals[(7, "referral_outcome", OCT)] == 252
    hidden = [c for c in out.breakdowns[7] if c.count is None]
    assert {c.category for c in hidden} == {"SIGNPOSTED", "ASSESSMENT"}


def test_no_small_cell_no_secondary_suppression() -> None:
    out = disclosure.apply(mart(breakdowns={7: cells(7, "referral_outcome", OCT,
                                                     {"A": 240, "B": 7, "C": 0, "D": 5})}))
    assert out.disclosure is not None and out.disclosure.symbols == {}


def test_two_small_cells_that_pin_each_other_get_a_third() -> None:
    # 1 + 1 = 2: both are "<5" yet the total minus the rest says each is 1
    pinned = disclosure.apply(mart(breakdowns={18: cells(18, "category", OCT,
                                                         {"A": 40, "B": 9, "C": 1, "D": 1})}))
    plan = pinned.disclosure
    assert plan is not None
    assert plan.breakdown(18, "category", OCT, "B") == "[c]"
    assert plan.breakdown(18, "category", OCT, "A") is None
    # 1 + 3 = 4 could be 2 + 2 or 3 + 1: nothing more to hide
    loose = disclosure.apply(mart(breakdowns={18: cells(18, "category", OCT,
                                                        {"A": 40, "B": 9, "C": 1, "D": 3})}))
    assert loose.disclosure is not None
    assert loose.disclosure.breakdown(18, "category", OCT, "B") is None
    assert loose.disclosure.secondary_cells == 0


def test_small_cell_beside_one_other_and_a_total_of_six() -> None:
    # 1 + 5 = 6: "[c]" is 5 or more, so "<5" = 1 would follow; a third cell is hidden
    out = disclosure.apply(mart(breakdowns={23: cells(23, "outcome", OCT,
                                                      {"PLAN": 5, "NO_PLAN": 1, "END": 20})}))
    plan = out.disclosure
    assert plan is not None
    assert plan.breakdown(23, "outcome", OCT, "END") == "[c]"


# --------------------------------------------------------------------------
# complements and pairs
# --------------------------------------------------------------------------

def test_a_percentage_whose_complement_is_small_is_hidden() -> None:
    data = mart(report={27: report_row(27, pct=True)},
                values={27: pct_points(27, {OCT: (170, 173), SEP: (150, 173)})})
    plan = disclosure.apply(data).disclosure
    assert plan is not None
    assert plan.value(27, OCT) == "[c]"  # 3 visits not within timescale
    assert plan.value(27, SEP) is None  # 23 not within timescale


def test_a_percentage_with_a_small_numerator_or_denominator_is_hidden() -> None:
    data = mart(report={12: report_row(12, pct=True)},
                values={12: pct_points(12, {OCT: (3, 98), SEP: (2, 3), date(2015, 8, 31):
                                            (30, 98)})})
    plan = disclosure.apply(data).disclosure
    assert plan is not None
    assert plan.value(12, OCT) == "[c]" and plan.value(12, SEP) == "[c]"
    assert plan.value(12, date(2015, 8, 31)) is None


def test_codes_15_and_16_are_hidden_together() -> None:
    pairs15 = {OCT: (128, 131), SEP: (70, 120), date(2015, 8, 31): (60, 100)}
    pairs16 = {m: (d - n, d) for m, (n, d) in pairs15.items()}
    data = mart(report={15: report_row(15, pct=True), 16: report_row(16, pct=True)},
                values={15: pct_points(15, pairs15), 16: pct_points(16, pairs16)})
    plan = disclosure.apply(data).disclosure
    assert plan is not None
    assert plan.value(15, OCT) == "[c]" and plan.value(16, OCT) == "[c]"
    assert plan.value(15, SEP) is None and plan.value(16, SEP) is None


def test_paired_breakdown_hides_a_small_non_step_down_count() -> None:
    every = cells(2, "lead_professional_agency", OCT, {"SCHOOL": 30, "HEALTH": 9, "MAG": 12})
    sub = cells(2, "step_down_lead_professional_agency", OCT,
                {"SCHOOL": 12, "HEALTH": 7, "MAG": 6})
    plan = disclosure.apply(mart(breakdowns={2: every + sub})).disclosure
    assert plan is not None
    # HEALTH: 9 started, 7 via step-down: 2 not via step-down would be given away
    hidden = {cat for cat in ("SCHOOL", "HEALTH", "MAG")
              if plan.breakdown(2, "step_down_lead_professional_agency", OCT, cat)
              or plan.breakdown(2, "lead_professional_agency", OCT, cat)}
    assert "HEALTH" in hidden
    fine = cells(2, "step_down_lead_professional_agency", OCT,
                 {"SCHOOL": 12, "HEALTH": 0, "MAG": 6})
    plan = disclosure.apply(mart(breakdowns={2: every + fine})).disclosure
    assert plan is not None and plan.symbols == {}


# --------------------------------------------------------------------------
# year-to-date rates, previous values, direction
# --------------------------------------------------------------------------

def test_a_ytd_rate_is_hidden_once_a_month_of_its_year_is() -> None:
    counts = year([30, 31, 3, 29, 30, 28, 35, 30, 31, 36])  # March: 3
    data = mart(report={10: report_row(10, basis="ytd")},
                values={10: count_points(10, counts, "ytd")})
    out = disclosure.apply(data)
    plan = out.disclosure
    assert plan is not None
    assert plan.value(10, date(2015, 3, 31)) == "<5"
    assert plan.rate(10, date(2015, 2, 28)) is None  # before March: shown
    for m in (date(2015, 3, 31), date(2015, 4, 30), OCT):
        assert plan.rate(10, m) == "[c]", m
    assert out.report[10]["rate_per_10k"] is None
    # the months themselves stay shown: only the rate is coarsened
    assert plan.value(10, date(2015, 4, 30)) is None


def test_a_ytd_rate_of_a_year_without_small_months_is_shown() -> None:
    data = mart(report={10: report_row(10, basis="ytd")},
                values={10: count_points(10, year([30, 31, 33, 29, 30, 28, 35, 30, 31, 36]),
                                         "ytd")})
    plan = disclosure.apply(data).disclosure
    assert plan is not None and plan.symbols == {}


def test_previous_values_follow_the_month_they_show() -> None:
    oct14 = add_months(OCT, -12)
    row = report_row(20, pct=True, previous_1_value=0.55, previous_2_value=2.0,
                     direction="level")
    data = mart(report={20: row},
                values={20: pct_points(20, {OCT: (8, 246), oct14: (1, 181),
                                            add_months(OCT, -24): (4, 200)})})
    out = disclosure.apply(data)
    plan = out.disclosure
    assert plan is not None
    assert plan.previous(20, 1) == "[c]" and out.report[20]["previous_1_value"] is None
    assert plan.previous(20, 2) == "[c]"
    # a "level" direction beside a hidden previous value would give it away
    assert plan.direction_hidden(20) and out.report[20]["direction"] is None
    shown = mart(report={20: report_row(20, pct=True, direction="level")},
                 values={20: pct_points(20, {OCT: (8, 246), oct14: (8, 246)})})
    plan = disclosure.apply(shown).disclosure
    assert plan is not None and not plan.direction_hidden(20)


def test_cafs_open_started_and_closed_cannot_be_worked_out_from_each_other() -> None:
    # open Oct = open Sep + started - closed: a small "started" must not follow
    b = (cells(1, "activity", SEP, {"started": 20, "closed": 30, "open at month end": 500})
         + cells(1, "activity", OCT, {"started": 3, "closed": 16, "open at month end": 487}))
    plan = disclosure.apply(mart(breakdowns={1: b})).disclosure
    assert plan is not None
    assert plan.breakdown(1, "activity", OCT, "started") == "<5"
    others = [plan.breakdown(1, "activity", m, c) for m, c in (
        (OCT, "closed"), (OCT, "open at month end"), (SEP, "open at month end"))]
    assert any(others)


# --------------------------------------------------------------------------
# localities
# --------------------------------------------------------------------------

def test_small_localities_are_merged_and_never_alone() -> None:
    b = (cells(2, "locality", OCT, {"Kington": 3, "Ledbury": 10, "Hereford": 40})
         + cells(2, "locality", SEP, {"Kington": 6, "Ledbury": 11, "Hereford": 38}))
    out = disclosure.apply(mart(breakdowns={2: b}))
    names = {c.category for c in out.breakdowns[2]}
    assert names == {"Hereford", "Other localities"}
    other = [c for c in out.breakdowns[2] if c.category == "Other localities" and
             c.period_end == OCT]
    assert [c.count for c in other] == [13]
    assert out.disclosure is not None
    assert out.disclosure.merged_localities[(2, "locality")] == ("Kington", "Ledbury")


def test_localities_with_no_small_count_keep_their_names() -> None:
    b = cells(2, "locality", OCT, {"Kington": 5, "Ledbury": 10, "Hereford": 40})
    out = disclosure.apply(mart(breakdowns={2: b}))
    assert {c.category for c in out.breakdowns[2]} == {"Kington", "Ledbury", "Hereford"}


def test_only_the_last_two_months_of_localities_are_published() -> None:
    b = [c for m in (add_months(OCT, -k) for k in range(4))
         for c in cells(2, "locality", m, {"Kington": 9, "Hereford": 40})]
    out = disclosure.apply(mart(breakdowns={2: b}))
    assert {c.period_end for c in out.breakdowns[2]} == {OCT, SEP}
    internal = disclosure.apply(mart(breakdowns={2: b}), publish=False)
    assert len({c.period_end for c in internal.breakdowns[2]}) == 4


# --------------------------------------------------------------------------
# contacts by agency
# --------------------------------------------------------------------------

def agency_rows(rows: list[tuple[str, int, int]]) -> list[AgencyRow]:
    total = sum(c for _s, c, _p in rows)
    return [AgencyRow(i, s, f"Source {s}", c, c / total * 100, p, p / c * 100 if c else None)
            for i, (s, c, p) in enumerate(rows, start=1)]


def test_agency_small_counts_and_complements() -> None:
    rows = agency_rows([("6", 241, 76), ("2A", 93, 55), ("3B", 3, 3), ("5A", 11, 7),
                        ("8", 40, 25)])
    out = disclosure.apply(mart(agency={OCT: rows}))
    plan = out.disclosure
    assert plan is not None
    assert plan.agency(OCT, "3B", "contacts") == "<5"
    assert plan.agency(OCT, "3B", "pct_of_contacts") == "[c]"
    # 11 contacts, 7 progressed: the 4 not progressed would follow
    assert plan.agency(OCT, "5A", "progressed") == "[c]"
    assert plan.agency(OCT, "5A", "pct_progressed") == "[c]"
    # the contacts column's only "<5" needs a partner against the total: the next smallest
    assert plan.agency(OCT, "5A", "contacts") == "[c]"
    assert plan.agency(OCT, "8", "contacts") is None
    # the progressed column now has two hidden cells (3 and 7: 10 between them, neither
    # pinned), so nothing else is hidden
    assert [s for s in ("6", "2A", "8") if plan.agency(OCT, s, "progressed")] == []
    assert plan.unresolved == ()
    assert plan.agency_total(OCT, "contacts") is None
    assert out.agency_totals[OCT].contacts == 388
    assert [r.contacts for r in out.agency[OCT] if r.source_code == "3B"] == [None]


def test_agency_without_small_counts_is_shown_whole() -> None:
    rows = agency_rows([("6", 241, 76), ("2A", 93, 55), ("8", 40, 25)])
    plan = disclosure.apply(mart(agency={OCT: rows})).disclosure
    assert plan is not None and plan.symbols == {}
