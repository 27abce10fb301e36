"""Disclosure control for reports that leave the council (``publish=True``).

One public entry point, :func:`apply`, runs ONCE over the report's data before
anything is formatted::

    data = disclosure.apply(read_marts(warehouse, as_at), publish=True)
    data.disclosure.value(code, month)      # None (shown) or "<5" / "[c]"

It returns a copy of the :class:`~cscperf.report.data.MartData` in which

- every suppressed figure is set to ``None`` (so an output that forgets to ask
  can print nothing worse than "N/A"), and
- ``data.disclosure`` (a :class:`Disclosure`) gives the symbol to print in its
  place: ``<5`` for a count of 1 to 4 (primary suppression), ``[c]`` for a
  count hidden so that a ``<5`` cannot be worked out (secondary suppression)
  and for every percentage or rate that depends on a hidden count;
- small localities are merged into "Other localities" and locality
  breakdowns are kept for the reporting month and the month before only.

Every output (the HTML report, the PDF printed from it, the Excel workbook)
must take its figures from the returned data and its symbols from
``data.disclosure``; then all of them make exactly the same decisions.
``publish=False`` (internal reports) returns the figures unchanged, with a
``Disclosure`` that suppresses nothing.

How it decides (docs/disclosure.md has the rules and the route each closes):

1. Every count the report shows or implies is a *cell*: indicator numerators
   and denominators, the complement of a percentage (denominator minus
   numerator), year-to-date rate numerators, breakdown cells and their
   totals, the non-step-down part of a paired breakdown, the agency table's
   contacts, progressed and not-progressed counts and their totals.
2. The arithmetic an outsider can do is written as linear equations between
   cells: totals are sums of their parts, a percentage's denominator is its
   numerator plus its complement, a year-to-date numerator is the sum of the
   months of the year, CAFs open at a month end follow from the month before
   (open + closed = open before + started), and any two series that are equal
   in every month the data holds (a denominator that is another indicator's
   count, code 16's numerator that is code 15's complement, a breakdown total
   that is an indicator's count) are the same figure.
3. Primary suppression: every cell of 1 to 4 (complements included).
4. Rules: a year-to-date rate is hidden when any month of its year is hidden;
   a percentage whose complement is small is hidden.
5. Audit: bounds are propagated through the equations as an attacker would
   (shown cells exact, ``<5`` in 1..4, ``[c]`` counts at least 5, everything
   else at least 0). Whenever a primary cell comes out exact, the smallest
   shown part (a total only when no part is left) on the chain of equations
   that pinned it is suppressed too, and the audit runs again, until no
   primary cell can be worked out.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cscperf.calendar import month_end_after
from cscperf.report.data import AgencyRow, BreakdownCell, MartData, ValuePoint, with_totals

log = logging.getLogger("cscperf.report")

SUPPRESSED_COUNT = "<5"
SUPPRESSED_DERIVED = "[c]"
SMALL_MIN = 1
SMALL_MAX = 4

OTHER_LOCALITIES = "Other localities"
ALL_LOCALITIES = "All localities"  # when every locality had to be merged
# Breakdown dimensions whose categories are free-text place names: small ones
# are merged, and only the reporting month and the month before are published.
LOCALITY_DIMENSIONS = frozenset({"locality", "step_down_locality"})
PAIRED_PREFIX = "step_down_"
# Code 1's stock and flows: open at month end = open the month before + started - closed.
FLOW = (1, "activity", "open at month end", "started", "closed")

PRIMARY = "primary"
SECONDARY = "secondary"

_INF = 10**12
_HUGE = 10**11

Cell = tuple[Any, ...]


def is_small(count: float | int | None) -> bool:
    """True for a count that must not be published (1 to 4)."""
    if count is None:
        return False
    return SMALL_MIN <= round(count) <= SMALL_MAX


# --------------------------------------------------------------------------
# the plan every output consults
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Disclosure:
    """What :func:`apply` decided: the symbol printed instead of each hidden figure.

    Every method returns ``None`` for a figure that is shown, else ``"<5"`` or
    ``"[c]"``. ``status`` maps each hidden cell (see the module docstring) to
    ``"primary"`` or ``"secondary"``; ``unresolved`` lists primary cells the
    audit could not protect (empty unless the data are degenerate).
    """

    publish: bool
    symbols: Mapping[tuple[Any, ...], str] = field(default_factory=dict)
    status: Mapping[Cell, str] = field(default_factory=dict)
    merged_localities: Mapping[tuple[int, str], tuple[str, ...]] = field(default_factory=dict)
    unresolved: tuple[Cell, ...] = ()

    def value(self, code: int, period_end: date) -> str | None:
        """The indicator's value (a count or a percentage) for a month."""
        return self.symbols.get(("value", code, period_end))

    def rate(self, code: int, period_end: date) -> str | None:
        """The rate per 10,000 for a month."""
        return self.symbols.get(("rate", code, period_end))

    def previous(self, code: int, i: int) -> str | None:
        """``previous_<i>_value`` of the code's report row (i = 1, 2)."""
        return self.symbols.get(("previous", code, i))

    def direction_hidden(self, code: int) -> bool:
        return ("direction", code) in self.symbols

    def breakdown(self, code: int, dimension: str, period_end: date,
                  category: str | None) -> str | None:
        return self.symbols.get(("breakdown", code, dimension, period_end, category))

    def breakdown_total(self, code: int, dimension: str, period_end: date) -> str | None:
        return self.symbols.get(("breakdown_total", code, dimension, period_end))

    def agency(self, period_end: date, source_code: str, column: str) -> str | None:
        """column: contacts | pct_of_contacts | progressed | pct_progressed."""
        return self.symbols.get(("agency", period_end, source_code, column))

    def agency_total(self, period_end: date, column: str) -> str | None:
        return self.symbols.get(("agency_total", period_end, column))

    @property
    def primary_cells(self) -> int:
        return sum(1 for s in self.status.values() if s == PRIMARY)

    @property
    def secondary_cells(self) -> int:
        return sum(1 for s in self.status.values() if s == SECONDARY)


