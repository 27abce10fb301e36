"""Unit tests of the indicator oracle (tests/oracle) on tiny hand-made extracts.

Every expected figure here is worked by hand from /work/shared/spec; the
comments show the working. Readings of ambiguous rules: tests/oracle/README.md.
"""

from __future__ import annotations

import csv
import itertools
import random
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from cscperf import contract
from tests.oracle import WorkingDays, compute
from tests.oracle.extracts import ExtractError, parse_date, parse_datetime, read_extracts
from tests.oracle.workdays import add_months, month_ends

D = date.fromisoformat
_ids = itertools.count(1)


def new_id() -> str:
    return str(next(_ids))


def write_extracts(folder: Path, **tables: list[dict[str, str]]) -> Path:
    """Write the 13 extract files into ``folder``; missing tables are header only."""
    folder.mkdir(parents=True, exist_ok=True)
    unknown = set(tables) - set(contract.EXTRACTS_BY_NAME)
    assert not unknown, unknown
    for extract in contract.EXTRACTS:
        names = [c.name for c in extract.columns]
        with open(folder / extract.file_name, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(names)
            for row in tables.get(extract.name, []):
                assert set(row) <= set(names), set(row) - set(names)
                writer.writerow([row.get(name, "") for name in names])
    return folder


def run(tmp_path: Path, as_at: str, **kwargs):
    """compute() on the tables given by name; other keywords are compute()'s options."""
    tables = {k: v for k, v in kwargs.items() if k in contract.EXTRACTS_BY_NAME}
    options = {k: v for k, v in kwargs.items() if k not in contract.EXTRACTS_BY_NAME}
    return compute(write_extracts(tmp_path / "extracts", **tables), D(as_at), **options)


# Record factories: only the fields a test cares about; ids are generated.
def contact(received, screened="", qualified="Y", outcome="", source="6", person="P1"):
    return {"CONTACT_ID": new_id(), "PERSON_ID": person, "CONTACT_DATETIME": received,
            "SOURCE_CODE": source, "SCREENED_DATETIME": screened,
            "SCREENED_BY_QUALIFIED": qualified if screened else "", "OUTCOME": outcome}  # fmt: skip


def referral(day, person="P1", referral_id=None, outcome=""):
    return {"REFERRAL_ID": referral_id or new_id(), "PERSON_ID": person, "REFERRAL_DATE": day,
            "SOURCE_CODE": "6", "OUTCOME": outcome}  # fmt: skip


def assessment(kind, start, authorised="", referral_id="", person="P1", outcome=""):
    return {"ASSESSMENT_ID": new_id(), "PERSON_ID": person, "REFERRAL_ID": referral_id,
            "ASSESSMENT_TYPE": kind, "START_DATE": start, "AUTHORISED_DATE": authorised,
            "OUTCOME": outcome}  # fmt: skip


def sd(day, sd_id=None, person="P1", outcome=""):
    return {"SD_ID": sd_id or new_id(), "PERSON_ID": person, "SD_DATE": day, "OUTCOME": outcome}


def s47(start, sd_id="", s47_id=None, person="P1"):
    return {"S47_ID": s47_id or new_id(), "PERSON_ID": person, "SD_ID": sd_id, "START_DATE": start}


def conference(kind, day, person="P1", s47_id="", cpp_id="", outcome="", conference_id=None):
    return {"CONFERENCE_ID": conference_id or new_id(), "PERSON_ID": person,
            "CONFERENCE_TYPE": kind, "CONFERENCE_DATE": day, "S47_ID": s47_id,
            "CPP_ID": cpp_id, "OUTCOME": outcome}  # fmt: skip


def plan(start, end="", person="P1", cpp_id=None, category="NEG"):
    return {"CPP_ID": cpp_id or new_id(), "PERSON_ID": person, "START_DATE": start,
            "END_DATE": end, "CATEGORY": category}  # fmt: skip


def cp_visit(day, seen="Y", person="P1"):
    return {"VISIT_ID": new_id(), "PERSON_ID": person, "VISIT_DATE": day, "CHILD_SEEN": seen}


def episode(start, end="", status="C2", person="P1"):
    return {"EPISODE_ID": new_id(), "PERSON_ID": person, "START_DATE": start, "END_DATE": end,
            "LEGAL_STATUS": status}  # fmt: skip


def lac_visit(day, person="P1"):
    return {"VISIT_ID": new_id(), "PERSON_ID": person, "VISIT_DATE": day}


def review(day, person="P1"):
    return {"REVIEW_ID": new_id(), "PERSON_ID": person, "REVIEW_DATE": day}


def caf(start, end="", step_down="N", person="P1", lead="", locality="", reason=""):
    return {"CAF_ID": new_id(), "PERSON_ID": person, "START_DATE": start, "END_DATE": end,
            "STEP_DOWN": step_down, "LEAD_PROFESSIONAL_AGENCY": lead, "LOCALITY": locality,
            "CLOSURE_REASON": reason}  # fmt: skip


def figures(results, code, month):
    """(value, numerator, denominator) of ``code`` in ``month`` ("YYYY-MM")."""
    v = results.get(code, D(month + "-01"))
    return v.value, v.numerator, v.denominator


def pct(numerator, denominator):
    return (pytest.approx(numerator / denominator * 100), numerator, denominator)


# ---------------------------------------------------------------------------
# Calendar


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2015-10-02", "2015-10-05", 1),  # Friday to Monday
        ("2015-10-05", "2015-10-05", 0),  # same day
        ("2015-10-03", "2015-10-05", 1),  # start on a Saturday: counting begins after it
        ("2015-10-03", "2015-10-04", 0),  # Saturday to Sunday
        ("2014-12-24", "2015-01-02", 4),  # 29, 30, 31 Dec and 2 Jan (25, 26 Dec, 1 Jan off)
        ("2014-12-19", "2015-01-05", 8),  # 22, 23, 24, 29, 30, 31 Dec, 2, 5 Jan
        ("2015-04-02", "2015-04-07", 1),  # Good Friday 3 Apr and Easter Monday 6 Apr 2015
        ("2015-04-03", "2015-04-07", 1),
        ("2015-08-28", "2015-09-01", 1),  # late summer bank holiday 31 Aug 2015
        ("2022-09-16", "2022-09-20", 1),  # state funeral 19 Sep 2022
        ("2023-05-05", "2023-05-09", 1),  # coronation 8 May 2023
        ("2023-04-28", "2023-05-02", 1),  # early May bank holiday 1 May 2023
        ("2012-06-01", "2012-06-06", 1),  # Diamond Jubilee 4-5 Jun 2012
        ("2022-06-01", "2022-06-06", 1),  # Platinum Jubilee 2-3 Jun 2022
        ("2020-05-07", "2020-05-11", 1),  # VE day moved to Fri 8 May 2020
        ("2020-05-01", "2020-05-04", 1),  # ... so Mon 4 May 2020 was a working day
        ("2015-12-24", "2015-12-29", 1),  # Boxing Day substitute Mon 28 Dec 2015
        ("2015-10-05", "2015-10-02", -1),  # end before start is negative
        ("2015-10-09", "2015-10-02", -5),
        ("2015-01-02", "2015-01-16", 10),
    ],
)
def test_working_days_between(start, end, expected):
    wd = WorkingDays()
    assert wd.between(D(start), D(end)) == expected
    assert wd.between_by_counting(D(start), D(end)) == expected


