"""Helpers for the pipeline, quality, alert and flow tests (no tests here).

- fake extract sets: ``write_extracts(folder, variant)`` writes ``rows.json``;
  ``fake_land`` lands it into ``raw.*`` exactly as the loader's interface says
  (every contract column, typed, plus ``_line``), and ``fake_build`` writes
  small, plausible marts. They stand in for the loader and dbt, so these tests
  exercise the flow, the GE suites, publishing and alerts on their own.
- ``Receiver``: a local HTTP endpoint for apprise's ``json://`` URLs.
"""

from __future__ import annotations

import copy
import json
import os
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import duckdb

from cscperf.contract import EXTRACTS, SOURCE_CODES, ColumnType
from cscperf.settings import AlertSettings, PublishSettings, Settings, load_settings

AS_AT = date(2015, 10, 31)
# personal data planted in the fake people.csv: must never reach an alert
PERSONAL = ("Zephyrine", "Quillfeather", "HR4 9ZZ", "2009-07-13", "13/07/2009")

GOOD: dict[str, list[dict[str, Any]]] = {
    "people": [
        {"person_id": "P1", "forename": PERSONAL[0], "surname": PERSONAL[1],
         "dob": PERSONAL[3], "gender": "F", "ethnicity": "WBRI", "postcode": PERSONAL[2]},
        {"person_id": "P2", "forename": "Bo", "surname": "Lee", "dob": "2012-01-02",
         "gender": "M", "ethnicity": "WBRI", "postcode": "HR1 1AA"},
        {"person_id": "P3", "dob": "2008-03-04", "gender": "M", "ethnicity": "AIND"},
    ],
    "contacts": [
        {"contact_id": "C1", "person_id": "P1", "contact_datetime": "2015-09-10 10:00:00",
         "source_code": "6", "screened_datetime": "2015-09-10 12:00:00",
         "screened_by_qualified": True, "outcome": "REFERRAL", "referral_id": "R1"},
        {"contact_id": "C2", "person_id": "P2", "contact_datetime": "2015-10-02 09:00:00",
         "source_code": "2A", "outcome": "NFA"},
    ],
    "referrals": [
        {"referral_id": "R1", "person_id": "P1", "referral_date": "2015-09-11",
         "source_code": "6", "contact_id": "C1", "outcome": "ASSESSMENT"},
    ],
    "assessments": [
        {"assessment_id": "A1", "person_id": "P1", "referral_id": "R1", "assessment_type": "CA",
         "start_date": "2015-09-12", "completed_date": "2015-10-01",
         "authorised_date": "2015-10-02", "outcome": "CIN"},
    ],
    "strategy_discussions": [
        {"sd_id": "SD1", "person_id": "P1", "referral_id": "R1", "sd_date": "2015-09-13",
         "outcome": "S47"},
    ],
    "s47_enquiries": [
        {"s47_id": "S1", "person_id": "P1", "sd_id": "SD1", "start_date": "2015-09-14",
         "end_date": "2015-09-20", "outcome": "ICPC"},
    ],
    "cp_conferences": [
        {"conference_id": "K1", "person_id": "P1", "conference_type": "ICPC",
         "conference_date": "2015-09-25", "s47_id": "S1", "outcome": "PLAN"},
    ],
    "cp_plans": [
        {"cpp_id": "CPP1", "person_id": "P1", "start_date": "2015-09-25", "category": "NEG"},
    ],
    "cp_visits": [
        {"visit_id": "V1", "person_id": "P1", "visit_date": "2015-10-01", "child_seen": True},
    ],
    "lac_episodes": [
        {"episode_id": "E1", "person_id": "P3", "start_date": "2015-01-01",
         "legal_status": "C2", "reason_new_episode": "S"},
    ],
    "lac_visits": [{"visit_id": "LV1", "person_id": "P3", "visit_date": "2015-02-01"}],
    "lac_reviews": [{"review_id": "LR1", "person_id": "P3", "review_date": "2015-01-15"}],
    "caf_episodes": [
        {"caf_id": "F1", "person_id": "P2", "start_date": "2015-03-01", "step_down": False},
    ],
}


def variant_rows(variant: str) -> dict[str, list[dict[str, Any]]]:
    """good | warn (a contact whose referral is missing) | bad (+ a code not in the list)."""
    rows = copy.deepcopy(GOOD)
    if variant in ("warn", "bad"):
        rows["contacts"].append(
            {"contact_id": "C4", "person_id": "P1", "contact_datetime": "2015-10-05 11:00:00",
             "source_code": "9", "outcome": "REFERRAL", "referral_id": "R404"})
    if variant == "bad":
        rows["contacts"].append(
            {"contact_id": "C3", "person_id": "P1", "contact_datetime": "2015-10-06 11:00:00",
             "source_code": "ZZ"})
    return rows


def write_extracts(folder: Path, variant: str = "good") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rows.json").write_text(json.dumps(variant_rows(variant)), encoding="utf-8")
    return folder


_SQL_TYPE = {
    ColumnType.ID: "varchar", ColumnType.TEXT: "varchar", ColumnType.CODE: "varchar",
    ColumnType.DATE: "date", ColumnType.DATETIME: "timestamp", ColumnType.FLAG: "boolean",
}


