"""Made-up name parts for obviously fake children (both profiles)."""

from __future__ import annotations

SYLLABLES = (
    "ba",
    "zo",
    "ki",
    "lu",
    "mer",
    "tan",
    "vo",
    "qui",
    "ra",
    "fen",
    "dol",
    "pix",
    "na",
    "jub",
    "wex",
    "ola",
    "tri",
    "mo",
    "sel",
    "gub",
)
