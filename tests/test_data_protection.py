"""Children's data stays protected (issue 10): the analyst file, private files, secrets.

- the demo's published warehouse holds only the analyst schemas, and no table
  of it holds a name, postcode or date of birth of the demo's children;
- a run with an alert URL holding a token, and impossible dates of birth in
  people.csv, leaves neither the token nor the bad value in its output or in any
  file it wrote, and no file readable by others -- directly and through Prefect;
- the full build is discarded, or kept owner-only when asked;
- leftovers of a killed run are swept by the next run;
- secrets never come from a settings file, and a secrets file others can read
  is refused.
"""

from __future__ import annotations

import csv
import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from conftest import DemoRun
from test_pipeline_support import AS_AT, Receiver, fake_build, fake_land, write_extracts

from cscperf import pipeline
from cscperf.security import SecretsError, read_secrets_file, sweep_build_leftovers
from cscperf.settings import PROJECT_DIR, AlertSettings, load_settings

ANALYST_SCHEMAS = {"marts", "reference"}
SAMPLE = Path(__file__).parent / "fixtures" / "sample_extracts"
TOKEN = "s3cr3t-T0KEN-8d1f"
BAD_DOB = "31/02/2011"


def _people(extracts: Path) -> list[dict[str, str]]:
    with (extracts / "people.csv").open(encoding="utf-8-sig", newline="") as fh:
        return [{k.strip().upper(): (v or "").strip() for k, v in row.items()}
                for row in csv.DictReader(fh)]


def _dob_strings(dob: str) -> set[str]:
    """A date of birth as the extract wrote it and in the other contract form."""
    if "/" in dob:
        d, m, y = dob.split("/")
        return {dob, f"{y}-{m}-{d}"}
    y, m, d = dob.split("-")
    return {dob, f"{d}/{m}/{y}"}


def _tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return con.execute(
        "select table_schema, table_name from information_schema.tables order by 1, 2"
    ).fetchall()


# ---------------------------------------------------------------- the analyst file


@pytest.mark.slow
def test_the_published_warehouse_holds_only_the_analyst_schemas(demo_run: DemoRun) -> None:
    con = duckdb.connect(str(demo_run.warehouse), read_only=True)
    try:
        schemas = {s for s, _ in _tables(con)}
        catalog = {r[0] for r in con.execute(
            "select schema_name from information_schema.schemata "
            "where catalog_name = current_database()").fetchall()}
        expected = {"marts.indicator_values", "marts.indicator_report", "marts.run_history",
                    "marts.quality_results", "reference.indicator_catalogue"}
        assert expected <= {f"{s}.{t}" for s, t in _tables(con)}
    finally:
        con.close()
    assert schemas == ANALYST_SCHEMAS
    assert not catalog & {"raw", "staging", "intermediate"}


GRAM = 5  # the shortest needle searched anywhere in a value

# Distinct values of one text column holding a needle: equal to any needle, or
# containing one of GRAM or more characters.
_NEEDLE_HITS = f"""
with
vals as (select distinct {{column}} as v from {{table}} where {{column}} is not null),
grams as (
    select v, substr(v, unnest(range(1, length(v) - {GRAM - 2})), {GRAM}) as gram
    from vals where length(v) >= {GRAM}
),
hits as (
    select vals.v from vals join needles on needles.v = vals.v
    union
    select grams.v from grams join anywhere
        on anywhere.gram = grams.gram and contains(grams.v, anywhere.v)
)
select count(*) from hits
"""


