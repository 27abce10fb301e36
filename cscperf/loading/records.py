"""Where each CSV record starts: vectorised over the file's bytes with numpy, piece by piece.

A record ends at a line feed outside quotes. With RFC 4180 quoting (quotes only
around fields, ``""`` inside them) a line feed is outside quotes exactly when the
number of ``"`` bytes before it is even, so a cumulative parity of the quote
positions gives every record boundary without a per-row loop. A record that is
empty or holds only spaces is a blank line, not a row. When a file breaks that
quoting rule (a stray quote inside an unquoted field, which DuckDB reads
literally) the counts will not agree with DuckDB's, and :func:`csv_file_lines`
(the standard library's reader, slower) gives the lines instead.

A file is scanned in pieces cut at record boundaries (:func:`pieces`): fixed-size
chunks, the quote parity and the line count carried from one to the next, so no
file is ever held whole in memory.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from cscperf.loading.encoding import BOM

IntArray = npt.NDArray[np.int64]

_LF, _CR, _QUOTE, _COMMA, _SPACE, _TAB = 10, 13, 34, 44, 32, 9

# Python's csv reader refuses fields over 128 KiB by default; an extract's free text
# may be longer (a record longer than DuckDB's limit is read back to be rejected).
csv.field_size_limit(2**31 - 1)


@dataclass(frozen=True)
class RecordScan:
    """The non-blank records of a file, header first."""

    starts: IntArray  # byte offset where each record starts
    ends: IntArray  # byte offset where it ends (before its line feed and any CR)
    lines: IntArray  # physical line (1-based) on which it starts
    blank_spans: tuple[tuple[int, int], ...]  # (start, end) of lines holding only spaces
    unterminated_line: int | None  # line of a record whose quoted field never closes
    extents: IntArray | None = None  # bytes of each record with its line break

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
    extents = np.concatenate((record_ends + 1, [size])).astype(np.int64) - starts
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
        extents=extents[keep],
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

    The slow path, for files whose quoting the parity scan cannot follow (a
    buffer; :func:`csv_file_lines` reads a file, streamed).
    """
    return _csv_lines(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@dataclass(frozen=True)
class Layout:
    """What is wrong with a file's CSV layout, if anything."""

    error: tuple[int, str] | None  # (line, problem) of the first record DuckDB cannot take
    short_rows: bool  # some records have fewer fields than the header (read as null)


def _csv_layout(reader: Iterator[list[str]], field_count: int) -> Layout:
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
        previous = reader.line_num  # type: ignore[attr-defined]
        if not row or (len(row) == 1 and not row[0].strip(" \t")):
            continue
        if len(row) > field_count:
            problem = f"has {len(row)} fields, the header has {field_count}"
            return Layout((start, problem), short)
        short = short or len(row) < field_count


# --- whole files, streamed ------------------------------------------------------------------


class Unscannable(Exception):
    """No record boundary within the pending-bytes limit: a quote is never closed, or a
    stray quote throws the parity scan off. The csv-module functions read such a file."""


@dataclass
class FileScan:
    """:class:`RecordScan` over a whole file, piece by piece, plus its layout."""

    lines: IntArray  # start line of each non-blank record, header first
    blank_spans: list[tuple[int, int]] = field(default_factory=list)  # byte offsets in the file
    unterminated_line: int | None = None
    longer: tuple[int, int] | None = None  # (line, fields) of the first record with too many
    short_rows: bool = False
    long_records: list[tuple[int, int, int]] = field(default_factory=list)  # (line, start, end)
    crlf: int = 0  # CRLF line ends
    lf: int = 0  # line feeds

    @property
    def data_lines(self) -> IntArray:
        return self.lines[1:]

    @property
    def mixed_line_ends(self) -> bool:
        return bool(self.crlf) and self.crlf != self.lf


def pieces(path: Path, chunk: int, limit: int) -> Iterator[tuple[bytes, int, int]]:
    """(piece, byte offset, line feeds before it): the file cut at record boundaries.

    Each piece but the last ends with a line feed outside quotes (even quote
    parity), so it holds whole records. Raises Unscannable when more than
    ``limit`` bytes pass without such a line feed (never at the end of the file:
    the rest is the last piece, unterminated quote included).
    """
    pending = b""
    offset = lines = 0
    with path.open("rb") as fh:
        while data := fh.read(chunk):
            buf = pending + data if pending else data
            arr = np.frombuffer(buf, dtype=np.uint8)
            newlines = np.flatnonzero(arr == _LF)
            quotes = np.flatnonzero(arr == _QUOTE)
            even = np.flatnonzero(_even_parity(newlines, quotes))
            if even.size == 0:
                pending = buf
                if len(pending) > limit:
                    raise Unscannable
                continue
            cut = int(newlines[even[-1]]) + 1
            yield buf[:cut], offset, lines
            offset += cut
            lines += int(even[-1]) + 1
            pending = buf[cut:]
            if len(pending) > limit:
                raise Unscannable
    if pending:
        yield pending, offset, lines


def scan_file(
    path: Path, field_count: int, max_record: int, chunk: int, limit: int
) -> FileScan:
    """:func:`scan_records` and the field counts over the file at ``path``, streamed.

    Records of more than ``max_record`` bytes (line break included: DuckDB's
    ``max_line_size`` rule) are listed in ``long_records`` and blanked (their
    span is a blank span), so DuckDB can read the rest.
    """
    parts: list[IntArray] = []
    out = FileScan(lines=np.zeros(0, np.int64))
    for piece, offset, before in pieces(path, chunk, limit):
        scan = scan_records(piece)
        lines = scan.lines + before
        keep = np.ones(lines.size, dtype=bool)
        assert scan.extents is not None
        for i in np.flatnonzero(scan.extents > max_record).tolist():
            start = offset + int(scan.starts[i])
            end = offset + int(scan.ends[i])
            out.long_records.append((int(lines[i]), start, end))
            out.blank_spans.append((start, end))
            keep[i] = False
        out.blank_spans += [(offset + a, offset + b) for a, b in scan.blank_spans]
        if scan.unterminated_line is not None:
            out.unterminated_line = scan.unterminated_line + before
        kept_lines = lines[keep]
        if field_count > 0:  # 0: only the lines are wanted
            counts = field_counts(piece, scan)[keep]
            if offset == 0:  # the header's own field count is the header's
                counts[:1] = field_count
            if out.longer is None:
                longer = np.flatnonzero(counts > field_count)
                if longer.size:
                    out.longer = (int(kept_lines[longer[0]]), int(counts[longer[0]]))
            out.short_rows = out.short_rows or bool((counts < field_count).any())
            del counts
        del scan, lines
        out.crlf += piece.count(b"\r\n")
        out.lf += piece.count(b"\n")
        parts.append(kept_lines)
    out.blank_spans.sort()
    out.lines = np.concatenate(parts) if parts else np.zeros(0, np.int64)
    parts.clear()
    return out


def _text(path: Path) -> io.TextIOWrapper:
    return path.open("r", encoding="utf-8-sig", newline="")


def csv_file_lines(path: Path) -> IntArray:
    """:func:`csv_record_lines` of the file at ``path``, streamed."""
    with _text(path) as fh:
        return _csv_lines(csv.reader(fh))


def _csv_lines(reader: Iterator[list[str]]) -> IntArray:
    out: list[int] = []
    previous = 0
    for row in reader:
        start = previous + 1
        previous = reader.line_num  # type: ignore[attr-defined]
        if not row or (len(row) == 1 and not row[0].strip(" \t")):
            continue
        out.append(start)
    return np.asarray(out, dtype=np.int64)


def csv_file_layout(path: Path, field_count: int) -> Layout:
    """The field counts by Python's csv reader, for files the parity scan cannot follow:
    the first record with more fields than the header or never closed, streamed."""
    with _text(path) as fh:
        return _csv_layout(csv.reader(fh, strict=True), field_count)


def csv_file_blank_spans(path: Path) -> list[tuple[int, int]]:
    """(start, end) bytes of the space-only lines that are records, by Python's csv
    reader, for files the parity scan cannot follow; streamed (two passes)."""
    blank_lines: set[int] = set()
    with _text(path) as fh:
        reader = csv.reader(fh)
        previous = 0
        for row in reader:
            start = previous + 1
            previous = reader.line_num
            if len(row) == 1 and row[0] and not row[0].strip(" \t"):
                blank_lines.add(start)
    spans: list[tuple[int, int]] = []
    if not blank_lines:
        return spans
    position = 0
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if number in blank_lines:
                end = position + len(raw.rstrip(b"\n"))
                if end > position and raw.rstrip(b"\n").endswith(b"\r"):
                    end -= 1
                spans.append((position, end))
            position += len(raw)
    return spans


def write_cleaned(
    source: Path, target: Path, blank_spans: list[tuple[int, int]], to_lf: bool, chunk: int
) -> None:
    """``source`` copied to ``target`` with ``blank_spans`` emptied, streamed, for DuckDB.

    ``to_lf``: make every CRLF an LF (for a file mixing the two). Line breaks
    are kept, so the records stay in order; their line numbers come from the
    scan of the original file.
    """
    spans = sorted(blank_spans)
    i = 0
    position = 0
    held = b""  # a CR at the end of a chunk, until the next chunk shows what follows
    with source.open("rb") as fh, target.open("wb") as out:
        while data := fh.read(chunk):
            end = position + len(data)
            kept: list[bytes] = []
            cursor = position
            while i < len(spans) and spans[i][0] < end:
                start, stop = spans[i]
                if start > cursor:
                    kept.append(data[cursor - position : start - position])
                cursor = max(cursor, min(stop, end))
                if stop > end:
                    break
                i += 1
            if cursor < end:
                kept.append(data[cursor - position :])
            position = end
            block = held + b"".join(kept)
            held = b""
            if to_lf:
                if block.endswith(b"\r"):
                    block, held = block[:-1], b"\r"
                block = block.replace(b"\r\n", b"\n")
            out.write(block)
        out.write(held)
