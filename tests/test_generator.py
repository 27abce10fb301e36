"""Tests of the synthetic extract generator (cscperf.generator).

The demo set is generated once per session (tests.test_generator_calibration
.demo_dir) and read here with Python's csv module only.
"""

from __future__ import annotations

import ast
import csv
import filecmp
import io
import re
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from cscperf import contract
from cscperf.calendar import WorkCalendar
from cscperf.contract import ColumnType
from cscperf.generator import generate
from cscperf.generator.demo.edge_cases import BAD_ROWS, MISSING_PERSON_ID, ORPHAN_REFERRAL_ID
from tests.test_generator_calibration import demo_dir

UK_DATE = re.compile(r"\d{2}/\d{2}/\d{4}")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATETIME_FORMS = {
    re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}"): "%d/%m/%Y %H:%M",
    re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}"): "%d/%m/%Y %H:%M:%S",
    re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}"): "%Y-%m-%d %H:%M",
    re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"): "%Y-%m-%d %H:%M:%S",
    re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"): "%Y-%m-%dT%H:%M",
    re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}"): "%Y-%m-%dT%H:%M:%S",
}
AS_AT = date(2015, 10, 31)


@pytest.fixture(scope="session")
def demo() -> Path:
    return demo_dir(2015)


def decode(path: Path) -> tuple[str, str]:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252"), "cp1252"


def parse_date(text: str) -> date | None:
    for pattern, fmt in ((UK_DATE, "%d/%m/%Y"), (ISO_DATE, "%Y-%m-%d")):
        if pattern.fullmatch(text):
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                return None
    return None


def parse_datetime(text: str) -> datetime | None:
    for pattern, fmt in DATETIME_FORMS.items():
        if pattern.fullmatch(text):
            try:
                return datetime.strptime(text, fmt)
            except ValueError:
                return None
    return None


def read(folder: Path, name: str) -> tuple[list[str], list[dict[str, str]]]:
    """Header as written, and rows keyed by the contract's column names."""
    text, _ = decode(folder / f"{name}.csv")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    keys = [h.strip().upper() for h in header]
    rows = [dict(zip(keys, fields, strict=True)) for fields in reader if fields]
    return header, rows


def valid(column: contract.Column, text: str) -> bool:
    value = text.strip()
    if not value:
        return not column.required
    match column.type:
        case ColumnType.DATE:
            parsed = parse_date(value)
            return parsed is not None and parsed >= date(1900, 1, 1)
        case ColumnType.DATETIME:
            return parse_datetime(value) is not None
        case ColumnType.FLAG:
            return value.upper() in ("Y", "N")
        case ColumnType.CODE:
            return column.codes is None or value.upper() in column.codes
    return True


@pytest.fixture(scope="session")
def tables(demo: Path) -> dict[str, list[dict[str, str]]]:
    return {e.name: read(demo, e.name)[1] for e in contract.EXTRACTS}


def good(rows: list[dict[str, str]], extract: contract.Extract) -> list[dict[str, str]]:
    seen: set[str] = set()
    out = []
    for row in rows:
        key = row[extract.id_column.name].strip()
        ok = all(valid(c, row.get(c.name, "")) for c in extract.columns) and key not in seen
        seen.add(key)
        if ok:
            out.append(row)
    return out


# --- determinism -------------------------------------------------------------


def test_same_seed_gives_identical_files(demo: Path, tmp_path: Path) -> None:
    generate("herefordshire-2015", tmp_path / "again", seed=2015)
    for extract in contract.EXTRACTS:
        assert filecmp.cmp(
            demo / extract.file_name, tmp_path / "again" / extract.file_name, shallow=False
        ), extract.file_name


def test_other_seed_gives_other_files(demo: Path) -> None:
    other = demo_dir(7)
    differ = [
        e.file_name
        for e in contract.EXTRACTS
        if not filecmp.cmp(demo / e.file_name, other / e.file_name, shallow=False)
    ]
    assert len(differ) == 13  # the calibrated figures are the same: test_generator_calibration


# --- contract conformance --------------------------------------------------------


