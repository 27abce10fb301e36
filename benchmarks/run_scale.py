"""Benchmark the monthly run at 1x, 10x and 100x Herefordshire, beside its floor.

Usage (from the project folder, after ./scripts/setup.sh):

    .venv/bin/python benchmarks/run_scale.py [--scales 1 10 100] [--repeats 3] [--years 5]

For each scale it generates the `scale` profile once, then, `--repeats` times
(interleaved, each in a fresh process):

- the product's stages, called as the monthly flow calls them (cscperf.pipeline):
  land, dbt build, checks, publish, report;
- the floor of the first two, the same work with nothing around it:
  * land floor: DuckDB's CSV reader, every column VARCHAR, the 13 files into
    text tables of a new database file;
  * build floor: the compiled SQL of every model (target/manifest.json of a
    `dbt compile` with the run's vars) executed straight in DuckDB in
    dependency order with the project's materializations (views as views,
    tables as tables), seeds loaded as tables from a product build, then every data test's compiled
    query, as `dbt build` runs them, on the landed database;
- `cscperf run` as a user runs it (a subprocess, command start to exit), without
  and with the report.

Peak memory is measured per stage (the process's high-water mark, reset before
each stage through /proc/self/clear_refs; for `cscperf run`, the child's
maxrss). It reports median wall seconds, the ratio product/floor, rows per
second and peak memory, and measures working-day counting speed inside DuckDB.
Results go to benchmarks/results.md and benchmarks/results.csv.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import importlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

AS_AT = date(2015, 10, 31)
END_TO_END_STAGES = ("land", "build", "checks", "publish")
# Each product stage and the floor it is measured against.
FLOOR_OF = {"land": "land floor", "build": "build floor"}


# ---------------------------------------------------------------- measurement


def _reset_peak_memory() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_memory_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def _measure(fn: Callable[[], Any]) -> tuple[float, int, Any]:
    _reset_peak_memory()
    start = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - start
    return seconds, _peak_memory_bytes(), value


# ---------------------------------------------------------------- one run (child process)


def run_once(extracts: Path, workdir: Path, with_report: bool, keep_landed: bool) -> dict[str, Any]:
    """Run every stage once in this process; return seconds and peak bytes per stage.

    The stages are the steps the monthly flow runs (cscperf.pipeline), called
    directly so that each can be timed on its own, without Prefect around them.
    """
    from cscperf.logs import configure_logging, quiet_telemetry

    quiet_telemetry()
    configure_logging(False)
    from cscperf import pipeline
    from cscperf.publish import swap_in, write_run_tables
    from cscperf.quality import QualityRunner, validate_marts, validate_raw
    from cscperf.settings import load_settings

    settings = load_settings()
    warehouse = workdir / "warehouse.duckdb"
    building = workdir / "building.duckdb"
    results: dict[str, Any] = {}

    seconds, peak, load = _measure(lambda: pipeline.land_extracts(extracts, building, settings))
    rows = sum(load.rows_loaded.values())
    results["land"] = {"seconds": seconds, "peak_bytes": peak, "rows": rows}
    if keep_landed:  # the floor's build starts from the same landed tables
        shutil.copy(building, workdir / "landed.duckdb")

    # dbt's import is part of the build stage in a fresh process; shown apart as well
    import_seconds, import_peak, _ = _measure(lambda: importlib.import_module("dbt.cli.main"))
    results["dbt import"] = {"seconds": import_seconds, "peak_bytes": import_peak, "rows": None}
    seconds, peak, _ = _measure(lambda: pipeline.build_marts(building, settings, AS_AT))
    results["build"] = {"seconds": import_seconds + seconds, "peak_bytes": max(peak, import_peak),
                        "rows": rows}

    runner = QualityRunner("bench", workdir / "quality")
    # GE's import (seconds) overlaps landing and the build in a run (its worker
    # process): the checks stage is the validation, GE imported before it
    importlib.import_module("great_expectations")

    def checks() -> Any:
        validate_raw(runner, building, AS_AT, date.today(), None, settings)
        validate_marts(runner, building, AS_AT, settings)
        return runner.finish()

    seconds, peak, quality = _measure(checks)
    results["checks"] = {"seconds": seconds, "peak_bytes": peak, "rows": rows}

    def publish() -> None:
        write_run_tables(building, [], quality.rows())
        swap_in(building, warehouse)

    seconds, peak, _ = _measure(publish)
    results["publish"] = {"seconds": seconds, "peak_bytes": peak, "rows": rows}

    if with_report:
        seconds, peak, _ = _measure(
            lambda: pipeline.render(warehouse, AS_AT, workdir / "report", settings)
        )
        results["report"] = {"seconds": seconds, "peak_bytes": peak, "rows": None}
    return results


def generate_once(children: int, years: int, out: Path) -> dict[str, Any]:
    from cscperf.generator import generate
    from cscperf.logs import quiet_telemetry

    quiet_telemetry()
    seconds, peak, _ = _measure(
        lambda: generate(profile="scale", out_dir=out, seed=7, children=children, years=years)
    )
    rows = 0
    for path in out.glob("*.csv"):
        with path.open("rb") as fh:
            rows += sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")) - 1
    return {"seconds": seconds, "peak_bytes": peak, "rows": rows}


def working_day_speed(pairs: int = 20_000_000) -> dict[str, float]:
    """Working-day counts per second: calendar index join vs numpy busday_count."""
    import duckdb
    import numpy as np

    from cscperf.dbt_runner import run_dbt
    from cscperf.settings import load_settings

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "calendar.duckdb"
        run_dbt(["build", "--select", "+int_calendar__days"], db, load_settings(), AS_AT,
                target_path=Path(tmp) / "target")
        con = duckdb.connect(str(db))
        con.execute(
            f"""create temp table pairs as
            select date '2010-01-01' + cast(floor(random() * 3650) as integer) as s,
                   date '2010-01-01' + cast(floor(random() * 3650) as integer)
                       + cast(floor(random() * 60) as integer) as e
            from range({pairs})"""
        )
        join_seconds = []
        for _ in range(3):
            start = time.perf_counter()
            con.execute(
                """select sum(end_day.working_day_index - start_day.working_day_index)
                from pairs
                join intermediate.int_calendar__days as start_day on start_day.calendar_date = s
                join intermediate.int_calendar__days as end_day on end_day.calendar_date = e"""
            ).fetchone()
            join_seconds.append(time.perf_counter() - start)
        holidays = [
            r[0] for r in con.execute(
                "select calendar_date from intermediate.int_calendar__days"
                " where bank_holiday_name is not null"
            ).fetchall()
        ]
        sample = con.execute("select s, e from pairs limit 2000000").fetchnumpy()
        con.close()
    starts = sample["s"].astype("datetime64[D]")
    ends = sample["e"].astype("datetime64[D]")
    hol = np.array(holidays, dtype="datetime64[D]")
    start = time.perf_counter()
    np.busday_count(starts + 1, ends + 1, holidays=hol)
    numpy_seconds = time.perf_counter() - start
    return {
        "calendar_join_pairs_per_second": pairs / statistics.median(join_seconds),
        "numpy_busday_count_pairs_per_second": len(starts) / numpy_seconds,
    }


# ---------------------------------------------------------------- the floor


def land_floor(extracts: Path, workdir: Path) -> dict[str, Any]:
    """DuckDB's CSV reader alone: the 13 files into all-VARCHAR tables of a new file."""
    import duckdb

    db = workdir / "land-floor.duckdb"
    files = sorted(extracts.glob("*.csv"))

    def land() -> int:
        rows = 0
        with duckdb.connect(str(db)) as con:
            con.execute("create schema raw")
            for path in files:
                con.execute(
                    f"create table raw.{path.stem} as select * from read_csv("
                    f"'{path}', all_varchar = true, header = true)"
                )
                rows += con.execute(f"select count(*) from raw.{path.stem}").fetchone()[0]
        return rows

    seconds, peak, rows = _measure(land)
    db.unlink()
    return {"seconds": seconds, "peak_bytes": peak, "rows": rows}


