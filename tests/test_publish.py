"""The warehouse lock, the atomic swap and the run history."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from cscperf.publish import (
    LockTimeout,
    RunHistory,
    RunRecord,
    lock_path_for,
    swap_in,
    warehouse_lock,
    write_run_tables,
)


def make_db(path: Path, value: int) -> None:
    con = duckdb.connect(str(path))
    con.execute("create table t as select ? as v", [value])
    con.close()


def record(run_id: str, published: bool = True, **extra) -> RunRecord:
    return RunRecord(
        run_id=run_id, kind="manual", as_at=date(2015, 10, 31), extracts_dir="/x",
        warehouse="/w", started_at=datetime(2015, 11, 2, 6, tzinfo=UTC),
        ended_at=datetime(2015, 11, 2, 6, 5, tzinfo=UTC),
        status="published" if published else "failed", published=published,
        rows_loaded={"contacts": 10, "people": 4}, **extra,
    )


def test_second_holder_times_out_naming_the_holder(tmp_path: Path):
    warehouse = tmp_path / "cscperf.duckdb"
    with warehouse_lock(warehouse, 1, "first-run"):
        started = time.monotonic()
        with pytest.raises(LockTimeout) as caught, warehouse_lock(warehouse, 0.5, "second"):
            pass
        assert 0.4 <= time.monotonic() - started < 5
    message = str(caught.value)
    assert "\n" not in message
    assert f"pid {os.getpid()}" in message and "first-run" in message
    assert "started 20" in message and "gave up after 0.5 s" in message
    # released: the next run gets it at once
    with warehouse_lock(warehouse, 0, "third"):
        pass


def test_a_killed_holder_never_leaves_a_stale_lock(tmp_path: Path):
    warehouse = tmp_path / "cscperf.duckdb"
    code = (
        "import sys, time; from pathlib import Path; from cscperf.publish import warehouse_lock\n"
        "with warehouse_lock(Path(sys.argv[1]), 5, 'doomed'):\n"
        "    print('locked', flush=True); time.sleep(60)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code, str(warehouse)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(LockTimeout, match="doomed"), warehouse_lock(warehouse, 0.2, "me"):
            pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    with warehouse_lock(warehouse, 2, "after"):
        assert "after" in lock_path_for(warehouse).read_text()


def test_swap_keeps_open_readers_consistent(tmp_path: Path):
    warehouse = tmp_path / "cscperf.duckdb"
    make_db(warehouse, 1)
    reader = duckdb.connect(str(warehouse), read_only=True)
    try:
        building = tmp_path / ".cscperf.build-1.duckdb"
        make_db(building, 2)
        swap_in(building, warehouse)
        assert not building.exists()
        # the open reader still sees the old file (its inode), whole
        assert reader.execute("select v from t").fetchone() == (1,)
    finally:
        reader.close()
    fresh = duckdb.connect(str(warehouse), read_only=True)
    assert fresh.execute("select v from t").fetchone() == (2,)
    fresh.close()


def test_swap_refuses_an_unclosed_build(tmp_path: Path):
    warehouse = tmp_path / "cscperf.duckdb"
    make_db(warehouse, 1)
    building = tmp_path / ".cscperf.build-2.duckdb"
    make_db(building, 2)
    building.with_name(building.name + ".wal").write_bytes(b"x")
    before = warehouse.read_bytes()
    with pytest.raises(RuntimeError, match="write-ahead log"):
        swap_in(building, warehouse)
    assert warehouse.read_bytes() == before


def test_run_history_survives_and_is_copied_into_the_warehouse(tmp_path: Path):
    warehouse = tmp_path / "cscperf.duckdb"
    history = RunHistory(warehouse)
    assert history.records() == [] and history.last_published() is None
    history.append(record("r1"))
    history.append(record("r2", published=False, message="dbt build failed"))
    again = RunHistory(warehouse)
    assert [r.run_id for r in again.records()] == ["r1", "r2"]
    assert again.last_published().run_id == "r1"
    assert again.records()[0].rows_loaded == {"contacts": 10, "people": 4}

    db = tmp_path / "build.duckdb"
    write_run_tables(db, again.records(), [{
        "run_id": "r2", "suite": "raw.contacts", "check_name": "x present",
        "severity": "error", "success": False, "element_count": 3, "unexpected_count": 1,
        "example_ids": ("C1", "C2"), "detail": "",
    }])
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "select run_id, status, rows_loaded_total, message from marts.run_history"
            " order by started_at, run_id").fetchall()
        assert rows == [("r1", "published", 14, ""), ("r2", "failed", 14, "dbt build failed")]
        assert con.execute("select example_ids from marts.quality_results").fetchone() == (
            "C1, C2",)
    finally:
        con.close()