@pytest.mark.slow
def test_no_table_of_the_published_warehouse_holds_personal_data(demo_run: DemoRun) -> None:
    people = _people(demo_run.extracts)
    assert len(people) > 1000  # the demo's children: the search has material
    names = {p[c] for p in people for c in ("FORENAME", "SURNAME") if p[c]}
    postcodes = {p["POSTCODE"] for p in people if p["POSTCODE"]}
    dobs = {s for p in people if p["DOB"] for s in _dob_strings(p["DOB"])}
    # names and postcodes anywhere in a text; a date of birth as a whole value (event
    # dates in texts share the form) and, below, beside its child's person id
    needles = [(n, len(n) >= 5) for n in sorted(names | postcodes)]
    needles += [(d, False) for d in sorted(dobs)]
    con = duckdb.connect()
    try:
        con.execute(f"attach '{demo_run.warehouse}' as wh (read_only)")
        con.execute("create temp table needles (v varchar, anywhere boolean)")
        con.executemany("insert into needles values (?, ?)", needles)
        # a needle found anywhere in a value shares its first GRAM characters with
        # one of the value's substrings of that length: an equality join on those,
        # then contains(), instead of every value against every needle
        con.execute(f"create temp table anywhere as select v, substr(v, 1, {GRAM}) as gram "
                    "from needles where anywhere")
        columns = con.execute(
            "select table_schema, table_name, column_name, data_type from "
            "information_schema.columns where table_catalog = 'wh' order by 1, 2, 3"
        ).fetchall()
        searched, found = 0, []
        for schema, table, column, data_type in columns:
            if data_type != "VARCHAR":
                continue
            searched += 1
            hits = con.execute(_NEEDLE_HITS.format(table=f'wh.{schema}."{table}"',
                                                   column=f'"{column}"')).fetchone()[0]
            if hits:
                found.append(f"{schema}.{table}.{column}: {hits} values")
        # a date of birth beside a person id: no table may pair them
        con.execute("create temp table dobs (person_id varchar, dob date)")
        con.executemany("insert into dobs values (?, strptime(?, ?)::date)", [
            (p["PERSON_ID"], p["DOB"], "%d/%m/%Y" if "/" in p["DOB"] else "%Y-%m-%d")
            for p in people if p["DOB"]])
        with_person = {(s, t) for s, t, c, _ in columns if c == "person_id"}
        for schema, table, column, data_type in columns:
            if (schema, table) in with_person and data_type == "DATE":
                hits = con.execute(
                    f'select count(*) from wh.{schema}."{table}" as t join dobs as d '
                    f'on t.person_id = d.person_id and t."{column}" = d.dob').fetchone()[0]
                if hits:
                    found.append(f"{schema}.{table}.{column} = date of birth: {hits}")
    finally:
        con.close()
    assert searched > 20
    assert found == []


# ---------------------------------------------------------------- a run leaks nothing


def _bad_dob_extracts(folder: Path, share: float) -> Path:
    """The sample set with impossible dates of birth on ``share`` of people.csv's rows."""
    folder.mkdir(parents=True)
    for source in SAMPLE.iterdir():
        (folder / source.name).write_bytes(source.read_bytes())
    path = folder / "people.csv"
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    lines = text.splitlines()
    header = [h.strip().upper() for h in next(csv.reader([lines[0]]))]
    dob = header.index("DOB")
    rows = list(csv.reader(lines[1:]))
    bad = max(1, round(len(rows) * share))
    for row in rows[:bad]:
        if len(row) > dob:
            row[dob] = BAD_DOB
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(next(csv.reader([lines[0]])))
        writer.writerows(rows)
    return folder


def _files_below(*folders: Path) -> list[Path]:
    found: list[Path] = []
    for folder in folders:
        if folder.exists():
            found += [folder, *folder.rglob("*")]
    return found


