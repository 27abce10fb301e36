"""Rejections made in Python: records too long for DuckDB, and the over-threshold
error -- file, counts, line, column and reason, never a value (it may be personal data)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb

from cscperf.contract import Extract
from cscperf.loading.db import run
from cscperf.loading.errors import LoadError
from cscperf.loading.line_numbers import line_of
from cscperf.loading.sql import MAX_LINE_BYTES, REJECTS


def reject_long_records(
    con: duckdb.DuckDBPyConnection,
    extract: Extract,
    positions: dict[str, int | None],
    path: Path,
    long_records: list[tuple[int, int, int]],
) -> None:
    """Reject the records longer than DuckDB's line limit (blanked before DuckDB read the file).

    Each is read back alone (it is at most the scan's pending limit) to find its id
    and its longest field; no value is kept.
    """
    by_position = {p: name for name, p in positions.items() if p is not None}
    id_position = positions[extract.id_column.name]
    rows: list[tuple[object, ...]] = []
    with path.open("rb") as fh:
        for line, start, end in long_records:
            fh.seek(start)
            text = fh.read(end - start).decode("utf-8", errors="replace")
            fields = next(csv.reader(io.StringIO(text, newline="")), [])
            sizes = [len(f.encode("utf-8")) for f in fields]
            longest = max(range(len(sizes)), key=sizes.__getitem__) if sizes else None
            record_id = None
            if id_position is not None and id_position < len(fields):
                candidate = fields[id_position].strip()
                record_id = candidate if 0 < len(candidate) <= 256 else None
            column = by_position.get(longest) if longest is not None else None
            reason = (
                f"field longer than {MAX_LINE_BYTES} bytes"
                if longest is not None and sizes[longest] > MAX_LINE_BYTES
                else f"record longer than {MAX_LINE_BYTES} bytes"
            )
            rows.append((extract.file_name, line, record_id, column, None, reason))
    con.executemany("INSERT INTO raw.rejected_rows VALUES (?, ?, ?, ?, ?, ?)", rows)


def raise_over_threshold(
    con: duckdb.DuckDBPyConnection,
    file_name: str,
    rows: int,
    rejected: int,
    threshold: float,
    offset: int | None,
) -> None:
    """The over-threshold LoadError: file, counts and the first bad field's line,
    column and reason -- never its value (it may be personal data)."""
    line, join = line_of("r.rn", offset, "lr")
    found = run(
        con,
        f"SELECT {line}, r.column_name, r.reason FROM {REJECTS} AS r {join} "
        "ORDER BY r.rn, r.col_order LIMIT 1",
    )
    # or a record too long for DuckDB (rejected before the stage was read)
    first = found[0] if found else run(
        con,
        "SELECT line, column_name, reason FROM raw.rejected_rows WHERE file = ? "
        "ORDER BY line LIMIT 1",
        [file_name],
    )[0]
    raise LoadError(
        f"{file_name}: {rejected} of {rows} rows rejected ({100 * rejected / rows:.1f}%), "
        f"over the {100 * threshold:g}% threshold; "
        f"first: line {first[0]} {first[1]}: {first[2]}"
    )
