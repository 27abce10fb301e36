"""seeds/bank_holidays.csv is the `holidays` package's list, whole.

Both calendars (dbt's int_calendar__days and cscperf.calendar) read the seed;
the package is the authority the seed is written from
(scripts/bank_holidays.py). After a package upgrade that adds a day (a new
one-off bank holiday), this fails until the seed is re-written.
"""

from __future__ import annotations

import csv
import importlib.util
from datetime import date
from pathlib import Path

from cscperf import calendar as cal

ROOT = Path(__file__).resolve().parent.parent


def _script():
    path = ROOT / "scripts/bank_holidays.py"
    spec = importlib.util.spec_from_file_location("bank_holidays", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_seed_is_the_packages_list():
    with (ROOT / "seeds/bank_holidays.csv").open(encoding="utf-8", newline="") as fh:
        seed = [(row["holiday_date"], row["holiday_name"]) for row in csv.DictReader(fh)]
    expected = _script().england_bank_holidays(cal.CALENDAR_FIRST.year, cal.CALENDAR_LAST.year)
    assert seed == expected


def test_python_calendar_reads_the_seed():
    assert cal.bank_holidays() >= {date(2012, 6, 5), date(2020, 5, 8), date(2022, 9, 19)}
    assert not cal.is_working_day(date(2023, 5, 8))  # the coronation
    assert cal.is_working_day(date(2020, 5, 4))  # the May Day moved to the 8th in 2020
