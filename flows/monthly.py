"""The monthly report flow and its schedule.

Cron cannot say "the first working day of the month" (bank holidays, local
closure days), so the deployment runs at 06:00 Europe/London on the weekdays
among days 1-10 of every month (day-of-month AND day-of-week, ``day_or=False``)
and the flow's first step returns at once unless the day is the first working
day by the project's calendar (``cscperf.calendar.is_first_working_day``:
England bank holidays from ``holidays`` plus the ``local_closure_days`` seed).
Days 1-10 leave room for a long closure after New Year.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect.schedules import Cron

from cscperf.orchestration import monthly_report
from cscperf.pipeline import TIMEZONE
from cscperf.settings import Settings

__all__ = ["MONTHLY_CRON", "TIMEZONE", "monthly_deployment", "monthly_report"]

MONTHLY_CRON = "0 6 1-10 * 1-5"
DEPLOYMENT_NAME = "monthly"


def monthly_deployment(settings: Settings, extracts_dir: Path) -> Any:
    """The scheduled monthly deployment (a RunnerDeployment for ``prefect.serve``)."""
    return monthly_report.to_deployment(
        name=DEPLOYMENT_NAME,
        description="Monthly performance report: as at the last month end, on the "
                    "first working day of the month at 06:00 (Europe/London).",
        schedules=[Cron(MONTHLY_CRON, timezone=TIMEZONE, day_or=False)],
        parameters={
            "extracts_dir": str(extracts_dir),
            "warehouse": str(settings.paths.warehouse),
            "report_dir": str(settings.paths.reports),
            "only_on_first_working_day": True,
        },
        tags=["cscperf", "monthly"],
    )
