"""Peak memory landing a 1 GB extract (issue 10, item 7): extracts are streamed, not read whole.

Usage (from the project folder, after ./scripts/setup.sh):

    .venv/bin/python benchmarks/land_memory.py [--gb 1.0] [--workdir DIR]

Writes an extract set whose contacts.csv is about ``--gb`` GB (the other 12
files are tiny but valid), once as UTF-8 and once as Windows-1252 (a NOTES
column of free text with non-ASCII letters: ignored by the loader with a
warning, but it makes the file Windows-1252 and so transcoded). Each set is
landed by ``cscperf.loading.land`` in a fresh Python process started by a
fresh measuring process, which reports the child's peak resident memory
(``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``: Python *and* DuckDB,
one process) and its wall time. Results go to benchmarks/land_memory.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from cscperf.contract import EXTRACTS  # noqa: E402

RESULTS = PROJECT_DIR / "benchmarks" / "land_memory.md"
SOURCES = ("6", "2A", "5A", "1A", "8", "5C", "3E", "4", "2B", "10")
OUTCOMES = ("REFERRAL", "NFA", "ADVICE", "EARLY_HELP", "")
NOTES = ("Café visit – Bromyard", "Follow-up: Leominster", "Seen at Ross-on-Wye ‘hub’", "")
TWO_LINES = "Seen twice:\nat school, at home"
BLOCK = 50_000  # rows written per write() call

TINY = {  # one valid row per file besides contacts
    "people": "P1,Ann,Lee,01/01/2010,F,WBRI,HR1 1AA,F1",
    "referrals": "R1,P1,01/10/2015,6,C0,NFA,,",
    "assessments": "A1,P1,R1,IA,01/10/2015,,,,",
    "strategy_discussions": "S1,P1,R1,01/10/2015,",
    "s47_enquiries": "Q1,P1,S1,01/10/2015,,,",
    "cp_conferences": "K1,P1,ICPC,01/10/2015,Q1,,PLAN",
    "cp_plans": "CP1,P1,01/10/2015,,NEG,",
    "cp_visits": "V1,P1,01/10/2015,Y",
    "lac_episodes": "E1,P1,01/10/2015,,C2,,S,,",
    "lac_visits": "LV1,P1,01/10/2015",
    "lac_reviews": "LR1,P1,01/10/2015",
    "caf_episodes": "CAF1,P1,01/10/2015,,N,,SCHOOL,Hereford North City,,",
}


def write_set(
    folder: Path, target_bytes: int, encoding: str, line_breaks: bool = False
) -> tuple[int, int]:
    """The 13 files in ``folder``; (contacts rows, contacts bytes).

    ``line_breaks``: one NOTES field in 1,000 holds a line break, so records are
    not one line each and the loader scans the file for each record's line.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for extract in EXTRACTS:
        if extract.name == "contacts":
            continue
        header = ",".join(c.name for c in extract.columns)
        (folder / extract.file_name).write_text(f"{header}\n{TINY[extract.name]}\n")
    header = ",".join(c.name for c in EXTRACTS[1].columns) + ",NOTES\n"
    rows = 0
    written = 0
    with (folder / "contacts.csv").open("wb") as out:
        written += out.write(header.encode(encoding))
        while written < target_bytes:
            lines = []
            for i in range(rows, rows + BLOCK):
                day, month, hour = 1 + i % 28, 1 + i % 12, 8 + i % 10
                outcome = OUTCOMES[i % 5]
                lines.append(
                    f"{i},P{i % 200_000},{day:02d}/{month:02d}/2015 {hour:02d}:{i % 60:02d},"
                    f"{SOURCES[i % 10]},2015-{month:02d}-{day:02d} {hour:02d}:59,"
                    f"{'YN'[i % 2]},{outcome},{'R' + str(i) if outcome == 'REFERRAL' else ''},"
                    f"\"{TWO_LINES if line_breaks and i % 1000 == 7 else NOTES[i % 4]}\"\n"
                )
            rows += BLOCK
            written += out.write("".join(lines).encode(encoding))
    return rows, written


