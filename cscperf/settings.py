"""Settings: one TOML file (``cscperf.toml``) with environment overrides.

Every key ``[section] key`` can be overridden by the environment variable
``CSCPERF_SECTION__KEY``. ``CSCPERF_SETTINGS`` points at another file. Values
from the environment are parsed as TOML values where possible (numbers,
booleans, arrays) and kept as strings otherwise.

Each default is written once: the values that dbt models read as ``var()``
have theirs in ``dbt_project.yml`` ``vars:`` (a by-hand ``dbt build`` needs
them; read here, see :data:`DBT_DEFAULTS`), every other one in the classes
below. ``cscperf.toml`` holds overrides and comments only. pydantic-settings
reads the file and the environment and checks every value's type; an unknown
or ill-typed setting is an error naming the file (or variable) and the key.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ConfigDict, Field, ValidationError, field_validator
from pydantic.dataclasses import dataclass
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parent.parent
ENV_PREFIX = "CSCPERF_"


def _dbt_defaults() -> dict[str, Any]:
    with (PROJECT_DIR / "dbt_project.yml").open(encoding="utf-8") as fh:
        return dict(yaml.safe_load(fh)["vars"])


# The defaults of the settings dbt reads (dbt_project.yml ``vars:``, their one home).
DBT_DEFAULTS: dict[str, Any] = _dbt_defaults()


def _dbt(name: str) -> Any:
    return Field(default=DBT_DEFAULTS[name])


_SECTION = ConfigDict(extra="forbid", validate_default=True)


def _project_path(value: Any) -> Path:
    path = Path(str(value)).expanduser()
    return path if path.is_absolute() else PROJECT_DIR / path


def _optional_path(value: Any) -> Path | None:
    text = "" if value is None else str(value).strip()
    return _project_path(text) if text else None


@dataclass(frozen=True, config=_SECTION)
class PathSettings:
    warehouse: Path = Path("warehouse/cscperf.duckdb")
    extracts: Path = Path("extracts")
    reports: Path = Path("demo/report")
    quality: Path = Path("warehouse/quality")
    commentary: Path = Path("commentary")
    restricted: Path | None = None  # None: the folder "restricted" beside the warehouse
    work_lists: Path = Path("warehouse/work_lists")
    logs: Path = Path("warehouse/logs")

    @field_validator("warehouse", "extracts", "reports", "quality", "commentary", "work_lists",
                     "logs", mode="before")
    @classmethod
    def _relative_to_project(cls, value: Any) -> Path:
        return _project_path(value)

    @field_validator("restricted", mode="before")
    @classmethod
    def _optional(cls, value: Any) -> Path | None:
        return _optional_path(value)

    def restricted_for(self, warehouse: Path) -> Path:
        """Where the build files of a run publishing ``warehouse`` live (personal data)."""
        return self.restricted or Path(warehouse).parent / "restricted"


@dataclass(frozen=True, config=_SECTION)
class LoaderSettings:
    reject_threshold: float = 0.05
    max_file_bytes: int = 4 * 1024**3  # 4 GiB: a larger extract is refused before reading
    duckdb_memory_limit: str = ""  # DuckDB's memory_limit while landing ("" = DuckDB's default)


@dataclass(frozen=True, config=_SECTION)
class IndicatorSettings:
    year_start_month: int = _dbt("year_start_month")
    assessment_close_margin: float = _dbt("assessment_close_margin")


@dataclass(frozen=True, config=_SECTION)
class TimescaleSettings:
    """The indicators' limits (macros/timescales.sql), passed to dbt as vars of the same name."""

    initial_assessment_working_days: int = _dbt("initial_assessment_working_days")
    core_assessment_working_days: int = _dbt("core_assessment_working_days")
    core_assessment_long_working_days: int = _dbt("core_assessment_long_working_days")
    icpc_working_days: int = _dbt("icpc_working_days")
    rcpc_first_days: int = _dbt("rcpc_first_days")
    rcpc_later_days: int = _dbt("rcpc_later_days")
    cp_visit_working_days: int = _dbt("cp_visit_working_days")
    lac_visit_days: int = _dbt("lac_visit_days")
    lac_review_first_working_days: int = _dbt("lac_review_first_working_days")
    lac_review_first_earlier_days: int = _dbt("lac_review_first_earlier_days")
    lac_review_second_months: int = _dbt("lac_review_second_months")
    lac_review_later_months: int = _dbt("lac_review_later_months")
    cp_plan_long_months: int = _dbt("cp_plan_long_months")
    re_referral_months: int = _dbt("re_referral_months")


