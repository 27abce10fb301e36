"""Monthly targets of the demo profile: pinned figures and smooth free months.

``build_plan`` turns ``herefordshire_2015.yml`` into one dict of whole-number
targets per month (2011-01 .. 2015-11). Pinned months take the YAML's
values; free months get ``level(year) x seasonality(month) x (1 + noise)``
(seeded); year-to-date totals are spread exactly over the free months of
January-October of their year (largest remainder). Stocks (plans, children
looked after, CAFs open) follow anchor points with linear interpolation.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from cscperf.calendar import Month, month_key, months_between, parse_month

from .plan import Plan, distribute, interpolate, load_config

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
LATE_SHARES = (
    "cp_visit_late_share",
    "lac_visit_late_share",
    "lac_review_late_share",
    "rcpc_late_share",
)


def build_plan(seed: int) -> Plan:
    """The demo's targets for ``seed``; the sections draw from one stream, in this order."""
    b = _Targets(load_config(), np.random.default_rng([seed, 101]))
    b.front_door()
    b.front_door_ytd()
    b.initial_assessments()
    b.core_assessments()
    b.strategy_discussions()
    b.plan_starters()
    b.conferences()
    b.stocks()
    b.caf_starts()
    b.caf_closes()
    b.lac_reviews()
    b.timeliness()
    b.check()
    log.debug("targets built for %d months", len(b.months))
    return Plan(months=b.months, values=b.v, shares=b.s, config=b.config, pinned=b.pinned)


