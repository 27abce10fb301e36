"""The loader, one test per format rule and per bad-row rule of the extract contract."""

from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from cscperf.contract import EXTRACTS
from cscperf.loading import LoadError, LoadResult, land
from cscperf.settings import LoaderSettings, Settings

HEADERS = {e.name: ",".join(c.name for c in e.columns) for e in EXTRACTS}
CONTACTS = HEADERS["contacts"]
# a good contact row after its id
ROW = "P1,01/10/2015 09:30,6,2015-10-01 10:00,Y,REFERRAL,R1"


def write_set(root: Path, files: dict[str, str | bytes] | None = None) -> Path:
    """The 13 files in ``root/extracts``: header only unless given (text is written as UTF-8)."""
    folder = root / "extracts"
    folder.mkdir(parents=True, exist_ok=True)
    for e in EXTRACTS:
        content = (files or {}).get(e.name, HEADERS[e.name] + "\n")
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (folder / e.file_name).write_bytes(data)
    return folder


def land_set(
    tmp_path: Path, files: dict[str, str | bytes], settings: Settings | None = None
) -> tuple[LoadResult, Path]:
    db = tmp_path / "build.duckdb"
    result = land(write_set(tmp_path, files), db, settings or Settings())
    return result, db


def query(db: Path, sql: str) -> list[Any]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def contacts(*rows: str, header: str = CONTACTS, newline: str = "\n") -> str:
    return newline.join([header, *rows]) + newline


def rejects(db: Path, file: str = "contacts.csv") -> list[tuple[int, str, str | None, str]]:
    return query(
        db,
        "SELECT line, column_name, value, reason FROM raw.rejected_rows "
        f"WHERE file = '{file}' ORDER BY line, column_name",
    )


def padded(n: int, *rows: str) -> list[str]:
    """``rows`` followed by good contact rows up to ``n`` rows, so a bad row stays under 5%."""
    return [*rows, *(f"G{i},{ROW}" for i in range(n - len(rows)))]


# --- schema and types ---------------------------------------------------------------------


