"""A run's files and id: the build file, the analyst file, the run id, the folders."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from pathlib import Path

from cscperf import security
from cscperf.pipeline.clock import LONDON
from cscperf.settings import PROJECT_DIR, Settings

log = logging.getLogger("cscperf.pipeline")  # the run's log channel (cscperf.logs knows it)


def build_path_for(folder: Path) -> Path:
    """A fresh build file (personal data) in the restricted ``folder``."""
    return Path(folder) / f"{security.BUILD_PREFIX}{uuid.uuid4().hex[:8]}.duckdb"


def publish_path_for(warehouse: Path) -> Path:
    """A fresh analyst file beside the warehouse, renamed onto it when published."""
    return Path(warehouse).with_name(f"{security.PUBLISH_PREFIX}{uuid.uuid4().hex[:8]}.duckdb")


def new_run_id(now: datetime | None = None) -> str:
    now = now or datetime.now(LONDON)
    return f"{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"


def prepare_files(settings: Settings, warehouse: Path) -> Path:
    """Before a run writes anything: the umask, the restricted folder, dbt's folders."""
    security.apply_umask(settings.security.umask)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    for folder in ("target", "logs"):  # dbt's artefacts and log, from earlier runs too
        security.restrict_tree(PROJECT_DIR / folder)
    return security.private_dir(settings.paths.restricted_for(warehouse))


def remove_build_files(*paths: Path) -> None:
    for path in paths:
        for leftover in (path, path.with_name(path.name + ".wal")):
            try:
                leftover.unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                log.warning("could not remove %s: %s", leftover, exc.strerror)