# --------------------------------------------------------------------------
# cells and equations
# --------------------------------------------------------------------------

@dataclass
class _Ledger:
    value: dict[Cell, int] = field(default_factory=dict)
    virtual: set[Cell] = field(default_factory=set)  # never printed, only implied
    total: set[Cell] = field(default_factory=set)  # totals: suppressed only as a last resort
    equations: list[list[tuple[Cell, int]]] = field(default_factory=list)
    series: dict[tuple[Any, ...], dict[date, Cell]] = field(default_factory=dict)

    def cell(self, key: Cell, value: int, *, virtual: bool = False, total: bool = False,
             series: tuple[Any, ...] | None = None, month: date | None = None) -> Cell:
        self.value[key] = int(value)
        if virtual:
            self.virtual.add(key)
        if total:
            self.total.add(key)
        if series is not None and month is not None:
            self.series.setdefault(series, {})[month] = key
        return key

    def sum_equation(self, whole: Cell, parts: Iterable[Cell]) -> None:
        parts = list(parts)
        if sum(self.value[p] for p in parts) == self.value[whole]:
            self.equations.append([(whole, 1)] + [(p, -1) for p in parts])
        else:  # not an identity of the data: an outsider could not use it either
            log.debug("disclosure: %s is not the sum of its parts", whole)


def _ytd_start(month: date, year_start_month: int) -> tuple[int, int]:
    year = month.year if month.month >= year_start_month else month.year - 1
    return year, year_start_month


def _rate_basis(data: MartData, code: int) -> str | None:
    row = data.report.get(code) or {}
    basis = row.get("rate_basis")
    return str(basis) if basis else None


def _is_percentage(data: MartData, code: int) -> bool:
    row = data.report.get(code)
    if row is not None:
        return bool(row.get("is_percentage"))
    return any(p.denominator is not None for p in data.values.get(code, {}).values())


