"""Code lists both profiles draw from."""

from __future__ import annotations

# Herefordshire's early-help localities (caf_episodes.LOCALITY)
LOCALITIES = (
    "Hereford North City",
    "Hereford South and West",
    "Leominster",
    "Ledbury",
    "Ross-on-Wye",
    "Kington",
    "Bromyard",
    "Golden Valley",
)
# Categories of abuse of a child protection plan and their shares
CP_CATEGORIES = ("NEG", "EMO", "PHY", "SAB", "MUL")
CP_CATEGORY_P = (0.45, 0.3, 0.12, 0.06, 0.07)
