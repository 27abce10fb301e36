"""``cscperf docs``: dbt's documentation site for the published warehouse, one offline file.

``dbt docs generate --static`` (dbt 1.11) writes ``static_index.html``: the
docs single-page app with the manifest (every model, column, test and the
lineage graph) and the catalog (every built table's columns and types)
embedded, so it opens from disk with no server. dbt reads the catalog from the
database: it runs on a *copy* of the published warehouse in a temporary
folder, so the published file is never opened for writing.

The folder written holds ``index.html`` (that static page), ``manifest.json``
and ``catalog.json``; it is built beside ``out`` and renamed into place.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import uuid
from pathlib import Path

from cscperf.security import swap_folder_into_place
from cscperf.settings import Settings

log = logging.getLogger(__name__)

DIR_MODE, FILE_MODE = 0o750, 0o640
ARTEFACTS = ("manifest.json", "catalog.json")
# <script src="http..."> or <link href="http..."> : what would need the network
_REMOTE = re.compile(r"<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//",
                     re.IGNORECASE)


class DocsError(RuntimeError):
    """The docs site could not be built (nothing was changed at ``out``)."""


def remote_references(html: str) -> list[str]:
    """Script and stylesheet tags of ``html`` that load from another host."""
    return [m.group(0) for m in _REMOTE.finditer(html)]


def build_docs(warehouse: Path, out_dir: Path, settings: Settings) -> Path:
    """Build the docs for ``warehouse`` into ``out_dir``; return ``out_dir/index.html``."""
    from cscperf.dbt_runner import DbtError, run_dbt

    warehouse, out_dir = Path(warehouse), Path(out_dir)
    if not warehouse.exists():
        raise DocsError(f"warehouse {warehouse} does not exist; run the pipeline first")
    if out_dir.exists() and (not out_dir.is_dir() or (
            any(out_dir.iterdir()) and not (out_dir / "manifest.json").exists())):
        raise DocsError(f"{out_dir} exists and is not an earlier docs site: choose another "
                        "folder (nothing was written)")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cscperf-docs-") as scratch:
        copy = Path(scratch) / "cscperf.duckdb"
        shutil.copyfile(warehouse, copy)
        target = Path(scratch) / "target"
        try:
            run_dbt(["docs", "generate", "--static"], copy, settings, None, target_path=target)
        except DbtError as exc:
            raise DocsError(str(exc)) from exc
        static = target / "static_index.html"
        if not static.exists():
            raise DocsError(f"dbt docs generate --static wrote no {static.name}")
        remote = remote_references(static.read_text(encoding="utf-8"))
        if remote:  # dbt 1.11 embeds everything; say so if a later version does not
            log.warning("the docs page loads %d resource(s) from the network, e.g. %s",
                        len(remote), remote[0][:120])
        partial = out_dir.with_name(f".{out_dir.name}.partial-{uuid.uuid4().hex[:8]}")
        partial.mkdir(mode=DIR_MODE)
        try:
            shutil.copyfile(static, partial / "index.html")
            for name in ARTEFACTS:
                shutil.copyfile(target / name, partial / name)
            for path in partial.iterdir():
                os.chmod(path, FILE_MODE)
            swap_folder_into_place(partial, out_dir)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
    index = out_dir / "index.html"
    log.info("wrote %s (%d bytes)", index, index.stat().st_size)
    return index


