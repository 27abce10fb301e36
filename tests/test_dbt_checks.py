"""The merged ``checks`` test (macros/tests/checks.sql) fails on what its checks find.

One dbt node runs all of a model's checks; a failure must still say which
check failed and on how many rows (never a record's values).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from cscperf.dbt_runner import DbtError, run_dbt
from cscperf.settings import load_settings

AS_AT = date(2015, 10, 31)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("checks")
    db = tmp / "seeded.duckdb"
    run_dbt(["seed", "--select", "indicator_wording"], db, load_settings(), AS_AT,
            target_path=tmp / "target")
    run_dbt(["run", "--select", "indicator_catalogue"], db, load_settings(), AS_AT,
            target_path=tmp / "target")
    return db, tmp / "target"


def test_checks_pass_on_the_seed_as_shipped(seeded):
    db, target = seeded
    run_dbt(["test", "--select", "indicator_catalogue_checks"], db, load_settings(), AS_AT,
            target_path=target)


def test_checks_name_each_failing_check_and_its_rows(seeded):
    db, target = seeded
    with duckdb.connect(str(db)) as con:
        con.execute("insert into reference.indicator_catalogue "
                    "select * from reference.indicator_catalogue where indicator_code in (1, 2)")
        con.execute("update reference.indicator_catalogue set polarity = 'sideways' "
                    "where indicator_code = 3")
    with pytest.raises(DbtError) as failure:
        run_dbt(["test", "--select", "indicator_catalogue_checks"], db, load_settings(), AS_AT,
                target_path=target)
    message = str(failure.value)
    assert "indicator_catalogue_checks: unique(indicator_code) (2 rows)" in message
    assert "indicator_catalogue_checks: accepted_values(polarity) (1 rows)" in message
    assert "not_null(indicator_code)" not in message
    assert "sideways" not in message  # a count, never the values