def _ledger(data: MartData, year_start_month: int
            ) -> tuple[_Ledger, dict[Cell, list[Cell]]]:
    """Every cell and equation; also the ytd rule (rate cell -> cells of its months)."""
    led = _Ledger()
    ytd_windows: dict[Cell, list[Cell]] = {}
    for code, points in data.values.items():
        pct = _is_percentage(data, code)
        for m, p in points.items():
            n = int(p.numerator or 0) if p.numerator is not None else round(p.value or 0)
            led.cell(("n", code, m), n, series=("n", code), month=m)
            if pct and p.denominator is not None and int(p.denominator) >= n:
                d = int(p.denominator)
                led.cell(("d", code, m), d, total=True, series=("d", code), month=m)
                led.cell(("c", code, m), d - n, virtual=True, series=("c", code), month=m)
                led.sum_equation(("d", code, m), [("n", code, m), ("c", code, m)])
        if _rate_basis(data, code) == "ytd":
            for m, p in points.items():
                if p.rate_numerator is None:
                    continue
                y = led.cell(("y", code, m), int(p.rate_numerator), total=True)
                start = _ytd_start(m, year_start_month)
                window = [k for k in points if k <= m and _ytd_start(k, year_start_month) == start]
                ytd_windows[y] = [("n", code, k) for k in window]
                expected = (start[0] * 12 + start[1] - 1, m.year * 12 + m.month - 1)
                if len(window) == expected[1] - expected[0] + 1:
                    led.sum_equation(y, [("n", code, k) for k in window])
    # breakdowns
    groups: dict[tuple[int, str, date], list[BreakdownCell]] = defaultdict(list)
    for code, cells in data.breakdowns.items():
        for c in cells:
            groups[(code, c.dimension, c.period_end)].append(c)
    for (code, dim, m), cells in groups.items():
        parts = []
        counts: dict[str | None, int] = defaultdict(int)
        for c in cells:
            counts[c.category] += int(c.count or 0)
        for cat, n in counts.items():
            parts.append(led.cell(("b", code, dim, m, cat), n, series=("b", code, dim, cat),
                                  month=m))
        whole = led.cell(("t", code, dim, m), sum(counts.values()), total=True,
                         series=("t", code, dim), month=m)
        led.sum_equation(whole, parts)
    for (code, dim, m) in list(groups):
        sub = (code, PAIRED_PREFIX + dim, m)
        if sub not in groups:
            continue
        every = {k[4]: v for k, v in led.value.items()
                 if k[0] == "b" and k[1:4] == (code, dim, m)}
        part = {k[4]: v for k, v in led.value.items()
                if k[0] == "b" and k[1:4] == (code, PAIRED_PREFIX + dim, m)}
        if any(part.get(cat, 0) > every.get(cat, 0) for cat in part):
            continue
        for cat, n in every.items():
            rest = led.cell(("x", code, dim, m, cat), n - part.get(cat, 0), virtual=True)
            parts = [rest] + ([("b", code, PAIRED_PREFIX + dim, m, cat)] if cat in part else [])
            led.sum_equation(("b", code, dim, m, cat), parts)
    flow_code, flow_dim, stock, inflow, outflow = FLOW
    for (code, dim, m) in list(groups):
        before = month_end_after(m, -1)
        if (code, dim) != (flow_code, flow_dim) or (code, dim, before) not in groups:
            continue
        keys = [("b", code, dim, m, stock), ("b", code, dim, before, stock),
                ("b", code, dim, m, inflow), ("b", code, dim, m, outflow)]
        if all(k in led.value for k in keys):
            now, was, came, went = (led.value[k] for k in keys)
            if now + went == was + came:
                led.equations.append([(keys[0], 1), (keys[3], 1), (keys[1], -1), (keys[2], -1)])
    # contacts by agency
    for m, rows in data.agency.items():
        cs, ps, xs = [], [], []
        for r in rows:
            c = led.cell(("ac", m, r.source_code), int(r.contacts or 0),
                         series=("ac", r.source_code), month=m)
            p = led.cell(("ap", m, r.source_code), int(r.progressed or 0),
                         series=("ap", r.source_code), month=m)
            if led.value[c] >= led.value[p]:
                x = led.cell(("ax", m, r.source_code), led.value[c] - led.value[p],
                             virtual=True)
                led.sum_equation(c, [p, x])
                xs.append(x)
            cs.append(c)
            ps.append(p)
        tc = led.cell(("atc", m), sum(led.value[c] for c in cs), total=True, series=("atc",),
                      month=m)
        tp = led.cell(("atp", m), sum(led.value[p] for p in ps), total=True, series=("atp",),
                      month=m)
        led.sum_equation(tc, cs)
        led.sum_equation(tp, ps)
        if len(xs) == len(rows):
            tx = led.cell(("atx", m), led.value[tc] - led.value[tp], virtual=True)
            led.sum_equation(tx, xs)
            led.sum_equation(tc, [tp, tx])
    _alias_equations(led)
    return led, ytd_windows


