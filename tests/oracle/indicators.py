"""The 29 indicators of /work/shared/spec/indicators.md, computed literally.

This is test code: an independent reference ("oracle") for the dbt marts and
for the demo generator's calibration. Every rule is written the plain way,
record by record; readings of ambiguous rules are listed in README.md (the
numbers R1, R2... in comments refer to it).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from cscperf import contract

from .extracts import RejectedRow, Row, Tables, apply_as_at, as_date, event_dates, read_extracts
from .workdays import WorkingDays, add_months, month_end_of, month_ends

CODES = tuple(range(1, 30))
PERCENTAGE_CODES = frozenset({6, 7, 8, 9, 11, 12, 13, 15, 16, 19, 20, 21, 23, 25, 27, 29})
RATE_BASIS = {
    1: "snapshot", 8: "ytd", 9: "ytd", 10: "ytd", 11: "ytd", 12: "ytd", 13: "ytd",
    15: "ytd", 16: "ytd", 17: "ytd", 18: "snapshot", 26: "snapshot", 27: "month",
    28: "ytd", 29: "ytd",
}  # fmt: skip
LAC_REVIEW_REGULATIONS_CHANGE = date(2011, 4, 1)
DURATION_BANDS = ("0-3 months", "3-6 months", "6-12 months", "12+ months")


@dataclass(frozen=True)
class IndicatorValue:
    code: int
    period_end: date
    value: float | None
    numerator: int
    denominator: int | None  # None for count indicators
    rate_per_10k: float | None

    def as_row(self) -> dict[str, object]:
        return {
            "indicator_code": self.code,
            "period_end": self.period_end,
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "rate_per_10k": self.rate_per_10k,
        }


@dataclass(frozen=True)
class AgencyRow:
    """One row of the code-5 table: contacts of one referral source in a month."""

    period_end: date
    report_order: int
    source_code: str
    source_label: str
    contacts: int
    progressed: int  # contacts with OUTCOME = REFERRAL
    month_contacts: int  # all contacts of the month, for the share

    @property
    def pct_of_contacts(self) -> float | None:
        return percentage(self.contacts, self.month_contacts)

    @property
    def pct_progressed(self) -> float | None:
        return percentage(self.progressed, self.contacts)


@dataclass
class Results:
    as_at: date
    months: list[date]
    values: dict[tuple[int, date], IndicatorValue]
    contacts_by_agency: dict[date, list[AgencyRow]]
    # (code, period_end) -> dimension -> category -> count
    breakdowns: dict[tuple[int, date], dict[str, dict[str | None, int]]]
    rejected_rows: list[RejectedRow] = field(default_factory=list)

    def get(self, code: int, period_end: date) -> IndicatorValue:
        return self.values[(code, month_end_of(period_end))]

    def as_rows(self) -> list[dict[str, object]]:
        """Rows comparable with marts.indicator_values."""
        return [self.values[(code, m)].as_row() for m in self.months for code in CODES]

    def agency_table(self, period_end: date) -> list[AgencyRow]:
        return self.contacts_by_agency[month_end_of(period_end)]

    def breakdown(self, code: int, period_end: date, dimension: str) -> dict[str | None, int]:
        return self.breakdowns[(code, month_end_of(period_end))][dimension]

    def breakdown_rows(self) -> list[dict[str, object]]:
        """Rows comparable with marts.indicator_breakdowns (zero counts included)."""
        rows = []
        for (code, period_end), dimensions in sorted(self.breakdowns.items()):
            for dimension, categories in dimensions.items():
                for category, count in categories.items():
                    rows.append({
                        "indicator_code": code, "period_end": period_end,
                        "dimension": dimension, "category": category, "count": count,
                    })  # fmt: skip
        return rows


def percentage(numerator: int, denominator: int) -> float | None:
    return numerator / denominator * 100 if denominator else None


# ---------------------------------------------------------------------------
# Helpers over the as-at tables


def is_open_on(start: date, end: date | None, day: date) -> bool:
    """The month-end rule, for any day: START <= day and (no END or END > day)."""
    return start <= day and (end is None or end > day)


def by_person(rows: Iterable[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row["PERSON_ID"]].append(row)
    return grouped


def current_plan(plans: Iterable[Row], day: date) -> Row | None:
    """The child's plan open on ``day`` that started last (R7: ties -> greater CPP_ID)."""
    open_plans = [p for p in plans if is_open_on(p["START_DATE"], p["END_DATE"], day)]
    if not open_plans:
        return None
    return max(open_plans, key=lambda p: (p["START_DATE"], p["CPP_ID"]))


