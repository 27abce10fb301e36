"""The history store (issue 14): entries, crash safety, the history marts, restatements.

The loader and dbt are replaced by fakes (``test_pipeline_support``) plus a
small ``marts.indicator_report``, so these tests exercise the store, the run's
hooks and publishing on their own; ``test_history_e2e`` runs the real thing.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest
from test_pipeline_support import fake_land, make_marts, make_settings, write_extracts

from cscperf import history
from cscperf.history import Entry, Figure, HistoryStore, store_path_for
from cscperf.pipeline import (
    PipelineError,
    StepFunctions,
    current_step_functions,
    execute_run,
    using_step_functions,
)
from cscperf.quality import QualityRunner

TESTS = Path(__file__).parent
OCT, NOV = date(2015, 10, 31), date(2015, 11, 30)
FIGURES_PER_RUN = 29 * 3  # the report month and two previous periods of 29 indicators


def add_report(db_path: Path) -> None:
    """The columns of ``marts.indicator_report`` that the history reads (rule: months)."""
    con = duckdb.connect(str(db_path))
    try:
        con.execute("create or replace table marts.indicator_report as select distinct "
                    "indicator_code, period_end, "
                    "last_day(period_end - interval 1 month) as previous_1_period_end, "
                    "last_day(period_end - interval 2 month) as previous_2_period_end "
                    "from marts.indicator_values")
    finally:
        con.close()


seen_by_builds: list[list[tuple]] = []  # (run_id, kind) of history.indicator_history per build


def fake_build(percent: float):
    def build(db_path: Path, settings, as_at: date) -> None:
        con = duckdb.connect(str(db_path))
        try:
            seen_by_builds.append(con.execute(
                "select distinct run_id, kind from history.indicator_history order by 1"
            ).fetchall())
        finally:
            con.close()
        make_marts(Path(db_path), as_at, percent=percent)
        add_report(Path(db_path))
    return build


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def fake_functions(percent: float = 52.0) -> StepFunctions:
    """Fake loader and dbt; no GE (its checks are tested elsewhere): runs take a second."""
    return StepFunctions(
        land_extracts=fake_land,
        build_marts=fake_build(percent),
        validate_raw=lambda *args: 0,
        validate_marts=lambda *args: 0,
        quality_runner=lambda run_id, out_dir, background=False, history=None: QualityRunner(
            run_id, out_dir, history=history),
    )


@pytest.fixture
def fakes():
    with using_step_functions(fake_functions()):
        yield


def run(tmp_path: Path, kind: str = "monthly", as_at: date = OCT, **kw):
    settings = make_settings(tmp_path)
    extracts = write_extracts(tmp_path / "extracts", "good")
    return execute_run(kind, extracts, as_at, settings.paths.warehouse, settings,
                       kw.get("report_dir"), date(2015, 11, 2))


def entry(run_id: str, kind: str = "published", value: float = 1.0) -> Entry:
    return Entry(run_id, kind, OCT, "/x", datetime(2015, 11, 2, tzinfo=UTC), OCT,
                 (Figure(1, OCT, value, 1, None, 0.5, "report month"),))


# ---------------------------------------------------------------- the store


def test_an_entry_is_written_whole_with_owner_and_group_modes(tmp_path: Path):
    os.umask(0o027)
    store = HistoryStore(tmp_path / "cscperf.duckdb")
    path = store.append(entry("r1"))
    assert path.parent == store_path_for(tmp_path / "cscperf.duckdb")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o750
    assert [e.run_id for e in store.entries()] == ["r1"]
    assert store.entries()[0] == entry("r1")
    with pytest.raises(FileExistsError):  # append-only: never overwritten
        store.append(entry("r1", value=2.0))
    assert store.entries()[0].figures[0].value == 1.0


def test_a_pending_entry_is_not_an_entry_until_the_warehouse_says_published(tmp_path: Path):
    warehouse = tmp_path / "cscperf.duckdb"
    store = HistoryStore(warehouse)
    store.write_pending(entry("won"))
    store.write_pending(entry("lost"))
    (store.folder / "half.json.pending.tmp-1").write_text('{"run_id": "ha')  # killed mid-write
    assert store.entries() == [] and store.pending_runs() == ["lost", "won"]
    con = duckdb.connect(str(warehouse))
    con.execute("create schema marts")
    con.execute("create table marts.run_history as select 'won' as run_id, true as published "
                "union all select 'lost', false")
    con.close()
    store.recover()
    assert [e.run_id for e in store.entries()] == ["won"]
    assert sorted(p.name for p in store.folder.iterdir()) == ["won.json"]


# ---------------------------------------------------------------- runs


def test_a_monthly_run_records_its_figures_and_carries_the_history(tmp_path: Path, fakes):
    result = run(tmp_path)
    warehouse = result.warehouse
    entries = HistoryStore(warehouse).entries()
    assert [(e.run_id, e.kind, e.as_at) for e in entries] == [(result.run_id, "published", OCT)]
    assert len(entries[0].figures) == FIGURES_PER_RUN
    rows = query(warehouse, "select period_end, shown_as, value from marts.indicator_history "
                 "where indicator_code = 1 order by period_end")
    # code 1 (a percentage): Oct as reported, Sep its previous 1, Aug (no data) previous 2
    assert rows == [(date(2015, 8, 31), "previous 2", None),
                    (date(2015, 9, 30), "previous 1", 50.0), (OCT, "report month", 52.0)]
    assert query(warehouse, "select distinct run_id, kind, as_at from marts.indicator_history"
                 ) == [(result.run_id, "published", OCT)]


def test_a_rerun_is_a_new_entry_and_the_build_sees_the_history_before_it(
    tmp_path: Path, fakes
):
    seen_by_builds.clear()
    first = run(tmp_path)
    moved = replace(current_step_functions(), build_marts=fake_build(55.0))  # Oct 52 -> 55
    with using_step_functions(moved):
        second = run(tmp_path)
    entries = HistoryStore(first.warehouse).entries()
    assert [e.run_id for e in entries] == [first.run_id, second.run_id]
    octobers = [f.value for e in entries for f in e.figures
                if f.indicator_code == 1 and f.period_end == OCT]
    assert octobers == [52.0, 55.0]  # each run's own figures, the first not overwritten
    # dbt's restatements read the history before the run: never the run's own entry
    assert seen_by_builds == [[], [(first.run_id, "published")]]
    assert query(first.warehouse, "select count(*) from marts.indicator_history") == [
        (2 * FIGURES_PER_RUN,)]


def test_nightly_runs_and_runs_without_a_report_record_nothing(tmp_path: Path, fakes):
    run(tmp_path, kind="nightly")
    result = run(tmp_path, kind="manual")
    assert HistoryStore(result.warehouse).entries() == []
    assert query(result.warehouse, "select count(*) from marts.indicator_history") == [(0,)]


def test_a_failed_publish_appends_nothing(tmp_path: Path, fakes):
    def broken_swap(building: Path, warehouse: Path) -> None:
        raise OSError("disk full")

    with (using_step_functions(replace(current_step_functions(), swap_in=broken_swap)),
          pytest.raises((PipelineError, OSError))):
        run(tmp_path)
    store = HistoryStore(make_settings(tmp_path).paths.warehouse)
    assert store.entries() == [] and store.pending_runs() == []


# ---------------------------------------------------------------- kills

KILL_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    from datetime import date
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    import test_history as t
    import dataclasses
    from cscperf import history
    from cscperf.pipeline import using_step_functions

    point, tmp = sys.argv[1], Path(sys.argv[2])
    def die():
        os.kill(os.getpid(), signal.SIGKILL)
    fns = t.fake_functions(60.0)
    if point == "build":
        fns = dataclasses.replace(fns, build_marts=lambda *a: die())
    if point == "mid-entry":  # the entry written and fsynced under its temp name
        real_replace = os.replace
        def replace(src, dst):
            if ".pending.tmp-" in str(src):
                die()
            real_replace(src, dst)
        history.os.replace = replace
    real_swap = fns.swap_in
    if point == "before-swap":
        fns = dataclasses.replace(fns, swap_in=lambda b, w: die())
    if point == "after-swap":
        def swap(b, w):
            real_swap(b, w)
            die()
        fns = dataclasses.replace(fns, swap_in=swap)
    if point == "after-commit":
        real_commit = history.HistoryStore.commit
        def commit(self, run_id):
            real_commit(self, run_id)
            die()
        history.HistoryStore.commit = commit
    with using_step_functions(fns):
        t.run(tmp)
""")


