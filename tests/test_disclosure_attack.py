"""Attack the demo's published report: no suppressed count of 1-4 can be worked out.

The demo extract set (herefordshire-2015) is run through the pipeline as at
2015-10-31 once for this module; the publish-mode HTML of October 2015 and of
September 2015 (the report the month before, for differencing year-to-date
rates) is parsed as an outsider would read it: the figures cards, previous
values, summary table, every chart's data table and the agency tables. Each
route of docs/disclosure.md is then tried on every place it applies:

- totals: a table's total minus its visible cells (breakdown tables, the
  agency table's columns), and tables without a total against the indicator
  figure that is their total (code 1's CAFs started for code 2, code 3's
  value for its breakdowns, an indicator's count for its outcome breakdown);
- complements: a percentage whose denominator is another indicator's count
  gives its numerator and the denominator minus it (agency rows likewise);
- pairs: codes 15 and 16 add to 100%;
- year-to-date rates: the rate times population / 10,000 minus the visible
  months of the year, and this month's rate minus last month's;
- previous values and the summary against the trend tables;
- CAFs open at month end against started and closed (code 1);
- locality labels beside small counts, and "Other localities" standing for one;
- a "Level" direction beside a hidden value;
- across reports: a figure hidden in October's report but printed in
  September's is known, and every route works on what both give away.

The same attack on a report with primary suppression only (cell by cell, as
cscperf did before) must recover counts: the test can fail.
"""

from __future__ import annotations

import csv
import html as htmllib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from conftest import DemoRun

from cscperf.calendar import month_end
from cscperf.calendar import month_end_after as add_months
from cscperf.report import disclosure, render_html_report
from cscperf.report.data import read_marts
from cscperf.report.dates import month_label
from cscperf.report.pages import build_pages
from cscperf.report.render import preface, render_html
from cscperf.settings import PROJECT_DIR, Settings, load_settings

pytestmark = pytest.mark.slow

OCT = date(2015, 10, 31)
SEP = date(2015, 9, 30)
FIRST_PRINTED = date(2012, 9, 30)  # the trend tables of September's report start here
INF = 10**9
# Denominators that are another indicator's count (checked against the marts below).
DENOMINATOR_OF = {6: 4, 7: 4, 11: 10, 15: 14, 16: 14, 19: 18, 20: 18, 23: 22, 25: 24, 29: 28}
# Denominators that are another percentage's numerator: referrals (codes 8, 9) are the
# contacts progressed to referral (code 7's numerator, its percentage of code 4's count).
DENOMINATOR_IS_NUMERATOR_OF = {8: 7, 9: 7}
# Outcome breakdowns whose total is an indicator's count (code -> code of that count).
BREAKDOWN_TOTAL_OF = {10: 10, 18: 18, 23: 22, 25: 24}
YTD_CODES_COUNT = (10, 17, 28)  # count indicators with year-to-date rates
YTD_CODES_PCT = (8, 9, 11, 15, 16, 29)  # percentages: ytd rates, denominators public


# --------------------------------------------------------------------------
# the demo, published
# --------------------------------------------------------------------------

@dataclass
class Reports:
    warehouse: Path
    settings: Settings
    published: dict[date, str] = field(default_factory=dict)
    primary_only: dict[date, str] = field(default_factory=dict)


def _primary_only_html(warehouse: Path, as_at: date, settings: Settings) -> str:
    data = disclosure.apply(read_marts(warehouse, as_at), True, secondary=False)
    pages = build_pages(data, {})
    return render_html(pages, preface(data.period_end, as_at, settings.report, True),
                       data.period_end)


@pytest.fixture(scope="module")
def reports(demo_run: DemoRun, tmp_path_factory: pytest.TempPathFactory) -> Reports:
    """The demo (built once per session, conftest.py) published for two months."""
    tmp = tmp_path_factory.mktemp("attack")
    warehouse = demo_run.warehouse
    settings = load_settings()
    settings = replace(settings, paths=replace(settings.paths, quality=tmp / "quality",
                                               commentary=tmp / "no-commentary"))
    out = Reports(warehouse, settings)
    for month in (OCT, SEP):
        path = render_html_report(warehouse, month, tmp / f"published-{month}", True, settings)
        out.published[month] = path.read_text(encoding="utf-8")
        out.primary_only[month] = _primary_only_html(warehouse, month, settings)
    return out


