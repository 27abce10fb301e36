"""The one Python calendar: calendar months and working days.

Everything in cscperf that does month arithmetic or counts working days in
Python (the pipeline's schedule, the report, the history, the generator)
uses this module; dbt has its own date dimension (``int_calendar__days``)
built from the same two sources.

A working day is Monday to Friday except the bank holidays of England (the
dbt seed ``bank_holidays``, written from the ``holidays`` package with its
one-off and substitute days by scripts/bank_holidays.py) and the authority's
local closure days (the dbt seed ``local_closure_days``): the same two seeds
dbt's date dimension reads.
Working days between S and E are the working days d with S < d <= E: a
difference of cumulative indices, as in dbt.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import csv
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import numpy as np

from cscperf.settings import DBT_DEFAULTS, PROJECT_DIR

Month = tuple[int, int]  # (year, month)

_SEEDS = PROJECT_DIR / "seeds"

# The span of the default calendar and of the bank-holiday seed: dbt's date
# dimension's (calendar_start, calendar_end in dbt_project.yml vars, their one home).
CALENDAR_FIRST = date.fromisoformat(str(DBT_DEFAULTS["calendar_start"]))
CALENDAR_LAST = date.fromisoformat(str(DBT_DEFAULTS["calendar_end"]))
_CLOSURE_SEED = _SEEDS / "local_closure_days.csv"
_BANK_HOLIDAY_SEED = _SEEDS / "bank_holidays.csv"

# --------------------------------------------------------------------------- months


def month_of(day: date) -> Month:
    return (day.year, day.month)


def next_month(month: Month, n: int = 1) -> Month:
    """The month ``n`` months after ``month`` (negative: before)."""
    index = month[0] * 12 + month[1] - 1 + n
    return (index // 12, index % 12 + 1)


def first_day(month: Month) -> date:
    return date(month[0], month[1], 1)


def last_day(month: Month) -> date:
    return date(month[0], month[1], _stdlib_calendar.monthrange(*month)[1])


def month_key(month: Month) -> str:
    """'2015-10'."""
    return f"{month[0]:04d}-{month[1]:02d}"


def parse_month(key: str) -> Month:
    """'2015-10' -> (2015, 10)."""
    year, month = key.split("-")
    return (int(year), int(month))


def months_between(first: Month, last: Month) -> list[Month]:
    """Every month from ``first`` to ``last`` inclusive."""
    out = []
    current = first
    while current <= last:
        out.append(current)
        current = next_month(current)
    return out


def month_end(day: date) -> date:
    """The last day of the month containing ``day``."""
    return last_day(month_of(day))


def month_end_after(day: date, n: int) -> date:
    """The month end ``n`` months after (negative: before) the month of ``day``."""
    return last_day(next_month(month_of(day), n))


def last_month_end(day: date) -> date:
    """The end of the month before ``day``'s: a run's default as-at date."""
    return month_end_after(day, -1)


def month_ends(first: date, last: date) -> list[date]:
    """The month ends of every month from ``first``'s to ``last``'s, inclusive."""
    return [last_day(m) for m in months_between(month_of(first), month_of(last))]


def add_months(day: date, n: int) -> date:
    """``day`` plus ``n`` calendar months, clamped to the month's last day."""
    year, month = next_month(month_of(day), n)
    return date(year, month, min(day.day, _stdlib_calendar.monthrange(year, month)[1]))


# --------------------------------------------------------------------------- working days


def _seed_dates(seed: Path, column: str) -> frozenset[date]:
    if not seed.exists():
        return frozenset()
    with seed.open(encoding="utf-8", newline="") as fh:
        return frozenset(
            date.fromisoformat(row[column].strip())
            for row in csv.DictReader(fh)
            if (row.get(column) or "").strip()
        )


@lru_cache(maxsize=4)
def local_closure_days(seed: Path = _CLOSURE_SEED) -> frozenset[date]:
    """The authority's closure days: the dbt seed ``local_closure_days``."""
    return _seed_dates(seed, "closure_date")


@lru_cache(maxsize=4)
def bank_holidays(seed: Path = _BANK_HOLIDAY_SEED) -> frozenset[date]:
    """England's bank holidays: the dbt seed ``bank_holidays`` (a missing seed is an error)."""
    if not seed.exists():
        raise FileNotFoundError(f"{seed}: the bank-holiday seed is missing "
                                "(write it with scripts/bank_holidays.py)")
    return _seed_dates(seed, "holiday_date")


class WorkCalendar:
    """Working days between two dates (inclusive) with a cumulative index."""

    def __init__(
        self,
        first: date = CALENDAR_FIRST,
        last: date = CALENDAR_LAST,
        closure_days: frozenset[date] | None = None,
    ) -> None:
        if first < CALENDAR_FIRST or last > CALENDAR_LAST:
            raise ValueError(f"{first} to {last} is outside the bank-holiday seed "
                             f"({CALENDAR_FIRST} to {CALENDAR_LAST})")
        bank = frozenset(d for d in bank_holidays() if first <= d <= last)
        closed = local_closure_days() if closure_days is None else closure_days
        self.first = first
        self.last = last
        self._base = first.toordinal()
        n = (last - first).days + 1
        ordinals = np.arange(self._base, self._base + n)
        weekday = (ordinals + 6) % 7  # date.fromordinal(1) is a Monday -> 0
        shut = np.array([d.toordinal() for d in (*bank, *closed)], dtype=np.int64)
        self.is_working = (weekday < 5) & ~np.isin(ordinals, shut)
        self.index = np.cumsum(self.is_working).astype(np.int64)
        self.working_ordinals = ordinals[self.is_working]
        self.bank_holidays = frozenset(bank)
        self.closure_days = frozenset(closed)

    def _pos(self, day: date) -> int:
        pos = day.toordinal() - self._base
        if not 0 <= pos < len(self.index):
            raise ValueError(f"{day} is outside the calendar ({self.first} to {self.last})")
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
        if n == 0:
            return day
        k = self.index[self._pos(day)] - n
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
        return self.working_days(first_day(month), last_day(month))

    def first_working_day(self, month: Month) -> date:
        return self.on_or_after(first_day(month))


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """The calendar of dbt's span with the seed's closure days (built once)."""
    return WorkCalendar()


def is_working_day(day: date) -> bool:
    return default_calendar().is_working_day(day)


def first_working_day(year: int, month: int) -> date:
    return default_calendar().first_working_day((year, month))


def is_first_working_day(day: date) -> bool:
    return day == first_working_day(day.year, day.month)