def _leaks(paths: list[Path], secrets: tuple[str, ...], modes: bool = True) -> list[str]:
    """Files holding a secret, and (``modes``) files or folders readable by others."""
    problems: list[str] = []
    for path in paths:
        info = path.lstat()
        # a symlink's own mode is always 777 and grants nothing (e.g. dbt's link to the
        # file another worker is building): what it points to is checked where it is
        if modes and not stat.S_ISLNK(info.st_mode) and stat.S_IMODE(info.st_mode) & 0o007:
            problems.append(f"{path} is readable by others ({stat.S_IMODE(info.st_mode):03o})")
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            problems += [f"{path} holds {s!r}" for s in secrets if s.encode() in data]
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("orchestrator", ["direct", "prefect"])
def test_a_run_leaks_neither_a_token_nor_a_bad_value(
    orchestrator: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    # through Prefect: the session's Prefect server, whose database is searched too
    prefect = request.getfixturevalue("prefect_api") if orchestrator == "prefect" else None
    receiver = Receiver()
    try:
        extracts = _bad_dob_extracts(tmp_path / "extracts", share=0.5)
        home = tmp_path / "home"
        warehouse = home / "warehouse" / "cscperf.duckdb"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        env.update({
            "PREFECT_HOME": str(home / "prefect"),
            "CSCPERF_ALERTS__URLS": json.dumps([f"{receiver.url}hook/{TOKEN}",
                                                f"notaurl://x/{TOKEN}"]),
            "CSCPERF_PATHS__QUALITY": str(home / "quality"),
            "CSCPERF_RUN__ORCHESTRATOR": orchestrator,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        })
        if prefect is not None:
            env.update({"PREFECT_API_URL": prefect["url"], "PREFECT_HOME": prefect["home"]})
        result = subprocess.run(
            [sys.executable, "-m", "cscperf.cli", "run", "--extracts", str(extracts),
             "--as-at", "2015-10-31", "--warehouse", str(warehouse)],
            capture_output=True, text=True, env=env, cwd=PROJECT_DIR, timeout=600,
        )
    finally:
        receiver.close()
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-3000:]
    last = result.stderr.strip().splitlines()[-1]
    assert "people.csv" in last and "rejected" in last, last  # the reason, named
    assert len(receiver.posts) == 1  # the failure alert went out (to the good URL)
    alert = json.dumps(receiver.posts)
    assert BAD_DOB not in alert and TOKEN not in alert
    assert TOKEN not in output and BAD_DOB not in output
    written = _files_below(home, PROJECT_DIR / "target", PROJECT_DIR / "logs")
    assert any(p.name.endswith(".jsonl") for p in written)  # the run history was written
    assert _leaks(written, (TOKEN, BAD_DOB)) == []
    if prefect is not None:  # Prefect's home and database: flow runs, task runs, logs, states
        database = prefect["database"]
        prefect_files = _files_below(Path(prefect["home"])) + [
            p for p in database.parent.iterdir() if p.name.startswith(database.name)]
        stored = b"".join(p.read_bytes() for p in prefect_files if p.is_file())
        assert b"cscperf-monthly-report" in stored  # the flow run is in there: searched
        # the test's server made these files (not the run): their contents only
        assert _leaks(prefect_files, (TOKEN, BAD_DOB), modes=False) == []


@pytest.mark.slow
def test_a_published_run_with_rejected_personal_values_leaks_none(tmp_path: Path) -> None:
    """Under the threshold the run publishes: the analyst file, quality results and
    run history hold no rejected personal value, and nothing is readable by others."""
    extracts = _bad_dob_extracts(tmp_path / "extracts", share=0.01)
    base = load_settings()
    warehouse = tmp_path / "warehouse" / "cscperf.duckdb"
    settings = replace(
        base,
        paths=replace(base.paths, warehouse=warehouse, quality=tmp_path / "quality"),
        run=replace(base.run, orchestrator="direct"),
        alerts=AlertSettings(),
    )
    result = pipeline.run_pipeline(extracts, AS_AT, warehouse, settings)
    assert result.rows_rejected >= 1
    assert result.full_build is None
    written = _files_below(warehouse.parent, tmp_path / "quality")
    assert not [p for p in written if p.suffix == ".duckdb" and p != warehouse]
    assert _leaks(written, (BAD_DOB,)) == []


# ---------------------------------------------------------------- the full build


@pytest.fixture
def fake_steps() -> Iterator[None]:
    with pipeline.using_step_functions(
        pipeline.StepFunctions(land_extracts=fake_land, build_marts=fake_build)
    ):
        yield


def _settings(tmp_path: Path, keep: bool):
    base = load_settings()
    return replace(
        base,
        paths=replace(base.paths, warehouse=tmp_path / "w" / "cscperf.duckdb",
                      quality=tmp_path / "quality"),
        publish=replace(base.publish, keep_full_build=keep, lock_timeout_seconds=5),
        run=replace(base.run, orchestrator="direct"),
        alerts=AlertSettings(),
    )


