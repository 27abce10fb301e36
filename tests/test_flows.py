"""The Prefect flows end to end: publish, refuse, alert, lock, retry, schedules.

One Prefect test server for the whole session (``prefect_test_harness``, its
PREFECT_HOME in a temporary folder). The loader and dbt are replaced by the
fakes of ``test_pipeline_support`` except in the tests marked ``slow``, which
run the real loader and dbt on ``tests/fixtures/sample_extracts``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pytest
from test_pipeline_support import (
    AS_AT,
    PERSONAL,
    Receiver,
    fake_build,
    fake_land,
    make_settings,
    write_extracts,
)

from cscperf import orchestration
from cscperf.orchestration import monthly_report, nightly_refresh
from cscperf.pipeline import (
    PipelineError,
    StepFunctions,
    current_step_functions,
    run_pipeline,
    using_step_functions,
)
from cscperf.publish import RunHistory, warehouse_lock
from cscperf.settings import PROJECT_DIR, using_settings

TESTS = Path(__file__).parent
SAMPLE = TESTS / "fixtures" / "sample_extracts"


@pytest.fixture
def fakes():
    rendered: list[Path] = []

    def fake_render(warehouse: Path, as_at, out_dir: Path, settings) -> list[Path]:
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / f"report-{as_at:%Y-%m}.html"
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            count = con.execute("select count(*) from marts.indicator_values").fetchone()[0]
        finally:
            con.close()
        path.write_text(f"{count} indicator values")
        rendered.append(path)
        return [path]

    with using_step_functions(
        StepFunctions(land_extracts=fake_land, build_marts=fake_build, render=fake_render)
    ):
        yield rendered


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def analyst_schemas(db: Path) -> set[str]:
    rows = query(db, "select distinct table_schema from information_schema.tables")
    return {r[0] for r in rows}


def leftovers(warehouse: Path) -> list[Path]:
    """Build or publish files left beside the warehouse or in the restricted folder."""
    folders = [warehouse.parent, warehouse.parent / "restricted"]
    return [p for f in folders if f.is_dir() for p in f.iterdir()
            if p.name.startswith((".cscperf.build-", ".cscperf.publish-"))]


def query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_good_run_publishes_then_a_bad_run_changes_nothing(
    prefect_api, fakes, receiver: Receiver, tmp_path: Path
):
    settings = make_settings(tmp_path, urls=(receiver.url,))
    warehouse = settings.paths.warehouse

    # (a) a good extract set publishes, with its history and check results
    result = run_pipeline(write_extracts(tmp_path / "good", "good"), AS_AT, warehouse, settings,
                          report_dir=tmp_path / "report")
    assert warehouse.exists() and result.warnings == 0
    assert result.report_paths == fakes and fakes[0].read_text() == "58 indicator values"
    assert query(warehouse, "select status, published, as_at from marts.run_history") == [
        ("published", True, AS_AT)]
    assert query(warehouse, "select count(*), bool_and(success) from marts.quality_results"
                 )[0][0] > 100
    assert analyst_schemas(warehouse) == {"marts"}  # the fake build has no reference seeds
    assert result.quality_docs is not None and result.quality_docs.exists()
    assert receiver.posts == []  # nothing to say
    before = sha256(warehouse)

    # (b) a set that breaks an error expectation: non-zero, one alert, nothing published
    with pytest.raises(PipelineError) as caught:
        run_pipeline(write_extracts(tmp_path / "bad", "bad"), AS_AT, warehouse, settings)
    message = str(caught.value)
    assert "\n" not in message
    assert "not published" in message and "source_code in the code list" in message
    assert "C3" in message
    assert sha256(warehouse) == before
    assert not leftovers(warehouse)
    assert query(warehouse, "select count(*) from marts.indicator_values") == [(58,)]

    assert len(receiver.posts) == 1
    alert = receiver.posts[0]
    text = alert["title"] + "\n" + alert["message"]
    assert alert["type"] == "failure" and "not published" in alert["title"]
    assert "C3" in text and "contact_referral_missing" in text and "C4" in text
    for value in PERSONAL:
        assert value not in text

    history = RunHistory(warehouse).records()
    assert [(r.status, r.published) for r in history] == [("published", True), ("failed", False)]
    assert history[1].checks_failed == 1
    assert history[1].checks_warned == 2  # the orphan and the row count change (2 -> 4)
    assert (Path(history[1].quality_dir) / "quality.html").exists()


def test_warnings_publish_and_alert_once(prefect_api, fakes, receiver: Receiver, tmp_path: Path):
    settings = make_settings(tmp_path, urls=(receiver.url,))
    with using_settings(settings):
        result = nightly_refresh(write_extracts(tmp_path / "warn", "warn"), as_at=AS_AT)
    assert result.warnings == 1
    assert [p["type"] for p in receiver.posts] == ["warning"]
    assert "C4" in receiver.posts[0]["message"]
    failed = query(settings.paths.warehouse,
                   "select check_name, example_ids from marts.quality_results where not success")
    assert failed == [("contact_referral_missing", "contacts C4")]  # extract and record id
    assert query(settings.paths.warehouse, "select kind from marts.run_history") == [("nightly",)]


def test_landing_is_retried_on_os_error_but_not_on_bad_data(
    prefect_api, fakes, tmp_path: Path
):
    settings = make_settings(tmp_path)
    extracts = write_extracts(tmp_path / "good", "good")
    calls: list[str] = []

    def busy_once(extracts_dir, db_path, settings):
        calls.append("busy")
        if len(calls) == 1:
            raise PermissionError(f"{extracts_dir}/contacts.csv is still being written")
        return fake_land(extracts_dir, db_path, settings)

    busy = replace(current_step_functions(), land_extracts=busy_once, land_retry_delays=(0, 0))
    with using_step_functions(busy):
        run_pipeline(extracts, AS_AT, settings.paths.warehouse, settings)
    assert len(calls) == 2

    bad: list[str] = []

    def bad_data(extracts_dir, db_path, settings):
        bad.append("bad")
        raise ValueError("contacts.csv: required column CONTACT_DATETIME is missing")

    with (using_step_functions(replace(busy, land_extracts=bad_data)),
          pytest.raises(PipelineError, match=r"landing failed: ValueError: contacts\.csv")):
        run_pipeline(extracts, AS_AT, settings.paths.warehouse, settings)
    assert bad == ["bad"]


def test_lock_timeout_is_a_clean_failure(prefect_api, fakes, tmp_path: Path):
    settings = make_settings(tmp_path, lock_timeout=0.5)
    extracts = write_extracts(tmp_path / "good", "good")
    with (warehouse_lock(settings.paths.warehouse, 1, "holder-run"),
          pytest.raises(PipelineError) as caught):
        run_pipeline(extracts, AS_AT, settings.paths.warehouse, settings)
    message = str(caught.value)
    assert message.startswith("warehouse ") and "locked by run holder-run" in message
    assert f"pid {os.getpid()}" in message
    assert "gave up after 0.5 s" in message
    assert not settings.paths.warehouse.exists()
    assert [r.status for r in RunHistory(settings.paths.warehouse).records()] == ["failed"]


def test_monthly_schedule_does_nothing_unless_first_working_day(
    prefect_api, fakes, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    settings = make_settings(tmp_path)
    extracts = write_extracts(tmp_path / "good", "good")
    monkeypatch.setattr(orchestration, "london_today", lambda: date(2024, 4, 1))
    with using_settings(settings):
        assert monthly_report(extracts, only_on_first_working_day=True) is None
    assert not settings.paths.warehouse.exists()
    monkeypatch.setattr(orchestration, "london_today", lambda: date(2024, 4, 2))
    with using_settings(settings):
        result = monthly_report(extracts, only_on_first_working_day=True)
    assert result is not None and result.as_at == date(2024, 3, 31)
    assert len(fakes) == 1  # the monthly report was rendered


def test_schedules_are_registered_with_crons_in_london(prefect_api, tmp_path: Path):
    from prefect.client.orchestration import get_client

    from flows.deployments import build_deployments

    settings = make_settings(tmp_path)
    deployments = build_deployments(settings, tmp_path / "extracts")
    ids = {d.name: d.apply() for d in deployments}
    with get_client(sync_client=True) as client:
        stored = {name: client.read_deployment(i) for name, i in ids.items()}
    nightly = stored["nightly"].schedules[0].schedule
    monthly = stored["monthly"].schedules[0].schedule
    assert (nightly.cron, nightly.timezone) == ("0 2 * * *", "Europe/London")
    assert (monthly.cron, monthly.timezone, monthly.day_or) == (
        "0 6 1-10 * 1-5", "Europe/London", False)
    assert stored["monthly"].parameters["only_on_first_working_day"] is True
    assert stored["nightly"].parameters["extracts_dir"] == str(tmp_path / "extracts")


CONCURRENT_RUN = textwrap.dedent("""
    import sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[3])
    import test_pipeline_support as support
    import cscperf.pipeline as pipeline
    fakes = pipeline.StepFunctions(land_extracts=support.fake_land,
                                   build_marts=support.fake_build)
    settings = support.make_settings(Path(sys.argv[1]), lock_timeout=120)
    with pipeline.using_step_functions(fakes):
        result = pipeline.run_pipeline(Path(sys.argv[2]), support.AS_AT,
                                       settings.paths.warehouse, settings)
    print(result.run_id)
