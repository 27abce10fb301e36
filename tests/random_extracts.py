"""Random extract sets full of edge cases, for checking the marts against the oracle.

``write_random_extracts(out, seed)`` writes the 13 Frameworki CSVs of the
contract (``cscperf.contract``) into ``out``: linked chains of contacts,
referrals, assessments, strategy discussions, s47 enquiries, conferences, plans
and visits; care histories; CAF episodes. The same seed gives the same bytes.

Edge cases planted on purpose (each one a rule of tests/oracle/README.md):

- mixed date formats (``DD/MM/YYYY`` and ``YYYY-MM-DD``) and every datetime form;
- values to trim or to upper-case: padded ids, codes and dates, lower-case
  flags and codes;
- events on weekends and on bank holidays; contacts received on a Saturday
  and screened on the Saturday, Sunday, Monday or Tuesday; contacts screened
  before they were received, or never;
- ends before starts (IA authorised before its start, plans, care episodes,
  CAFs);
- plans, care episodes and CAFs ending on a month end;
- unmatched links (an IA's or s47's unknown REFERRAL_ID / SD_ID, an ICPC
  without S47_ID, an RCPC with an unknown CPP_ID) and RCPCs with no CPP_ID;
  RCPCs on the plan's end date; TRANSFER_IN conferences;
- visits with CHILD_SEEN = N; same-day duplicate CP and LAC visits;
- short breaks (V3/V4) among care episodes; overlapping care episodes; an
  episode starting the day the previous one ended (same period of care);
- records dated after every as-at date of the tests (dates run to mid-2016);
- the optional v1.1 TEAM column: present (some values blank, one with a
  comma) in the sets of odd seeds, absent from the others;
- optionally (``bad_rows=True``) rows the loader must reject: unparseable
  dates, a date-only datetime, a date before 1900, bad flags and codes, a null
  required value, a duplicate id, a row with two bad fields -- a few per file,
  well under the 5% reject threshold.
"""

from __future__ import annotations

import csv
import random
import zlib
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from pathlib import Path

import holidays

from cscperf import contract
from cscperf.contract import ColumnType

FIRST_DAY = date(2012, 1, 1)
LAST_DAY = date(2016, 6, 30)  # after the latest as-at date of the tests (2016-02-29)

Row = dict[str, str]

BANK_HOLIDAYS: tuple[date, ...] = tuple(
    sorted(
        holidays.country_holidays(
            "GB", subdiv="ENG", years=range(FIRST_DAY.year, LAST_DAY.year + 1)
        ).keys()
    )
)
LOCALITIES = ("Hereford North City", "Kington", "Ledbury", "")


def write_random_extracts(
    out: Path, seed: int, people: int = 400, *, bad_rows: bool = False
) -> None:
    """Write a random extract set of ``people`` people into ``out`` (created if need be)."""
    gen = _Generator(seed)
    for _ in range(people):
        gen.add_person()
    if bad_rows:
        gen.plant_bad_rows()
    out.mkdir(parents=True, exist_ok=True)
    for extract in contract.EXTRACTS:
        gen.write(out, extract)


TEAMS = ("Team A", "Team B", "Team, with a comma", "")  # "" = no team recorded


def team_of(extract: contract.Extract, row: Row) -> str:
    """A record's team (v1.1 TEAM), from a hash of its id; blank now and then."""
    record_id = row.get(extract.id_column.name, "")
    return TEAMS[zlib.crc32(record_id.encode("utf-8")) % len(TEAMS)]


def month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)