@dataclass(frozen=True)
class PeriodOfCare:
    person_id: str
    start: date
    end: date | None  # None while open

    def contains(self, day: date) -> bool:
        return is_open_on(self.start, self.end, day)


def periods_of_care(episodes: Iterable[Row]) -> dict[str, list[PeriodOfCare]]:
    """Periods of care per child (R9): looked-after episodes only (V3/V4 are
    left out before joining, so they neither join nor bridge periods); an
    episode starting on or before the day the period so far ends joins it
    (on the day = consecutive; before = overlapping); an episode whose end is
    before its start covers no day and is left out."""
    periods: dict[str, list[PeriodOfCare]] = {}
    for person_id, person_episodes in by_person(episodes).items():
        looked_after = sorted(
            (
                e for e in person_episodes
                if e["LEGAL_STATUS"] not in contract.NOT_LOOKED_AFTER_STATUSES
                and (e["END_DATE"] is None or e["END_DATE"] >= e["START_DATE"])
            ),
            key=lambda e: (e["START_DATE"], e["END_DATE"] is None, e["END_DATE"] or date.max),
        )  # fmt: skip
        spans: list[list[date | None]] = []  # [start, end] of each period so far
        for episode in looked_after:
            if spans and (spans[-1][1] is None or episode["START_DATE"] <= spans[-1][1]):
                last_end = spans[-1][1]
                if last_end is not None and (
                    episode["END_DATE"] is None or episode["END_DATE"] > last_end
                ):
                    spans[-1][1] = episode["END_DATE"]
            else:
                spans.append([episode["START_DATE"], episode["END_DATE"]])
        if spans:
            periods[person_id] = [PeriodOfCare(person_id, s, e) for s, e in spans]
    return periods


def period_on(periods: list[PeriodOfCare], day: date) -> PeriodOfCare | None:
    for period in periods:
        if period.contains(day):
            return period
    return None


class Tally:
    """Numerators and denominators by month end."""

    def __init__(self) -> None:
        self.numerator: Counter[date] = Counter()
        self.denominator: Counter[date] = Counter()

    def add(self, period_end: date, qualifies: bool) -> None:
        self.denominator[period_end] += 1
        if qualifies:
            self.numerator[period_end] += 1


# ---------------------------------------------------------------------------
# The computation


def compute(
    extracts_dir: Path,
    as_at: date,
    *,
    population: int | Mapping[int, int] = 36100,
    year_start_month: int = 1,
    cp_visit_working_days: int = 10,
    lac_visit_days: int = 42,
    local_closure_days: frozenset[date] = frozenset(),
    rate_populations: Mapping[int, int] | None = None,
) -> Results:
    """Every indicator for every month end from the month of the earliest event
    to the as-at month, using only what was known on ``as_at``.

    ``population`` is the 0-17 population (one figure, or one per calendar
    year); ``rate_populations`` overrides the rate denominator of single
    indicators (e.g. ``{1: 33361}`` for the published CAF rate).
    """
    tables, rejected = read_extracts(Path(extracts_dir))
    known = apply_as_at(tables, as_at)
    return compute_from_tables(
        known,
        as_at,
        population=population,
        year_start_month=year_start_month,
        cp_visit_working_days=cp_visit_working_days,
        lac_visit_days=lac_visit_days,
        local_closure_days=local_closure_days,
        rate_populations=rate_populations,
        rejected_rows=rejected,
    )


