"""The date labels the report prints (month arithmetic lives in cscperf.calendar)."""

from __future__ import annotations

from datetime import date


def month_label(d: date) -> str:
    """'Oct-15', as the original report labels previous values."""
    return d.strftime("%b-%y")


def month_name(d: date) -> str:
    """'October 2015'."""
    return d.strftime("%B %Y")


def day_month_year(d: date) -> str:
    """'31 October 2015', as the CAF pages' descriptions print the month end."""
    return f"{d.day} {month_name(d)}"


def long_date(d: date) -> str:
    """'31st October 2015', as in the original's caveat."""
    day = d.day
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix} {d.strftime('%B %Y')}"