def _alias_equations(led: _Ledger) -> None:
    """Two series equal in every month both have (at least two, not all zero) are one."""
    series = [(name, months) for name, months in led.series.items()
              if any(led.value[c] for c in months.values())]
    for i, (_a, ma) in enumerate(series):
        values_a = {m: led.value[c] for m, c in ma.items()}
        for _b, mb in series[i + 1:]:
            common = [m for m in mb if m in values_a]
            if len(common) < 2:
                continue
            if all(values_a[m] == led.value[mb[m]] for m in common) and any(
                    values_a[m] for m in common):
                for m in common:
                    led.equations.append([(ma[m], 1), (mb[m], -1)])


# --------------------------------------------------------------------------
# the audit
# --------------------------------------------------------------------------

def _bounds(led: _Ledger, status: dict[Cell, str]) -> tuple[dict[Cell, int], dict[Cell, int]]:
    lo: dict[Cell, int] = {}
    hi: dict[Cell, int] = {}
    for cell, v in led.value.items():
        s = status.get(cell)
        if cell in led.virtual:
            lo[cell], hi[cell] = 0, _INF
        elif s is None:
            lo[cell] = hi[cell] = v
        elif s == PRIMARY:
            lo[cell], hi[cell] = SMALL_MIN, SMALL_MAX
        else:
            lo[cell], hi[cell] = (SMALL_MAX + 1, _INF) if v > SMALL_MAX else (0, _INF)
    return lo, hi


def _propagate(led: _Ledger, index: dict[Cell, list[int]], lo: dict[Cell, int],
               hi: dict[Cell, int]) -> dict[Cell, int]:
    """Tighten bounds through every equation; returns, per cell, the equation that last
    tightened it."""
    reason: dict[Cell, int] = {}
    queue = deque(range(len(led.equations)))
    queued = set(queue)
    steps = 0
    while queue and steps < 2_000_000:
        steps += 1
        e = queue.popleft()
        queued.discard(e)
        terms = led.equations[e]
        mins = [lo[x] if a > 0 else -hi[x] for x, a in terms]
        maxs = [hi[x] if a > 0 else -lo[x] for x, a in terms]
        smin, smax = sum(mins), sum(maxs)
        for (x, a), mn, mx in zip(terms, mins, maxs, strict=True):
            rest_min, rest_max = smin - mn, smax - mx
            new_lo, new_hi = (-rest_max, -rest_min) if a > 0 else (rest_min, rest_max)
            changed = False
            if new_lo > lo[x] and new_lo < _HUGE:
                lo[x] = new_lo
                changed = True
            if new_hi < hi[x] and new_hi < _HUGE:
                hi[x] = new_hi
                changed = True
            if changed:
                reason[x] = e
                for other in index[x]:
                    if other not in queued:
                        queued.add(other)
                        queue.append(other)
    return reason