def compute_from_tables(
    known: Tables,
    as_at: date,
    *,
    population: int | Mapping[int, int] = 36100,
    year_start_month: int = 1,
    cp_visit_working_days: int = 10,
    lac_visit_days: int = 42,
    local_closure_days: frozenset[date] = frozenset(),
    rate_populations: Mapping[int, int] | None = None,
    rejected_rows: list[RejectedRow] | None = None,
) -> Results:
    """As :func:`compute`, on tables already read and cut to ``as_at``."""
    dates = event_dates(known)
    months = month_ends(min(dates) if dates else as_at, as_at)  # R1
    wd = WorkingDays(local_closure_days)
    month_set = set(months)

    counts: dict[int, Counter[date]] = {
        code: Counter() for code in CODES if code not in PERCENTAGE_CODES
    }
    tallies: dict[int, Tally] = {code: Tally() for code in PERCENTAGE_CODES}
    breakdowns: dict[tuple[int, date], dict[str, Counter]] = defaultdict(
        lambda: defaultdict(Counter)
    )

    def month_of(day: date | None) -> date | None:
        """The reported month end containing ``day`` (None when not reported)."""
        if day is None:
            return None
        period_end = month_end_of(day)
        return period_end if period_end in month_set else None

    # --- codes 1-3: CAF episodes -------------------------------------------
    cafs = known["caf_episodes"]
    for me in months:
        open_cafs = [c for c in cafs if is_open_on(c["START_DATE"], c["END_DATE"], me)]
        counts[1][me] = len(open_cafs)
        breakdowns[(1, me)]["activity"]["open at month end"] = len(open_cafs)
    for caf in cafs:
        if me := month_of(caf["START_DATE"]):
            breakdowns[(1, me)]["activity"]["started"] += 1
            if caf["STEP_DOWN"] == "Y":
                counts[2][me] += 1
            b = breakdowns[(2, me)]
            b["step_down"][caf["STEP_DOWN"]] += 1
            b["social_care_involvement"][caf["SOCIAL_CARE_INVOLVEMENT"]] += 1
            b["lead_professional_agency"][caf["LEAD_PROFESSIONAL_AGENCY"]] += 1
            b["locality"][caf["LOCALITY"]] += 1
            if caf["STEP_DOWN"] == "Y":
                b["step_down_lead_professional_agency"][caf["LEAD_PROFESSIONAL_AGENCY"]] += 1
                b["step_down_locality"][caf["LOCALITY"]] += 1
        if me := month_of(caf["END_DATE"]):
            counts[3][me] += 1
            breakdowns[(1, me)]["activity"]["closed"] += 1
            b = breakdowns[(3, me)]
            b["closure_reason"][caf["CLOSURE_REASON"]] += 1
            b["duration_band"][duration_band(caf["START_DATE"], caf["END_DATE"])] += 1

    # --- codes 4-7: contacts -----------------------------------------------
    agency_contacts: dict[date, Counter[str]] = defaultdict(Counter)
    agency_progressed: dict[date, Counter[str]] = defaultdict(Counter)
    for c in known["contacts"]:
        me = month_of(as_date(c["CONTACT_DATETIME"]))
        if me is None:
            continue
        counts[4][me] += 1
        counts[5][me] += 1
        agency_contacts[me][c["SOURCE_CODE"]] += 1
        progressed = c["OUTCOME"] == "REFERRAL"
        if progressed:
            agency_progressed[me][c["SOURCE_CODE"]] += 1
        tallies[6].add(me, screened_same_working_day(c, wd))
        tallies[7].add(me, progressed)

    # --- codes 8-9: referrals ----------------------------------------------
    referrals = known["referrals"]
    referrals_by_id = {r["REFERRAL_ID"]: r for r in referrals}
    referral_dates_by_person = {
        person: [r["REFERRAL_DATE"] for r in rows] for person, rows in by_person(referrals).items()
    }
    assessments = known["assessments"]
    referral_ids_with_ia = {
        a["REFERRAL_ID"] for a in assessments if a["ASSESSMENT_TYPE"] == "IA" and a["REFERRAL_ID"]
    }
    for r in referrals:
        me = month_of(r["REFERRAL_DATE"])
        if me is None:
            continue
        day = r["REFERRAL_DATE"]
        look_back = add_months(day, -12)
        earlier = [d for d in referral_dates_by_person[r["PERSON_ID"]] if look_back <= d < day]
        tallies[8].add(me, bool(earlier))
        tallies[9].add(me, r["REFERRAL_ID"] in referral_ids_with_ia)
        breakdowns[(7, me)]["referral_outcome"][r["OUTCOME"]] += 1

    # --- codes 10-13: assessments ------------------------------------------
    for a in assessments:
        me = month_of(a["AUTHORISED_DATE"])
        if me is None:
            continue
        authorised = a["AUTHORISED_DATE"]
        if a["ASSESSMENT_TYPE"] == "IA":
            counts[10][me] += 1
            breakdowns[(10, me)]["outcome"][a["OUTCOME"]] += 1
            referral = referrals_by_id.get(a["REFERRAL_ID"]) if a["REFERRAL_ID"] else None
            clock_start = referral["REFERRAL_DATE"] if referral else a["START_DATE"]
            tallies[11].add(me, wd.between(clock_start, authorised) <= 10)
        else:  # CA
            days = wd.between(a["START_DATE"], authorised)
            tallies[12].add(me, days <= 35)
            tallies[13].add(me, days >= 61)

    # --- codes 14-16: strategy discussions ---------------------------------
    s47s = known["s47_enquiries"]
    s47s_by_id = {s["S47_ID"]: s for s in s47s}
    sd_ids_with_s47 = {s["SD_ID"] for s in s47s if s["SD_ID"]}
    sds = known["strategy_discussions"]
    sds_by_id = {s["SD_ID"]: s for s in sds}
    for sd in sds:
        me = month_of(sd["SD_DATE"])
        if me is None:
            continue
        counts[14][me] += 1
        leads_to_s47 = sd["SD_ID"] in sd_ids_with_s47
        tallies[15].add(me, leads_to_s47)
        tallies[16].add(me, not leads_to_s47)
        if not leads_to_s47:
            breakdowns[(16, me)]["outcome"][sd["OUTCOME"]] += 1

    # --- codes 17-21: CP plans and visits ----------------------------------
    plans = known["cp_plans"]
    plans_by_person = by_person(plans)
    starters: dict[date, set[str]] = defaultdict(set)
    for p in plans:
        if me := month_of(p["START_DATE"]):
            starters[me].add(p["PERSON_ID"])
    for me in months:
        counts[17][me] = len(starters[me])
        on_plan = 0
        for person_plans in plans_by_person.values():
            plan = current_plan(person_plans, me)
            if plan is None:
                continue
            on_plan += 1
            breakdowns[(18, me)]["category"][plan["CATEGORY"]] += 1
            second = any(p["START_DATE"] < plan["START_DATE"] for p in person_plans)
            tallies[19].add(me, second)
            tallies[20].add(me, plan["START_DATE"] <= add_months(me, -24))
        counts[18][me] = on_plan

    seen_visits = [v for v in known["cp_visits"] if v["CHILD_SEEN"] == "Y"]
    seen_days_by_person: dict[str, list[date]] = defaultdict(list)
    for v in seen_visits:
        seen_days_by_person[v["PERSON_ID"]].append(v["VISIT_DATE"])
    for v in seen_visits:
        me = month_of(v["VISIT_DATE"])
        if me is None:
            continue
        day = v["VISIT_DATE"]
        plan = current_plan(plans_by_person.get(v["PERSON_ID"], []), day)
        if plan is None:
            continue  # not on a plan that day: not counted at all
        earlier = [d for d in seen_days_by_person[v["PERSON_ID"]] if plan["START_DATE"] <= d < day]
        previous = max(earlier) if earlier else plan["START_DATE"]
        tallies[21].add(me, wd.between(previous, day) <= cp_visit_working_days)

    # --- codes 22-25: CP conferences ---------------------------------------
    conferences = known["cp_conferences"]
    icpcs = [c for c in conferences if c["CONFERENCE_TYPE"] == "ICPC"]
    rcpcs = [c for c in conferences if c["CONFERENCE_TYPE"] == "RCPC"]
    for icpc in icpcs:
        me = month_of(icpc["CONFERENCE_DATE"])
        if me is None:
            continue
        counts[22][me] += 1
        breakdowns[(23, me)]["outcome"][icpc["OUTCOME"]] += 1
        s47 = s47s_by_id.get(icpc["S47_ID"]) if icpc["S47_ID"] else None
        sd = sds_by_id.get(s47["SD_ID"]) if s47 and s47["SD_ID"] else None
        within = sd is not None and wd.between(sd["SD_DATE"], icpc["CONFERENCE_DATE"]) <= 15
        tallies[23].add(me, within)

    plans_by_id = {p["CPP_ID"]: p for p in plans}
    icpcs_by_person = by_person(icpcs)
    reviews_of_plan: dict[str, list[Row]] = defaultdict(list)
    plan_of_rcpc: dict[str, str | None] = {}
    for rcpc in rcpcs:
        plan = reviewed_plan(rcpc, plans_by_id, plans_by_person)
        plan_of_rcpc[rcpc["CONFERENCE_ID"]] = plan["CPP_ID"] if plan else None
        if plan:
            reviews_of_plan[plan["CPP_ID"]].append(rcpc)
    for chain in reviews_of_plan.values():
        chain.sort(key=lambda c: (c["CONFERENCE_DATE"], c["CONFERENCE_ID"]))
    for rcpc in rcpcs:
        me = month_of(rcpc["CONFERENCE_DATE"])
        if me is None:
            continue
        counts[24][me] += 1
        breakdowns[(25, me)]["outcome"][rcpc["OUTCOME"]] += 1
        cpp_id = plan_of_rcpc[rcpc["CONFERENCE_ID"]]
        within = False
        if cpp_id is not None:
            chain = reviews_of_plan[cpp_id]
            position = chain.index(rcpc)
            if position == 0:
                icpc = plan_icpc(plans_by_id[cpp_id], icpcs_by_person)
                within = icpc is not None and (
                    (rcpc["CONFERENCE_DATE"] - icpc["CONFERENCE_DATE"]).days <= 90
                )
            else:
                previous = chain[position - 1]
                within = (rcpc["CONFERENCE_DATE"] - previous["CONFERENCE_DATE"]).days <= 180
        tallies[25].add(me, within)

    # --- codes 26-29: looked after children --------------------------------
    episodes = known["lac_episodes"]
    looked_after = [
        e for e in episodes if e["LEGAL_STATUS"] not in contract.NOT_LOOKED_AFTER_STATUSES
    ]
    for me in months:
        counts[26][me] = len({
            e["PERSON_ID"] for e in looked_after if is_open_on(e["START_DATE"], e["END_DATE"], me)
        })  # fmt: skip
    periods = periods_of_care(episodes)

    lac_visit_days_by_person: dict[str, list[date]] = defaultdict(list)
    for v in known["lac_visits"]:
        lac_visit_days_by_person[v["PERSON_ID"]].append(v["VISIT_DATE"])
    for v in known["lac_visits"]:
        me = month_of(v["VISIT_DATE"])
        if me is None:
            continue
        day = v["VISIT_DATE"]
        period = period_on(periods.get(v["PERSON_ID"], []), day)
        if period is None:
            continue  # not looked after that day: not counted at all
        earlier = [d for d in lac_visit_days_by_person[v["PERSON_ID"]] if period.start <= d < day]
        previous = max(earlier) if earlier else period.start
        tallies[27].add(me, (day - previous).days <= lac_visit_days)

    reviews = known["lac_reviews"]
    reviews_by_person = by_person(reviews)
    for review in reviews:
        me = month_of(review["REVIEW_DATE"])
        if me is None:
            continue
        counts[28][me] += 1
        tallies[29].add(me, lac_review_within_timescale(review, periods, reviews_by_person, wd))

    # --- assemble --------------------------------------------------------
    values: dict[tuple[int, date], IndicatorValue] = {}
    rate_populations = dict(rate_populations or {})

    def rate(code: int, me: date, count: int) -> float:
        if code in rate_populations:
            base = rate_populations[code]
        elif isinstance(population, Mapping):
            base = population[me.year]
        else:
            base = population
        return count / base * 10_000

    def numerator_of(code: int, me: date) -> int:
        return tallies[code].numerator[me] if code in PERCENTAGE_CODES else counts[code][me]

    for me in months:
        year_start = date(
            me.year if me.month >= year_start_month else me.year - 1, year_start_month, 1
        )
        for code in CODES:
            numerator = numerator_of(code, me)
            if code in PERCENTAGE_CODES:
                denominator = tallies[code].denominator[me]
                value = percentage(numerator, denominator)
            else:
                denominator = None
                value = float(numerator)
            basis = RATE_BASIS.get(code)
            if basis in ("snapshot", "month"):
                rate_value = rate(code, me, numerator)
            elif basis == "ytd":
                ytd = sum(numerator_of(code, m) for m in months if year_start <= m <= me)
                rate_value = rate(code, me, ytd)
            else:
                rate_value = None
            values[(code, me)] = IndicatorValue(code, me, value, numerator, denominator, rate_value)

    agency_tables = {
        me: [
            AgencyRow(me, order, source, label, agency_contacts[me][source],
                      agency_progressed[me][source], counts[4][me])
            for order, source, label in contract.REFERRAL_SOURCES
        ]
        for me in months
    }  # fmt: skip

    return Results(
        as_at=as_at,
        months=months,
        values=values,
        contacts_by_agency=agency_tables,
        breakdowns=_complete_breakdowns(breakdowns, months),
        rejected_rows=list(rejected_rows or []),
    )


