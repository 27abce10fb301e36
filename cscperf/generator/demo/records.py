"""The in-memory records of the demo profile, before they are written.

Children are ``Who`` slots: journeys are built first and a person id is put
in each slot afterwards (``persons.assign``), so that the person rules
(re-referral within 12 months, first or second plan) hold by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


class Who:
    """A child: the person id is decided after the journeys are built."""

    __slots__ = ("person_id",)

    def __init__(self, person_id: str | None = None) -> None:
        self.person_id = person_id


@dataclass(eq=False)
class Contact:
    id: int
    who: Who
    received: datetime
    source: str
    screened: datetime | None
    qualified: str | None  # "Y", "N" or None (not recorded)
    outcome: str | None
    referral: Referral | None = None


@dataclass(eq=False)
class Referral:
    id: int
    who: Who
    day: date
    source: str
    contact: Contact | None
    rereferral: bool = False
    has_ia: bool = False
    planted: bool = False
    outcome: str | None = None
    closure: date | None = None
    ia: Assessment | None = None
    sd: StrategyDiscussion | None = None
    plan: CpPlan | None = None  # the plan its strategy discussion led to


@dataclass(eq=False)
class Assessment:
    id: int
    who: Who
    referral: Referral | None
    kind: str  # IA / CA
    start: date
    completed: date | None = None
    authorised: date | None = None
    outcome: str | None = None
    referral_id_override: str | None = None  # planted orphans


@dataclass(eq=False)
class StrategyDiscussion:
    id: int
    who: Who
    referral: Referral | None
    day: date
    outcome: str | None = None
    s47: S47 | None = None


@dataclass(eq=False)
class S47:
    id: int
    who: Who
    sd: StrategyDiscussion
    start: date
    end: date | None = None
    outcome: str | None = None


@dataclass(eq=False)
class Conference:
    id: int
    who: Who
    kind: str  # ICPC / RCPC / TRANSFER_IN
    day: date
    s47: S47 | None = None
    plan: CpPlan | None = None
    outcome: str | None = None


@dataclass(eq=False)
class CpPlan:
    id: int
    who: Who
    start: date
    category: str
    icpc: Conference | None  # None: a transfer in
    end: date | None = None
    min_end: date | None = None  # may not end on or before this day
    max_end: date | None = None  # must end by this day
    second: bool = False
    long: bool = False
    reviews: list[Conference] = field(default_factory=list)
    visits: list[tuple[date, str]] = field(default_factory=list)  # (day, child seen)


@dataclass(eq=False)
class CarePeriod:
    who: Who
    start: date
    end: date | None = None
    visited: bool = True
    episodes: list[tuple[date, date | None, str, str, str, str | None]] = field(
        default_factory=list
    )  # (start, end, legal status, placement, reason new, reason ceased)
    visits: list[date] = field(default_factory=list)
    reviews: list[date] = field(default_factory=list)


@dataclass(eq=False)
class Caf:
    id: int
    who: Who
    start: date
    step_down: str
    social_care: str | None
    lead: str | None
    locality: str | None
    end: date | None = None
    closure_reason: str | None = None


class Protection:
    """The child protection records of the demo: discussions, enquiries, conferences, plans."""

    def __init__(self) -> None:
        self.sds: list[StrategyDiscussion] = []
        self.s47s: list[S47] = []
        self.conferences: list[Conference] = []
        self.plans: list[CpPlan] = []
