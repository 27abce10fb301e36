"""Work-due lists, alert summary, trend history and report charts, on a small
hand-made ``marts.work_due`` (no dbt: the mart itself is tested by its dbt unit
tests and tests/test_work_due_agreement.py)."""

from __future__ import annotations

import csv
import json
import os
import stat
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import openpyxl
import pytest

from cscperf import worklists
from cscperf.report.work_due import work_due_charts
from cscperf.work_due_trend import append_trend, read_trend, write_trend_table
from cscperf.worklists import (
    AREAS,
    COLUMNS,
    count_by_area_and_status,
    work_due_summary,
    write_work_lists,
)

AS_AT = date(2015, 10, 31)
# area, kind, record, person, team, status, due date
ITEMS = [
    ("assessments", "initial_assessment", "a1", "p1", "North", "later", date(2015, 11, 13)),
    ("assessments", "initial_assessment", "a2", "p2", "North", "overdue", date(2015, 10, 20)),
    ("assessments", "core_assessment", "a3", "p3", "South", "due_soon", date(2015, 11, 2)),
    ("assessments", "core_assessment", "a4", "p4", "North", "overdue", date(2015, 9, 1)),
    ("child_protection", "cp_visit", "c1", "p5", "Team, with a comma", "overdue",
     date(2015, 10, 30)),
    ("contacts", "contact_screening", "k1", "p6", None, "overdue", date(2015, 10, 30)),
    ("looked_after", "lac_visit", "l1", "p7", "team a", "later", date(2015, 12, 1)),
    ("looked_after", "lac_review", "l1", "p7", "Team A", "due_soon", date(2015, 11, 5)),
]


def make_warehouse(path: Path, items: list[tuple] = ITEMS, as_at: date = AS_AT) -> Path:
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema marts")
        con.execute(
            "create table marts.work_due (as_at_date date, area varchar, item_kind varchar,"
            " record_id varchar, person_id varchar, team varchar, timed_from_event varchar,"
            " timed_from_date date, limit_value integer, limit_unit varchar, due_date date,"
            " working_days_left integer, days_left integer, days_left_unit varchar,"
            " status varchar)"
        )
        for area, kind, record, person, team, status, due in items:
            left = (due - as_at).days
            con.execute(
                "insert into marts.work_due values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [as_at, area, kind, record, person, team, "referral", due - timedelta(days=14),
                 10, "working days", due, left, left, "working days", status],
            )
    finally:
        con.close()
    return path


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return make_warehouse(tmp_path / "w.duckdb")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_lists_per_team_and_all_teams_overdue_first_then_by_due_date(
    warehouse: Path, tmp_path: Path
) -> None:
    out = tmp_path / "lists" / "work_lists"
    files = write_work_lists(warehouse, out)
    stems = sorted({p.stem for p in files})
    # "Team A" and "team a" share a slug: the second gets a suffix, neither is lost
    assert stems == sorted(["all-teams", "north", "south", "team-with-a-comma",
                            "no-team-recorded", "team-a", "team-a-2"])
    assert all((out / f"{s}.csv").is_file() and (out / f"{s}.xlsx").is_file() for s in stems)
    everyone = read_csv(out / "all-teams.csv")
    order = ["a4", "a2", "k1", "c1", "a3", "l1", "a1", "l1"]  # same due date: by item kind
    assert [r["record_id"] for r in everyone] == order
    assert list(everyone[0]) == list(COLUMNS)  # ids and dates of the work only: no names
    north = read_csv(out / "north.csv")
    assert [r["record_id"] for r in north] == ["a4", "a2", "a1"]
    assert read_csv(out / "team-with-a-comma.csv")[0]["team"] == "Team, with a comma"
    book = openpyxl.load_workbook(out / "north.xlsx", read_only=True)
    assert book.sheetnames == list(AREAS)  # a sheet per area, even an empty one
    rows = list(book["assessments"].iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert [r[COLUMNS.index("record_id")] for r in rows[1:]] == ["a4", "a2", "a1"]
    assert rows[1][COLUMNS.index("due_date")].date() == date(2015, 9, 1)
    assert list(book["contacts"].iter_rows(values_only=True)) == [COLUMNS]


def test_file_and_folder_modes_whatever_the_umask(warehouse: Path, tmp_path: Path) -> None:
    old = os.umask(0o002)
    try:
        out = tmp_path / "work_lists"
        files = write_work_lists(warehouse, out)
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o750
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o640}