class _Generator:
    """The random state and the 13 tables being built (values already formatted)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        # v1.1 TEAM: in the sets of odd seeds only (absent from the others), its
        # values from the record's id, so the random stream above is untouched
        self.with_team = seed % 2 == 1
        self.tables: dict[str, list[Row]] = {e.name: [] for e in contract.EXTRACTS}
        self._last_id = 10**6

    # -- random values --------------------------------------------------------

    def new_id(self) -> str:
        self._last_id += 1
        return str(self._last_id)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def choice(self, options: Iterable[str]) -> str:
        return self.rng.choice(tuple(options))

    def day(self) -> date:
        """A day in the extract span; one in ten on a weekend or bank holiday."""
        span = (LAST_DAY - FIRST_DAY).days
        day = FIRST_DAY + timedelta(days=self.rng.randrange(span))
        if self.chance(0.05):
            return self.rng.choice(BANK_HOLIDAYS)
        if self.chance(0.05):
            return day + timedelta(days=5 - day.weekday() + self.rng.randint(0, 1))
        return day

    def after(self, day: date, low: int, high: int) -> date:
        return day + timedelta(days=self.rng.randint(low, high))

    def maybe_month_end(self, day: date | None, p: float = 0.15) -> date | None:
        return month_end(day) if day is not None and self.chance(p) else day

    def date_text(self, day: date | None) -> str:
        if day is None:
            return ""
        return day.strftime("%d/%m/%Y") if self.chance(0.5) else day.isoformat()

    def datetime_text(self, moment: datetime | None) -> str:
        if moment is None:
            return ""
        form = self.choice(
            ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S")
        )
        return moment.strftime(form)

    def moment(self, day: date) -> datetime:
        return datetime.combine(day, time(self.rng.randint(0, 23), self.rng.randint(0, 59)))

    def add(self, table: str, **values: str) -> None:
        self.tables[table].append(values)

    # -- people and their records --------------------------------------------

    def add_person(self) -> None:
        person = self.new_id()
        self.add(
            "people",
            PERSON_ID=person,
            DOB=self.date_text(self.after(FIRST_DAY, -6000, 0)),
            GENDER=self.choice(contract.GENDER_CODES),
            ETHNICITY=self.choice(contract.ETHNICITY_CODES),
        )
        for _ in range(self.rng.randint(0, 6)):
            self.add_contact(person)
        if self.chance(0.25):
            self.add_care_history(person)
        if self.chance(0.4):
            for _ in range(self.rng.randint(1, 3)):
                self.add_caf(person)

    def add_contact(self, person: str) -> None:
        received = self.moment(self.day())
        if self.chance(0.1):  # a Saturday: screened Saturday, Sunday, Monday or Tuesday
            saturday = received.date() + timedelta(days=(5 - received.weekday()) % 7)
            received = self.moment(saturday)
            delay = self.rng.choice([0, 1, 2, 2, 3])
        else:
            delay = self.rng.choice([0, 0, 0, 1, 1, 2, 3, 5, -1])
        screened = None if self.chance(0.1) else received + timedelta(days=delay)
        referral = self.add_referral(person, received.date()) if self.chance(0.5) else ""
        outcome = "REFERRAL" if referral else self.choice(("NFA", "ADVICE", "EARLY_HELP", ""))
        self.add(
            "contacts",
            CONTACT_ID=self.new_id(),
            PERSON_ID=person,
            CONTACT_DATETIME=self.datetime_text(received),
            SOURCE_CODE=self.choice(contract.SOURCE_CODES),
            SCREENED_DATETIME=self.datetime_text(screened),
            SCREENED_BY_QUALIFIED=self.choice("YYYN ") if screened else "",
            OUTCOME=outcome,
            REFERRAL_ID=referral,
        )

    def add_referral(self, person: str, contact_day: date) -> str:
        referral = self.new_id()
        day = self.after(contact_day, 0, 3)
        closed = self.after(day, 0, 200) if self.chance(0.7) else None
        self.add(
            "referrals",
            REFERRAL_ID=referral,
            PERSON_ID=person,
            REFERRAL_DATE=self.date_text(day),
            SOURCE_CODE=self.choice(contract.SOURCE_CODES),
            CONTACT_ID="",
            OUTCOME=self.choice((*contract.REFERRAL_OUTCOMES, "")),
            CLOSURE_DATE=self.date_text(closed),
        )
        if self.chance(0.8):
            self.add_initial_assessment(person, referral, day)
        if self.chance(0.4):
            self.add_core_assessment(person, referral, day)
        if self.chance(0.4):
            self.add_strategy_discussion(person, referral, day)
        return referral

    def add_initial_assessment(self, person: str, referral: str, referral_day: date) -> None:
        start = self.after(referral_day, -2, 5)
        authorised = self.after(start, -1, 20) if self.chance(0.9) else None
        self.add(
            "assessments",
            ASSESSMENT_ID=self.new_id(),
            PERSON_ID=person,
            REFERRAL_ID=referral if self.chance(0.9) else self.new_id(),  # unmatched link
            ASSESSMENT_TYPE="IA",
            START_DATE=self.date_text(start),
            AUTHORISED_DATE=self.date_text(authorised),
            OUTCOME=self.choice((*contract.ASSESSMENT_OUTCOMES, "")),
        )

    def add_core_assessment(self, person: str, referral: str, referral_day: date) -> None:
        start = self.after(referral_day, 0, 20)
        authorised = self.after(start, 20, 100) if self.chance(0.9) else None
        self.add(
            "assessments",
            ASSESSMENT_ID=self.new_id(),
            PERSON_ID=person,
            REFERRAL_ID=referral,
            ASSESSMENT_TYPE="CA",
            START_DATE=self.date_text(start),
            AUTHORISED_DATE=self.date_text(authorised),
            OUTCOME="",
        )

    def add_strategy_discussion(self, person: str, referral: str, referral_day: date) -> None:
        sd = self.new_id()
        day = self.after(referral_day, 0, 10)
        self.add(
            "strategy_discussions",
            SD_ID=sd,
            PERSON_ID=person,
            REFERRAL_ID=referral,
            SD_DATE=self.date_text(day),
            OUTCOME=self.choice((*contract.SD_OUTCOMES, "")),
        )
        if self.chance(0.6):
            self.add_s47(person, sd, day)
        if self.chance(0.1):
            self.add_conference(person, "TRANSFER_IN", self.day(), outcome="PLAN")

    def add_s47(self, person: str, sd: str, sd_day: date) -> None:
        s47 = self.new_id()
        self.add(
            "s47_enquiries",
            S47_ID=s47,
            PERSON_ID=person,
            SD_ID=sd if self.chance(0.95) else self.new_id(),  # unmatched link
            START_DATE=self.date_text(self.after(sd_day, 0, 3)),
            END_DATE=self.date_text(self.after(sd_day, 5, 30) if self.chance(0.8) else None),
            OUTCOME="",
        )
        if self.chance(0.6):
            icpc = self.after(sd_day, 5, 25)
            self.add_conference(
                person,
                "ICPC",
                icpc,
                s47=s47 if self.chance(0.95) else "",
                outcome=self.choice(("PLAN", "NO_PLAN", "END", "")),
            )
            if self.chance(0.8):
                self.add_plan(person, icpc)

    def add_conference(
        self,
        person: str,
        kind: str,
        day: date,
        *,
        s47: str = "",
        plan: str = "",
        outcome: str = "",
    ) -> None:
        self.add(
            "cp_conferences",
            CONFERENCE_ID=self.new_id(),
            PERSON_ID=person,
            CONFERENCE_TYPE=kind,
            CONFERENCE_DATE=self.date_text(day),
            S47_ID=s47,
            CPP_ID=plan,
            OUTCOME=outcome,
        )

    def add_plan(self, person: str, icpc: date) -> None:
        plan = self.new_id()
        start = icpc if self.chance(0.8) else self.after(icpc, 0, 5)
        end = self.maybe_month_end(self.after(start, 60, 900)) if self.chance(0.7) else None
        if self.chance(0.03):
            end = self.after(start, -10, -1)  # ends before it starts
        self.add(
            "cp_plans",
            CPP_ID=plan,
            PERSON_ID=person,
            START_DATE=self.date_text(start),
            END_DATE=self.date_text(end),
            CATEGORY=self.choice(contract.CP_CATEGORIES),
        )
        self.add_reviews_of_plan(person, plan, icpc, end)
        self.add_cp_visits(person, start, end)

    def add_reviews_of_plan(self, person: str, plan: str, icpc: date, end: date | None) -> None:
        review = self.after(icpc, 70, 100)
        while (end is None or review <= end) and review < LAST_DAY:
            # the plan; else an unknown plan, or none (found by the person's plans)
            link = plan if self.chance(0.6) else self.new_id() if self.chance(0.05) else ""
            outcome = self.choice(("CONTINUE", "END", "PLAN"))
            self.add_conference(person, "RCPC", review, plan=link, outcome=outcome)
            review = self.after(review, 150, 200)
        if end is not None and self.chance(0.5):  # on the day the plan ends
            self.add_conference(person, "RCPC", end, outcome="END")

    def add_cp_visits(self, person: str, start: date, end: date | None) -> None:
        visit = start
        while (end is None or visit < end) and visit < LAST_DAY:
            visit = self.after(visit, 1, 16)
            for _ in range(2 if self.chance(0.05) else 1):  # same-day duplicates
                self.add(
                    "cp_visits",
                    VISIT_ID=self.new_id(),
                    PERSON_ID=person,
                    VISIT_DATE=self.date_text(visit),
                    CHILD_SEEN=self.choice("YYYYN"),
                )

    def add_care_history(self, person: str) -> None:
        start = self.day()
        for _ in range(self.rng.randint(1, 4)):
            end = self.maybe_month_end(self.after(start, 1, 500)) if self.chance(0.75) else None
            if end is not None and self.chance(0.03):
                end = self.after(start, -5, -1)  # ends before it starts
            self.add(
                "lac_episodes",
                EPISODE_ID=self.new_id(),
                PERSON_ID=person,
                START_DATE=self.date_text(start),
                END_DATE=self.date_text(end),
                LEGAL_STATUS=self.choice(("C2", "C2", "J1", "V3", "V4", "E1")),
            )
            self.add_lac_visits(person, start, end)
            self.add_lac_reviews(person, start, end)
            if end is None:
                break
            # the next starts the day this one ended (same period), overlaps it, or later
            start = end if self.chance(0.6) else self.after(end, -20, 200)

    def add_lac_visits(self, person: str, start: date, end: date | None) -> None:
        visit = self.after(start, 0, 10)
        while (end is None or visit <= end) and visit < LAST_DAY:
            for _ in range(2 if self.chance(0.05) else 1):  # same-day duplicates
                self.add(
                    "lac_visits",
                    VISIT_ID=self.new_id(),
                    PERSON_ID=person,
                    VISIT_DATE=self.date_text(visit),
                )
            visit = self.after(visit, 5, 50)

    def add_lac_reviews(self, person: str, start: date, end: date | None) -> None:
        review = self.after(start, 5, 30)
        while (end is None or review <= end) and review < LAST_DAY:
            self.add(
                "lac_reviews",
                REVIEW_ID=self.new_id(),
                PERSON_ID=person,
                REVIEW_DATE=self.date_text(review),
            )
            review = self.after(review, 60, 200)

    def add_caf(self, person: str) -> None:
        start = self.day()
        end = self.maybe_month_end(self.after(start, -3, 500)) if self.chance(0.7) else None
        self.add(
            "caf_episodes",
            CAF_ID=self.new_id(),
            PERSON_ID=person,
            START_DATE=self.date_text(start),
            END_DATE=self.date_text(end),
            STEP_DOWN=self.choice("YN"),
            SOCIAL_CARE_INVOLVEMENT=self.choice(("Y", "N", "")),
            LEAD_PROFESSIONAL_AGENCY=self.choice((*contract.LEAD_PROFESSIONAL_AGENCIES, "")),
            LOCALITY=self.choice(LOCALITIES),
            CLOSURE_REASON=self.choice((*contract.CAF_CLOSURE_REASONS, "")) if end else "",
        )

    # -- rows the loader must reject -------------------------------------------

    def plant_bad_rows(self) -> None:
        """A few bad rows, each a copy of a good row with one or two fields spoilt."""
        self.spoil("contacts", CONTACT_DATETIME="14/03/2014")  # date-only datetime
        self.spoil("contacts", SOURCE_CODE="ZZ")
        self.spoil("contacts", SCREENED_BY_QUALIFIED="X")
        self.spoil("referrals", REFERRAL_DATE="31/02/2014")
        self.spoil("referrals", PERSON_ID="")
        self.spoil("assessments", ASSESSMENT_TYPE="XA", START_DATE="2014-13-01")
        self.spoil("cp_visits", CHILD_SEEN="maybe")
        self.spoil("lac_visits", VISIT_DATE="1899-12-31")
        self.spoil("lac_episodes", LEGAL_STATUS="Z9")
        self.duplicate("cp_visits")
        self.duplicate("caf_episodes")

    def spoil(self, table: str, **values: str) -> None:
        rows = self.tables[table]
        position = self.rng.randrange(len(rows) + 1)
        rows.insert(position, {**self.rng.choice(rows), **values, **self._fresh_id(table)})

    def duplicate(self, table: str) -> None:
        """A later row with the id of an earlier one (the later one is rejected)."""
        rows = self.tables[table]
        first = self.rng.randrange(len(rows))
        copy = {**self.rng.choice(rows), **self._id_of(table, rows[first])}
        rows.insert(self.rng.randint(first + 1, len(rows)), copy)

    def _fresh_id(self, table: str) -> Row:
        return {contract.extract(table).id_column.name: self.new_id()}

    @staticmethod
    def _id_of(table: str, row: Row) -> Row:
        name = contract.extract(table).id_column.name
        return {name: row[name]}

    # -- writing ---------------------------------------------------------------

    def write(self, out: Path, extract: contract.Extract) -> None:
        columns = [c for c in extract.columns if c.name != "TEAM" or self.with_team]
        with (out / extract.file_name).open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow([c.name for c in columns])
            for row in self.tables[extract.name]:
                values = {**row, "TEAM": team_of(extract, row)} if self.with_team else row
                writer.writerow([self.scuff(c, values.get(c.name, "")) for c in columns])

    def scuff(self, column: contract.Column, value: str) -> str:
        """Now and then, a value the loader must trim or upper-case to read."""
        if not value or column.type is ColumnType.TEXT or not self.chance(0.03):
            return value
        if column.type in (ColumnType.CODE, ColumnType.FLAG) and self.chance(0.5):
            return value.lower()
        return f" {value} " if self.chance(0.5) else f"{value}  "
