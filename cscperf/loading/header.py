"""The header row: find it, read its names, and match them to the contract."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from cscperf.contract import Extract
from cscperf.loading.encoding import BOM
from cscperf.loading.errors import LoadError

MAX_HEADER_BYTES = 1024 * 1024  # a header row is a few hundred bytes


@dataclass(frozen=True)
class Header:
    line: int  # physical line of the header row (1 unless blank lines come first)
    names: tuple[str, ...]  # as written, in file order


@dataclass
class ColumnMap:
    """Where each contract column is in the file, and what the header got wrong."""

    positions: dict[str, int | None]  # contract column name -> field index, None when missing
    field_count: int
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (column, message)


def read_header(path: Path, file_name: str) -> Header | None:
    """The first non-blank line of the UTF-8 file ``path`` parsed as CSV; None without one.

    Read line by line (a header is one line: a quoted line break in it is an error).
    """
    line = 1
    with path.open("rb") as fh:
        if fh.read(len(BOM)) != BOM:
            fh.seek(0)
        while raw := fh.readline(MAX_HEADER_BYTES + 1):
            if len(raw) > MAX_HEADER_BYTES and not raw.endswith(b"\n"):
                raise LoadError(
                    f"{file_name}: line {line}: the header row is longer than "
                    f"{MAX_HEADER_BYTES} bytes"
                )
            raw = raw.rstrip(b"\n")
            if raw.strip():
                if raw.count(b'"') % 2:
                    raise LoadError(f"{file_name}: line {line}: the header row is not valid CSV")
                text = raw.decode("utf-8").rstrip("\r")
                names = next(csv.reader([text]))
                return Header(line, tuple(names))
            line += 1
    return None


def map_columns(extract: Extract, header: Header | None) -> ColumnMap:
    """Match header names to contract columns (case-insensitive, spaces ignored).

    Raises LoadError for a missing required column or a column named twice;
    a missing optional column or an unknown column is a warning.
    """
    file_name = extract.file_name
    names = header.names if header is not None else ()
    index: dict[str, int] = {}
    warnings: list[tuple[str, str]] = []
    known = {col.name for col in extract.columns}
    for i, raw_name in enumerate(names):
        name = raw_name.strip().upper()
        if name in index:
            raise LoadError(f"{file_name}: column {name} appears twice in the header")
        index[name] = i
        if name not in known:
            shown = raw_name.strip() or "(blank)"
            warnings.append((shown, f"unknown column {shown} is ignored"))
    positions: dict[str, int | None] = {}
    for col in extract.columns:
        position = index.get(col.name)
        if position is None:
            if col.required:
                where = "" if header is not None else " (the file has no header row)"
                raise LoadError(f"{file_name}: required column {col.name} is missing{where}")
            if col.since == "1.0":  # a column new in v1.1 is absent without a warning
                warnings.append((col.name, f"optional column {col.name} is missing; read as null"))
        positions[col.name] = position
    return ColumnMap(positions, len(names), warnings)
