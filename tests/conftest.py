"""Fixtures shared by several test modules."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest

DEMO_AS_AT = date(2015, 10, 31)


@dataclass(frozen=True)
class DemoRun:
    """The demo extract set (herefordshire-2015, seed 2015) run as at 2015-10-31."""

    root: Path
    extracts: Path
    warehouse: Path
    quality: Path


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """Generate the demo and run the whole pipeline once per session (directly, no Prefect)."""
    from cscperf.generator import generate
    from cscperf.pipeline import run_pipeline
    from cscperf.settings import load_settings

    root = tmp_path_factory.mktemp("demo")
    extracts = root / "extracts"
    generate("herefordshire-2015", extracts, seed=2015)
    warehouse = root / "warehouse" / "cscperf.duckdb"
    settings = load_settings()
    settings = replace(
        settings,
        paths=replace(settings.paths, quality=root / "quality", warehouse=warehouse),
        run=replace(settings.run, orchestrator="direct"),
    )
    run_pipeline(extracts, DEMO_AS_AT, warehouse, settings)
    return DemoRun(root=root, extracts=extracts, warehouse=warehouse, quality=root / "quality")


@pytest.fixture(scope="session")
def demo_warehouse(demo_run: DemoRun) -> Path:
    return demo_run.warehouse


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory: pytest.TempPathFactory):
    """One Prefect test server for the session: its API URL, PREFECT_HOME and database."""
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_HOME,
        PREFECT_SERVER_DATABASE_CONNECTION_URL,
        temporary_settings,
    )
    from prefect.testing.utilities import prefect_test_harness

    home = tmp_path_factory.mktemp("prefect-home")
    with temporary_settings(updates={PREFECT_HOME: home}), prefect_test_harness():
        database = str(PREFECT_SERVER_DATABASE_CONNECTION_URL.value()).split(":///", 1)[-1]
        yield {"url": PREFECT_API_URL.value(), "home": str(home), "database": Path(database)}
