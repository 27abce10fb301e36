"""The nightly refresh flow and its schedule: 02:00 every day, Europe/London.

02:00 exists exactly once on every UK day: clocks change at 01:00 GMT
(spring: 01:00 -> 02:00) and 02:00 BST (autumn: 02:00 -> 01:00).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect.schedules import Cron

from cscperf.orchestration import nightly_refresh
from cscperf.pipeline import TIMEZONE
from cscperf.settings import Settings

__all__ = ["NIGHTLY_CRON", "TIMEZONE", "nightly_deployment", "nightly_refresh"]

NIGHTLY_CRON = "0 2 * * *"
DEPLOYMENT_NAME = "nightly"


def nightly_deployment(settings: Settings, extracts_dir: Path) -> Any:
    """The scheduled nightly deployment (a RunnerDeployment for ``prefect.serve``)."""
    return nightly_refresh.to_deployment(
        name=DEPLOYMENT_NAME,
        description="Nightly refresh: land, check, build and publish as at today.",
        schedules=[Cron(NIGHTLY_CRON, timezone=TIMEZONE)],
        parameters={
            "extracts_dir": str(extracts_dir),
            "warehouse": str(settings.paths.warehouse),
        },
        tags=["cscperf", "nightly"],
    )