def test_working_day_index_agrees_with_counting_day_by_day():
    wd = WorkingDays()
    rng = random.Random(1)
    for _ in range(300):
        start = D("2010-01-01") + timedelta(days=rng.randrange(5000))
        end = start + timedelta(days=rng.randrange(-60, 120))
        assert wd.between(start, end) == wd.between_by_counting(start, end)


def test_local_closure_days_are_not_working_days():
    wd = WorkingDays(frozenset({D("2015-10-06")}))
    assert not wd.is_working_day(D("2015-10-06"))
    assert wd.between(D("2015-10-05"), D("2015-10-07")) == 1


def test_add_months_clamps_to_month_end():
    assert add_months(D("2015-01-31"), 1) == D("2015-02-28")
    assert add_months(D("2016-01-31"), 1) == D("2016-02-29")
    assert add_months(D("2016-02-29"), -12) == D("2015-02-28")
    assert add_months(D("2015-10-31"), -24) == D("2013-10-31")
    assert add_months(D("2014-11-30"), 3) == D("2015-02-28")
    assert add_months(D("2015-10-15"), -12) == D("2014-10-15")


# ---------------------------------------------------------------------------
# Reading the extracts


def test_date_and_datetime_formats():
    assert parse_date("31/10/2015") == parse_date("2015-10-31") == D("2015-10-31")
    assert parse_date("31/02/2015") is None
    assert parse_date("2015/10/31") is None
    for text in (
        "31/10/2015 09:05",
        "31/10/2015 09:05:00",
        "2015-10-31 09:05",
        "2015-10-31T09:05:00",
    ):
        assert parse_datetime(text).isoformat() == "2015-10-31T09:05:00", text
    assert parse_datetime("31/10/2015") is None


def test_bad_rows_are_rejected_and_the_rest_load(tmp_path):
    folder = write_extracts(tmp_path, cp_plans=[
        plan("2015-01-01", cpp_id="1"),
        plan("2015-01-02", cpp_id="1"),          # duplicate id
        plan("2015-01-03", cpp_id=" "),          # null id
        plan("", cpp_id="3"),                    # required field null
        plan("2015-02-30", cpp_id="4"),          # unparseable date
        plan("1899-12-31", cpp_id="5"),          # before 1900
        plan("2015-01-01", cpp_id="6", category="XXX"),  # code not in list
        plan("01/02/2015", cpp_id=" 7 ", category=" emo "),  # fine: trimmed, upper-cased
    ], cp_visits=[
        cp_visit("2015-01-05", seen="maybe"),    # bad flag
        cp_visit("2015-01-05", seen="y"),
    ])  # fmt: skip
    tables, rejected = read_extracts(folder)
    assert [(p["CPP_ID"], p["START_DATE"], p["CATEGORY"]) for p in tables["cp_plans"]] == [
        ("1", D("2015-01-01"), "NEG"),
        ("7", D("2015-02-01"), "EMO"),
    ]
    assert [v["CHILD_SEEN"] for v in tables["cp_visits"]] == ["Y"]
    reasons = {(r.file, r.line, r.reason) for r in rejected}
    assert reasons == {
        ("cp_plans.csv", 3, "duplicate id"),
        ("cp_plans.csv", 4, "required field is null"),
        ("cp_plans.csv", 5, "required field is null"),
        ("cp_plans.csv", 6, "unparseable date"),
        ("cp_plans.csv", 7, "date before 1900-01-01"),
        ("cp_plans.csv", 8, "code not in list"),
        ("cp_visits.csv", 2, "bad flag"),
    }


def test_file_format_encodings_headers_quoting(tmp_path):
    folder = write_extracts(tmp_path)
    # cp1252 (0x92 is a right single quote), header in another order and case,
    # a quoted line break, a blank line and CRLF line ends.
    (folder / "caf_episodes.csv").write_bytes(
        b" caf_id ,Person_ID,STEP_DOWN,START_DATE,LOCALITY,Extra\r\n"
        b'1,P1,y,2015-10-01,"O\x92Brien\r\nward",x\r\n'
        b"\r\n"
        b"2,P2,N,02/10/2015,,\r\n"
    )
    (folder / "lac_reviews.csv").write_bytes(
        "\ufeffREVIEW_ID,PERSON_ID,REVIEW_DATE\n9,P1,2015-10-05\n".encode()
    )
    tables, rejected = read_extracts(folder)
    assert rejected == []
    cafs = tables["caf_episodes"]
    assert [(c["CAF_ID"], c["STEP_DOWN"], c["START_DATE"]) for c in cafs] == [
        ("1", "Y", D("2015-10-01")),
        ("2", "N", D("2015-10-02")),
    ]
    assert cafs[0]["LOCALITY"] == "O\u2019Brien\r\nward"
    assert cafs[0]["END_DATE"] is None  # missing optional column: all null
    assert tables["lac_reviews"][0]["REVIEW_ID"] == "9"  # BOM dropped from the header


