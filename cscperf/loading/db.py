"""The loader's DuckDB calls: run a statement to the end, read one number, check a plan."""

from __future__ import annotations

import json
from typing import Any

import duckdb

from cscperf.loading.sql import ORDER_KEEPING_OPERATORS


def run(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> list[Any]:
    """Execute ``sql`` and fetch its whole result (DuckDB wants results finished)."""
    return con.execute(sql, params).fetchall()


def scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return int(run(con, sql)[0][0])


def keeps_file_order(con: duckdb.DuckDBPyConnection, select: str) -> bool:
    """Whether every operator in the plan of ``select`` keeps its input's order."""
    plan = run(con, f"EXPLAIN (FORMAT JSON) {select}")
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            names.add(str(node.get("name", "")).strip().upper())
            for child in node.get("children", []):
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    try:
        walk(json.loads(plan[0][1]))
    except (IndexError, ValueError):
        return False
    return bool(names) and names <= ORDER_KEEPING_OPERATORS