def make_raw(db_path: Path, rows: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    con = duckdb.connect(str(db_path))
    try:
        con.execute("create schema if not exists raw")
        for extract in EXTRACTS:
            cols = [c.db_name for c in extract.columns]
            ddl = ", ".join(f"{c.db_name} {_SQL_TYPE[c.type]}" for c in extract.columns)
            con.execute(f"create table raw.{extract.name} ({ddl}, _line bigint)")
            records = rows.get(extract.name, [])
            if records:
                con.executemany(
                    f"insert into raw.{extract.name} values ({', '.join('?' * (len(cols) + 1))})",
                    [[r.get(c) for c in cols] + [n + 2] for n, r in enumerate(records)],
                )
        con.execute("create table raw.rejected_rows (file varchar, line bigint,"
                    " column_name varchar, value varchar, reason varchar)")
        con.execute("create table raw.load_log (file varchar, encoding varchar,"
                    " rows_read bigint, rows_loaded bigint, rows_rejected bigint)")
        con.execute("create table raw.load_warnings (file varchar, column_name varchar,"
                    " message varchar)")
    finally:
        con.close()
    return {e.name: len(rows.get(e.name, [])) for e in EXTRACTS}


@dataclass
class FakeLoad:
    rows_loaded: dict[str, int] = field(default_factory=dict)
    rows_rejected: int = 0
    warnings: list[str] = field(default_factory=list)


def fake_land(extracts_dir: Path, db_path: Path, settings: Settings) -> FakeLoad:
    rows = json.loads((Path(extracts_dir) / "rows.json").read_text(encoding="utf-8"))
    return FakeLoad(rows_loaded=make_raw(Path(db_path), rows))


def make_marts(db_path: Path, as_at: date = AS_AT, percent: float = 52.0) -> None:
    months = [date(2015, 9, 30), date(2015, 10, 31)]
    con = duckdb.connect(str(db_path))
    try:
        con.execute("create schema if not exists marts")
        con.execute("""create or replace table marts.indicator_values (indicator_code integer,
            period_end date, value double, numerator bigint, denominator bigint,
            rate_per_10k double, rate_numerator bigint, is_percentage boolean)""")
        values = []
        for code in range(1, 30):
            for i, month in enumerate(months):
                is_pct = code % 2 == 1
                value = (50.0 if i == 0 else percent) if is_pct else float(10 + code)
                values.append((code, month, value, 5, 10, 1.5, 5, is_pct))
        con.executemany("insert into marts.indicator_values values (?,?,?,?,?,?,?,?)", values)
        con.execute("""create or replace table marts.contacts_by_agency (period_end date,
            report_order integer, source_code varchar, source_label varchar, contacts bigint,
            pct_of_contacts double, progressed bigint, pct_progressed double)""")
        con.executemany(
            "insert into marts.contacts_by_agency values (?,?,?,?,?,?,?,?)",
            [(m, n, code, code, 1, 100 / 22, 0, 0.0)
             for m in months for n, code in enumerate(SOURCE_CODES, 1)],
        )
        con.execute("""create or replace table marts.indicator_breakdowns (indicator_code
            integer, period_end date, dimension varchar, category varchar,
            category_order integer, count bigint)""")
        con.execute("insert into marts.indicator_breakdowns values"
                    " (18, date '2015-10-31', 'category', 'NEG', 1, 1)")
        # a stand-in for dbt's marts.data_quality_findings: the one kind of finding
        # the variants plant (a contact whose referral is missing)
        con.execute("""create or replace table marts.data_quality_findings (finding varchar,
            extract varchar, record_id varchar, detail varchar)""")
        has_raw = con.execute("select count(*) from information_schema.tables"
                              " where table_schema = 'raw' and table_name = 'contacts'").fetchone()
        if has_raw and has_raw[0]:
            con.execute("""insert into marts.data_quality_findings
                select 'contact_referral_missing', 'contacts', contact_id, ''
                from raw.contacts where referral_id is not null
                  and referral_id not in (select referral_id from raw.referrals)""")
    finally:
        con.close()


def fake_build(db_path: Path, settings: Settings, as_at: date) -> None:
    delay = float(os.environ.get("CSCPERF_TEST_BUILD_SECONDS", "0"))
    if delay:
        time.sleep(delay)
    make_marts(Path(db_path), as_at)


def make_settings(tmp: Path, urls: tuple[str, ...] = (), lock_timeout: float = 30.0) -> Settings:
    base = load_settings()
    return replace(
        base,
        paths=replace(base.paths, warehouse=tmp / "warehouse" / "cscperf.duckdb",
                      quality=tmp / "quality", reports=tmp / "report"),
        alerts=AlertSettings(urls=urls),
        publish=PublishSettings(lock_timeout_seconds=lock_timeout),
    )



class Receiver:
    """A local HTTP server that records the JSON posted to it (apprise json://)."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        received = self.posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                try:
                    received.append(json.loads(body))
                except ValueError:
                    received.append({"raw": body.decode("utf-8", "replace")})
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.server.server_address[1]}/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
