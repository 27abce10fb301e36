"""The report's colours: one place, used by the charts and the stylesheet.

Colours are chosen to stay distinguishable for the common colour-vision
deficiencies (Okabe-Ito based) and to print acceptably in greyscale, where
line styles (solid, dashed, dotted) carry the year distinction too.
"""

from __future__ import annotations

# brand / layout
NAVY = "#1d3b5c"
TEAL = "#00707a"
INK = "#1f2933"
MUTED = "#5b6770"
RULE = "#d5dbe0"
PANEL = "#f3f5f7"

# status
GOOD = "#1a7f37"
CLOSE = "#b7791f"
BAD = "#c0392b"
NEUTRAL = "#6b7785"

# trend lines: this year, one year earlier, two years earlier
TREND_CURRENT = "#0b5d9e"
TREND_PREVIOUS = "#e07b00"
TREND_EARLIER = "#7f8c8d"
TARGET = "#c0392b"

# categorical series (stacked bars, grouped bars)
CATEGORICAL: tuple[str, ...] = (
    "#0b5d9e",  # blue
    "#e69f00",  # orange
    "#009e73",  # green
    "#cc79a7",  # pink
    "#56b4e9",  # sky
    "#d55e00",  # vermillion
    "#8c6d31",  # brown
    "#999999",  # grey
    "#f0e442",  # yellow
)
# the same, lightened: the comparison month in current-month bar charts
LIGHT = "#a9c7e0"


def category_colour(index: int) -> str:
    return CATEGORICAL[index % len(CATEGORICAL)]


CSS_VARIABLES: dict[str, str] = {
    "navy": NAVY,
    "teal": TEAL,
    "ink": INK,
    "muted": MUTED,
    "rule": RULE,
    "panel": PANEL,
    "good": GOOD,
    "close": CLOSE,
    "bad": BAD,
    "neutral": NEUTRAL,
}
