"""What the report shows of the history (issue 14): cscperf/report/history.py on its own."""

from __future__ import annotations

from datetime import date

from cscperf.report.disclosure import SUPPRESSED_DERIVED
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
    previous = [Previous("Sep-15", "23", month=SEP), Previous("Aug-15", "20", month=AUG)]
    marked = mark_previous(previous, 1, False, data, publish=False)
    assert (marked[0].marker, marked[0].reported, marked[0].reported_as_at) == (
        MARKER, "21", "30 Sep 2015")
    assert marked[1].marker == "" and marked[1].reported is None  # prints the same: no mark
    assert mark_previous(previous, 2, False, data, publish=False) == previous  # other code


def test_published_reports_say_which_figures_changed_never_by_how_much():
    """Publish: the figure as reported may have been hidden by that month's own
    disclosure control, and beside the figure now it gives the change, so the
    published edition marks a changed figure without printing either side."""
    data = {(1, SEP): restatement(1, SEP, 3, 23),
            (6, SEP): restatement(6, SEP, 30.0, 40.0, pct=True, num_then=3, num_now=4),
            (7, SEP): restatement(7, SEP, 50.0, 50.0, pct=True, restated=False)}
    count = mark_previous([Previous("Sep-15", "23", month=SEP)], 1, False, data, publish=True)[0]
    assert (count.marker, count.reported) == (MARKER, SUPPRESSED_DERIVED)
    pct = mark_previous([Previous("Sep-15", SUPPRESSED_DERIVED, month=SEP)], 6, False, data,
                        publish=True)[0]
    assert (pct.marker, pct.reported) == (MARKER, SUPPRESSED_DERIVED)
    same = mark_previous([Previous("Sep-15", "50.00%", month=SEP)], 7, False, data, publish=True)[0]
    assert same.marker == "" and same.reported is None  # unchanged: no mark
    section = history_section(data, {1: "CAFs"}, SEP, publish=True)
    assert [(r.code, r.reported, r.now, r.change) for r in section.restated] == [
        (1, SUPPRESSED_DERIVED, SUPPRESSED_DERIVED, "~"),
        (6, SUPPRESSED_DERIVED, SUPPRESSED_DERIVED, "~")]
    internal = history_section(data, {1: "CAFs"}, SEP, publish=False)
    assert [(r.code, r.reported, r.now) for r in internal.restated][:1] == [(1, "3", "23")]


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


def test_the_hidden_symbol_is_the_disclosure_symbol() -> None:
    from cscperf.report import history

    assert history.HIDDEN == SUPPRESSED_DERIVED