@pytest.mark.parametrize("extract", contract.EXTRACTS, ids=lambda e: e.name)
def test_file_follows_the_contract(demo: Path, extract: contract.Extract) -> None:
    header, rows = read(demo, extract.name)
    names = {h.strip().upper() for h in header}
    assert {c.name for c in extract.columns} <= names
    assert names - {c.name for c in extract.columns} <= {"TEAM_NAME"}
    bad_ids = []
    seen: set[str] = set()
    for row in rows:
        key = row[extract.id_column.name].strip()
        problems = [c.name for c in extract.columns if not valid(c, row.get(c.name, ""))]
        if problems or key in seen:
            bad_ids.append(key)
        seen.add(key)
    planted = len(BAD_ROWS.get(extract.name, [])) + (extract.name == "referrals")
    assert len(bad_ids) == planted, bad_ids
    assert len(bad_ids) < 0.05 * len(rows)


def test_format_variety(demo: Path) -> None:
    raw = {e.name: (demo / e.file_name).read_bytes() for e in contract.EXTRACTS}
    assert raw["people"].startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    assert b"\r\n" in raw["referrals"] and b"\r\n" not in raw["contacts"]
    _, encoding = decode(demo / "caf_episodes.csv")
    assert encoding == "cp1252" and "–" in raw["caf_episodes"].decode("cp1252")
    header, _ = read(demo, "strategy_discussions")
    assert header[0] == " Sd_Id " and header[1] == "person_id"  # mixed case, spaces
    header, _ = read(demo, "cp_plans")
    assert header[0] == "CATEGORY"  # another column order
    header, _ = read(demo, "referrals")
    assert header[-1] == "TEAM_NAME"  # an unknown extra column
    _, contacts = read(demo, "contacts")
    forms = Counter(
        fmt
        for row in contacts
        for p, fmt in DATETIME_FORMS.items()
        if p.fullmatch(row["CONTACT_DATETIME"])
    )
    assert len(forms) >= 5
    _, assessments = read(demo, "assessments")
    starts = [row["START_DATE"] for row in assessments]
    assert any(UK_DATE.fullmatch(s) for s in starts) and any(ISO_DATE.fullmatch(s) for s in starts)
    _, people = read(demo, "people")
    names = {row["SURNAME"] for row in people} | {row["FORENAME"] for row in people}
    assert "O'Testchild, Jr" in names and 'Kit "Tiny"' in names and "Bo\nBa" in names
    assert "Zoë" in names
    assert b"\n\n" in raw["lac_reviews"]  # a blank line is not a row
    assert any(row["CHILD_SEEN"] in ("y", "n") for row in read(demo, "cp_visits")[1])


def test_people_are_obviously_fake(tables: dict[str, list[dict[str, str]]]) -> None:
    for row in tables["people"]:
        assert not row["POSTCODE"] or row["POSTCODE"].startswith("ZZ")


# --- linked ids -------------------------------------------------------------------


def test_linked_ids_resolve(tables: dict[str, list[dict[str, str]]]) -> None:
    ok = {e.name: good(tables[e.name], e) for e in contract.EXTRACTS}
    ids = {
        name: {r[contract.extract(name).id_column.name] for r in rows} for name, rows in ok.items()
    }

    def dangling(name: str, column: str, target: str) -> set[str]:
        return {r[column] for r in ok[name] if r[column] and r[column] not in ids[target]}

    assert dangling("contacts", "REFERRAL_ID", "referrals") == {ORPHAN_REFERRAL_ID}
    assert dangling("referrals", "CONTACT_ID", "contacts") == set()
    assert dangling("assessments", "REFERRAL_ID", "referrals") == {ORPHAN_REFERRAL_ID}
    assert dangling("strategy_discussions", "REFERRAL_ID", "referrals") == set()
    assert dangling("s47_enquiries", "SD_ID", "strategy_discussions") == set()
    assert dangling("cp_conferences", "S47_ID", "s47_enquiries") == set()
    assert dangling("cp_conferences", "CPP_ID", "cp_plans") == set()
    people = ids["people"]
    for name, rows in ok.items():
        if name == "people":
            continue
        missing = {r["PERSON_ID"] for r in rows if r["PERSON_ID"] not in people}
        assert missing <= {MISSING_PERSON_ID}, name
    # the contact of a referral points back at it, with the same child
    contact = {r["CONTACT_ID"]: r for r in ok["contacts"]}
    for r in ok["referrals"]:
        c = contact[r["CONTACT_ID"]]
        assert c["REFERRAL_ID"] == r["REFERRAL_ID"] and c["PERSON_ID"] == r["PERSON_ID"]
    # an ICPC's enquiry, and a review's plan, belong to the same child
    s47 = {r["S47_ID"]: r for r in ok["s47_enquiries"]}
    plans = {r["CPP_ID"]: r for r in ok["cp_plans"]}
    for conf in ok["cp_conferences"]:
        if conf["S47_ID"]:
            assert s47[conf["S47_ID"]]["PERSON_ID"] == conf["PERSON_ID"]
        if conf["CPP_ID"]:
            assert plans[conf["CPP_ID"]]["PERSON_ID"] == conf["PERSON_ID"]


