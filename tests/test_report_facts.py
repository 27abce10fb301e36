"""The report words what the marts hold as facts: labels from dates, the rate's
label from its basis, the description's month, and every comparator area the
mart lists, in its order (issue 12, item 3)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from report_fixture import build_fixture

from cscperf.report import disclosure
from cscperf.report.data import read_marts
from cscperf.report.formatting import fmt_comparator
from cscperf.report.labels import full_description, rate_label
from cscperf.report.pages import build_pages

OCT = date(2015, 10, 31)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_fixture(tmp_path_factory.mktemp("wh") / "cscperf.duckdb")
    con = duckdb.connect(str(path))
    try:  # a fourth area, first in display order; code 9's previous months moved
        con.execute("update marts.indicator_comparators set display_order = display_order + 1")
        con.execute("insert into marts.indicator_comparators select indicator_code, 'wales', "
                    "'Wales', 1, '2014/15', 12.5 from marts.indicator_report "
                    "where period_end = ? and indicator_code = 9", [OCT])
        con.execute("update marts.indicator_report set previous_1_period_end = date '2015-07-31',"
                    " previous_2_period_end = null where indicator_code = 9")
    finally:
        con.close()
    return path


def pages_of(warehouse: Path) -> dict[int, object]:
    data = disclosure.apply(read_marts(warehouse, OCT), publish=False)
    return {p.code: p for p in build_pages(data, {})}


def test_comparator_areas_come_from_the_mart_in_its_order(warehouse: Path) -> None:
    pages = pages_of(warehouse)
    assert [(c.name, c.period, c.value) for c in pages[9].comparators][:2] == [
        ("Wales", "2014/15", fmt_comparator(12.5)), ("England", "2013/14", fmt_comparator(86.0))]
    assert [c.name for c in pages[8].comparators] == [
        "England", "Statistical Neighbours", "West Midlands"]


def test_previous_labels_are_made_from_the_marts_dates(warehouse: Path) -> None:
    previous = pages_of(warehouse)[9].previous
    assert (previous[0].label, previous[0].month) == ("Jul-15", date(2015, 7, 31))
    assert (previous[1].label, previous[1].month) == ("N/A", None)


def test_rate_label_and_description_are_worded_from_facts() -> None:
    assert rate_label("ytd") == "Rate per 10,000 (YTD)"
    assert rate_label("snapshot") == rate_label(None) == "Rate per 10,000"
    assert full_description("CAFs as at {period_end}", date(2015, 9, 30)) == (
        "CAFs as at 30 September 2015")
    assert full_description("no placeholder", OCT) == "no placeholder"
