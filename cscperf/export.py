"""``cscperf export``: every mart and reference table as Parquet or CSV, with a data dictionary.

For tools that cannot open a DuckDB file (Power BI, Excel, another database):

- ``<table>.parquet`` / ``<table>.csv`` for each table of schema ``marts``,
  ``reference.<table>.parquet`` / ``.csv`` for each seed (schema ``reference``);
- ``data_dictionary.csv``: ``table, column, type, description`` for every
  exported column (a row with an empty ``column`` describes the table).

Files are written by DuckDB's own ``COPY ... TO`` (no pyarrow), from a
read-only connection, into a temporary folder beside ``out`` that is renamed
into place when complete: a reader never sees half an export. Folder mode
0o750, files 0o640.

Descriptions come from the dbt project's yml files (``models/**.yml``,
``seeds/*.yml``; ``{{ doc('x') }}`` resolved from the ``{% docs %}`` blocks),
the same text ``dbt docs`` shows, read directly so that an export works from a
fresh clone without a ``target/manifest.json`` (which may be absent or from
another build). ``marts.run_history`` and ``marts.quality_results`` are
written by ``cscperf.publish``, not dbt: they are described here.
"""

from __future__ import annotations

import csv
import logging
import os
import re
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import yaml

from cscperf.security import swap_folder_into_place
from cscperf.settings import PROJECT_DIR

log = logging.getLogger(__name__)

FORMATS = ("parquet", "csv")
SCHEMAS = ("marts", "reference")
DICTIONARY = "data_dictionary.csv"
DIR_MODE, FILE_MODE = 0o750, 0o640

_DOC_REF = re.compile(r"""\{\{\s*doc\(\s*['"]([^'"]+)['"]\s*\)\s*\}\}""")
_DOC_BLOCK = re.compile(r"\{%\s*docs\s+(\w+)\s*%\}(.*?)\{%\s*enddocs\s*%\}", re.DOTALL)

# Tables cscperf.publish writes into marts (not dbt models).
PUBLISH_TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "run_history": (
        "Every run of cscperf on this warehouse up to and including the published one "
        "(from the run history file beside the warehouse).",
        {
            "run_id": "The run's id (YYYYMMDDTHHMMSS-xxxxxx, London time).",
            "kind": "monthly, nightly or manual.",
            "status": "published, failed or skipped.",
            "published": "Whether the run replaced the published warehouse.",
            "started_at": "When the run started.",
            "ended_at": "When the run ended.",
            "as_at": "The run's as-at (extraction) date.",
            "extracts_dir": "The extract folder the run read.",
            "rows_loaded_total": "Rows landed from all extracts.",
            "rows_loaded": "Rows landed per extract (JSON text).",
            "rows_rejected": "Rows rejected into raw.rejected_rows.",
            "checks_passed": "Data-quality checks that passed.",
            "checks_failed": "Error-severity checks that failed (a run with any is not published).",
            "checks_warned": "Warning-severity checks that failed.",
            "message": "Why a run failed (one line, no record values).",
        },
    ),
    "quality_results": (
        "The published run's data-quality check results (Great Expectations), one row per "
        "check.",
        {
            "run_id": "The run's id.",
            "suite": "The suite (raw.<extract>, cross_file.<check>, marts.<mart>).",
            "check_name": "The check.",
            "severity": "error (blocks publishing) or warning.",
            "success": "Whether the check passed.",
            "element_count": "Rows checked.",
            "unexpected_count": "Rows that failed the check.",
            "example_ids": "Up to five record ids of failing rows (ids only, no values).",
            "detail": "Observed value or why the check could not run.",
        },
    ),
}


class ExportError(RuntimeError):
    """The export could not be written (nothing was changed at ``out``)."""


@dataclass
class ExportResult:
    out_dir: Path
    files: list[Path] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        return (f"exported {len(self.rows)} tables ({sum(self.rows.values()):,} rows) "
                f"and {DICTIONARY} to {self.out_dir}")


# --------------------------------------------------------------------------- descriptions


def _doc_blocks(project_dir: Path) -> dict[str, str]:
    blocks: dict[str, str] = {}
    for folder in ("models", "seeds", "macros"):
        for md in sorted((project_dir / folder).rglob("*.md")):
            for name, text in _DOC_BLOCK.findall(md.read_text(encoding="utf-8")):
                blocks[name] = text.strip()
    return blocks


def _text(value: Any, blocks: dict[str, str]) -> str:
    text = str(value or "")
    text = _DOC_REF.sub(lambda m: blocks.get(m.group(1), ""), text)
    return " ".join(text.split())


