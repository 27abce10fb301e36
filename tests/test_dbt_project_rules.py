"""The dbt project's review checklist, as tests (after dbt-project-evaluator).

- every model, seed and source table is documented, and so is every column
  the yml lists;
- every model has a primary-key test (unique + not_null on one column, or a
  unique-combination test), whether a test of its own or a check of the
  model's merged ``checks`` test;
- staging models read only sources; nothing else reads a source; staging
  never reads staging;
- models live in the layer their name says;
- no column carries keys beyond dbt's own (the mark of an unquoted YAML flow
  mapping cut at a comma), and a second parse with the same settings but
  another as-at date is partial.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from cscperf.dbt_runner import run_dbt
from cscperf.settings import load_settings


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The target folder of one full ``dbt parse``."""
    tmp = tmp_path_factory.mktemp("dbt-parse")
    run_dbt(["parse"], tmp / "unused.duckdb", load_settings(), date(2015, 10, 31),
            target_path=tmp / "target")
    return tmp / "target"


@pytest.fixture(scope="module")
def manifest(parsed: Path) -> dict:
    return json.loads((parsed / "manifest.json").read_text())


# The keys dbt itself gives a column in the manifest.
STANDARD_COLUMN_KEYS = {
    "name", "description", "meta", "data_type", "constraints", "quote", "tags",
    "granularity", "doc_blocks", "config", "_extra", "dimension", "entity",
}


def stray_column_keys(manifest: dict) -> list[str]:
    """``node.column: keys`` for every column with keys dbt does not define."""
    stray = []
    nodes = [*manifest["nodes"].values(), *manifest["sources"].values()]
    for node in nodes:
        if node.get("package_name") != "cscperf":
            continue
        for column, spec in (node.get("columns") or {}).items():
            extra = {str(k) for k in spec if k not in STANDARD_COLUMN_KEYS}
            extra |= {str(k) for k in spec.get("_extra") or {}}
            if extra:
                stray.append(f"{node['name']}.{column}: {sorted(extra)}")
    return stray


def test_no_column_has_stray_keys(manifest):
    """A description written as an unquoted flow mapping is cut at its first comma."""
    assert stray_column_keys(manifest) == []


def test_stray_key_check_catches_a_cut_description():
    cut = {"nodes": {"model.cscperf.m": {
        "package_name": "cscperf", "name": "m",
        "columns": {"c": {"name": "c", "description": "True when per 10", "000 (codes 10": None,
                          "_extra": {}}},
    }}, "sources": {}}
    extra = {"nodes": {"model.cscperf.m": {
        "package_name": "cscperf", "name": "m",
        "columns": {"c": {"name": "c", "description": "d", "_extra": {"17": None}}},
    }}, "sources": {}}
    assert stray_column_keys(cut) == ["m.c: ['000 (codes 10']"]
    assert stray_column_keys(extra) == ["m.c: ['17']"]


def test_a_second_parse_at_another_as_at_date_is_partial(parsed: Path):
    """The saved parse reads back, and a new as-at date does not force a full parse."""
    events: list[str] = []
    run_dbt(["parse"], parsed.parent / "unused.duckdb", load_settings(), date(2016, 3, 31),
            target_path=parsed, callbacks=[lambda e: events.append(e.info.name)])
    assert "UnableToPartialParse" not in events
    assert "PartialParsingSkipParsing" in events or "PartialParsingEnabled" in events


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


def checks_run_by(test: dict) -> set[str]:
    """``<test>:<column>`` for every check a test node runs.

    A ``checks`` test (macros/tests/checks.sql) runs many: its ``columns``
    argument maps a column to tests; a check narrowed by ``where`` does not
    cover the whole column and is left out. Its ``combinations`` are
    unique_combination_of_columns checks.
    """
    meta = test.get("test_metadata") or {}
    if meta.get("name") != "checks":
        return {f"{meta.get('name')}:{test.get('column_name') or ''}"}
    kwargs = meta.get("kwargs") or {}
    found = set()
    for column, column_checks in (kwargs.get("columns") or {}).items():
        for check in column_checks:
            name = check if isinstance(check, str) else next(iter(check))
            arguments = {} if isinstance(check, str) else check[name] or {}
            if arguments.get("where") is None:
                found.add(f"{name}:{column}")
    for combination in kwargs.get("combinations") or []:
        found.add("unique_combination_of_columns:" + ",".join(combination))
    return found


