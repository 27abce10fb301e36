"""Benchmark the monthly run at 1x, 10x and 100x Herefordshire.

Usage (from the project folder, after ./scripts/setup.sh):

    .venv/bin/python benchmarks/run_scale.py [--scales 1 10 100] [--repeats 3] [--years 5]

For each scale it generates the `scale` profile once, then runs the monthly
job `--repeats` times, each time in a fresh Python process, and times each
stage: land, dbt build, checks, publish, report. Peak memory is measured
per stage (the process's high-water mark, reset before each stage through
/proc/self/clear_refs). It reports the median wall seconds per stage, rows
per second, peak memory, the end-to-end time (land -> build -> checks ->
publish) and the ratio 100x/10x, and measures working-day counting speed
inside DuckDB. Results go to benchmarks/results.md and benchmarks/results.csv.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import platform
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
TARGETS = {
    "end_to_end_100x_seconds": 120.0,
    "peak_memory_100x_gb": 4.0,
    "growth_100x_over_10x": 11.0,
    "landing_rows_per_second": 1_000_000.0,
    "working_day_pairs_per_second": 50_000_000.0,
}


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


def run_once(extracts: Path, workdir: Path, with_report: bool) -> dict[str, Any]:
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

    seconds, peak, _ = _measure(lambda: pipeline.build_marts(building, settings, AS_AT))
    results["build"] = {"seconds": seconds, "peak_bytes": peak, "rows": rows}

    runner = QualityRunner("bench", workdir / "quality")

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


# ---------------------------------------------------------------- driver


def _child(args: argparse.Namespace) -> None:
    if args.child == "generate":
        out = generate_once(args.children, args.years, Path(args.extracts))
    else:
        out = run_once(Path(args.extracts), Path(args.workdir), args.with_report)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "benchmarks")
    parser.add_argument("--child", choices=["generate", "run"], help=argparse.SUPPRESS)
    parser.add_argument("--children", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--extracts", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--with-report", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return

    rows_out: list[dict[str, Any]] = []
    summary: dict[int, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="cscperf-bench-") as tmp:
        for scale in args.scales:
            extracts = Path(tmp) / f"x{scale}" / "extracts"
            print(f"== {scale}x: generating", flush=True)
            gen = _spawn("--child", "generate", "--children", str(scale), "--years",
                         str(args.years), "--extracts", str(extracts))
            runs = []
            for i in range(args.repeats):
                workdir = Path(tmp) / f"x{scale}" / f"run{i}"
                workdir.mkdir(parents=True)
                print(f"== {scale}x: run {i + 1} of {args.repeats}", flush=True)
                runs.append(_spawn("--child", "run", "--extracts", str(extracts),
                                   "--workdir", str(workdir), "--with-report"))
            stages = {"generate": [gen]}
            for run in runs:
                for stage, value in run.items():
                    stages.setdefault(stage, []).append(value)
            per_stage = {}
            for stage, values in stages.items():
                secs = statistics.median(v["seconds"] for v in values)
                rows = values[0]["rows"]
                per_stage[stage] = {
                    "seconds": secs,
                    "rows": rows,
                    "rows_per_second": (rows / secs) if rows and secs else None,
                    "peak_gb": max(v["peak_bytes"] for v in values) / 1e9,
                }
                rows_out.append({"scale": scale, "stage": stage, **per_stage[stage]})
            e2e = [sum(run[s]["seconds"] for s in END_TO_END_STAGES) for run in runs]
            summary[scale] = {
                "end_to_end_seconds": statistics.median(e2e),
                "peak_gb": max(per_stage[s]["peak_gb"] for s in END_TO_END_STAGES),
                "stages": per_stage,
            }
            print(f"   end to end {summary[scale]['end_to_end_seconds']:.1f} s", flush=True)
    wd = working_day_speed()
    write_results(args.out, rows_out, summary, wd, args)


def _yes(met: bool) -> str:
    return "yes" if met else "NO"


def write_results(out: Path, rows: list[dict[str, Any]], summary: dict[int, dict[str, Any]],
                  wd: dict[str, float], args: argparse.Namespace) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with (out / "results.csv").open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["scale", "stage", "seconds", "rows",
                                                "rows_per_second", "peak_gb"])
        writer.writeheader()
        writer.writerows(rows)

    def fmt(x: float | None, spec: str = ".2f") -> str:
        return "-" if x is None else format(x, spec)

    lines = [
        "# Benchmark results",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; `scale` profile, {args.years} years of history, "
        f"median of {args.repeats} runs per stage (generation once). "
        "Rerun: `make bench` (or `.venv/bin/python benchmarks/run_scale.py`).",
        "",
        "| scale | stage | median s | rows | rows/s | peak memory GB |",
        "| ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['scale']}x | {r['stage']} | {r['seconds']:.2f} | {r['rows'] or '-'} | "
            f"{fmt(r['rows_per_second'], ',.0f')} | {r['peak_gb']:.2f} |"
        )
    lines += ["", "| scale | end to end s (land -> build -> checks -> publish) | peak GB |",
              "| ---: | ---: | ---: |"]
    for scale, s in summary.items():
        lines.append(f"| {scale}x | {s['end_to_end_seconds']:.1f} | {s['peak_gb']:.2f} |")
    lines += ["", "## Targets", "", "| target | measured | met |", "| --- | --- | --- |"]
    if 100 in summary:
        e2e = summary[100]["end_to_end_seconds"]
        lines.append(f"| 100x end to end <= 120 s | {e2e:.1f} s | {_yes(e2e <= 120)} |")
        peak = summary[100]["peak_gb"]
        lines.append(f"| 100x peak memory <= 4 GB | {peak:.2f} GB | {_yes(peak <= 4)} |")
    if 100 in summary and 10 in summary:
        ratio = summary[100]["end_to_end_seconds"] / summary[10]["end_to_end_seconds"]
        lines.append(f"| time(100x) / time(10x) <= 11 | {ratio:.2f} | "
                     f"{'yes' if ratio <= 11 else 'NO'} |")
    biggest = max(summary)
    land = summary[biggest]["stages"]["land"]["rows_per_second"] or 0
    lines.append(f"| landing >= 1 M rows/s ({biggest}x) | {land / 1e6:.2f} M rows/s | "
                 f"{'yes' if land >= 1e6 else 'NO'} |")
    join = wd["calendar_join_pairs_per_second"]
    lines.append(f"| working-day counts >= 50 M pairs/s | {join / 1e6:.0f} M pairs/s "
                 f"(numpy busday_count: {wd['numpy_busday_count_pairs_per_second'] / 1e6:.1f} M/s)"
                 f" | {'yes' if join >= 50e6 else 'NO'} |")
    (out / "results.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
