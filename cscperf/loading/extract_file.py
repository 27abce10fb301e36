"""Land one extract: settle its encoding, match its header, stage it in DuckDB,
reject its bad fields and write ``raw.<extract>`` with each record's ``_line``."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import numpy.typing as npt

from cscperf.contract import Extract
from cscperf.loading import db, encoding
from cscperf.loading.db import run, scalar
from cscperf.loading.diagnose import duckdb_problem, scan_unreadable
from cscperf.loading.encoding import settle
from cscperf.loading.errors import LoadError
from cscperf.loading.header import map_columns, read_header
from cscperf.loading.line_numbers import line_of, line_offset, register_lines
from cscperf.loading.records import write_cleaned
from cscperf.loading.rejects import raise_over_threshold, reject_long_records
from cscperf.loading.sql import (
    LINES,
    REJECTS,
    STAGE,
    quote_ident,
    quote_literal,
    read_csv_sql,
    rejects_sql,
    stage_select,
    stage_sql,
)

# the loader's log channel, by this name in the console (cscperf.logs) and its tests
log = logging.getLogger("cscperf.loader")


@dataclass
class LoadResult:
    rows_loaded: dict[str, int] = field(default_factory=dict)  # per extract name
    rows_rejected: int = 0  # rows, not fields: a row with two bad fields counts once
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FileStats:
    encoding: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int


def land_file(
    con: duckdb.DuckDBPyConnection,
    extract: Extract,
    extracts_dir: Path,
    tmp: Path,
    threshold: float,
    result: LoadResult,
) -> FileStats:
    """Land ``extract`` from ``extracts_dir`` into ``raw``; its warnings go to ``result``."""
    started = time.perf_counter()
    file_name = extract.file_name
    decoded = settle(extracts_dir / file_name, file_name, tmp)
    header = read_header(decoded.path, file_name)
    columns = map_columns(extract, header)
    assert header is not None  # map_columns raised otherwise: every file has required columns
    for column_name, message in columns.warnings:
        log.warning("%s: %s", file_name, message)
        result.warnings.append(f"{file_name}: {message}")
        run(
            con, "INSERT INTO raw.load_warnings VALUES (?, ?, ?)", [file_name, column_name, message]
        )
    source = decoded.path

    ordinal = "rowid"

    def stage(from_path: Path, pad: bool = False) -> None:
        nonlocal ordinal
        read = read_csv_sql(str(from_path), columns.field_count, header.line - 1, pad)
        select = stage_select(extract, columns.positions, read)
        if db.keeps_file_order(con, select):
            ordinal = "rowid"
        else:  # a DuckDB planner change (tested by monkeypatching)
            log.warning("%s: numbering records with a window (slower)", file_name)
            select = stage_select(extract, columns.positions, read, numbered=True)
            ordinal = "_rn"
        run(con, stage_sql(select))

    lines: npt.NDArray[np.int64] | None = None
    long_records: list[tuple[int, int, int]] = []
    try:
        stage(source)
    except duckdb.Error as exc:
        scan = scan_unreadable(source, columns.field_count, file_name)
        lines, long_records = scan.data_lines, scan.long_records
        if not scan.blank_spans and not scan.mixed_line_ends and not scan.short_rows:
            raise LoadError(f"{file_name}: {duckdb_problem(exc)}") from None
        if scan.blank_spans or scan.mixed_line_ends:
            cleaned = tmp / f"cleaned-{file_name}"
            write_cleaned(
                source, cleaned, scan.blank_spans, scan.mixed_line_ends, encoding.READ_CHUNK
            )
            source = cleaned
        try:
            stage(source, pad=scan.short_rows)
        except duckdb.Error as again:
            raise LoadError(f"{file_name}: {duckdb_problem(again)}") from None

    rows = scalar(con, f"SELECT count(*) FROM {STAGE}")
    offset = None
    if lines is None:
        offset = line_offset(decoded.last_line, rows, header.line)
    if offset is None:
        register_lines(con, decoded.path, lines, rows, file_name)

    run(con, rejects_sql(extract, ordinal))
    rejected = scalar(con, f"SELECT count(DISTINCT rn) FROM {REJECTS}")
    if rejected:
        line_r, join_r = line_of("r.rn", offset, "lr")
        line_f, join_f = line_of("r.first_rn", offset, "lf", left=True)
        run(
            con,
            f"INSERT INTO raw.rejected_rows SELECT {quote_literal(file_name)}, {line_r}, "
            f"r.record_id, r.column_name, r.value, CASE WHEN r.first_rn IS NULL THEN r.reason "
            f"ELSE r.reason || ' (first at line ' || {line_f} || ')' END "
            f"FROM {REJECTS} AS r {join_r} {join_f} ORDER BY r.rn, r.col_order",
        )
    if long_records:
        reject_long_records(con, extract, columns.positions, decoded.path, long_records)
        rows += len(long_records)
        rejected += len(long_records)
    if rejected and rejected / rows > threshold:
        raise_over_threshold(con, file_name, rows, rejected, threshold, offset)

    select = ", ".join(f"s.{quote_ident(c.db_name)}" for c in extract.columns)
    line_s, join_s = line_of(f"s.{ordinal}", offset, "ls")
    anti = f"ANTI JOIN {REJECTS} AS r ON r.rn = s.{ordinal}" if rejected else ""
    # _line carries the order, so the table may be written in parallel, unordered
    run(con, "SET preserve_insertion_order = false")
    run(
        con,
        f"CREATE TABLE raw.{quote_ident(extract.name)} AS SELECT {select}, "
        f"CAST({line_s} AS BIGINT) AS _line FROM {STAGE} AS s {join_s} {anti}",
    )
    run(con, "SET preserve_insertion_order = true")
    loaded = rows - rejected
    run(
        con,
        "INSERT INTO raw.load_log VALUES (?, ?, ?, ?, ?)",
        [file_name, decoded.encoding, rows, loaded, rejected],
    )
    run(con, f"DROP TABLE IF EXISTS {STAGE}; DROP TABLE IF EXISTS {REJECTS}")
    run(con, f"DROP TABLE IF EXISTS {LINES}")
    for leftover in (tmp / file_name, tmp / f"cleaned-{file_name}"):
        leftover.unlink(missing_ok=True)
    log.info(
        "%s: %d rows read, %d loaded, %d rejected (%s) in %.2f s",
        file_name, rows, loaded, rejected, decoded.encoding, time.perf_counter() - started,
    )  # fmt: skip
    return FileStats(decoded.encoding, rows, loaded, rejected)