""")


def test_two_concurrent_runs_never_corrupt_the_warehouse(prefect_api, tmp_path: Path):
    extracts = write_extracts(tmp_path / "good", "good")
    env = {**os.environ, "PREFECT_API_URL": prefect_api["url"],
           "PREFECT_HOME": prefect_api["home"], "CSCPERF_TEST_BUILD_SECONDS": "1"}
    settings = make_settings(tmp_path)
    warehouse = settings.paths.warehouse
    procs = [
        subprocess.Popen([sys.executable, "-c", CONCURRENT_RUN, str(tmp_path), str(extracts),
                          str(TESTS)], env=env, cwd=PROJECT_DIR, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    reads = 0
    deadline = time.monotonic() + 240
    while any(p.poll() is None for p in procs) and time.monotonic() < deadline:
        if warehouse.exists():  # a reader at any moment sees a whole warehouse
            assert query(warehouse, "select count(*) from marts.indicator_values") == [(58,)]
            reads += 1
        time.sleep(0.2)
    outputs = [p.communicate(timeout=60) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err[-3000:]
    assert reads > 0
    history = RunHistory(warehouse).records()
    assert [r.status for r in history] == ["published", "published"]
    assert history[0].ended_at <= history[1].ended_at  # one after the other, by the lock
    # the published warehouse is the second run's, with both runs in its history
    rows = query(warehouse, "select run_id from marts.run_history order by ended_at")
    assert [r[0] for r in rows] == [r.run_id for r in history]
    assert analyst_schemas(warehouse) == {"marts"}
    assert not leftovers(warehouse)


@pytest.mark.slow
def test_cscperf_run_failure_ends_stderr_with_one_line(tmp_path: Path):
    """The command as a user runs it (Prefect's temporary server included):
    non-zero, and the last line of stderr is the one-line error."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update({"PREFECT_HOME": str(tmp_path / "prefect"),
                "CSCPERF_PATHS__QUALITY": str(tmp_path / "quality")})
    result = subprocess.run(
        [sys.executable, "-m", "cscperf.cli", "run", "--extracts", str(tmp_path / "nowhere"),
         "--as-at", "2015-10-31", "--warehouse", str(tmp_path / "w" / "cscperf.duckdb")],
        capture_output=True, text=True, env=env, cwd=PROJECT_DIR, timeout=300,
    )
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("cscperf: error: extracts folder"), result.stderr[-2000:]
    assert "does not exist" in last


