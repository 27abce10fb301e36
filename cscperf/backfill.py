"""``cscperf backfill``: the history of past month ends as they would have been known then.

One extract set is landed once; dbt is invoked once (:mod:`cscperf.dbt_compiled`);
then for each month end M from ``--from`` to ``--to`` the compiled models are
executed as at M (the as-at rule: staging drops records dated after M and
treats later dates as unknown) and the figures the report of M would have
shown are appended to the history store as one entry of kind ``backfill``.

Only the history store is written (under the warehouse lock): the published
warehouse is not rebuilt; the next published run carries the back-filled
entries into ``marts.indicator_history``. No data-quality checks run: a
back-fill reports nothing, it records what the extract says about the past.
"""

from __future__ import annotations

import logging
import shutil
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from cscperf import calendar
from cscperf.history import Entry, HistoryStore, reported_figures
from cscperf.settings import Settings

log = logging.getLogger(__name__)

REPORT_MODELS = ("indicator_report", "indicator_values")


class BackfillError(RuntimeError):
    """The back-fill could not run (one line, no record values)."""


@dataclass(frozen=True)
class BackfillResult:
    entries: list[Entry]
    seconds: float

    def summary(self) -> str:
        months = ", ".join(e.as_at.strftime("%Y-%m") for e in self.entries[:3])
        more = f" ... {self.entries[-1].as_at:%Y-%m}" if len(self.entries) > 3 else ""
        return (f"back-filled {len(self.entries)} month end(s) ({months}{more}) "
                f"in {self.seconds:.1f} s")


def month_ends(first: date, last: date) -> list[date]:
    """Every month end from the month of ``first`` to the month of ``last``."""
    if last < first:
        raise BackfillError(f"--to {last:%Y-%m} is before --from {first:%Y-%m}")
    return calendar.month_ends(first, last)


def compute_entries(building: Path, months: list[date], extracts_dir: Path, run_id: str,
                    settings: Settings, target_path: Path) -> list[Entry]:
    """Build as at each month end in ``building`` (already landed) and return the entries."""
    from cscperf.dbt_compiled import prepare

    project = prepare(building, settings, target_path)
    import json

    manifest = json.loads((target_path / "manifest.json").read_text(encoding="utf-8"))
    project = project.upstream_of(REPORT_MODELS, manifest)
    entries = []
    con = duckdb.connect(str(building))
    try:
        for month in months:
            project.execute(con, month)
            figures = reported_figures(con, month)
            entries.append(Entry(f"{run_id}-backfill-{month:%Y-%m}", "backfill", month,
                                 str(extracts_dir), datetime.now().astimezone(), month,
                                 figures))
            log.info("back-fill: %s, %d figures", month.isoformat(), len(figures))
    finally:
        con.close()
    return entries


def backfill(extracts_dir: Path, first: date, last: date, warehouse: Path,
             settings: Settings) -> BackfillResult:
    """Land once, build as at each month end, append one ``backfill`` entry per month."""
    import time

    from cscperf.dbt_runner import analyst_path_for
    from cscperf.pipeline import build_path_for, land_step, new_run_id, prepare_files
    from cscperf.pipeline.paths import remove_build_files
    from cscperf.publish import warehouse_lock

    started = time.monotonic()
    months = month_ends(first, last)
    warehouse = Path(warehouse)
    restricted = prepare_files(settings, warehouse)
    run_id = new_run_id()
    store = HistoryStore(warehouse)
    with warehouse_lock(warehouse, settings.publish.lock_timeout_seconds, run_id):
        store.recover()
        building = build_path_for(restricted)
        target = restricted / f".cscperf.dbt-{uuid.uuid4().hex[:8]}"
        try:
            land_step(Path(extracts_dir), building, settings)
            entries = compute_entries(building, months, Path(extracts_dir), run_id, settings,
                                      target)
            for entry in entries:  # all months built before any is recorded
                store.append(entry)
        finally:
            remove_build_files(building, analyst_path_for(building))  # dbt attaches the second
            shutil.rmtree(target, ignore_errors=True)
    return BackfillResult(entries, time.monotonic() - started)
