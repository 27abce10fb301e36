"""What the report shows of the history (issue 14): cscperf/report/history.py on its own."""

from __future__ import annotations

from datetime import date

from cscperf.report.disclosure import SUPPRESSED_COUNT, SUPPRESSED_DERIVED
from cscperf.report.history import MARKER, Restatement, history_section, mark_previous
from cscperf.report.pages import Previous

SEP, AUG, NOV = date(2015, 9, 30), date(2015, 8, 31), date(2015, 11, 30)


def restatement(code: int, month: date, then: float, now: float, pct: bool = False,
                restated: bool = True, num_then: int | None = None,
                num_now: int | None = None) -> Restatement:
    return Restatement(code, month, pct, "published", then, num_then, 10 if pct else None,
                       None, month, now, num_now, 10 if pct else None, None, now - then,
                       restated, 1.0)


def test_a_previous_value_that_changed_shows_the_figure_as_reported_with_a_marker():
    data = {(1, SEP): restatement(1, SEP, 21, 23), (1, AUG): restatement(1, AUG, 20, 20.001)}
    previous = [Previous("Sep-15", "23"), Previous("Aug-15", "20")]
    marked = mark_previous(previous, 1, False, data, publish=False)
    assert (marked[0].marker, marked[0].reported, marked[0].reported_as_at) == (
        MARKER, "21", "30 Sep 2015")
    assert marked[1].marker == "" and marked[1].reported is None  # prints the same: no mark
    assert mark_previous(previous, 2, False, data, publish=False) == previous  # other code


def test_published_reports_keep_disclosure_control_on_the_figure_as_reported():
    data = {(1, SEP): restatement(1, SEP, 3, 23),
            (6, SEP): restatement(6, SEP, 30.0, 40.0, pct=True, num_then=3, num_now=4)}
    count = mark_previous([Previous("Sep-15", "23")], 1, False, data, publish=True)[0]
    assert count.reported == SUPPRESSED_COUNT
    pct = mark_previous([Previous("Sep-15", SUPPRESSED_DERIVED)], 6, False, data,
                        publish=True)[0]
    assert pct.marker == ""  # both sides print [c]: nothing to show
    section = history_section(data, {1: "CAFs"}, SEP, publish=True)
    # listed (they moved), but the change is hidden where a side is: now - change = then
    assert [(r.code, r.reported, r.now, r.change) for r in section.restated] == [
        (1, SUPPRESSED_COUNT, "23", "~"), (6, SUPPRESSED_DERIVED, SUPPRESSED_DERIVED, "~")]


def test_the_section_lists_restated_figures_up_to_the_report_month_and_counts_changes():
    data = {(1, SEP): restatement(1, SEP, 21, 23),
            (4, SEP): restatement(4, SEP, 100, 101, restated=False),
            (4, AUG): restatement(4, AUG, 7, 7, restated=False),
            (4, NOV): restatement(4, NOV, 1, 9)}  # after the report month: left out
    section = history_section(data, {1: "CAFs open", 4: "Contacts"}, SEP, publish=False)
    assert [(r.code, r.month, r.reported, r.now, r.change) for r in section.restated] == [
        (1, "Sep-15", "21", "23", "+2.00")]
    assert section.changed == 2 and section.compared == 3
    assert section.sentence.startswith("2 figures of earlier reports changed")
    assert "1 by more than the threshold" in section.sentence
    empty = history_section({}, {}, SEP, publish=False)
    assert empty.compared == 0 and "nothing to compare" in empty.sentence