def descriptions(project_dir: Path = PROJECT_DIR) -> dict[str, tuple[str, dict[str, str]]]:
    """``{"<schema>.<table>": (table description, {column: description})}``.

    Models under ``models/marts`` are schema ``marts``, seeds ``reference`` (as
    dbt_project.yml configures); other models are listed under their own
    folder's schema name but are not exported.
    """
    blocks = _doc_blocks(project_dir)
    out: dict[str, tuple[str, dict[str, str]]] = {}
    for kind, folder in (("models", "models"), ("seeds", "seeds")):
        for path in sorted((project_dir / folder).rglob("*.yml")):
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            if kind == "seeds":
                schema = "reference"
            else:
                parts = path.relative_to(project_dir / "models").parts
                schema = parts[0] if len(parts) > 1 else "models"
            for node in doc.get(kind) or []:
                if not isinstance(node, dict) or "name" not in node:
                    continue
                columns = {
                    str(c["name"]): _text(c.get("description"), blocks)
                    for c in node.get("columns") or [] if isinstance(c, dict) and "name" in c
                }
                out[f"{schema}.{node['name']}"] = (_text(node.get("description"), blocks),
                                                   columns)
    for table, (text, columns) in PUBLISH_TABLES.items():
        out.setdefault(f"marts.{table}", (text, dict(columns)))
    return out


# --------------------------------------------------------------------------- export


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def exported_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(schema, table) of every base table in marts and reference, in order."""
    return [
        (str(s), str(t)) for s, t in con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database() and table_schema in ('marts', 'reference') "
            "and table_type = 'BASE TABLE' order by table_schema, table_name"
        ).fetchall()
    ]


def file_name(schema: str, table: str, fmt: str) -> str:
    return f"{table}.{fmt}" if schema == "marts" else f"{schema}.{table}.{fmt}"


def _copy_options(fmt: str) -> str:
    if fmt == "parquet":
        return "(format parquet, compression zstd)"
    return "(format csv, header true, delimiter ',', dateformat '%Y-%m-%d')"


def export_warehouse(warehouse: Path, out_dir: Path, fmt: str,
                     project_dir: Path = PROJECT_DIR) -> ExportResult:
    """Write every mart and reference table of ``warehouse`` to ``out_dir`` as ``fmt``."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (choose {' or '.join(FORMATS)})")
    warehouse, out_dir = Path(warehouse), Path(out_dir)
    if not warehouse.exists():
        raise ExportError(f"warehouse {warehouse} does not exist; run the pipeline first")
    if out_dir.exists() and (not out_dir.is_dir() or (
            any(out_dir.iterdir()) and not (out_dir / DICTIONARY).exists())):
        raise ExportError(f"{out_dir} exists and is not an earlier export: choose another "
                          "folder (nothing was written)")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    partial = out_dir.with_name(f".{out_dir.name}.partial-{uuid.uuid4().hex[:8]}")
    partial.mkdir(mode=DIR_MODE)
    result = ExportResult(out_dir)
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            catalog = _quote(str(con.execute("select current_database()").fetchone()[0]))
            tables = exported_tables(con)
            if not any(s == "marts" for s, _ in tables):
                raise ExportError(f"{warehouse} has no marts: build it first (cscperf run ...)")
            types = {
                (str(s), str(t)): [(str(c), str(d)) for c, d in con.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_catalog = current_database() and table_schema = ? "
                    "and table_name = ? order by ordinal_position", [s, t]).fetchall()]
                for s, t in tables
            }
            for schema, table in tables:
                target = partial / file_name(schema, table, fmt)
                source = f"{catalog}.{_quote(schema)}.{_quote(table)}"
                con.execute(f"copy (select * from {source}) to {_literal(target)} "
                            f"{_copy_options(fmt)}")
                rows = con.execute(f"select count(*) from {source}").fetchone()[0]
                result.rows[f"{schema}.{table}"] = int(rows)
                os.chmod(target, FILE_MODE)
        finally:
            con.close()
        _write_dictionary(partial / DICTIONARY, tables, types, descriptions(project_dir))
        swap_folder_into_place(partial, out_dir)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    result.files = sorted(out_dir.iterdir())
    log.info("%s", result.summary())
    return result


def _write_dictionary(path: Path, tables: list[tuple[str, str]],
                      types: dict[tuple[str, str], list[tuple[str, str]]],
                      docs: dict[str, tuple[str, dict[str, str]]]) -> None:
    undocumented: list[str] = []
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["table", "column", "type", "description"])
        for schema, table in tables:
            name = f"{schema}.{table}"
            table_text, columns = docs.get(name, ("", {}))
            writer.writerow([name, "", "table", table_text])
            for column, data_type in types[(schema, table)]:
                text = columns.get(column, "")
                if not text:
                    undocumented.append(f"{name}.{column}")
                writer.writerow([name, column, data_type, text])
    os.chmod(path, FILE_MODE)
    if undocumented:
        log.warning("%d exported column(s) have no description, e.g. %s", len(undocumented),
                    ", ".join(undocumented[:5]))