def test_missing_file_or_required_column_stops(tmp_path):
    folder = write_extracts(tmp_path)
    (folder / "lac_visits.csv").unlink()
    with pytest.raises(ExtractError, match=r"lac_visits\.csv"):
        read_extracts(folder)
    write_extracts(folder)
    (folder / "lac_visits.csv").write_text("VISIT_ID,PERSON_ID\n1,P1\n")
    with pytest.raises(ExtractError, match="VISIT_DATE"):
        read_extracts(folder)


# ---------------------------------------------------------------------------
# Months, as-at, shape


def test_months_run_from_the_earliest_event_to_the_as_at_month(tmp_path):
    r = run(tmp_path, "2015-10-15", contacts=[
        contact("2015-08-20 10:00"),
        contact("2015-11-02 10:00"),  # after the as-at date: does not exist
    ])  # fmt: skip
    assert r.months == [D("2015-08-31"), D("2015-09-30"), D("2015-10-31")]
    assert len(r.as_rows()) == 3 * 29
    assert figures(r, 4, "2015-08") == (1.0, 1, None)
    assert figures(r, 4, "2015-10") == (0.0, 0, None)
    assert month_ends(D("2015-12-05"), D("2016-01-01")) == [D("2015-12-31"), D("2016-01-31")]


def test_zero_denominators_give_null_values(tmp_path):
    r = run(tmp_path, "2015-10-31", lac_reviews=[review("2015-10-05")])
    for code in (6, 7, 8, 9, 11, 12, 13, 15, 16, 19, 20, 21, 23, 25, 27):
        row = r.get(code, D("2015-10-31"))
        assert (row.value, row.numerator, row.denominator) == (None, 0, 0), code
    assert r.get(28, D("2015-10-31")).value == 1.0
    # a review outside any period of care: in the denominator, not within
    assert figures(r, 29, "2015-10") == (0.0, 0, 1)


def test_as_at_contact_screened_later_is_unscreened(tmp_path):
    rows = [
        contact("2015-10-30 10:00", screened="2015-10-30 11:00", outcome="REFERRAL"),
        contact("2015-10-30 15:00", screened="2015-11-01 09:00", outcome="REFERRAL"),
    ]
    r = run(tmp_path / "a", "2015-10-31", contacts=rows)
    assert figures(r, 6, "2015-10") == pct(1, 2)
    assert figures(r, 7, "2015-10") == pct(1, 2)  # the later outcome is not known yet
    r = run(tmp_path / "b", "2015-11-01", contacts=rows)
    assert figures(r, 7, "2015-10") == pct(2, 2)
    # Fri 30 Oct to Sun 1 Nov: no working day has passed
    assert figures(r, 6, "2015-10") == pct(2, 2)


def test_as_at_later_dates_become_null(tmp_path):
    tables = dict(
        cp_plans=[plan("2015-09-01", "2015-11-15", cpp_id="A")],
        caf_episodes=[caf("2015-09-01", "2015-11-15")],
        assessments=[assessment("IA", "2015-10-01", "2015-11-03")],
    )
    r = run(tmp_path / "a", "2015-11-10", **tables)
    assert figures(r, 18, "2015-11")[0] == 1  # the end on 15 Nov is not known on 10 Nov
    assert figures(r, 1, "2015-11")[0] == 1
    assert figures(r, 3, "2015-11")[0] == 0
    assert figures(r, 10, "2015-11")[0] == 1
    r = run(tmp_path / "b", "2015-11-30", **tables)
    assert figures(r, 18, "2015-11")[0] == 0
    assert figures(r, 3, "2015-11")[0] == 1
    r = run(tmp_path / "c", "2015-11-02", **tables)
    assert figures(r, 10, "2015-11")[0] == 0


# ---------------------------------------------------------------------------
# Codes 1-3: CAFs


def test_cafs_open_started_closed(tmp_path):
    r = run(tmp_path, "2015-10-31", caf_episodes=[
        caf("2015-01-10", "2015-10-31", reason="NEEDS_MET"),   # ends on ME: not open; 9m 21d
        caf("2015-01-10", "2015-11-30"),                       # end after as-at: open
        caf("2015-10-01", step_down="Y", lead="SCHOOL", locality="Hereford North City"),
        caf("2015-10-31", step_down="Y", lead="MAG", locality="Leominster"),  # starts on ME
        caf("2015-10-02", step_down="N", lead="SCHOOL"),
        caf("2015-07-05", "2015-10-04", reason="STEP_UP"),     # 3 months - 1 day
        caf("2015-07-05", "2015-10-05", reason="STEP_UP"),     # exactly 3 months
        caf("2014-10-05", "2015-10-05", reason="OTHER"),       # exactly 12 months
    ])  # fmt: skip
    assert figures(r, 1, "2015-10") == (4.0, 4, None)
    assert r.get(1, D("2015-10-31")).rate_per_10k == pytest.approx(4 / 36100 * 10000)
    assert figures(r, 2, "2015-10") == (2.0, 2, None)
    assert figures(r, 3, "2015-10") == (4.0, 4, None)
    assert r.breakdown(1, D("2015-10-31"), "activity") == {
        "started": 3, "closed": 4, "open at month end": 4}  # fmt: skip
    assert r.breakdown(2, D("2015-10-31"), "step_down") == {"Y": 2, "N": 1}
    lead = r.breakdown(2, D("2015-10-31"), "step_down_lead_professional_agency")
    assert (lead["SCHOOL"], lead["MAG"], lead["HEALTH"]) == (1, 1, 0)
    assert r.breakdown(2, D("2015-10-31"), "lead_professional_agency")["SCHOOL"] == 2
    assert r.breakdown(2, D("2015-10-31"), "locality") == {
        "Hereford North City": 1, "Leominster": 1, None: 1}  # fmt: skip
    assert r.breakdown(3, D("2015-10-31"), "duration_band") == {
        "0-3 months": 1, "3-6 months": 1, "6-12 months": 1, "12+ months": 1}  # fmt: skip
    assert r.breakdown(3, D("2015-10-31"), "closure_reason")["STEP_UP"] == 2
    assert r.get(1, D("2015-10-31")).rate_per_10k == pytest.approx(4 / 36100 * 10000)


