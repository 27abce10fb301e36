"""Monthly targets of the demo profile: pinned figures and smooth free months.

``build_plan`` turns ``herefordshire_2015.yml`` into one dict of whole-number
targets per month (2011-01 .. 2015-11). Pinned months take the YAML's
values; free months get ``level(year) x seasonality(month) x (1 + noise)``
(seeded); year-to-date totals are spread exactly over the free months of
January-October of their year (largest remainder). Stocks (plans, children
looked after, CAFs open) follow anchor points with linear interpolation.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from typing import Any

import numpy as np
import yaml

from cscperf.calendar import Month, month_key, months_between, next_month, parse_month

log = logging.getLogger("cscperf.generator")

FIRST_MONTH: Month = (2011, 1)
LAST_MONTH: Month = (2015, 11)  # November 2015: records after the as-at date
AS_AT_MONTH: Month = (2015, 10)

# Stock anchors of the free months (open at month end); pinned months are added.
PLANS_OPEN_ANCHORS = {(2011, 1): 60, (2011, 2): 130, (2011, 3): 190, (2011, 12): 205,
                      (2012, 6): 214, (2012, 12): 220, (2013, 5): 232, (2014, 3): 205,
                      (2015, 3): 215, (2015, 11): 246}  # fmt: skip
LAC_OPEN_ANCHORS = {(2011, 1): 120, (2011, 2): 175, (2011, 3): 195, (2011, 12): 205,
                    (2012, 12): 216, (2015, 11): 300}  # fmt: skip
CAF_OPEN_ANCHORS = {(2011, 1): 110, (2011, 2): 200, (2011, 3): 270, (2011, 12): 400,
                    (2012, 12): 480, (2013, 12): 530, (2014, 12): 560, (2015, 3): 540,
                    (2015, 11): 480}  # fmt: skip
# Burn-in: the system went live in January 2011, so its first months start
# the children already on plans, in care and with CAFs.
BURN_IN_PLAN_STARTERS = {(2011, 1): 60, (2011, 2): 75, (2011, 3): 65}
BURN_IN_LAC_STARTS = {(2011, 1): 120, (2011, 2): 60, (2011, 3): 25}
BURN_IN_CAF_STARTS = {(2011, 1): 110, (2011, 2): 95, (2011, 3): 80}


@dataclass
class Plan:
    """Whole-number targets per month, plus the YAML for the details."""

    months: list[Month]
    values: dict[Month, dict[str, int]]
    shares: dict[Month, dict[str, float]]
    config: dict[str, Any]
    pinned: dict[Month, dict[str, Any]] = field(default_factory=dict)

    def get(self, month: Month, key: str, default: int | None = None) -> int | None:
        return self.values.get(month, {}).get(key, default)

    def pin(self, month: Month, group: str) -> dict[str, Any] | None:
        return self.pinned.get(month, {}).get(group)


def load_config() -> dict[str, Any]:
    text = resources.files("cscperf.generator.demo").joinpath("herefordshire_2015.yml").read_text()
    return yaml.safe_load(text)


def distribute(total: int, weights: list[float], caps: list[int] | None = None) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), each
    part at most its cap."""
    n = len(weights)
    if n == 0:
        if total:
            raise ValueError(f"cannot place {total} in no months")
        return []
    caps = caps if caps is not None else [10**9] * n
    if total > sum(caps) or total < 0:
        raise ValueError(f"cannot distribute {total} under caps {caps}")
    parts = [0] * n
    remaining = total
    active = [i for i in range(n) if caps[i] > 0]
    while remaining > 0 and active:
        w = np.array([max(weights[i], 1e-9) for i in active])
        exact = w / w.sum() * remaining
        floors = np.floor(exact).astype(int)
        order = np.argsort(-(exact - floors), kind="stable")
        give = floors.copy()
        for k in order[: remaining - int(floors.sum())]:
            give[k] += 1
        for k, i in enumerate(active):
            take = min(int(give[k]), caps[i] - parts[i])
            parts[i] += take
            remaining -= take
        active = [i for i in active if parts[i] < caps[i]]
    if remaining:
        raise ValueError(f"cannot distribute {total} under caps {caps}")
    return parts


