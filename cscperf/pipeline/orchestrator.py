"""Which orchestrator runs ``cscperf run``: Prefect's flows when a Prefect server is
configured, otherwise the steps directly (no temporary server, no Prefect import)."""

from __future__ import annotations

import os
import tomllib
from datetime import date, datetime
from pathlib import Path

from cscperf.pipeline.clock import LONDON
from cscperf.pipeline.errors import PipelineError
from cscperf.pipeline.run import RunResult, execute_run
from cscperf.settings import Settings


def prefect_server_configured() -> bool:
    """Whether a Prefect server is configured (then ``auto`` runs go through flows).

    ``PREFECT_API_URL`` in the environment, or in the active profile of
    Prefect's ``profiles.toml`` -- read as a file: importing Prefect's settings
    to ask takes seconds.
    """
    if os.environ.get("PREFECT_API_URL"):
        return True
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    profiles = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml")
    try:
        data = tomllib.loads(profiles.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    active = os.environ.get("PREFECT_PROFILE") or data.get("active") or "ephemeral"
    profile = (data.get("profiles") or {}).get(active) or {}
    return bool(profile.get("PREFECT_API_URL"))


def run_pipeline(
    extracts_dir: Path,
    as_at: date,
    warehouse: Path,
    settings: Settings,
    report_dir: Path | None = None,
    nightly: bool = False,
) -> RunResult:
    """``cscperf run``: one run for one as-at date; the report only if asked.
    ``nightly``: the nightly run instead (no report; writes the work-due lists).

    With a Prefect server configured the run is the monthly (or nightly) flow,
    visible in Prefect's UI; without one, the same steps run directly (Prefect
    would otherwise start a temporary server for 10-15 s).
    """
    kind = "nightly" if nightly else "manual"
    mode = settings.run.orchestrator
    if mode not in {"auto", "prefect", "direct"}:
        raise PipelineError(f"run.orchestrator: {mode!r} is not auto, prefect or direct")
    if mode == "direct" or (mode == "auto" and not prefect_server_configured()):
        return execute_run(kind, Path(extracts_dir), as_at, Path(warehouse), settings,
                           Path(report_dir) if report_dir is not None else None,
                           datetime.now(LONDON).date())
    from cscperf.orchestration import run_flow

    return run_flow(Path(extracts_dir), as_at, Path(warehouse), settings,
                    Path(report_dir) if report_dir is not None else None, kind)
