from pathlib import Path

import pytest

from cscperf.settings import PROJECT_DIR, load_settings


def test_defaults_come_from_the_settings_file():
    settings = load_settings()
    assert settings.loader.reject_threshold == 0.05
    assert settings.paths.warehouse == PROJECT_DIR / "warehouse" / "cscperf.duckdb"


def test_environment_overrides_the_file(monkeypatch):
    monkeypatch.setenv("CSCPERF_LOADER__REJECT_THRESHOLD", "0.02")
    monkeypatch.setenv("CSCPERF_ALERTS__URLS", '["json://127.0.0.1:9/x"]')
    monkeypatch.setenv("CSCPERF_PATHS__WAREHOUSE", "/tmp/w.duckdb")
    settings = load_settings()
    assert settings.loader.reject_threshold == 0.02
    assert settings.alerts.urls == ("json://127.0.0.1:9/x",)
    assert settings.paths.warehouse == Path("/tmp/w.duckdb")


def test_unknown_key_is_an_error(tmp_path):
    bad = tmp_path / "s.toml"
    bad.write_text("[loader]\nreject_treshold = 0.1\n")
    with pytest.raises(ValueError, match="reject_treshold"):
        load_settings(bad)