def test_raw_schema_has_every_table_and_typed_columns(tmp_path: Path) -> None:
    result, db = land_set(tmp_path, {"contacts": contacts(f" C1 ,{ROW}")})
    tables = {
        r[0] for r in query(db, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'raw'")
    }
    assert tables == {e.name for e in EXTRACTS} | {"rejected_rows", "load_log", "load_warnings"}
    types = dict(
        query(
            db,
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'raw' AND table_name = 'contacts'",
        )
    )
    assert types == {
        "contact_id": "VARCHAR", "person_id": "VARCHAR", "contact_datetime": "TIMESTAMP",
        "source_code": "VARCHAR", "screened_datetime": "TIMESTAMP",
        "screened_by_qualified": "BOOLEAN", "outcome": "VARCHAR", "referral_id": "VARCHAR",
        "_line": "BIGINT",
    }  # fmt: skip
    assert query(db, "SELECT * FROM raw.contacts") == [
        (
            "C1", "P1", datetime(2015, 10, 1, 9, 30), "6", datetime(2015, 10, 1, 10), True,
            "REFERRAL", "R1", 2,
        )
    ]  # fmt: skip
    assert result.rows_loaded == {e.name: (1 if e.name == "contacts" else 0) for e in EXTRACTS}
    assert result.rows_rejected == 0
    assert result.warnings == []
    assert query(db, "SELECT count(*) FROM raw.people") == [(0,)]  # header only
    kinds = dict(
        query(
            db,
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'raw' AND table_name = 'caf_episodes'",
        )
    )
    assert kinds["start_date"] == "DATE" and kinds["step_down"] == "BOOLEAN"


def test_load_log_and_logging(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="cscperf.loader"):
        _, db = land_set(tmp_path, {"contacts": contacts(*padded(40, f"C1,{ROW}", f"C1,{ROW}"))})
    assert query(db, "SELECT * FROM raw.load_log WHERE file = 'contacts.csv'") == [
        ("contacts.csv", "utf-8", 40, 39, 1)
    ]
    assert len(query(db, "SELECT * FROM raw.load_log")) == 13
    lines = [r.getMessage() for r in caplog.records if r.name == "cscperf.loader"]
    assert any(m.startswith("contacts.csv: 40 rows read, 39 loaded, 1 rejected") for m in lines)
    assert sum(1 for m in lines if " rows read, " in m) == 13


# --- files and headers --------------------------------------------------------------------


def test_missing_file_is_an_error_before_anything_loads(tmp_path: Path) -> None:
    folder = write_set(tmp_path)
    (folder / "lac_reviews.csv").unlink()
    db = tmp_path / "build.duckdb"
    with pytest.raises(LoadError, match=r"^lac_reviews\.csv: is missing from "):
        land(folder, db, Settings())
    assert not db.exists()


def test_missing_required_column_names_file_and_column(tmp_path: Path) -> None:
    header = CONTACTS.replace(",CONTACT_DATETIME", "")
    db = tmp_path / "build.duckdb"
    with pytest.raises(LoadError) as info:
        land(write_set(tmp_path, {"contacts": header + "\nC1,P1,6,,,,\n"}), db, Settings())
    assert str(info.value) == "contacts.csv: required column CONTACT_DATETIME is missing"
    assert "\n" not in str(info.value)
    assert not db.exists() and not db.with_name(db.name + ".wal").exists()


def test_empty_file_is_missing_its_required_columns(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"^lac_visits\.csv: required column VISIT_ID is missing"):
        land_set(tmp_path, {"lac_visits": ""})


def test_missing_optional_column_is_null_with_a_warning(tmp_path: Path) -> None:
    header = CONTACTS.replace(",OUTCOME", "")
    result, db = land_set(tmp_path, {"contacts": f"{header}\nC1,P1,01/10/2015 09:30,6,,,R1\n"})
    assert query(db, "SELECT contact_id, outcome, referral_id FROM raw.contacts") == [
        ("C1", None, "R1")
    ]
    assert result.warnings == ["contacts.csv: optional column OUTCOME is missing; read as null"]
    assert query(db, "SELECT * FROM raw.load_warnings") == [
        ("contacts.csv", "OUTCOME", "optional column OUTCOME is missing; read as null")
    ]


def test_unknown_extra_column_is_ignored_with_a_warning(tmp_path: Path) -> None:
    result, db = land_set(
        tmp_path, {"contacts": contacts(f"C1,{ROW},x", header=CONTACTS + ",NOTES")}
    )
    assert query(db, "SELECT contact_id, referral_id FROM raw.contacts") == [("C1", "R1")]
    assert "notes" not in {r[0] for r in query(db, "DESCRIBE raw.contacts")}
    assert result.warnings == ["contacts.csv: unknown column NOTES is ignored"]


def test_header_is_case_insensitive_spaced_and_in_any_order(tmp_path: Path) -> None:
    header = (
        " person_id , Contact_Id,referral_id,outcome,screened_by_qualified,"
        "SCREENED_DATETIME,source_code,contact_datetime"
    )
    row = "P1,C1,R1,nfa,n,01/10/2015 10:00,2a,01/10/2015 09:30"
    _, db = land_set(tmp_path, {"contacts": f"{header}\n{row}\n"})
    assert query(db, "SELECT contact_id, person_id, source_code, outcome FROM raw.contacts") == [
        ("C1", "P1", "2A", "NFA")
    ]
    assert query(db, "SELECT screened_by_qualified, referral_id FROM raw.contacts") == [
        (False, "R1")
    ]


def test_column_named_twice_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"^contacts\.csv: column PERSON_ID appears twice"):
        land_set(tmp_path, {"contacts": contacts(header=CONTACTS + ",person_id")})


# --- encodings ------------------------------------------------------------------------------