def test_caf_rate_denominator_can_be_overridden(tmp_path):
    r = run(tmp_path, "2015-10-31", caf_episodes=[caf("2015-10-01")],
            rate_populations={1: 33361})  # fmt: skip
    assert r.get(1, D("2015-10-31")).rate_per_10k == pytest.approx(1 / 33361 * 10000)


# ---------------------------------------------------------------------------
# Codes 4-7: contacts


def test_contacts_by_agency_table(tmp_path):
    r = run(tmp_path, "2015-10-31", contacts=[
        contact("2015-10-01 09:00", source="6", outcome="REFERRAL", screened="2015-10-01 10:00"),
        contact("2015-10-01 09:00", source="6", outcome="NFA", screened="2015-10-01 10:00"),
        contact("2015-10-02 09:00", source="2a"),
        contact("2015-09-30 23:59", source="10"),
    ])  # fmt: skip
    table = r.agency_table(D("2015-10-31"))
    assert [row.source_label for row in table] == [label for _, _, label in
                                                   contract.REFERRAL_SOURCES]  # fmt: skip
    assert (table[0].contacts, table[0].progressed) == (2, 1)
    assert table[0].pct_of_contacts == pytest.approx(200 / 3)
    assert table[0].pct_progressed == pytest.approx(50)
    assert (table[1].source_code, table[1].contacts, table[1].progressed) == ("2A", 1, 0)
    assert table[21].contacts == 0 and table[21].pct_progressed is None
    assert figures(r, 4, "2015-10") == (3.0, 3, None)
    assert figures(r, 5, "2015-10") == (3.0, 3, None)
    assert figures(r, 7, "2015-10") == pct(1, 3)
    assert r.agency_table(D("2015-09-30"))[21].contacts == 1


@pytest.mark.parametrize(
    ("received", "screened", "qualified", "same_day"),
    [
        ("2015-10-05 09:00", "2015-10-05 17:00", "Y", True),  # Mon, same day
        ("2015-10-05 09:00", "2015-10-05 17:00", "N", False),  # not a qualified practitioner
        ("2015-10-05 09:00", "", "", False),  # not screened
        ("2015-10-05 09:00", "2015-10-06 08:00", "Y", False),  # next working day
        ("2015-10-02 16:00", "2015-10-03 10:00", "Y", True),  # Fri -> Sat: no working day passed
        ("2015-10-02 16:00", "2015-10-05 08:00", "Y", False),  # Fri -> Mon
        ("2015-10-03 10:00", "2015-10-03 11:00", "Y", True),  # Sat -> Sat
        ("2015-10-03 10:00", "2015-10-05 17:00", "Y", True),  # Sat -> Mon: received Mon
        ("2015-10-03 10:00", "2015-10-06 09:00", "Y", False),  # Sat -> Tue
        ("2014-12-24 10:00", "2014-12-29 09:00", "Y", False),  # Christmas Eve -> Mon 29 Dec
        ("2014-12-25 10:00", "2014-12-29 09:00", "Y", True),  # Christmas Day -> next wd
        ("2014-12-25 10:00", "2014-12-30 09:00", "Y", False),
        ("2014-12-31 16:00", "2015-01-01 10:00", "Y", True),  # New Year's Day is not a wd
        ("2014-12-31 16:00", "2015-01-02 10:00", "Y", False),
        ("2015-04-03 10:00", "2015-04-07 09:00", "Y", True),  # Good Friday -> Tue after Easter
        ("2015-04-02 10:00", "2015-04-06 09:00", "Y", True),  # Thu -> Easter Monday
        ("2015-04-02 10:00", "2015-04-07 09:00", "Y", False),
        ("2015-08-31 10:00", "2015-09-01 09:00", "Y", True),  # bank holiday 31 Aug 2015
        ("2015-08-31 10:00", "2015-09-02 09:00", "Y", False),
        ("2022-09-19 10:00", "2022-09-20 09:00", "Y", True),  # state funeral
        ("2023-05-08 10:00", "2023-05-09 09:00", "Y", True),  # coronation
        ("2015-10-06 09:00", "2015-10-05 09:00", "Y", False),  # screened the day before
    ],
)
def test_code_6_same_working_day(tmp_path, received, screened, qualified, same_day):
    r = run(tmp_path, "2023-12-31", contacts=[contact(received, screened, qualified)])
    value, numerator, denominator = figures(r, 6, received[:7])
    assert (numerator, denominator) == (int(same_day), 1)
    assert value == (100.0 if same_day else 0.0)


def test_code_6_uses_local_closure_days(tmp_path):
    rows = [contact("2015-10-05 09:00", "2015-10-06 09:00")]
    r = run(tmp_path, "2015-10-31", contacts=rows, local_closure_days=frozenset({D("2015-10-05")}))
    assert figures(r, 6, "2015-10") == pct(1, 1)  # Mon 5 Oct closed: received Tue 6


# ---------------------------------------------------------------------------
# Codes 8-13: referrals and assessments