# ---------------------------------------------------------------------------
# Rules that need more words


def screened_same_working_day(contact: Row, wd: WorkingDays) -> bool:
    """Code 6 (R4). Screened by a qualified practitioner on the same working
    day: working days between received and screened dates is 0 for a contact
    received on a working day, and 0 or 1 for one received on a non-working
    day (it counts as received on the next working day)."""
    screened = contact["SCREENED_DATETIME"]
    if screened is None or contact["SCREENED_BY_QUALIFIED"] != "Y":
        return False
    received_day = as_date(contact["CONTACT_DATETIME"])
    days = wd.between(received_day, as_date(screened))
    allowed = 0 if wd.is_working_day(received_day) else 1
    return 0 <= days <= allowed


def duration_band(start: date, end: date) -> str:
    """Code 3 breakdown: time open at closure in calendar months, lower bound
    inclusive (R12: an end before the start falls in the first band)."""
    if end < add_months(start, 3):
        return DURATION_BANDS[0]
    if end < add_months(start, 6):
        return DURATION_BANDS[1]
    if end < add_months(start, 12):
        return DURATION_BANDS[2]
    return DURATION_BANDS[3]


def reviewed_plan(
    rcpc: Row, plans_by_id: dict[str, Row], plans_by_person: dict[str, list[Row]]
) -> Row | None:
    """Code 25 (R10): the plan an RCPC reviews. By CPP_ID when given (None if
    it matches no plan); else the child's plan open on the conference date
    (the one that started last), else one that ends on that date."""
    if rcpc["CPP_ID"] is not None:
        return plans_by_id.get(rcpc["CPP_ID"])
    day = rcpc["CONFERENCE_DATE"]
    person_plans = plans_by_person.get(rcpc["PERSON_ID"], [])
    open_plan = current_plan(person_plans, day)
    if open_plan is not None:
        return open_plan
    ending = [p for p in person_plans if p["END_DATE"] == day]
    return max(ending, key=lambda p: (p["START_DATE"], p["CPP_ID"])) if ending else None


