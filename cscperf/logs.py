"""Logging set-up for the command line: one line per event, to stderr."""

from __future__ import annotations

import logging
import os


def quiet_telemetry() -> None:
    """No telemetry from any library this project uses, ever."""
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def configure_logging(verbose: bool = False) -> None:
    level = logging.DEBUG if verbose else logging.INFO
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )
    for noisy in ("urllib3", "matplotlib", "PIL", "fontTools", "asyncio", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


quiet_telemetry()