def test_utf8_with_bom(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + contacts(f"C1,{ROW}", f"C2,{ROW}").encode()
    _, db = land_set(tmp_path, {"contacts": data})
    assert query(db, "SELECT contact_id, _line FROM raw.contacts ORDER BY 1") == [
        ("C1", 2),
        ("C2", 3),
    ]
    assert query(db, "SELECT encoding FROM raw.load_log WHERE file = 'contacts.csv'") == [
        ("utf-8-sig",)
    ]


def test_utf8_non_ascii_text(tmp_path: Path) -> None:
    caf = HEADERS["caf_episodes"] + "\nF1,P1,01/01/2015,,N,,,Bromyard – Ledbury,\n"
    _, db = land_set(tmp_path, {"caf_episodes": caf})
    assert query(db, "SELECT locality FROM raw.caf_episodes") == [("Bromyard – Ledbury",)]
    assert query(db, "SELECT encoding FROM raw.load_log WHERE file = 'caf_episodes.csv'") == [
        ("utf-8",)
    ]


def test_windows_1252_is_transcoded(tmp_path: Path) -> None:
    caf = (
        HEADERS["caf_episodes"]
        + "\nF1,P1,01/01/2015,,N,,,Bromyard – Ledbury,\nF2,P2,01/01/2015,,Y,,,Café Quarter,\n"
    ).encode("cp1252")
    assert b"\x96" in caf and b"\xe9" in caf
    _, db = land_set(tmp_path, {"caf_episodes": caf})
    assert query(db, "SELECT caf_id, locality, _line FROM raw.caf_episodes ORDER BY 1") == [
        ("F1", "Bromyard – Ledbury", 2),
        ("F2", "Café Quarter", 3),
    ]
    assert query(db, "SELECT encoding FROM raw.load_log WHERE file = 'caf_episodes.csv'") == [
        ("windows-1252",)
    ]


def test_bytes_valid_in_neither_encoding_name_file_and_line(tmp_path: Path) -> None:
    caf = (HEADERS["caf_episodes"] + "\nF1,P1,01/01/2015,,N,,,Caf\xe9,\n").encode("cp1252")
    caf += b"F2,P2,01/01/2015,,N,,,bad \x81 byte,\n"
    db = tmp_path / "build.duckdb"
    with pytest.raises(LoadError) as info:
        land(write_set(tmp_path, {"caf_episodes": caf}), db, Settings())
    assert str(info.value).startswith("caf_episodes.csv: line 3: byte 0x81")
    assert not db.exists()


# --- layout ---------------------------------------------------------------------------------


def test_crlf_line_ends(tmp_path: Path) -> None:
    multiline = ROW.replace("R1", '"R\r\n2"')
    text = contacts(f"C1,{ROW}", f"C2,{multiline}", newline="\r\n")
    _, db = land_set(tmp_path, {"contacts": text})
    assert query(db, "SELECT contact_id, referral_id, _line FROM raw.contacts ORDER BY 1") == [
        ("C1", "R1", 2),
        ("C2", "R\r\n2", 3),
    ]


def test_mixed_lf_and_crlf_line_ends(tmp_path: Path) -> None:
    text = f"{CONTACTS}\r\nC1,{ROW}\nC2,{ROW}\r\n\r\nC3,{ROW}\n"
    _, db = land_set(tmp_path, {"contacts": text})
    assert query(db, "SELECT contact_id, referral_id, _line FROM raw.contacts ORDER BY 1") == [
        ("C1", "R1", 2),
        ("C2", "R1", 3),
        ("C3", "R1", 5),
    ]


def test_quoted_comma_quote_and_line_break(tmp_path: Path) -> None:
    people = (
        HEADERS["people"] + "\n"
        '1,"Smith, Jo","O""Neil",,,,"HR1, 2AB",\n'
        '2,Amy,"multi\nline\n""name""",,,,,F1\n'
        "3,Ben,Cox,,,,,\n"
    )
    _, db = land_set(tmp_path, {"people": people})
    assert query(db, "SELECT person_id, forename, surname, postcode, _line FROM raw.people") == [
        ("1", "Smith, Jo", 'O"Neil', "HR1, 2AB", 2),
        ("2", "Amy", 'multi\nline\n"name"', None, 3),
        ("3", "Ben", "Cox", None, 6),
    ]


def test_line_numbers_after_multiline_fields_and_blank_lines(tmp_path: Path) -> None:
    text = (
        f"\n{CONTACTS}\n"  # a blank line before the header: header on line 2
        f"C1,{ROW}\n"  # line 3
        "\n"  # 4 blank
        f'C2,P1,01/10/2015 09:30,6,,"y",NFA,"R\nR\nR"\n'  # 5-7
        "   \n"  # 8 spaces only: blank
        f"C3,{ROW}\n"  # 9
        "\r\n"  # 10 blank
        f'C4,P1,"01/10/2015 09:30",6,,,,"a\n\nb"\n'  # 11-13 (blank line inside quotes)
        f"C5,{ROW}\n"  # 14
        "\n\n"
    )
    result, db = land_set(tmp_path, {"contacts": text})
    assert query(db, "SELECT contact_id, _line FROM raw.contacts ORDER BY 1") == [
        ("C1", 3),
        ("C2", 5),
        ("C3", 9),
        ("C4", 11),
        ("C5", 14),
    ]
    assert query(db, "SELECT referral_id FROM raw.contacts WHERE contact_id = 'C4'") == [
        ("a\n\nb",)
    ]
    assert result.rows_loaded["contacts"] == 5


def test_line_numbers_of_rejects_after_multiline_fields(tmp_path: Path) -> None:
    rows = padded(40, 'C1,P1,01/10/2015 09:30,6,,,,"R\n1"', "", "C2,P1,xx,6,,,,R2")
    _, db = land_set(tmp_path, {"contacts": contacts(*rows)})
    assert rejects(db) == [(5, "CONTACT_DATETIME", "xx", "date does not parse")]
    assert query(db, "SELECT _line FROM raw.contacts WHERE contact_id = 'G0'") == [(6,)]


def test_stray_quote_in_unquoted_field_keeps_line_numbers(tmp_path: Path) -> None:
    # a quote inside an unquoted field is read literally; lines still count right
    text = contacts('C1,P1,01/10/2015 09:30,6,,,,R"1', f'C2,{ROW[:-2]}"R\n2"', f"C3,{ROW}")
    _, db = land_set(tmp_path, {"contacts": text})
    assert query(db, "SELECT contact_id, referral_id, _line FROM raw.contacts ORDER BY 1") == [
        ("C1", 'R"1', 2),
        ("C2", "R\n2", 3),
        ("C3", "R1", 5),
    ]


def test_stray_quote_with_a_line_of_spaces(tmp_path: Path) -> None:
    text = contacts('C1,P1,01/10/2015 09:30,6,,,,R"1', "  ", f"C2,{ROW}")
    _, db = land_set(tmp_path, {"contacts": text})
    assert query(db, "SELECT contact_id, _line FROM raw.contacts ORDER BY 1") == [
        ("C1", 2),
        ("C2", 4),
    ]


def test_stray_quote_and_wrong_number_of_fields(tmp_path: Path) -> None:
    text = contacts('C1,P1,01/10/2015 09:30,6,,,,R"1', f"C2,{ROW}", f"C3,{ROW},extra")
    with pytest.raises(LoadError, match=r"^contacts\.csv: line 4 has 9 fields, the header has 8$"):
        land_set(tmp_path, {"contacts": text})


def test_short_rows_read_their_missing_fields_as_null(tmp_path: Path) -> None:
    rows = padded(
        40,
        "C1,P1,01/10/2015 09:30,6,,Y",  # OUTCOME and REFERRAL_ID missing: null
        "",
        'C2,P1,01/10/2015 09:30,6,,,advice,"R\n2"',
        "C3,P1",  # required CONTACT_DATETIME and SOURCE_CODE missing: rejected
    )
    result, db = land_set(tmp_path, {"contacts": contacts(*rows)})
    got = query(
        db,
        "SELECT contact_id, screened_by_qualified, outcome, referral_id, _line FROM raw.contacts "
        "WHERE contact_id IN ('C1', 'C2') ORDER BY 1",
    )
    assert got == [("C1", True, None, None, 2), ("C2", None, "ADVICE", "R\n2", 4)]
    assert rejects(db) == [
        (6, "CONTACT_DATETIME", None, "required value is null"),
        (6, "SOURCE_CODE", None, "required value is null"),
    ]
    assert result.rows_loaded["contacts"] == 38


def test_more_fields_than_the_header_is_an_error_naming_the_line(tmp_path: Path) -> None:
    text = contacts(f"C1,{ROW}", f'C2,"a\nb",{ROW}', f"C3,{ROW}")
    with pytest.raises(LoadError, match=r"^contacts\.csv: line 3 has 9 fields, the header has 8$"):
        land_set(tmp_path, {"contacts": text})


def test_unterminated_quote_is_an_error_naming_the_line(tmp_path: Path) -> None:
    text = contacts(f"C1,{ROW}", 'C2,P1,"01/10/2015,6,,,,', f"C3,{ROW}")
    with pytest.raises(LoadError, match=r"^contacts\.csv: line 3: a quoted field is never closed"):
        land_set(tmp_path, {"contacts": text})


# --- nulls ----------------------------------------------------------------------------------


def test_empty_quoted_empty_and_spaces_are_null(tmp_path: Path) -> None:
    text = contacts(
        'C1,P1,01/10/2015 09:30,6,,"",   ,""',
        'C2,P1,01/10/2015 09:30,6," ",  ,"  ",',
    )
    _, db = land_set(tmp_path, {"contacts": text})
    rows = query(
        db,
        "SELECT screened_datetime, screened_by_qualified, outcome, referral_id "
        "FROM raw.contacts ORDER BY contact_id",
    )
    assert rows == [(None, None, None, None), (None, None, None, None)]


def test_ids_are_trimmed_and_free_text_is_kept_as_written(tmp_path: Path) -> None:
    text = HEADERS["people"] + "\n  7 , Amy  ,  Li ,,,,  HR1 2AB ,  F9  \n"
    _, db = land_set(tmp_path, {"people": text})
    assert query(
        db, "SELECT person_id, forename, surname, postcode, family_id FROM raw.people"
    ) == [("7", " Amy  ", "  Li ", "  HR1 2AB ", "F9")]


# --- dates and datetimes ----------------------------------------------------------------------


def test_uk_and_iso_dates(tmp_path: Path) -> None:
    text = (
        HEADERS["cp_plans"] + "\nA,P,01/10/2015,2015-12-31,NEG\nB,P, 2015-02-28 ,29/02/2016,PHY\n"
    )
    _, db = land_set(tmp_path, {"cp_plans": text})
    assert query(db, "SELECT cpp_id, start_date, end_date FROM raw.cp_plans ORDER BY 1") == [
        ("A", date(2015, 10, 1), date(2015, 12, 31)),
        ("B", date(2015, 2, 28), date(2016, 2, 29)),
    ]


@pytest.mark.parametrize(
    "value",
    ["31/02/2015", "2015-02-30", "2015/01/01", "1/10/2015", "01-10-2015", "2015-1-01",
     "01/10/15", "xx", "01/10/2015 09:30", "20151001", "2015-10-01x"],
)  # fmt: skip
def test_dates_that_do_not_parse_are_rejected(tmp_path: Path, value: str) -> None:
    rows = [f"P{i},X,01/01/2015,,NEG" for i in range(40)] + [f"BAD,X,{value},,NEG"]
    text = HEADERS["cp_plans"] + "\n" + "\n".join(rows) + "\n"
    result, db = land_set(tmp_path, {"cp_plans": text})
    assert rejects(db, "cp_plans.csv") == [(42, "START_DATE", value, "date does not parse")]
    assert result.rows_loaded["cp_plans"] == 40 and result.rows_rejected == 1


def test_all_datetime_forms(tmp_path: Path) -> None:
    forms = [
        "01/10/2015 09:30",
        "01/10/2015 09:30:15",
        "2015-10-01 09:30",
        "2015-10-01 09:30:15",
        "2015-10-01T09:30",
        "2015-10-01T09:30:15",
    ]
    rows = [f"C{i},P1,{v},6,,,," for i, v in enumerate(forms)]
    _, db = land_set(tmp_path, {"contacts": contacts(*rows)})
    got = [r[0] for r in query(db, "SELECT contact_datetime FROM raw.contacts ORDER BY _line")]
    at, at_s = datetime(2015, 10, 1, 9, 30), datetime(2015, 10, 1, 9, 30, 15)
    assert got == [at, at_s, at, at_s, at, at_s]


@pytest.mark.parametrize(
    "value",
    ["01/10/2015", "2015-10-01", "01/10/2015 25:00", "2015-10-01 09:61", "01/10/2015T09:30",
     "2015-10-01 09:30:15.5", "2015-10-01 9:30", "tomorrow"],
)  # fmt: skip
def test_datetimes_that_do_not_parse_are_rejected(tmp_path: Path, value: str) -> None:
    rows = padded(40, f"BAD,P1,{value},6,,,,")
    _, db = land_set(tmp_path, {"contacts": contacts(*rows)})
    assert rejects(db) == [(2, "CONTACT_DATETIME", value, "date does not parse")]


def test_dates_before_1900_are_rejected(tmp_path: Path) -> None:
    rows = [f"V{i},P,01/01/1900" for i in range(40)]
    rows += ["OLD1,P,31/12/1899", "OLD2,P,1850-06-01"]
    text = HEADERS["lac_visits"] + "\n" + "\n".join(rows) + "\n"
    _, db = land_set(tmp_path, {"lac_visits": text})
    assert rejects(db, "lac_visits.csv") == [
        (42, "VISIT_DATE", "31/12/1899", "date before 1900-01-01"),
        (43, "VISIT_DATE", "1850-06-01", "date before 1900-01-01"),
    ]
    assert query(db, "SELECT min(visit_date) FROM raw.lac_visits") == [(date(1900, 1, 1),)]
    rows = padded(40, "OLD,P1,31/12/1899 23:59,6,,,,")
    _, db = land_set(tmp_path / "dt", {"contacts": contacts(*rows)})
    assert rejects(db) == [(2, "CONTACT_DATETIME", "31/12/1899 23:59", "date before 1900-01-01")]


# --- flags and codes ---------------------------------------------------------------------------


def test_flags_y_n_any_case(tmp_path: Path) -> None:
    rows = [f"V{i},P,01/01/2015,{f}" for i, f in enumerate(["Y", "y", "N", "n", " y "] * 8)]
    rows.append("BAD,P,01/01/2015,x")
    text = HEADERS["cp_visits"] + "\n" + "\n".join(rows) + "\n"
    _, db = land_set(tmp_path, {"cp_visits": text})
    seen = query(db, "SELECT child_seen, count(*) FROM raw.cp_visits GROUP BY 1 ORDER BY 1")
    assert seen == [(False, 16), (True, 24)]
    assert rejects(db, "cp_visits.csv") == [(42, "CHILD_SEEN", "x", "flag is not Y/N")]


def test_codes_are_trimmed_case_insensitive_and_stored_upper(tmp_path: Path) -> None:
    rows = [
        "E1,P,01/01/2015,, c1 ,q1,s,",
        "E2,P,01/01/2015,02/01/2015,V4,,B,e4a",
        *(f"G{i},P,01/01/2015,,L1,ANYTHING,,e11" for i in range(40)),
        "BAD,P,01/01/2015,,Z9,,,",
    ]
    text = HEADERS["lac_episodes"] + "\n" + "\n".join(rows) + "\n"
    _, db = land_set(tmp_path, {"lac_episodes": text})
    got = query(
        db,
        "SELECT legal_status, placement_type, reason_new_episode, reason_ceased "
        "FROM raw.lac_episodes WHERE episode_id IN ('E1', 'E2') ORDER BY episode_id",
    )
    assert got == [("C1", "Q1", "S", None), ("V4", None, "B", "E4A")]
    assert rejects(db, "lac_episodes.csv") == [(44, "LEGAL_STATUS", "Z9", "code not in code list")]


def test_source_codes(tmp_path: Path) -> None:
    rows = padded(40, "C1,P1,01/10/2015 09:30,3h,,,,", "C2,P1,01/10/2015 09:30,11,,,,")
    _, db = land_set(tmp_path, {"contacts": contacts(*rows)})
    assert query(db, "SELECT source_code FROM raw.contacts WHERE contact_id = 'C1'") == [("3H",)]
    assert rejects(db) == [(3, "SOURCE_CODE", "11", "code not in code list")]


# --- ids and required values ------------------------------------------------------------


def test_null_id_is_rejected(tmp_path: Path) -> None:
    rows = padded(40, f",{ROW}", f'"  ",{ROW}')
    _, db = land_set(tmp_path, {"contacts": contacts(*rows)})
    assert rejects(db) == [
        (2, "CONTACT_ID", None, "id is null"),
        (3, "CONTACT_ID", None, "id is null"),
    ]


def test_duplicate_id_keeps_the_first(tmp_path: Path) -> None:
    rows = padded(
        60,
        "C1,P1,01/10/2015 09:30,6,,,,FIRST",
        "C2,P1,01/10/2015 09:30,6,,,,",
        " C1 ,P1,01/10/2015 09:30,6,,,,SECOND",
        "C1,P1,01/10/2015 09:30,6,,,,THIRD",
    )
    _, db = land_set(tmp_path, {"contacts": contacts(*rows)})
    assert query(db, "SELECT referral_id, _line FROM raw.contacts WHERE contact_id = 'C1'") == [
        ("FIRST", 2)
    ]
    assert rejects(db) == [
        (4, "CONTACT_ID", "C1", "duplicate id (first at line 2)"),
        (5, "CONTACT_ID", "C1", "duplicate id (first at line 2)"),
    ]


def test_required_value_null_is_rejected(tmp_path: Path) -> None:
    rows = padded(70, "C1,,01/10/2015 09:30,6,,,,", "C2,P1,,6,,,,", "C3,P1,01/10/2015 09:30,  ,,,,")
    _, db = land_set(tmp_path, {"contacts": contacts(*rows)})
    assert rejects(db) == [
        (2, "PERSON_ID", None, "required value is null"),
        (3, "CONTACT_DATETIME", None, "required value is null"),
        (4, "SOURCE_CODE", None, "required value is null"),
    ]


def test_row_with_two_bad_fields_counts_once_with_both_reasons(tmp_path: Path) -> None:
    rows = padded(40, "C1,P1,xx,99,,maybe,,")
    result, db = land_set(tmp_path, {"contacts": contacts(*rows)})
    assert rejects(db) == [
        (2, "CONTACT_DATETIME", "xx", "date does not parse"),
        (2, "SCREENED_BY_QUALIFIED", "maybe", "flag is not Y/N"),
        (2, "SOURCE_CODE", "99", "code not in code list"),
    ]
    assert result.rows_rejected == 1
    assert result.rows_loaded["contacts"] == 39
    assert query(db, "SELECT count(*) FROM raw.contacts WHERE contact_id = 'C1'") == [(0,)]


# --- the reject threshold ------------------------------------------------------------


def test_more_than_the_threshold_rejected_stops_the_run(tmp_path: Path) -> None:
    rows = [f"C{i},{ROW}" for i in range(100)]
    for i in range(10, 17):  # 7 bad rows of 100
        rows[i] = f"C{i},P1,xx{i},6,,,,"
    db = tmp_path / "build.duckdb"
    with pytest.raises(LoadError) as info:
        land(write_set(tmp_path, {"contacts": contacts(*rows)}), db, Settings())
    assert str(info.value) == (
        "contacts.csv: 7 of 100 rows rejected (7.0%), over the 5% threshold; "
        "first: line 12 CONTACT_DATETIME: date does not parse"
    )
    assert not db.exists()


def test_at_the_threshold_loads_and_the_threshold_is_a_setting(tmp_path: Path) -> None:
    rows = [f"C{i},{ROW}" for i in range(100)]
    for i in range(5):  # exactly 5%: not over
        rows[i] = f"C{i},P1,xx,6,,,,"
    result, _ = land_set(tmp_path, {"contacts": contacts(*rows)})
    assert result.rows_rejected == 5
    strict = Settings(loader=LoaderSettings(reject_threshold=0.02))
    with pytest.raises(LoadError, match=r"over the 2% threshold"):
        land_set(tmp_path / "strict", {"contacts": contacts(*rows)}, strict)


# --- the database file ------------------------------------------------------------


def test_existing_database_gets_a_new_raw_schema(tmp_path: Path) -> None:
    db = tmp_path / "build.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute(
            "CREATE SCHEMA raw; CREATE TABLE raw.stale (x INT); CREATE TABLE main.keep (x INT)"
        )
    land(write_set(tmp_path, {"contacts": contacts(f"C1,{ROW}")}), db, Settings())
    tables = {r[0] for r in query(db, "SELECT table_name FROM duckdb_tables()")}
    assert "stale" not in tables and {"keep", "contacts"} <= tables
    assert query(db, "SELECT count(*) FROM raw.contacts") == [(1,)]


