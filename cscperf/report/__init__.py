"""The monthly performance report: marts -> one self-contained HTML file -> PDF.

``render_report(warehouse, as_at, out_dir, publish, settings)`` writes
``out_dir/report.html``, ``out_dir/report.pdf`` and ``out_dir/report.xlsx``
(``xlsx``: the same figures as an Excel workbook) for the month containing
``as_at`` and returns their paths; ``formats`` chooses among them.

Modules: ``data`` reads the marts (read-only), ``commentary`` reads the
analysts' ``commentary/YYYY-MM.yml``, ``disclosure.apply`` decides once, for
the whole report, which figures a published report hides (docs/disclosure.md),
``formatting`` prints figures, ``charts`` draws (matplotlib -> inline SVG, colours
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

import contextlib
import logging
import tempfile
from collections.abc import Collection
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from cscperf.report import disclosure
from cscperf.report.commentary import IndicatorCommentary, load_commentary
from cscperf.report.data import MartData, read_marts
from cscperf.report.errors import ReportError
from cscperf.report.history import history_section
from cscperf.report.pages import draw_pages, plan_pages
from cscperf.report.pdf import Browser, PdfJob
from cscperf.report.render import preface, render_html
from cscperf.report.work_due import work_due_jobs
from cscperf.settings import Settings

if TYPE_CHECKING:
    from cscperf.report.xlsx import PendingWorkbook

log = logging.getLogger("cscperf.report")

__all__ = ["FORMATS", "ReportError", "render_html_report", "render_report",
           "render_xlsx_report"]

FORMATS = ("html", "pdf", "xlsx")


def _write_html(marts: MartData, warehouse: Path, as_at: date, out_dir: Path, publish: bool,
                settings: Settings, commentary: dict[int, IndicatorCommentary]) -> Path:
    data = disclosure.apply(marts, publish,
                            year_start_month=settings.indicators.year_start_month)
    # every chart of the report (the pages' and the work-due trend's) drawn in one go
    pages, work_due = draw_pages(plan_pages(data, commentary),
                                 work_due_jobs(Path(warehouse), data.period_end, publish))
    front = preface(data.period_end, as_at, settings.report, publish)
    history = history_section(data.restatements, {p.code: p.name for p in pages},
                              data.period_end, publish)  # issue 14
    html = render_html(pages, front, data.period_end, work_due, history)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "report.html"
    partial = target.with_name(".report.html.partial")
    partial.write_text(html, encoding="utf-8")
    partial.replace(target)
    log.info("wrote %s (%d bytes, %s)", target, target.stat().st_size,
             "publish: disclosure control on" if publish else "internal: every figure shown")
    return target


def _build_xlsx(marts: MartData, as_at: date, out_dir: Path, publish: bool, settings: Settings,
                commentary: dict[int, IndicatorCommentary]) -> PendingWorkbook:
    from cscperf.report.xlsx import build_workbook

    front = preface(marts.period_end, as_at, settings.report, publish)
    return build_workbook(marts, commentary, front, Path(out_dir) / "report.xlsx", publish,
                          year_start_month=settings.indicators.year_start_month)


def render_html_report(warehouse: Path, as_at: date, out_dir: Path, publish: bool,
                       settings: Settings) -> Path:
    """Write ``out_dir/report.html`` only (no browser needed)."""
    marts = read_marts(Path(warehouse), as_at)
    commentary = load_commentary(settings.paths.commentary, marts.period_end)
    return _write_html(marts, warehouse, as_at, out_dir, publish, settings, commentary)


def render_xlsx_report(warehouse: Path, as_at: date, out_dir: Path, publish: bool,
                       settings: Settings) -> Path:
    """Write ``out_dir/report.xlsx`` only (cscperf.report.xlsx)."""
    marts = read_marts(Path(warehouse), as_at)
    commentary = load_commentary(settings.paths.commentary, marts.period_end)
    return _build_xlsx(marts, as_at, out_dir, publish, settings, commentary).commit()


def render_report(warehouse: Path, as_at: date, out_dir: Path, publish: bool,
                  settings: Settings, formats: Collection[str] = FORMATS) -> list[Path]:
    """Write report.html, report.pdf and report.xlsx (or those in ``formats``).

    The marts and the commentary are read once for all of them. For the PDF,
    headless Chromium is started first (it starts up while the charts are drawn),
    prints report.html in the background while the workbook is written, and is
    waited for before the workbook is put in place (so the files appear, and are
    logged, in the order html, pdf, xlsx, and a failed PDF leaves no workbook).
    """
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ReportError(f"unknown report format(s): {', '.join(sorted(unknown))}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    with contextlib.ExitStack() as stack:
        browser: Browser | None = None
        no_browser: ReportError | None = None
        if "pdf" in formats:
            try:
                browser = Browser.launch()
            except ReportError as exc:  # no Chromium: said where the PDF would be printed
                no_browser = exc
            else:
                stack.callback(browser.close)
        marts = read_marts(Path(warehouse), as_at)
        commentary = load_commentary(settings.paths.commentary, marts.period_end)
        printing: PdfJob | None = None
        if "html" in formats:
            html = _write_html(marts, warehouse, as_at, out_dir, publish, settings, commentary)
            out.append(html)
        elif "pdf" in formats:  # the PDF alone: print from a throw-away HTML file
            scratch = Path(stack.enter_context(
                tempfile.TemporaryDirectory(prefix="cscperf-report-")))
            html = _write_html(marts, warehouse, as_at, scratch, publish, settings, commentary)
        if "pdf" in formats:
            if browser is None:
                raise no_browser or ReportError("internal error: no browser")
            printing = PdfJob(browser, Path(html), out_dir / "report.pdf")
            stack.callback(printing.cancel)  # stopped if anything below fails
        if "xlsx" in formats:  # written while the PDF prints, put in place after it
            xlsx = _build_xlsx(marts, as_at, out_dir, publish, settings, commentary)
            stack.callback(xlsx.discard)
        if printing is not None:
            out.append(printing.wait())
        if "xlsx" in formats:
            out.append(xlsx.commit())
    return out
