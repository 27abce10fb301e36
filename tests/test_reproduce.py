"""Reproduce the October 2015 report from the generated demo extracts.

Builds the demo extract set (``herefordshire-2015``, seed 2015), runs the whole
pipeline into a temporary warehouse once per session (``demo_warehouse`` in
conftest.py), prints the published vs
computed table and fails on any figure that is DIFFERENT (known differences,
listed in cscperf/data/published-2015-10.yml, are allowed).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cscperf.reproduce import DIFFERENT, KNOWN, MATCH, compare, format_table, load_published

AS_AT = date(2015, 10, 31)


@pytest.fixture(scope="session")
def rows(demo_warehouse: Path):
    return compare(demo_warehouse, AS_AT)


@pytest.mark.slow
def test_the_october_2015_report_is_reproduced(rows) -> None:
    table = format_table(rows)
    print(table)
    different = [r for r in rows if r.status == DIFFERENT]
    assert different == [], "\n".join(
        f"{r.item} {r.figure}: published {r.published}, computed {r.computed} {r.note}"
        for r in different
    )


@pytest.mark.slow
def test_every_known_difference_is_listed_and_every_figure_compared(rows) -> None:
    published = load_published()
    statuses = {r.status for r in rows}
    assert statuses <= {MATCH, KNOWN, DIFFERENT}
    codes = {
        int(r.item.split()[1])
        for r in rows
        if r.item.startswith("code ") and r.item.split()[1].isdigit()
    }
    # code 5 is the contacts-by-agency table, published apart from the indicators
    assert codes == {int(c) for c in published["indicators"]} | {5}
    known_codes = {
        int(r.item.split()[1]) for r in rows if r.status == KNOWN and r.item.split()[1].isdigit()
    }
    listed = {int(c) for entry in published["known_differences"] for c in entry["codes"]}
    # code 6/7/24 assessments, 1 rate, 2 previous, 12 all, 18 direction, 19 comparators, 29 previous
    assert known_codes == listed
    agency = [r for r in rows if r.item == "code 5 agency"]
    assert len(agency) == 2 * 2 * 22  # two months, contacts and progressed, 22 sources


def test_format_table_summary_line() -> None:
    from cscperf.reproduce import Row

    table = format_table(
        [
            Row("code 4", "value", 516, 516, MATCH),
            Row("code 1", "rate", 145.98, 134.9, KNOWN, "denominator"),
            Row("code 6", "value", 98.26, 97.5, DIFFERENT),
        ]
    )
    lines = table.splitlines()
    assert lines[0].split()[:5] == ["item", "figure", "published", "computed", "status"]
    assert lines[-1] == "1 match, 1 known differences, 1 different"
    assert "145.98" in table and "134.90" in table
