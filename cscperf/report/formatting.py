"""How figures are printed: percentages to 2 dp with %, counts as integers."""

from __future__ import annotations

from cscperf.report.disclosure import (
    SUPPRESSED_COUNT,
    SUPPRESSED_DERIVED,
    suppress_count,
    suppress_derived,
)

NOT_AVAILABLE = "N/A"


def fmt_count(value: float | int | None) -> str:
    if value is None:
        return NOT_AVAILABLE
    return f"{round(value):,}"


def fmt_pct(value: float | None) -> str:
    if value is None:
        return NOT_AVAILABLE
    return f"{value:.2f}%"


def fmt_rate(value: float | None) -> str:
    if value is None:
        return NOT_AVAILABLE
    return f"{value:,.2f}"


def fmt_target(value: float | None, is_percentage: bool) -> str:
    """'100%', '85%', '2.30%' (whole targets without decimals, as published)."""
    if value is None:
        return NOT_AVAILABLE
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"
    return f"{text}%" if is_percentage else text


def fmt_comparator(value: float | None) -> str:
    """A published comparator as printed: 291, 23.4, 23.65 (no unit is known)."""
    if value is None:
        return NOT_AVAILABLE
    if float(value).is_integer():
        return f"{value:.0f}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def fmt_value(value: float | None, numerator: float | None, denominator: float | None,
              is_percentage: bool, publish: bool) -> str:
    """An indicator value with disclosure control applied."""
    if is_percentage:
        if suppress_derived(publish, numerator, denominator):
            return SUPPRESSED_DERIVED
        return fmt_pct(value)
    if suppress_count(value, publish):
        return SUPPRESSED_COUNT
    return fmt_count(value)


def fmt_rate_checked(rate: float | None, rate_numerator: float | None, publish: bool) -> str:
    if rate is not None and suppress_derived(publish, rate_numerator):
        return SUPPRESSED_DERIVED
    return fmt_rate(rate)


def fmt_count_checked(count: float | int | None, publish: bool) -> str:
    if suppress_count(count, publish):
        return SUPPRESSED_COUNT
    return fmt_count(count)


def fmt_pct_checked(value: float | None, publish: bool, *counts: float | int | None) -> str:
    if suppress_derived(publish, *counts):
        return SUPPRESSED_DERIVED
    return fmt_pct(value)