def compile_project(landed: Path, out: Path) -> Path:
    """``dbt compile`` with the run's vars; returns its manifest.json."""
    from cscperf.dbt_runner import run_dbt
    from cscperf.logs import quiet_telemetry
    from cscperf.settings import load_settings

    quiet_telemetry()
    db = out / "compile.duckdb"
    shutil.copy(landed, db)
    run_dbt(["compile", "--quiet"], db, load_settings(), AS_AT, target_path=out / "target")
    db.unlink()
    return out / "target" / "manifest.json"


def _in_dependency_order(nodes: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    done: set[str] = set()
    order: list[dict[str, Any]] = []

    def visit(uid: str) -> None:
        if uid in done or uid not in nodes:
            return
        done.add(uid)
        for parent in nodes[uid].get("depends_on", {}).get("nodes", []):
            visit(parent)
        order.append(nodes[uid])

    for uid in sorted(nodes):
        visit(uid)
    return order


def build_floor(landed: Path, built: Path, manifest_path: Path, workdir: Path) -> dict[str, Any]:
    """The compiled SQL of every model and data test, straight in DuckDB.

    The database is named like the one dbt builds (the compiled SQL names it).
    Seeds and the Python model are copied from a product build (``built``).
    """
    import duckdb

    from cscperf.dbt_runner import ANALYST_LINK_NAME, DB_LINK_NAME

    manifest = json.loads(manifest_path.read_text())
    nodes = {
        uid: n for uid, n in manifest["nodes"].items()
        if n["resource_type"] in {"model", "seed"} and n["package_name"] == "cscperf"
    }
    tests = [
        n for n in manifest["nodes"].values()
        if n["resource_type"] == "test" and n["package_name"] == "cscperf"
    ]
    room = workdir / "build-floor"
    room.mkdir()
    db = room / DB_LINK_NAME
    shutil.copy(landed, db)

    def qualified(node: dict[str, Any]) -> str:
        """The relation as the compiled SQL names it (the analyst file's: database analyst)."""
        return f'"{node["database"]}"."{node["schema"]}"."{node["alias"]}"'

    def build() -> int:
        with duckdb.connect(str(db)) as con:
            con.execute(f"create or replace macro main.cscperf_as_at() as date '{AS_AT}'")
            con.execute(f"attach '{built}' as built (read_only)")
            # as the product's build: its largest mart straight into the analyst file
            con.execute(f"attach '{room / ANALYST_LINK_NAME}' as analyst")
            for database, schema in sorted({(n["database"], n["schema"]) for n in nodes.values()}):
                con.execute(f'create schema if not exists "{database}"."{schema}"')
            for node in _in_dependency_order(nodes):
                name = qualified(node)
                if node["resource_type"] == "seed" or node["language"] == "python":
                    source = f'built."{node["schema"]}"."{node["alias"]}"'
                    con.execute(f"create table {name} as select * from {source}")
                elif node["config"]["materialized"] == "view":
                    con.execute(f"create view {name} as {node['compiled_code']}")
                else:
                    con.execute(f"create table {name} as {node['compiled_code']}")
            con.execute("detach built")
            for test in tests:
                fail_calc = test["config"].get("fail_calc") or "count(*)"
                con.execute(
                    f"select {fail_calc} from ({test['compiled_code']}) as dbt_internal_test"
                ).fetchone()
        return len(nodes) + len(tests)

    seconds, peak, count = _measure(build)
    shutil.rmtree(room)
    return {"seconds": seconds, "peak_bytes": peak, "rows": None, "nodes": count}


def floor_once(extracts: Path, landed: Path, built: Path, manifest: Path,
               workdir: Path) -> dict[str, Any]:
    from cscperf.logs import quiet_telemetry

    quiet_telemetry()
    results = {"land floor": land_floor(extracts, workdir)}
    results["build floor"] = build_floor(landed, built, manifest, workdir)
    results["build floor"]["rows"] = results["land floor"]["rows"]
    return results


# ---------------------------------------------------------------- `cscperf run`, as a user runs it


def cli_once(extracts: Path, workdir: Path, with_report: bool) -> dict[str, Any]:
    """``cscperf run`` in a subprocess: wall seconds from start to exit, and its maxrss."""
    command = [
        str(PROJECT_DIR / ".venv" / "bin" / "cscperf"), "run", "--extracts", str(extracts),
        "--as-at", AS_AT.isoformat(), "--warehouse", str(workdir / "warehouse.duckdb"),
    ]
    if with_report:
        command += ["--report-out", str(workdir / "report")]
    env = {**os.environ, "DO_NOT_TRACK": "1",
           "CSCPERF_PATHS__QUALITY": str(workdir / "quality")}
    with open(workdir / "cli.log", "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=out, stderr=out)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = (workdir / "cli.log").read_text(errors="replace")[-3000:]
        raise RuntimeError(f"cscperf run failed ({proc.returncode}):\n{tail}")
    return {"seconds": seconds, "peak_bytes": usage.ru_maxrss * 1024, "rows": None}


# ---------------------------------------------------------------- driver


def _child(args: argparse.Namespace) -> None:
    if args.child == "generate":
        out = generate_once(args.children, args.years, Path(args.extracts))
    elif args.child == "floor":
        out = floor_once(Path(args.extracts), Path(args.landed), Path(args.built),
                         Path(args.manifest), Path(args.workdir))
    elif args.child == "compile":
        out = {"manifest": str(compile_project(Path(args.landed), Path(args.workdir)))}
    else:
        out = run_once(Path(args.extracts), Path(args.workdir), args.with_report,
                       args.keep_landed)
    print("RESULT " + json.dumps(out))


def _spawn(*argv: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, *argv], capture_output=True, text=True, cwd=PROJECT_DIR,
        env={**os.environ, "DO_NOT_TRACK": "1"},
    )
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    raise RuntimeError(f"benchmark child failed ({proc.returncode}):\n{proc.stderr[-4000:]}")


CLI_STAGES = ("cscperf run", "cscperf run + report")


def bench_scale(scale: int, root: Path, repeats: int, years: int) -> dict[str, list[dict]]:
    """Every measurement of one scale: stage -> one value per repeat."""
    extracts = root / "extracts"
    print(f"== {scale}x: generating", flush=True)
    stages: dict[str, list[dict]] = {"generate": [
        _spawn("--child", "generate", "--children", str(scale), "--years", str(years),
               "--extracts", str(extracts))
    ]}
    manifest = None
    for i in range(repeats):
        workdir = root / f"run{i}"
        workdir.mkdir(parents=True)
        print(f"== {scale}x: repeat {i + 1} of {repeats}: product stages", flush=True)
        run = _spawn("--child", "run", "--extracts", str(extracts), "--workdir", str(workdir),
                     "--with-report", *(["--keep-landed"] if i == 0 else []))
        if manifest is None:
            landed = str(root / "run0" / "landed.duckdb")
            manifest = _spawn("--child", "compile", "--landed", landed,
                              "--workdir", str(root))["manifest"]
        print(f"== {scale}x: repeat {i + 1}: floors", flush=True)
        floor_dir = root / f"floor{i}"
        floor_dir.mkdir()
        run.update(_spawn("--child", "floor", "--extracts", str(extracts),
                          "--landed", str(root / "run0" / "landed.duckdb"),
                          "--built", str(root / "run0" / "warehouse.duckdb"),
                          "--manifest", manifest, "--workdir", str(floor_dir)))
        for stage, with_report in zip(CLI_STAGES, (False, True), strict=True):
            print(f"== {scale}x: repeat {i + 1}: {stage}", flush=True)
            cli_dir = root / f"cli{i}-{int(with_report)}"
            cli_dir.mkdir()
            run[stage] = cli_once(extracts, cli_dir, with_report)
            shutil.rmtree(cli_dir)
        for stage, value in run.items():
            stages.setdefault(stage, []).append(value)
        if i > 0:
            shutil.rmtree(workdir)
        shutil.rmtree(floor_dir)
    return stages


def summarise(scale: int, stages: dict[str, list[dict]]) -> dict[str, Any]:
    per_stage: dict[str, dict[str, Any]] = {}
    rows = stages["generate"][0]["rows"]
    for stage, values in stages.items():
        secs = statistics.median(v["seconds"] for v in values)
        per_stage[stage] = {
            "seconds": secs,
            "rows": values[0]["rows"],
            "rows_per_second": (values[0]["rows"] / secs) if values[0]["rows"] and secs else None,
            "peak_gb": max(v["peak_bytes"] for v in values) / 1e9,
            "runs": len(values),
        }
    floor_sum = per_stage["land floor"]["seconds"] + per_stage["build floor"]["seconds"]
    for stage, floor in FLOOR_OF.items():
        per_stage[stage]["floor"] = per_stage[floor]["seconds"]
    for stage in CLI_STAGES:
        per_stage[stage]["floor"] = floor_sum
    for value in per_stage.values():
        value["ratio"] = value["seconds"] / value["floor"] if value.get("floor") else None
    e2e = statistics.median(
        sum(stages[s][i]["seconds"] for s in END_TO_END_STAGES)  # build includes dbt import
        for i in range(len(stages["land"]))
    )
    return {"scale": scale, "rows": rows, "stages": per_stage, "end_to_end_seconds": e2e,
            "floor_sum": floor_sum,
            "peak_gb": max(per_stage[s]["peak_gb"] for s in (*END_TO_END_STAGES, *CLI_STAGES))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--repeats-100x", type=int, default=None,
                        help="repeats at scales of 100x and above (default: --repeats)")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "benchmarks")
    parser.add_argument("--child", choices=["generate", "run", "floor", "compile"],
                        help=argparse.SUPPRESS)
    for hidden in ("--children", "--extracts", "--workdir", "--landed", "--built", "--manifest"):
        parser.add_argument(hidden, help=argparse.SUPPRESS)
    parser.add_argument("--with-report", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--keep-landed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.children is not None:
            args.children = int(args.children)
        _child(args)
        return

    wd = working_day_speed()
    summaries = []
    with tempfile.TemporaryDirectory(prefix="cscperf-bench-") as tmp:
        for scale in args.scales:
            repeats = args.repeats_100x if scale >= 100 and args.repeats_100x else args.repeats
            stages = bench_scale(scale, Path(tmp) / f"x{scale}", repeats, args.years)
            summaries.append(summarise(scale, stages))
            shutil.rmtree(Path(tmp) / f"x{scale}")
            s = summaries[-1]["stages"]
            print(f"   build {s['build']['seconds']:.2f} s, floor {s['build']['floor']:.2f} s; "
                  f"cscperf run {s['cscperf run']['seconds']:.1f} s", flush=True)
            write_results(args.out, summaries, wd, args)  # after each scale: a partial table


# ---------------------------------------------------------------- results

STAGE_ORDER = ("generate", "land", "land floor", "build", "dbt import", "build floor", "checks",
               "publish", "report", *CLI_STAGES)


def _yes(met: bool) -> str:
    return "yes" if met else "NO"


def _fmt(x: float | None, spec: str = ".2f") -> str:
    return "-" if x is None else format(x, spec)


def write_results(out: Path, summaries: list[dict[str, Any]], wd: dict[str, float],
                  args: argparse.Namespace) -> None:
    out.mkdir(parents=True, exist_ok=True)
    fields = ["scale", "stage", "seconds", "floor_seconds", "ratio", "rows", "rows_per_second",
              "peak_gb", "runs"]
    with (out / "results.csv").open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        for summary in summaries:
            for stage in STAGE_ORDER:
                v = summary["stages"][stage]
                writer.writerow({
                    "scale": summary["scale"], "stage": stage, "seconds": round(v["seconds"], 3),
                    "floor_seconds": _fmt(v.get("floor"), ".3f"), "ratio": _fmt(v["ratio"]),
                    "rows": v["rows"] or "", "rows_per_second": _fmt(v["rows_per_second"], ".0f"),
                    "peak_gb": round(v["peak_gb"], 3), "runs": v["runs"],
                })

    lines = [
        "# Benchmark results",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; `scale` profile, {args.years} years of history; "
        f"median of {args.repeats} runs per stage"
        f"{f' ({args.repeats_100x} at 100x)' if args.repeats_100x else ''} (generation once), "
        "product and floor "
        "interleaved in the same run. Rerun: `make bench` "
        "(or `.venv/bin/python benchmarks/run_scale.py [--scales 1 10 100] [--repeats 3]`).",
        "",
        "`build` is the whole stage in a fresh process, dbt's import included (also shown "
        "apart as `dbt import`). "
        "The floor of a stage is the same work with nothing around it: for landing, DuckDB's "
        "CSV reader into all-VARCHAR tables; for the build, the compiled SQL of every model "
        "(views as views, tables as tables) and of every data test, run straight in DuckDB "
        "in dependency order. `cscperf run` is the command as a user runs it (subprocess, "
        "start to exit: Prefect, landing, checks, dbt, publishing), against the sum of the "
        "two floors.",
        "",
        "| scale | stage | product s | floor s | product / floor | rows/s | peak memory GB |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for summary in summaries:
        for stage in STAGE_ORDER:
            v = summary["stages"][stage]
            lines.append(
                f"| {summary['scale']}x | {stage} | {v['seconds']:.2f} | {_fmt(v.get('floor'))} | "
                f"{_fmt(v['ratio'], '.1f')}{'x' if v['ratio'] else ''} | "
                f"{_fmt(v['rows_per_second'], ',.0f')} | {v['peak_gb']:.2f} |"
            )
    lines += ["", "| scale | rows | end to end s (land -> build -> checks -> publish, in process) "
              "| sum of floors s | peak GB |", "| ---: | ---: | ---: | ---: | ---: |"]
    for s in summaries:
        lines.append(f"| {s['scale']}x | {s['rows']:,} | {s['end_to_end_seconds']:.1f} | "
                     f"{s['floor_sum']:.2f} | {s['peak_gb']:.2f} |")
    lines += ["", "## Targets", "", "| target | measured | met |", "| --- | --- | --- |"]
    by_scale = {s["scale"]: s for s in summaries}
    if 1 in by_scale:
        st = by_scale[1]["stages"]
        r = st["build"]["ratio"]
        lines.append(f"| 1x `dbt build` <= 10x its floor | {st['build']['seconds']:.2f} s / "
                     f"{st['build']['floor']:.2f} s = {r:.1f}x | {_yes(r <= 10)} |")
        run, runr = st["cscperf run"], st["cscperf run + report"]
        lines.append(f"| 1x `cscperf run` <= 12x the floors (about 10 s) | {run['seconds']:.1f} s "
                     f"= {run['ratio']:.1f}x | {_yes(run['ratio'] <= 12)} |")
        lines.append(f"| 1x `cscperf run` with the report <= 15 s | {runr['seconds']:.1f} s | "
                     f"{_yes(runr['seconds'] <= 15)} |")
    if 100 in by_scale:
        st = by_scale[100]["stages"]
        r = st["build"]["ratio"]
        lines.append(f"| 100x `dbt build` <= 1.3x its floor | {st['build']['seconds']:.1f} s / "
                     f"{st['build']['floor']:.1f} s = {r:.2f}x | {_yes(r <= 1.3)} |")
        run = st["cscperf run"]
        lines.append(f"| 100x `cscperf run` <= 1.3x the sum of the floors | {run['seconds']:.1f} s"
                     f" / {run['floor']:.1f} s = {run['ratio']:.2f}x | "
                     f"{_yes(run['ratio'] <= 1.3)} |")
        peak = by_scale[100]["peak_gb"]
        lines.append(f"| 100x peak memory <= 2 GB | {peak:.2f} GB | {_yes(peak <= 2)} |")
    join = wd["calendar_join_pairs_per_second"]
    lines.append(f"| working-day counts >= 200 M pairs/s | {join / 1e6:.0f} M pairs/s "
                 f"(numpy busday_count: {wd['numpy_busday_count_pairs_per_second'] / 1e6:.1f} M/s)"
                 f" | {_yes(join >= 200e6)} |")
    (out / "results.md").write_text("\n".join(lines) + "\n")
    if len(summaries) == len(args.scales):
        print("\n".join(lines))


if __name__ == "__main__":
    main()