def test_code_8_re_referrals_12_month_look_back(tmp_path):
    r = run(tmp_path, "2016-02-29", referrals=[
        referral("2014-10-15", person="A"), referral("2015-10-15", person="A"),  # exactly 12m
        referral("2014-10-14", person="B"), referral("2015-10-15", person="B"),  # 12m + 1 day
        referral("2015-10-20", person="C"), referral("2015-10-20", person="C"),  # same day
        referral("2015-10-01", person="D"), referral("2015-10-21", person="D"),
        referral("2015-02-28", person="E"), referral("2016-02-29", person="E"),  # clamped
        referral("2015-02-27", person="F"), referral("2016-02-29", person="F"),
    ])  # fmt: skip
    # October: A yes, B no, C no (x2), D: 1 Oct no, 21 Oct yes
    assert figures(r, 8, "2015-10") == pct(2, 6)
    # February 2016: 29 Feb - 12 months = 28 Feb 2015: E yes, F no
    assert figures(r, 8, "2016-02") == pct(1, 2)


def test_code_9_referrals_to_initial_assessment(tmp_path):
    r = run(tmp_path, "2015-10-31", referrals=[
        referral("2015-10-01", referral_id="R1"),
        referral("2015-10-02", referral_id="R2"),
        referral("2015-10-03", referral_id="R3"),
        referral("2015-10-04", referral_id="R4"),
    ], assessments=[
        assessment("IA", "2015-10-05", referral_id="R1"),
        assessment("IA", "2015-10-06", referral_id="R1"),
        assessment("CA", "2015-10-05", referral_id="R2"),   # a CA is not an IA
        assessment("IA", "2015-11-02", referral_id="R3"),   # started after the as-at date
        assessment("IA", "2015-10-05", referral_id="R9"),
    ])  # fmt: skip
    assert figures(r, 9, "2015-10") == pct(1, 4)


def test_code_10_11_initial_assessments_10_working_days(tmp_path):
    # Referral Fri 19 Dec 2014; 10 working days later: 22, 23, 24, 29, 30, 31 Dec,
    # 2, 5, 6, 7 Jan -> Wed 7 Jan 2015 is exactly 10.
    r = run(tmp_path, "2015-01-31", referrals=[
        referral("2014-12-19", referral_id="R1"),
    ], assessments=[
        assessment("IA", "2015-01-05", "2015-01-07", referral_id="R1"),   # 10: within
        assessment("IA", "2015-01-05", "2015-01-08", referral_id="R1"),   # 11: not
        assessment("IA", "2014-12-19", "2015-01-07"),                     # no referral: own start
        assessment("IA", "2014-12-19", "2015-01-08", referral_id="NOPE"), # matches none: own start
        assessment("IA", "2015-01-02", "2015-01-16", referral_id=""),     # 10
        assessment("IA", "2015-01-05", ""),                               # not authorised
        assessment("CA", "2015-01-05", "2015-01-06"),                     # not an IA
    ])  # fmt: skip
    assert figures(r, 10, "2015-01") == (5.0, 5, None)
    assert figures(r, 11, "2015-01") == pct(3, 5)


def test_code_12_13_core_assessments(tmp_path):
    # From Mon 2 Mar 2015, Good Friday 3 Apr and Easter Monday 6 Apr off:
    # 35th working day Wed 22 Apr; with 4 May and 25 May off, 60th Fri 29 May, 61st Mon 1 Jun.
    r = run(tmp_path, "2015-06-30", assessments=[
        assessment("CA", "2015-03-02", "2015-04-22"),
        assessment("CA", "2015-03-02", "2015-04-23"),
        assessment("CA", "2015-03-02", "2015-05-29"),
        assessment("CA", "2015-03-02", "2015-06-01"),
        assessment("IA", "2015-03-02", "2015-06-01"),
    ])  # fmt: skip
    assert figures(r, 12, "2015-04") == pct(1, 2)
    assert figures(r, 13, "2015-04") == pct(0, 2)
    assert figures(r, 13, "2015-05") == pct(0, 1)
    assert figures(r, 13, "2015-06") == pct(1, 1)
    assert figures(r, 12, "2015-06") == pct(0, 1)


# ---------------------------------------------------------------------------
# Codes 14-16: strategy discussions


def test_codes_14_to_16_strategy_discussions(tmp_path):
    r = run(tmp_path, "2015-10-31", strategy_discussions=[
        sd("2015-10-01", sd_id="S1", outcome="S47"),
        sd("2015-10-02", sd_id="S2", outcome="CIN"),
        sd("2015-10-03", sd_id="S3", outcome="NFA"),
        sd("2015-09-03", sd_id="S4"),
    ], s47_enquiries=[
        s47("2015-10-02", sd_id="S1"), s47("2015-10-03", sd_id="S1"),
        s47("2015-11-03", sd_id="S2"),  # after the as-at date
    ])  # fmt: skip
    assert figures(r, 14, "2015-10") == (3.0, 3, None)
    assert figures(r, 15, "2015-10") == pct(1, 3)
    assert figures(r, 16, "2015-10") == pct(2, 3)
    assert r.breakdown(16, D("2015-10-31"), "outcome") == {
        "S47": 0, "CIN": 1, "NFA": 1, "EARLY_HELP": 0, "OTHER": 0}  # fmt: skip
    # ytd rates: numerators of Sep and Oct summed
    assert r.get(16, D("2015-10-31")).rate_per_10k == pytest.approx(3 / 36100 * 10000)
    assert r.get(15, D("2015-10-31")).rate_per_10k == pytest.approx(1 / 36100 * 10000)


# ---------------------------------------------------------------------------
# Codes 17-21: child protection plans and visits


