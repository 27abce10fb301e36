"""Land an extract set: the 13 CSV files -> schema ``raw`` of a new DuckDB file.

Per file: read the bytes once, settle the encoding (Windows-1252 is transcoded
to UTF-8 in a temporary file), match the header to the contract, then let DuckDB
parse every field as text and type and check them in bulk SQL (a stage table).
Rows with a bad field go to ``raw.rejected_rows`` (one row per bad field); the
rest to ``raw.<extract>`` (in no particular order), with ``_line``, the physical
line on which each record starts.

Line numbers: the stage table is written in file order, so its ``rowid`` is the
record's ordinal; the stage query's plan is checked to hold only order-keeping
operators (otherwise records are numbered by a streaming window, slower). When
the file has no blank lines and no line breaks inside quoted fields -- the record
count tells -- the line is the ordinal plus the header's line; otherwise a
vectorised scan of the bytes (:mod:`cscperf.loading.records`) gives each record's
start line, joined by ordinal.

Only when DuckDB cannot read a file is it diagnosed: a record with more fields
than the header or a quoted field never closed is a LoadError naming the line;
lines of spaces are blanked and mixed LF/CRLF line ends made LF in a temporary
copy; records with fewer fields than the header read the missing ones as null.
"""

from __future__ import annotations

import json
import logging
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

from cscperf.contract import EXTRACTS, Extract
from cscperf.loading.encoding import decode
from cscperf.loading.errors import LoadError
from cscperf.loading.header import map_columns, read_header
from cscperf.loading.records import (
    Layout,
    RecordScan,
    cleaned_copy,
    csv_blank_spans,
    csv_layout,
    csv_record_lines,
    layout,
    scan_records,
)
from cscperf.loading.sql import (
    LINES,
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
    missing = [e.file_name for e in EXTRACTS if not (extracts_dir / e.file_name).is_file()]
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
    path = extracts_dir / file_name
    decoded = decode(path.read_bytes(), file_name)
    data = decoded.data
    header = read_header(data, file_name)
    columns = map_columns(extract, header)
    assert header is not None  # map_columns raised otherwise: every file has required columns
    for column_name, message in columns.warnings:
        log.warning("%s: %s", file_name, message)
        result.warnings.append(f"{file_name}: {message}")
        _run(
            con, "INSERT INTO raw.load_warnings VALUES (?, ?, ?)", [file_name, column_name, message]
        )
    source = path
    if decoded.transcoded:
        source = tmp / file_name
        source.write_bytes(data)

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

    scan: RecordScan | None = None
    try:
        stage(source)
    except duckdb.Error as exc:
        scan = scan_records(data)
        short_rows = _diagnose(data, scan, columns.field_count, file_name).short_rows
        spans = scan.blank_spans
        if scan.unterminated_line is not None:  # a stray quote: the scan is unreliable
            spans = csv_blank_spans(data)
        cleaned = cleaned_copy(data, spans)
        if cleaned == data and not short_rows:
            raise LoadError(f"{file_name}: {_first_line(exc)}") from None
        if cleaned != data:
            source = tmp / file_name
            source.write_bytes(cleaned)
        try:
            stage(source, pad=short_rows)
        except duckdb.Error as again:
            raise LoadError(f"{file_name}: {_first_line(again)}") from None

    rows = _scalar(con, f"SELECT count(*) FROM {STAGE}")
    offset = _line_offset(data, rows, header.line) if scan is None else None
    if offset is None:
        _register_lines(con, data, scan, rows, file_name)

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
        if rejected / rows > threshold:
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
    log.info(
        "%s: %d rows read, %d loaded, %d rejected (%s) in %.2f s",
        file_name, rows, loaded, rejected, decoded.encoding, time.perf_counter() - started,
    )  # fmt: skip
    return _FileStats(decoded.encoding, rows, loaded, rejected)


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


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def _diagnose(data: bytes, scan: RecordScan, field_count: int, file_name: str) -> Layout:
    """The file's CSV layout; a LoadError naming the line when DuckDB cannot read it.

    A record with fewer fields than the header is fine (its missing fields are
    null); one with more, or a quoted field never closed, is an error.
    """
    if scan.unterminated_line is None:
        found = layout(data, scan, field_count)
    else:  # an odd number of quotes: unterminated, or a stray quote DuckDB reads literally
        found = csv_layout(data, field_count)
    if found.error is not None:
        line, problem = found.error
        separator = "" if problem.startswith("has ") else ":"
        raise LoadError(f"{file_name}: line {line}{separator} {problem}")
    return found


def _line_offset(data: bytes, rows: int, header_line: int) -> int | None:
    """``_line - ordinal`` when every record after the header is one whole line, else None.

    Each record takes at least one line and DuckDB skips empty lines, so ``rows``
    records filling exactly the lines after the header means one line each.
    """
    content_end = len(data)
    while content_end and data[content_end - 1] in b" \t\r\n":
        content_end -= 1
    last_line = data.count(b"\n", 0, content_end) + 1
    if rows + header_line == last_line:
        return header_line + 1
    return None


def _register_lines(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    scan: RecordScan | None,
    rows: int,
    file_name: str,
) -> None:
    """The temp table ``_lines(rn, line)``: each record's start line by ordinal."""
    lines = (scan or scan_records(data)).data_lines
    if lines.size != rows:
        lines = csv_record_lines(data)[1:]
    if lines.size != rows:
        raise LoadError(
            f"{file_name}: cannot number the lines: DuckDB read {rows} records, "
            f"a scan of the file found {lines.size}"
        )
    # a dict of numpy arrays is a table to DuckDB (no pandas needed)
    frame = {"rn": np.arange(rows, dtype=np.int64), "line": lines.astype(np.int64)}
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
    first = _run(
        con,
        f"SELECT {line}, r.column_name, r.reason FROM {REJECTS} AS r {join} "
        "ORDER BY r.rn, r.col_order LIMIT 1",
    )[0]
    raise LoadError(
        f"{file_name}: {rejected} of {rows} rows rejected ({100 * rejected / rows:.1f}%), "
        f"over the {100 * threshold:g}% threshold; "
        f"first: line {first[0]} {first[1]}: {first[2]}"
    )
