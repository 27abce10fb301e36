"""The committed sample extract set lands with exactly its planted rejects."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import duckdb
import pytest

from cscperf.contract import EXTRACTS
from cscperf.loading import land
from cscperf.settings import Settings

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE = FIXTURES / "sample_extracts"


def _generator() -> ModuleType:
    name = "make_sample_extracts"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, FIXTURES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    land(SAMPLE, db, Settings())
    return db


def test_committed_files_match_the_generator(tmp_path: Path) -> None:
    _generator().write(tmp_path)
    for extract in EXTRACTS:
        name = extract.file_name
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name


def test_every_planted_bad_field_is_rejected_with_its_reason(sample_db: Path) -> None:
    gen = _generator()
    expected = {
        (p.file, p.line, p.record_id, p.column, p.value, p.reason) for p in gen.planted(gen.build())
    }
    kinds = {reason.split(" (")[0] for *_, reason in expected}
    assert kinds == {
        "id is null", "duplicate id", "required value is null", "date does not parse",
        "date before 1900-01-01", "flag is not Y/N", "code not in code list",
    }  # fmt: skip
    with duckdb.connect(str(sample_db), read_only=True) as con:
        got = set(
            con.sql(
                "SELECT file, line, record_id, column_name, value, reason FROM raw.rejected_rows"
            ).fetchall()
        )
    assert got == expected


def test_good_rows_load_on_their_lines(sample_db: Path) -> None:
    files = {f.name: f for f in _generator().build()}
    with duckdb.connect(str(sample_db), read_only=True) as con:
        for extract in EXTRACTS:
            id_col = extract.id_column.db_name
            rows = con.sql(f"SELECT {id_col}, _line FROM raw.{extract.name}").fetchall()
            assert dict(rows) == files[extract.name].good, extract.name
            assert len(rows) == len(files[extract.name].good)


def test_load_log_counts_rows_once_per_bad_row(sample_db: Path) -> None:
    with duckdb.connect(str(sample_db), read_only=True) as con:
        log = {r[0]: r[1:] for r in con.sql("SELECT * FROM raw.load_log").fetchall()}
    assert log["assessments.csv"] == ("utf-8", 60, 58, 2)  # one row with two bad fields
    assert log["referrals.csv"] == ("utf-8", 61, 59, 2)
    assert log["caf_episodes.csv"] == ("windows-1252", 40, 39, 1)
    assert log["strategy_discussions.csv"] == ("utf-8-sig", 40, 39, 1)
    assert log["contacts.csv"] == ("utf-8", 60, 58, 2)
    assert log["lac_visits.csv"] == ("utf-8", 40, 39, 1)
    assert log["cp_plans.csv"] == ("utf-8", 20, 20, 0)


def test_sample_values(sample_db: Path) -> None:
    with duckdb.connect(str(sample_db), read_only=True) as con:
        localities = {r[0] for r in con.sql("SELECT locality FROM raw.caf_episodes").fetchall()}
        assert {"Bromyard – Ledbury", "Café Quarter"} <= localities
        surnames = {r[0] for r in con.sql("SELECT surname FROM raw.people").fetchall()}
        assert {"O'Neil, Jr", 'Jones "JJ"'} <= surnames
        genders = {r[0] for r in con.sql("SELECT gender FROM raw.people").fetchall()}
        assert genders == {"M", "F", "U", "I"}
        not_null = "SELECT count(*) FROM raw.cp_conferences WHERE cpp_id IS NOT NULL"
        assert con.sql(not_null).fetchall() == [(0,)]
        warnings = con.sql("SELECT file, column_name FROM raw.load_warnings").fetchall()
        assert set(warnings) == {("cp_conferences.csv", "CPP_ID"), ("s47_enquiries.csv", "NOTES")}
