"""Read an extract folder the way extracts.md describes, independently of the
project's loader, and apply the as-at rule of indicators.md.

Each table is a list of plain dicts keyed by the contract's column names
(upper case): ids, codes and text as ``str``, dates as ``date``, datetimes as
``datetime``, flags as ``"Y"``/``"N"``, and ``None`` for null. Only the
column lists and code lists are taken from ``cscperf.contract`` (plain data).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from cscperf import contract
from cscperf.contract import ColumnType

Row = dict[str, object]
Tables = dict[str, list[Row]]

EARLIEST_DATE = date(1900, 1, 1)

_UK_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_UK_DATETIME = re.compile(r"(\d{2})/(\d{2})/(\d{4}) (\d{2}):(\d{2})(?::(\d{2}))?")
_ISO_DATETIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?")


class ExtractError(Exception):
    """The extract set cannot be read at all (missing file or column, bad bytes)."""


@dataclass(frozen=True)
class RejectedRow:
    file: str
    line: int  # the line on which the record starts; the header is line 1
    column: str | None
    value: str | None  # withheld (None) where it may be personal data: see _kept_value
    reason: str
    record_id: str | None = None  # the row's id field, trimmed; None when empty


def parse_date(text: str) -> date | None:
    """A date in DD/MM/YYYY or YYYY-MM-DD; None when it doesn't parse."""
    if m := _UK_DATE.fullmatch(text):
        day, month, year = (int(g) for g in m.groups())
    elif m := _ISO_DATE.fullmatch(text):
        year, month, day = (int(g) for g in m.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_datetime(text: str) -> datetime | None:
    """A datetime in DD/MM/YYYY HH:MM[:SS] or YYYY-MM-DD[ T]HH:MM[:SS]."""
    if m := _UK_DATETIME.fullmatch(text):
        day, month, year = (int(g) for g in m.groups()[:3])
    elif m := _ISO_DATETIME.fullmatch(text):
        year, month, day = (int(g) for g in m.groups()[:3])
    else:
        return None
    hour, minute = int(m.group(4)), int(m.group(5))
    second = int(m.group(6)) if m.group(6) is not None else 0
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def decode(raw: bytes, file_name: str) -> str:
    """Strict UTF-8 (BOM dropped), else strict Windows-1252, else an error."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise ExtractError(
            f"{file_name}: line {line}: bytes valid in neither UTF-8 nor cp1252"
        ) from err


def _convert(column: contract.Column, text: str) -> tuple[object, str | None]:
    """(value, reason for rejection or None). ``text`` is not null."""
    value = text.strip()
    match column.type:
        case ColumnType.ID:
            return value, None
        case ColumnType.TEXT:
            return text, None
        case ColumnType.CODE:
            code = value.upper()
            if column.codes is not None and code not in column.codes:
                return None, "code not in list"
            return code, None
        case ColumnType.FLAG:
            flag = value.upper()
            if flag not in ("Y", "N"):
                return None, "bad flag"
            return flag, None
        case ColumnType.DATE:
            parsed = parse_date(value)
            if parsed is None:
                return None, "unparseable date"
            if parsed < EARLIEST_DATE:
                return None, "date before 1900-01-01"
            return parsed, None
        case ColumnType.DATETIME:
            parsed = parse_datetime(value)
            if parsed is None:
                return None, "unparseable datetime"
            if parsed.date() < EARLIEST_DATE:
                return None, "date before 1900-01-01"
            return parsed, None
    raise AssertionError(column.type)


def read_extract(folder: Path, extract: contract.Extract) -> tuple[list[Row], list[RejectedRow]]:
    path = folder / extract.file_name
    if not path.is_file():
        raise ExtractError(f"missing extract file {extract.file_name}")
    text = decode(path.read_bytes(), extract.file_name)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise ExtractError(f"{extract.file_name}: no header row")
    position = {name.strip().upper(): i for i, name in reversed(list(enumerate(header)))}
    for column in extract.columns:
        if column.required and column.name not in position:
            raise ExtractError(f"{extract.file_name}: missing required column {column.name}")

    rows: list[Row] = []
    rejected: list[RejectedRow] = []
    seen_ids: set[str] = set()
    id_name = extract.id_column.name
    line = reader.line_num + 1  # the line the next record starts on
    for fields in reader:
        start_line, line = line, reader.line_num + 1
        if not fields:  # a blank line is not a row
            continue
        row: Row = {}
        reasons: list[tuple[str, str | None, str]] = []
        for column in extract.columns:
            i = position.get(column.name)
            text_value = fields[i] if i is not None and i < len(fields) else ""
            if text_value.strip() == "":
                row[column.name] = None
                if column.required:
                    reasons.append((column.name, text_value, "required field is null"))
                continue
            value, reason = _convert(column, text_value)
            row[column.name] = value
            if reason is not None:
                reasons.append((column.name, text_value, reason))
        row_id = row[id_name]
        if row_id is not None:
            if row_id in seen_ids:
                reasons.append((id_name, str(row_id), "duplicate id"))
            seen_ids.add(str(row_id))
        if reasons:
            rejected += [
                RejectedRow(
                    extract.file_name, start_line, c, _kept_value(extract, c, v), r,
                    None if row_id is None else str(row_id),
                )
                for c, v, r in reasons
            ]
        else:
            rows.append(row)
    return rows, rejected


def _kept_value(extract: contract.Extract, column: str, value: str | None) -> str | None:
    """The rejected value an analyst may see (extracts.md, Bad rows; issue 10).

    Ids are kept (never personal, never shifted: the first field). A personal
    column's value is withheld, and in a file holding any personal column
    (people.csv) every value is: a row short of a field has later fields read
    into the wrong columns, so a postcode could sit in a code column.
    """
    if column == extract.id_column.name:
        return value
    personal_file = any(c.personal for c in extract.columns)
    if personal_file or extract.column(column).personal:
        return None
    return value


def read_extracts(folder: Path) -> tuple[Tables, list[RejectedRow]]:
    tables: Tables = {}
    rejected: list[RejectedRow] = []
    for extract in contract.EXTRACTS:
        rows, bad = read_extract(Path(folder), extract)
        tables[extract.name] = rows
        rejected += bad
    return tables, rejected


# The as-at rule. The main date of each record: it exists as at D when this is
# on or before D (people have none: they always exist).
MAIN_DATE = {
    "contacts": "CONTACT_DATETIME",
    "referrals": "REFERRAL_DATE",
    "assessments": "START_DATE",
    "strategy_discussions": "SD_DATE",
    "s47_enquiries": "START_DATE",
    "cp_conferences": "CONFERENCE_DATE",
    "cp_plans": "START_DATE",
    "cp_visits": "VISIT_DATE",
    "lac_episodes": "START_DATE",
    "lac_visits": "VISIT_DATE",
    "lac_reviews": "REVIEW_DATE",
    "caf_episodes": "START_DATE",
}
# Later dates: null as at D when after D.
LATER_DATES = {
    "contacts": ("SCREENED_DATETIME",),
    "referrals": ("CLOSURE_DATE",),
    "assessments": ("COMPLETED_DATE", "AUTHORISED_DATE"),
    "s47_enquiries": ("END_DATE",),
    "cp_plans": ("END_DATE",),
    "lac_episodes": ("END_DATE",),
    "caf_episodes": ("END_DATE",),
}
# Values decided at screening: unknown while the contact is unscreened.
DECIDED_AT_SCREENING = ("SCREENED_BY_QUALIFIED", "OUTCOME", "REFERRAL_ID")


def as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    assert value is None or isinstance(value, date)
    return value


def apply_as_at(tables: Tables, as_at: date) -> Tables:
    """What was known on ``as_at``: records whose main date is later are
    dropped, later dates after ``as_at`` become null, and a contact screened
    after ``as_at`` is unscreened, with no outcome or referral."""
    known: Tables = {}
    for name, rows in tables.items():
        main = MAIN_DATE.get(name)
        kept = []
        for original in rows:
            if main is not None and as_date(original[main]) > as_at:
                continue
            row = dict(original)
            for column in LATER_DATES.get(name, ()):
                if row[column] is not None and as_date(row[column]) > as_at:
                    row[column] = None
                    if name == "contacts":
                        for decided in DECIDED_AT_SCREENING:
                            row[decided] = None
            kept.append(row)
        known[name] = kept
    return known


def event_dates(tables: Tables) -> list[date]:
    """Every date in the (as-at) tables, dates of birth aside."""
    dates = []
    for name, rows in tables.items():
        if name == "people":
            continue
        for row in rows:
            for value in row.values():
                if isinstance(value, date):  # datetime is a date too
                    dates.append(as_date(value))
    return dates
