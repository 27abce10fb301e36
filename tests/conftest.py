"""Fixtures shared by several test modules, and how ``make test`` spreads them over workers.

Under pytest-xdist (``make test`` runs ``-n auto --dist loadscope``) each worker
is a process of its own with its own session fixtures. The expensive,
read-only ones are built once for the whole session: ``make demo`` itself, run
as a new user runs it (its extract set and its run are the demo extracts and
the demo run every other test reads), in a folder the workers share, under a
file lock: the first
worker to need one builds it, the others wait for it and read it. Everything
else (``tmp_path``, ``PREFECT_HOME``, Prefect's test server, dbt target
folders) stays per worker.

Tests are grouped (``--dist loadscope``, with the scopes below) so that a
module's fixtures are built on one worker only:
one group per module, one per parameter of a module-scoped parametrized
fixture (e.g. each oracle scenario), and one per test in the long modules
that have no module fixture; the tests on Prefect's test server form one group
(one server). The longest are sent first.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from cscperf.settings import PROJECT_DIR

if TYPE_CHECKING:
    from cscperf.settings import Settings

PREFECT_STARTUP = 180  # seconds Prefect's test server may take to start (Prefect's default: 30)


# -- dbt target folders ---------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    """Under xdist: dbt's default target folder per worker (inside the project's
    ``target/``), so the workers' runs do not queue on one folder's lock."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        os.environ["DBT_TARGET_PATH"] = str(Path("target") / f"pytest-{worker}")


@pytest.fixture(scope="session")
def dbt_target() -> Callable[[Settings], Path]:
    """``dbt_target(settings)``: a target folder kept for dbt runs with these settings' vars.

    dbt parses the whole project again (15 s) in a new target folder or when its
    vars change; a folder per set of vars (per xdist worker) lets every later run
    with the same vars parse partially (under a second). Runs sharing a folder
    wait for each other (dbt_runner's lock), so it is never shared by workers.
    """
    from cscperf.dbt_runner import dbt_vars, default_target

    def folder(settings: Settings) -> Path:
        key = json.dumps(dbt_vars(settings), sort_keys=True, default=str)
        return default_target() / f"vars-{hashlib.sha1(key.encode()).hexdigest()[:10]}"

    return folder


# -- shared builds -----------------------------------------------------------------