def test_codes_17_to_20_plans(tmp_path):
    r = run(tmp_path, "2015-10-31", cp_plans=[
        plan("2015-10-01", person="A", category="EMO"),
        plan("2015-10-20", person="A", category="PHY"),   # A: two plans in month, one child
        plan("2013-10-31", person="B"),                   # exactly ME - 24 months
        plan("2013-11-01", person="C"),                   # one day short
        plan("2013-01-01", person="D"),                   # an old plan still open, but
        plan("2015-06-01", person="D"),                   # the current plan is the newer one
        plan("2014-01-01", "2014-06-01", person="E"),
        plan("2015-05-01", "2015-10-31", person="E"),     # ends on ME: not open
        plan("2014-01-01", "2014-06-01", person="F"),
        plan("2015-05-01", person="F"),                   # second plan
        plan("2015-05-01", person="G"), plan("2015-05-01", person="G"),  # same start: not second
    ])  # fmt: skip
    assert figures(r, 17, "2015-10") == (1.0, 1, None)
    assert figures(r, 18, "2015-10") == (6.0, 6, None)  # A B C D F G
    assert figures(r, 19, "2015-10") == pct(3, 6)  # A (20 Oct after 1 Oct), D, F
    assert figures(r, 20, "2015-10") == pct(1, 6)  # B
    assert r.breakdown(18, D("2015-10-31"), "category") == {
        "NEG": 5, "PHY": 1, "SAB": 0, "EMO": 0, "MUL": 0}  # fmt: skip
    assert r.get(18, D("2015-10-31")).rate_per_10k == pytest.approx(6 / 36100 * 10000)
    # ytd rate of code 17: children becoming subject in each month, summed (A, D F G, E)
    assert r.get(17, D("2015-10-31")).rate_per_10k == pytest.approx(5 / 36100 * 10000)
    assert figures(r, 18, "2015-09") == (6.0, 6, None)  # B C D E F G


def test_code_20_end_of_february(tmp_path):
    r = run(tmp_path, "2016-02-29", cp_plans=[
        plan("2014-02-28", person="A"), plan("2014-03-01", person="B")])  # fmt: skip
    assert figures(r, 20, "2016-02") == pct(1, 2)


def test_code_21_cp_visits_state_funeral(tmp_path):
    # Plan from Fri 9 Sep 2022; Mon 19 Sep 2022 is a bank holiday.
    r = run(tmp_path, "2022-10-31", cp_plans=[plan("2022-09-09", person="A")], cp_visits=[
        cp_visit("2022-09-08", person="A"),            # before the plan: not counted
        cp_visit("2022-09-23", person="A"),            # 9 wd from the plan start: within
        cp_visit("2022-10-07", person="A"),            # 10 wd: within
        cp_visit("2022-10-14", seen="N", person="A"),  # child not seen: ignored
        cp_visit("2022-10-24", person="A"),            # 11 wd after 7 Oct: not
        cp_visit("2022-10-24", person="A"),            # same day: previous is still 7 Oct
        cp_visit("2022-10-25", person="B"),            # not on a plan
    ])  # fmt: skip
    assert figures(r, 21, "2022-09") == pct(1, 1)
    assert figures(r, 21, "2022-10") == pct(1, 3)


def test_code_21_cp_visits_coronation_and_plan_boundaries(tmp_path):
    # From Mon 24 Apr 2023, with 1 and 8 May off: 10th working day Wed 10 May.
    r = run(tmp_path, "2023-05-31", cp_plans=[
        plan("2023-04-24", person="A"),
        plan("2023-04-24", person="B"),
        plan("2023-04-24", "2023-05-12", person="C"),
        plan("2023-04-20", "2023-05-02", person="D"),
        plan("2023-05-02", person="D"),
    ], cp_visits=[
        cp_visit("2023-05-10", person="A"),   # 10 wd: within
        cp_visit("2023-05-11", person="B"),   # 11 wd: not
        cp_visit("2023-05-12", person="C"),   # on the plan's end day: not on a plan
        cp_visit("2023-04-21", person="D"),   # during D's first plan
        cp_visit("2023-05-03", person="D"),   # second plan: first visit, 1 wd from its start
    ])  # fmt: skip
    assert figures(r, 21, "2023-05") == pct(2, 3)
    r = run(tmp_path / "n", "2023-05-31", cp_visit_working_days=11,
            cp_plans=[plan("2023-04-24", person="B")],
            cp_visits=[cp_visit("2023-05-11", person="B")])  # fmt: skip
    assert figures(r, 21, "2023-05") == pct(1, 1)


# ---------------------------------------------------------------------------
# Codes 22-25: child protection conferences


def test_codes_22_23_icpcs_within_15_working_days(tmp_path):
    # SD Thu 20 Aug 2015; with 31 Aug off the 15th working day is Fri 11 Sep.
    r = run(tmp_path, "2015-09-30", strategy_discussions=[sd("2015-08-20", sd_id="S1")],
            s47_enquiries=[s47("2015-08-21", sd_id="S1", s47_id="E1"),
                           s47("2015-08-21", sd_id="", s47_id="E2"),
                           s47("2015-08-21", sd_id="S9", s47_id="E3")],
            cp_conferences=[
                conference("ICPC", "2015-09-11", s47_id="E1", outcome="PLAN"),
                conference("ICPC", "2015-09-14", s47_id="E1", outcome="PLAN"),
                conference("ICPC", "2015-09-01", s47_id="E2", outcome="NO_PLAN"),  # no SD
                conference("ICPC", "2015-09-01", s47_id="E3"),   # SD missing
                conference("ICPC", "2015-09-01", s47_id=""),     # no s47
                conference("ICPC", "2015-09-01", s47_id="E9"),   # s47 missing
                conference("RCPC", "2015-09-01"),
                conference("TRANSFER_IN", "2015-09-01"),
            ])  # fmt: skip
    assert figures(r, 22, "2015-09") == (6.0, 6, None)
    assert figures(r, 23, "2015-09") == pct(1, 6)
    assert r.breakdown(23, D("2015-09-30"), "outcome") == {
        "PLAN": 2, "NO_PLAN": 1, "CONTINUE": 0, "END": 0, None: 3}  # fmt: skip
    assert figures(r, 24, "2015-09") == (1.0, 1, None)