def _interpolate(anchors: dict[Month, int], months: list[Month]) -> dict[Month, float]:
    keys = sorted(anchors)
    index = {m: i for i, m in enumerate(months)}
    out = {}
    for m in months:
        if m <= keys[0]:
            out[m] = float(anchors[keys[0]])
            continue
        if m >= keys[-1]:
            out[m] = float(anchors[keys[-1]])
            continue
        for a, b in itertools.pairwise(keys):
            if a <= m <= b:
                t = (index[m] - index[a]) / (index[b] - index[a])
                out[m] = anchors[a] + t * (anchors[b] - anchors[a])
                break
    return out


def build_plan(seed: int) -> Plan:
    config = load_config()
    rng = np.random.default_rng([seed, 101])
    months = months_between(FIRST_MONTH, LAST_MONTH)
    pinned = {parse_month(k): v for k, v in config["pinned"].items()}
    levels = config["levels"]
    season = config["seasonality"]

    def level(name: str, m: Month) -> float:
        return float(levels[name][m[0]])

    def smooth(name: str, m: Month, sd: float = 0.05) -> float:
        return level(name, m) * season[m[1] - 1] * (1.0 + rng.normal(0.0, sd))

    def share(name: str, m: Month, sd: float = 0.04) -> float:
        return float(np.clip(level(name, m) * (1.0 + rng.normal(0.0, sd)), 0.0, 1.0))

    v: dict[Month, dict[str, int]] = {m: {} for m in months}
    s: dict[Month, dict[str, float]] = {m: {} for m in months}

    def pin(m: Month, group: str, key: str) -> int | None:
        g = pinned.get(m, {}).get(group)
        if isinstance(g, dict):
            return g.get(key)
        if key == "" and g is not None:
            return int(g)
        return None

    # --- contacts and referrals -------------------------------------------
    for m in months:
        c = pin(m, "contacts", "total") or round(smooth("contacts", m))
        p = pin(m, "contacts", "progressed")
        if p is None:
            p = round(c * share("progressed_share", m))
        sd = pin(m, "contacts", "same_day")
        if sd is None:
            sd = 0 if m < (2014, 4) else round(c * share("same_day_share", m, 0.01))
        v[m].update(contacts=c, referrals=p, same_day=min(sd, c))
        rr = pin(m, "referrals", "rereferrals")
        v[m]["rereferrals"] = rr if rr is not None else round(p * share("rereferral_share", m))
        ia = pin(m, "referrals", "with_ia")
        v[m]["with_ia"] = ia if ia is not None else min(p, round(p * share("ia_share", m, 0.02)))

    def ytd_spread(
        year: int,
        key: str,
        total: int,
        weight_key: str | None = None,
        cap_key: str | None = None,
        group: str = "",
        pin_key: str = "",
    ) -> None:
        window = [m for m in months if m[0] == year and m[1] <= 10]
        fixed = [m for m in window if pin(m, group, pin_key) is not None]
        free = [m for m in window if m not in fixed]
        rest = total - sum(v[m][key] for m in fixed)
        weights = [float(v[m][weight_key or key]) for m in free]
        caps = [v[m][cap_key] for m in free] if cap_key else None
        for m, part in zip(free, distribute(rest, weights, caps), strict=True):
            v[m][key] = part

    ytd = config["ytd"]
    # headroom: the free months of 2015 must have enough referrals for the YTD
    # number of referrals with an IA (the seeded noise may fall short)
    window = [m for m in months if m[0] == 2015 and m[1] <= 10]
    fixed = [m for m in window if pin(m, "referrals", "with_ia") is not None]
    need = ytd[2015]["with_ia"] - sum(v[m]["with_ia"] for m in fixed)
    free = [m for m in window if m not in fixed]
    adjustable = [m for m in free if pin(m, "contacts", "progressed") is None]
    short = round(need * 1.04) - sum(v[m]["referrals"] for m in free)
    if short > 0:
        weights = [float(v[m]["referrals"]) for m in adjustable]
        for m, extra in zip(adjustable, distribute(short, weights), strict=True):
            v[m]["referrals"] += extra
            v[m]["contacts"] += round(extra / level("progressed_share", m))
    ytd_spread(
        2015,
        "rereferrals",
        ytd[2015]["rereferrals"],
        cap_key="referrals",
        group="referrals",
        pin_key="rereferrals",
    )
    ytd_spread(
        2015,
        "with_ia",
        ytd[2015]["with_ia"],
        cap_key="referrals",
        group="referrals",
        pin_key="with_ia",
    )

    # --- initial assessments ----------------------------------------------
    for i, m in enumerate(months):
        a = pin(m, "ias", "authorised")
        if a is None:
            prev = v[months[i - 1]]["with_ia"] if i else v[m]["with_ia"]
            a = round(0.86 * (prev + v[m]["with_ia"]) / 2 * (1 + rng.normal(0, 0.03)))
        v[m]["ia_auth"] = a
    for year, total in ((2013, ytd[2013]["ias_authorised"]), (2014, ytd[2014]["ias_authorised"]),
                        (2015, ytd[2015]["ias_authorised"])):  # fmt: skip
        ytd_spread(year, "ia_auth", total, group="ias", pin_key="authorised")
    for m in months:
        w = pin(m, "ias", "within")
        v[m]["ia_within"] = (
            w if w is not None else round(v[m]["ia_auth"] * share("ia_within_share", m, 0.08))
        )
    ytd_spread(
        2015,
        "ia_within",
        ytd[2015]["ias_within"],
        weight_key="ia_within",
        cap_key="ia_auth",
        group="ias",
        pin_key="within",
    )

    # --- core assessments ---------------------------------------------------
    for m in months:
        n = pin(m, "cas", "authorised") or round(smooth("cas", m, 0.06))
        w35 = pin(m, "cas", "within_35")
        o60 = pin(m, "cas", "over_60")
        v[m]["cas"] = n
        v[m]["ca_35"] = w35 if w35 is not None else round(n * share("ca_within_35_share", m))
        v[m]["ca_61"] = o60 if o60 is not None else round(n * share("ca_over_60_share", m))
    ytd_spread(2015, "ca_61", ytd[2015]["cas_over_60"], group="cas", pin_key="over_60")
    for m in months:  # keep the three bands consistent after the spread
        v[m]["ca_35"] = min(v[m]["ca_35"], v[m]["cas"] - v[m]["ca_61"])

    # --- strategy discussions ---------------------------------------------
    for m in months:
        n = pin(m, "sds", "total") or round(smooth("sds", m, 0.06))
        w = pin(m, "sds", "with_s47")
        v[m]["sd_s47"] = w if w is not None else round(n * share("sd_s47_share", m))
        v[m]["sd_no_s47"] = n - v[m]["sd_s47"]
    ytd_spread(2015, "sd_s47", ytd[2015]["sds_with_s47"], group="sds", pin_key="with_s47")
    ytd_spread(2015, "sd_no_s47", ytd[2015]["sds_without_s47"], group="sds", pin_key="with_s47")
    for m in months:
        v[m]["sds"] = v[m]["sd_s47"] + v[m]["sd_no_s47"]

    # --- child protection: starters, conferences, stock -------------------
    for m in months:
        st = pinned.get(m, {}).get("plan_starters")
        if st is None:
            st = BURN_IN_PLAN_STARTERS.get(m) or round(smooth("plan_starters", m, 0.08))
        v[m]["plan_starters"] = int(st)
    for year in (2013, 2014, 2015):
        window = [m for m in months if m[0] == year and m[1] <= 10]
        free = [m for m in window if "plan_starters" not in pinned.get(m, {})]
        rest = ytd[year]["plan_starters"] - sum(
            v[m]["plan_starters"] for m in window if m not in free
        )
        for m, part in zip(
            free, distribute(rest, [v[m]["plan_starters"] for m in free]), strict=True
        ):
            v[m]["plan_starters"] = part
    for m in months:
        tr = pinned.get(m, {}).get("transfers_in")
        if tr is None:
            tr = int(m > (2011, 6) and rng.random() < 0.2)
        ic = pinned.get(m, {}).get("icpcs")
        plan_icpcs = ic["plan"] if ic else v[m]["plan_starters"] - tr
        if ic and plan_icpcs + tr != v[m]["plan_starters"]:
            tr = v[m]["plan_starters"] - plan_icpcs
        icpcs = ic["total"] if ic else plan_icpcs + int(rng.binomial(max(plan_icpcs, 1), 0.07))
        within = ic["within"] if ic else round(icpcs * share("icpc_within_share", m))
        v[m].update(transfers=tr, icpc_plan=plan_icpcs, icpcs=icpcs, icpc_within=within)

    def stock(anchors: dict[Month, int], group: str, noise: float) -> dict[Month, int]:
        points = dict(anchors)
        for m, g in pinned.items():
            value = g.get(group)
            if isinstance(value, dict):
                if "open" in value or "total" in value:
                    points[m] = int(value.get("open", value.get("total")))
            elif value is not None:
                points[m] = int(value)
        line = _interpolate(points, months)
        out = {}
        for m in months:
            out[m] = points[m] if m in points else round(line[m] + rng.normal(0, noise))
        return out

    plans_open = stock(PLANS_OPEN_ANCHORS, "plans_open", 2.0)
    lac_open = stock(LAC_OPEN_ANCHORS, "lac_open", 1.5)
    caf_open = stock(CAF_OPEN_ANCHORS, "caf", 3.0)
    for m in months:
        v[m]["plans_open"] = plans_open[m]
        v[m]["lac_open"] = lac_open[m]
        v[m]["caf_open"] = caf_open[m]
        v[m]["lac_starts"] = BURN_IN_LAC_STARTS.get(m) or max(
            4, round(smooth("lac_starts", m, 0.15))
        )

    # --- CAFs ---------------------------------------------------------------
    for m in months:
        caf = pinned.get(m, {}).get("caf", {})
        starts = (
            caf.get("starts") or BURN_IN_CAF_STARTS.get(m) or round(smooth("caf_starts", m, 0.1))
        )
        v[m]["caf_starts"] = starts
    window = [m for m in months if m[0] == 2015 and m[1] <= 10]
    free = [m for m in window if "starts" not in pinned.get(m, {}).get("caf", {})]
    rest = ytd[2015]["caf_starts"] - sum(v[m]["caf_starts"] for m in window if m not in free)
    for m, part in zip(free, distribute(rest, [v[m]["caf_starts"] for m in free]), strict=True):
        v[m]["caf_starts"] = part
    for m in months:
        caf = pinned.get(m, {}).get("caf", {})
        sd = caf.get("step_down")
        v[m]["caf_step_down"] = (
            sd
            if sd is not None
            else round(v[m]["caf_starts"] * share("caf_step_down_share", m, 0.15))
        )
    previous = 0
    for m in months:
        closes = previous + v[m]["caf_starts"] - v[m]["caf_open"]
        pinned_closes = pinned.get(m, {}).get("caf", {}).get("closes")
        if pinned_closes is not None and closes != pinned_closes:
            raise ValueError(f"CAF stock of {month_key(m)} is inconsistent: {closes}")
        if closes < 0:
            v[m]["caf_open"] += closes
            closes = 0
        v[m]["caf_closes"] = closes
        previous = v[m]["caf_open"]

    # --- LAC reviews with YTD targets ---------------------------------------
    for m in months:
        g = pinned.get(m, {}).get("lac_reviews")
        if g:
            v[m]["lac_reviews"], v[m]["lac_reviews_within"] = g["total"], g["within"]
    window = [m for m in months if m[0] == 2015 and m[1] <= 9]
    weights = [v[m]["lac_open"] * 0.31 * (1 + rng.normal(0, 0.05)) for m in window]
    totals = distribute(ytd[2015]["lac_reviews"] - v[(2015, 10)]["lac_reviews"], weights)
    withins = distribute(
        ytd[2015]["lac_reviews_within"] - v[(2015, 10)]["lac_reviews_within"],
        [t * (1 + rng.normal(0, 0.03)) for t in totals],
        totals,
    )
    for m, t, w in zip(window, totals, withins, strict=True):
        v[m]["lac_reviews"], v[m]["lac_reviews_within"] = t, w

    # --- pinned timeliness of visits and conferences ------------------------
    for m in months:
        for group in ("rcpcs", "cp_visits", "lac_visits"):
            g = pinned.get(m, {}).get(group)
            if g:
                v[m][group] = g["total"]
                v[m][group + "_within"] = g["within"]
        for name in (
            "cp_visit_late_share",
            "lac_visit_late_share",
            "lac_review_late_share",
            "rcpc_late_share",
        ):
            s[m][name] = share(name, m, 0.2)
        if m[0] == 2015 and 7 <= m[1] <= 9:  # lateness of CP visits builds up to October
            s[m]["cp_visit_late_share"] = 0.12 + 0.05 * (m[1] - 6)

    for m in months:
        for key, value in v[m].items():
            if value < 0:
                raise ValueError(f"negative target {key} in {month_key(m)}")
    log.debug("targets built for %d months", len(months))
    return Plan(months=months, values=v, shares=s, config=config, pinned=pinned)


def as_at() -> date:
    return date(2015, 10, 31)


__all__ = [
    "AS_AT_MONTH",
    "FIRST_MONTH",
    "LAST_MONTH",
    "Plan",
    "build_plan",
    "distribute",
    "next_month",
]
