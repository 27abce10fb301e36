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

import logging
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import closing
from pathlib import Path

import duckdb

from cscperf.contract import EXTRACTS, Extract
from cscperf.loading.db import run as _run
from cscperf.loading.errors import LoadError
from cscperf.loading.extract_file import LoadResult, land_file
from cscperf.loading.files import check_extract
from cscperf.loading.sql import RAW_TABLES_SQL, quote_literal
from cscperf.settings import Settings

# the loader's log channel, by this name in the console (cscperf.logs) and its tests
log = logging.getLogger("cscperf.loader")


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
                stats = land_file(con, extract, extracts_dir, Path(tmp), threshold, result)
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
