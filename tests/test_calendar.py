"""The working-day calendar dbt builds from the bank-holiday seed (the `holidays` package).

The dbt unit tests (models/intermediate/calendar/_calendar__models.yml) check
the index arithmetic on hand-typed bank holidays; these tests check the real
calendar: that the package gives the England and Wales bank holidays the
spec names, and the hand-worked counts on it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from cscperf.dbt_runner import run_dbt
from cscperf.settings import load_settings


@pytest.fixture(scope="module")
def calendar_db(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    db = tmp_path_factory.mktemp("calendar") / "calendar.duckdb"
    run_dbt(
        ["build", "--select", "+int_calendar__days"], Path(db), load_settings(), date(2015, 10, 31)
    )
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def working_days_between(con: duckdb.DuckDBPyConnection, start: str, end: str) -> int:
    # The same two equality joins and subtraction as macro working_days_between.
    row = con.execute(
        """
        select end_day.working_day_index - start_day.working_day_index
        from intermediate.int_calendar__days as start_day
        join intermediate.int_calendar__days as end_day on end_day.calendar_date = ?
        where start_day.calendar_date = ?
        """,
        [end, start],
    ).fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.parametrize(
    ("start", "end", "expected", "why"),
    [
        ("2015-10-02", "2015-10-05", 1, "Friday to Monday"),
        ("2015-10-05", "2015-10-05", 0, "same day"),
        ("2015-10-03", "2015-10-05", 1, "start on a Saturday"),
        ("2015-10-03", "2015-10-04", 0, "Saturday to Sunday"),
        ("2014-12-24", "2015-01-02", 4, "Christmas and New Year 2014/15"),
        ("2014-12-19", "2015-01-05", 8, "across Christmas 2014"),
        ("2015-04-02", "2015-04-07", 1, "Easter 2015: Good Friday and Easter Monday"),
        ("2015-04-03", "2015-04-07", 1, "start on Good Friday"),
        ("2015-08-28", "2015-09-01", 1, "late summer bank holiday 31 Aug 2015"),
        ("2022-09-16", "2022-09-20", 1, "state funeral 19 Sep 2022"),
        ("2023-05-05", "2023-05-09", 1, "coronation 8 May 2023"),
        ("2023-04-28", "2023-05-02", 1, "early May bank holiday 1 May 2023"),
        ("2012-06-01", "2012-06-06", 1, "Diamond Jubilee 4-5 Jun 2012"),
        ("2020-05-07", "2020-05-11", 1, "VE day moved to Fri 8 May 2020"),
        ("2015-12-24", "2015-12-29", 1, "Boxing Day substitute Mon 28 Dec 2015"),
        ("2015-10-05", "2015-10-02", -1, "end before start is negative"),
        ("2015-01-02", "2015-01-16", 10, "ten working days, no holidays"),
    ],
)
def test_working_days_between(calendar_db, start, end, expected, why):
    assert working_days_between(calendar_db, start, end) == expected, why


def test_calendar_covers_2000_to_2035(calendar_db):
    first, last, days = calendar_db.execute(
        "select min(calendar_date), max(calendar_date), count(*)"
        " from intermediate.int_calendar__days"
    ).fetchone()
    assert (first, last) == (date(2000, 1, 1), date(2035, 12, 31))
    assert days == (date(2035, 12, 31) - date(2000, 1, 1)).days + 1


def test_one_off_bank_holidays_have_names(calendar_db):
    names = dict(
        calendar_db.execute(
            "select calendar_date, bank_holiday_name from intermediate.int_calendar__days"
            " where bank_holiday_name is not null and year in (2012, 2020, 2022, 2023)"
        ).fetchall()
    )
    for day in ("2012-06-05", "2020-05-08", "2022-06-03", "2022-09-19", "2023-05-08"):
        assert date.fromisoformat(day) in names, day
