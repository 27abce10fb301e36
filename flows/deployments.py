"""``cscperf serve``: register the nightly and monthly schedules and run them.

Needs a Prefect server (``prefect server start``, local SQLite) and
``PREFECT_API_URL`` pointing at it; Prefect's temporary server refuses to
schedule deployments. See docs/operations.md.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from cscperf.logs import quiet_telemetry
from cscperf.settings import Settings
from flows.monthly import monthly_deployment
from flows.nightly import nightly_deployment

log = logging.getLogger("cscperf.flows")

def build_deployments(settings: Settings, extracts_dir: Path | None = None) -> list[Any]:
    """Both deployments, reading extracts from ``paths.extracts`` unless told otherwise."""
    folder = extracts_dir or settings.paths.extracts
    return [nightly_deployment(settings, folder), monthly_deployment(settings, folder)]


def serve_all(settings: Settings, extracts_dir: Path | None = None) -> None:
    """Serve both deployments (blocks until interrupted)."""
    quiet_telemetry()
    from prefect import serve
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():
        raise SystemExit(
            "cscperf serve needs a Prefect server: run `prefect server start` and set "
            "PREFECT_API_URL=http://127.0.0.1:4200/api (see docs/operations.md)"
        )
    deployments = build_deployments(settings, extracts_dir)
    log.info("serving %s against %s", ", ".join(d.name for d in deployments),
             PREFECT_API_URL.value())
    serve(*deployments)
