"""A timescale is a setting: changing it in the settings changes the figure.

The demo is landed and built once with the default settings, then the models
downstream of the ICPC timeliness model are rebuilt with a shorter
``[timescales] icpc_working_days``: code 23's numerator must follow it (and
agree with the intermediate model's working-day counts), its denominator not.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import duckdb
import pytest

from cscperf.dbt_runner import run_dbt
from cscperf.generator import generate
from cscperf.loading import land
from cscperf.settings import Settings, load_settings

AS_AT = date(2015, 10, 31)
SHORTER = 5  # working days: well below the default, so some ICPCs fall outside it


def _code_23(db: Path) -> tuple[int, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(
            "select sum(numerator), sum(denominator) from marts.indicator_values"
            " where indicator_code = 23"
        ).fetchone()
    assert row is not None
    return int(row[0] or 0), int(row[1] or 0)


def _within(db: Path, limit: int) -> int:
    """ICPCs counted by the model's own working-day counts at ``limit`` (code 23 numerator)."""
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(
            "select count(*) filter (where is_within_timescale),"
            " count(*) filter (where is_traceable and working_days_from_sd <= ?)"
            " from intermediate.int_child_protection__icpc_timeliness",
            [limit],
        ).fetchone()
    assert row is not None
    assert row[0] == row[1], "is_within_timescale does not follow icpc_working_days"
    return int(row[0])


def _with_icpc_limit(settings: Settings, days: int) -> Settings:
    return dataclasses.replace(
        settings, timescales=dataclasses.replace(settings.timescales, icpc_working_days=days)
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Settings]:
    tmp = tmp_path_factory.mktemp("timescales")
    extracts, db = tmp / "extracts", tmp / "warehouse.duckdb"
    generate("herefordshire-2015", extracts, seed=2015)
    settings = load_settings()
    land(extracts, db, settings)
    run_dbt(["seed"], db, settings, AS_AT, target_path=tmp / "target")
    run_dbt(["run"], db, settings, AS_AT, target_path=tmp / "target")
    return tmp, db, settings


def test_a_shorter_icpc_timescale_lowers_code_23(built: tuple[Path, Path, Settings]) -> None:
    tmp, db, settings = built
    default = settings.timescales.icpc_working_days
    assert default > SHORTER
    numerator, denominator = _code_23(db)
    assert numerator == _within(db, default)

    shorter = _with_icpc_limit(settings, SHORTER)
    run_dbt(["run", "--select", "int_child_protection__icpc_timeliness+"], db, shorter, AS_AT,
            target_path=tmp / "target")
    short_numerator, short_denominator = _code_23(db)
    assert short_denominator == denominator
    assert short_numerator == _within(db, SHORTER)
    assert short_numerator < numerator