# --------------------------------------------------------------------------
# reading the report as an outsider
# --------------------------------------------------------------------------

HIDDEN_COUNT = "<5"
HIDDEN = "[c]"


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[tuple[str, list[str]]]

    def column(self, header: str) -> dict[str, str]:
        i = self.headers.index(header) - 1
        return {label: cells[i] for label, cells in self.rows}


@dataclass
class Page:
    code: int
    value: str
    rate_label: str
    rate: str
    previous: list[tuple[str, str]]
    direction: str
    charts: list[Table]
    agency: list[Table]
    previous_is_rate: bool = False


def _text(fragment: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _tables(fragment: str, pattern: str) -> Iterator[Table]:
    for m in re.finditer(pattern, fragment, flags=re.S):
        title, body = m.group(1), m.group(2)
        headers = [_text(h) for h in re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", body,
                                                flags=re.S)]
        rows = []
        for label, cells in re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", body,
                                       flags=re.S):
            rows.append((_text(label),
                         [_text(c) for c in re.findall(r"<td class=\"num\">(.*?)</td>", cells)]))
        yield Table(_text(title), headers, rows)


def parse_report(html: str) -> tuple[dict[int, Page], dict[int, tuple[str, str, str]]]:
    pages: dict[int, Page] = {}
    starts = [m.start() for m in re.finditer(r'<section class="page indicator"', html)]
    for i, start in enumerate(starts):
        part = html[start:starts[i + 1] if i + 1 < len(starts) else len(html)]
        code = int(re.search(r'id="indicator-(\d+)"', part).group(1))  # type: ignore[union-attr]
        value = re.search(r"<dt>Current value</dt><dd>(.*?)</dd>", part, flags=re.S)
        rate = re.search(r'<div class="card-row"><dt>(Rate per 10,000[^<]*)</dt><dd>(.*?)</dd>',
                         part, flags=re.S)
        previous_block = re.search(r'card-previous">(.*?)</table>', part, flags=re.S)
        previous = re.findall(r'<tr><th scope="row">(.*?)</th><td class="num">(.*?)</td></tr>',
                              previous_block.group(1) if previous_block else "")
        direction = re.search(r'class="direction-text" aria-hidden="true">(.*?)</span>', part)
        pages[code] = Page(
            code, _text(value.group(1)) if value else "",
            _text(rate.group(1)) if rate else "", _text(rate.group(2)) if rate else "",
            [(_text(a), _text(b)) for a, b in previous],
            _text(direction.group(1)) if direction else "",
            list(_tables(part, r'<figure class="chart[^"]*" id="[^"]+">\s*<figcaption><h3>(.*?)'
                               r'</h3>.*?<table class="data-table zebra">(.*?)</table>')),
            list(_tables(part, r'<table class="agency-table zebra">\s*<caption>(.*?)</caption>'
                               r'(.*?)</table>')),
            "Previous values are rates" in part,
        )
    summary: dict[int, tuple[str, str, str]] = {}
    block = html[html.index('id="summary"'):starts[0]]
    for code, value, label, prev in re.findall(
            r'<td class="num code-cell">(\d+)</td>.*?<td class="num strong">(.*?)</td>\s*'
            r'<td class="num"><span class="prev-label">(.*?)</span>(.*?)</td>', block, flags=re.S):
        summary[int(code)] = (_text(value), _text(label), _text(prev))
    return pages, summary


def count_of(text: str) -> int | None:
    """A printed count, or None when hidden or not available."""
    text = text.replace(",", "")
    return int(text) if re.fullmatch(r"\d+", text) else None


def pct_of(text: str) -> float | None:
    m = re.fullmatch(r"(\d+(?:\.\d+)?)%", text)
    return float(m.group(1)) if m else None


def rate_of(text: str) -> float | None:
    text = text.replace(",", "")
    return float(text) if re.fullmatch(r"\d+(?:\.\d+)?", text) else None


def hidden(text: str) -> bool:
    return text in (HIDDEN_COUNT, HIDDEN)


def bounds(text: str) -> tuple[int, int]:
    """What a printed count tells: exact, <5 = 1..4, [c] = 0 or at least 5 (taken as 5+:
    secondary suppression never hides a zero)."""
    n = count_of(text)
    if n is not None:
        return n, n
    if text == HIDDEN_COUNT:
        return 1, 4
    return 5, INF