def test_codes_24_25_rcpc_chain(tmp_path):
    r = run(tmp_path, "2015-10-31", cp_plans=[
        plan("2015-01-10", person="A", cpp_id="PA"),
        plan("2015-01-10", person="B", cpp_id="PB"),
        plan("2015-02-01", "2015-05-01", person="C", cpp_id="PC"),
        plan("2015-01-10", person="E", cpp_id="PE"),
    ], cp_conferences=[
        conference("ICPC", "2015-01-10", person="A"),    # on the plan's start date
        conference("RCPC", "2015-04-10", person="A", cpp_id="PA"),  # 90 days: within
        conference("RCPC", "2015-10-07", person="A", cpp_id="PA"),  # 180 days later: within
        conference("ICPC", "2014-06-01", person="B"),
        conference("ICPC", "2015-01-05", person="B"),    # B's plan's ICPC (latest on/before)
        conference("ICPC", "2015-01-20", person="B"),    # after the plan start: not its ICPC
        conference("RCPC", "2015-04-06", person="B"),    # no CPP_ID: plan open; 91 days: not
        conference("ICPC", "2015-02-01", person="C"),
        conference("RCPC", "2015-05-01", person="C"),    # plan ending that day; 89 days
        conference("RCPC", "2015-05-01", person="D", cpp_id="NOPE"),  # matches no plan
        conference("RCPC", "2015-04-01", person="E", cpp_id="PE"),    # plan has no ICPC
        conference("RCPC", "2015-10-08", person="E", cpp_id="PE"),    # 190 days after: not
    ])  # fmt: skip
    assert figures(r, 24, "2015-04") == (3.0, 3, None)
    assert figures(r, 25, "2015-04") == pct(1, 3)  # A yes, B no, E no
    assert figures(r, 25, "2015-05") == pct(1, 2)  # C yes, D no
    assert figures(r, 25, "2015-10") == pct(1, 2)  # A yes, E no


def test_code_25_limits_one_over(tmp_path):
    r = run(tmp_path, "2015-12-31", cp_plans=[plan("2015-01-10", person="A", cpp_id="PA")],
            cp_conferences=[
                conference("ICPC", "2015-01-09", person="A"),
                conference("RCPC", "2015-04-10", person="A", cpp_id="PA"),  # 91 days: not
                conference("RCPC", "2015-10-08", person="A", cpp_id="PA"),  # 181 days: not
            ])  # fmt: skip
    assert figures(r, 25, "2015-04") == pct(0, 1)
    assert figures(r, 25, "2015-10") == pct(0, 1)


# ---------------------------------------------------------------------------
# Codes 26-29: looked after children


def test_code_26_looked_after_distinct_children_without_short_breaks(tmp_path):
    r = run(tmp_path, "2015-10-31", lac_episodes=[
        episode("2015-01-01", "2015-06-01", person="A"),
        episode("2015-06-01", person="A"),                  # A: one child, two episodes
        episode("2015-09-01", person="A", status="V2"),
        episode("2015-01-01", person="B", status="V3"),    # short breaks: not looked after
        episode("2015-01-01", person="C", status="V4"),
        episode("2015-01-01", "2015-10-31", person="D"),   # ends on ME
        episode("2015-10-31", person="E", status="L1"),    # starts on ME
    ])  # fmt: skip
    assert figures(r, 26, "2015-10") == (2.0, 2, None)  # A, E
    assert figures(r, 26, "2015-09") == (2.0, 2, None)  # A, D
    assert r.get(26, D("2015-10-31")).rate_per_10k == pytest.approx(2 / 36100 * 10000)


def test_code_27_lac_visits_periods_of_care(tmp_path):
    r = run(tmp_path, "2015-04-30", lac_episodes=[
        # A: consecutive episodes form one period from 1 Jan
        episode("2015-01-01", "2015-03-01", person="A"), episode("2015-03-01", person="A"),
        # B: a short break between two episodes: two periods, the second from 10 Mar
        episode("2015-01-01", "2015-03-01", person="B"),
        episode("2015-03-01", "2015-03-10", person="B", status="V3"),
        episode("2015-03-10", person="B"),
        # C: one period from 1 Jan
        episode("2015-01-01", person="C"),
    ], lac_visits=[
        lac_visit("2015-01-05", person="A"), lac_visit("2015-04-10", person="A"),  # 95 days
        lac_visit("2015-01-05", person="B"),
        lac_visit("2015-03-05", person="B"),   # during the short break: not looked after
        lac_visit("2015-04-10", person="B"),   # 31 days from the period's start: within
        lac_visit("2015-02-12", person="C"),   # 42 days from 1 Jan: within
        lac_visit("2015-03-27", person="C"),   # 43 days after 12 Feb: not
        lac_visit("2015-03-27", person="C"),   # same day: also 43 days after 12 Feb
        lac_visit("2015-04-10", person="D"),   # never looked after
    ])  # fmt: skip
    assert figures(r, 27, "2015-04") == pct(1, 2)
    assert figures(r, 27, "2015-03") == pct(0, 2)
    assert figures(r, 27, "2015-01") == pct(2, 2)
    # rate basis "month": the month's numerator
    assert r.get(27, D("2015-04-30")).rate_per_10k == pytest.approx(1 / 36100 * 10000)
    r = run(
        tmp_path / "n",
        "2015-04-30",
        lac_visit_days=43,
        lac_episodes=[episode("2015-01-01", person="C")],
        lac_visits=[lac_visit("2015-02-12", person="C"), lac_visit("2015-03-27", person="C")],
    )
    assert figures(r, 27, "2015-03") == pct(1, 1)


