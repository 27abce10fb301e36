"""The run's clock: the time zone of schedules and run ids, and "today".

Calendar questions (first working day, last month end) are :mod:`cscperf.calendar`'s.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

TIMEZONE = "Europe/London"  # of schedules, run ids and "today"
LONDON = ZoneInfo(TIMEZONE)


def london_today() -> date:
    """Today in Europe/London; for a scheduled flow run, the day it was scheduled for."""
    try:
        from prefect.runtime import flow_run

        scheduled = flow_run.scheduled_start_time
        if scheduled is not None:
            return datetime.fromisoformat(str(scheduled)).astimezone(LONDON).date()
    except Exception:  # not in a flow run, or no scheduled time
        pass
    return datetime.now(LONDON).date()