@dataclass(frozen=True, config=_SECTION)
class WorkDueSettings:
    due_soon_working_days: int = _dbt("due_soon_working_days")


@dataclass(frozen=True, config=_SECTION)
class PublishSettings:
    lock_timeout_seconds: float = 600.0
    keep_full_build: bool = False


@dataclass(frozen=True, config=_SECTION)
class RunSettings:
    orchestrator: str = "auto"  # auto | prefect | direct


@dataclass(frozen=True, config=_SECTION)
class SecuritySettings:
    umask: str = "027"


@dataclass(frozen=True, config=_SECTION)
class QualitySettings:
    mom_change_band: float = 0.5
    row_count_change_band: float = 0.5


@dataclass(frozen=True, config=_SECTION)
class AlertSettings:
    # Secrets: only from the environment (CSCPERF_ALERTS__URLS) or urls_file,
    # never from a settings file (see SECRET_KEYS).
    urls: tuple[str, ...] = ()
    urls_file: Path | None = None

    @field_validator("urls", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(v.strip() for v in value.split(",") if v.strip())
        return value

    @field_validator("urls_file", mode="before")
    @classmethod
    def _optional(cls, value: Any) -> Path | None:
        return _optional_path(value)

    def __repr__(self) -> str:  # the URLs carry tokens: never print them
        return f"AlertSettings(urls=<{len(self.urls)} hidden>, urls_file={self.urls_file!r})"


@dataclass(frozen=True, config=_SECTION)
class ReportSettings:
    organisation: str = "Herefordshire Council"
    directorate: str = "Children's Wellbeing Directorate"
    contact_name: str = ""
    contact_title: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    source_system: str = "Frameworki"


@dataclass(frozen=True, config=_SECTION)
class HistorySettings:
    # issue 14: a figure is restated when it moved by more than this since it was
    # last reported: percentage points for percentages, per cent of the figure
    # as last reported for counts (cscperf/history.py)
    restatement_threshold: float = _dbt("restatement_threshold")


@dataclasses.dataclass(frozen=True)
class Settings:
    paths: PathSettings = dataclasses.field(default_factory=PathSettings)
    loader: LoaderSettings = dataclasses.field(default_factory=LoaderSettings)
    indicators: IndicatorSettings = dataclasses.field(default_factory=IndicatorSettings)
    timescales: TimescaleSettings = dataclasses.field(default_factory=TimescaleSettings)
    work_due: WorkDueSettings = dataclasses.field(default_factory=WorkDueSettings)
    publish: PublishSettings = dataclasses.field(default_factory=PublishSettings)
    run: RunSettings = dataclasses.field(default_factory=RunSettings)
    security: SecuritySettings = dataclasses.field(default_factory=SecuritySettings)
    quality: QualitySettings = dataclasses.field(default_factory=QualitySettings)
    alerts: AlertSettings = dataclasses.field(default_factory=AlertSettings)
    report: ReportSettings = dataclasses.field(default_factory=ReportSettings)
    history: HistorySettings = dataclasses.field(default_factory=HistorySettings)
    source_file: Path | None = None

    def dbt_vars(self) -> dict[str, Any]:
        """The settings that dbt models read as ``var()`` (every key of dbt_project.yml
        ``vars:`` that is a setting)."""
        return {
            "year_start_month": self.indicators.year_start_month,
            "assessment_close_margin": self.indicators.assessment_close_margin,
            **dataclasses.asdict(self.timescales),
            "due_soon_working_days": self.work_due.due_soon_working_days,
            "restatement_threshold": self.history.restatement_threshold,  # issue 14
        }


SECTIONS: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(Settings) if f.name != "source_file"
)


