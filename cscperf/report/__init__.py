"""The monthly performance report: marts -> one self-contained HTML file -> PDF.

``render_report(warehouse, as_at, out_dir, publish, settings)`` writes
``out_dir/report.html`` and ``out_dir/report.pdf`` for the month containing
``as_at`` and returns their paths.

Modules: ``data`` reads the marts (read-only), ``commentary`` reads the
analysts' ``commentary/YYYY-MM.yml``, ``disclosure`` and ``formatting`` decide
what a figure prints as, ``charts`` draws (matplotlib -> inline SVG, colours
from ``palette``), ``pages`` assembles each indicator page, ``render`` fills
``templates/report.html.j2`` and ``pdf`` prints it with headless Chromium.

Breakdown charts are drawn from ``marts.indicator_breakdowns`` for whatever
dimensions the marts hold for a code (names as in seeds/breakdown_categories.csv:
``activity`` for code 1; ``step_down``, ``social_care_involvement``,
``lead_professional_agency``, ``locality`` for code 2, where a
``step_down_<d>`` dimension is drawn beside ``<d>`` in one chart;
``closure_reason``, ``duration_band`` for code 3; ``referral_outcome`` for code 7;
``outcome`` for codes 10, 16, 23, 25; ``category`` for code 18). ``labels``
holds the original report's chart titles; any other dimension still gets a chart.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from cscperf.report.commentary import load_commentary
from cscperf.report.data import read_marts
from cscperf.report.errors import ReportError
from cscperf.report.history import history_section
from cscperf.report.pages import build_pages
from cscperf.report.pdf import print_pdf
from cscperf.report.render import preface, render_html
from cscperf.settings import Settings

log = logging.getLogger("cscperf.report")

__all__ = ["ReportError", "render_html_report", "render_report"]


def render_html_report(warehouse: Path, as_at: date, out_dir: Path, publish: bool,
                       settings: Settings) -> Path:
    """Write ``out_dir/report.html`` only (no browser needed)."""
    data = read_marts(Path(warehouse), as_at)
    commentary = load_commentary(settings.paths.commentary, data.period_end)
    pages = build_pages(data, commentary, publish)
    front = preface(data.period_end, as_at, settings.report, publish)
    history = history_section(data.restatements, {p.code: p.name for p in pages},
                              data.period_end, publish)  # issue 14
    html = render_html(pages, front, data.period_end, history)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "report.html"
    partial = target.with_name(".report.html.partial")
    partial.write_text(html, encoding="utf-8")
    partial.replace(target)
    log.info("wrote %s (%d bytes, %s)", target, target.stat().st_size,
             "publish: disclosure control on" if publish else "internal: every figure shown")
    return target


def render_report(warehouse: Path, as_at: date, out_dir: Path, publish: bool,
                  settings: Settings) -> list[Path]:
    """Write report.html and report.pdf for the month containing ``as_at``."""
    html = render_html_report(warehouse, as_at, out_dir, publish, settings)
    pdf = print_pdf(html, Path(out_dir) / "report.pdf")
    return [html, pdf]
