"""Hostile files (issue 10, item 7): links, non-files, huge files, huge fields, streaming."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from cscperf.loading import LoadError, land
from cscperf.settings import LoaderSettings, Settings
from tests.test_loader import CONTACTS, ROW, contacts, land_set, padded, query, rejects, write_set


def test_symlinked_extract_is_refused(tmp_path: Path) -> None:
    folder = write_set(tmp_path)
    outside = tmp_path / "elsewhere.csv"
    outside.write_text(contacts(f"C1,{ROW}"))
    (folder / "contacts.csv").unlink()
    (folder / "contacts.csv").symlink_to(outside)
    db = tmp_path / "build.duckdb"
    with pytest.raises(LoadError) as info:
        land(folder, db, Settings())
    assert str(info.value) == (
        "contacts.csv: is a symbolic link; extracts must be regular files"
    )
    assert not db.exists()


def test_dangling_symlink_is_refused_not_missing(tmp_path: Path) -> None:
    folder = write_set(tmp_path)
    (folder / "people.csv").unlink()
    (folder / "people.csv").symlink_to(tmp_path / "nowhere.csv")
    with pytest.raises(LoadError, match=r"^people.csv: is a symbolic link"):
        land(folder, tmp_path / "build.duckdb", Settings())


@pytest.mark.parametrize("kind", ["directory", "named pipe"])
def test_not_a_regular_file_is_refused(tmp_path: Path, kind: str) -> None:
    folder = write_set(tmp_path)
    target = folder / "referrals.csv"
    target.unlink()
    if kind == "directory":
        target.mkdir()
    else:
        os.mkfifo(target)  # reading it would block the run for ever
    with pytest.raises(LoadError) as info:
        land(folder, tmp_path / "build.duckdb", Settings())
    assert str(info.value) == f"referrals.csv: is a {kind}; extracts must be regular files"


def test_symlinked_extract_folder_is_allowed(tmp_path: Path) -> None:
    folder = write_set(tmp_path, {"contacts": contacts(f"C1,{ROW}")})
    link = tmp_path / "latest"
    link.symlink_to(folder, target_is_directory=True)
    result = land(link, tmp_path / "build.duckdb", Settings())
    assert result.rows_loaded["contacts"] == 1


def test_file_over_the_size_setting_is_refused_before_reading(tmp_path: Path) -> None:
    text = contacts(*(f"C{i},{ROW}" for i in range(100)))
    small = Settings(loader=LoaderSettings(max_file_bytes=1000))
    with pytest.raises(LoadError) as info:
        land_set(tmp_path, {"contacts": text}, small)
    assert str(info.value) == (
        f"contacts.csv: is {len(text)} bytes, over the 1000-byte limit "
        "(setting loader.max_file_bytes)"
    )
    assert Settings().loader.max_file_bytes == 4 * 1024**3


def test_max_file_bytes_from_the_settings_file(tmp_path: Path) -> None:
    from cscperf.settings import load_settings

    assert load_settings().loader.max_file_bytes == 4 * 1024**3  # cscperf.toml agrees


def test_a_3_mb_field_rejects_its_row_without_its_value(tmp_path: Path) -> None:
    huge = "x" * 3_000_000
    rows = padded(40, f'C1,P1,01/10/2015 09:30,6,,,,"{huge}"', "C2,P1,xx,6,,,,")
    result, db = land_set(tmp_path, {"contacts": contacts(*rows)})
    assert result.rows_loaded["contacts"] == 38
    assert result.rows_rejected == 2
    assert rejects(db) == [
        (2, "REFERRAL_ID", None, "field longer than 2000000 bytes"),
        (3, "CONTACT_DATETIME", "xx", "date does not parse"),
    ]
    assert query(db, "SELECT record_id FROM raw.rejected_rows ORDER BY line") == [("C1",), ("C2",)]
    assert query(db, "SELECT rows_read, rows_rejected FROM raw.load_log "
                     "WHERE file = 'contacts.csv'") == [(40, 2)]
    # the rows after it keep their lines
    assert query(db, "SELECT min(_line), max(_line) FROM raw.contacts") == [(4, 41)]


def test_a_long_multi_line_record_keeps_later_line_numbers(tmp_path: Path) -> None:
    part = "y" * 1_100_000
    rows = padded(40, f'C1,P1,01/10/2015 09:30,6,,,"{part}\n","{part}"', "C2,P1,xx,6,,,,")
    _, db = land_set(tmp_path, {"contacts": contacts(*rows)})
    assert rejects(db) == [
        (2, "OUTCOME", None, "record longer than 2000000 bytes"),  # its longest field
        (4, "CONTACT_DATETIME", "xx", "date does not parse"),
    ]
    assert query(db, "SELECT _line FROM raw.contacts WHERE contact_id = 'G0'") == [(5,)]


def test_duckdb_errors_name_the_line_without_record_text(tmp_path: Path) -> None:
    from cscperf.loading.diagnose import duckdb_problem as _duckdb_problem

    exc = duckdb.InvalidInputException(
        "Invalid Input Error: CSV Error on Line: 6\nOriginal Line: 7,Secret Name,HR1 2AB\n"
        "Expected Number of Columns: 8 Found: 3\n  file=/x.csv\n  trace..."
    )
    message = _duckdb_problem(exc)
    assert message == "DuckDB cannot read the record near line 6 (wrong number of fields)"


def test_over_threshold_message_holds_no_value(tmp_path: Path) -> None:
    header = "PERSON_ID,FORENAME,SURNAME,DOB,GENDER,ETHNICITY,POSTCODE,FAMILY_ID"
    rows = [f"P{i},Ann,Lee,01/01/2010,F,WBRI,HR1 1AA," for i in range(20)]
    rows[0] = "P0,Ann,Lee,31/02/2009,F,WBRI,HR1 1AA,"
    rows[1] = "P1,Ann,Lee,01/01/2010,F,HR2 2BB"  # short: the postcode in ETHNICITY
    with pytest.raises(LoadError) as info:
        land_set(tmp_path, {"people": "\n".join([header, *rows]) + "\n"})
    message = str(info.value)
    assert message == (
        "people.csv: 2 of 20 rows rejected (10.0%), over the 5% threshold; "
        "first: line 2 DOB: date does not parse"
    )
    assert "31/02" not in message and "HR2" not in message


@pytest.mark.parametrize("chunk", [7, 64, 1000])
def test_small_read_chunks_give_the_same_landing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """Chunk boundaries fall inside records, quoted line breaks, CRLFs and UTF-8 sequences."""
    from cscperf.loading import diagnose, encoding

    monkeypatch.setattr(encoding, "READ_CHUNK", chunk)
    monkeypatch.setattr(diagnose, "SCAN_CHUNK", chunk)
    monkeypatch.setattr(diagnose, "PENDING_LIMIT", 4 * chunk + 200)
    rows = padded(
        60,
        'C1,P1,01/10/2015 09:30,6,,,,"multi\r\nline – é"',
        "   ",
        "C2,P1,xx,6,,,,",
        "",
        "C3,P1,01/10/2015 09:30,6",  # short: read as null
    )
    text = "\r\n".join([CONTACTS, *rows]) + "\r\n"
    _, db = land_set(tmp_path, {"contacts": text})
    assert rejects(db) == [(5, "CONTACT_DATETIME", "xx", "date does not parse")]
    assert query(db, "SELECT contact_id, _line FROM raw.contacts WHERE contact_id IN "
                     "('C1', 'C3', 'G0') ORDER BY 1") == [("C1", 2), ("C3", 7), ("G0", 8)]
    assert query(db, "SELECT referral_id FROM raw.contacts WHERE contact_id = 'C1'") == [
        ("multi\r\nline – é",)
    ]
    # Windows-1252, transcoded chunk by chunk, and its bad byte found on its line
    cp = text.replace("–", "\u2013").encode("cp1252")
    _, db = land_set(tmp_path / "cp", {"contacts": cp})
    assert query(db, "SELECT encoding FROM raw.load_log WHERE file = 'contacts.csv'") == [
        ("windows-1252",)
    ]
    assert query(db, "SELECT referral_id FROM raw.contacts WHERE contact_id = 'C1'") == [
        ("multi\r\nline – é",)
    ]
    bad = cp.replace(b"C2,P1", b"C2,P\x81", 1)
    with pytest.raises(LoadError, match=r"^contacts.csv: line 5: byte 0x81 is valid in neither"):
        land_set(tmp_path / "bad", {"contacts": bad})


def test_extracts_are_never_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No whole-file read of an extract, on the fast path or any slow one (short rows,
    blank lines, mixed line ends, a stray quote, Windows-1252, a 3 MB field)."""
    import pathlib

    folder = tmp_path / "sets"
    files = {
        "contacts": "\r\n".join(
            [CONTACTS, *padded(40, f'C1,{ROW[:-3]},"a\nb"', "  ", "C2,P1,01/10/2015 09:30,6")]
        ) + "\n",
        "people": "PERSON_ID,FORENAME\nP1,Caf\xe9\n".encode("cp1252"),
        "referrals": 'REFERRAL_ID,PERSON_ID,REFERRAL_DATE,SOURCE_CODE\nR1,P1,01/10/2015,6\n'
        'R2,P"1,01/10/2015,6\n',
        "lac_reviews": "REVIEW_ID,PERSON_ID,REVIEW_DATE\n"
        + "".join(f"L{i},P1,01/10/2015\n" for i in range(40))
        + f'L99,"{"z" * 3_000_000}",01/10/2015\n',
    }
    sets = write_set(folder, files)

    def refuse(self: pathlib.Path, *args: object, **kwargs: object) -> None:
        raise AssertionError(f"{self} read whole")

    monkeypatch.setattr(pathlib.Path, "read_bytes", refuse)
    monkeypatch.setattr(pathlib.Path, "read_text", refuse)
    result = land(sets, tmp_path / "build.duckdb", Settings())
    assert result.rows_loaded["contacts"] == 39  # 40 lines, one of spaces
    assert result.rows_loaded["people"] == 1
    assert result.rows_loaded["referrals"] == 2
    assert result.rows_loaded["lac_reviews"] == 40 and result.rows_rejected == 1


def test_a_file_swapped_for_a_link_after_the_check_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cscperf.loading import extract_set

    folder = write_set(tmp_path)
    outside = tmp_path / "secret.csv"
    outside.write_text(contacts(f"C1,{ROW}"))
    (folder / "contacts.csv").unlink()
    (folder / "contacts.csv").symlink_to(outside)
    # as if the link appeared between the lstat check and the read
    monkeypatch.setattr(extract_set, "check_extract", lambda path, name, limit: True)
    with pytest.raises(LoadError, match=r"^contacts.csv: is a symbolic link"):
        land(folder, tmp_path / "build.duckdb", Settings())


def test_too_many_long_records_stop_the_run_without_a_value(tmp_path: Path) -> None:
    huge = "q" * 2_500_000
    rows = padded(40, *(f"C{i},P1,01/10/2015 09:30,6,,,,{huge}" for i in range(3)))
    with pytest.raises(LoadError) as info:
        land_set(tmp_path, {"contacts": contacts(*rows)})
    assert str(info.value) == (
        "contacts.csv: 3 of 40 rows rejected (7.5%), over the 5% threshold; "
        "first: line 2 REFERRAL_ID: field longer than 2000000 bytes"
    )
