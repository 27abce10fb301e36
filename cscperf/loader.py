"""Land an extract set: the 13 CSV files -> schema ``raw`` of a new DuckDB file.

First every extract is checked without reading it (:mod:`cscperf.loading.files`):
a regular file, not a link, fifo, directory or device, no larger than
``[loader] max_file_bytes``. Per file: one streamed pass settles the encoding
(Windows-1252 is transcoded chunk by chunk to UTF-8 in a temporary file) and
counts lines, the header is matched to the contract, then DuckDB parses every
field as text and types and checks them in bulk SQL (a stage table). Rows with a
bad field go to ``raw.rejected_rows`` (one row per bad field); the rest to
``raw.<extract>`` (in no particular order), with ``_line``, the physical line on
which each record starts. No extract is ever held whole in Python memory: every
pass reads fixed-size chunks (``READ_CHUNK``).

Line numbers: the stage table is written in file order, so its ``rowid`` is the
record's ordinal; the stage query's plan is checked to hold only order-keeping
operators (otherwise records are numbered by a streaming window, slower). When
the file has no blank lines and no line breaks inside quoted fields -- the record
count tells -- the line is the ordinal plus the header's line; otherwise a
vectorised scan of the file, piece by piece (:mod:`cscperf.loading.records`),
gives each record's start line, joined by ordinal.

Only when DuckDB cannot read a file is it diagnosed: a record with more fields
than the header or a quoted field never closed is a LoadError naming the line;
lines of spaces are blanked and mixed LF/CRLF line ends made LF in a temporary
copy; records with fewer fields than the header read the missing ones as null;
a record longer than DuckDB's line limit (``MAX_LINE_BYTES``) is blanked in the
copy and rejected ("field longer than N bytes", no value kept).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt

from cscperf.contract import EXTRACTS, Extract
from cscperf.loading.encoding import READ_CHUNK, settle
from cscperf.loading.errors import LoadError
from cscperf.loading.files import check_extract
from cscperf.loading.header import map_columns, read_header
from cscperf.loading.records import (
    FileScan,
    Unscannable,
    csv_file_blank_spans,
    csv_file_layout,
    csv_file_lines,
    scan_file,
    write_cleaned,
)
from cscperf.loading.sql import (
    LINES,
    MAX_LINE_BYTES,
    ORDER_KEEPING_OPERATORS,
    RAW_TABLES_SQL,
    REJECTS,
    STAGE,
    quote_ident,
    quote_literal,
    read_csv_sql,
    rejects_sql,
    stage_select,
    stage_sql,
)
from cscperf.settings import Settings

__all__ = ["LoadError", "LoadResult", "land"]

log = logging.getLogger("cscperf.loader")

# A record the quote-parity scan cannot end within this many bytes (a quote never
# closed, a stray quote) is left to Python's csv reader.
_PENDING_LIMIT = 4 * READ_CHUNK
# The record scan reads smaller pieces: its numpy arrays are several times a piece.
SCAN_CHUNK = 16 * 1024 * 1024


@dataclass
class LoadResult:
    rows_loaded: dict[str, int] = field(default_factory=dict)  # per extract name
    rows_rejected: int = 0  # rows, not fields: a row with two bad fields counts once
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _FileStats:
    encoding: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int


def land(extracts_dir: Path, db_path: Path, settings: Settings) -> LoadResult:
    """Load the 13 extracts in ``extracts_dir`` into schema ``raw`` of ``db_path``.

    ``db_path`` is normally a new file; if it exists its ``raw`` schema is
    replaced. On a LoadError a file this call created is removed.
    """
    extracts_dir, db_path = Path(extracts_dir), Path(db_path)
    max_bytes = settings.loader.max_file_bytes
    missing = [
        e.file_name
        for e in EXTRACTS
        if not check_extract(extracts_dir / e.file_name, e.file_name, max_bytes)
    ]
    if missing:
        plural = "is" if len(missing) == 1 else "are"
        raise LoadError(f"{', '.join(missing)}: {plural} missing from {extracts_dir}")
    threshold = settings.loader.reject_threshold
    existed = db_path.exists()
    result = LoadResult()
    started = time.perf_counter()
    try:
        with (
            tempfile.TemporaryDirectory(prefix="cscperf-land-") as tmp,
            closing(duckdb.connect(str(db_path))) as con,
        ):
            _run(con, f"SET temp_directory = {quote_literal(tmp)}")
            if settings.loader.duckdb_memory_limit:
                limit = settings.loader.duckdb_memory_limit
                _run(con, f"SET memory_limit = {quote_literal(limit)}")
            _run(con, "SET preserve_insertion_order = true")
            # an IN list becomes a hash join by default, which may reorder rows
            _run(con, "SET disabled_optimizers = 'in_clause'")
            # strings are stored plain: dictionary+FSST analysis doubles the write time
            _run(con, "SET disabled_compression_methods = 'dict_fsst'")
            _run(con, "DROP SCHEMA IF EXISTS raw CASCADE")
            _run(con, "CREATE SCHEMA raw")
            _run(con, RAW_TABLES_SQL)
            for extract in _progress(EXTRACTS):
                stats = _land_file(con, extract, extracts_dir, Path(tmp), threshold, result)
                result.rows_loaded[extract.name] = stats.rows_loaded
                result.rows_rejected += stats.rows_rejected
            _run(con, "CHECKPOINT")
    except BaseException:
        if not existed:
            for leftover in (db_path, db_path.with_name(db_path.name + ".wal")):
                leftover.unlink(missing_ok=True)
        raise
    total = sum(result.rows_loaded.values())
    log.info(
        "landed %d rows (%d rejected) from %s in %.2f s",
        total, result.rows_rejected, extracts_dir, time.perf_counter() - started,
    )  # fmt: skip
    return result


def _progress(extracts: Iterable[Extract]) -> Iterator[Extract]:
    """A tqdm bar over the files when stderr is a terminal."""
    if sys.stderr.isatty():
        from tqdm import tqdm

        yield from tqdm(list(extracts), desc="landing", unit="file", leave=False)
    else:
        yield from extracts


def _land_file(
    con: duckdb.DuckDBPyConnection,
    extract: Extract,
    extracts_dir: Path,
    tmp: Path,
    threshold: float,
    result: LoadResult,
) -> _FileStats:
    started = time.perf_counter()
    file_name = extract.file_name
    decoded = settle(extracts_dir / file_name, file_name, tmp)
    header = read_header(decoded.path, file_name)
    columns = map_columns(extract, header)
    assert header is not None  # map_columns raised otherwise: every file has required columns
    for column_name, message in columns.warnings:
        log.warning("%s: %s", file_name, message)
        result.warnings.append(f"{file_name}: {message}")
        _run(
            con, "INSERT INTO raw.load_warnings VALUES (?, ?, ?)", [file_name, column_name, message]
        )
    source = decoded.path

    ordinal = "rowid"

    def stage(from_path: Path, pad: bool = False) -> None:
        nonlocal ordinal
        read = read_csv_sql(str(from_path), columns.field_count, header.line - 1, pad)
        select = stage_select(extract, columns.positions, read)
        if _keeps_file_order(con, select):
            ordinal = "rowid"
        else:  # a DuckDB planner change (tested by monkeypatching)
            log.warning("%s: numbering records with a window (slower)", file_name)
            select = stage_select(extract, columns.positions, read, numbered=True)
            ordinal = "_rn"
        _run(con, stage_sql(select))

    lines: npt.NDArray[np.int64] | None = None
    long_records: list[tuple[int, int, int]] = []
    try:
        stage(source)
    except duckdb.Error as exc:
        scan = _scan(source, columns.field_count, file_name)
        lines, long_records = scan.data_lines, scan.long_records
        if not scan.blank_spans and not scan.mixed_line_ends and not scan.short_rows:
            raise LoadError(f"{file_name}: {_duckdb_problem(exc)}") from None
        if scan.blank_spans or scan.mixed_line_ends:
            cleaned = tmp / f"cleaned-{file_name}"
            write_cleaned(source, cleaned, scan.blank_spans, scan.mixed_line_ends, READ_CHUNK)
            source = cleaned
        try:
            stage(source, pad=scan.short_rows)
        except duckdb.Error as again:
            raise LoadError(f"{file_name}: {_duckdb_problem(again)}") from None

    rows = _scalar(con, f"SELECT count(*) FROM {STAGE}")
    offset = None
    if lines is None:
        offset = _line_offset(decoded.last_line, rows, header.line)
    if offset is None:
        _register_lines(con, decoded.path, lines, rows, file_name)

    _run(con, rejects_sql(extract, ordinal))
    rejected = _scalar(con, f"SELECT count(DISTINCT rn) FROM {REJECTS}")
    if rejected:
        line_r, join_r = _line_of("r.rn", offset, "lr")
        line_f, join_f = _line_of("r.first_rn", offset, "lf", left=True)
        _run(
            con,
            f"INSERT INTO raw.rejected_rows SELECT {quote_literal(file_name)}, {line_r}, "
            f"r.record_id, r.column_name, r.value, CASE WHEN r.first_rn IS NULL THEN r.reason "
            f"ELSE r.reason || ' (first at line ' || {line_f} || ')' END "
            f"FROM {REJECTS} AS r {join_r} {join_f} ORDER BY r.rn, r.col_order",
        )
    if long_records:
        _reject_long_records(con, extract, columns.positions, decoded.path, long_records)
        rows += len(long_records)
        rejected += len(long_records)
    if rejected and rejected / rows > threshold:
        _raise_over_threshold(con, file_name, rows, rejected, threshold, offset)

    select = ", ".join(f"s.{quote_ident(c.db_name)}" for c in extract.columns)
    line_s, join_s = _line_of(f"s.{ordinal}", offset, "ls")
    anti = f"ANTI JOIN {REJECTS} AS r ON r.rn = s.{ordinal}" if rejected else ""
    # _line carries the order, so the table may be written in parallel, unordered
    _run(con, "SET preserve_insertion_order = false")
    _run(
        con,
        f"CREATE TABLE raw.{quote_ident(extract.name)} AS SELECT {select}, "
        f"CAST({line_s} AS BIGINT) AS _line FROM {STAGE} AS s {join_s} {anti}",
    )
    _run(con, "SET preserve_insertion_order = true")
    loaded = rows - rejected
    _run(
        con,
        "INSERT INTO raw.load_log VALUES (?, ?, ?, ?, ?)",
        [file_name, decoded.encoding, rows, loaded, rejected],
    )
    _run(con, f"DROP TABLE IF EXISTS {STAGE}; DROP TABLE IF EXISTS {REJECTS}")
    _run(con, f"DROP TABLE IF EXISTS {LINES}")
    for leftover in (tmp / file_name, tmp / f"cleaned-{file_name}"):
        leftover.unlink(missing_ok=True)
    log.info(
        "%s: %d rows read, %d loaded, %d rejected (%s) in %.2f s",
        file_name, rows, loaded, rejected, decoded.encoding, time.perf_counter() - started,
    )  # fmt: skip
    return _FileStats(decoded.encoding, rows, loaded, rejected)


def _scan(source: Path, field_count: int, file_name: str) -> FileScan:
    """The file's records and layout, streamed; a LoadError naming the line when DuckDB
    cannot read it.

    A record with fewer fields than the header is fine (its missing fields are
    null); one with more, or a quoted field never closed, is an error. When the
    quote-parity scan cannot follow the file (a stray quote, which DuckDB reads
    literally), Python's csv reader gives the layout, lines and blank lines.
    """
    try:
        scan = scan_file(source, field_count, MAX_LINE_BYTES, SCAN_CHUNK, _PENDING_LIMIT)
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
        for block in iter(lambda: fh.read(READ_CHUNK), b""):
            fallback.crlf += block.count(b"\r\n")
            fallback.lf += block.count(b"\n")
    return fallback


def _duckdb_problem(exc: BaseException) -> str:
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


def _reject_long_records(
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


def _run(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> list[Any]:
    """Execute ``sql`` and fetch its whole result (DuckDB wants results finished)."""
    return con.execute(sql, params).fetchall()


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return int(_run(con, sql)[0][0])


def _keeps_file_order(con: duckdb.DuckDBPyConnection, select: str) -> bool:
    """Whether every operator in the plan of ``select`` keeps its input's order."""
    plan = _run(con, f"EXPLAIN (FORMAT JSON) {select}")
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            names.add(str(node.get("name", "")).strip().upper())
            for child in node.get("children", []):
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    try:
        walk(json.loads(plan[0][1]))
    except (IndexError, ValueError):
        return False
    return bool(names) and names <= ORDER_KEEPING_OPERATORS


