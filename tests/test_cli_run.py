"""`cscperf run` end to end on the sample extract set, as a user runs it.

A good run publishes an analyst warehouse with the rejected rows (and keeps the
full build, raw and staging, owner-only when asked); a run on an extract set
with a required column deleted exits non-zero, names the file and the column,
and leaves the published warehouse byte for byte as it was.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

SAMPLE = Path(__file__).parent / "fixtures" / "sample_extracts"

pytestmark = pytest.mark.slow


def cscperf(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "DO_NOT_TRACK": "1", **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "cscperf.cli", *args], capture_output=True, text=True, env=env,
        timeout=600,
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("cli-run")
    warehouse = home / "warehouse" / "cscperf.duckdb"
    result = cscperf(
        "run", "--extracts", str(SAMPLE), "--as-at", "2015-10-31", "--warehouse", str(warehouse),
        env_extra={"CSCPERF_PATHS__QUALITY": str(home / "quality"),
                   "PREFECT_HOME": str(home / "prefect"),
                   "CSCPERF_PUBLISH__KEEP_FULL_BUILD": "true"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return warehouse


def full_build(published: Path) -> Path:
    return published.parent / "restricted" / "cscperf-full.duckdb"


def test_good_run_publishes_rejected_rows_and_keeps_the_full_build_apart(published: Path):
    con = duckdb.connect(str(published), read_only=True)
    try:
        rejected = con.execute("select count(*) from marts.rejected_rows").fetchone()[0]
        schemas = {r[0] for r in con.execute(
            "select distinct table_schema from information_schema.tables").fetchall()}
    finally:
        con.close()
    assert rejected > 0, "the sample set plants bad rows"
    assert schemas == {"marts", "reference"}
    con = duckdb.connect(str(full_build(published)), read_only=True)
    try:
        contacts = con.execute(
            "select count(*) from staging.stg_frameworki__contacts"
        ).fetchone()[0]
        staged_columns = {
            r[0] for r in con.execute(
                "select column_name from information_schema.columns"
                " where table_schema <> 'raw'"
            ).fetchall()
        }
    finally:
        con.close()
    assert contacts > 0
    assert not staged_columns & {"forename", "surname", "postcode", "dob"}, (
        "personal data must not leave the raw schema"
    )


def test_missing_required_column_fails_and_leaves_the_warehouse_alone(
    published: Path, tmp_path: Path
):
    before = sha256(published)
    broken = tmp_path / "extracts"
    shutil.copytree(SAMPLE, broken)
    contacts = broken / "contacts.csv"
    rows = list(csv.reader(io.StringIO(contacts.read_text(encoding="utf-8-sig"), newline="")))
    drop = [h.strip().upper() for h in rows[0]].index("CONTACT_DATETIME")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([v for i, v in enumerate(row) if i != drop])
    contacts.write_text(out.getvalue(), encoding="utf-8")

    result = cscperf(
        "run", "--extracts", str(broken), "--as-at", "2015-10-31", "--warehouse", str(published),
        env_extra={"CSCPERF_PATHS__QUALITY": str(tmp_path / "quality"),
                   "PREFECT_HOME": str(tmp_path / "prefect")},
    )
    assert result.returncode != 0
    message = result.stderr.strip().splitlines()[-1]
    assert "contacts.csv" in message and "CONTACT_DATETIME" in message.upper(), message
    assert sha256(published) == before
    leftovers = [p.name for folder in (published.parent, published.parent / "restricted")
                 for p in folder.iterdir() if ".build-" in p.name]
    assert leftovers == []


def test_every_built_column_is_documented(published: Path, tmp_path: Path):
    """What `dbt docs generate` shows: every column of every model and seed has a yml entry
    (checked on the full build, which holds every model but those dbt builds straight into
    the analyst file, database analyst: those on the published warehouse)."""
    import json
    from datetime import date

    from cscperf.dbt_runner import run_dbt
    from cscperf.settings import load_settings

    run_dbt(["parse"], tmp_path / "unused.duckdb", load_settings(), date(2015, 10, 31),
            target_path=tmp_path / "target")
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    con = duckdb.connect(str(full_build(published)), read_only=True)
    con.execute(f"attach '{published}' as analyst (read_only)")
    (full,) = con.execute("select current_database()").fetchone()
    undocumented = []
    try:
        for node in manifest["nodes"].values():
            if node["resource_type"] not in ("model", "seed") or node["package_name"] != "cscperf":
                continue
            columns = [
                r[0] for r in con.execute(
                    "select column_name from information_schema.columns"
                    " where table_catalog = ? and table_schema = ? and table_name = ?",
                    ["analyst" if node["database"] == "analyst" else full, node["schema"],
                     node["alias"] or node["name"]],
                ).fetchall()
            ]
            assert columns, f"{node['schema']}.{node['name']} was not built"
            undocumented += [
                f"{node['schema']}.{node['name']}.{c}" for c in columns if c not in node["columns"]
            ]
    finally:
        con.close()
    assert undocumented == []
