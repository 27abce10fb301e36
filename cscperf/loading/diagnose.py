"""Why DuckDB cannot read a file: the file's records and layout, streamed, or a
LoadError naming the line; DuckDB's own error reduced to a line and a reason."""

from __future__ import annotations

import re
from pathlib import Path

from cscperf.loading import encoding
from cscperf.loading.errors import LoadError
from cscperf.loading.records import (
    FileScan,
    Unscannable,
    csv_file_blank_spans,
    csv_file_layout,
    csv_file_lines,
    scan_file,
)
from cscperf.loading.sql import MAX_LINE_BYTES

# A record the quote-parity scan cannot end within this many bytes (a quote never
# closed, a stray quote) is left to Python's csv reader.
PENDING_LIMIT = 4 * encoding.READ_CHUNK
# The record scan reads smaller pieces: its numpy arrays are several times a piece.
SCAN_CHUNK = 16 * 1024 * 1024


def scan_unreadable(source: Path, field_count: int, file_name: str) -> FileScan:
    """The file's records and layout, streamed; a LoadError naming the line when DuckDB
    cannot read it.

    A record with fewer fields than the header is fine (its missing fields are
    null); one with more, or a quoted field never closed, is an error. When the
    quote-parity scan cannot follow the file (a stray quote, which DuckDB reads
    literally), Python's csv reader gives the layout, lines and blank lines.
    """
    try:
        scan = scan_file(source, field_count, MAX_LINE_BYTES, SCAN_CHUNK, PENDING_LIMIT)
    except Unscannable:
        scan = None
    if scan is not None and scan.unterminated_line is None:
        if scan.longer is not None:
            line, fields = scan.longer
            raise LoadError(
                f"{file_name}: line {line} has {fields} fields, the header has {field_count}"
            )
        return scan
    # an odd number of quotes: unterminated, or a stray quote DuckDB reads literally
    found = csv_file_layout(source, field_count)
    if found.error is not None:
        line, problem = found.error
        separator = "" if problem.startswith("has ") else ":"
        raise LoadError(f"{file_name}: line {line}{separator} {problem}")
    fallback = FileScan(lines=csv_file_lines(source), short_rows=found.short_rows)
    fallback.blank_spans = csv_file_blank_spans(source)
    with source.open("rb") as fh:
        for block in iter(lambda: fh.read(encoding.READ_CHUNK), b""):
            fallback.crlf += block.count(b"\r\n")
            fallback.lf += block.count(b"\n")
    return fallback


def duckdb_problem(exc: BaseException) -> str:
    """What DuckDB could not read, by line, without its message's record text or trace."""
    text = str(exc)
    match = re.search(r"CSV Error on Line: (\d+)", text)
    where = f"DuckDB cannot read the record near line {match.group(1)}" if match else (
        "DuckDB cannot read the file"
    )
    for pattern, problem in _DUCKDB_PROBLEMS:
        if pattern in text:
            return f"{where} ({problem})"
    return where


_DUCKDB_PROBLEMS = (
    ("Maximum line size", "a line longer than the reader's limit"),
    ("Expected Number of Columns", "wrong number of fields"),
    ("unterminated quotes", "a quoted field is never closed"),
    ("Invalid unicode", "invalid UTF-8"),
)
