"""cscperf.calendar: the one Python calendar (months and working days)."""

from __future__ import annotations

from datetime import date

import pytest

from cscperf import calendar as cal


def test_month_arithmetic():
    assert cal.month_end(date(2016, 2, 3)) == date(2016, 2, 29)
    assert cal.month_end_after(date(2015, 10, 31), -12) == date(2014, 10, 31)
    assert cal.month_end_after(date(2015, 1, 15), -1) == date(2014, 12, 31)
    assert cal.last_month_end(date(2016, 3, 1)) == date(2016, 2, 29)
    assert cal.add_months(date(2015, 1, 31), 1) == date(2015, 2, 28)
    assert cal.add_months(date(2015, 3, 15), -3) == date(2014, 12, 15)
    assert cal.next_month((2015, 12)) == (2016, 1)
    assert cal.months_between((2015, 11), (2016, 2)) == [
        (2015, 11), (2015, 12), (2016, 1), (2016, 2)]
    assert cal.month_ends(date(2015, 11, 5), date(2016, 1, 1)) == [
        date(2015, 11, 30), date(2015, 12, 31), date(2016, 1, 31)]
    assert cal.parse_month(cal.month_key((2015, 7))) == (2015, 7)


def test_working_days_skip_weekends_bank_holidays_and_closure_days():
    plain = cal.WorkCalendar(date(2015, 1, 1), date(2016, 12, 31), closure_days=frozenset())
    # Christmas 2015: Fri 25 and Mon 28 (Boxing Day substitute) are bank holidays
    assert not plain.is_working_day(date(2015, 12, 28))
    assert plain.between(date(2015, 12, 24), date(2015, 12, 29)) == 1
    closed = cal.WorkCalendar(date(2015, 1, 1), date(2016, 12, 31),
                              closure_days=frozenset({date(2015, 12, 29)}))
    assert closed.between(date(2015, 12, 24), date(2015, 12, 30)) == 1
    assert closed.add(date(2015, 12, 24), 1) == date(2015, 12, 30)
    assert closed.back(date(2015, 12, 30), 1) == date(2015, 12, 24)
    assert closed.first_working_day((2016, 1)) == date(2016, 1, 4)


def test_outside_the_calendar_is_an_error():
    small = cal.WorkCalendar(date(2015, 1, 1), date(2015, 12, 31), closure_days=frozenset())
    with pytest.raises(ValueError, match="outside the calendar"):
        small.is_working_day(date(2016, 1, 1))


def test_default_calendar_reads_the_seed(tmp_path):
    seed = tmp_path / "local_closure_days.csv"
    seed.write_text("closure_date,description\n2024-04-02,closed\n", encoding="utf-8")
    assert cal.local_closure_days(seed) == frozenset({date(2024, 4, 2)})
    assert cal.first_working_day(2024, 4) == date(2024, 4, 2)  # the project seed is empty
