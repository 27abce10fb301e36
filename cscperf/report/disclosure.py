"""Disclosure control for reports that leave the council (``publish=True``).

Rules (publish mode only):

- a count from 1 to 4 is shown as ``<5`` (0 is shown: it discloses nobody);
- a percentage or rate derived from such a count, as numerator or
  denominator, is shown as ``[c]`` (the Government Statistical Service symbol
  for "confidential");
- charts leave suppressed points and bars out and say so under the chart.

Internal reports (``publish=False``) show every figure.
"""

from __future__ import annotations

SUPPRESSED_COUNT = "<5"
SUPPRESSED_DERIVED = "[c]"
SMALL_MIN = 1
SMALL_MAX = 4


def is_small(count: float | int | None) -> bool:
    """True for a count that must not be published (1 to 4)."""
    if count is None:
        return False
    return SMALL_MIN <= round(count) <= SMALL_MAX


def any_small(*counts: float | int | None) -> bool:
    return any(is_small(c) for c in counts)


def suppress_count(count: float | int | None, publish: bool) -> bool:
    return publish and is_small(count)


def suppress_derived(publish: bool, *counts: float | int | None) -> bool:
    """Whether a percentage or rate computed from ``counts`` must be hidden."""
    return publish and any_small(*counts)
