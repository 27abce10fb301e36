"""The monthly run: land -> dbt build -> publish, into a new file swapped in.

The published warehouse is never written in place: every run builds into a
new DuckDB file beside it and replaces the published one with one rename,
only when every step succeeded.
"""

from __future__ import annotations

import logging
import os
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from cscperf.settings import Settings

log = logging.getLogger(__name__)


class PipelineError(RuntimeError):
    """A step failed; the published warehouse is unchanged."""


@dataclass
class RunResult:
    as_at: date
    warehouse: Path
    rows_loaded: dict[str, int] = field(default_factory=dict)
    rows_rejected: int = 0
    report_paths: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        loaded = sum(self.rows_loaded.values())
        lines = [
            f"published {self.warehouse} as at {self.as_at.isoformat()}: "
            f"{loaded} rows loaded, {self.rows_rejected} rejected"
        ]
        lines += [f"report: {p}" for p in self.report_paths]
        return "\n".join(lines)


def build_path_for(warehouse: Path) -> Path:
    """A fresh file beside the warehouse for this run to build into."""
    return warehouse.with_name(f".{warehouse.stem}.build-{uuid.uuid4().hex[:8]}.duckdb")


def run_pipeline(
    extracts_dir: Path,
    as_at: date,
    warehouse: Path,
    settings: Settings,
    report_dir: Path | None = None,
) -> RunResult:
    from cscperf.dbt_runner import DbtError, build
    from cscperf.loader import LoadError, land

    warehouse = Path(warehouse)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    building = build_path_for(warehouse)
    result = RunResult(as_at=as_at, warehouse=warehouse)
    try:
        load = land(Path(extracts_dir), building, settings)
        result.rows_loaded = dict(load.rows_loaded)
        result.rows_rejected = load.rows_rejected
        build(building, settings, as_at)
        os.replace(building, warehouse)
        log.info("published %s", warehouse)
    except (LoadError, DbtError) as exc:
        raise PipelineError(str(exc)) from exc
    finally:
        for leftover in (building, building.with_name(building.name + ".wal")):
            if leftover.exists():
                leftover.unlink()
    if report_dir is not None:
        from cscperf.report import render_report

        result.report_paths = render_report(
            warehouse=warehouse, as_at=as_at, out_dir=report_dir, publish=False,
            settings=settings,
        )
    return result