def land_in_fresh_process(extracts: Path, db: Path) -> dict[str, float]:
    """Land in a child process; its peak RSS (RUSAGE_CHILDREN) and wall time."""
    code = (
        "import sys; from pathlib import Path; from cscperf.loading import land; "
        "from cscperf.settings import load_settings; "
        "r = land(Path(sys.argv[1]), Path(sys.argv[2]), load_settings()); "
        "print(sum(r.rows_loaded.values()))"
    )
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, str(extracts), str(db)],
        cwd=PROJECT_DIR, capture_output=True, text=True, check=True,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    return {"rows": int(done.stdout.split()[-1]), "seconds": seconds, "peak_mib": peak_kib / 1024}


def measure(extracts: Path, db: Path, memory_limit: str) -> dict[str, float]:
    """:func:`land_in_fresh_process` run from a fresh measuring process (RUSAGE_CHILDREN
    is the largest child ever waited for: one landing per measuring process), with
    ``[loader] duckdb_memory_limit`` set to ``memory_limit`` ("" = DuckDB's default)."""
    env = {**os.environ, "CSCPERF_LOADER__DUCKDB_MEMORY_LIMIT": memory_limit}
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(extracts), str(db)],
        cwd=PROJECT_DIR, capture_output=True, text=True, check=True, env=env,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gb", type=float, default=1.0, help="size of contacts.csv (GB)")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument(
        "--memory-limit", default="512MB", help="[loader] duckdb_memory_limit for the runs"
    )
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(land_in_fresh_process(*args.child)))
        return
    work = Path(args.workdir or tempfile.mkdtemp(prefix="cscperf-land-memory-"))
    results = []
    runs = (
        ("utf-8", "UTF-8", False, (args.memory_limit, "")),
        ("cp1252", "Windows-1252", False, (args.memory_limit,)),
        ("utf-8", "UTF-8, line breaks in quotes", True, (args.memory_limit,)),
    )
    try:
        for encoding, label, line_breaks, limits in runs:
            folder = work / encoding
            rows, size = write_set(folder, int(args.gb * 1e9), encoding, line_breaks)
            for limit in limits:
                db = work / f"{encoding}.duckdb"
                db.unlink(missing_ok=True)
                result = measure(folder, db, limit)
                db.unlink(missing_ok=True)
                results.append({
                    "encoding": label, "file_bytes": size, "limit": limit or "(DuckDB default)",
                    **result,
                })  # fmt: skip
                print(
                    f"{label}, memory limit {limit or 'default'}: contacts.csv "
                    f"{size / 1e9:.2f} GB, {rows:,} rows: landed in {result['seconds']:.1f} s, "
                    f"peak RSS {result['peak_mib']:,.0f} MiB",
                    flush=True,
                )
            shutil.rmtree(folder)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    write_results(results)


def write_results(results: list[dict[str, float | str]]) -> None:
    lines = [
        "# Landing memory: a 1 GB extract",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `benchmarks/land_memory.py` on "
        f"{platform.machine()}, {os.cpu_count()} cores (shared), Python "
        f"{platform.python_version()}.",
        "",
        "Peak RSS is the landing process's high-water mark (`getrusage(RUSAGE_CHILDREN)"
        ".ru_maxrss` of a fresh process): Python and DuckDB together. Python streams the "
        "file in 64 MB chunks; DuckDB's own memory is bounded by `[loader] "
        "duckdb_memory_limit` (DuckDB spills to a temporary folder beyond it).",
        "",
        "Times come from a shared machine (other jobs running) and a contacts file with an "
        "extra quoted free-text column: read this table for memory. Without a limit DuckDB "
        "keeps the whole stage table in memory (its default limit is 80% of RAM); Python "
        "holds at most a few 64 MB chunks (and, transcoding, their text) at a time, whatever "
        "the file size.",
        "",
        "| encoding | duckdb_memory_limit | contacts.csv | rows landed | land (s) | rows/s "
        "| peak RSS (MiB) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        rows = float(r["rows"])
        lines.append(
            f"| {r['encoding']} | {r['limit']} | {float(r['file_bytes']) / 1e9:.2f} GB | "
            f"{rows:,.0f} | {float(r['seconds']):.1f} | {rows / float(r['seconds']):,.0f} | "
            f"{float(r['peak_mib']):,.0f} |"
        )
    RESULTS.write_text("\n".join(lines) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
