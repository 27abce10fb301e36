"""The dbt project's review checklist, as tests (after dbt-project-evaluator).

- every model, seed and source table is documented, and so is every column
  the yml lists;
- every model has a primary-key test (unique + not_null on one column, or a
  unique-combination test);
- staging models read only sources; nothing else reads a source; staging
  never reads staging;
- models live in the layer their name says.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from cscperf.dbt_runner import run_dbt
from cscperf.settings import load_settings


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("dbt-parse")
    run_dbt(["parse"], tmp / "unused.duckdb", load_settings(), date(2015, 10, 31),
            target_path=tmp / "target")
    return json.loads((tmp / "target" / "manifest.json").read_text())


def _nodes(manifest: dict, resource_type: str) -> list[dict]:
    return [
        n for n in manifest["nodes"].values()
        if n["resource_type"] == resource_type and n["package_name"] == "cscperf"
    ]


def test_every_model_seed_and_source_is_documented(manifest):
    undocumented = [
        n["name"] for n in _nodes(manifest, "model") + _nodes(manifest, "seed")
        if not n["description"].strip()
    ]
    undocumented += [s["name"] for s in manifest["sources"].values() if not s["description"]]
    assert undocumented == []


def test_every_listed_column_is_described(manifest):
    missing = [
        f"{n['name']}.{col}"
        for n in _nodes(manifest, "model") + _nodes(manifest, "seed")
        for col, spec in n["columns"].items()
        if not spec["description"].strip()
    ]
    assert missing == []


def test_every_model_has_a_primary_key_test(manifest):
    tests_by_model: dict[str, set[str]] = {}
    for test in _nodes(manifest, "test"):
        meta = test.get("test_metadata") or {}
        attached = test.get("attached_node")
        if not attached or not meta:
            continue
        column = test.get("column_name") or ""
        tests_by_model.setdefault(attached, set()).add(f"{meta['name']}:{column}")
    lacking = []
    for model in _nodes(manifest, "model"):
        found = tests_by_model.get(model["unique_id"], set())
        columns_unique = {t.split(":", 1)[1] for t in found if t.startswith("unique:")}
        columns_not_null = {t.split(":", 1)[1] for t in found if t.startswith("not_null:")}
        has_combination = any("unique_combination" in t for t in found)
        if not (columns_unique & columns_not_null) and not has_combination:
            lacking.append(model["name"])
    assert lacking == []


def test_layering(manifest):
    problems = []
    for model in _nodes(manifest, "model"):
        name = model["name"]
        parents = model["depends_on"]["nodes"]
        reads_source = any(p.startswith("source.") for p in parents)
        parent_names = [p.split(".")[-1] for p in parents]
        folder = Path(model["original_file_path"]).parts[1]
        if name.startswith("stg_"):
            if folder != "staging":
                problems.append(f"{name} is not in models/staging")
            if any(p.startswith("stg_") for p in parent_names):
                problems.append(f"{name}: staging reads staging")
        elif reads_source:
            problems.append(f"{name} reads a source directly")
        if name.startswith("int_") and folder != "intermediate":
            problems.append(f"{name} is not in models/intermediate")
        if folder == "marts" and name.startswith(("stg_", "int_")):
            problems.append(f"{name} is in marts")
    assert problems == []
