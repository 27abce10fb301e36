"""Write seeds/bank_holidays.csv: England's bank holidays from the `holidays` package.

The seed is the one list of bank holidays that both calendars read: dbt's
date dimension (int_calendar__days) and Python's (cscperf.calendar). It is
written from the package, never typed by hand, so that substitute and
one-off days (2012-06-04/05, 2020-05-08, 2022-06-02/03, 2022-09-19,
2023-05-08, ...) are right; tests/test_bank_holidays_seed.py fails when the
package (after an upgrade) knows a day the seed does not. Re-run then:

    .venv/bin/python scripts/bank_holidays.py
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "seeds" / "bank_holidays.csv"


def england_bank_holidays(first_year: int, last_year: int) -> list[tuple[str, str]]:
    import holidays

    england = holidays.country_holidays(
        "GB", subdiv="ENG", years=range(first_year, last_year + 1), language="en_GB"
    )
    return sorted((day.isoformat(), name) for day, name in england.items())


def main() -> int:
    from cscperf.calendar import CALENDAR_FIRST, CALENDAR_LAST

    rows = england_bank_holidays(CALENDAR_FIRST.year, CALENDAR_LAST.year)
    with SEED.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["holiday_date", "holiday_name"])
        writer.writerows(rows)
    print(f"{SEED}: {len(rows)} bank holidays, {CALENDAR_FIRST.year}-{CALENDAR_LAST.year}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