def _parse_env_value(raw: str) -> Any:
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def _env_name(section: str, key: str) -> str:
    return f"{ENV_PREFIX}{section.upper()}__{key.upper()}"


class _EnvironmentSource(PydanticBaseSettingsSource):
    """``CSCPERF_<SECTION>__<KEY>``, each value read as a TOML value where it parses."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # all values come from __call__

    def __call__(self) -> dict[str, Any]:
        found: dict[str, dict[str, Any]] = {}
        for section in SECTIONS:
            start = f"{ENV_PREFIX}{section.upper()}__"
            for name, raw in os.environ.items():
                if name.startswith(start) and len(name) > len(start):
                    found.setdefault(section, {})[name[len(start):].lower()] = (
                        _parse_env_value(raw)
                    )
        return found


class _SettingsModel(BaseSettings):
    """What pydantic-settings validates: the file's sections, then the environment's."""

    model_config = SettingsConfigDict(extra="forbid", frozen=True)

    paths: PathSettings = Field(default_factory=PathSettings)
    loader: LoaderSettings = Field(default_factory=LoaderSettings)
    indicators: IndicatorSettings = Field(default_factory=IndicatorSettings)
    timescales: TimescaleSettings = Field(default_factory=TimescaleSettings)
    work_due: WorkDueSettings = Field(default_factory=WorkDueSettings)
    publish: PublishSettings = Field(default_factory=PublishSettings)
    run: RunSettings = Field(default_factory=RunSettings)
    security: SecuritySettings = Field(default_factory=SecuritySettings)
    quality: QualitySettings = Field(default_factory=QualitySettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    report: ReportSettings = Field(default_factory=ReportSettings)
    history: HistorySettings = Field(default_factory=HistorySettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # the environment first (it wins), then the file's values (passed as init)
        return (_EnvironmentSource(settings_cls), init_settings)


# Settings that hold secrets: the environment only, never a settings file (tracked
# files are copied, shared and committed).
SECRET_KEYS = (("alerts", "urls"),)


def _refuse_secrets(data: dict[str, Any], path: Path) -> None:
    for section, key in SECRET_KEYS:
        if key in (data.get(section) or {}):
            env = _env_name(section, key)
            raise ValueError(
                f"{path}: [{section}] {key} holds secrets and may not be set in a settings "
                f"file; set the environment variable {env} or [{section}] {key}_file instead"
            )


def _describe_errors(error: ValidationError, path: Path) -> str:
    """One line per bad setting: where it was set (file or variable), key, reason."""
    lines = []
    for item in error.errors():
        loc = [str(part) for part in item["loc"]]
        section, key = [*loc, "", ""][:2]
        if item["type"] in {"extra_forbidden", "unexpected_keyword_argument"}:
            reason = "unknown setting" if key else "unknown settings section"
        else:
            reason = item["msg"]
        where = (
            f"environment variable {_env_name(section, key)}"
            if key and _env_name(section, key) in os.environ else str(path)
        )
        name = f"[{section}] {key}" if key else f"[{section}]"
        lines.append(f"{where}: {name}: {reason}")
    return "invalid settings: " + "; ".join(lines)


def load_settings(path: Path | str | None = None) -> Settings:
    """Read the settings file (default ``cscperf.toml`` in the project folder)."""
    if path is None:
        path = os.environ.get(f"{ENV_PREFIX}SETTINGS") or PROJECT_DIR / "cscperf.toml"
    path = Path(path)
    data: dict[str, Any] = {}
    if path.exists():
        with path.open("rb") as fh:
            try:
                data = tomllib.load(fh)
            except tomllib.TOMLDecodeError as exc:
                raise ValueError(f"{path}: not valid TOML: {exc}") from None
        _refuse_secrets(data, path)
    try:
        model = _SettingsModel(**data)
    except ValidationError as exc:
        raise ValueError(_describe_errors(exc, path)) from None
    sections = {name: getattr(model, name) for name in SECTIONS}
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