def trend_months(page: Page) -> dict[date, str]:
    """Every month a trend table prints (three windows of 13 months)."""
    out: dict[date, str] = {}
    for table in page.charts:
        if not table.title.endswith(" - Trend"):
            continue
        for label, cells in table.rows:
            month = _month(label)
            for back, text in zip((0, 12, 24), cells, strict=True):
                out.setdefault(add_months(month, -back), text)
    return out


def _month(label: str) -> date:
    """A printed month label ('Oct-14') read back, as an outsider reads the report."""
    return month_end(datetime.strptime(label.strip(), "%b-%y").date())


# --------------------------------------------------------------------------
# the attack
# --------------------------------------------------------------------------

@dataclass
class Attack:
    routes: dict[str, int] = field(default_factory=dict)  # route -> places tried
    leaks: list[str] = field(default_factory=list)
    suppressed_seen: int = 0
    disagreements: int = 0  # figures hidden in one report and printed in the other

    def tried(self, route: str) -> None:
        self.routes[route] = self.routes.get(route, 0) + 1

    def found(self, route: str, where: str, value: int) -> None:
        if 1 <= value <= 4:
            self.leaks.append(f"{route}: {where} = {value}")

    def solve_sum(self, route: str, where: str, total: tuple[int, int],
                  parts: dict[str, str]) -> None:
        """total = sum of parts: the interval of every hidden part."""
        if not any(hidden(t) for t in parts.values()):
            # nothing hidden: a derived part (total minus the rest) would be shown anyway
            return
        self.tried(route)
        b = {k: bounds(t) for k, t in parts.items()}
        for k, t in parts.items():
            if not hidden(t):
                continue
            lo_rest = sum(v[0] for j, v in b.items() if j != k)
            hi_rest = sum(v[1] for j, v in b.items() if j != k)
            lo = max(b[k][0], total[0] - hi_rest)
            hi = min(b[k][1], total[1] - lo_rest)
            if lo == hi:
                self.found(route, f"{where} [{k}]", lo)


def _fill_from_other_report(result: Attack, pages: dict[int, Page],
                            trends: dict[int, dict[date, str]], other: dict[int, Page]) -> None:
    """Two reports print many of the same figures (the trend tables, the monthly breakdown
    tables, September's agency table and breakdown columns): a figure hidden in one and
    printed in the other is known. Fill the hidden cells of October's report from
    September's; every route below then works on what both reports give away."""
    for code, page in pages.items():
        if code not in other:
            continue
        before = trend_months(other[code])
        for month, text in trends.get(code, {}).items():
            if month in before:
                result.tried("across reports")
                if hidden(text) != hidden(before[month]):
                    result.disagreements += 1
                if hidden(text) and not hidden(before[month]):
                    trends[code][month] = before[month]
        tables = {t.title: t for t in other[code].charts + other[code].agency}
        for table in page.charts + page.agency:
            twin = tables.get(table.title)
            if twin is None or table.title.endswith(" - Trend") or (
                    "All CAFs started" in table.headers):
                continue  # a paired chart shows one month: not the same figures
            rows = dict(twin.rows)
            for r, (label, cells) in enumerate(table.rows):
                if label not in rows:
                    continue
                for i, header in enumerate(table.headers[1:]):
                    if header not in twin.headers[1:]:
                        continue
                    result.tried("across reports")
                    theirs = rows[label][twin.headers.index(header) - 1]
                    if hidden(cells[i]) != hidden(theirs):
                        result.disagreements += 1
                    if hidden(cells[i]) and not hidden(theirs):
                        table.rows[r][1][i] = theirs


