"""What the demo set exercises beyond the calibrated figures.

- Format variety (one style per file): UK and ISO dates mixed, every allowed
  datetime form, CRLF line ends, a UTF-8 BOM, one file in Windows-1252, a
  header in mixed case with spaces, columns in another order, an unknown
  extra column, lower-case codes and flags, a blank line, quoted fields with
  commas, quotes and a line break (people.csv names).
- Bad rows: extra rows that the contract rejects (an unparseable date or
  datetime, a date before 1900, a bad flag, a duplicate id, an unknown code,
  a null required field). They are appended to the files, are never part of
  a calibrated count, and stay well under 5% of any file.
- Planted cross-file findings (kept rows, in months that are not published):
  a contact pointing at a referral that does not exist, an IA whose
  referral does not exist, a CP plan whose child is missing from people.csv,
  a CAF that ends before it starts.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from ..shared.writer import DATETIME_FORMATS, Style, write_table
from .context import Context
from .rows import Tables

ORPHAN_REFERRAL_ID = "2999999"
MISSING_PERSON_ID = "999999"

STYLES: dict[str, Style] = {
    "people": Style(dates="mixed", encoding="utf-8-sig"),
    "contacts": Style(datetimes=DATETIME_FORMATS, lower_codes=0.02),
    "referrals": Style(crlf=True, extra={"TEAM_NAME": "MASH"}),
    "assessments": Style(dates="mixed", lower_codes=0.01),
    "strategy_discussions": Style(
        header={
            "SD_ID": " Sd_Id ",
            "PERSON_ID": "person_id",
            "REFERRAL_ID": " Referral_Id",
            "SD_DATE": "SD_date ",
            "OUTCOME": "Outcome",
        }
    ),
    "s47_enquiries": Style(dates="iso"),
    "cp_conferences": Style(crlf=True, dates="mixed"),
    "cp_plans": Style(order=("CATEGORY", "PERSON_ID", "CPP_ID", "END_DATE", "START_DATE")),
    "cp_visits": Style(lower_codes=0.05),
    "lac_episodes": Style(dates="mixed"),
    "lac_visits": Style(dates="iso", crlf=True),
    "lac_reviews": Style(blank_line_after=10),
    "caf_episodes": Style(encoding="cp1252", lower_codes=0.02),
}

BAD_ROWS: dict[str, list[dict[str, str]]] = {
    "people": [
        {"PERSON_ID": "", "FORENAME": "Nobody", "SURNAME": "Testchild", "GENDER": "M"},
        {
            "PERSON_ID": "199990",
            "FORENAME": "Oldun",
            "SURNAME": "Testchild",
            "DOB": "01/01/1899",
            "GENDER": "F",
        },
    ],
    "contacts": [
        {
            "CONTACT_ID": "1999991",
            "PERSON_ID": "100001",
            "CONTACT_DATETIME": "31/02/2015 10:00",
            "SOURCE_CODE": "6",
        },
        {
            "CONTACT_ID": "1999992",
            "PERSON_ID": "100001",
            "CONTACT_DATETIME": "15/03/2015",
            "SOURCE_CODE": "2A",
        },
        {
            "CONTACT_ID": "1999993",
            "PERSON_ID": "100002",
            "CONTACT_DATETIME": "2015-10-12 09:30",
            "SOURCE_CODE": "7Z",
        },
    ],
    "assessments": [
        {
            "ASSESSMENT_ID": "3999991",
            "PERSON_ID": "100003",
            "ASSESSMENT_TYPE": "SA",
            "START_DATE": "05/10/2015",
            "AUTHORISED_DATE": "12/10/2015",
        },
    ],
    "cp_visits": [
        {
            "VISIT_ID": "9999991",
            "PERSON_ID": "100004",
            "VISIT_DATE": "14/10/2015",
            "CHILD_SEEN": "X",
        },
    ],
    "lac_episodes": [
        {
            "EPISODE_ID": "10999991",
            "PERSON_ID": "100005",
            "START_DATE": "01/09/2015",
            "LEGAL_STATUS": "Z9",
        },
    ],
    "lac_reviews": [
        {"REVIEW_ID": "12999991", "PERSON_ID": "100006", "REVIEW_DATE": "2015-13-01"},
    ],
    "cp_plans": [
        {"CPP_ID": "7999991", "PERSON_ID": "100007", "START_DATE": "01/10/2015", "CATEGORY": ""},
    ],
    "caf_episodes": [
        {
            "CAF_ID": "8999991",
            "PERSON_ID": "100008",
            "START_DATE": "05/10/2015",
            "STEP_DOWN": "maybe",
        },
    ],
}


def plant_findings(tables: Tables) -> None:
    """Cross-file data-quality findings, in months nobody published."""
    for row in tables["contacts"]:
        received = row["CONTACT_DATETIME"]
        if (
            isinstance(received, datetime)
            and received.date() >= date(2012, 3, 5)
            and row["OUTCOME"] in ("NFA", "ADVICE")
        ):
            row["OUTCOME"], row["REFERRAL_ID"] = "REFERRAL", ORPHAN_REFERRAL_ID
            break
    tables["assessments"].append(
        {
            "ASSESSMENT_ID": "3999990",
            "PERSON_ID": tables["people"][5]["PERSON_ID"],
            "REFERRAL_ID": ORPHAN_REFERRAL_ID,
            "ASSESSMENT_TYPE": "IA",
            "START_DATE": date(2012, 6, 4),
            "COMPLETED_DATE": date(2012, 6, 12),
            "AUTHORISED_DATE": date(2012, 6, 13),
            "OUTCOME": "NFA",
        }
    )
    tables["cp_plans"].append(
        {
            "CPP_ID": "7999990",
            "PERSON_ID": MISSING_PERSON_ID,
            "START_DATE": date(2012, 2, 6),
            "END_DATE": date(2012, 5, 14),
            "CATEGORY": "NEG",
        }
    )
    tables["caf_episodes"].append(
        {
            "CAF_ID": "8999990",
            "PERSON_ID": tables["people"][9]["PERSON_ID"],
            "START_DATE": date(2012, 9, 10),
            "END_DATE": date(2012, 9, 3),
            "STEP_DOWN": "N",
            "SOCIAL_CARE_INVOLVEMENT": "N",
            "LEAD_PROFESSIONAL_AGENCY": "SCHOOL",
            "LOCALITY": "Kington",
            "CLOSURE_REASON": "OTHER",
        }
    )


def duplicate_referral(tables: Tables) -> dict[str, str]:
    """A second row with the id of an existing referral: rejected, the first wins."""
    first = tables["referrals"][100]
    return {
        "REFERRAL_ID": str(first["REFERRAL_ID"]),
        "PERSON_ID": str(first["PERSON_ID"]),
        "REFERRAL_DATE": "01/10/2015",
        "SOURCE_CODE": "6",
    }


def write(ctx: Context, tables: Tables, out_dir: Path) -> dict[str, int]:
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = ctx.rng("writer")
    plant_findings(tables)
    bad = {name: list(rows) for name, rows in BAD_ROWS.items()}
    bad.setdefault("referrals", []).append(duplicate_referral(tables))
    counts = {}
    for name, rows in tables.items():
        counts[name] = write_table(
            out_dir / f"{name}.csv", name, rows, STYLES[name], rng, bad.get(name)
        )
    return counts