# --- planted edge cases --------------------------------------------------------------


def d(text: str) -> date:
    parsed = parse_date(text.strip())
    assert parsed is not None, text
    return parsed


def test_events_on_weekends_and_bank_holidays(tables: dict[str, list[dict[str, str]]]) -> None:
    cal = WorkCalendar()
    days = [
        parse_datetime(r["CONTACT_DATETIME"]).date()
        for r in tables["contacts"]
        if parse_datetime(r["CONTACT_DATETIME"])
    ]
    assert any(x.weekday() >= 5 for x in days)
    assert any(x in cal.bank_holidays for x in days)
    episodes = [
        d(r["START_DATE"]) for r in good(tables["lac_episodes"], contract.extract("lac_episodes"))
    ]
    assert any(x.weekday() >= 5 for x in episodes)


def test_timescales_met_or_missed_by_one_working_day(
    tables: dict[str, list[dict[str, str]]],
) -> None:
    """IAs of referrals on 2014-12-19 (Christmas) and 2015-03-24 (Easter),
    authorised on the 10th and the 11th working day."""
    cal = WorkCalendar()
    referrals = {
        r["REFERRAL_ID"]: d(r["REFERRAL_DATE"])
        for r in good(tables["referrals"], contract.extract("referrals"))
    }
    found: dict[date, set[int]] = {}
    for a in good(tables["assessments"], contract.extract("assessments")):
        if a["ASSESSMENT_TYPE"].strip().upper() != "IA" or not a["AUTHORISED_DATE"]:
            continue
        referral = referrals.get(a["REFERRAL_ID"])
        if referral in (date(2014, 12, 19), date(2015, 3, 24)):
            found.setdefault(referral, set()).add(cal.between(referral, d(a["AUTHORISED_DATE"])))
    assert {10, 11} <= found[date(2014, 12, 19)]
    assert {10, 11} <= found[date(2015, 3, 24)]
    assert cal.add(date(2014, 12, 19), 10) == date(2015, 1, 7)  # across Christmas
    assert cal.add(date(2015, 3, 24), 10) == date(2015, 4, 9)  # across Easter


def test_plans_and_episodes_end_on_a_month_end(tables: dict[str, list[dict[str, str]]]) -> None:
    def month_ends(name: str) -> int:
        rows = good(tables[name], contract.extract(name))
        ends = [d(r["END_DATE"]) for r in rows if r["END_DATE"].strip()]
        return sum(1 for e in ends if (e + timedelta(days=1)).month != e.month)

    assert month_ends("cp_plans") > 0
    assert month_ends("lac_episodes") > 0
    assert month_ends("caf_episodes") > 0


def test_records_after_the_as_at_date(tables: dict[str, list[dict[str, str]]]) -> None:
    contacts = [parse_datetime(r["CONTACT_DATETIME"]) for r in tables["contacts"]]
    assert any(c is not None and c.date() > AS_AT for c in contacts)
    # screened after the as-at date: unscreened as at 31 October
    assert any(
        c is not None
        and c.date() <= AS_AT
        and parse_datetime(r["SCREENED_DATETIME"])
        and parse_datetime(r["SCREENED_DATETIME"]).date() > AS_AT
        for c, r in zip(contacts, tables["contacts"], strict=True)
    )
    # an IA started in October 2015 and authorised in November
    assert any(
        a["START_DATE"]
        and date(2015, 10, 1) <= d(a["START_DATE"]) <= AS_AT
        and a["AUTHORISED_DATE"]
        and d(a["AUTHORISED_DATE"]) > AS_AT
        for a in good(tables["assessments"], contract.extract("assessments"))
    )
    # a strategy discussion in October whose s47 only starts in November
    sd_days = {r["SD_ID"].strip(): d(r["SD_DATE"]) for r in tables["strategy_discussions"]}
    assert any(d(s["START_DATE"]) > AS_AT >= sd_days[s["SD_ID"]] for s in tables["s47_enquiries"])
    # plans open at the as-at date that end in November
    assert any(
        p["END_DATE"] and d(p["END_DATE"]) > AS_AT >= d(p["START_DATE"])
        for p in good(tables["cp_plans"], contract.extract("cp_plans"))
    )


