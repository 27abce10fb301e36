"""Working days and calendar months, as indicators.md defines them.

A working day is Monday to Friday except bank holidays in England and Wales
(the ``holidays`` package, England, which includes one-off and substitute
days). Working days between S and E are the working days d with S < d <= E:
a difference of cumulative indices.
"""

from __future__ import annotations

import calendar as _calendar
from datetime import date, timedelta

import holidays
import numpy as np

Month = tuple[int, int]  # (year, month)


def month_start(month: Month) -> date:
    return date(month[0], month[1], 1)


def month_end(month: Month) -> date:
    return date(month[0], month[1], _calendar.monthrange(*month)[1])


def month_of(day: date) -> Month:
    return (day.year, day.month)


def month_key(month: Month) -> str:
    return f"{month[0]:04d}-{month[1]:02d}"


def parse_month(key: str) -> Month:
    year, month = key.split("-")
    return (int(year), int(month))


def next_month(month: Month, n: int = 1) -> Month:
    index = month[0] * 12 + month[1] - 1 + n
    return (index // 12, index % 12 + 1)


def months_between(first: Month, last: Month) -> list[Month]:
    out = []
    current = first
    while current <= last:
        out.append(current)
        current = next_month(current)
    return out


def add_months(day: date, months: int) -> date:
    """``day`` plus calendar months, clamped to the month's last day."""
    year, month = next_month((day.year, day.month), months)
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


class WorkCalendar:
    """Working days of England and Wales between two dates (inclusive)."""

    def __init__(self, first: date = date(2009, 1, 1), last: date = date(2018, 12, 31)) -> None:
        bank = holidays.country_holidays("GB", subdiv="ENG", years=range(first.year, last.year + 1))
        self.first = first
        self.last = last
        self._base = first.toordinal()
        n = (last - first).days + 1
        ordinals = np.arange(self._base, self._base + n)
        weekday = (ordinals + 6) % 7  # date.fromordinal(1) is a Monday -> 0
        bank_ord = np.array([d.toordinal() for d in bank], dtype=np.int64)
        self.is_working = (weekday < 5) & ~np.isin(ordinals, bank_ord)
        self.index = np.cumsum(self.is_working).astype(np.int64)
        self.working_ordinals = ordinals[self.is_working]
        self.bank_holidays = frozenset(bank)

    def _pos(self, day: date) -> int:
        pos = day.toordinal() - self._base
        if not 0 <= pos < len(self.index):
            raise ValueError(f"{day} is outside the calendar")
        return pos

    def is_working_day(self, day: date) -> bool:
        return bool(self.is_working[self._pos(day)])

    def between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end (negative when end < start)."""
        return int(self.index[self._pos(end)] - self.index[self._pos(start)])

    def add(self, day: date, n: int) -> date:
        """The n-th working day after ``day`` (n >= 1); ``day`` itself for n = 0."""
        if n == 0:
            return day
        k = self.index[self._pos(day)] + n  # the working day whose index is k
        return date.fromordinal(int(self.working_ordinals[k - 1]))

    def back(self, day: date, n: int) -> date:
        """The working day S with ``between(S, day) == n`` (``day`` itself for n = 0)."""
        k = self.index[self._pos(day)] - n
        if n == 0:
            return day
        return date.fromordinal(int(self.working_ordinals[k - 1]))

    def on_or_after(self, day: date) -> date:
        return day if self.is_working_day(day) else self.add(day, 1)

    def on_or_before(self, day: date) -> date:
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def working_days(self, first: date, last: date) -> list[date]:
        """Working days from ``first`` to ``last`` inclusive."""
        lo = np.searchsorted(self.working_ordinals, first.toordinal())
        hi = np.searchsorted(self.working_ordinals, last.toordinal(), side="right")
        return [date.fromordinal(int(o)) for o in self.working_ordinals[lo:hi]]

    def month_working_days(self, month: Month) -> list[date]:
        return self.working_days(month_start(month), month_end(month))