def _candidate(led: _Ledger, status: dict[Cell, str], lo: dict[Cell, int], hi: dict[Cell, int],
               reason: dict[Cell, int], index: dict[Cell, list[int]], leak: Cell) -> Cell | None:
    """The cell to hide so that ``leak`` cannot be worked out: on the chain of equations
    that pinned it, the smallest shown part (a total only when no part is left)."""
    for use_reason in (True, False):
        found: set[Cell] = set()
        seen: set[Cell] = {leak}
        frontier = [leak]
        for _depth in range(8):
            nxt = []
            for cell in frontier:
                if use_reason:
                    equations = [reason[cell]] if cell in reason else []
                else:
                    equations = index.get(cell, [])
                for e in equations:
                    for x, _a in led.equations[e]:
                        if x in seen:
                            continue
                        seen.add(x)
                        if x not in led.virtual and x not in status and led.value[x] > 0:
                            found.add(x)
                        elif x in led.virtual or lo[x] == hi[x]:
                            nxt.append(x)
            frontier = nxt
        if found:
            return min(found, key=lambda x: (x in led.total, led.value[x], repr(x)))
    return None


def _rules(led: _Ledger, status: dict[Cell, str], ytd: dict[Cell, list[Cell]]) -> bool:
    changed = False
    # a percentage whose complement is small is hidden (its numerator, else denominator)
    for cell in led.value:
        if cell[0] == "c" and status.get(cell) == PRIMARY:
            n, d = ("n", *cell[1:]), ("d", *cell[1:])
            if n not in status and d not in status:
                target = n if led.value[n] > 0 else d
                status[target] = SECONDARY
                changed = True
    # a year-to-date rate is hidden when any month of its year is
    for y, window in ytd.items():
        if y in status:
            continue
        for n in window:
            d = ("d", *n[1:])
            if n in status or d in status:
                status[y] = SECONDARY
                changed = True
                break
    return changed


def _decide(led: _Ledger, ytd: dict[Cell, list[Cell]], secondary: bool
            ) -> tuple[dict[Cell, str], list[Cell]]:
    status: dict[Cell, str] = {c: PRIMARY for c, v in led.value.items() if is_small(v)}
    if not secondary:
        return status, []
    index: dict[Cell, list[int]] = defaultdict(list)
    for e, terms in enumerate(led.equations):
        for x, _a in terms:
            index[x].append(e)
    unresolved: list[Cell] = []
    for _round in range(5000):
        while _rules(led, status, ytd):
            pass
        lo, hi = _bounds(led, status)
        reason = _propagate(led, index, lo, hi)
        leaks = sorted((c for c, s in status.items()
                        if s == PRIMARY and lo[c] == hi[c] and c not in unresolved), key=repr)
        if not leaks:
            break
        fixed = False
        for leak in leaks:
            pick = _candidate(led, status, lo, hi, reason, index, leak)
            if pick is not None:
                status[pick] = SECONDARY
                fixed = True
                break
            unresolved.append(leak)
        if not fixed and all(c in unresolved for c in leaks):
            break
    if unresolved:
        log.warning("disclosure: %d small cell(s) could not be protected by secondary "
                    "suppression", len(unresolved))
    return status, unresolved


# --------------------------------------------------------------------------
# localities
# --------------------------------------------------------------------------