def attack(reports: dict[date, str], population: int, localities: set[str]) -> Attack:
    result = Attack()
    parsed = {m: parse_report(h) for m, h in reports.items()}
    pages, summary = parsed[OCT]
    for html in reports.values():
        result.suppressed_seen += len(re.findall(r">(?:&lt;5|\[c\])<", html))
    trends = {code: trend_months(p) for code, p in pages.items()}
    if SEP in parsed:
        _fill_from_other_report(result, pages, trends, parsed[SEP][0])

    def count(code: int, month: date) -> str:
        if code in trends and month in trends[code]:
            return trends[code][month]
        page = pages[code]
        if month == OCT:
            return page.value
        for label, text in page.previous:
            if _month(label) == month:
                return text
        return "N/A"

    def denominator(code: int, month: date) -> int | None:
        """A percentage's denominator where another figure of the report gives it."""
        if code in DENOMINATOR_OF:
            return count_of(count(DENOMINATOR_OF[code], month))
        if code in DENOMINATOR_IS_NUMERATOR_OF:
            return numerator(DENOMINATOR_IS_NUMERATOR_OF[code], month)
        return None

    def numerator(code: int, month: date) -> int | None:
        """A percentage's numerator, from the percentage and its public denominator."""
        p = pct_of(count(code, month))
        d = denominator(code, month)
        return None if p is None or d is None else round(p * d / 100)

    # 0. a visible count of 1 to 4
    for page in pages.values():
        for table in page.charts + page.agency:
            for label, cells in table.rows:
                for header, text in zip(table.headers[1:], cells, strict=False):
                    if header.startswith("%"):
                        continue
                    result.tried("visible")
                    n = count_of(text)
                    if n is not None:
                        result.found("visible", f"{page.code} {table.title} {label} {header}", n)
    # 1. row and column totals of the breakdown and agency tables
    for page in pages.values():
        for table in page.charts:
            if table.headers[-1] == "Total":
                for label, cells in table.rows:
                    parts = dict(zip(table.headers[1:-1], cells[:-1], strict=True))
                    result.solve_sum("totals", f"{table.title} {label}", bounds(cells[-1]),
                                     parts)
        for table in page.agency:
            body = [(lab, cells) for lab, cells in table.rows if lab != "Total"]
            for col in (0, 2):
                parts = {lab: cells[col] for lab, cells in body}
                tot = [c for lab, c in table.rows if lab == "Total"]
                if tot:
                    result.solve_sum("totals", f"{table.title} col {col}", bounds(tot[0][col]),
                                     parts)
    # 2. tables without a total against the indicator figure that is their total
    started = {}
    closed = {}
    for table in pages[1].charts:
        if "Started" in table.headers:
            started = {_month(lab): c for lab, c in zip(
                [r[0] for r in table.rows], [r[1][table.headers.index("Started") - 1]
                                            for r in table.rows], strict=True)}
            closed = {_month(r[0]): r[1][table.headers.index("Closed") - 1] for r in table.rows}
    for code, whole in ((2, started), (3, closed)):
        for table in pages[code].charts:
            for header in table.headers[1:]:
                column = table.column(header)
                if header in ("All CAFs started",):
                    total = bounds(whole.get(OCT, "N/A"))
                    month = OCT
                elif header == "Started via step-down":
                    total, month = bounds(pages[2].value), OCT
                else:
                    month = _month(header)
                    total = bounds(whole.get(month, "N/A"))
                    if code == 3:
                        total = bounds(count(3, month)) if count_of(count(3, month)) else total
                if total[1] >= INF:
                    continue
                result.solve_sum("breakdown vs indicator", f"{code} {table.title} {header}",
                                 total, column)
        # paired tables: all minus step-down is the rest
        for table in pages[code].charts:
            if table.headers[1:] == ["All CAFs started", "Started via step-down"]:
                for label, (every, sub) in table.rows:
                    result.tried("complements")
                    if count_of(every) is not None and count_of(sub) is not None:
                        result.found("complements", f"{table.title} {label} not step-down",
                                     count_of(every) - count_of(sub))  # type: ignore[operator]
                    result.solve_sum("complements", f"{table.title} {label}",
                                     bounds(every), {"sub": sub, "rest": HIDDEN})
    for code, of in BREAKDOWN_TOTAL_OF.items():
        for table in pages[code].charts:
            if table.title.endswith(" - Trend") or table.headers[-1] != "Total":
                continue
            for label, cells in table.rows:
                total = bounds(count(of, _month(label)))
                if total[1] < INF:
                    result.solve_sum("breakdown vs indicator", f"{code} {label}", total,
                                     dict(zip(table.headers[1:-1], cells[:-1], strict=True)))
    # 3. complements: percentages with a public denominator; agency rows
    for code in (*DENOMINATOR_OF, *DENOMINATOR_IS_NUMERATOR_OF):
        for month in trends.get(code, {}):
            d = denominator(code, month)
            if d is None:
                continue
            result.tried("complements")
            n = numerator(code, month)
            if n is not None:
                result.found("complements", f"{code} {month_label(month)} numerator", n)
                result.found("complements", f"{code} {month_label(month)} complement", d - n)
    for page in pages.values():
        for table in page.agency:
            for label, (n, _pct, p, pct_p) in table.rows:
                result.tried("complements")
                contacts, rate = count_of(n), pct_of(pct_p)
                if contacts is not None and rate is not None:
                    progressed = round(rate * contacts / 100)
                    result.found("complements", f"{table.title} {label} progressed", progressed)
                    result.found("complements", f"{table.title} {label} not progressed",
                                 contacts - progressed)
                if contacts is not None and count_of(p) is not None:
                    result.found("complements", f"{table.title} {label} not progressed",
                                 contacts - count_of(p))  # type: ignore[operator]
    # 4. codes 15 and 16 add to 100%
    for month in set(trends.get(15, {})) | set(trends.get(16, {})):
        a, b = count(15, month), count(16, month)
        d = count_of(count(14, month))
        result.tried("pairs")
        if hidden(a) == hidden(b) or d is None:
            continue
        shown = pct_of(b if hidden(a) else a)
        if shown is not None:
            result.found("pairs", f"15/16 {month_label(month)}", d - round(shown * d / 100))
    # 5. year-to-date rates
    for code in YTD_CODES_COUNT + YTD_CODES_PCT:
        rate = rate_of(pages[code].rate)
        if rate is None:
            continue
        total = round(rate * population / 10000)
        months = [date(2015, k, 1) for k in range(1, 11)]
        months = [add_months(m, 0) for m in months]
        known: dict[date, int | None] = {}
        for m in months:
            known[m] = (count_of(count(code, m)) if code in YTD_CODES_COUNT
                        else numerator(code, m))
        missing = [m for m, v in known.items() if v is None]
        result.tried("ytd rates")
        if len(missing) == 1:
            result.found("ytd rates", f"{code} {month_label(missing[0])}",
                         total - sum(v for v in known.values() if v is not None))
        before = rate_of(parse_report(reports[SEP])[0][code].rate) if SEP in reports else None
        if before is not None:
            result.tried("ytd rates")
            increment = total - round(before * population / 10000)
            if hidden(count(code, OCT)):
                result.found("ytd rates", f"{code} Oct-15 from Sep-15's report", increment)
            if code in YTD_CODES_PCT and (d := denominator(code, OCT)):
                result.found("ytd rates", f"{code} Oct-15 complement", d - increment)
    # 6. previous values and the summary against the trend tables
    for code, page in pages.items():
        for label, text in page.previous:
            month = _month(label)
            result.tried("previous values")
            trend = trends.get(code, {}).get(month)
            if trend is None:
                continue
            # a figure hidden in the trend table but printed as a previous value (the same
            # figure, or its rate, which gives the count away)
            if hidden(trend) and not hidden(text) and text != "N/A":
                result.leaks.append(f"previous values: {code} {label} {text} vs {trend}")
            if not page.previous_is_rate and hidden(text) and not hidden(trend):
                result.leaks.append(f"previous values: {code} {label} {text} vs {trend}")
        if code in summary:
            value, _label, prev = summary[code]
            result.tried("previous values")
            if hidden(value) != hidden(page.value) or (
                    page.previous and hidden(prev) != hidden(page.previous[0][1])):
                result.leaks.append(f"summary: {code}")
    # 7. CAFs open at month end follow from started and closed
    opened = {}
    for table in pages[1].charts:
        if "Open at month end" in table.headers:
            opened = table.column("Open at month end")
    for label in opened:
        month = _month(label)
        before = month_label(add_months(month, -1))
        if before not in opened:
            continue
        texts = {"open": opened[label], "before": opened[before],
                 "started": started.get(month, "N/A"), "closed": closed.get(month, "N/A")}
        result.tried("flows")
        if sum(hidden(t) for t in texts.values()) != 1:
            continue
        (name,) = [k for k, t in texts.items() if hidden(t)]
        v = {k: count_of(t) or 0 for k, t in texts.items()}
        derived = {"open": v["before"] + v["started"] - v["closed"],
                   "before": v["open"] - v["started"] + v["closed"],
                   "started": v["open"] - v["before"] + v["closed"],
                   "closed": v["before"] + v["started"] - v["open"]}[name]
        result.found("flows", f"code 1 {label} {name}", derived)
    # 8. locality labels
    for table in pages[2].charts:
        labels = {lab for lab, _ in table.rows}
        if not labels & (localities | {"Other localities", "All localities"}):
            continue
        result.tried("locality labels")
        for label, cells in table.rows:
            if label in localities and any(hidden(c) or (count_of(c) or 0) in (1, 2, 3, 4)
                                           for c in cells):
                result.leaks.append(f"locality labels: {label} {cells}")
        if "Other localities" in labels and len(localities - labels) == 1:
            result.leaks.append(f"locality labels: Other localities is {localities - labels}")
    # 9. a level direction beside a hidden value
    for code, page in pages.items():
        result.tried("direction")
        if hidden(page.value) and page.direction.startswith("Level"):
            result.leaks.append(f"direction: {code}")
    return result