def plan_icpc(plan: Row, icpcs_by_person: dict[str, list[Row]]) -> Row | None:
    """Code 25: the plan's ICPC = the child's latest ICPC on or before the plan's START_DATE."""
    candidates = [
        c for c in icpcs_by_person.get(plan["PERSON_ID"], [])
        if c["CONFERENCE_DATE"] <= plan["START_DATE"]
    ]  # fmt: skip
    return max(candidates, key=lambda c: (c["CONFERENCE_DATE"], c["CONFERENCE_ID"]), default=None)


def lac_review_within_timescale(
    review: Row,
    periods: dict[str, list[PeriodOfCare]],
    reviews_by_person: dict[str, list[Row]],
    wd: WorkingDays,
) -> bool:
    """Code 29: first review of a period of care within 20 working days of its
    start (28 days before 2011-04-01), second within 3 months of the first,
    later ones within 6 months of the previous. Outside any period: not within."""
    day = review["REVIEW_DATE"]
    period = period_on(periods.get(review["PERSON_ID"], []), day)
    if period is None:
        return False
    chain = sorted(
        (r for r in reviews_by_person[review["PERSON_ID"]] if period.contains(r["REVIEW_DATE"])),
        key=lambda r: (r["REVIEW_DATE"], r["REVIEW_ID"]),
    )
    position = chain.index(review)
    if position == 0:
        if period.start < LAC_REVIEW_REGULATIONS_CHANGE:
            return (day - period.start).days <= 28
        return wd.between(period.start, day) <= 20
    if position == 1:
        return day <= add_months(chain[0]["REVIEW_DATE"], 3)
    return day <= add_months(chain[position - 1]["REVIEW_DATE"], 6)


