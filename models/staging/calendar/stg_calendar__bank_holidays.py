"""Bank holidays in England and Wales, from the `holidays` package.

Not typed by hand: the package knows the regular days, substitute days and
one-off days (2012-06-04/05, 2020-05-08, 2022-06-02/03, 2022-09-19,
2023-05-08...). England and Wales share one list; `subdiv="ENG"` gives it.
"""

import datetime as dt

import holidays


def model(dbt, session):
    dbt.config(materialized="table")
    start_year = dt.date.fromisoformat(str(dbt.config.get("calendar_start"))).year
    end_year = dt.date.fromisoformat(str(dbt.config.get("calendar_end"))).year
    england = holidays.country_holidays(
        "GB", subdiv="ENG", years=range(start_year, end_year + 1), language="en_GB"
    )
    rows = sorted((day, name) for day, name in england.items())
    session.execute(
        "create or replace temp table _bank_holidays (holiday_date date, holiday_name varchar)"
    )
    if rows:
        session.executemany("insert into _bank_holidays values (?, ?)", rows)
    return session.sql(
        "select holiday_date, holiday_name from _bank_holidays order by holiday_date"
    )
