"""The run's calendar (first working day, as-at defaults) and small pieces of the pipeline."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cscperf import calendar, pipeline
from cscperf.calendar import WorkCalendar, first_working_day, is_first_working_day, last_month_end
from cscperf.pipeline import RunResult, build_path_for


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2015, 11, date(2015, 11, 2)),  # the 1st is a Sunday
        (2024, 4, date(2024, 4, 2)),  # Easter Monday on the 1st
        (2023, 5, date(2023, 5, 2)),  # early May bank holiday on the 1st
        (2022, 1, date(2022, 1, 4)),  # New Year's Day on a Saturday: substitute Monday 3rd
        (2015, 10, date(2015, 10, 1)),
    ],
)
def test_first_working_day(year: int, month: int, expected: date):
    assert first_working_day(year, month) == expected
    assert is_first_working_day(expected)


def test_local_closure_days_move_the_first_working_day(monkeypatch):
    closed = WorkCalendar(closure_days=frozenset({date(2024, 4, 2)}))
    monkeypatch.setattr(calendar, "default_calendar", lambda: closed)
    assert first_working_day(2024, 4) == date(2024, 4, 3)
    assert not is_first_working_day(date(2024, 4, 2))  # what the monthly flow asks


def test_the_monthly_cron_reaches_every_first_working_day():
    """The schedule runs on weekdays among days 1-10; the flow picks the first
    working day among them. Every month of the calendar must be covered."""
    for year in range(2000, 2036):
        for month in range(1, 13):
            day = first_working_day(year, month)
            assert day.day <= 10 and day.weekday() < 5, day


def test_last_month_end():
    assert last_month_end(date(2015, 11, 2)) == date(2015, 10, 31)
    assert last_month_end(date(2016, 3, 1)) == date(2016, 2, 29)
    assert last_month_end(date(2016, 1, 4)) == date(2015, 12, 31)


def test_build_path_is_a_fresh_file_in_the_restricted_folder(tmp_path: Path):
    restricted = tmp_path / "restricted"
    first, second = build_path_for(restricted), build_path_for(restricted)
    assert first.parent == restricted and first != second
    assert ".build-" in first.name and first.suffix == ".duckdb"


def test_summary_keeps_its_first_line():
    result = RunResult(as_at=date(2015, 10, 31), warehouse=Path("/w/c.duckdb"),
                       rows_loaded={"a": 2, "b": 3}, rows_rejected=1, run_id="r1", warnings=2)
    lines = result.summary().splitlines()
    assert lines[0] == "published /w/c.duckdb as at 2015-10-31: 5 rows loaded, 1 rejected"
    assert "2 data-quality warning(s)" in lines[1]


def test_a_prefect_server_is_found_in_the_environment_or_the_active_profile(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    for name in ("PREFECT_API_URL", "PREFECT_PROFILE", "PREFECT_PROFILES_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    assert not pipeline.prefect_server_configured()  # no profiles file
    (tmp_path / "profiles.toml").write_text(
        'active = "local"\n[profiles.local]\nPREFECT_API_URL = "http://127.0.0.1:4200/api"\n'
        '[profiles.ephemeral]\n')
    assert pipeline.prefect_server_configured()
    monkeypatch.setenv("PREFECT_PROFILE", "ephemeral")
    assert not pipeline.prefect_server_configured()
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    assert pipeline.prefect_server_configured()


DIRECT_RUN = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
import test_pipeline_support as support
import cscperf.pipeline as pipeline
# fake loader, dbt and checks (what is under test is the import, not the steps)
fakes = pipeline.StepFunctions(land_extracts=support.fake_land, build_marts=support.fake_build,
                               validate_raw=lambda *args: 0, validate_marts=lambda *args: 0)
settings = support.make_settings(Path(sys.argv[1]))
extracts = support.write_extracts(Path(sys.argv[1]) / "x")
with pipeline.using_step_functions(fakes):
    pipeline.run_pipeline(extracts, support.AS_AT, settings.paths.warehouse, settings)
print("prefect imported:", "prefect" in sys.modules)
"""


def test_a_direct_run_never_imports_prefect(tmp_path: Path):
    """Without a Prefect server, `cscperf run` runs its steps directly: no temporary
    server, not even Prefect's import (seconds)."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")
    out = subprocess.run([sys.executable, "-c", DIRECT_RUN, str(tmp_path),
                          str(Path(__file__).parent)], capture_output=True, text=True,
                         env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "prefect imported: False" in out.stdout
    assert (tmp_path / "warehouse" / "cscperf.duckdb").exists()