def _merge_localities(data: MartData) -> tuple[dict[int, list[BreakdownCell]],
                                               dict[tuple[int, str], tuple[str, ...]]]:
    """Keep locality breakdowns for the last two months; merge small localities.

    A locality with a count of 1 to 4 in either month (all CAFs or step-down) goes into
    "Other localities"; when that would hold one locality only, the next smallest joins it,
    so the name of a small place is never printed and never implied.
    """
    months = {data.period_end, month_end_after(data.period_end, -1)}
    out: dict[int, list[BreakdownCell]] = {}
    merged: dict[tuple[int, str], tuple[str, ...]] = {}
    for code, cells in data.breakdowns.items():
        local = [c for c in cells if c.dimension in LOCALITY_DIMENSIONS and c.period_end in months]
        other = [c for c in cells if c.dimension not in LOCALITY_DIMENSIONS]
        if not local:
            out[code] = list(cells)
            continue
        names = {c.category for c in local if c.category is not None}
        small = {c.category for c in local if c.category is not None and is_small(c.count)}
        if len(small) == 1 and len(names) > 1:
            totals: dict[str, int] = defaultdict(int)
            for c in local:
                if c.category is not None and c.category not in small:
                    totals[c.category] += c.count
            small.add(min(totals, key=lambda k: (totals[k], k)))
        merged_name = ALL_LOCALITIES if small == names else OTHER_LOCALITIES
        rows: dict[tuple[str, date, str | None], list[Any]] = {}
        for c in local:
            cat = merged_name if c.category in small else c.category
            order = 10_000 if cat == merged_name else c.category_order
            key = (c.dimension, c.period_end, cat)
            if key in rows:
                rows[key][1] += c.count
            else:
                rows[key] = [order, c.count]
        for dim in {c.dimension for c in local}:
            if small:
                merged[(code, dim)] = tuple(sorted(small))
        out[code] = other + [BreakdownCell(m, dim, cat, order, n)
                             for (dim, m, cat), (order, n) in rows.items()]
    return out, merged


# --------------------------------------------------------------------------
# the entry point
# --------------------------------------------------------------------------

def apply(data: MartData, publish: bool = True, *, year_start_month: int = 1,
          secondary: bool = True) -> MartData:
    """Disclosure control, once, before anything is formatted (see the module docstring).

    ``publish=False`` returns the data unchanged (every figure shown) with a
    ``Disclosure`` that hides nothing. Applying it again to data it returned for
    publication returns that data as it is. ``year_start_month`` is the first month of
    the reporting year (settings.indicators.year_start_month) that year-to-date
    rates start from. ``secondary=False`` applies primary suppression only, cell
    by cell, and merges no locality (what cscperf did before): it exists for tests
    and audits (to show what differencing recovers without the
    secondary pass) and must never be used for a report that leaves the council.
    """
    if data.disclosure is not None:
        if data.disclosure.publish:
            return data  # already through disclosure control for publication
        data = dataclasses.replace(data, disclosure=None)  # internal: figures are intact
    data = with_totals(data)
    if not publish:
        return dataclasses.replace(data, disclosure=Disclosure(publish=False))
    merged: dict[tuple[int, str], tuple[str, ...]] = {}
    if secondary:
        breakdowns, merged = _merge_localities(data)
        data = with_totals(dataclasses.replace(data, breakdowns=breakdowns, breakdown_totals={}))
    led, ytd = _ledger(data, year_start_month)
    status, unresolved = _decide(led, ytd, secondary)
    symbols = _symbols(data, led, status)
    plan = Disclosure(True, symbols, status, merged, tuple(unresolved))
    log.info("disclosure: %d cells of 1-4 suppressed, %d more hidden so they cannot be "
             "worked out, %d figures shown as <5 or [c]", plan.primary_cells,
             plan.secondary_cells, len(symbols))
    return _hide(data, plan)


def _count_symbol(status: Mapping[Cell, str], cell: Cell) -> str | None:
    s = status.get(cell)
    if s is None:
        return None
    return SUPPRESSED_COUNT if s == PRIMARY else SUPPRESSED_DERIVED