def test_code_28_29_lac_reviews(tmp_path):
    r = run(tmp_path, "2015-10-31", lac_episodes=[
        episode("2014-12-10", person="A"),
        episode("2014-12-10", person="B"),
        episode("2014-11-01", person="C"),
        episode("2014-01-01", "2015-06-01", person="E"),
    ], lac_reviews=[
        # Period from Wed 10 Dec 2014: 20th working day, over Christmas, is Mon 12 Jan
        review("2015-01-12", person="A"),   # first: within
        review("2015-04-12", person="A"),   # second: exactly 3 months: within
        review("2015-10-12", person="A"),   # third: exactly 6 months: within
        review("2015-01-13", person="B"),   # first: 21 wd: not
        review("2015-04-14", person="B"),   # second: 3 months + 1 day: not
        review("2015-10-15", person="B"),   # third: 6 months + 1 day: not
        review("2014-11-30", person="C"),   # first: within
        review("2015-02-28", person="C"),   # second: 30 Nov + 3 months = 28 Feb: within
        review("2015-06-01", person="E"),   # on the period's end day: outside
        review("2015-04-01", person="F"),   # never looked after
    ])  # fmt: skip
    assert figures(r, 28, "2015-01") == (2.0, 2, None)
    assert figures(r, 29, "2015-01") == pct(1, 2)
    assert figures(r, 29, "2015-02") == pct(1, 1)
    assert figures(r, 29, "2015-04") == pct(1, 3)
    assert figures(r, 29, "2015-06") == pct(0, 1)
    assert figures(r, 29, "2015-10") == pct(1, 2)
    # ytd rate of code 28 (reviews Jan-Oct 2015) and of code 29 (numerators)
    assert r.get(28, D("2015-10-31")).rate_per_10k == pytest.approx(9 / 36100 * 10000)
    assert r.get(29, D("2015-10-31")).rate_per_10k == pytest.approx(4 / 36100 * 10000)


def test_code_29_first_review_before_and_after_april_2011(tmp_path):
    # Before 2011-04-01: 28 calendar days. From Fri 1 Apr 2011 (22 and 25 Apr Easter,
    # 29 Apr royal wedding, 2 May May Day off): 20th working day is Thu 5 May.
    r = run(tmp_path, "2011-05-31", lac_episodes=[
        episode("2011-03-31", person="A"), episode("2011-03-31", person="B"),
        episode("2011-04-01", person="C"), episode("2011-04-01", person="D"),
    ], lac_reviews=[
        review("2011-04-28", person="A"),   # 28 days: within
        review("2011-04-29", person="B"),   # 29 days: not
        review("2011-05-05", person="C"),   # 20 wd: within
        review("2011-05-06", person="D"),   # 21 wd: not
    ])  # fmt: skip
    assert figures(r, 29, "2011-04") == pct(1, 2)
    assert figures(r, 29, "2011-05") == pct(1, 2)


# ---------------------------------------------------------------------------
# Rates


def test_ytd_rates_and_reporting_year(tmp_path):
    tables = dict(assessments=[
        assessment("IA", "2014-12-01", "2014-12-02"),
        assessment("IA", "2015-01-01", "2015-01-05"),
        assessment("IA", "2015-02-01", "2015-02-02"),
        assessment("IA", "2015-02-01", "2015-02-03"),
    ])  # fmt: skip
    r = run(tmp_path / "a", "2015-02-28", population=10000, **tables)
    assert [r.get(10, D(m)).rate_per_10k for m in ("2014-12-01", "2015-01-01", "2015-02-01")] == [
        pytest.approx(1), pytest.approx(1), pytest.approx(3)]  # fmt: skip
    r = run(tmp_path / "b", "2015-02-28", population=10000, year_start_month=4, **tables)
    assert r.get(10, D("2015-02-01")).rate_per_10k == pytest.approx(4)
    r = run(tmp_path / "c", "2015-02-28", population={2014: 20000, 2015: 10000}, **tables)
    assert r.get(10, D("2014-12-01")).rate_per_10k == pytest.approx(0.5)
    row = r.as_rows()[0]
    assert set(row) == {"indicator_code", "period_end", "value", "numerator", "denominator",
                        "rate_per_10k"}  # fmt: skip
    assert r.get(4, D("2015-02-01")).rate_per_10k is None


# ---------------------------------------------------------------------------
# Scale: ~50k contacts well under a minute


def test_fifty_thousand_contacts_in_well_under_a_minute(tmp_path):
    rng = random.Random(7)
    start = D("2013-01-01")
    contacts, plans, visits = [], [], []
    for i in range(50_000):
        day = start + timedelta(days=rng.randrange(1034))
        screened = day + timedelta(days=rng.choice([0, 0, 0, 1, 3]))
        contacts.append(contact(f"{day} 10:00", f"{screened} 12:00", rng.choice("YN"),
                                rng.choice(contract.CONTACT_OUTCOMES), person=f"P{i % 9000}",
                                source=rng.choice(contract.SOURCE_CODES)))  # fmt: skip
    for i in range(600):
        begin = start + timedelta(days=rng.randrange(900))
        plans.append(plan(str(begin), str(begin + timedelta(days=rng.randrange(60, 700))),
                          person=f"P{i}"))  # fmt: skip
        for k in range(0, 400, 9):
            visits.append(cp_visit(str(begin + timedelta(days=k)), person=f"P{i}"))
    folder = write_extracts(tmp_path, contacts=contacts, cp_plans=plans, cp_visits=visits)
    started = time.perf_counter()
    r = compute(folder, D("2015-10-31"))
    elapsed = time.perf_counter() - started
    assert sum(r.get(4, m).numerator for m in r.months) == 50_000
    assert elapsed < 30, elapsed


def test_empty_extract_set_reports_the_as_at_month(tmp_path):
    r = run(tmp_path, "2015-10-31")
    assert r.months == [D("2015-10-31")]
    assert figures(r, 18, "2015-10") == (0.0, 0, None)
    assert figures(r, 21, "2015-10") == (None, 0, 0)
    rows = [row for row in r.breakdown_rows() if row["indicator_code"] == 18]
    assert [(row["category"], row["count"]) for row in rows] == [
        (category, 0) for category in contract.CP_CATEGORIES
    ]
