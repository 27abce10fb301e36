"""A small warehouse with the four report marts, for developing and testing the report.

``build_fixture(path)`` writes a DuckDB file holding ``marts.indicator_values``,
``marts.indicator_breakdowns``, ``marts.contacts_by_agency`` and
``marts.indicator_report`` in exactly the shapes of docs/architecture.md, for
the months 2013-01 .. 2015-10 and all 29 indicator codes.

The values are made up but plausible: every series is anchored on the figures
published in the October 2015 report (the Oct-15 value and the previous values
it prints: Oct-14 / Oct-13 or Sep-15 / Aug-15) and filled in between with a
seeded random walk. Percentages are real ratios of whole numerators and
denominators, so disclosure control has counts to work on.

Deliberate small counts, for the disclosure tests:

- contacts by agency, Oct-15, "Health services - Health Visitor": 3 contacts,
  3 progressed (as published);
- code 12, Oct-15: 3 of 98 core assessments within 35 working days (3.06%);
- code 20, Oct-14: 1 of 181 plans open 2+ years (0.55%, as published);
- code 2 breakdown ``step_down_locality``, Oct-15: "Kington" has 3 step-down CAFs.

Run ``python tests/report_fixture.py out.duckdb`` to write one by hand.
"""

from __future__ import annotations

import calendar
import random
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