def models_lacking_a_primary_key_test(manifest: dict) -> list[str]:
    tests_by_model: dict[str, set[str]] = {}
    for test in _nodes(manifest, "test"):
        attached = test.get("attached_node")
        if not attached or not test.get("test_metadata"):
            continue
        tests_by_model.setdefault(attached, set()).update(checks_run_by(test))
    lacking = []
    for model in _nodes(manifest, "model"):
        found = tests_by_model.get(model["unique_id"], set())
        columns_unique = {t.split(":", 1)[1] for t in found if t.startswith("unique:")}
        columns_not_null = {t.split(":", 1)[1] for t in found if t.startswith("not_null:")}
        has_combination = any(t.startswith("unique_combination") for t in found)
        if not (columns_unique & columns_not_null) and not has_combination:
            lacking.append(model["name"])
    return lacking


def test_every_model_has_a_primary_key_test(manifest):
    assert models_lacking_a_primary_key_test(manifest) == []


def _fake_manifest(**checks_kwargs: object) -> dict:
    model = {"resource_type": "model", "package_name": "cscperf", "name": "m",
             "unique_id": "model.cscperf.m"}
    test = {"resource_type": "test", "package_name": "cscperf", "name": "m_checks",
            "attached_node": "model.cscperf.m", "column_name": None,
            "test_metadata": {"name": "checks", "kwargs": checks_kwargs}}
    return {"nodes": {"model.cscperf.m": model, "test.cscperf.m_checks": test}}


def test_the_key_check_sees_into_merged_checks():
    """The checker fails a model whose merged checks leave its key untested."""
    keyed = _fake_manifest(columns={"id": ["unique", "not_null"], "x": ["not_null"]})
    combined = _fake_manifest(combinations=[["a", "b"]])
    unique_only = _fake_manifest(columns={"id": ["unique"], "x": ["not_null"]})
    narrowed = _fake_manifest(columns={"id": ["unique", {"not_null": {"where": "x > 0"}}]})
    assert models_lacking_a_primary_key_test(keyed) == []
    assert models_lacking_a_primary_key_test(combined) == []
    assert models_lacking_a_primary_key_test(unique_only) == ["m"]
    assert models_lacking_a_primary_key_test(narrowed) == ["m"]


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


# --------------------------------------------------------------------------- DAG rules
# dbt-project-evaluator's modelling rules, held with no exceptions.

MAX_PARENTS = 6  # fct_model_fanout / "too many joins": 7 or more parents is a finding


def _parents(node: dict) -> list[str]:
    """A node's direct parents among models, seeds, snapshots and sources."""
    kinds = ("model.", "seed.", "snapshot.", "source.")
    return sorted({p for p in node["depends_on"]["nodes"] if p.startswith(kinds)})


def models_with_too_many_parents(manifest: dict) -> list[str]:
    return [f"{m['name']}: {len(_parents(m))} parents" for m in _nodes(manifest, "model")
            if len(_parents(m)) > MAX_PARENTS]


def root_models(manifest: dict) -> list[str]:
    """Models with no parent: their rows come from nowhere the DAG shows."""
    return [m["name"] for m in _nodes(manifest, "model") if not _parents(m)]


def unused_sources(manifest: dict) -> list[str]:
    read = {p for m in _nodes(manifest, "model") for p in _parents(m)}
    return sorted(s["name"] for s in manifest["sources"].values()
                  if s.get("package_name") == "cscperf" and s["unique_id"] not in read)