def test_landing_twice_into_the_same_file(tmp_path: Path) -> None:
    folder = write_set(tmp_path, {"contacts": contacts(f"C1,{ROW}", f"C2,{ROW}")})
    db = tmp_path / "build.duckdb"
    land(folder, db, Settings())
    result = land(folder, db, Settings())
    assert result.rows_loaded["contacts"] == 2
    assert query(db, "SELECT count(*) FROM raw.load_log") == [(13,)]


# --- file order and line numbers at scale ----------------------------------------------------


def _big_contacts(n: int) -> tuple[str, int]:
    """``n`` contacts whose id is the line they start on; blank and multi-line records mixed in."""
    out = [CONTACTS]
    line = 2
    filler = "x" * 60  # long rows: the file spans several of DuckDB's parallel read buffers
    codes = ["6", "2a", "5A", "3h", "10"]
    for i in range(n):
        if i % 997 == 500:
            out.append("")
            line += 1
        if i % 1009 == 7:
            out.append(f'{line},P{i},01/10/2015 09:30,6,,,,"{filler}\n{filler}"')
            line += 2
        else:
            out.append(f"{line},P{i},01/10/2015 09:30,{codes[i % 5]},,y,NFA,{filler}")
            line += 1
    return "\n".join(out) + "\n", line