def _session_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's temporary folder: above the workers' own under xdist."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def shared_folder(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]
) -> Path:
    """``name``, built by ``build(folder)`` once per test session, whatever the workers.

    Under xdist the folder sits in the session's temporary folder, above the
    workers' own, and a lock file makes the other workers wait for the first
    one's build. A build that failed leaves no mark: the next caller tries again.
    """
    base = _session_base(tmp_path_factory)
    folder = base / name
    done = folder / ".built"
    with open(base / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            done.touch()
    return folder


def demo_env(home: Path) -> dict[str, str]:
    """The environment of a run as a new user runs it, with its files under ``home``."""
    return {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "CSCPERF_PATHS__WAREHOUSE": str(home / "warehouse" / "cscperf.duckdb"),
        "CSCPERF_PATHS__QUALITY": str(home / "warehouse" / "quality"),
        "CSCPERF_PATHS__LOGS": str(home / "warehouse" / "logs"),
        "PREFECT_HOME": str(home / "prefect"),
    }


@dataclass(frozen=True)
class MakeDemo:
    """``make demo`` run once as a new user runs it, its files under ``home``: the
    demo extracts (herefordshire-2015, seed 2015), the run as at 2015-10-31 with its
    report, and the reproduction; its console output kept."""

    home: Path
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture(scope="session")
def make_demo(tmp_path_factory: pytest.TempPathFactory) -> MakeDemo:
    """``make demo``, once per session (whatever the workers). Read only."""

    def run(home: Path) -> None:
        result = subprocess.run(
            ["make", "--no-print-directory", "demo", f"DEMO={home / 'demo'}"],
            cwd=PROJECT_DIR, env=demo_env(home), capture_output=True, text=True,
            timeout=900, check=False,
        )
        (home / "stdout.txt").write_text(result.stdout, encoding="utf-8")
        (home / "stderr.txt").write_text(result.stderr, encoding="utf-8")
        (home / "returncode.txt").write_text(str(result.returncode), encoding="utf-8")

    home = shared_folder(tmp_path_factory, "make-demo", run)
    return MakeDemo(home=home,
                    returncode=int((home / "returncode.txt").read_text(encoding="utf-8")),
                    stdout=(home / "stdout.txt").read_text(encoding="utf-8"),
                    stderr=(home / "stderr.txt").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class DemoRun:
    """The demo extract set (herefordshire-2015, seed 2015) run as at 2015-10-31."""

    root: Path
    extracts: Path
    warehouse: Path
    quality: Path


@pytest.fixture(scope="session")
def demo_run(make_demo: MakeDemo) -> DemoRun:
    """The run of ``make demo`` (the command line, no Prefect server). Read only."""
    assert make_demo.returncode == 0, make_demo.stderr[-3000:]
    home = make_demo.home
    return DemoRun(root=home, extracts=home / "demo" / "extracts",
                   warehouse=home / "warehouse" / "cscperf.duckdb",
                   quality=home / "warehouse" / "quality")


@pytest.fixture(scope="session")
def demo_extracts(demo_run: DemoRun) -> Path:
    """The demo extract set (herefordshire-2015, seed 2015) of ``make demo``. Read only."""
    return demo_run.extracts


@pytest.fixture(scope="session")
def demo_warehouse(demo_run: DemoRun) -> Path:
    return demo_run.warehouse


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """One Prefect test server for the session (its tests are one xdist group, see
    ``ON_PREFECT``): its API URL, PREFECT_HOME and database."""
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_HOME,
        PREFECT_SERVER_DATABASE_CONNECTION_URL,
        temporary_settings,
    )
    from prefect.testing.utilities import prefect_test_harness

    home = tmp_path_factory.mktemp("prefect-home")
    with contextlib.ExitStack() as stack:
        stack.enter_context(temporary_settings(updates={PREFECT_HOME: home}))
        # the workers' servers start one at a time, and may take long on a busy machine
        with open(_session_base(tmp_path_factory) / ".prefect-start.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            stack.enter_context(prefect_test_harness(server_startup_timeout=PREFECT_STARTUP))
        database = str(PREFECT_SERVER_DATABASE_CONNECTION_URL.value()).split(":///", 1)[-1]
        yield {"url": PREFECT_API_URL.value(), "home": str(home), "database": Path(database)}


# -- spreading the tests over xdist workers ------------------------------------------

# Modules with no module-scoped fixture whose tests are long: a group per test,
# so both workers share them.
PER_TEST = {"tests/test_data_protection.py"}
# The tests that use Prefect's test server (the fixture prefect_api) join the
# flows' group: one worker runs them all, so one server starts (10-15 s).
PREFECT_GROUP = "tests/test_flows.py"
ON_PREFECT = {
    "tests/test_data_protection.py::test_a_run_leaks_neither_a_token_nor_a_bad_value[prefect]",
}
# Modules whose module-scoped fixture is parametrized (their tests' only
# parameter): one group per parameter, e.g. per oracle scenario.
SPLIT_BY_PARAMETER = {"tests/test_marts_vs_oracle.py", "tests/test_work_due_agreement.py"}
# Groups sent first, longest first (measured with --durations); the others
# follow in collection order.
FIRST = (
    "tests/test_flows.py",
    "tests/test_console.py",
    "tests/test_data_protection.py",
    "tests/test_marts_vs_oracle.py",
    "tests/test_work_due_nightly.py",
    "tests/test_work_due_agreement.py",
    "tests/test_backfill.py",
    "tests/test_report_browser.py",
)


def xdist_group(nodeid: str) -> str:
    """The group of a test (one worker runs a group): its module, or as above."""
    module = nodeid.split("::", 1)[0]
    if nodeid in ON_PREFECT:
        return PREFECT_GROUP
    if module in PER_TEST:
        return nodeid
    if module in SPLIT_BY_PARAMETER and nodeid.endswith("]") and "[" in nodeid:
        return f"{module}[{nodeid[nodeid.index('[') + 1:-1]}]"
    return module


def _rank(nodeid: str) -> int:
    group = xdist_group(nodeid)
    for i, first in enumerate(FIRST):
        if group == first or group.startswith((first + "[", first + "::")):
            return i
    return len(FIRST)


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """``--dist loadscope`` with the groups above as its scopes, in collection order.

    (xdist's own ``loadgroup`` marks do not reach the scheduler under pytest 9.2:
    they rename ``item._nodeid``, which pytest no longer reads.)
    """
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return xdist_group(nodeid)

    config.option.loadscopereorder = False  # the workers' order: the longest first
    return GroupScheduling(config, log)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under xdist: the longest groups first (a stable sort: groups keep their order)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        items.sort(key=lambda item: _rank(item.nodeid))