# --------------------------------------------------------------------------
# the tests
# --------------------------------------------------------------------------

def _population() -> int:
    with open(PROJECT_DIR / "seeds" / "population.csv", newline="") as f:
        rows = {int(r["year"]): int(r["population_0_17"]) for r in csv.DictReader(f)}
    return rows[2015]


def _localities(warehouse: Path) -> set[str]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute("select distinct category from marts.indicator_breakdowns "
                           "where dimension = 'locality' and category is not null").fetchall()
    finally:
        con.close()
    return {r[0] for r in rows}


def test_the_attacker_knows_what_the_catalogue_says(reports: Reports) -> None:
    """The denominators the attack uses are other indicators' figures in the demo marts, in
    every month the report prints."""
    con = duckdb.connect(str(reports.warehouse), read_only=True)
    try:
        for code, of in DENOMINATOR_OF.items():
            mismatched = con.execute(
                "select count(*) from marts.indicator_values p join marts.indicator_values c "
                "using (period_end) where p.indicator_code = ? and c.indicator_code = ? "
                "and p.denominator is distinct from c.numerator and period_end >= ?",
                [code, of, FIRST_PRINTED]).fetchone()
            assert mismatched == (0,), (code, of)
        for code, of in DENOMINATOR_IS_NUMERATOR_OF.items():
            mismatched = con.execute(
                "select count(*) from marts.indicator_values p join marts.indicator_values c "
                "using (period_end) where p.indicator_code = ? and c.indicator_code = ? "
                "and p.denominator is distinct from c.numerator and period_end >= ?",
                [code, of, FIRST_PRINTED]).fetchone()
            assert mismatched == (0,), (code, of)
    finally:
        con.close()


