"""How figures are printed: percentages to 2 dp with %, counts as integers.

Disclosure control is decided before formatting (``disclosure.apply``); a
hidden figure arrives here as its symbol and is printed as that.
"""

from __future__ import annotations

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


def fmt_value(value: float | None, is_percentage: bool, symbol: str | None = None) -> str:
    """An indicator value; ``symbol`` (from ``data.disclosure``) replaces a hidden one."""
    if symbol:
        return symbol
    return fmt_pct(value) if is_percentage else fmt_count(value)


def or_symbol(symbol: str | None, text: str) -> str:
    """The disclosure symbol of a hidden figure, else the formatted figure."""
    return symbol or text