def test_a_rerun_replaces_the_lists_and_a_failure_leaves_them_whole(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "work_lists"
    write_work_lists(warehouse, out)
    smaller = make_warehouse(tmp_path / "w2.duckdb", ITEMS[:2])
    write_work_lists(smaller, out)
    assert sorted(p.name for p in out.iterdir()) == [
        "all-teams.csv", "all-teams.xlsx", "north.csv", "north.xlsx"]
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(path: Path, items: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(worklists, "write_workbook", broken)
    with pytest.raises(OSError):
        write_work_lists(warehouse, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_summary_counts_per_area_and_status_without_ids(warehouse: Path) -> None:
    counts = count_by_area_and_status(warehouse)
    assert counts["assessments"] == {"overdue": 2, "due_today": 0, "due_soon": 1, "later": 1}
    assert counts["looked_after"] == {"overdue": 0, "due_today": 0, "due_soon": 1, "later": 1}
    text = work_due_summary(warehouse)
    assert "- assessments: 2 / 0 / 1 / 1" in text
    assert "- child protection: 1 / 0 / 0 / 0" in text
    for _area, _kind, record, person, *_ in ITEMS:
        assert record not in text and person not in text


def test_trend_history_is_appended_and_copied_into_a_build(tmp_path: Path) -> None:
    history = tmp_path / "w.work_due_trend.jsonl"
    london = ZoneInfo("Europe/London")
    day1 = make_warehouse(tmp_path / "d1.duckdb", ITEMS, date(2015, 10, 29))
    day2 = make_warehouse(tmp_path / "d2.duckdb", ITEMS[:3], date(2015, 10, 30))
    append_trend(day1, history, date(2015, 10, 29), datetime(2015, 10, 29, 2, tzinfo=london))
    append_trend(day2, history, date(2015, 10, 30), datetime(2015, 10, 30, 2, tzinfo=london))
    with history.open("a", encoding="utf-8") as fh:
        fh.write("not json\n")  # a torn line is skipped, not fatal
    lines = history.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and json.loads(lines[0])["as_at"] == "2015-10-29"
    points = read_trend(history)
    assert len(points) == 2 * len(AREAS)
    build = make_warehouse(tmp_path / "build.duckdb", ITEMS[:1], date(2015, 10, 31))
    write_trend_table(build, history)
    con = duckdb.connect(str(build), read_only=True)
    try:
        rows = con.execute(
            "select as_at, area, overdue, due_today, due_soon from marts.work_due_trend"
            " where area = 'assessments' order by as_at"
        ).fetchall()
        total = con.execute("select count(*) from marts.work_due_trend").fetchone()[0]
    finally:
        con.close()
    assert rows == [
        (date(2015, 10, 29), "assessments", 2, 0, 1),
        (date(2015, 10, 30), "assessments", 1, 0, 1),
        (date(2015, 10, 31), "assessments", 0, 0, 0),  # the build's own day
    ]
    assert total == 3 * len(AREAS)


def test_report_charts_one_per_area_internal_only(tmp_path: Path) -> None:
    history = tmp_path / "h.jsonl"
    for day in (date(2015, 10, 29), date(2015, 10, 30)):
        append_trend(make_warehouse(tmp_path / f"{day}.duckdb", ITEMS, day), history, day)
    build = make_warehouse(tmp_path / "build.duckdb", ITEMS, date(2015, 10, 31))
    write_trend_table(build, history)
    charts = work_due_charts(build, date(2015, 10, 31), publish=False)
    assert [c.chart_id for c in charts] == [
        "work-due-contacts", "work-due-assessments", "work-due-child-protection",
        "work-due-looked-after"]
    assessments = charts[1]
    assert assessments.table.rows == [["2015-10-29", "2", "1"], ["2015-10-30", "2", "1"],
                                      ["2015-10-31", "2", "1"]]
    assert "<svg" in str(assessments.svg)
    assert work_due_charts(build, date(2015, 10, 31), publish=True) == []
    assert work_due_charts(make_warehouse(tmp_path / "none.duckdb"), AS_AT, False) == []
