"""Each landed record's ``_line``: the ordinal plus an offset when every record is
one line, else a temp table ``_lines(rn, line)`` from a streamed scan of the file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import numpy.typing as npt

from cscperf.loading import diagnose
from cscperf.loading.db import run
from cscperf.loading.errors import LoadError
from cscperf.loading.records import Unscannable, csv_file_lines, scan_file
from cscperf.loading.sql import LINES, MAX_LINE_BYTES


def line_offset(last_line: int, rows: int, header_line: int) -> int | None:
    """``_line - ordinal`` when every record after the header is one whole line, else None.

    ``last_line``: the line of the file's last byte that is not a space or line
    break. Each record takes at least one line and DuckDB skips empty lines, so
    ``rows`` records filling exactly the lines after the header means one line each.
    """
    if rows + header_line == last_line:
        return header_line + 1
    return None


def register_lines(
    con: duckdb.DuckDBPyConnection,
    source: Path,
    lines: npt.NDArray[np.int64] | None,
    rows: int,
    file_name: str,
) -> None:
    """The temp table ``_lines(rn, line)``: each record's start line by ordinal.

    ``lines``: the data records' start lines from a scan already made, else the
    file ``source`` is scanned (streamed, in pieces of ``diagnose.SCAN_CHUNK``);
    Python's csv reader when the counts disagree (a stray quote).
    """
    if lines is None:
        try:
            lines = scan_file(
                source, 0, MAX_LINE_BYTES, diagnose.SCAN_CHUNK, diagnose.PENDING_LIMIT
            ).data_lines
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
        run(con, f"CREATE OR REPLACE TEMP TABLE {LINES} AS SELECT * FROM _lines_frame")
    finally:
        con.unregister("_lines_frame")


def line_of(rn: str, offset: int | None, alias: str, left: bool = False) -> tuple[str, str]:
    """(expression, join clause) giving the line of the record with ordinal ``rn``."""
    if offset is not None:
        return f"({rn} + {offset})", ""
    kind = "LEFT JOIN" if left else "JOIN"
    return f"{alias}.line", f"{kind} {LINES} AS {alias} ON {alias}.rn = {rn}"