def test_differencing_recovers_nothing_from_the_published_report(reports: Reports) -> None:
    result = attack(reports.published, _population(), _localities(reports.warehouse))
    # the attack had material: hidden figures, and every route tried somewhere
    assert result.suppressed_seen > 50
    for route in ("visible", "totals", "breakdown vs indicator", "complements", "pairs",
                  "ytd rates", "previous values", "flows", "locality labels", "direction",
                  "across reports"):
        assert result.routes.get(route, 0) > 0, (route, result.routes)
    assert result.leaks == []


def test_consecutive_reports_hide_the_same_figures(reports: Reports) -> None:
    """September's and October's reports share 13 months of trends, the monthly breakdown
    tables and September's agency table: the same figure is hidden in both or in neither
    (the decisions depend on the month's figures, not on which report prints them)."""
    result = attack(reports.published, _population(), _localities(reports.warehouse))
    assert result.routes["across reports"] > 1000
    assert result.disagreements == 0


def test_the_same_attack_breaks_cell_by_cell_suppression(reports: Reports) -> None:
    """Primary suppression alone (what cscperf did before) gives small counts away."""
    result = attack(reports.primary_only, _population(), _localities(reports.warehouse))
    routes = {leak.split(":")[0] for leak in result.leaks}
    # referral outcomes 251, 0, <5, 0, 0, total 252 (the example)
    assert any("Referrals - Outcomes" in leak and "Oct-15" in leak for leak in result.leaks), \
        result.leaks
    assert {"totals", "breakdown vs indicator", "locality labels", "complements",
            "ytd rates"} <= routes, routes


def test_the_report_explains_the_symbols(reports: Reports) -> None:
    html = reports.published[OCT]
    assert "Disclosure control." in html and "docs/disclosure.md" not in html
    assert "[c]" in html and "&lt;5" in html
