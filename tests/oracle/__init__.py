"""An independent reference implementation ("oracle") of the 29 indicators.

Written straight from /work/shared/spec/indicators.md and extracts.md, in
plain Python, to cross-check the dbt marts and the demo generator's
calibration. See README.md for how each ambiguous rule is read.
"""

from .indicators import AgencyRow, IndicatorValue, Results, compute, compute_from_tables
from .workdays import WorkingDays

__all__ = [
    "AgencyRow",
    "IndicatorValue",
    "Results",
    "WorkingDays",
    "compute",
    "compute_from_tables",
]
