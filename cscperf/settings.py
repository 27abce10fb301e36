"""Settings: one TOML file (``cscperf.toml``) with environment overrides.

Every key ``[section] key`` can be overridden by the environment variable
``CSCPERF_SECTION__KEY``. ``CSCPERF_SETTINGS`` points at another file. Values
from the environment are parsed as TOML values where possible (numbers,
booleans, arrays) and kept as strings otherwise.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, is_dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent
ENV_PREFIX = "CSCPERF_"


@dataclass(frozen=True)
class PathSettings:
    warehouse: Path = Path("warehouse/cscperf.duckdb")
    extracts: Path = Path("extracts")
    reports: Path = Path("demo/report")
    quality: Path = Path("warehouse/quality")
    commentary: Path = Path("commentary")
    restricted: Path | None = None  # None: the folder "restricted" beside the warehouse

    def restricted_for(self, warehouse: Path) -> Path:
        """Where the build files of a run publishing ``warehouse`` live (personal data)."""
        return self.restricted or Path(warehouse).parent / "restricted"
    work_lists: Path = Path("warehouse/work_lists")
    logs: Path = Path("warehouse/logs")


@dataclass(frozen=True)
class LoaderSettings:
    reject_threshold: float = 0.05
    max_file_bytes: int = 4 * 1024**3  # 4 GiB: a larger extract is refused before reading
    duckdb_memory_limit: str = ""  # DuckDB's memory_limit while landing ("" = DuckDB's default)


@dataclass(frozen=True)
class IndicatorSettings:
    year_start_month: int = 1
    cp_visit_working_days: int = 10
    lac_visit_days: int = 42
    assessment_close_margin: float = 5.0


@dataclass(frozen=True)
class WorkDueSettings:
    due_soon_working_days: int = 5


@dataclass(frozen=True)
class PublishSettings:
    lock_timeout_seconds: float = 600.0
    keep_full_build: bool = False


@dataclass(frozen=True)
class RunSettings:
    orchestrator: str = "auto"  # auto | prefect | direct


@dataclass(frozen=True)
class SecuritySettings:
    umask: str = "027"


@dataclass(frozen=True)
class QualitySettings:
    mom_change_band: float = 0.5
    row_count_change_band: float = 0.5


@dataclass(frozen=True)
class AlertSettings:
    # Secrets: only from the environment (CSCPERF_ALERTS__URLS) or urls_file,
    # never from a settings file (see SECRET_KEYS).
    urls: tuple[str, ...] = ()
    urls_file: Path | None = None

    def __repr__(self) -> str:  # the URLs carry tokens: never print them
        return f"AlertSettings(urls=<{len(self.urls)} hidden>, urls_file={self.urls_file!r})"


@dataclass(frozen=True)
class ReportSettings:
    organisation: str = "Herefordshire Council"
    directorate: str = "Children's Wellbeing Directorate"
    contact_name: str = ""
    contact_title: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    source_system: str = "Frameworki"


@dataclass(frozen=True)
class HistorySettings:
    # issue 14: a figure is restated when it moved by more than this since it was
    # last reported: percentage points for percentages, per cent of the figure
    # as last reported for counts (cscperf/history.py)
    restatement_threshold: float = 1.0


@dataclass(frozen=True)
class Settings:
    paths: PathSettings = field(default_factory=PathSettings)
    loader: LoaderSettings = field(default_factory=LoaderSettings)
    indicators: IndicatorSettings = field(default_factory=IndicatorSettings)
    work_due: WorkDueSettings = field(default_factory=WorkDueSettings)
    publish: PublishSettings = field(default_factory=PublishSettings)
    run: RunSettings = field(default_factory=RunSettings)
    security: SecuritySettings = field(default_factory=SecuritySettings)
    quality: QualitySettings = field(default_factory=QualitySettings)
    alerts: AlertSettings = field(default_factory=AlertSettings)
    report: ReportSettings = field(default_factory=ReportSettings)
    history: HistorySettings = field(default_factory=HistorySettings)
    source_file: Path | None = None

    def dbt_vars(self) -> dict[str, Any]:
        """The settings that dbt models read as ``var()``."""
        ind = self.indicators
        return {
            "year_start_month": ind.year_start_month,
            "cp_visit_working_days": ind.cp_visit_working_days,
            "lac_visit_days": ind.lac_visit_days,
            "assessment_close_margin": ind.assessment_close_margin,
            "due_soon_working_days": self.work_due.due_soon_working_days,
            "restatement_threshold": self.history.restatement_threshold,  # issue 14
        }


def _parse_env_value(raw: str) -> Any:
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def _coerce(value: Any, current: Any, name: str, annotation: str = "") -> Any:
    """Convert a TOML or environment value to the type of the default."""
    if current is None and annotation.startswith("Path"):  # an optional path
        text = str(value or "").strip()
        return _coerce(text, Path(), name) if text else None
    if isinstance(current, Path):
        path = Path(str(value)).expanduser()
        return path if path.is_absolute() else PROJECT_DIR / path
    if isinstance(current, bool):
        if isinstance(value, str):
            return value.strip().lower() in {"1", "true", "yes", "y"}
        return bool(value)
    if isinstance(current, int) and not isinstance(current, bool):
        return int(value)
    if isinstance(current, float):
        return float(value)
    if isinstance(current, tuple):
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        return tuple(str(v) for v in value)
    if isinstance(current, str):
        return str(value)
    raise TypeError(f"setting {name}: unsupported type {type(current).__name__}")


def _build_section(cls: type, values: dict[str, Any], section: str) -> Any:
    defaults = cls()
    kwargs: dict[str, Any] = {}
    known = {f.name for f in fields(cls)}
    unknown = set(values) - known
    if unknown:
        raise ValueError(f"unknown setting(s) in [{section}]: {', '.join(sorted(unknown))}")
    for f in fields(cls):
        current = getattr(defaults, f.name)
        env_name = f"{ENV_PREFIX}{section.upper()}__{f.name.upper()}"
        if env_name in os.environ:
            value: Any = _parse_env_value(os.environ[env_name])
        elif f.name in values:
            value = values[f.name]
        else:
            value = current
        kwargs[f.name] = _coerce(value, current, f"{section}.{f.name}", str(f.type))
    return cls(**kwargs)


# Settings that hold secrets: the environment only, never a settings file (tracked
# files are copied, shared and committed).
SECRET_KEYS = (("alerts", "urls"),)


def _refuse_secrets(data: dict[str, Any], path: Path) -> None:
    for section, key in SECRET_KEYS:
        if key in (data.get(section) or {}):
            env = f"{ENV_PREFIX}{section.upper()}__{key.upper()}"
            raise ValueError(
                f"{path}: [{section}] {key} holds secrets and may not be set in a settings "
                f"file; set the environment variable {env} or [{section}] {key}_file instead"
            )


def load_settings(path: Path | str | None = None) -> Settings:
    """Read the settings file (default ``cscperf.toml`` in the project folder)."""
    if path is None:
        path = os.environ.get(f"{ENV_PREFIX}SETTINGS") or PROJECT_DIR / "cscperf.toml"
    path = Path(path)
    data: dict[str, Any] = {}
    if path.exists():
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        _refuse_secrets(data, path)
    sections: dict[str, Any] = {}
    for f in fields(Settings):
        if f.name == "source_file":
            continue
        section_cls = f.default_factory  # type: ignore[misc]
        assert callable(section_cls)
        proto = section_cls()
        assert is_dataclass(proto)
        sections[f.name] = _build_section(type(proto), data.get(f.name, {}), f.name)
    unknown_sections = set(data) - set(sections)
    if unknown_sections:
        raise ValueError(f"unknown settings section(s): {', '.join(sorted(unknown_sections))}")
    return Settings(**sections, source_file=path if path.exists() else None)


_override: Settings | None = None


@lru_cache(maxsize=1)
def _file_settings() -> Settings:
    return load_settings()


def get_settings() -> Settings:
    """The process-wide settings: the file's (read once), unless :func:`using_settings`."""
    return _override if _override is not None else _file_settings()


@contextmanager
def using_settings(settings: Settings) -> Iterator[Settings]:
    """Make ``settings`` what :func:`get_settings` returns, for a block.

    Flows read their settings this way instead of taking them as a parameter:
    Prefect stores and shows flow parameters, and settings hold secrets.
    """
    global _override
    previous, _override = _override, settings
    try:
        yield settings
    finally:
        _override = previous