class _Targets:
    """The targets being built: values ``v`` and shares ``s`` per month."""

    def __init__(self, config: dict[str, Any], rng: np.random.Generator) -> None:
        self.config = config
        self.rng = rng
        self.months = months_between(FIRST_MONTH, LAST_MONTH)
        self.pinned = {parse_month(k): g for k, g in config["pinned"].items()}
        self.ytd = config["ytd"]
        self.v: dict[Month, dict[str, int]] = {m: {} for m in self.months}
        self.s: dict[Month, dict[str, float]] = {m: {} for m in self.months}

    # --- draws and look-ups ---------------------------------------------------
    def level(self, name: str, m: Month) -> float:
        return float(self.config["levels"][name][m[0]])

    def smooth(self, name: str, m: Month, sd: float = 0.05) -> float:
        season = self.config["seasonality"]
        return self.level(name, m) * season[m[1] - 1] * (1.0 + self.rng.normal(0.0, sd))

    def share(self, name: str, m: Month, sd: float = 0.04) -> float:
        return float(np.clip(self.level(name, m) * (1.0 + self.rng.normal(0.0, sd)), 0.0, 1.0))

    def pin(self, m: Month, group: str, key: str) -> int | None:
        g = self.pinned.get(m, {}).get(group)
        if isinstance(g, dict):
            return g.get(key)
        if key == "" and g is not None:
            return int(g)
        return None

    def window(self, year: int, last_month: int = 10) -> list[Month]:
        return [m for m in self.months if m[0] == year and m[1] <= last_month]

    def ytd_spread(
        self,
        year: int,
        key: str,
        total: int,
        weight_key: str | None = None,
        cap_key: str | None = None,
        group: str = "",
        pin_key: str = "",
    ) -> None:
        """Spread a year-to-date total over the free months of January-October."""
        v = self.v
        window = self.window(year)
        fixed = [m for m in window if self.pin(m, group, pin_key) is not None]
        free = [m for m in window if m not in fixed]
        rest = total - sum(v[m][key] for m in fixed)
        weights = [float(v[m][weight_key or key]) for m in free]
        caps = [v[m][cap_key] for m in free] if cap_key else None
        for m, part in zip(free, distribute(rest, weights, caps), strict=True):
            v[m][key] = part

    def spread_free(self, key: str, total: int, free: list[Month], window: list[Month]) -> None:
        """Spread ``total`` less the window's other months over ``free``, by weight."""
        v = self.v
        rest = total - sum(v[m][key] for m in window if m not in free)
        for m, part in zip(free, distribute(rest, [v[m][key] for m in free]), strict=True):
            v[m][key] = part

    # --- contacts and referrals -----------------------------------------------
    def front_door(self) -> None:
        pin, share = self.pin, self.share
        for m in self.months:
            c = pin(m, "contacts", "total") or round(self.smooth("contacts", m))
            p = pin(m, "contacts", "progressed")
            if p is None:
                p = round(c * share("progressed_share", m))
            sd = pin(m, "contacts", "same_day")
            if sd is None:
                sd = 0 if m < (2014, 4) else round(c * share("same_day_share", m, 0.01))
            self.v[m].update(contacts=c, referrals=p, same_day=min(sd, c))
            rr = pin(m, "referrals", "rereferrals")
            self.v[m]["rereferrals"] = (
                rr if rr is not None else round(p * share("rereferral_share", m))
            )
            ia = pin(m, "referrals", "with_ia")
            self.v[m]["with_ia"] = (
                ia if ia is not None else min(p, round(p * share("ia_share", m, 0.02)))
            )

    def front_door_ytd(self) -> None:
        v, ytd = self.v, self.ytd
        # headroom: the free months of 2015 must have enough referrals for the YTD
        # number of referrals with an IA (the seeded noise may fall short)
        window = self.window(2015)
        fixed = [m for m in window if self.pin(m, "referrals", "with_ia") is not None]
        need = ytd[2015]["with_ia"] - sum(v[m]["with_ia"] for m in fixed)
        free = [m for m in window if m not in fixed]
        adjustable = [m for m in free if self.pin(m, "contacts", "progressed") is None]
        short = round(need * 1.04) - sum(v[m]["referrals"] for m in free)
        if short > 0:
            weights = [float(v[m]["referrals"]) for m in adjustable]
            for m, extra in zip(adjustable, distribute(short, weights), strict=True):
                v[m]["referrals"] += extra
                v[m]["contacts"] += round(extra / self.level("progressed_share", m))
        for key in ("rereferrals", "with_ia"):
            self.ytd_spread(
                2015, key, ytd[2015][key], cap_key="referrals", group="referrals", pin_key=key
            )

    # --- assessments ----------------------------------------------------------
    def initial_assessments(self) -> None:
        v, ytd, months = self.v, self.ytd, self.months
        for i, m in enumerate(months):
            a = self.pin(m, "ias", "authorised")
            if a is None:
                prev = v[months[i - 1]]["with_ia"] if i else v[m]["with_ia"]
                a = round(0.86 * (prev + v[m]["with_ia"]) / 2 * (1 + self.rng.normal(0, 0.03)))
            v[m]["ia_auth"] = a
        for year in (2013, 2014, 2015):
            total = ytd[year]["ias_authorised"]
            self.ytd_spread(year, "ia_auth", total, group="ias", pin_key="authorised")
        for m in months:
            w = self.pin(m, "ias", "within")
            v[m]["ia_within"] = (
                w
                if w is not None
                else round(v[m]["ia_auth"] * self.share("ia_within_share", m, 0.08))
            )
        self.ytd_spread(
            2015,
            "ia_within",
            ytd[2015]["ias_within"],
            weight_key="ia_within",
            cap_key="ia_auth",
            group="ias",
            pin_key="within",
        )

    def core_assessments(self) -> None:
        v, pin, share = self.v, self.pin, self.share
        for m in self.months:
            n = pin(m, "cas", "authorised") or round(self.smooth("cas", m, 0.06))
            w35 = pin(m, "cas", "within_35")
            o60 = pin(m, "cas", "over_60")
            v[m]["cas"] = n
            v[m]["ca_35"] = w35 if w35 is not None else round(n * share("ca_within_35_share", m))
            v[m]["ca_61"] = o60 if o60 is not None else round(n * share("ca_over_60_share", m))
        self.ytd_spread(2015, "ca_61", self.ytd[2015]["cas_over_60"], group="cas",
                        pin_key="over_60")  # fmt: skip
        for m in self.months:  # keep the three bands consistent after the spread
            v[m]["ca_35"] = min(v[m]["ca_35"], v[m]["cas"] - v[m]["ca_61"])

    # --- child protection -----------------------------------------------------
    def strategy_discussions(self) -> None:
        v, ytd = self.v, self.ytd
        for m in self.months:
            n = self.pin(m, "sds", "total") or round(self.smooth("sds", m, 0.06))
            w = self.pin(m, "sds", "with_s47")
            v[m]["sd_s47"] = w if w is not None else round(n * self.share("sd_s47_share", m))
            v[m]["sd_no_s47"] = n - v[m]["sd_s47"]
        self.ytd_spread(2015, "sd_s47", ytd[2015]["sds_with_s47"], group="sds",
                        pin_key="with_s47")  # fmt: skip
        self.ytd_spread(2015, "sd_no_s47", ytd[2015]["sds_without_s47"], group="sds",
                        pin_key="with_s47")  # fmt: skip
        for m in self.months:
            v[m]["sds"] = v[m]["sd_s47"] + v[m]["sd_no_s47"]

    def plan_starters(self) -> None:
        for m in self.months:
            st = self.pinned.get(m, {}).get("plan_starters")
            if st is None:
                st = BURN_IN_PLAN_STARTERS.get(m) or round(self.smooth("plan_starters", m, 0.08))
            self.v[m]["plan_starters"] = int(st)
        for year in (2013, 2014, 2015):
            window = self.window(year)
            free = [m for m in window if "plan_starters" not in self.pinned.get(m, {})]
            self.spread_free("plan_starters", self.ytd[year]["plan_starters"], free, window)

    def conferences(self) -> None:
        """Transfers in, ICPCs deciding a plan, all ICPCs and those within timescale."""
        v, rng = self.v, self.rng
        for m in self.months:
            tr = self.pinned.get(m, {}).get("transfers_in")
            if tr is None:
                tr = int(m > (2011, 6) and rng.random() < 0.2)
            ic = self.pinned.get(m, {}).get("icpcs")
            plan_icpcs = ic["plan"] if ic else v[m]["plan_starters"] - tr
            if ic and plan_icpcs + tr != v[m]["plan_starters"]:
                tr = v[m]["plan_starters"] - plan_icpcs
            icpcs = ic["total"] if ic else plan_icpcs + int(rng.binomial(max(plan_icpcs, 1), 0.07))
            within = ic["within"] if ic else round(icpcs * self.share("icpc_within_share", m))
            v[m].update(transfers=tr, icpc_plan=plan_icpcs, icpcs=icpcs, icpc_within=within)

    # --- stocks ---------------------------------------------------------------
    def stock(self, anchors: dict[Month, int], group: str, noise: float) -> dict[Month, int]:
        """Month-end stock: pinned points and anchors, interpolated with noise between."""
        points = dict(anchors)
        for m, g in self.pinned.items():
            value = g.get(group)
            if isinstance(value, dict):
                if "open" in value or "total" in value:
                    points[m] = int(value.get("open", value.get("total")))
            elif value is not None:
                points[m] = int(value)
        line = interpolate(points, self.months)
        out = {}
        for m in self.months:
            out[m] = points[m] if m in points else round(line[m] + self.rng.normal(0, noise))
        return out

    def stocks(self) -> None:
        """Plans, children looked after and CAFs open at each month end; care starts."""
        plans_open = self.stock(PLANS_OPEN_ANCHORS, "plans_open", 2.0)
        lac_open = self.stock(LAC_OPEN_ANCHORS, "lac_open", 1.5)
        caf_open = self.stock(CAF_OPEN_ANCHORS, "caf", 3.0)
        for m in self.months:
            v = self.v[m]
            v["plans_open"] = plans_open[m]
            v["lac_open"] = lac_open[m]
            v["caf_open"] = caf_open[m]
            v["lac_starts"] = BURN_IN_LAC_STARTS.get(m) or max(
                4, round(self.smooth("lac_starts", m, 0.15))
            )

    # --- CAFs -----------------------------------------------------------------
    def caf_starts(self) -> None:
        v = self.v
        for m in self.months:
            caf = self.pinned.get(m, {}).get("caf", {})
            v[m]["caf_starts"] = (
                caf.get("starts")
                or BURN_IN_CAF_STARTS.get(m)
                or round(self.smooth("caf_starts", m, 0.1))
            )
        window = self.window(2015)
        free = [m for m in window if "starts" not in self.pinned.get(m, {}).get("caf", {})]
        self.spread_free("caf_starts", self.ytd[2015]["caf_starts"], free, window)
        for m in self.months:
            sd = self.pinned.get(m, {}).get("caf", {}).get("step_down")
            v[m]["caf_step_down"] = (
                sd
                if sd is not None
                else round(v[m]["caf_starts"] * self.share("caf_step_down_share", m, 0.15))
            )

    def caf_closes(self) -> None:
        """Closures follow from the starts and the stock (no draws)."""
        previous = 0
        for m in self.months:
            v = self.v[m]
            closes = previous + v["caf_starts"] - v["caf_open"]
            pinned_closes = self.pinned.get(m, {}).get("caf", {}).get("closes")
            if pinned_closes is not None and closes != pinned_closes:
                raise ValueError(f"CAF stock of {month_key(m)} is inconsistent: {closes}")
            if closes < 0:
                v["caf_open"] += closes
                closes = 0
            v["caf_closes"] = closes
            previous = v["caf_open"]

    # --- reviews and visits ---------------------------------------------------
    def lac_reviews(self) -> None:
        """Pinned months; January-September 2015 share the rest of the YTD totals."""
        v, rng, ytd = self.v, self.rng, self.ytd
        for m in self.months:
            g = self.pinned.get(m, {}).get("lac_reviews")
            if g:
                v[m]["lac_reviews"], v[m]["lac_reviews_within"] = g["total"], g["within"]
        window = self.window(2015, last_month=9)
        weights = [v[m]["lac_open"] * 0.31 * (1 + rng.normal(0, 0.05)) for m in window]
        totals = distribute(ytd[2015]["lac_reviews"] - v[(2015, 10)]["lac_reviews"], weights)
        withins = distribute(
            ytd[2015]["lac_reviews_within"] - v[(2015, 10)]["lac_reviews_within"],
            [t * (1 + rng.normal(0, 0.03)) for t in totals],
            totals,
        )
        for m, t, w in zip(window, totals, withins, strict=True):
            v[m]["lac_reviews"], v[m]["lac_reviews_within"] = t, w

    def timeliness(self) -> None:
        """Pinned timeliness of visits and conferences; late shares of the other months."""
        for m in self.months:
            for group in ("rcpcs", "cp_visits", "lac_visits"):
                g = self.pinned.get(m, {}).get(group)
                if g:
                    self.v[m][group] = g["total"]
                    self.v[m][group + "_within"] = g["within"]
            s = self.s[m]
            for name in LATE_SHARES:
                s[name] = self.share(name, m, 0.2)
            if m[0] == 2015 and 7 <= m[1] <= 9:  # lateness of CP visits builds up to October
                s["cp_visit_late_share"] = 0.12 + 0.05 * (m[1] - 6)

    def check(self) -> None:
        for m in self.months:
            for key, value in self.v[m].items():
                if value < 0:
                    raise ValueError(f"negative target {key} in {month_key(m)}")


__all__ = ["AS_AT_MONTH", "FIRST_MONTH", "LAST_MONTH", "build_plan"]
