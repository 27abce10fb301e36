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


def test_ill_typed_value_names_the_file_and_key(tmp_path):
    bad = tmp_path / "s.toml"
    bad.write_text('[timescales]\nicpc_working_days = "fifteen"\n')
    with pytest.raises(ValueError) as caught:
        load_settings(bad)
    message = str(caught.value)
    assert str(bad) in message
    assert "[timescales] icpc_working_days" in message


def test_unknown_key_names_the_file(tmp_path):
    bad = tmp_path / "s.toml"
    bad.write_text("[timescales]\nicpc_workdays = 14\n")
    with pytest.raises(ValueError, match=r"s\.toml: \[timescales\] icpc_workdays: unknown"):
        load_settings(bad)


def test_ill_typed_environment_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("CSCPERF_TIMESCALES__RCPC_FIRST_DAYS", "soon")
    with pytest.raises(ValueError, match="CSCPERF_TIMESCALES__RCPC_FIRST_DAYS"):
        load_settings()


def test_secrets_are_refused_in_a_file(tmp_path):
    bad = tmp_path / "s.toml"
    bad.write_text('[alerts]\nurls = ["json://127.0.0.1:9/x"]\n')
    with pytest.raises(ValueError, match="CSCPERF_ALERTS__URLS"):
        load_settings(bad)


def test_alert_urls_are_hidden_in_repr(monkeypatch):
    monkeypatch.setenv("CSCPERF_ALERTS__URLS", "json://127.0.0.1:9/secret,mailto://a@b")
    settings = load_settings()
    assert settings.alerts.urls == ("json://127.0.0.1:9/secret", "mailto://a@b")
    assert "secret" not in repr(settings)


def test_dbt_defaults_are_read_from_dbt_project(tmp_path):
    """dbt_project.yml `vars:` is the one home of the dbt-read defaults: settings
    without a file pass exactly those to dbt."""
    import yaml

    dbt_vars = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
    passed = load_settings(tmp_path / "none.toml").dbt_vars()
    assert passed == {k: dbt_vars[k] for k in passed}
    assert "icpc_working_days" in passed and "rcpc_later_days" in passed


def test_a_file_overrides_a_timescale(tmp_path):
    custom = tmp_path / "s.toml"
    custom.write_text("[timescales]\nicpc_working_days = 14\n")
    settings = load_settings(custom)
    assert settings.timescales.icpc_working_days == 14
    assert settings.dbt_vars()["icpc_working_days"] == 14
