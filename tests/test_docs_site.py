"""``cscperf docs``: dbt's docs site as one offline page, built without touching the warehouse.

The warehouse is the report fixture (the four report marts): dbt compiles
every model and reads the catalog of what exists. Headless Chromium opens the
page through the counting proxy of the report's browser tests: the docs app
must render from the file alone and request nothing (dbt's page-view tracking
stays off: the manifest says ``send_anonymous_usage_stats: false``).
"""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from report_fixture import build_fixture
from test_report_browser import (  # noqa: F401  (background_hosts, listener: fixtures)
    background_hosts,
    browse,
    listener,
    page_requests,
)

from cscperf.cli import cli
from cscperf.docs_site import remote_references
from cscperf.settings import PROJECT_DIR

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    base = tmp_path_factory.mktemp("docs")
    warehouse = build_fixture(base / "cscperf.duckdb")
    before = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    out = base / "site"
    result = CliRunner().invoke(cli, ["docs", "--out", str(out), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(str(out / "index.html"))
    return warehouse, out, before


def test_the_warehouse_is_not_touched(site: tuple[Path, Path, str]) -> None:
    warehouse, _out, before = site
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in warehouse.parent.iterdir()
                  if p.name.startswith("cscperf")) == ["cscperf.duckdb"]


def test_one_self_contained_page_with_every_model(site: tuple[Path, Path, str]) -> None:
    _warehouse, out, _ = site
    assert sorted(p.name for p in out.iterdir()) == ["catalog.json", "index.html",
                                                     "manifest.json"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o750
    html = (out / "index.html").read_text(encoding="utf-8")
    assert remote_references(html) == []
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["metadata"]["send_anonymous_usage_stats"] is False
    models = {n["name"]: n for n in manifest["nodes"].values()
              if n["resource_type"] == "model" and n["package_name"] == "cscperf"}
    sql_files = {p.stem for p in (PROJECT_DIR / "models").rglob("*")
                 if p.suffix in (".sql", ".py")}
    assert set(models) == sql_files
    assert all(m["description"] for m in models.values())
    assert models["indicator_report"]["depends_on"]["nodes"]  # the lineage graph
    assert "indicator_values" in html and "marts" in html  # manifest embedded
    catalog = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    values = next(v for k, v in catalog["nodes"].items() if k.endswith(".indicator_values"))
    assert "numerator" in values["columns"]


@pytest.mark.browser
def test_the_page_renders_offline(site: tuple[Path, Path, str], listener,  # noqa: F811
                                  background_hosts: set[str]) -> None:  # noqa: F811
    _warehouse, out, _ = site
    dom = browse(listener, "--virtual-time-budget=8000", "--dump-dom",
                 (out / "index.html").as_uri()).decode("utf-8", "replace")
    assert "indicator_values" in dom
    assert page_requests(listener, background_hosts) == []


def test_another_folder_is_refused(site: tuple[Path, Path, str], tmp_path: Path) -> None:
    warehouse, _out, _ = site
    (tmp_path / "notes.txt").write_text("keep")
    result = CliRunner().invoke(cli, ["docs", "--out", str(tmp_path), "--warehouse",
                                      str(warehouse)])
    assert result.exit_code == 1 and "not an earlier docs site" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
