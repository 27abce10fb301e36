"""The marts agree with the oracle on random extract sets full of edge cases.

Per scenario (an as-at date and indicator settings): write a random extract set
(tests/random_extracts.py), land it with the loader, ``dbt build`` it, and
compare every row of ``marts.indicator_values``, ``marts.contacts_by_agency``
and ``marts.indicator_breakdowns`` with the oracle (tests/oracle) computed
straight from the CSVs. One scenario plants bad rows: the loader's rejected
rows and landed ids must then match the oracle's reading of the files too.

Every difference is collected; a failure lists the first 30.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from cscperf.contract import EXTRACTS
from cscperf.dbt_runner import DbtError, run_dbt
from cscperf.loading import LoadResult, land
from cscperf.settings import Settings, load_settings
from tests.oracle import Results, compute
from tests.oracle.extracts import read_extracts
from tests.random_extracts import write_random_extracts

pytestmark = pytest.mark.slow

SHOWN = 30  # differences listed in a failure


@dataclass(frozen=True)
class Scenario:
    name: str
    seed: int
    as_at: date
    year_start_month: int = 1
    cp_visit_working_days: int = 10
    lac_visit_days: int = 42
    bad_rows: bool = False
    # the dbt unit tests check the SQL, not the data, and pin their own vars: they run
    # in one scenario's build; the others build every seed, model and data test
    unit_tests: bool = False


SCENARIOS = (
    Scenario("2015-10", seed=1, as_at=date(2015, 10, 31), unit_tests=True),
    Scenario("2014-06-financial-year", seed=2, as_at=date(2014, 6, 17), year_start_month=4),
    Scenario(
        "2016-02-leap-short-limits-bad-rows",
        seed=3,
        as_at=date(2016, 2, 29),
        cp_visit_working_days=7,
        lac_visit_days=30,
        bad_rows=True,
    ),
    Scenario("2013-01-early", seed=4, as_at=date(2013, 1, 5)),
)


@dataclass(frozen=True)
class Built:
    scenario: Scenario
    extracts: Path
    db: Path
    load: LoadResult
    oracle: Results
    build_error: str | None  # the full ``dbt build`` failed: marts built without unit tests

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.execute(sql).fetchall()


@pytest.fixture(scope="module", params=SCENARIOS, ids=lambda s: s.name)
def built(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    dbt_target: Callable[[Settings], Path],
) -> Built:
    scenario: Scenario = request.param
    tmp = tmp_path_factory.mktemp(scenario.name)
    extracts, db = tmp / "extracts", tmp / "warehouse.duckdb"
    write_random_extracts(extracts, scenario.seed, bad_rows=scenario.bad_rows)

    settings = load_settings()
    settings = dataclasses.replace(
        settings,
        indicators=dataclasses.replace(
            settings.indicators, year_start_month=scenario.year_start_month
        ),
        timescales=dataclasses.replace(
            settings.timescales,
            cp_visit_working_days=scenario.cp_visit_working_days,
            lac_visit_days=scenario.lac_visit_days,
        ),
    )
    load = land(extracts, db, settings)
    build_error = None
    target = dbt_target(settings)  # kept between scenarios with the same vars: partial parse
    without_unit_tests = ["build", "--exclude-resource-type", "unit_test"]
    try:
        run_dbt(["build"] if scenario.unit_tests else without_unit_tests, db, settings,
                scenario.as_at, target_path=target)
    except DbtError as exc:  # reported by test_dbt_build_passes; compare the marts anyway
        build_error = str(exc)
        if scenario.unit_tests:
            run_dbt(without_unit_tests, db, settings, scenario.as_at, target_path=target)

    oracle = compute(
        extracts,
        scenario.as_at,
        year_start_month=scenario.year_start_month,
        cp_visit_working_days=scenario.cp_visit_working_days,
        lac_visit_days=scenario.lac_visit_days,
    )
    return Built(scenario, extracts, db, load, oracle, build_error)


# -- comparison helpers ---------------------------------------------------------


def same(expected: object, got: object) -> bool:
    """Equal, numbers to 1e-9; None only equals None."""
    if expected is None or got is None:
        return expected is None and got is None
    if isinstance(expected, int | float) and isinstance(got, int | float):
        return math.isclose(expected, got, rel_tol=1e-9, abs_tol=1e-9)
    return expected == got


def compare_tables(
    label: str,
    fields: Sequence[str],
    expected: dict[tuple, tuple],
    got: dict[tuple, tuple],
) -> list[str]:
    """One line per key missing on either side or with a field that differs."""
    differences = []
    for key in sorted(expected.keys() | got.keys(), key=_sort_key):
        if key not in got:
            differences.append(f"{label} {key}: missing from the mart (oracle {expected[key]})")
        elif key not in expected:
            differences.append(f"{label} {key}: not in the oracle (mart {got[key]})")
        else:
            fields_off = [
                f"{name} oracle {e!r} mart {g!r}"
                for name, e, g in zip(fields, expected[key], got[key], strict=True)
                if not same(e, g)
            ]
            if fields_off:
                differences.append(f"{label} {key}: " + "; ".join(fields_off))
    return differences


def _sort_key(key: tuple) -> tuple:
    return tuple((v is None, str(v)) for v in key)


def fail_on(differences: Iterable[str], scenario: Scenario) -> None:
    differences = list(differences)
    if differences:
        shown = "\n".join(differences[:SHOWN])
        more = f"\n... and {len(differences) - SHOWN} more" if len(differences) > SHOWN else ""
        pytest.fail(
            f"{scenario.name} (as at {scenario.as_at}): {len(differences)} difference(s) "
            f"between the marts and the oracle:\n{shown}{more}",
            pytrace=False,
        )


# -- tests ----------------------------------------------------------------------


def test_dbt_build_passes(built: Built) -> None:
    """Every model and data test passes with the scenario's settings (and every unit test,
    in the scenario that runs them)."""
    assert built.build_error is None, built.build_error


VALUE_FIELDS = ("value", "numerator", "denominator", "rate_per_10k")


def test_indicator_values_match_the_oracle(built: Built) -> None:
    expected = {
        (r["indicator_code"], r["period_end"]): tuple(r[f] for f in VALUE_FIELDS)
        for r in built.oracle.as_rows()
    }
    rows = built.query(
        "SELECT indicator_code, period_end, value, numerator, denominator, rate_per_10k "
        "FROM marts.indicator_values"
    )
    got = {(code, end): tuple(values) for code, end, *values in rows}
    assert len(got) == len(rows), "marts.indicator_values has duplicate (code, period_end)"
    fail_on(compare_tables("indicator", VALUE_FIELDS, expected, got), built.scenario)


AGENCY_FIELDS = ("source_code", "contacts", "progressed", "pct_of_contacts", "pct_progressed")


def test_contacts_by_agency_matches_the_oracle(built: Built) -> None:
    expected = {
        (a.period_end, a.report_order): tuple(getattr(a, f) for f in AGENCY_FIELDS)
        for rows in built.oracle.contacts_by_agency.values()
        for a in rows
    }
    rows = built.query(
        "SELECT period_end, report_order, source_code, contacts, progressed, "
        "pct_of_contacts, pct_progressed FROM marts.contacts_by_agency"
    )
    got = {(end, order): tuple(values) for end, order, *values in rows}
    assert len(got) == len(rows), "marts.contacts_by_agency has duplicate (period_end, order)"
    fail_on(compare_tables("agency", AGENCY_FIELDS, expected, got), built.scenario)


def test_indicator_breakdowns_match_the_oracle(built: Built) -> None:
    expected = {
        (r["indicator_code"], r["period_end"], r["dimension"], r["category"]): (r["count"],)
        for r in built.oracle.breakdown_rows()
    }
    rows = built.query(
        "SELECT indicator_code, period_end, dimension, category, count "
        "FROM marts.indicator_breakdowns"
    )
    got = {tuple(key): (count,) for *key, count in rows}
    assert len(got) == len(rows), "marts.indicator_breakdowns has duplicate keys"
    fail_on(compare_tables("breakdown", ("count",), expected, got), built.scenario)


def test_loader_rejects_and_lands_the_rows_the_oracle_does(built: Built) -> None:
    """The loader's raw.rejected_rows and landed ids agree with the oracle's reading."""
    expected_rejects = {
        (r.file, r.line, r.column): (_stripped(r.value), r.record_id)
        for r in built.oracle.rejected_rows
    }
    got_rejects = {
        (file, line, column): (_stripped(value), record_id)
        for file, line, column, value, record_id in built.query(
            "SELECT file, line, column_name, value, record_id FROM raw.rejected_rows"
        )
    }
    if built.scenario.bad_rows:
        assert expected_rejects, "the generator planted bad rows, but the oracle rejects none"
    differences = compare_tables(
        "rejected", ("value", "record_id"), expected_rejects, got_rejects
    )

    tables, _ = read_extracts(built.extracts)
    for extract in EXTRACTS:
        id_name = extract.id_column.name
        expected_ids = sorted(str(row[id_name]) for row in tables[extract.name])
        got_ids = sorted(
            str(i) for (i,) in built.query(f"SELECT {id_name.lower()} FROM raw.{extract.name}")
        )
        if expected_ids != got_ids:
            only_oracle = sorted(set(expected_ids) - set(got_ids))[:5]
            only_loader = sorted(set(got_ids) - set(expected_ids))[:5]
            differences.append(
                f"landed {extract.file_name}: oracle {len(expected_ids)} rows, loader "
                f"{len(got_ids)}; only in oracle {only_oracle}, only landed {only_loader}"
            )
        if built.load.rows_loaded.get(extract.name) != len(expected_ids):
            differences.append(
                f"LoadResult.rows_loaded[{extract.name!r}] = "
                f"{built.load.rows_loaded.get(extract.name)}, oracle {len(expected_ids)}"
            )
    rejected_lines = {(file, line) for file, line, _ in expected_rejects}
    if built.load.rows_rejected != len(rejected_lines):
        differences.append(
            f"LoadResult.rows_rejected = {built.load.rows_rejected}, "
            f"oracle {len(rejected_lines)} rows"
        )
    fail_on(differences, built.scenario)


def _stripped(value: str | None) -> str | None:
    """A rejected value as both sides can agree on it: trimmed, blank as null."""
    return (value or "").strip() or None