def rejoined_concepts(manifest: dict) -> list[str]:
    """A -> B -> C with A -> C too, where B has no child but C: B belongs in C."""
    models = {m["unique_id"]: m for m in _nodes(manifest, "model")}
    children: dict[str, set[str]] = {}
    for node in manifest["nodes"].values():
        if node.get("resource_type") in ("model", "snapshot"):
            for parent in _parents(node):
                children.setdefault(parent, set()).add(node["unique_id"])
    found = []
    for c_id, c in models.items():
        parents = set(_parents(c))
        for b_id in parents & models.keys():
            if children.get(b_id) != {c_id}:
                continue
            for a_id in parents & set(_parents(models[b_id])):
                found.append(f"{c['name']} reads {a_id.split('.')[-1]} and, "
                             f"through {models[b_id]['name']} alone, again")
    return sorted(found)


def test_no_model_has_seven_or_more_parents(manifest):
    assert models_with_too_many_parents(manifest) == []


def test_no_root_models(manifest):
    assert root_models(manifest) == []


def test_every_source_is_read(manifest):
    assert unused_sources(manifest) == []


def test_no_upstream_concept_is_rejoined(manifest):
    assert rejoined_concepts(manifest) == []


def _dag(edges: dict[str, list[str]], sources: tuple[str, ...] = ()) -> dict:
    nodes = {f"model.cscperf.{n}": {
        "resource_type": "model", "package_name": "cscperf", "name": n,
        "unique_id": f"model.cscperf.{n}",
        "depends_on": {"nodes": [p if "." in p else f"model.cscperf.{p}" for p in ps]},
    } for n, ps in edges.items()}
    srcs = {f"source.cscperf.s.{n}": {"name": n, "package_name": "cscperf",
                                      "unique_id": f"source.cscperf.s.{n}"} for n in sources}
    return {"nodes": nodes, "sources": srcs}


def test_the_dag_rules_catch_what_they_name():
    wide = _dag({"a": ["source.cscperf.s.x"],
                 **{f"p{i}": ["a"] for i in range(7)}, "c": [f"p{i}" for i in range(7)]},
                sources=("x", "unused"))
    assert models_with_too_many_parents(wide) == ["c: 7 parents"]
    assert unused_sources(wide) == ["unused"]
    assert root_models(_dag({"r": [], "s": ["r"]})) == ["r"]
    rejoin = _dag({"a": ["source.cscperf.s.x"], "b": ["a"], "c": ["a", "b"]}, sources=("x",))
    assert rejoined_concepts(rejoin) == ["c reads a and, through b alone, again"]
    shared = _dag({"a": ["source.cscperf.s.x"], "b": ["a"], "c": ["a", "b"], "d": ["b"]},
                  sources=("x",))
    assert rejoined_concepts(shared) == []


def marts_without_enforced_contracts(manifest: dict) -> list[str]:
    """Marts models whose contract is not enforced or lists a column without a type."""
    lacking = []
    for model in _nodes(manifest, "model"):
        if Path(model["original_file_path"]).parts[1] != "marts":
            continue
        if not (model.get("contract") or {}).get("enforced"):
            lacking.append(f"{model['name']}: contract not enforced")
        columns = (model.get("columns") or {}).items()
        untyped = [c for c, spec in columns if not spec.get("data_type")]
        if untyped or not model.get("columns"):
            lacking.append(f"{model['name']}: columns without data_type {untyped}")
    return lacking


def test_every_mart_has_an_enforced_contract(manifest):
    """What analysts query keeps its columns and types: a change is a build error."""
    assert marts_without_enforced_contracts(manifest) == []


def test_the_contract_check_catches_a_missing_contract():
    model = {"resource_type": "model", "package_name": "cscperf", "name": "m",
             "original_file_path": "models/marts/m.sql", "contract": {"enforced": False},
             "columns": {"a": {"data_type": "integer"}, "b": {"data_type": None}}}
    assert marts_without_enforced_contracts({"nodes": {"model.cscperf.m": model}}) == [
        "m: contract not enforced", "m: columns without data_type ['b']"]