def test_large_file_keeps_file_order_and_line_numbers(tmp_path: Path) -> None:
    text, _ = _big_contacts(400_000)
    assert len(text) > 40_000_000
    result, db = land_set(tmp_path, {"contacts": text})
    assert result.rows_loaded["contacts"] == 400_000
    wrong = "SELECT count(*) FROM raw.contacts WHERE CAST(contact_id AS BIGINT) <> _line"
    assert query(db, wrong) == [(0,)]


def test_stage_plan_keeps_file_order(tmp_path: Path) -> None:
    from cscperf.contract import extract
    from cscperf.loading.db import keeps_file_order as _keeps_file_order
    from cscperf.loading.sql import read_csv_sql, stage_select

    path = tmp_path / "c.csv"
    path.write_text(contacts(f"C1,{ROW}"))
    contract = extract("contacts")
    positions = {c.name: i for i, c in enumerate(contract.columns)}
    select = stage_select(contract, positions, read_csv_sql(str(path), 8, 0))
    with duckdb.connect() as con:
        con.execute("SET disabled_optimizers = 'in_clause'")
        assert _keeps_file_order(con, select)
        con.execute("RESET disabled_optimizers")
        assert not _keeps_file_order(con, select)  # a long IN list becomes a hash join


def test_records_numbered_by_a_window_when_the_plan_would_reorder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cscperf.loading import db

    monkeypatch.setattr(db, "keeps_file_order", lambda con, select: False)
    text, _ = _big_contacts(3000)
    text = text.replace("\n2,P0,01/10/2015 09:30,6,", "\n2,P0,xx,6,", 1)
    result, db = land_set(tmp_path, {"contacts": text})
    assert result.rows_loaded["contacts"] == 2999
    wrong = "SELECT count(*) FROM raw.contacts WHERE CAST(contact_id AS BIGINT) <> _line"
    assert query(db, wrong) == [(0,)]
    assert rejects(db) == [(2, "CONTACT_DATETIME", "xx", "date does not parse")]


# --- the parts ---------------------------------------------------------------------------------


def test_utf8_check_across_chunk_boundaries(monkeypatch: pytest.MonkeyPatch) -> None:
    from cscperf.loading import encoding

    monkeypatch.setattr(encoding, "_CHUNK", 3)
    text = "ab–cé, Bromyard – Ledbury\n".encode()
    assert encoding.is_utf8(text)
    assert not encoding.is_utf8(text + b"\x96")
    assert not encoding.is_utf8(b"ab\xe2\x80")  # truncated at the end


def test_record_scan_lines() -> None:
    from cscperf.loading.records import csv_record_lines, scan_records

    data = b'\xef\xbb\xbfH1,H2\r\n\r\na,"b\r\nc"\r\n  \r\n"x","y"\r\nlast,"q""q"'
    scan = scan_records(data)
    assert scan.lines.tolist() == [1, 3, 6, 7]
    assert scan.blank_spans == ((data.index(b"  "), data.index(b"  ") + 2),)
    assert scan.unterminated_line is None
    assert csv_record_lines(data).tolist() == [1, 3, 6, 7]
    assert scan_records(b'H\n"open\n\nx\n').unterminated_line == 2
