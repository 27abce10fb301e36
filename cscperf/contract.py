"""The Frameworki extract contract (v1.1) as data.

One source of truth for the 13 CSV extracts: their file names, columns, types,
which columns are required, and the code lists. The loader validates against
it, the generator writes to it, and the data-quality suites read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ColumnType(StrEnum):
    ID = "id"
    TEXT = "text"
    DATE = "date"
    DATETIME = "datetime"
    FLAG = "flag"
    CODE = "code"


@dataclass(frozen=True)
class Column:
    name: str  # as in the contract (upper case); matched case-insensitively
    type: ColumnType
    required: bool = False
    codes: tuple[str, ...] | None = None  # None: no code list (free code)
    personal: bool = False  # personal data: must not leave the raw layer
    since: str = "1.0"  # contract version that added the column (a v1.1 column may be absent)

    @property
    def db_name(self) -> str:
        """The column's name in the warehouse (lower case)."""
        return self.name.lower()


@dataclass(frozen=True)
class Extract:
    name: str  # file stem, e.g. "contacts"
    columns: tuple[Column, ...]

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def id_column(self) -> Column:
        """The key: the first column of each file."""
        return self.columns[0]

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name.upper():
                return col
        raise KeyError(f"{self.file_name} has no column {name}")


# Referral sources: (report order, SOURCE_CODE, report label).
REFERRAL_SOURCES: tuple[tuple[int, str, str], ...] = (
    (1, "6", "Police"),
    (2, "2A", "Schools"),
    (3, "5A", "LA services - Social care eg. adults social care"),
    (4, "1A", "Family Member / Relative / Carer"),
    (5, "8", "Other - eg. childrens centres / independent agency"),
    (6, "5C", "External eg. from another LAs"),
    (7, "3E", "Health services - A&E"),
    (8, "4", "Housing or housing association"),
    (9, "2B", "Education Services"),
    (10, "3D", "Health services - Other primary health services"),
    (11, "9", "Anonymous"),
    (12, "3B", "Health services - Health Visitor"),
    (13, "1D", "Other Individuals e.g. strangers / MPs"),
    (14, "3A", "Health services - GP"),
    (15, "1B", "Acquaintance eg. neighbours / child minders"),
    (16, "5B", "LA services - Other internal department eg. youth offending"),
    (17, "3G", "Health Services - 2Gether (Adults)"),
    (18, "3H", "Health Services - 2Gether (CAMHS)"),
    (19, "3F", "Health services - Other eg. hospice"),
    (20, "3C", "Health services - School Nurse"),
    (21, "1C", "Self"),
    (22, "10", "Unknown"),
)
SOURCE_CODES = tuple(code for _, code, _ in REFERRAL_SOURCES)

GENDER_CODES = ("M", "F", "U", "I")
ETHNICITY_CODES = (
    "WBRI", "WIRI", "WOTH", "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND",
    "APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
)  # fmt: skip
CONTACT_OUTCOMES = ("REFERRAL", "NFA", "ADVICE", "EARLY_HELP")
REFERRAL_OUTCOMES = ("ASSESSMENT", "NFA", "SIGNPOSTED", "EARLY_HELP", "OTHER")
ASSESSMENT_TYPES = ("IA", "CA")
ASSESSMENT_OUTCOMES = ("NFA", "CIN", "CA", "S47", "LAC", "EARLY_HELP", "OTHER")
SD_OUTCOMES = ("S47", "CIN", "NFA", "EARLY_HELP", "OTHER")
S47_OUTCOMES = ("ICPC", "CIN", "NFA", "OTHER")
CONFERENCE_TYPES = ("ICPC", "RCPC", "TRANSFER_IN")
CONFERENCE_OUTCOMES = ("PLAN", "NO_PLAN", "CONTINUE", "END")
CP_CATEGORIES = ("NEG", "PHY", "SAB", "EMO", "MUL")
LEGAL_STATUSES = ("C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4")
NOT_LOOKED_AFTER_STATUSES = ("V3", "V4")  # short breaks
REASONS_NEW_EPISODE = ("S", "L", "P", "T", "U", "B")
REASONS_CEASED = (
    "E11", "E12", "E13", "E14", "E15", "E16", "E17", "E2", "E3", "E41", "E45",
    "E46", "E47", "E48", "E4A", "E4B", "E5", "E6", "E7", "E8", "E9",
)  # fmt: skip
LEAD_PROFESSIONAL_AGENCIES = ("SCHOOL", "EARLY_YEARS", "HEALTH", "MAG", "CHILDRENS_CENTRE", "OTHER")
CAF_CLOSURE_REASONS = ("NEEDS_MET", "STEP_UP", "DISENGAGED", "MOVED_AWAY", "OTHER")

T = ColumnType


def _id(name: str, required: bool = False) -> Column:
    return Column(name, T.ID, required)


# v1.1: the team that holds the work (not personal data); absent in v1.0 extracts.
TEAM = Column("TEAM", T.TEXT, since="1.1")