def _symbols(data: MartData, led: _Ledger, status: Mapping[Cell, str]
             ) -> dict[tuple[Any, ...], str]:
    out: dict[tuple[Any, ...], str] = {}
    for code, points in data.values.items():
        pct = _is_percentage(data, code)
        basis = _rate_basis(data, code)
        for m in points:
            if pct:
                hidden = any(k in status for k in (("n", code, m), ("d", code, m),
                                                   ("c", code, m)))
                symbol = SUPPRESSED_DERIVED if hidden else None
            else:
                symbol = _count_symbol(status, ("n", code, m))
            if symbol:
                out[("value", code, m)] = symbol
            if basis == "ytd":
                if ("y", code, m) in status:
                    out[("rate", code, m)] = SUPPRESSED_DERIVED
            elif symbol:
                out[("rate", code, m)] = SUPPRESSED_DERIVED
    for code, row in data.report.items():
        kind = "rate" if row.get("previous_shows_rate") else "value"
        for i in (1, 2):
            symbol = out.get((kind, code, row.get(f"previous_{i}_period_end")))
            if symbol:
                out[("previous", code, i)] = symbol
        if row.get("direction") == "level" and (
                ("value", code, data.period_end) in out
                or ("value", code, month_end_after(data.period_end, -12)) in out):
            out[("direction", code)] = SUPPRESSED_DERIVED
    for cell, s in status.items():
        symbol = SUPPRESSED_COUNT if s == PRIMARY else SUPPRESSED_DERIVED
        if cell[0] == "b":
            out[("breakdown", *cell[1:])] = symbol
        elif cell[0] == "t":
            out[("breakdown_total", *cell[1:])] = symbol
    for m, rows in data.agency.items():
        for r in rows:
            c = _count_symbol(status, ("ac", m, r.source_code))
            p = _count_symbol(status, ("ap", m, r.source_code))
            x = ("ax", m, r.source_code) in status
            tc = ("atc", m) in status
            for column, symbol in (
                    ("contacts", c),
                    ("pct_of_contacts", SUPPRESSED_DERIVED if c or tc else None),
                    ("progressed", p),
                    ("pct_progressed", SUPPRESSED_DERIVED if c or p or x else None)):
                if symbol:
                    out[("agency", m, r.source_code, column)] = symbol
        c = _count_symbol(status, ("atc", m))
        p = _count_symbol(status, ("atp", m))
        x = ("atx", m) in status
        for column, symbol in (
                ("contacts", c), ("pct_of_contacts", SUPPRESSED_DERIVED if c else None),
                ("progressed", p),
                ("pct_progressed", SUPPRESSED_DERIVED if c or p or x else None)):
            if symbol:
                out[("agency_total", m, column)] = symbol
    return out


def _hide(data: MartData, plan: Disclosure) -> MartData:
    """The data with every hidden figure set to None."""
    values: dict[int, dict[date, ValuePoint]] = {}
    for code, points in data.values.items():
        values[code] = {}
        for m, p in points.items():
            if plan.value(code, m):
                p = dataclasses.replace(p, value=None, numerator=None, denominator=None)
            if plan.rate(code, m):
                p = dataclasses.replace(p, rate_per_10k=None, rate_numerator=None)
            values[code][m] = p
    report: dict[int, dict[str, Any]] = {}
    for code, row in data.report.items():
        row = dict(row)
        if plan.value(code, data.period_end):
            row.update(value=None, numerator=None, denominator=None)
        if plan.rate(code, data.period_end):
            row["rate_per_10k"] = None
        for i in (1, 2):
            if plan.previous(code, i):
                row[f"previous_{i}_value"] = None
        if plan.direction_hidden(code):
            row.update(direction=None, direction_is_improvement=None)
        report[code] = row
    breakdowns = {
        code: [dataclasses.replace(c, count=None)
               if plan.breakdown(code, c.dimension, c.period_end, c.category) else c
               for c in cells]
        for code, cells in data.breakdowns.items()
    }
    totals = {key: (None if plan.breakdown_total(*key) else n)
              for key, n in data.breakdown_totals.items()}
    agency = {m: [_hide_agency(r, plan.agency, m) for r in rows]
              for m, rows in data.agency.items()}
    agency_totals = {m: _hide_agency(r, lambda mm, _s, col: plan.agency_total(mm, col), m)
                     for m, r in data.agency_totals.items()}
    return dataclasses.replace(data, values=values, report=report, breakdowns=breakdowns,
                               breakdown_totals=totals, agency=agency,
                               agency_totals=agency_totals, disclosure=plan)


def _hide_agency(r: AgencyRow, lookup: Any, m: date) -> AgencyRow:
    changes = {column: None for column in ("contacts", "pct_of_contacts", "progressed",
                                           "pct_progressed")
               if lookup(m, r.source_code, column)}
    return dataclasses.replace(r, **changes) if changes else r
