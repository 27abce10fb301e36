"""The Great Expectations suites: versioned JSON files under ``expectations/``.

A suite file is a GE 1.x expectation suite (``ExpectationSuite.to_json_dict()``)
whose ``meta`` also says what data it is validated against:

- ``query`` (or ``query_file``, a .sql file beside it): the DuckDB query whose
  result is the batch (``$as_at`` is the run's as-at date);
- ``id_columns``: the columns that identify a row, reported as example ids;
- ``layer``: ``raw`` (after landing), ``cross_file`` (after dbt: the findings
  of ``marts.data_quality_findings``, where each finding is defined once) or
  ``marts`` (after dbt: only checks that dbt's tests of the marts do not make).

Each expectation's ``severity`` is GE's own: ``critical`` is an *error* (the
run does not publish), ``warning`` only alerts. ``meta.check`` is the short
name used in alerts and in ``marts.quality_results``.

The raw suites follow the extract contract (required columns, code lists,
ids, dates), so they are generated from ``cscperf.contract``::

    python -m cscperf.quality        # rewrite expectations/raw/*.json

and ``tests/test_quality_suites.py`` fails when the files and the contract
disagree. The cross-file and marts suites are written by hand; the cross-file
suite names, describes and grades the findings that dbt defines, and
``tests/test_quality.py`` fails when the two lists of finding names disagree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cscperf.contract import EXTRACTS, ColumnType, Extract
from cscperf.settings import PROJECT_DIR

EXPECTATIONS_DIR = PROJECT_DIR / "expectations"
LAYERS = ("raw", "cross_file", "marts")
ERROR, WARNING = "error", "warning"
GE_SEVERITY = {ERROR: "critical", WARNING: "warning"}
EARLIEST_DATE = "1900-01-01"

# Personal dates never leave the database as values: only their year does.
PERSONAL_DATES = {("people", "DOB")}


@dataclass(frozen=True)
class Suite:
    name: str
    layer: str
    query: str
    id_columns: tuple[str, ...]
    definition: dict[str, Any]  # the GE suite as JSON
    path: Path

    @property
    def expectations(self) -> list[dict[str, Any]]:
        return list(self.definition["expectations"])


def _expectation(
    type_: str, check: str, severity: str, **kwargs: Any
) -> dict[str, Any]:
    return {
        "type": type_,
        "kwargs": kwargs,
        "meta": {"check": check},
        "severity": GE_SEVERITY[severity],
    }


def raw_query(extract: Extract) -> str:
    """The rows of a raw table that could fail a row check, as GE sees them.

    No personal text, dates as dates, DOB as a year. Only candidate rows leave
    DuckDB (a null or duplicate id, a required value missing, a code outside
    its list, a date before 1900 or after the run date): GE judges them, and
    the table's own row count is reported beside (``meta.table``). Moving
    every row of a large extract into pandas would cost minutes and gigabytes.
    """
    parts: list[str] = []
    suspicious: list[str] = []
    id_col = extract.id_column.db_name
    suspicious.append(f"{id_col} is null")
    suspicious.append(
        f"{id_col} in (select {id_col} from raw.{extract.name} where {id_col} is not null"
        f" group by {id_col} having count(*) > 1)"
    )
    for col in extract.columns:
        name = col.db_name
        if (extract.name, col.name) in PERSONAL_DATES:  # personal: only its year leaves
            parts.append(f"year({name}) as {name}_year")
            suspicious.append(f"year({name}) < 1900 or year({name}) > $latest_year")
            continue
        if col.personal:
            continue
        if col.type is ColumnType.DATETIME:
            parts.append(f"cast({name} as date) as {name}")
        else:
            parts.append(name)
        if col.required and col is not extract.id_column:
            suspicious.append(f"{name} is null")
        if col.codes is not None:
            codes = ", ".join("'" + c.replace("'", "''") + "'" for c in col.codes)
            suspicious.append(f"{name} not in ({codes})")
        if col.type in (ColumnType.DATE, ColumnType.DATETIME):
            suspicious.append(
                f"cast({name} as date) < date '{EARLIEST_DATE}'"
                f" or cast({name} as date) > cast($latest_date as date)"
            )
    where = "\n   or ".join(f"({c})" for c in suspicious)
    return f"select {', '.join(parts)}\nfrom raw.{extract.name}\nwhere {where}"


def row_count_suite(extract: Extract) -> dict[str, Any]:
    """The row count of one raw table against the last published run's."""
    return {
        "name": f"raw.{extract.name}.row_count",
        "id": None,
        "expectations": [
            _expectation(
                "expect_column_values_to_be_between", "row count close to the last run's",
                WARNING, column="row_count",
                min_value={"$PARAMETER": "row_count_min"},
                max_value={"$PARAMETER": "row_count_max"},
            )
        ],
        "meta": {
            "layer": "raw",
            "description": (
                f"Rows of raw.{extract.name} against the last published run (band: "
                "quality.row_count_change_band); generated by `python -m cscperf.quality`."
            ),
            "query": f"select count(*) as row_count from raw.{extract.name}",
            "id_columns": [],
        },
        "notes": None,
    }