@pytest.mark.parametrize("point", ["build", "mid-entry", "before-swap", "after-swap",
                                   "after-commit"])
def test_a_run_killed_at_any_step_leaves_its_whole_entry_or_none(
    tmp_path: Path, fakes, point: str
):
    first = run(tmp_path)  # a published month already in the history
    script = tmp_path / "kill.py"
    script.write_text(KILL_SCRIPT.format(tests=str(TESTS)))
    proc = subprocess.run([sys.executable, str(script), point, str(tmp_path)],
                          capture_output=True, text=True, timeout=240)
    assert proc.returncode == -9, proc.stderr[-2000:]
    store = HistoryStore(first.warehouse)
    published = history.published_run_ids(first.warehouse)
    killed = published - {first.run_id}
    before = [e.run_id for e in store.entries()]
    assert before[0] == first.run_id and len(before) <= 2
    for e in store.entries():
        assert len(e.figures) == FIGURES_PER_RUN  # never half an entry
    # the next run settles what the killed one left, then records itself
    third = run(tmp_path)
    after = store.entries()
    ids = [e.run_id for e in after]
    assert ids[0] == first.run_id and ids[-1] == third.run_id
    assert set(ids[1:-1]) == killed  # the killed run's entry iff its warehouse was swapped in
    expected_killed = point in ("after-swap", "after-commit")
    assert bool(killed) == expected_killed
    assert store.pending_runs() == []
    assert not [p for p in store.folder.iterdir() if ".tmp-" in p.name]
    assert query(first.warehouse, "select count(distinct run_id) from marts.indicator_history"
                 ) == [(len(ids),)]


def test_backfilled_entries_are_carried_into_the_warehouse_and_the_next_build(
    tmp_path: Path, fakes
):
    warehouse = make_settings(tmp_path).paths.warehouse
    store = HistoryStore(warehouse)
    sep = date(2015, 9, 30)
    store.append(Entry("bf-sep", "backfill", sep, "/old", datetime(2015, 11, 1, tzinfo=UTC),
                       sep, (Figure(1, sep, 40.0, 4, 10, None, "report month"),
                             Figure(2, date(2015, 7, 31), 11.0, 11, None, None,
                                    "previous 2"))))
    first = run(tmp_path)  # publishes Sep (code 1: 50.0) as October's previous value
    rows = query(warehouse, "select run_id, kind from marts.indicator_history "
                 "where indicator_code = 1 and period_end = ? order by recorded_at", [sep])
    assert rows == [("bf-sep", "backfill"), (first.run_id, "published")]
    seen_by_builds.clear()
    run(tmp_path)
    assert seen_by_builds == [sorted([("bf-sep", "backfill"), (first.run_id, "published")])]
