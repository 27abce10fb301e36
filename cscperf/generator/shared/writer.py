"""Write extract tables as CSV files, in the contract's allowed format variety."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np

from cscperf.contract import EXTRACTS_BY_NAME

DATETIME_FORMATS = (
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
)


@dataclass
class Style:
    """How one file is written."""

    dates: str = "uk"  # uk, iso, or mixed (per value)
    datetimes: tuple[str, ...] = ("%d/%m/%Y %H:%M",)  # one chosen per value
    crlf: bool = False
    encoding: str = "utf-8"  # utf-8, utf-8-sig (BOM), cp1252
    header: dict[str, str] = field(default_factory=dict)  # contract name -> written name
    order: tuple[str, ...] | None = None  # column order (contract names)
    extra: dict[str, str] = field(default_factory=dict)  # unknown column -> constant value
    lower_codes: float = 0.0  # share of code / flag values written in lower case
    blank_line_after: int | None = None  # a blank line after this data row


def _uk(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def _iso(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def _datetime(value: datetime, fmt: str) -> str:
    day = _uk(value) if fmt.startswith("%d") else _iso(value)
    sep = "T" if "T" in fmt else " "
    clock = f"{value.hour:02d}:{value.minute:02d}"
    if fmt.endswith("%S"):
        clock += f":{value.second:02d}"
    return f"{day}{sep}{clock}"


def write_table(
    path: Path,
    name: str,
    rows: list[dict[str, object]],
    style: Style,
    rng: np.random.Generator,
    raw_rows: list[dict[str, str]] | None = None,
) -> int:
    """Write one file; ``raw_rows`` (contract name -> text) are written verbatim
    after the others (bad rows)."""
    extract = EXTRACTS_BY_NAME[name]
    columns = list(style.order or [c.name for c in extract.columns])
    coded = {c.name for c in extract.columns if c.type in ("code", "flag")}
    n = len(rows)
    iso_draw = rng.random((n, len(columns))) < (
        1.0 if style.dates == "iso" else 0.3 if style.dates == "mixed" else 0.0
    )
    fmt_draw = rng.integers(0, len(style.datetimes), size=(n, len(columns)))
    lower_draw = rng.random((n, len(columns))) < style.lower_codes
    # v1.1 columns a style's own order leaves out go last, after the draws
    # above, so that adding them changes no draw (text: no format to draw)
    late = [c.name for c in extract.columns if c.since == "1.1" and c.name not in columns]
    drawn = len(columns)
    columns += late
    header = [style.header.get(c, c) for c in columns] + list(style.extra)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n" if style.crlf else "\n")
    writer.writerow(header)
    extra = list(style.extra.values())
    for i, row in enumerate(rows):
        out = []
        for j, col in enumerate(columns):
            value = row.get(col)
            if value is None:
                text = ""
            elif j >= drawn:
                text = str(value)
            elif isinstance(value, datetime):
                text = _datetime(value, style.datetimes[fmt_draw[i, j]])
            elif isinstance(value, date):
                text = _iso(value) if iso_draw[i, j] else _uk(value)
            else:
                text = str(value)
                if lower_draw[i, j] and col in coded:
                    text = text.lower()
            out.append(text)
        writer.writerow(out + extra)
        if style.blank_line_after == i:
            buf.write("\r\n" if style.crlf else "\n")
    for raw in raw_rows or []:
        writer.writerow([raw.get(c, "") for c in columns] + extra)
    path.write_bytes(buf.getvalue().encode(style.encoding))
    return n + len(raw_rows or [])
