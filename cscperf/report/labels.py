"""Words the report prints for codes: breakdown categories, chart titles, the
rate's label (from the rate basis) and the description filled in for the month.

The marts carry category codes as they appear in the extracts (``NEEDS_MET``,
``NEG``...). Unknown codes are printed as they are, so a new code in the data
never breaks the report.
"""

from __future__ import annotations

from datetime import date

from cscperf.report.dates import day_month_year

CATEGORY_LABELS: dict[str, str] = {
    # contacts / referral outcomes
    "REFERRAL": "Referral",
    "ASSESSMENT": "Assessment",
    "NFA": "No further action",
    "ADVICE": "Advice",
    "SIGNPOSTED": "Signposted",
    "EARLY_HELP": "Early help",
    "OTHER": "Other",
    # assessment and strategy discussion outcomes
    "CIN": "Child in need",
    "CA": "Core assessment",
    "S47": "Section 47 enquiry",
    "LAC": "Looked after",
    "ICPC": "Initial conference",
    # conference outcomes
    "PLAN": "Child protection plan",
    "NO_PLAN": "No plan",
    "CONTINUE": "Plan continues",
    "END": "Plan ends",
    # plan categories
    "NEG": "Neglect",
    "PHY": "Physical abuse",
    "SAB": "Sexual abuse",
    "EMO": "Emotional abuse",
    "MUL": "Multiple",
    # CAF
    "NEEDS_MET": "Needs met",
    "STEP_UP": "Stepped up to Social Care",
    "DISENGAGED": "Family disengaged",
    "MOVED_AWAY": "Moved away",
    "SCHOOL": "School",
    "EARLY_YEARS": "Early years",
    "HEALTH": "Health",
    "MAG": "Multi-agency group",
    "CHILDRENS_CENTRE": "Children's centre",
    # code 1 activity
    "started": "Started",
    "closed": "Closed",
    "open at month end": "Open at month end",
}

# Categories whose words depend on the dimension (Y/N flags).
DIMENSION_CATEGORY_LABELS: dict[tuple[str, str], str] = {
    ("step_down", "Y"): "Step-down",
    ("step_down", "N"): "Not step-down",
    ("social_care_involvement", "Y"): "Involved",
    ("social_care_involvement", "N"): "Not involved",
}

DIMENSION_LABELS: dict[str, str] = {
    "activity": "Activity",
    "outcome": "Outcome",
    "referral_outcome": "Referral outcome",
    "social_care_involvement": "Social Care involvement",
    "category": "Category",
    "step_down": "Step-down",
    "lead_professional": "Lead professional",
    "lead_professional_agency": "Lead professional",
    "locality": "Locality",
    "closure_reason": "Reason for closure",
    "duration_band": "Time open at closure",
}

# Chart titles of the original report, by indicator code and dimension
# ("*": any dimension of that code).
BREAKDOWN_TITLES: dict[tuple[int, str], str] = {
    (1, "*"): "CAFs started, closed and open by month",
    (2, "step_down"): "CAFs Started During Month (via Step-Down)",
    (2, "social_care_involvement"): "CAFs Started During Month by Social Care Involvement",
    (2, "lead_professional"): "CAFs Started During Month (via Step-Down and by Lead Professional)",
    (2, "lead_professional_agency"): "CAFs Started During Month (via Step-Down and by Lead"
                                     " Professional)",
    (2, "locality"): "CAFs Started During Month (via Step-Down and by Locality)",
    (3, "closure_reason"): "CAFs Closed During Month by Reason",
    (3, "duration_band"): "Length of Time Open at Point of CAF Closure",
    (7, "*"): "Referrals - Outcomes, by Category - per Month",
    (10, "*"): "Initial Assessments Completed - Outcomes, by Category - per Month",
    (16, "*"): "Strategy Discussions/Meetings NOT Leading to Section 47 Investigations"
               " - Outcomes, by Category - per Month",
    (18, "*"): "Reasons for CPP - by Category - per Month",
    (23, "*"): "ICPCs - Outcomes, by Category - per Month",
    (25, "*"): "RCPCs - Outcomes, by Category - per Month",
}

# How each code's breakdowns are drawn.
#   caf_summary:   bars (started, closed) and a line (open) over 13 months
#   current_month: horizontal bars of this month against last month
#   monthly:       stacked bars per month over 13 months
BREAKDOWN_KIND: dict[int, str] = {
    1: "caf_summary",
    2: "current_month",
    3: "current_month",
}
DEFAULT_BREAKDOWN_KIND = "monthly"

# Codes whose page shows breakdown charts only (no trend), as in the original.
NO_TREND_CODES = frozenset({1, 2, 3, 5})


# The order in which a code's breakdown charts appear.
DIMENSION_ORDER: tuple[str, ...] = (
    "activity", "caf_activity", "step_down", "social_care_involvement", "lead_professional",
    "lead_professional_agency", "locality", "closure_reason", "duration_band",
    "referral_outcome", "outcome", "category",
)

# A dimension "step_down_<d>" counts the step-down starts alone; it is drawn in
# the chart of <d>, beside all starts, rather than as a chart of its own.
PAIRED_PREFIX = "step_down_"
PAIRED_SERIES = ("All CAFs started", "Started via step-down")


def dimension_sort_key(dimension: str) -> tuple[int, str]:
    if dimension in DIMENSION_ORDER:
        return DIMENSION_ORDER.index(dimension), dimension
    return len(DIMENSION_ORDER), dimension


def category_label(code: str | None, dimension: str | None = None) -> str:
    if code is None:
        return "Not recorded"
    if dimension is not None and (dimension, code) in DIMENSION_CATEGORY_LABELS:
        return DIMENSION_CATEGORY_LABELS[(dimension, code)]
    return CATEGORY_LABELS.get(code, code)


def dimension_label(dimension: str) -> str:
    return DIMENSION_LABELS.get(dimension, dimension.replace("_", " ").capitalize())


def breakdown_title(code: int, dimension: str, indicator_name: str) -> str:
    return (
        BREAKDOWN_TITLES.get((code, dimension))
        or BREAKDOWN_TITLES.get((code, "*"))
        or f"{indicator_name} by {dimension_label(dimension).lower()}"
    )


def breakdown_kind(code: int) -> str:
    return BREAKDOWN_KIND.get(code, DEFAULT_BREAKDOWN_KIND)


def rate_label(rate_basis: str | None) -> str:
    """The rate's row label: 'Rate per 10,000 (YTD)' for a ytd basis, else 'Rate per 10,000'."""
    return "Rate per 10,000 (YTD)" if rate_basis == "ytd" else "Rate per 10,000"


DESCRIPTION_PLACEHOLDER = "{period_end}"


def full_description(template: str, period_end: date) -> str:
    """The catalogue's description with its ``{period_end}`` filled in ('31 October 2015')."""
    return template.replace(DESCRIPTION_PLACEHOLDER, day_month_year(period_end))