def test_the_full_build_is_discarded_by_default(
    fake_steps: None, tmp_path: Path
) -> None:
    settings = _settings(tmp_path, keep=False)
    warehouse = settings.paths.warehouse
    result = pipeline.run_pipeline(write_extracts(tmp_path / "x"), AS_AT, warehouse, settings)
    restricted = warehouse.parent / "restricted"
    assert result.full_build is None and list(restricted.iterdir()) == []
    assert stat.S_IMODE(restricted.stat().st_mode) == 0o700


def test_the_full_build_can_be_kept_owner_only(
    fake_steps: None, tmp_path: Path
) -> None:
    settings = _settings(tmp_path, keep=True)
    warehouse = settings.paths.warehouse
    result = pipeline.run_pipeline(write_extracts(tmp_path / "x"), AS_AT, warehouse, settings)
    kept = warehouse.parent / "restricted" / "cscperf-full.duckdb"
    assert result.full_build == kept and kept.exists()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    con = duckdb.connect(str(kept), read_only=True)
    try:  # the kept build is the full one: raw included
        assert con.execute("select count(*) from raw.contacts").fetchone()[0] == 2
    finally:
        con.close()
    assert "restricted" in result.summary()


def test_a_killed_runs_leftovers_are_swept_by_the_next_run(
    fake_steps: None, tmp_path: Path
) -> None:
    settings = _settings(tmp_path, keep=False)
    warehouse = settings.paths.warehouse
    restricted = warehouse.parent / "restricted"
    restricted.mkdir(parents=True)
    left = [restricted / ".cscperf.build-dead0001.duckdb",
            restricted / ".cscperf.build-dead0001.duckdb.wal",
            warehouse.parent / ".cscperf.publish-dead0002.duckdb",
            restricted / "..cscperf.build-dead0003.duckdb.dbt-0badf00d"]
    for path in left[:-1]:
        path.write_bytes(b"personal data of a killed run")
    left[-1].mkdir()  # a build moved aside for dbt's run, killed meanwhile
    (left[-1] / "cscperf_build.duckdb").write_bytes(b"personal data of a killed run")
    keep = warehouse.parent / "notes.txt"
    keep.write_text("not ours")
    pipeline.run_pipeline(write_extracts(tmp_path / "x"), AS_AT, warehouse, settings)
    assert [p for p in left if p.exists()] == []
    assert keep.exists()
    assert sweep_build_leftovers(restricted) == []


# ---------------------------------------------------------------- secrets


def test_alert_urls_may_not_come_from_a_settings_file(tmp_path: Path) -> None:
    path = tmp_path / "cscperf.toml"
    path.write_text(f'[alerts]\nurls = ["json://h/{TOKEN}"]\n')
    with pytest.raises(ValueError, match="CSCPERF_ALERTS__URLS") as caught:
        load_settings(path)
    assert TOKEN not in str(caught.value)


def test_a_secrets_file_others_can_read_is_refused(tmp_path: Path) -> None:
    secrets = tmp_path / "alerts.urls"
    secrets.write_text(f"# alert URLs\njson://127.0.0.1/{TOKEN}\n")
    secrets.chmod(0o644)
    with pytest.raises(SecretsError, match="chmod 600") as caught:
        read_secrets_file(secrets, PROJECT_DIR)
    assert TOKEN not in str(caught.value)
    secrets.chmod(0o600)
    assert read_secrets_file(secrets, PROJECT_DIR) == [f"json://127.0.0.1/{TOKEN}"]
    inside = PROJECT_DIR / "cscperf.toml"
    with pytest.raises(SecretsError, match="inside the project folder"):
        read_secrets_file(inside, PROJECT_DIR)


def test_settings_never_print_the_alert_urls() -> None:
    settings = AlertSettings(urls=(f"json://h/{TOKEN}",))
    assert TOKEN not in repr(settings) and TOKEN not in str(settings)
