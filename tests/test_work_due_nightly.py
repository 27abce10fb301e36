"""`cscperf run --nightly` on the demo as at 2015-10-31 writes the work-due lists.

The workbook is read back with openpyxl: its sheets are the four areas, and
each sheet's rows are the mart's rows of that area, overdue first, then by
due date. The trend history gains one line.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb
import openpyxl
import pytest

from cscperf.work_due_trend import trend_path_for
from cscperf.worklists import AREAS, COLUMNS

pytestmark = pytest.mark.slow

AS_AT = "2015-10-31"


@pytest.fixture(scope="module")
def nightly(tmp_path_factory: pytest.TempPathFactory, demo_extracts: Path) -> tuple[Path, Path]:
    """``cscperf run --nightly`` on the session's demo extract set (generated once)."""
    home = tmp_path_factory.mktemp("nightly")
    extracts = demo_extracts
    warehouse = home / "warehouse" / "cscperf.duckdb"
    lists = home / "warehouse" / "work_lists"
    env = {
        **os.environ, "DO_NOT_TRACK": "1",
        "CSCPERF_PATHS__QUALITY": str(home / "quality"),
        "CSCPERF_PATHS__WORK_LISTS": str(lists),
        "PREFECT_HOME": str(home / "prefect"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "cscperf.cli", "run", "--nightly", "--extracts", str(extracts),
         "--as-at", AS_AT, "--warehouse", str(warehouse)],
        capture_output=True, text=True, env=env, timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return warehouse, lists


def mart_rows(warehouse: Path, where: str = "true") -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            f"select {', '.join(COLUMNS)} from marts.work_due where {where}"
            " order by status <> 'overdue', due_date, item_kind, record_id"
        ).fetchall()
    finally:
        con.close()


def cell(value: object) -> object:
    return value.date() if isinstance(value, datetime) else value


def test_the_workbook_has_a_sheet_per_area_matching_the_mart(nightly: tuple[Path, Path]) -> None:
    warehouse, lists = nightly
    book = openpyxl.load_workbook(lists / "all-teams.xlsx", read_only=True)
    assert book.sheetnames == list(AREAS)
    for area in AREAS:
        expected = mart_rows(warehouse, f"area = '{area}'")
        rows = [tuple(cell(v) for v in r) for r in book[area].iter_rows(values_only=True)]
        assert rows[0] == COLUMNS
        assert len(rows) - 1 == len(expected), area
        assert expected, f"the demo has open work in {area}"
        assert rows[1:4] == [tuple(v for v in r) for r in expected[:3]], area
    first = mart_rows(warehouse)[0]
    assert first[COLUMNS.index("status")] == "overdue"
    assert first[COLUMNS.index("as_at_date")] == date(2015, 10, 31)


def test_a_list_per_team_and_the_csv_matches_the_mart(nightly: tuple[Path, Path]) -> None:
    warehouse, lists = nightly
    names = sorted(p.name for p in lists.iterdir())
    assert "all-teams.csv" in names and "child-protection-team.xlsx" in names
    assert "assessment-team-north.csv" in names and "looked-after-team.csv" in names
    with (lists / "child-protection-team.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    expected = mart_rows(warehouse, "team = 'Child Protection Team'")
    assert [r["record_id"] for r in rows] == [e[COLUMNS.index("record_id")] for e in expected]
    assert {r["team"] for r in rows} == {"Child Protection Team"}


def test_the_trend_gains_a_line(nightly: tuple[Path, Path]) -> None:
    warehouse, _ = nightly
    lines = trend_path_for(warehouse).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    point = json.loads(lines[0])
    assert point["as_at"] == AS_AT
    overdue = len(mart_rows(warehouse, "area = 'assessments' and status = 'overdue'"))
    assert point["counts"]["assessments"]["overdue"] == overdue