# --- scale profile --------------------------------------------------------------------


def test_scale_profile_is_proportional(tmp_path: Path) -> None:
    one = generate("scale", tmp_path / "x1", seed=1, children=1, years=1)
    two = generate("scale", tmp_path / "x2", seed=1, children=2, years=1)
    assert "13 files" in one and "13 files" in two
    for extract in contract.EXTRACTS:
        n1 = len(read(tmp_path / "x1", extract.name)[1])
        n2 = len(read(tmp_path / "x2", extract.name)[1])
        assert n1 > 0, extract.name
        assert 1.6 < n2 / n1 < 2.5, (extract.name, n1, n2)
    header, rows = read(tmp_path / "x1", "contacts")
    assert header == [c.name for c in contract.extract("contacts").columns]
    extract = contract.extract("contacts")
    assert all(valid(c, row[c.name]) for row in rows[:2000] for c in extract.columns)
    contacts_a_year = len(rows)
    assert 5000 < contacts_a_year < 7000


def test_every_file_passes_the_loader_which_rejects_exactly_the_planted_rows(
    demo: Path, tmp_path: Path
) -> None:
    import duckdb

    from cscperf.loading import land
    from cscperf.settings import load_settings

    db = tmp_path / "landed.duckdb"
    result = land(demo, db, load_settings())
    planted = sum(len(rows) for rows in BAD_ROWS.values()) + 1  # + a duplicate referral id
    assert result.rows_rejected == planted
    con = duckdb.connect(str(db), read_only=True)
    try:
        rejected_files = {
            f for (f,) in con.execute("select distinct file from raw.rejected_rows").fetchall()
        }
    finally:
        con.close()
    planted_files = {f"{name}.csv" for name, rows in BAD_ROWS.items() if rows} | {"referrals.csv"}
    assert rejected_files == planted_files


# --- the generator's shape and calendar --------------------------------------

GENERATOR = Path(__file__).resolve().parent.parent / "cscperf" / "generator"
MAX_FUNCTION_LINES = 60


def test_generator_functions_are_short() -> None:
    """No function body in cscperf/generator/** is longer than 60 lines."""
    long = []
    files = sorted(GENERATOR.rglob("*.py"))
    assert len(files) > 20
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.body[0].lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(GENERATOR)}:{node.lineno} {node.name} {lines}")
    assert not long, long


def test_generator_has_one_calendar_and_three_parts() -> None:
    assert not (GENERATOR / "calendar.py").exists()
    assert {p.name for p in GENERATOR.iterdir() if (p / "__init__.py").exists()} == {
        "demo",
        "scale",
        "shared",
    }


def test_demo_honours_local_closure_days(tables: dict[str, list[dict[str, str]]]) -> None:
    """Events the demo puts on working days (core assessment authorisations,
    conferences) avoid a local closure day of the calendar it is given; with no
    closure day that working day has some."""
    from cscperf.generator.demo.profile import build

    closed = date(2015, 10, 14)
    ca_days = [
        d(a["AUTHORISED_DATE"])
        for a in good(tables["assessments"], contract.extract("assessments"))
        if a["ASSESSMENT_TYPE"].strip().upper() == "CA" and a["AUTHORISED_DATE"]
    ]
    conference_days = [
        d(c["CONFERENCE_DATE"])
        for c in good(tables["cp_conferences"], contract.extract("cp_conferences"))
    ]
    assert closed in ca_days and closed in conference_days  # the default calendar
    _, built = build(2015, WorkCalendar(closure_days=frozenset({closed})))
    ca_closed = [
        a for a in built["assessments"] if a["ASSESSMENT_TYPE"] == "CA" and a["AUTHORISED_DATE"]
    ]
    assert ca_closed and all(a["AUTHORISED_DATE"] != closed for a in ca_closed)
    assert all(c["CONFERENCE_DATE"] != closed for c in built["cp_conferences"])
    assert any(a["AUTHORISED_DATE"] == date(2015, 10, 13) for a in ca_closed)  # the day before
