"""Where each CSV record starts: vectorised over the file's bytes with numpy.

A record ends at a line feed outside quotes. With RFC 4180 quoting (quotes only
around fields, ``""`` inside them) a line feed is outside quotes exactly when the
number of ``"`` bytes before it is even, so a cumulative parity of the quote
positions gives every record boundary without a per-row loop. A record that is
empty or holds only spaces is a blank line, not a row. When a file breaks that
quoting rule (a stray quote inside an unquoted field, which DuckDB reads
literally) the counts will not agree with DuckDB's, and :func:`csv_record_lines`
(the standard library's reader, slower) gives the lines instead.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from cscperf.loading.encoding import BOM

IntArray = npt.NDArray[np.int64]

_LF, _CR, _QUOTE, _COMMA, _SPACE, _TAB = 10, 13, 34, 44, 32, 9


@dataclass(frozen=True)
class RecordScan:
    """The non-blank records of a file, header first."""

    starts: IntArray  # byte offset where each record starts
    ends: IntArray  # byte offset where it ends (before its line feed and any CR)
    lines: IntArray  # physical line (1-based) on which it starts
    blank_spans: tuple[tuple[int, int], ...]  # (start, end) of lines holding only spaces
    unterminated_line: int | None  # line of a record whose quoted field never closes

    @property
    def data_lines(self) -> IntArray:
        """Start lines of the data records (the header excluded)."""
        return self.lines[1:]


def _even_parity(positions: IntArray, quotes: IntArray) -> npt.NDArray[np.bool_]:
    """For each byte position, whether an even number of quotes precede it."""
    if quotes.size == 0:
        return np.ones(positions.size, dtype=bool)
    parity: npt.NDArray[np.bool_] = (np.searchsorted(quotes, positions) & 1) == 0
    return parity


def scan_records(data: bytes) -> RecordScan:
    """Split ``data`` (UTF-8 CSV bytes) into records, vectorised."""
    arr = np.frombuffer(data, dtype=np.uint8)
    size = arr.size
    newlines = np.flatnonzero(arr == _LF)
    quotes = np.flatnonzero(arr == _QUOTE)
    boundary = np.flatnonzero(_even_parity(newlines, quotes))
    record_ends = newlines[boundary]
    starts = np.concatenate(([0], record_ends + 1)).astype(np.int64)
    ends = np.concatenate((record_ends, [size])).astype(np.int64)
    lines = np.concatenate(([1], boundary + 2)).astype(np.int64)
    if data.startswith(BOM):
        starts[0] = len(BOM)
    # drop a trailing CR (CRLF line ends)
    if size:
        last = np.clip(ends - 1, 0, size - 1)
        ends = ends - ((ends > starts) & (arr[last] == _CR))
    length = ends - starts
    unterminated = int(lines[-1]) if quotes.size % 2 else None
    # blank: empty, or only spaces / tabs (checked in Python for the few candidates)
    first = arr[np.clip(starts, 0, max(size - 1, 0))] if size else np.zeros(0, np.uint8)
    candidates = np.flatnonzero((length > 0) & ((first == _SPACE) | (first == _TAB)))
    blank = length == 0
    spans: list[tuple[int, int]] = []
    for i in candidates.tolist():
        s, e = int(starts[i]), int(ends[i])
        if not data[s:e].strip(b" \t\r"):
            blank[i] = True
            spans.append((s, e))
    keep = ~blank
    return RecordScan(
        starts=starts[keep],
        ends=ends[keep],
        lines=lines[keep],
        blank_spans=tuple(spans),
        unterminated_line=unterminated,
    )


def field_counts(data: bytes, scan: RecordScan) -> IntArray:
    """The number of fields of each record of ``scan`` (commas outside quotes + 1)."""
    arr = np.frombuffer(data, dtype=np.uint8)
    commas = np.flatnonzero(arr == _COMMA)
    quotes = np.flatnonzero(arr == _QUOTE)
    commas = commas[_even_parity(commas, quotes)]
    counts = np.searchsorted(commas, scan.ends) - np.searchsorted(commas, scan.starts)
    return (counts + 1).astype(np.int64)


def csv_record_lines(data: bytes) -> IntArray:
    """Start lines of the non-blank records, header included, by Python's csv reader.

    The slow path, for files whose quoting the parity scan cannot follow.
    """
    text = data.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    out: list[int] = []
    previous = 0
    for row in reader:
        start = previous + 1
        previous = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip(" \t")):
            continue
        out.append(start)
    return np.asarray(out, dtype=np.int64)


@dataclass(frozen=True)
class Layout:
    """What is wrong with a file's CSV layout, if anything."""

    error: tuple[int, str] | None  # (line, problem) of the first record DuckDB cannot take
    short_rows: bool  # some records have fewer fields than the header (read as null)


def layout(data: bytes, scan: RecordScan, field_count: int) -> Layout:
    """Check every record's field count against the header's, vectorised."""
    counts = field_counts(data, scan)
    longer = np.flatnonzero(counts > field_count)
    error = None
    if longer.size:
        i = int(longer[0])
        error = (
            int(scan.lines[i]),
            f"has {int(counts[i])} fields, the header has {field_count}",
        )
    return Layout(error, bool((counts < field_count).any()))


def csv_layout(data: bytes, field_count: int) -> Layout:
    """:func:`layout` by Python's csv reader, for files the parity scan cannot follow."""
    text = data.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    previous = 0
    short = False
    while True:
        start = previous + 1
        try:
            row = next(reader)
        except StopIteration:
            return Layout(None, short)
        except csv.Error as exc:
            if "end of data" in str(exc) or "EOF" in str(exc):
                return Layout((start, "a quoted field is never closed"), short)
            return Layout((start, f"is not valid CSV ({exc})"), short)
        previous = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip(" \t")):
            continue
        if len(row) > field_count:
            problem = f"has {len(row)} fields, the header has {field_count}"
            return Layout((start, problem), short)
        short = short or len(row) < field_count


def csv_blank_spans(data: bytes) -> tuple[tuple[int, int], ...]:
    """(start, end) bytes of the space-only lines that are records, by Python's csv reader.

    For files whose quoting the parity scan cannot follow (see :func:`csv_record_lines`).
    """
    text = data.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    blank_lines: list[int] = []
    previous = 0
    for row in reader:
        start = previous + 1
        previous = reader.line_num
        if len(row) == 1 and row[0] and not row[0].strip(" \t"):
            blank_lines.append(start)
    if not blank_lines:
        return ()
    newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == _LF)
    starts = np.concatenate(([0], newlines + 1))
    ends = np.concatenate((newlines, [len(data)]))
    spans = []
    for line in blank_lines:
        start, end = int(starts[line - 1]), int(ends[line - 1])
        if end > start and data[end - 1] == _CR:
            end -= 1
        spans.append((start, end))
    return tuple(spans)


def cleaned_copy(data: bytes, blank_spans: tuple[tuple[int, int], ...]) -> bytes:
    """``data`` with space-only lines emptied and CRLF/LF mixtures made LF, for DuckDB.

    Line breaks are kept, so the records stay in order; their line numbers come
    from the scan of the original bytes.
    """
    parts: list[bytes] = []
    position = 0
    for start, end in blank_spans:
        parts.append(data[position:start])
        position = end
    parts.append(data[position:])
    out = b"".join(parts)
    crlf = out.count(b"\r\n")
    if crlf and crlf != out.count(b"\n"):
        out = out.replace(b"\r\n", b"\n")
    return out