def raw_suite(extract: Extract) -> dict[str, Any]:
    """The raw suite of one extract, from the contract."""
    id_col = extract.id_column.db_name
    exps = [
        _expectation("expect_column_values_to_not_be_null", f"{id_col} present", ERROR,
                     column=id_col),
        _expectation("expect_column_values_to_be_unique", f"{id_col} unique", ERROR,
                     column=id_col),
    ]
    for col in extract.columns[1:]:
        name = col.db_name
        if col.required:
            exps.append(_expectation("expect_column_values_to_not_be_null",
                                     f"{name} present", ERROR, column=name))
        if col.codes is not None:
            exps.append(_expectation("expect_column_values_to_be_in_set",
                                     f"{name} in the code list", ERROR,
                                     column=name, value_set=list(col.codes)))
    for col in extract.columns:
        if col.type not in (ColumnType.DATE, ColumnType.DATETIME):
            continue
        name = col.db_name
        if (extract.name, col.name) in PERSONAL_DATES:
            exps += [
                _expectation("expect_column_values_to_be_between",
                             f"{name} not before 1900", ERROR,
                             column=f"{name}_year", min_value=1900),
                _expectation("expect_column_values_to_be_between",
                             f"{name} not after the run date", WARNING,
                             column=f"{name}_year", max_value={"$PARAMETER": "latest_year"}),
            ]
        else:
            exps += [
                _expectation("expect_column_values_to_be_between",
                             f"{name} not before 1900", ERROR,
                             column=name, min_value=EARLIEST_DATE),
                _expectation("expect_column_values_to_be_between",
                             f"{name} not after the run date", WARNING,
                             column=name, max_value={"$PARAMETER": "latest_date"}),
            ]
    return {
        "name": f"raw.{extract.name}",
        "id": None,
        "expectations": exps,
        "meta": {
            "layer": "raw",
            "description": (
                f"{extract.file_name} as landed in raw.{extract.name}: generated from "
                "cscperf.contract by `python -m cscperf.quality`; do not edit by hand."
            ),
            "query": raw_query(extract),
            "table": f"raw.{extract.name}",
            "id_columns": [id_col],
        },
        "notes": None,
    }


def raw_suite_path(extract: Extract) -> Path:
    return EXPECTATIONS_DIR / "raw" / f"{extract.name}.json"


def row_count_suite_path(extract: Extract) -> Path:
    return EXPECTATIONS_DIR / "raw" / f"{extract.name}.row_count.json"


def dump(definition: dict[str, Any]) -> str:
    return json.dumps(definition, indent=2, ensure_ascii=False) + "\n"


def write_raw_suites() -> list[Path]:
    paths = []
    for extract in EXTRACTS:
        for path, definition in (
            (raw_suite_path(extract), raw_suite(extract)),
            (row_count_suite_path(extract), row_count_suite(extract)),
        ):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(dump(definition), encoding="utf-8")
            paths.append(path)
    return paths


def load_suite(path: Path) -> Suite:
    definition = json.loads(Path(path).read_text(encoding="utf-8"))
    meta = definition.get("meta") or {}
    if "query_file" in meta:
        query = (Path(path).parent / meta["query_file"]).read_text(encoding="utf-8")
    else:
        query = meta["query"]
    layer = meta.get("layer") or Path(path).parent.name
    if layer not in LAYERS:
        raise ValueError(f"{path}: unknown layer {layer!r}")
    return Suite(
        name=definition["name"], layer=layer, query=query,
        id_columns=tuple(meta.get("id_columns") or ()), definition=definition, path=Path(path),
    )


def load_suites(layer: str, directory: Path | None = None) -> list[Suite]:
    """Every suite of a layer, in file name order."""
    folder = (directory or EXPECTATIONS_DIR) / layer
    return [load_suite(p) for p in sorted(folder.glob("*.json"))]
