"""Run the dbt project's compiled SQL directly in DuckDB, many times, cheaply.

A ``dbt build`` costs a parse (a full re-parse whenever ``--vars`` change, as
the as-at date does) plus dbt's own work per node. To rebuild the models for
many as-at dates from one landed file (``cscperf backfill``), :func:`prepare`
invokes dbt once: one parse, the seeds and the Python model (the bank
holidays, which do not depend on the as-at date), and a compile of every model
with a sentinel as-at date; :class:`CompiledProject` then executes the
compiled SQL of the SQL models in dependency order (``depends_on``, each as
its ``config.materialized`` view or table) with the sentinel replaced by the
date wanted.

Only the models themselves run: no data tests, no unit tests. Models that
need anything but ``var('as_at')`` to vary are not supported (none do).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

import duckdb

from cscperf.logs import quiet_telemetry
from cscperf.settings import PROJECT_DIR, Settings

log = logging.getLogger(__name__)

# compiled as the as-at date, then replaced: a date no model or seed holds
SENTINEL = date(2999, 1, 7)
MATERIALIZATIONS = frozenset({"view", "table"})


class CompiledError(RuntimeError):
    """The project cannot be prepared or a compiled model failed."""


@dataclass(frozen=True)
class CompiledModel:
    unique_id: str
    name: str
    relation: str  # "database"."schema"."identifier"
    schema: str
    materialized: str
    sql: str  # with the sentinel as-at date


def _literal(day: date) -> str:
    return f"'{day.isoformat()}'"


def _invoke(runner: Any, args: Sequence[str], vars_: dict[str, object],
            target_path: Path) -> Any:
    full = [*args, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
            "--vars", json.dumps(vars_), "--target-path", str(target_path)]
    result = runner.invoke(full)
    if not result.success:
        detail = f": {result.exception}" if result.exception is not None else ""
        raise CompiledError(f"dbt {args[0]} failed{detail}")
    return result.result


def prepare(db_path: Path, settings: Settings, target_path: Path) -> CompiledProject:
    """One dbt parse; seeds and Python models built in ``db_path``; every model compiled."""
    quiet_telemetry()
    from dbt.cli.main import dbtRunner

    from cscperf.dbt_runner import analyst_path_for, dbt_vars, release_database

    os.environ["CSCPERF_DBT_DB_PATH"] = str(Path(db_path).resolve())
    os.environ["CSCPERF_DBT_ANALYST_PATH"] = str(analyst_path_for(Path(db_path).resolve()))
    # the sentinel as a --vars as_at is written into the compiled SQL (macro as_at_date)
    vars_ = {**dbt_vars(settings), "as_at": SENTINEL.isoformat()}
    try:
        manifest = _invoke(dbtRunner(), ["parse"], vars_, target_path)
        runner = dbtRunner(manifest=manifest)
        python_models = [n.name for n in manifest.nodes.values()
                         if n.resource_type == "model" and n.language == "python"]
        _invoke(runner, ["seed"], vars_, target_path)
        if python_models:
            _invoke(runner, ["run", "--select", *python_models], vars_, target_path)
        _invoke(runner, ["compile"], vars_, target_path)
    finally:
        release_database()
    return CompiledProject.from_manifest(json.loads(
        (Path(target_path) / "manifest.json").read_text(encoding="utf-8")))


class CompiledProject:
    """The SQL models of a compiled manifest, in the order they must run."""

    def __init__(self, models: Sequence[CompiledModel]) -> None:
        self.models = list(models)

    @classmethod
    def from_manifest(cls, manifest: dict[str, Any]) -> CompiledProject:
        nodes = {uid: n for uid, n in manifest["nodes"].items()
                 if n["resource_type"] == "model" and n.get("language", "sql") == "sql"}
        graph = {uid: [d for d in n["depends_on"]["nodes"] if d in nodes]
                 for uid, n in nodes.items()}
        models = []
        for uid in TopologicalSorter(graph).static_order():
            node = nodes[uid]
            materialized = node["config"]["materialized"]
            if materialized not in MATERIALIZATIONS:
                raise CompiledError(f"{node['name']}: materialized {materialized} is not "
                                    "supported by the compiled executor")
            if not node.get("compiled_code"):
                raise CompiledError(f"{node['name']} was not compiled")
            models.append(CompiledModel(uid, node["name"], node["relation_name"],
                                        node["schema"], materialized, node["compiled_code"]))
        return cls(models)

    def upstream_of(self, names: Iterable[str], manifest: dict[str, Any]) -> CompiledProject:
        """Only ``names`` and the SQL models they depend on (still in order)."""
        wanted = set()
        stack = [uid for uid, n in manifest["nodes"].items() if n["name"] in set(names)]
        while stack:
            uid = stack.pop()
            if uid in wanted:
                continue
            wanted.add(uid)
            stack += manifest["nodes"].get(uid, {}).get("depends_on", {}).get("nodes", [])
        return CompiledProject([m for m in self.models if m.unique_id in wanted])

    def execute(self, con: duckdb.DuckDBPyConnection, as_at: date) -> None:
        """Build every model as at ``as_at`` in the database ``con`` is connected to."""
        sentinel = _literal(SENTINEL)
        schemas = {m.schema for m in self.models}
        for schema in sorted(schemas):
            con.execute(f'create schema if not exists "{schema}"')
        for model in self.models:
            sql = model.sql.replace(sentinel, _literal(as_at))
            kind = "view" if model.materialized == "view" else "table"
            try:
                con.execute(f"create or replace {kind} {model.relation} as (\n{sql}\n)")
            except duckdb.Error as exc:
                raise CompiledError(f"model {model.name} as at {as_at}: "
                                    f"{type(exc).__name__}") from None
