"""Month arithmetic and the date labels the report prints."""

from __future__ import annotations

import calendar
from datetime import date


def month_end(d: date) -> date:
    """The last day of the month containing ``d``."""
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def add_months(d: date, n: int) -> date:
    """The month end ``n`` months after (negative: before) the month of ``d``."""
    index = d.year * 12 + d.month - 1 + n
    year, month0 = divmod(index, 12)
    return month_end(date(year, month0 + 1, 1))


def month_label(d: date) -> str:
    """'Oct-15', as the original report labels previous values."""
    return d.strftime("%b-%y")


def month_name(d: date) -> str:
    """'October 2015'."""
    return d.strftime("%B %Y")


def long_date(d: date) -> str:
    """'31st October 2015', as in the original's caveat."""
    day = d.day
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix} {d.strftime('%B %Y')}"


def parse_month_label(text: str | None) -> date | None:
    """'Oct-14' -> 2014-10-31; None when the text is not such a label."""
    if not text:
        return None
    try:
        from datetime import datetime

        parsed = datetime.strptime(text.strip(), "%b-%y").date()
    except ValueError:
        return None
    return month_end(parsed)
