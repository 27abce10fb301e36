"""What the nightly run does with the work due, once the warehouse is published:
write the work-due lists (``cscperf.worklists``) and append the day's counts to
the trend history (``cscperf.work_due_trend``)."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import duckdb

from cscperf.settings import Settings
from cscperf.work_due_trend import append_trend, trend_path_for
from cscperf.worklists import write_work_lists

log = logging.getLogger(__name__)


def has_work_due(warehouse: Path) -> bool:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        row = con.execute(
            "select count(*) from information_schema.tables"
            " where table_schema = 'marts' and table_name = 'work_due'"
        ).fetchone()
    finally:
        con.close()
    return bool(row and row[0])


def after_nightly_publish(warehouse: Path, as_at: date, settings: Settings) -> list[Path]:
    """Write the lists from the published ``warehouse``, then append the trend.
    A warehouse built without ``marts.work_due`` (a partial build) lists nothing."""
    if not has_work_due(Path(warehouse)):
        log.warning("%s has no marts.work_due: no work-due lists written", warehouse)
        return []
    files = write_work_lists(Path(warehouse), Path(settings.paths.work_lists))
    append_trend(Path(warehouse), trend_path_for(Path(warehouse)), as_at)
    log.info("wrote %d work-due list files in %s", len(files), settings.paths.work_lists)
    return files
