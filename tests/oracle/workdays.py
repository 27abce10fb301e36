"""Calendar arithmetic for the oracle: working days, calendar months, month ends.

Spec (indicators.md, "Shared rules"):

- a working day is Monday to Friday, except bank holidays in England and Wales
  and except the authority's local closure days;
- working days between S and E = the number of working days d with S < d <= E,
  negative (minus the count from E to S) when E < S;
- "S + n months" keeps the day number, or takes the month's last day where that
  day doesn't exist.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta

import holidays


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month_end_of(day: date) -> date:
    return month_end(day.year, day.month)


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (negative to go back), clamped
    to the end of the month when the day number doesn't exist there."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_ends(first: date, last: date) -> list[date]:
    """Every month end from the month of ``first`` to the month of ``last``."""
    out = []
    current = month_end_of(first)
    while current <= month_end_of(last):
        out.append(current)
        current = month_end_of(current + timedelta(days=1))
    return out


def in_month(day: date | None, period_end: date) -> bool:
    return day is not None and (day.year, day.month) == (period_end.year, period_end.month)


class WorkingDays:
    """The working-day calendar of England and Wales plus local closure days."""

    def __init__(self, local_closure_days: Iterable[date] = ()) -> None:
        self.local_closure_days = frozenset(local_closure_days)
        self._first_year = 0
        self._last_year = -1
        self._holidays: set[date] = set()
        # Cumulative index: _index[d] = number of working days from
        # 1 January of _first_year up to and including d.
        self._index: dict[date, int] = {}

    def _cover(self, day: date) -> None:
        if self._first_year <= day.year <= self._last_year:
            return
        if self._last_year < self._first_year:  # nothing built yet
            first, last = day.year - 1, day.year + 1
        else:
            first, last = min(self._first_year, day.year), max(self._last_year, day.year)
        bank_holidays = holidays.country_holidays("GB", subdiv="ENG", years=range(first, last + 1))
        self._holidays = set(bank_holidays.keys())
        self._first_year, self._last_year = first, last
        self._index = {}
        count = 0
        current, stop = date(first, 1, 1), date(last, 12, 31)
        while current <= stop:
            if self._is_working_day_uncached(current):
                count += 1
            self._index[current] = count
            current += timedelta(days=1)

    def _is_working_day_uncached(self, day: date) -> bool:
        return (
            day.weekday() < 5 and day not in self._holidays and day not in self.local_closure_days
        )

    def is_working_day(self, day: date) -> bool:
        self._cover(day)
        return self._is_working_day_uncached(day)

    def is_bank_holiday(self, day: date) -> bool:
        self._cover(day)
        return day in self._holidays

    def between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end; negative when end < start."""
        self._cover(start)
        self._cover(end)
        return self._index[end] - self._index[start]

    def between_by_counting(self, start: date, end: date) -> int:
        """The same as :meth:`between`, counted day by day (for tests)."""
        if end < start:
            return -self.between_by_counting(end, start)
        count = 0
        day = start + timedelta(days=1)
        while day <= end:
            if self.is_working_day(day):
                count += 1
            day += timedelta(days=1)
        return count
