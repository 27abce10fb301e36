"""The run's data-quality page: ``quality.html`` in the run's quality folder.

One self-contained HTML file that opens offline: inline CSS (the report's
palette), an inline SVG chart, no script, and a Content-Security-Policy that
lets the page load nothing (``default-src 'none'``). It shows, for one run:

- the outcome: errors (block publishing), warnings, checks passed;
- the failed checks with severity, counts and example record ids;
- the rejected rows of the landing, by file, column and reason (counts only,
  never a value: read from the build file's ``raw.rejected_rows``);
- failures over the last runs (the run history JSON lines beside the
  warehouse, see :class:`cscperf.publish.RunHistory`, else the summaries of
  the sibling run folders);
- every suite and every check, each suite linked to Great Expectations' own
  validation result (``results/<suite>.json``, relative links).

Great Expectations' Data Docs are not built: they load jQuery and Bootstrap
from public CDNs and are blank offline, and building them took time on
every run. This page replaces them; GE's JSON results are kept.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
from markupsafe import Markup, escape

from cscperf.quality.suites import ERROR

log = logging.getLogger(__name__)

PAGE = "quality.html"
TREND_RUNS = 12
_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

CSS = """
*,*::before,*::after{box-sizing:border-box}
html{font-family:"Segoe UI","Helvetica Neue",Arial,"Liberation Sans","DejaVu Sans",sans-serif;
font-size:10pt;line-height:1.4;color:var(--ink);background:#e7ebef}
body{margin:0}
main{max-width:1100px;margin:0 auto 10mm;background:#fff;
box-shadow:0 1px 3px rgba(0,0,0,.12),0 6px 24px rgba(0,0,0,.08)}
header.cover{background:var(--navy);color:#fff;padding:9mm 10mm 7mm;
border-bottom:2mm solid var(--teal)}
header.cover h1{font-size:20pt;margin:0 0 2mm}
header.cover p{margin:0;opacity:.88}
section{padding:5mm 10mm}
h2{color:var(--navy);font-size:13pt;margin:0 0 3mm;padding-bottom:1.5mm;
border-bottom:1px solid var(--rule)}
h3{font-size:10.5pt;margin:4mm 0 1.5mm}
a{color:var(--navy)}
.facts{display:grid;grid-template-columns:repeat(4,1fr);border:1px solid var(--rule);
border-radius:2mm;overflow:hidden;margin:0}
.facts div{padding:3mm 4mm;border-right:1px solid var(--rule);background:var(--panel)}
.facts div:last-child{border-right:0}
.facts dt{font-size:7.5pt;text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}
.facts dd{margin:1mm 0 0;font-weight:600;font-size:14pt}
.facts .bad{color:var(--bad)} .facts .close{color:var(--close)} .facts .good{color:var(--good)}
table{border-collapse:collapse;width:100%;margin:0 0 3mm;font-size:9pt}
th,td{text-align:left;padding:1.2mm 2mm;border-bottom:1px solid var(--rule);vertical-align:top}
thead th{background:var(--panel);font-size:8pt;text-transform:uppercase;letter-spacing:.04em;
color:var(--muted)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.sev{display:inline-block;padding:0 2mm;border-radius:1mm;font-size:8pt;font-weight:600;
color:#fff}
.sev-error{background:var(--bad)} .sev-warning{background:var(--close)}
.ok{color:var(--good);font-weight:600} .fail{color:var(--bad);font-weight:600}
.warn{color:var(--close);font-weight:600}
.ids{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:8.5pt}
.note{color:var(--muted);margin:1mm 0 3mm}
.empty{color:var(--muted);font-style:italic}
svg.trend{display:block;max-width:100%;height:auto;margin:2mm 0 3mm}
"""


@dataclass(frozen=True)
class RejectedGroup:
    file: str
    column: str
    reason: str
    rows: int
    fields: int


@dataclass(frozen=True)
class PastRun:
    run_id: str
    as_at: str
    status: str
    errors: int
    warnings: int
    passed: int


def rejected_rows(db_path: Path | None) -> list[RejectedGroup] | None:
    """Rejected rows by file, column and reason (counts only); None when unknown."""
    if db_path is None or not Path(db_path).exists():
        return None
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as exc:
        log.debug("no rejected rows from %s: %s", db_path, exc)
        return None
    try:
        present = con.execute(
            "select count(*) from information_schema.tables where table_catalog = "
            "current_database() and table_schema = 'raw' and table_name = 'rejected_rows'"
        ).fetchone()[0]
        if not present:
            return None
        rows = con.execute(
            "select file, coalesce(column_name, ''), "
            r"regexp_replace(reason, ' \(first at line \d+\)$', '') as why, "
            "count(distinct line), count(*) from raw.rejected_rows "
            "group by all order by file, 4 desc, 2, 3"
        ).fetchall()
    except duckdb.Error as exc:
        log.debug("no rejected rows from %s: %s", db_path, exc)
        return None
    finally:
        con.close()
    return [RejectedGroup(str(f), str(c), str(r), int(n), int(k)) for f, c, r, n, k in rows]


def past_runs(history: Path | None, quality_root: Path, this_run: str) -> list[PastRun]:
    """The runs before this one, oldest first (at most TREND_RUNS - 1)."""
    runs: list[PastRun] = []
    if history is not None and history.exists():
        for line in history.read_text(encoding="utf-8").splitlines():
            try:
                r = json.loads(line)
                runs.append(PastRun(str(r["run_id"]), str(r.get("as_at") or ""),
                                    str(r.get("status") or ""), int(r.get("checks_failed") or 0),
                                    int(r.get("checks_warned") or 0),
                                    int(r.get("checks_passed") or 0)))
            except (ValueError, KeyError, TypeError):
                continue
    else:
        for summary in sorted(Path(quality_root).glob("*/summary.json")):
            try:
                s = json.loads(summary.read_text(encoding="utf-8"))
                runs.append(PastRun(str(s["run_id"]), str(s.get("as_at") or ""), "",
                                    int(s["errors"]), int(s["warnings"]), int(s["passed"])))
            except (ValueError, KeyError, TypeError, OSError):
                continue
    runs = [r for r in runs if r.run_id != this_run]
    return runs[-(TREND_RUNS - 1):]


# --------------------------------------------------------------------------- HTML


def _num(n: int | None) -> str:
    return "–" if n is None else f"{n:,}"


def _sev(severity: str) -> Markup:
    css = "error" if severity == ERROR else "warning"
    return Markup(f'<span class="sev sev-{css}">{escape(severity)}</span>')


def _results_link(suite: str) -> str:
    return f"results/{_SAFE.sub('_', suite)}.json"


def _trend_svg(runs: Sequence[PastRun]) -> Markup:
    """Bars of errors (red) and warnings (amber) per run; the last bar is this run."""
    width, height, left, bottom, top = 760, 170, 34, 34, 12
    inner_w, inner_h = width - left - 8, height - bottom - top
    peak = max([r.errors + r.warnings for r in runs] + [1])
    peak = -(-peak // 4) * 4  # whole-number gridlines
    step = inner_w / max(len(runs), 1)
    bar = min(36.0, step * 0.6)
    parts = [f'<svg class="trend" viewBox="0 0 {width} {height}" role="img" '
             f'aria-labelledby="trend-title"><title id="trend-title">Failed checks in the last '
             f'{len(runs)} runs: errors and warnings</title>']
    for k in range(0, 5):
        value = peak * k / 4
        y = top + inner_h - inner_h * k / 4
        parts.append(f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="var(--rule)"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 3:.1f}" font-size="9" text-anchor="end" '
                     f'fill="var(--muted)">{value:.0f}</text>')
    for i, r in enumerate(runs):
        x = left + step * i + (step - bar) / 2
        y0 = top + inner_h
        for count, colour in ((r.errors, "var(--bad)"), (r.warnings, "var(--close)")):
            h = inner_h * count / peak
            if h > 0:
                parts.append(f'<rect x="{x:.1f}" y="{y0 - h:.1f}" width="{bar:.1f}" '
                             f'height="{h:.1f}" fill="{colour}"><title>{escape(r.run_id)}: '
                             f'{count}</title></rect>')
                y0 -= h
        label = escape(r.as_at or r.run_id[:8])
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 14}" font-size="8.5" '
                     f'text-anchor="middle" fill="var(--ink)">{label}</text>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 26}" font-size="8" '
                     f'text-anchor="middle" fill="var(--muted)">'
                     f"{escape(r.run_id[9:11])}:{escape(r.run_id[11:13])}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))


def _palette() -> Any:
    """cscperf.report.palette, without importing cscperf.report (matplotlib: about 1 s)."""
    import importlib.util
    import sys

    loaded = sys.modules.get("cscperf.report.palette")
    if loaded is not None:
        return loaded
    path = Path(__file__).resolve().parent.parent / "report" / "palette.py"
    spec = importlib.util.spec_from_file_location("_cscperf_palette", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _css() -> str:
    palette = _palette()
    variables = "".join(f"--{k}:{v};" for k, v in palette.CSS_VARIABLES.items())
    return f":root{{{variables}}}\n{CSS}"


def render_page(report: Any, rejected: list[RejectedGroup] | None, history: list[PastRun],
                as_at: str = "") -> str:
    """The page's HTML for a QualityReport (cscperf.quality.engine)."""
    results = list(report.results)
    errors, warnings, passed = report.errors, report.warnings, report.passed
    this = PastRun(report.run_id, as_at, "this run", len(errors), len(warnings), len(passed))
    runs = [*history, this]
    out: list[str] = []
    w = out.append
    w('<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
      '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
      '<meta name="referrer" content="no-referrer">\n'
      f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
      f"<title>Data quality - run {escape(report.run_id)}</title>\n"
      f"<style>{_css()}</style>\n</head>\n<body>\n<main>\n")
    state = ("Not published: error checks failed" if errors
             else "Checks passed" + (" with warnings" if warnings else ""))
    w(f'<header class="cover"><h1>Data quality</h1><p>Run {escape(report.run_id)}'
      f'{" as at " + escape(as_at) if as_at else ""} &middot; {escape(state)} &middot; '
      f"page written {datetime.now():%Y-%m-%d %H:%M}</p></header>\n")

    w('<section id="outcome" aria-labelledby="h-outcome"><h2 id="h-outcome">Outcome</h2>'
      '<dl class="facts">'
      f'<div><dt>Errors (block publishing)</dt><dd class="{"bad" if errors else "good"}">'
      f"{len(errors)}</dd></div>"
      f'<div><dt>Warnings</dt><dd class="{"close" if warnings else "good"}">{len(warnings)}'
      "</dd></div>"
      f'<div><dt>Checks passed</dt><dd class="good">{len(passed)}</dd></div>'
      f"<div><dt>Suites</dt><dd>{len({r.suite for r in results})}</dd></div></dl></section>\n")

    w('<section id="failed" aria-labelledby="h-failed"><h2 id="h-failed">Failed checks</h2>')
    failed = [*errors, *warnings]
    if failed:
        w('<table><thead><tr><th>Severity</th><th>Suite</th><th>Check</th>'
          '<th class="num">Rows failing</th><th class="num">Rows checked</th>'
          "<th>Example record ids</th><th>Detail</th></tr></thead><tbody>")
        for c in failed:
            w(f"<tr><td>{_sev(c.severity)}</td><td>{escape(c.suite)}</td>"
              f"<td>{escape(c.check_name)}</td><td class=\"num\">{_num(c.unexpected_count)}</td>"
              f'<td class="num">{_num(c.element_count)}</td>'
              f'<td class="ids">{escape(", ".join(c.example_ids)) or "–"}</td>'
              f"<td>{escape(c.detail)}</td></tr>")
        w("</tbody></table>")
    else:
        w('<p class="empty">No check failed.</p>')
    w("</section>\n")

    w('<section id="rejected" aria-labelledby="h-rejected"><h2 id="h-rejected">Rejected rows'
      '</h2><p class="note">Rows of the extracts that broke the contract and were not loaded '
      "(raw.rejected_rows). Counts only: the values are in the build, never on this page."
      "</p>")
    if rejected is None:
        w('<p class="empty">Not known for this run (the landed tables were not available '
          "when the page was written).</p>")
    elif not rejected:
        w('<p class="empty">No row was rejected.</p>')
    else:
        w('<table><thead><tr><th>File</th><th>Column</th><th>Reason</th>'
          '<th class="num">Rows</th><th class="num">Fields</th></tr></thead><tbody>')
        for g in rejected:
            w(f"<tr><td>{escape(g.file)}</td><td>{escape(g.column) or '–'}</td>"
              f'<td>{escape(g.reason)}</td><td class="num">{g.rows:,}</td>'
              f'<td class="num">{g.fields:,}</td></tr>')
        total = sum(g.rows for g in rejected)
        w('</tbody><tfoot><tr><th colspan="3">Total (a row with several bad fields counts '
          f'once in each of its groups)</th><th class="num">{total:,}</th>'
          f'<th class="num">{sum(g.fields for g in rejected):,}</th></tr></tfoot></table>')
    w("</section>\n")

    w('<section id="trend" aria-labelledby="h-trend"><h2 id="h-trend">Failures over the last '
      "runs</h2>")
    w(str(_trend_svg(runs)))
    w('<table><thead><tr><th>Run</th><th>As at</th><th>Status</th><th class="num">Errors</th>'
      '<th class="num">Warnings</th><th class="num">Passed</th></tr></thead><tbody>')
    for r in reversed(runs):
        w(f"<tr><td>{escape(r.run_id)}</td><td>{escape(r.as_at)}</td><td>{escape(r.status)}"
          f'</td><td class="num">{r.errors}</td><td class="num">{r.warnings}</td>'
          f'<td class="num">{r.passed}</td></tr>')
    w("</tbody></table></section>\n")

    w('<section id="suites" aria-labelledby="h-suites"><h2 id="h-suites">Every suite and '
      'check</h2><p class="note">Each suite links to Great Expectations\' own validation '
      'result (JSON) in this folder; <a href="summary.json">summary.json</a> holds every '
      "check as listed here.</p>")
    by_suite: dict[str, list[Any]] = {}
    for c in results:
        by_suite.setdefault(c.suite, []).append(c)
    for suite, checks in by_suite.items():
        bad = sum(not c.success for c in checks)
        w(f'<h3 id="suite-{escape(_SAFE.sub("_", suite))}">{escape(suite)} '
          f'<small>({len(checks)} checks, {bad} failed) &middot; '
          f'<a href="{escape(_results_link(suite))}">GE result (JSON)</a></small></h3>')
        w('<table><thead><tr><th>Check</th><th>Severity</th><th>Result</th>'
          '<th class="num">Rows failing</th><th class="num">Rows checked</th>'
          "<th>Example record ids</th></tr></thead><tbody>")
        for c in checks:
            result = ('<span class="ok">passed</span>' if c.success else
                      '<span class="fail">failed</span>' if c.severity == ERROR else
                      '<span class="warn">warning</span>')
            severity = _sev(c.severity) if not c.success else escape(c.severity)
            w(f"<tr><td>{escape(c.check_name)}</td><td>{severity}</td><td>{result}</td>"
              f'<td class="num">{_num(c.unexpected_count)}</td>'
              f'<td class="num">{_num(c.element_count)}</td>'
              f'<td class="ids">{escape(", ".join(c.example_ids))}</td></tr>')
        w("</tbody></table>")
    if not by_suite:
        w('<p class="empty">No suite ran.</p>')
    w("</section>\n</main>\n</body>\n</html>\n")
    return "".join(out)


def write_page(report: Any, db_path: Path | None, history: Path | None = None,
               as_at: str = "") -> Path:
    """Write ``quality.html`` into the report's folder (atomically); return its path."""
    out_dir = Path(report.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    html = render_page(report, rejected_rows(db_path),
                       past_runs(history, out_dir.parent, report.run_id), as_at)
    target = out_dir / PAGE
    partial = out_dir / f".{PAGE}.partial"
    partial.write_text(html, encoding="utf-8")
    os.chmod(partial, 0o640)
    partial.replace(target)
    return target