def _line_offset(last_line: int, rows: int, header_line: int) -> int | None:
    """``_line - ordinal`` when every record after the header is one whole line, else None.

    ``last_line``: the line of the file's last byte that is not a space or line
    break. Each record takes at least one line and DuckDB skips empty lines, so
    ``rows`` records filling exactly the lines after the header means one line each.
    """
    if rows + header_line == last_line:
        return header_line + 1
    return None


def _register_lines(
    con: duckdb.DuckDBPyConnection,
    source: Path,
    lines: npt.NDArray[np.int64] | None,
    rows: int,
    file_name: str,
) -> None:
    """The temp table ``_lines(rn, line)``: each record's start line by ordinal.

    ``lines``: the data records' start lines from a scan already made, else the
    file ``source`` is scanned (streamed); Python's csv reader when the counts
    disagree (a stray quote).
    """
    if lines is None:
        try:
            lines = scan_file(source, 0, MAX_LINE_BYTES, SCAN_CHUNK, _PENDING_LIMIT).data_lines
        except Unscannable:
            lines = csv_file_lines(source)[1:]
    if lines.size != rows:
        lines = csv_file_lines(source)[1:]
    if lines.size != rows:
        raise LoadError(
            f"{file_name}: cannot number the lines: DuckDB read {rows} records, "
            f"a scan of the file found {lines.size}"
        )
    # a dict of numpy arrays is a table to DuckDB (no pandas needed)
    frame = {"rn": np.arange(rows, dtype=np.int64), "line": lines.astype(np.int64, copy=False)}
    con.register("_lines_frame", frame)
    try:
        _run(con, f"CREATE OR REPLACE TEMP TABLE {LINES} AS SELECT * FROM _lines_frame")
    finally:
        con.unregister("_lines_frame")


def _line_of(rn: str, offset: int | None, alias: str, left: bool = False) -> tuple[str, str]:
    """(expression, join clause) giving the line of the record with ordinal ``rn``."""
    if offset is not None:
        return f"({rn} + {offset})", ""
    kind = "LEFT JOIN" if left else "JOIN"
    return f"{alias}.line", f"{kind} {LINES} AS {alias} ON {alias}.rn = {rn}"


def _raise_over_threshold(
    con: duckdb.DuckDBPyConnection,
    file_name: str,
    rows: int,
    rejected: int,
    threshold: float,
    offset: int | None,
) -> None:
    """The over-threshold LoadError: file, counts and the first bad field's line,
    column and reason -- never its value (it may be personal data)."""
    line, join = _line_of("r.rn", offset, "lr")
    found = _run(
        con,
        f"SELECT {line}, r.column_name, r.reason FROM {REJECTS} AS r {join} "
        "ORDER BY r.rn, r.col_order LIMIT 1",
    )
    # or a record too long for DuckDB (rejected before the stage was read)
    first = found[0] if found else _run(
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
