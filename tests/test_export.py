"""``cscperf export``: every mart round-trips through Parquet and CSV; the dictionary is full.

The warehouse is the report fixture (the four report marts) plus what
cscperf.publish adds (marts.run_history, marts.quality_results, with a row
each) and one reference table loaded from seeds/population.csv.
"""

from __future__ import annotations

import csv
import stat
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
from click.testing import CliRunner
from report_fixture import build_fixture

from cscperf.cli import cli
from cscperf.export import DICTIONARY, ExportError, descriptions, export_warehouse, file_name
from cscperf.publish import RunRecord, write_run_tables
from cscperf.settings import PROJECT_DIR


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_fixture(tmp_path_factory.mktemp("wh") / "cscperf.duckdb")
    record = RunRecord(
        run_id="20151101T020000-abcdef", kind="monthly", as_at=date(2015, 10, 31),
        extracts_dir="extracts", warehouse=str(path),
        started_at=datetime(2015, 11, 1, 2, tzinfo=ZoneInfo("Europe/London")),
        status="published", published=True, rows_loaded={"contacts": 10}, rows_rejected=1,
    )
    check = {"run_id": record.run_id, "suite": "raw.contacts", "check_name": "x: not null",
             "severity": "warning", "success": False, "element_count": 10,
             "unexpected_count": 1, "example_ids": ("C1",), "detail": ""}
    write_run_tables(path, [record], [check])
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema reference")
        con.execute("create table reference.population as select * from read_csv(?)",
                    [str(PROJECT_DIR / "seeds" / "population.csv")])
    finally:
        con.close()
    return path


def tables(warehouse: Path) -> list[tuple[str, str]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("select table_schema, table_name from information_schema.tables "
                           "where table_schema in ('marts', 'reference')").fetchall()
    finally:
        con.close()


def assert_same(warehouse: Path, schema: str, table: str, reader: str) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        source = f"{schema}.{table}"
        n = con.execute(f"select count(*) from {source}").fetchone()[0]
        assert con.execute(f"select count(*) from {reader}").fetchone()[0] == n, source
        for a, b in ((source, reader), (reader, source)):
            extra = con.execute(
                f"select count(*) from (select * from {a} except all select * from {b})"
            ).fetchone()[0]
            assert extra == 0, (source, a)
    finally:
        con.close()


def test_parquet_round_trip(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "parquet"
    result = export_warehouse(warehouse, out, "parquet")
    names = tables(warehouse)
    assert len(names) == 8 and len(result.rows) == 8  # 5 report marts, 2 run tables, population
    for schema, table in names:
        path = out / file_name(schema, table, "parquet")
        assert path.exists()
        assert_same(warehouse, schema, table, f"read_parquet('{path}')")
    assert result.rows["marts.indicator_values"] > 900
    assert stat.S_IMODE(out.stat().st_mode) == 0o750
    for path in out.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o640, path
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_csv_round_trip(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    export_warehouse(warehouse, out, "csv")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for schema, table in tables(warehouse):
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [schema, table]).fetchall()
            spec = "{" + ", ".join(f"'{c}': '{t}'" for c, t in columns) + "}"
            path = out / file_name(schema, table, "csv")
            with path.open(encoding="utf-8") as fh:
                assert next(csv.reader(fh)) == [c for c, _ in columns]
            assert_same(warehouse, schema, table,
                        f"read_csv('{path}', header = true, allow_quoted_nulls = false, "
                        f"columns = {spec})")
    finally:
        con.close()


def test_data_dictionary(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "dict"
    export_warehouse(warehouse, out, "parquet")
    with (out / DICTIONARY).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and list(rows[0]) == ["table", "column", "type", "description"]
    columns = [r for r in rows if r["column"]]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        expected = con.execute("select count(*) from information_schema.columns "
                               "where table_schema in ('marts', 'reference')").fetchone()[0]
    finally:
        con.close()
    assert len(columns) == expected
    undocumented = [f"{r['table']}.{r['column']}" for r in columns if not r["description"]]
    assert undocumented == []
    by_key = {(r["table"], r["column"]): r for r in rows}
    assert by_key[("marts.indicator_values", "value")]["type"] == "DOUBLE"
    assert "percentage" in by_key[("marts.indicator_values", "value")]["description"]
    assert by_key[("marts.indicator_values", "")]["type"] == "table"
    assert by_key[("marts.run_history", "run_id")]["description"]
    assert by_key[("reference.population", "")]["description"]


def test_doc_blocks_are_resolved() -> None:
    docs = descriptions()
    team = docs["staging.stg_frameworki__referrals"][1].get("team", "")
    assert team and "{{" not in team


def test_an_earlier_export_is_replaced_and_another_folder_refused(warehouse: Path,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "again"
    export_warehouse(warehouse, out, "csv")
    export_warehouse(warehouse, out, "parquet")
    assert not list(out.glob("*.csv")) or [p.name for p in out.glob("*.csv")] == [DICTIONARY]
    assert (out / "indicator_values.parquet").exists()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    with pytest.raises(ExportError, match="not an earlier export"):
        export_warehouse(warehouse, mine, "csv")
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


def test_cli(warehouse: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "--format", "parquet", "--out",
                                      str(tmp_path / "x"), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    assert "exported 8 tables" in result.output
    missing = CliRunner().invoke(cli, ["export", "--format", "csv", "--out", str(tmp_path / "y"),
                                       "--warehouse", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 1 and "does not exist" in missing.output