EXTRACTS: tuple[Extract, ...] = (
    Extract("people", (
        _id("PERSON_ID", True),
        Column("FORENAME", T.TEXT, personal=True),
        Column("SURNAME", T.TEXT, personal=True),
        Column("DOB", T.DATE, personal=True),  # staging keeps only the year
        Column("GENDER", T.CODE, codes=GENDER_CODES),
        Column("ETHNICITY", T.CODE, codes=ETHNICITY_CODES),
        Column("POSTCODE", T.TEXT, personal=True),
        _id("FAMILY_ID"),
    )),
    Extract("contacts", (
        _id("CONTACT_ID", True),
        _id("PERSON_ID", True),
        Column("CONTACT_DATETIME", T.DATETIME, True),
        Column("SOURCE_CODE", T.CODE, True, SOURCE_CODES),
        Column("SCREENED_DATETIME", T.DATETIME),
        Column("SCREENED_BY_QUALIFIED", T.FLAG),
        Column("OUTCOME", T.CODE, codes=CONTACT_OUTCOMES),
        _id("REFERRAL_ID"),
    )),
    Extract("referrals", (
        _id("REFERRAL_ID", True),
        _id("PERSON_ID", True),
        Column("REFERRAL_DATE", T.DATE, True),
        Column("SOURCE_CODE", T.CODE, True, SOURCE_CODES),
        _id("CONTACT_ID"),
        Column("OUTCOME", T.CODE, codes=REFERRAL_OUTCOMES),
        Column("CLOSURE_DATE", T.DATE),
        TEAM,
    )),
    Extract("assessments", (
        _id("ASSESSMENT_ID", True),
        _id("PERSON_ID", True),
        _id("REFERRAL_ID"),
        Column("ASSESSMENT_TYPE", T.CODE, True, ASSESSMENT_TYPES),
        Column("START_DATE", T.DATE, True),
        Column("COMPLETED_DATE", T.DATE),
        Column("AUTHORISED_DATE", T.DATE),
        Column("OUTCOME", T.CODE, codes=ASSESSMENT_OUTCOMES),
        TEAM,
    )),
    Extract("strategy_discussions", (
        _id("SD_ID", True),
        _id("PERSON_ID", True),
        _id("REFERRAL_ID"),
        Column("SD_DATE", T.DATE, True),
        Column("OUTCOME", T.CODE, codes=SD_OUTCOMES),
    )),
    Extract("s47_enquiries", (
        _id("S47_ID", True),
        _id("PERSON_ID", True),
        _id("SD_ID"),
        Column("START_DATE", T.DATE, True),
        Column("END_DATE", T.DATE),
        Column("OUTCOME", T.CODE, codes=S47_OUTCOMES),
        TEAM,
    )),
    Extract("cp_conferences", (
        _id("CONFERENCE_ID", True),
        _id("PERSON_ID", True),
        Column("CONFERENCE_TYPE", T.CODE, True, CONFERENCE_TYPES),
        Column("CONFERENCE_DATE", T.DATE, True),
        _id("S47_ID"),
        _id("CPP_ID"),
        Column("OUTCOME", T.CODE, codes=CONFERENCE_OUTCOMES),
    )),
    Extract("cp_plans", (
        _id("CPP_ID", True),
        _id("PERSON_ID", True),
        Column("START_DATE", T.DATE, True),
        Column("END_DATE", T.DATE),
        Column("CATEGORY", T.CODE, True, CP_CATEGORIES),
        TEAM,
    )),
    Extract("cp_visits", (
        _id("VISIT_ID", True),
        _id("PERSON_ID", True),
        Column("VISIT_DATE", T.DATE, True),
        Column("CHILD_SEEN", T.FLAG, True),
    )),
    Extract("lac_episodes", (
        _id("EPISODE_ID", True),
        _id("PERSON_ID", True),
        Column("START_DATE", T.DATE, True),
        Column("END_DATE", T.DATE),
        Column("LEGAL_STATUS", T.CODE, True, LEGAL_STATUSES),
        Column("PLACEMENT_TYPE", T.CODE),
        Column("REASON_NEW_EPISODE", T.CODE, codes=REASONS_NEW_EPISODE),
        Column("REASON_CEASED", T.CODE, codes=REASONS_CEASED),
        TEAM,
    )),
    Extract("lac_visits", (
        _id("VISIT_ID", True),
        _id("PERSON_ID", True),
        Column("VISIT_DATE", T.DATE, True),
    )),
    Extract("lac_reviews", (
        _id("REVIEW_ID", True),
        _id("PERSON_ID", True),
        Column("REVIEW_DATE", T.DATE, True),
    )),
    Extract("caf_episodes", (
        _id("CAF_ID", True),
        _id("PERSON_ID", True),
        Column("START_DATE", T.DATE, True),
        Column("END_DATE", T.DATE),
        Column("STEP_DOWN", T.FLAG, True),
        Column("SOCIAL_CARE_INVOLVEMENT", T.FLAG),
        Column("LEAD_PROFESSIONAL_AGENCY", T.CODE, codes=LEAD_PROFESSIONAL_AGENCIES),
        Column("LOCALITY", T.TEXT),
        Column("CLOSURE_REASON", T.CODE, codes=CAF_CLOSURE_REASONS),
        TEAM,
    )),
)  # fmt: skip

EXTRACTS_BY_NAME: dict[str, Extract] = {e.name: e for e in EXTRACTS}


def extract(name: str) -> Extract:
    """The extract called ``name`` (file stem, e.g. ``"contacts"``)."""
    return EXTRACTS_BY_NAME[name]