# ---------------------------------------------------------------- the real loader and dbt



@pytest.mark.slow
def test_real_extracts_publish_and_a_broken_run_is_refused(
    prefect_api, receiver: Receiver, tmp_path: Path
):
    """The real loader and dbt on the sample set: (a) publishes; (b) a run whose raw
    data breaks an error expectation exits non-zero, alerts once, changes nothing."""
    settings = make_settings(tmp_path, urls=(receiver.url,))
    warehouse = settings.paths.warehouse
    result = run_pipeline(SAMPLE, AS_AT, warehouse, settings)
    assert sum(result.rows_loaded.values()) > 0
    assert query(warehouse, "select status from marts.run_history") == [("published",)]
    assert query(warehouse, "select count(*) from marts.quality_results"
                 " where severity = 'error' and not success") == [(0,)]
    assert query(warehouse, "select count(*) from marts.indicator_values")[0][0] > 0
    before = sha256(warehouse)
    posts_before = len(receiver.posts)

    real_land = current_step_functions().land_extracts

    def land_with_a_bug(extracts_dir, db_path, settings):
        """The loader lands, then a bug lets codes outside the code list through."""
        load = real_land(extracts_dir, db_path, settings)
        con = duckdb.connect(str(db_path))
        con.execute("update raw.contacts set source_code = 'ZZ'"
                    " where contact_id in (select min(contact_id) from raw.contacts)")
        con.close()
        return load

    with (using_step_functions(StepFunctions(land_extracts=land_with_a_bug)),
          pytest.raises(PipelineError, match="source_code in the code list")):
        run_pipeline(SAMPLE, AS_AT, warehouse, settings)
    assert sha256(warehouse) == before
    assert len(receiver.posts) == posts_before + 1
    assert receiver.posts[-1]["type"] == "failure"
    assert not leftovers(warehouse)