def _complete_breakdowns(
    found: dict[tuple[int, date], dict[str, Counter]], months: list[date]
) -> dict[tuple[int, date], dict[str, dict[str | None, int]]]:
    """Every breakdown for every month, with every listed category (zero
    included) in code-list order, then any other category found (null last)."""
    listed: dict[tuple[int, str], tuple[str, ...]] = {
        (1, "activity"): ("started", "closed", "open at month end"),
        (2, "step_down"): ("Y", "N"),
        (2, "social_care_involvement"): ("Y", "N"),
        (2, "lead_professional_agency"): contract.LEAD_PROFESSIONAL_AGENCIES,
        (2, "locality"): (),
        (2, "step_down_lead_professional_agency"): contract.LEAD_PROFESSIONAL_AGENCIES,
        (2, "step_down_locality"): (),
        (3, "closure_reason"): contract.CAF_CLOSURE_REASONS,
        (3, "duration_band"): DURATION_BANDS,
        (7, "referral_outcome"): contract.REFERRAL_OUTCOMES,
        (10, "outcome"): contract.ASSESSMENT_OUTCOMES,
        (16, "outcome"): contract.SD_OUTCOMES,
        (18, "category"): contract.CP_CATEGORIES,
        (23, "outcome"): contract.CONFERENCE_OUTCOMES,
        (25, "outcome"): contract.CONFERENCE_OUTCOMES,
    }
    complete: dict[tuple[int, date], dict[str, dict[str | None, int]]] = {}
    for me in months:
        for (code, dimension), categories in listed.items():
            counted = found.get((code, me), {}).get(dimension, Counter())
            ordered: dict[str | None, int] = {
                category: counted[category] for category in categories
            }
            others = sorted(c for c in counted if c not in ordered and c is not None)
            for category in others:
                ordered[category] = counted[category]
            if counted[None]:
                ordered[None] = counted[None]
            complete.setdefault((code, me), {})[dimension] = ordered
    return complete