FIRST_MONTH = date(2013, 1, 31)
LAST_MONTH = date(2015, 10, 31)
POPULATION = 36100
CAF_DENOMINATOR = 33361  # code 1's published rate implies this (spec, notes)
ASSESSMENT_MARGIN = 5.0


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(d: date, n: int) -> date:
    index = d.year * 12 + d.month - 1 + n
    return month_end(index // 12, index % 12 + 1)


def months() -> list[date]:
    out = [FIRST_MONTH]
    while out[-1] < LAST_MONTH:
        out.append(add_months(out[-1], 1))
    return out


# --------------------------------------------------------------------------
# indicator metadata (from the October 2015 report)
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Meta:
    code: int
    name: str
    officer: str
    description: str
    measure: str
    guide: str
    polarity: str  # higher | lower | to target | none
    is_percentage: bool
    rate_basis: str | None  # snapshot | month | ytd | None
    previous_rule: str  # years | months
    period: str
    value: float | None  # published Oct-15
    previous: tuple[float | None, float | None] = (None, None)  # as printed
    target: float | None = None
    typical_denominator: int | None = None
    shows_rate: bool = False
    comparators: dict[str, tuple[str | None, float | None]] = field(default_factory=dict)


SNAP = "Month End (Snapshot)"
CUM = "Month End (Cumulative)"
NO_CORRECT = (
    "No correct number but the overall number should be viewed in the context of the "
    "overall assessment levels and should be in line with benchmarks."
)
CONTACTS_GUIDE = (
    "Contacts are monitored to ensure relevance and identify trends in requests for "
    "services. Overall volumes will directly impact on the flow of work throughout "
    "Children's Wellbeing."
)
NA = {"england": ("2013/14", None), "stat_neighbours": ("2013/14", None),
      "west_midlands": ("2013/14", None)}

META: dict[int, Meta] = {m.code: m for m in [
    Meta(1, "CAF Summary Information", "Nicola Turvey",
         "CAF Summary Information as at 31 October 2015", "N/A", "Headline CAF Data",
         "none", False, "snapshot", "months", SNAP, 487, (497, 493),
         comparators={**NA, "west_midlands": ("2013/14", 291.0)}),
    Meta(2, "CAF Summary Information", "Nicola Turvey",
         "CAF Summary Information as at 31 October 2015 (CAFs Started and Closed)", "N/A",
         "CAFs Started During Month (via Step-Down)", "none", False, None, "months", SNAP,
         14, (16, 5), comparators=NA),
    Meta(3, "CAF Summary Information", "Nicola Turvey",
         "CAF Summary Information as at 31 October 2015 (CAFs Closed and Length of time open)",
         "N/A", "CAFs Closed During Month by Reason", "none", False, None, "months", SNAP,
         46, (12, 17), comparators=NA),
    Meta(4, "Contacts Received Per Month", "Kay Prescott",
         "Total number of contacts by month. This indicator is to ensure that all contacts "
         "are relevant and followed up where appropriate.", "N/A", CONTACTS_GUIDE, "none",
         False, None, "years", CUM, 516, (432, 472), comparators=NA),
    Meta(5, "Contacts Received Per Agency - This Month", "Kay Prescott",
         "Total number of contacts per Team. This indicator is to ensure that all contacts "
         "are relevant and followed up where appropriate.", "N/A", CONTACTS_GUIDE, "none",
         False, None, "years", CUM, 516, (432, 472), comparators=NA),
    Meta(6, "Contacts Screened by a Qualified Practitioner on Same Working Day", "Kay Prescott",
         "Number of Contacts screened by a qualified practitioner within 24 hours, in month.",
         "Higher is Better", "Increase the numbers of Contacts screened by a qualified "
         "practitioner within 24 hours to a level at, or above benchmarks.", "higher", True,
         None, "years", CUM, 98.26, (99.07, 0.0), target=100, typical_denominator=480,
         comparators=NA),
    Meta(7, "Contacts Progressed to Referral", "Kay Prescott",
         "Number of Contacts which have progressed onto a referral in the month.", "N/A",
         "No correct number but the overall number should be viewed in the context of the "
         "overall assessment levels and should be in line with benchmarks.", "none", True, None,
         "years", CUM, 48.84, (35.42, 48.94), typical_denominator=480, comparators=NA),
    Meta(8, "Re-Referrals", "Kay Prescott",
         "Total number of Rereferrals to social care teams by month. This indicator is to "
         "ensure that all referrals to Children's Wellbeing are followed up where appropriate. "
         "It is reported in the Children in Need Census.", "To Target",
         "ReReferrals should directly reflect level of demand for statutory responses in the "
         "authority. It should also reflect the confidence of partners to appropriately "
         "identify children who are potentially at risk. The rates should be in line with "
         "authorities experiencing similar levels of deprivation and need.", "to target", True,
         "ytd", "years", CUM, 21.43, (26.14, 25.11), typical_denominator=250,
         comparators={"england": ("2013/14", 23.4), "stat_neighbours": ("2013/14", 23.65),
                      "west_midlands": ("Q4 2014/15", 21.78)}),
    Meta(9, "Referrals to Initial Assessment", "Kay Prescott",
         "Total number of referrals to social care which lead to completion of an initial "
         "assessment.", "N/A", "Looking for highest possible % of referrals to the MASH team "
         "to lead to an initial assessment. This is to ensure that all referrals are relevant "
         "and any unnecessary referrals are limited.", "none", True, "ytd", "years", CUM,
         99.60, (81.70, 68.83), typical_denominator=250,
         comparators={"england": ("2013/14", 86.0), "stat_neighbours": ("2013/14", 62.4),
                      "west_midlands": ("Q4 2014/15", 86.06)}),
    Meta(10, "Initial Assessments Completed", "Kay Prescott",
         "Initial Assessments completed per month.", "N/A", NO_CORRECT, "none", False, "ytd",
         "years", CUM, 192, (None, None), shows_rate=True,
         comparators={"england": ("2013/14", 267.45), "stat_neighbours": ("2013/14", 281.32),
                      "west_midlands": ("Q4 2014/15", 502.45)}),
    Meta(11, "Initial Assessments Completed within 10 Working Days", "Kay Prescott",
         "Percentage of Initial Assessments completed within 10 working days (completed is "
         "when the family has agreed to the assessment and the manager has authorised it)",
         "Higher is Better", "Looking for the highest possible % of Initial Assessments to be "
         "completed within 10 days.", "higher", True, "ytd", "years", CUM, 72.92,
         (70.80, 11.38), target=85, typical_denominator=190,
         comparators={"england": ("2013/14", 69.57), "stat_neighbours": ("2013/14", 56.87),
                      "west_midlands": ("Q4 2014/15", 26.73)}),
    Meta(12, "Core Assessments Completed within 35 Working Days", "Kay Prescott",
         "The indicator measures the percentage of Core Assessments completed within 35 "
         "working days. Core Assessments are in-depth assessments of a child, or children, and "
         "their family, as defined in the Framework for the Assessment of Children in Need and "
         "their Families. They are also the means by which s47 (Child Protection) enquiries are "
         "undertaken following a strategy discussion.", "Higher is Better",
         "Looking for the highest possible % of Core Assessments to be completed within 35 "
         "working days.", "higher", True, "ytd", "years", CUM, None, (None, None),
         typical_denominator=98, comparators=NA),
    Meta(13, "Core Assessments Completed in 61+ Working Days", "Kay Prescott",
         "Core Assessments completed in 61+ working days.", "Lower is Better",
         "Looking for the lowest possible % of Core Assessments to be completed in 61+ working "
         "days. Ideally, all Core Assessments should be completed within 35 working days.",
         "lower", True, "ytd", "years", CUM, 39.80, (15.04, 22.41), typical_denominator=98,
         comparators={"england": ("2013/14", 13.16), "stat_neighbours": ("2013/14", 26.54),
                      "west_midlands": ("2013/14", 19.37)}),
    Meta(14, "Strategy Discussions/Meetings Started", "Paul Meredith",
         "Strategy Discussions started in month.", "N/A", NO_CORRECT, "none", False, None,
         "years", SNAP, 131, (86, 147), comparators=NA),
    Meta(15, "Strategy Discussions/Meetings Leading to Section 47 Investigations",
         "Paul Meredith", "Of the total number of Strategy Discussions that took place in the "
         "month, the total number which went onto s47 Investigations.", "N/A", NO_CORRECT,
         "none", True, "ytd", "years", SNAP, 58.78, (65.12, 54.42), typical_denominator=131,
         comparators={"england": ("2013/14", 124.1), "stat_neighbours": ("2012/13", None),
                      "west_midlands": ("2013/14", 125.8)}),
    Meta(16, "Strategy Discussions/Meetings NOT Leading to Section 47 Investigations",
         "Paul Meredith", "Of the total number of Strategy Discussions that took place in the "
         "month, the total number which did not go onto s47 Investigations.", "N/A",
         NO_CORRECT, "none", True, "ytd", "years", SNAP, 41.22, (34.88, 45.58),
         typical_denominator=131,
         comparators={"england": ("2013/14", None), "stat_neighbours": ("2012/13", None),
                      "west_midlands": ("2013/14", None)}),
    Meta(17, "Number of Children Becoming Subject to a Child Protection Plan in Month",
         "Reg Marriott", "Children subject to a Child Protection Plan during the year.", "N/A",
         "No correct number but the overall number should be viewed in the context of the "
         "overall assessment levels and should be more in line with benchmarks.", "none", False,
         "ytd", "years", SNAP, 36, (None, None), shows_rate=True,
         comparators={"england": ("2013/14", 51.84), "stat_neighbours": ("2013/14", 49.73),
                      "west_midlands": ("2013/14", 55.0)}),
    Meta(18, "Child Protection Plans at Month End", "Reg Marriott",
         "Children subject to a Child Protection Plan during the year.", "N/A",
         "No correct number but the overall number should be viewed in the context of the "
         "overall assessment levels and should be more in line with benchmarks.", "none", False,
         "snapshot", "years", SNAP, 246, (181, 227), shows_rate=True,
         comparators={"england": ("Q2 2014/15", 37.8), "stat_neighbours": ("2013/14", 39.0),
                      "west_midlands": ("Q4 2014/15", 46.71)}),
    Meta(19, "Second or Subsequent Child Protection Plans at Month End", "Reg Marriott",
         "Children becoming the subject of a Child Protection Plan for a second or subsequent "
         "time.", "Lower is Better", "Decrease the number of children becoming subject to a "
         "Child Protection Plan for a subsequent time. Good performance is generally low, "
         "between 10% and 15%. However, a very low level may mean that a local authority is "
         "not submitting some children to a Child Protection Plan who are in need.", "lower",
         True, None, "years", SNAP, 2.03, (0.0, 0.0), typical_denominator=246,
         comparators={"england": ("2013/14", 15.80), "stat_neighbours": (None, 18.53),
                      "west_midlands": ("Q4 2014/15", 9.49)}),
    Meta(20, "Child Protection Plans Open for 2+ Years at Month End", "Reg Marriott",
         "The length of time children are on a Child Protection Plan.", "Lower is Better",
         "Reduce the number of children on a Child Protection Plan for 2+ years. Good "
         "performance is measured by a lower percentage, however some children will need Child "
         "Protection Plans for longer than 2 years and are not necessarily expecting a zero "
         "percentage return.", "lower", True, None, "years", SNAP, 3.25, (0.55, 1.76),
         target=2.30, typical_denominator=246,
         comparators={"england": ("2013/14", 2.60), "stat_neighbours": ("2013/14", 2.7),
                      "west_midlands": ("Q4 2014/15", 2.12)}),
    Meta(21, "Child Protection Visits Within Timescale in Month", "Kay Prescott",
         "Number of Child Protection Visits carried out within timescale in month.",
         "Higher is Better", "Increase the numbers of Child Protection Visits that are being "
         "undertaken within timescale to a level at, or above benchmarks.", "higher", True,
         None, "years", SNAP, 69.33, (95.50, 96.71), target=100, typical_denominator=300,
         comparators={"england": ("2013/14", 58.40), "stat_neighbours": ("2013/14", 69.80),
                      "west_midlands": ("Q2 2014/15", 91.92)}),
    Meta(22, "Initial Child Protection Conferences Held in Month", "Reg Marriott",
         "Initial Child Protection Conferences held in month.", "N/A",
         "Number of ICPCs held in month.", "none", False, None, "years", SNAP, 35, (24, 18),
         comparators={**NA, "west_midlands": ("Q1 2014/15", None)}),
    Meta(23, "Initial Child Protection Conferences Held Within Timescale in Month",
         "Reg Marriott", "Initial Child Protection Conferences within 15 working days of start "
         "of Section 47 Enquiry.", "Higher is Better", "All ICPCs should be completed within "
         "15 days of the strategy discussion which initiated the investigation.", "higher", True,
         None, "years", SNAP, 82.86, (95.83, 100.0), target=100, typical_denominator=30,
         comparators={"england": ("2013/14", 70.0), "stat_neighbours": ("2013/14", 67.5),
                      "west_midlands": ("Q1 2014/15", 90.79)}),
    Meta(24, "Review Child Protection Conferences Held in Month", "Reg Marriott",
         "Review Child Protection Conferences held in month.", "N/A",
         "Number of RCPCs held in month.", "none", False, None, "years", SNAP, 83, (72, 70),
         comparators={**NA, "west_midlands": ("Q1 2014/15", None)}),
    Meta(25, "Review Child Protection Conferences Held Within Timescale in Month",
         "Reg Marriott", "Review Child Protection Conferences within 90 days of ICPC or 180 "
         "days from last RCPC.", "Higher is Better", "All RCPCs should be completed within 90 "
         "days of the ICPC, or 180 days from the last RCPC.", "higher", True, None, "years",
         SNAP, 87.95, (100.0, 100.0), target=100, typical_denominator=80,
         comparators={"england": ("2013/14", 96.20), "stat_neighbours": ("2012/13", 96.70),
                      "west_midlands": ("2013/14", None)}),
    Meta(26, "Looked After Children at Month End", "Jo King",
         "Number of children in care on the last day of the month.", "N/A",
         "No correct number but the overall number should be viewed in the context of the "
         "overall levels of demand for statutory intervention.", "none", False, "snapshot",
         "years", SNAP, 299, (275, 230),
         comparators={"england": ("2014/15", 69.5), "stat_neighbours": ("2014/15", 50.0),
                      "west_midlands": ("2014/15", 74.85)}),
    Meta(27, "Looked After Children Visits Within Timescale in Month", "Jo King",
         "Number of Looked After Children Visits which were carried out within timescale in "
         "month.", "Higher is Better", "Increase the numbers of Looked After Children Visits "
         "that are being undertaken within timescale to a level at, or above benchmarks.",
         "higher", True, "month", "years", SNAP, 98.27, (89.82, 77.83), target=100,
         typical_denominator=170, comparators=NA),
    Meta(28, "Looked After Children Reviews in Month", "Reg Marriott",
         "Number of Looked After Children Reviews held in month.", "N/A",
         "Increase the numbers of Looked After Children Reviews that are being undertaken "
         "within timescale to a level at, or above benchmarks.", "none", False, "ytd", "years",
         SNAP, 89, (81, 73), comparators=NA),
    Meta(29, "Looked After Children Reviews Within Timescale in Month", "Reg Marriott",
         "Number of Looked After Children Reviews held within timescale in month.",
         "Higher is Better", "Increase the numbers of Looked After Children Reviews that are "
         "being undertaken within timescale to a level at, or above benchmarks.", "higher",
         True, "ytd", "years", SNAP, 93.26, (79.27, 86.30), target=100, typical_denominator=85,
         comparators=NA),
]}

# Counts published for count indicators that have no printed previous value
# (their previous values are printed as rates): anchors only.
COUNT_ANCHORS: dict[int, dict[date, int]] = {
    10: {LAST_MONTH: 192, date(2014, 10, 31): 180, date(2013, 10, 31): 150},
    17: {LAST_MONTH: 36, date(2014, 10, 31): 25, date(2013, 10, 31): 30},
    18: {LAST_MONTH: 246, date(2014, 10, 31): 181, date(2013, 10, 31): 227},
}

# The denominators published (or implied) for Oct-15 where the report shows them.
OCT15_DENOMINATORS = {6: 516, 7: 516, 8: 252, 9: 252, 12: 98, 13: 98, 15: 131, 16: 131,
                      19: 246, 20: 246, 23: 35, 25: 83, 29: 89}
# Exact small numerators the disclosure tests rely on.
FIXED_PERCENT_CELLS: dict[tuple[int, date], tuple[int, int]] = {
    (12, LAST_MONTH): (3, 98),
    (20, date(2014, 10, 31)): (1, 181),
    (20, date(2013, 10, 31)): (3, 170),
    (19, date(2014, 10, 31)): (0, 181),
    (19, date(2013, 10, 31)): (0, 170),
    (6, date(2013, 10, 31)): (0, 472),
}

SOURCES: list[tuple[str, str, int, int, int, int]] = [
    # code, label, Oct-15 contacts, progressed, Sep-15 contacts, progressed
    ("6", "Police", 241, 76, 180, 58),
    ("2A", "Schools", 93, 55, 49, 22),
    ("5A", "LA services - Social care eg. adults social care", 11, 7, 39, 34),
    ("1A", "Family Member / Relative / Carer", 25, 6, 42, 16),
    ("8", "Other - eg. childrens centres / independent agency", 40, 25, 50, 17),
    ("5C", "External eg. from another LAs", 6, 6, 13, 2),
    ("3E", "Health services - A&E", 9, 2, 5, 1),
    ("4", "Housing or housing association", 1, 1, 7, 4),
    ("2B", "Education Services", 4, 4, 2, 0),
    ("3D", "Health services - Other primary health services", 44, 36, 29, 15),
    ("9", "Anonymous", 15, 9, 22, 7),
    ("3B", "Health services - Health Visitor", 3, 3, 10, 9),
    ("1D", "Other Individuals e.g. strangers / MPs", 0, 0, 0, 0),
    ("3A", "Health services - GP", 14, 13, 4, 0),
    ("1B", "Acquaintance eg. neighbours / child minders", 2, 1, 5, 5),
    ("5B", "LA services - Other internal department eg. youth offending", 6, 6, 1, 1),
    ("3G", "Health Services - 2Gether (Adults)", 0, 0, 0, 0),
    ("3H", "Health Services - 2Gether (CAMHS)", 1, 1, 0, 0),
    ("3F", "Health services - Other eg. hospice", 0, 0, 0, 0),
    ("3C", "Health services - School Nurse", 0, 0, 0, 0),
    ("1C", "Self", 1, 1, 3, 1),
    ("10", "Unknown", 0, 0, 0, 0),
]

# Breakdown dimensions and categories (category codes as in the extracts).
# Dimensions and categories as seeds/breakdown_categories.csv and
# int_indicators__breakdown_counts define them (localities are found, not listed).
LOCALITIES = ["Bromyard", "Hereford North City", "Hereford South City", "Kington",
              "Ledbury", "Leominster", "Ross-on-Wye"]
LEAD_PROFESSIONALS = ["SCHOOL", "EARLY_YEARS", "HEALTH", "MAG", "CHILDRENS_CENTRE", "OTHER"]
BREAKDOWNS: dict[int, dict[str, list[str]]] = {
    1: {"activity": ["started", "closed", "open at month end"]},
    2: {"step_down": ["Y", "N"],
        "social_care_involvement": ["Y", "N"],
        "lead_professional_agency": LEAD_PROFESSIONALS,
        "step_down_lead_professional_agency": LEAD_PROFESSIONALS,
        "locality": LOCALITIES,
        "step_down_locality": LOCALITIES},
    3: {"closure_reason": ["NEEDS_MET", "STEP_UP", "DISENGAGED", "MOVED_AWAY", "OTHER"],
        "duration_band": ["0-3 months", "3-6 months", "6-12 months", "12+ months"]},
    7: {"referral_outcome": ["ASSESSMENT", "NFA", "SIGNPOSTED", "EARLY_HELP", "OTHER"]},
    10: {"outcome": ["NFA", "CIN", "CA", "S47", "LAC", "EARLY_HELP", "OTHER"]},
    16: {"outcome": ["S47", "CIN", "NFA", "EARLY_HELP", "OTHER"]},
    18: {"category": ["NEG", "PHY", "SAB", "EMO", "MUL"]},
    23: {"outcome": ["PLAN", "NO_PLAN", "CONTINUE", "END"]},
    25: {"outcome": ["PLAN", "NO_PLAN", "CONTINUE", "END"]},
}
BREAKDOWN_WEIGHTS: dict[str, list[float]] = {
    "outcome7": [0.8, 0.1, 0.05, 0.04, 0.01],
    "outcome10": [0.35, 0.3, 0.15, 0.1, 0.03, 0.05, 0.02],
    "outcome16": [0.0, 0.45, 0.35, 0.15, 0.05],
    "category": [0.5, 0.12, 0.06, 0.22, 0.1],
    "outcome23": [0.85, 0.15, 0.0, 0.0],
    "outcome25": [0.0, 0.0, 0.8, 0.2],
    "lead_professional_agency": [0.8, 0.05, 0.05, 0.05, 0.03, 0.02],
    "locality": [0.08, 0.3, 0.2, 0.05, 0.1, 0.15, 0.12],
    "closure_reason": [0.35, 0.35, 0.15, 0.1, 0.05],
    "duration_band": [0.2, 0.35, 0.3, 0.15],
}


# --------------------------------------------------------------------------
# series
# --------------------------------------------------------------------------

def _walk(rng: random.Random, anchors: dict[date, float], lo: float, hi: float,
          spread: float) -> dict[date, float]:
    """A value per month passing through the anchors, wobbling in between."""
    ms = months()
    known = sorted(anchors.items())
    out: dict[date, float] = {}
    for m in ms:
        if m in anchors:
            out[m] = anchors[m]
            continue
        before = [(d, v) for d, v in known if d < m]
        after = [(d, v) for d, v in known if d > m]
        # the nearest anchor in time (a series keeps its level between the
        # published months rather than drifting from one to the next)
        nearest = min(known, key=lambda item: (abs((item[0] - m).days), item[0] < m))
        base = nearest[1]
        if before and after and (after[0][0] - m).days < 100 and (m - before[-1][0]).days < 100:
            (d0, v0), (d1, v1) = before[-1], after[0]
            base = v0 + (v1 - v0) * (m - d0).days / (d1 - d0).days
        out[m] = min(hi, max(lo, base + rng.gauss(0, spread)))
    return out


def _ratio(rng: random.Random, pct: float, denominator: int) -> tuple[int, int]:
    """A numerator / denominator pair near the denominator giving pct at 2 dp."""
    for delta in range(0, max(10, denominator // 5)):
        for d in (denominator + delta, denominator - delta):
            if d <= 0:
                continue
            n = round(pct * d / 100)
            if 0 <= n <= d and round(n / d * 100, 2) == round(pct, 2):
                return n, d
    d = max(denominator, 1)
    return min(d, max(0, round(pct * d / 100))), d


def _count_series(rng: random.Random, meta: Meta) -> dict[date, int]:
    anchors: dict[date, float] = {}
    if meta.code in COUNT_ANCHORS:
        anchors.update({d: float(v) for d, v in COUNT_ANCHORS[meta.code].items()})
    else:
        anchors[LAST_MONTH] = float(meta.value or 0)
        if meta.previous_rule == "years":
            prev_months = [add_months(LAST_MONTH, -12), add_months(LAST_MONTH, -24)]
        else:
            prev_months = [add_months(LAST_MONTH, -1), add_months(LAST_MONTH, -2)]
        for d, v in zip(prev_months, meta.previous, strict=True):
            if v is not None:
                anchors[d] = float(v)
    level = anchors[LAST_MONTH]
    walk = _walk(rng, anchors, 0, level * 3 + 10, max(1.0, level * 0.08))
    return {d: round(v) for d, v in walk.items()}


def _percent_series(rng: random.Random, meta: Meta,
                    denominators: dict[date, int]) -> dict[date, tuple[int, int]]:
    anchors: dict[date, float] = {}
    if meta.value is not None:
        anchors[LAST_MONTH] = meta.value
    else:
        anchors[LAST_MONTH] = 20.0
    for d, v in zip([add_months(LAST_MONTH, -12), add_months(LAST_MONTH, -24)], meta.previous,
                    strict=True):
        if v is not None:
            anchors[d] = v
    walk = _walk(rng, anchors, 0, 100, 3.0)
    out: dict[date, tuple[int, int]] = {}
    for d, pct in walk.items():
        if (meta.code, d) in FIXED_PERCENT_CELLS:
            out[d] = FIXED_PERCENT_CELLS[(meta.code, d)]
            continue
        if d == LAST_MONTH and meta.code in OCT15_DENOMINATORS:
            den = OCT15_DENOMINATORS[meta.code]
        else:
            den = denominators.get(d) or meta.typical_denominator or 100
        out[d] = _ratio(rng, pct, den)
    return out


@dataclass
class Row:
    code: int
    period_end: date
    value: float | None
    numerator: int | None
    denominator: int | None
    rate: float | None = None
    rate_numerator: int | None = None


def _ytd(series: dict[date, int], d: date, year_start_month: int = 1) -> int:
    return sum(v for m, v in series.items()
               if m <= d and (m.year, m.month) >= _year_start(d, year_start_month))


def _year_start(d: date, start_month: int) -> tuple[int, int]:
    year = d.year if d.month >= start_month else d.year - 1
    return year, start_month


def build_values(seed: int = 2015) -> dict[int, dict[date, Row]]:
    rng = random.Random(seed)
    rows: dict[int, dict[date, Row]] = {}
    contacts = _count_series(rng, META[4])
    for code, meta in META.items():
        if code == 5:
            series = contacts
        elif not meta.is_percentage:
            series = _count_series(rng, meta)
        if not meta.is_percentage:
            rows[code] = {d: Row(code, d, float(v), v, None) for d, v in series.items()}
            continue
        denominators = contacts if code in (6, 7) else {}
        ratios = _percent_series(rng, meta, denominators)
        rows[code] = {
            d: Row(code, d, (n / den * 100) if den else None, n, den)
            for d, (n, den) in ratios.items()
        }
    # code 16 is the complement of code 15
    rows[16] = {d: Row(16, d, ((r.denominator - r.numerator) / r.denominator * 100)
                       if r.denominator else None,
                       (r.denominator or 0) - (r.numerator or 0), r.denominator)
                for d, r in rows[15].items()}
    _add_rates(rows)
    return rows


def _add_rates(rows: dict[int, dict[date, Row]]) -> None:
    for code, meta in META.items():
        basis = meta.rate_basis
        if basis is None:
            continue
        nums = {d: (r.numerator or 0) for d, r in rows[code].items()}
        for d, r in rows[code].items():
            n = nums[d] if basis in ("snapshot", "month") else _ytd(nums, d)
            population = CAF_DENOMINATOR if code == 1 else POPULATION
            r.rate_numerator = n
            r.rate = n / population * 10000


# --------------------------------------------------------------------------
# writing the marts
# --------------------------------------------------------------------------

DDL = """
create schema if not exists marts;
create or replace table marts.indicator_values (
    indicator_code INTEGER, period_end DATE, value DOUBLE, numerator BIGINT,
    denominator BIGINT, rate_per_10k DOUBLE, rate_numerator BIGINT, is_percentage BOOLEAN);
create or replace table marts.contacts_by_agency (
    period_end DATE, report_order INTEGER, source_code VARCHAR, source_label VARCHAR,
    contacts BIGINT, pct_of_contacts DOUBLE, progressed BIGINT, pct_progressed DOUBLE);
create or replace table marts.indicator_breakdowns (
    indicator_code INTEGER, period_end DATE, dimension VARCHAR, category VARCHAR,
    category_order INTEGER, count BIGINT);
create or replace table marts.indicator_report (
    indicator_code INTEGER, period_end DATE, indicator_name VARCHAR,
    responsible_officer VARCHAR, full_description_template VARCHAR, measure VARCHAR,
    indicator_guide VARCHAR, polarity VARCHAR, is_percentage BOOLEAN, value DOUBLE,
    numerator BIGINT, denominator BIGINT, rate_per_10k DOUBLE, rate_basis VARCHAR,
    previous_rule VARCHAR, previous_shows_rate BOOLEAN,
    previous_1_period_end DATE, previous_1_value DOUBLE, previous_2_period_end DATE,
    previous_2_value DOUBLE, direction VARCHAR, direction_is_improvement BOOLEAN,
    target DOUBLE, assessment VARCHAR, measure_period VARCHAR);
create or replace table marts.indicator_comparators (
    indicator_code INTEGER, comparator VARCHAR, comparator_name VARCHAR,
    display_order INTEGER, period_label VARCHAR, value DOUBLE);
"""

# The comparator areas (as seeds/comparator_areas.csv): key, name, display order.
AREAS = (("england", "England", 1), ("stat_neighbours", "Statistical Neighbours", 2),
         ("west_midlands", "West Midlands", 3))


def _agency_rows(rng: random.Random, contacts: dict[date, int]) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    weights = [s[2] + s[4] + 1 for s in SOURCES]
    for d, total in contacts.items():
        if d == LAST_MONTH:
            cells = [(s[2], s[3]) for s in SOURCES]
        elif d == add_months(LAST_MONTH, -1):
            cells = [(s[4], s[5]) for s in SOURCES]
        else:
            counts = [0] * len(SOURCES)
            for i in rng.choices(range(len(SOURCES)), weights=weights, k=total):
                counts[i] += 1
            cells = [(c, sum(rng.random() < 0.45 for _ in range(c))) for c in counts]
        month_total = sum(c for c, _ in cells)
        for order, ((code, lab, *_), (c, p)) in enumerate(zip(SOURCES, cells, strict=True), 1):
            out.append((d, order, code, lab, c, c / month_total * 100 if month_total else None,
                        p, p / c * 100 if c else None))
    return out


def _split(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    counts = [0] * len(weights)
    for i in rng.choices(range(len(weights)), weights=weights, k=max(total, 0)):
        counts[i] += 1
    return counts


def _breakdown_rows(rng: random.Random,
                    values: dict[int, dict[date, Row]]) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    caf_started = {d: max(0, round(25 + rng.gauss(0, 6))) for d in months()}
    caf_started[LAST_MONTH] = 36
    caf_started[add_months(LAST_MONTH, -1)] = 16
    for code, dims in BREAKDOWNS.items():
        for dim, cats in dims.items():
            for d in months():
                if code == 1:
                    counts = [caf_started[d], int(values[3][d].numerator or 0),
                              int(values[1][d].numerator or 0)]
                elif code == 2 and dim == "step_down":
                    sd = int(values[2][d].numerator or 0)
                    counts = [sd, max(0, caf_started[d] - sd)]
                elif code == 2 and dim == "social_care_involvement":
                    involved = min(caf_started[d], round(caf_started[d] * 0.6))
                    counts = [involved, caf_started[d] - involved]
                    if d == LAST_MONTH:
                        counts = [22, 14]
                elif code == 2:
                    base = dim.removeprefix("step_down_")
                    total = (int(values[2][d].numerator or 0) if dim.startswith("step_down_")
                             else caf_started[d])
                    counts = _split(rng, total, BREAKDOWN_WEIGHTS[base])
                    if d == LAST_MONTH:
                        counts = {
                            "locality": [2, 12, 6, 4, 4, 5, 3],
                            "step_down_locality": [0, 7, 2, 3, 0, 1, 1],
                            "lead_professional_agency": [33, 0, 1, 2, 0, 0],
                            "step_down_lead_professional_agency": [12, 0, 0, 2, 0, 0],
                        }[dim]
                elif code == 3:
                    counts = _split(rng, int(values[3][d].numerator or 0),
                                    BREAKDOWN_WEIGHTS[dim])
                    if d == LAST_MONTH and dim == "closure_reason":  # as published
                        counts = [25, 17, 2, 1, 1]
                    if d == LAST_MONTH and dim == "duration_band":
                        counts = [9, 16, 13, 8]
                elif code == 7:
                    referrals = int(values[8][d].denominator or 0)
                    counts = _split(rng, referrals, BREAKDOWN_WEIGHTS["outcome7"])
                elif code == 16:
                    counts = _split(rng, int(values[16][d].numerator or 0),
                                    BREAKDOWN_WEIGHTS["outcome16"])
                elif code == 18:
                    counts = _split(rng, int(values[18][d].numerator or 0),
                                    BREAKDOWN_WEIGHTS["category"])
                elif code in (10, 23, 25):
                    total = int(values[code][d].numerator or 0) if code == 10 else int(
                        values[code][d].denominator or 0)
                    counts = _split(rng, total, BREAKDOWN_WEIGHTS[f"outcome{code}"])
                else:  # pragma: no cover
                    raise AssertionError(code)
                for order, (cat, n) in enumerate(zip(cats, counts, strict=True), 1):
                    out.append((code, d, dim, cat, order, n))
    return out


def _direction(meta: Meta, now: float | None, before: float | None
               ) -> tuple[str | None, bool | None]:
    if now is None or before is None:
        return None, None
    now_r, before_r = round(now, 2), round(before, 2)
    direction = "up" if now_r > before_r else "down" if now_r < before_r else "level"
    if meta.polarity == "higher":
        return direction, direction == "up" if direction != "level" else None
    if meta.polarity == "lower":
        return direction, direction == "down" if direction != "level" else None
    return direction, None


def _assessment(meta: Meta, value: float | None) -> str | None:
    if meta.target is None or value is None:
        return None
    gap = value - meta.target if meta.polarity == "lower" else meta.target - value
    if gap <= 0:
        return "met"
    return "close" if gap <= ASSESSMENT_MARGIN else "not met"


def _report_rows(values: dict[int, dict[date, Row]]) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for code, meta in META.items():
        for d, row in values[code].items():
            if meta.previous_rule == "years":
                prev = [add_months(d, -12), add_months(d, -24)]
            else:
                prev = [add_months(d, -1), add_months(d, -2)]
            prev_vals: list[float | None] = []
            for p in prev:
                pr = values[code].get(p)
                if pr is None:
                    prev_vals.append(None)
                elif meta.shows_rate:
                    prev_vals.append(pr.rate)
                else:
                    prev_vals.append(pr.value)
            last_year = values[code].get(add_months(d, -12))
            direction, improvement = _direction(meta, row.value,
                                                last_year.value if last_year else None)
            if meta.polarity == "none":
                improvement = None
            name = meta.name
            description = meta.description  # a template, as the catalogue holds it
            if code in (1, 2, 3):
                description = description.replace("31 October 2015", "{period_end}")
            out.append((
                code, d, name, meta.officer, description, meta.measure, meta.guide,
                meta.polarity, meta.is_percentage, row.value, row.numerator, row.denominator,
                row.rate, meta.rate_basis, meta.previous_rule, meta.shows_rate,
                prev[0], prev_vals[0], prev[1], prev_vals[1], direction,
                improvement, meta.target, _assessment(meta, row.value), meta.period,
            ))
    return out


def _comparator_rows() -> list[tuple[Any, ...]]:
    """marts.indicator_comparators: every indicator and area (N/A where none)."""
    return [(code, key, name, order, *meta.comparators.get(key, (None, None)))
            for code, meta in META.items() for key, name, order in AREAS]


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple[Any, ...]]) -> None:
    """Many rows per statement (executemany is slow in DuckDB)."""
    if not rows:
        return
    width = len(rows[0])
    one = "(" + ", ".join(["?"] * width) + ")"
    for start in range(0, len(rows), 200):
        chunk = rows[start:start + 200]
        con.execute(f"insert into {table} values " + ", ".join([one] * len(chunk)),
                    [cell for row in chunk for cell in row])


def build_fixture(path: Path, seed: int = 2015) -> Path:
    """Write the five marts into a new DuckDB file at ``path``."""
    path = Path(path)
    if path.exists():
        path.unlink()
    rng = random.Random(seed + 1)
    values = build_values(seed)
    con = duckdb.connect(str(path))
    try:
        con.execute(DDL)
        _insert(con, "marts.indicator_values", [
            (r.code, r.period_end, r.value, r.numerator, r.denominator, r.rate,
             r.rate_numerator, META[r.code].is_percentage)
            for series in values.values() for r in series.values()
        ])
        contacts = {d: int(r.numerator or 0) for d, r in values[4].items()}
        _insert(con, "marts.contacts_by_agency", _agency_rows(rng, contacts))
        _insert(con, "marts.indicator_breakdowns", _breakdown_rows(rng, values))
        _insert(con, "marts.indicator_report", _report_rows(values))
        _insert(con, "marts.indicator_comparators", _comparator_rows())
    finally:
        con.close()
    return path


if __name__ == "__main__":  # pragma: no cover
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "report-fixture.duckdb")
    print(build_fixture(target))
