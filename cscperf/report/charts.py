"""The report's charts: matplotlib figures rendered to inline, accessible SVG.

Every chart comes with a title (shown as the figure caption and as the SVG
``<title>``), a one-sentence text alternative (``<desc>``) and a data table
holding every number drawn. In publish mode a suppressed figure is left out
of the drawing, printed as ``<5`` / ``[c]`` in the table, and the chart says
so in a note.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import multiprocessing
import os
import signal
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

import matplotlib
import matplotlib.backends.backend_svg  # savefig's backend, imported before draw_all forks
from markupsafe import Markup
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from cscperf.calendar import month_end_after
from cscperf.report import palette
from cscperf.report.data import BreakdownCell, ValuePoint
from cscperf.report.dates import month_label
from cscperf.report.disclosure import Disclosure
from cscperf.report.formatting import NOT_AVAILABLE, fmt_count, fmt_target, fmt_value
from cscperf.report.labels import category_label
from cscperf.report.svg import inline_svg

log = logging.getLogger("cscperf.report")

WIDTH_IN = 6.2
# Category labels come from the data (a locality is free text): in a chart they are
# cut to this many characters; the data table under the chart prints them whole.
LABEL_CHARS = 40
SUPPRESSION_NOTE = (
    "Figures based on counts of 1 to 4 are not drawn; the data table shows them as "
    "<5 or [c]."
)


@dataclass(frozen=True)
class DataTable:
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    svg: Markup
    table: DataTable
    note: str | None = None
    compact: bool = False  # half width: laid out side by side with the next compact chart


@dataclass(frozen=True)
class ChartJob:
    """A chart to draw later: ``draw(*args)`` (one of this module's chart functions)."""

    draw: Callable[..., Chart]
    args: tuple[Any, ...]


# At most this many processes draw a report's charts (draw_all); fewer charts than
# MIN_PARALLEL_CHARTS are drawn in this process.
CHART_WORKERS = 2
MIN_PARALLEL_CHARTS = 8
_pending: Sequence[ChartJob] = ()  # the jobs of draw_all, inherited by its forked workers
_pool_lock = threading.Lock()


def _forked() -> None:
    """A worker's start: its jobs are in memory already; stop on SIGINT with the parent."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _draw_pending(index: int) -> Chart:
    job = _pending[index]
    return job.draw(*job.args)


def _workers(jobs: int) -> int:
    if jobs < MIN_PARALLEL_CHARTS or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if multiprocessing.current_process().daemon:  # a daemon may not start processes
        return 1
    return max(1, min(CHART_WORKERS, len(os.sched_getaffinity(0))
                      if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def draw_all(jobs: Sequence[ChartJob]) -> list[Chart]:
    """Draw every job's chart, in the jobs' order.

    matplotlib's work is most of the report's: with more than one core the charts
    are drawn by a small pool of forked workers (forked: they inherit matplotlib
    already imported and the jobs themselves, so only the finished charts are
    pickled back). Each chart is drawn alone in its own rc_context with its own
    ``svg.hashsalt``, so its SVG is the same whichever process draws it.
    """
    global _pending
    started = time.monotonic()
    workers = _workers(len(jobs))
    if workers == 1:
        drawn = [job.draw(*job.args) for job in jobs]
    else:
        # one pool at a time: its workers are forked with _pending as it is then
        with _pool_lock:
            _pending = jobs
            try:
                # a worker that dies breaks the pool (BrokenProcessPool), it does not hang
                with ProcessPoolExecutor(workers, initializer=_forked,
                                         mp_context=multiprocessing.get_context("fork")) as pool:
                    drawn = list(pool.map(_draw_pending, range(len(jobs))))
            finally:
                _pending = ()
    log.debug("drew %d charts in %.2f s (%d process(es))", len(jobs),
              time.monotonic() - started, workers)
    return drawn


def chart_label(text: str) -> str:
    """A data-derived label as drawn: one line, at most LABEL_CHARS characters.

    Drawn literally: ``text.parse_math`` is off in every chart (``_rc``), so a
    ``$`` in a locality is a dollar sign, not matplotlib mathtext.
    """
    line = " ".join(str(text).split())
    return line if len(line) <= LABEL_CHARS else line[:LABEL_CHARS - 1] + "\u2026"


def _rc(chart_id: str) -> dict[str, Any]:
    return {
        # every text is literal: data-derived labels ($, \, ^) never reach mathtext or TeX
        "text.parse_math": False,
        "text.usetex": False,
        "svg.fonttype": "none",
        "svg.hashsalt": f"cscperf-{chart_id}",
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans", "Arial", "Liberation Sans", "Helvetica"],
        "font.size": 8.0,
        "axes.edgecolor": "#9aa5b1",
        "axes.labelcolor": palette.INK,
        "axes.labelsize": 8.0,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "axes.axisbelow": True,
        "grid.color": "#e3e8ed",
        "grid.linewidth": 0.7,
        "xtick.color": palette.MUTED,
        "ytick.color": palette.MUTED,
        "xtick.labelsize": 7.5,
        "ytick.labelsize": 7.5,
        "legend.frameon": False,
        "legend.fontsize": 7.5,
        "lines.linewidth": 1.8,
    }


@contextlib.contextmanager
def _no_layout_pass(fig: Figure) -> Iterator[None]:
    """Skip the figure's layout-only draw while it is saved with ``bbox_inches="tight"``.

    savefig draws a figure twice for a tight box: once with the renderer's drawing
    switched off (``RendererBase._draw_disabled``, to bring its layout up to date),
    then for real. Measuring the box needs no such pass for these charts (no layout
    engine, no draw-time layout): the SVG is byte for byte the same without it
    (tests/test_report.py draws every chart kind both ways) and a chart costs about
    a fifth less. Only a draw whose renderer draws nothing is skipped.
    """

    def draw(renderer: Any) -> None:
        drawing = getattr(renderer, "_renderer", renderer)  # MixedModeRenderer's SVG one
        if "draw_path" in vars(drawing):  # inside _draw_disabled: nothing would be drawn
            return
        Figure.draw(fig, renderer)

    setattr(fig, "draw", draw)  # noqa: B010 (an instance attribute, removed below)
    try:
        yield
    finally:
        delattr(fig, "draw")


def _render(fig: Figure, chart_id: str, title: str, description: str) -> Markup:
    buffer = io.StringIO()
    with matplotlib.rc_context(_rc(chart_id)), warnings.catch_warnings(), _no_layout_pass(fig):
        # text is written as text (svg.fonttype none): the browser's fonts draw it, so a
        # glyph DejaVu Sans lacks (a locality in Chinese script) is no problem here
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from", category=UserWarning)
        fig.savefig(buffer, format="svg", bbox_inches="tight", pad_inches=0.04,
                    metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    return inline_svg(buffer.getvalue(), chart_id, title, description)


def _new_figure(chart_id: str, height: float, width: float = WIDTH_IN) -> Figure:
    with matplotlib.rc_context(_rc(chart_id)):
        return Figure(figsize=(width, height))


def _percent_axis(ax: Any) -> None:
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.0f}%"))


def _count_axis(ax: Any) -> None:
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))


# --------------------------------------------------------------------------
# trend: the last 13 months against the same months one and two years earlier
# --------------------------------------------------------------------------

def trend_chart(chart_id: str, title: str, period_end: date, points: dict[date, ValuePoint],
                is_percentage: bool, target: float | None, plan: Disclosure,
                code: int) -> Chart:
    windows = [[month_end_after(period_end, -12 * k - 12 + i) for i in range(13)] for k in range(3)]
    names = [f"{month_label(w[0])} to {month_label(w[-1])}" for w in windows]
    styles = [
        {"color": palette.TREND_CURRENT, "linestyle": "-", "marker": "o", "markersize": 3.2,
         "linewidth": 2.2, "zorder": 4},
        {"color": palette.TREND_PREVIOUS, "linestyle": "--", "marker": None, "linewidth": 1.5,
         "zorder": 3},
        {"color": palette.TREND_EARLIER, "linestyle": ":", "marker": None, "linewidth": 1.5,
         "zorder": 2},
    ]
    texts: list[list[str]] = []
    suppressed_any = False
    fig = _new_figure(chart_id, 2.55)
    with matplotlib.rc_context(_rc(chart_id)):
        ax = fig.add_subplot()
        drawn: list[float] = []
        for window, name, style in zip(windows, names, styles, strict=True):
            ys: list[float] = []
            column: list[str] = []
            for m in window:
                p = points.get(m)
                if p is None:
                    ys.append(math.nan)
                    column.append("")
                    continue
                symbol = plan.value(code, m)
                text = fmt_value(p.value, is_percentage, symbol)
                column.append(text)
                hidden = symbol is not None
                suppressed_any = suppressed_any or hidden
                ys.append(math.nan if hidden or p.value is None else float(p.value))
            texts.append(column)
            if all(math.isnan(y) for y in ys):
                continue
            ax.plot(range(13), ys, label=name, **style)
            drawn += [y for y in ys if not math.isnan(y)]
        if target is not None:
            ax.axhline(target, color=palette.TARGET, linewidth=1.1, linestyle=(0, (5, 2, 1, 2)),
                       zorder=1, label=f"Target ({fmt_target(target, is_percentage)})")
            drawn.append(target)
        last = texts[0][-1]
        p_last = points.get(period_end)
        if p_last is not None and p_last.value is not None and not plan.value(code, period_end):
            ax.annotate(last, (12, float(p_last.value)), xytext=(0, 7),
                        textcoords="offset points", ha="center", fontsize=7.5,
                        color=palette.TREND_CURRENT, fontweight="bold")
        top = max(drawn) if drawn else 1.0
        top = top * 1.18 if top > 0 else 1.0
        if is_percentage:
            top = min(max(top, 10.0), 108.0)
            _percent_axis(ax)
        else:
            _count_axis(ax)
        ax.set_ylim(0, top)
        ax.set_xlim(-0.4, 12.4)
        ax.set_xticks(range(13))
        ax.set_xticklabels([m.strftime("%b") for m in windows[0]])
        ax.set_xlabel(f"Month ({names[0]}; earlier years at the same months)")
        ax.set_ylabel("Percentage" if is_percentage else "Number")
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=4, handlelength=2.6)
        if not any(t and not t.startswith(("<", "[", "N/A")) for col in texts for t in col):
            ax.text(0.5, 0.5, "No figures for these months", transform=ax.transAxes,
                    ha="center", va="center", color=palette.MUTED)
    rows = [
        [month_label(windows[0][i]), texts[0][i] or "N/A", texts[1][i] or "N/A",
         texts[2][i] or "N/A"]
        for i in range(13)
    ]
    description = (
        f"Line chart of {title.lower()} by month, {names[0]}, with the same months one year "
        f"earlier (dashed) and two years earlier (dotted). Latest value ({month_label(period_end)})"
        f": {texts[0][-1] or 'N/A'}; a year earlier: {texts[1][-1] or 'N/A'}; two years "
        f"earlier: {texts[2][-1] or 'N/A'}."
    )
    if target is not None:
        description += f" Target: {fmt_target(target, is_percentage)}."
    table = DataTable(["Month", "Value", "One year earlier", "Two years earlier"], rows)
    return Chart(chart_id, title, _render(fig, chart_id, title, description), table,
                 SUPPRESSION_NOTE if suppressed_any else None)


# --------------------------------------------------------------------------
# breakdowns
# --------------------------------------------------------------------------

def _dimension(cells: Sequence[BreakdownCell]) -> str | None:
    return cells[0].dimension if cells else None


def _categories(cells: Sequence[BreakdownCell]) -> list[str | None]:
    order: dict[str | None, int] = {}
    for c in cells:
        order.setdefault(c.category, c.category_order)
    return sorted(order, key=lambda k: (order[k], k or ""))


def _grid(cells: Sequence[BreakdownCell]
          ) -> tuple[list[str | None], dict[tuple[date, str | None], int | None]]:
    """Categories in order, and each (month, category)'s count (None: hidden)."""
    counts: dict[tuple[date, str | None], int | None] = {}
    for c in cells:
        key = (c.period_end, c.category)
        before = counts.get(key, 0)
        counts[key] = None if c.count is None or before is None else before + c.count
    return _categories(cells), counts


@dataclass(frozen=True)
class _Cells:
    """One breakdown dimension's counts with disclosure symbols."""

    code: int
    dimension: str | None
    counts: dict[tuple[date, str | None], int | None]
    plan: Disclosure

    def cell(self, month: date, category: str | None) -> tuple[str, float]:
        """The table text and the drawn height (nan: hidden, not drawn)."""
        if self.dimension is not None:
            symbol = self.plan.breakdown(self.code, self.dimension, month, category)
            if symbol:
                return symbol, math.nan
        if (month, category) not in self.counts:
            return "0", 0.0
        n = self.counts[(month, category)]
        if n is None:
            return NOT_AVAILABLE, math.nan
        return fmt_count(n), float(n)


def _cells(code: int, cells: Sequence[BreakdownCell], plan: Disclosure
           ) -> tuple[list[str | None], _Cells]:
    categories, counts = _grid(cells)
    return categories, _Cells(code, _dimension(cells), counts, plan)


def monthly_chart(chart_id: str, title: str, period_end: date, cells: Sequence[BreakdownCell],
                  plan: Disclosure, code: int,
                  totals: dict[tuple[int, str, date], int | None]) -> Chart:
    """Stacked bars: each month's count by category, over the last 13 months."""
    months = [month_end_after(period_end, i - 12) for i in range(13)]
    categories, grid = _cells(code, cells, plan)
    labels = [category_label(c, grid.dimension) for c in categories]
    suppressed = False
    fig = _new_figure(chart_id, 2.6)
    with matplotlib.rc_context(_rc(chart_id)):
        ax = fig.add_subplot()
        bottoms = [0.0] * 13
        for i, (cat, lab) in enumerate(zip(categories, labels, strict=True)):
            heights: list[float] = []
            for m in months:
                _text, h = grid.cell(m, cat)
                suppressed = suppressed or math.isnan(h)
                heights.append(0.0 if math.isnan(h) else h)
            ax.bar(range(13), heights, bottom=bottoms, width=0.72, label=chart_label(lab),
                   color=palette.category_colour(i), edgecolor="white", linewidth=0.4)
            bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
        _count_axis(ax)
        ax.set_xticks(range(13))
        ax.set_xticklabels([m.strftime("%b\n%y") for m in months])
        ax.set_ylabel("Number")
        ax.set_xlabel("Month")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), handlelength=1.2)
    rows: list[list[str]] = []
    for m in months:
        row = [month_label(m)] + [grid.cell(m, cat)[0] for cat in categories]
        total = totals.get((code, grid.dimension or "", m), 0)
        symbol = plan.breakdown_total(code, grid.dimension or "", m)
        row.append(symbol or fmt_count(total))
        rows.append(row)
    latest = ", ".join(f"{lab} {text}" for lab, text in zip(labels, rows[-1][1:-1], strict=True))
    description = (
        f"Stacked bar chart of {title.lower()}, {month_label(months[0])} to "
        f"{month_label(months[-1])}. {month_label(period_end)}: {latest}; total {rows[-1][-1]}."
    )
    table = DataTable(["Month", *labels, "Total"], rows)
    return Chart(chart_id, title, _render(fig, chart_id, title, description), table,
                 SUPPRESSION_NOTE if suppressed else None)


def _barh_labels(ax: Any, ys: list[float], widths: list[float], texts: list[str]) -> None:
    for y, w, text in zip(ys, widths, texts, strict=True):
        ax.annotate(text, (w, y), xytext=(3, 0), textcoords="offset points",
                    va="center", fontsize=7, color=palette.INK)


def current_month_chart(chart_id: str, title: str, period_end: date,
                        cells: Sequence[BreakdownCell], plan: Disclosure, code: int) -> Chart:
    """Horizontal bars by category: this month, with last month for comparison."""
    this, before = period_end, month_end_after(period_end, -1)
    categories, grid = _cells(code, cells, plan)
    labels = [category_label(c, grid.dimension) for c in categories]
    n = len(categories)
    compact = n <= 3
    suppressed = False
    fig = _new_figure(chart_id, max(1.3, 0.36 * n + 0.55), width=2.7 if compact else WIDTH_IN)
    with matplotlib.rc_context(_rc(chart_id)):
        ax = fig.add_subplot()
        ax.grid(axis="x", visible=True)
        ax.grid(axis="y", visible=False)
        height = 0.38
        top = 1.0
        for offset, month, colour in ((height / 2, before, palette.LIGHT),
                                      (-height / 2, this, palette.TREND_CURRENT)):
            widths: list[float] = []
            texts: list[str] = []
            for cat in categories:
                text, w = grid.cell(month, cat)
                suppressed = suppressed or math.isnan(w)
                widths.append(0.0 if math.isnan(w) else w)
                texts.append(text)
            ys = [n - 1 - i + offset for i in range(n)]
            ax.barh(ys, widths, height=height, color=colour, label=month.strftime("%B %Y"))
            _barh_labels(ax, ys, widths, texts)
            top = max(top, *widths)
        ax.set_yticks([n - 1 - i for i in range(n)])
        ax.set_yticklabels([chart_label(lab) for lab in labels])
        ax.set_xlim(0, top * 1.15)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        ax.set_xlabel("Number")
        handles, legend_labels = ax.get_legend_handles_labels()
        ax.legend(handles, legend_labels, loc="lower left",
                  bbox_to_anchor=(0.0, 1.0), ncol=2, borderaxespad=0.2)
    rows = []
    for cat, lab in zip(categories, labels, strict=True):
        rows.append([lab, grid.cell(before, cat)[0], grid.cell(this, cat)[0]])
    latest = ", ".join(f"{r[0]} {r[2]}" for r in rows)
    description = (
        f"Bar chart of {title.lower()}: {month_label(this)} against {month_label(before)}. "
        f"{month_label(this)}: {latest}."
    )
    table = DataTable(["Category", month_label(before), month_label(this)], rows)
    return Chart(chart_id, title, _render(fig, chart_id, title, description), table,
                 SUPPRESSION_NOTE if suppressed else None, compact=compact)


def paired_chart(chart_id: str, title: str, period_end: date,
                 cells: Sequence[BreakdownCell], subset: Sequence[BreakdownCell],
                 series: tuple[str, str], plan: Disclosure, code: int) -> Chart:
    """Horizontal bars by category for the month: all, and the subset (e.g. step-down)."""
    all_cats, all_grid = _cells(code, cells, plan)
    sub_cats, sub_grid = _cells(code, subset, plan)
    categories = all_cats + [c for c in sub_cats if c not in all_cats]
    labels = [category_label(c, all_grid.dimension) for c in categories]
    n = len(categories)
    suppressed = False
    columns: list[list[str]] = []
    fig = _new_figure(chart_id, max(1.3, 0.36 * n + 0.55))
    with matplotlib.rc_context(_rc(chart_id)):
        ax = fig.add_subplot()
        ax.grid(axis="x", visible=True)
        ax.grid(axis="y", visible=False)
        height = 0.38
        top = 1.0
        for offset, grid, colour, name in (
                (height / 2, all_grid, palette.LIGHT, series[0]),
                (-height / 2, sub_grid, palette.TREND_CURRENT, series[1])):
            widths: list[float] = []
            texts: list[str] = []
            for cat in categories:
                text, w = grid.cell(period_end, cat)
                suppressed = suppressed or math.isnan(w)
                widths.append(0.0 if math.isnan(w) else w)
                texts.append(text)
            columns.append(texts)
            ys = [n - 1 - i + offset for i in range(n)]
            ax.barh(ys, widths, height=height, color=colour, label=name)
            _barh_labels(ax, ys, widths, texts)
            top = max(top, *widths) if widths else top
        ax.set_yticks([n - 1 - i for i in range(n)])
        ax.set_yticklabels([chart_label(lab) for lab in labels])
        ax.set_xlim(0, top * 1.15)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        ax.set_xlabel(f"Number ({month_label(period_end)})")
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, borderaxespad=0.2)
    rows = [[lab, columns[0][i], columns[1][i]] for i, lab in enumerate(labels)]
    latest = ", ".join(f"{r[0]} {r[1]} ({r[2]} {series[1].lower()})" for r in rows)
    description = f"Bar chart of {title.lower()}, {month_label(period_end)}: {latest}."
    table = DataTable(["Category", series[0], series[1]], rows)
    return Chart(chart_id, title, _render(fig, chart_id, title, description), table,
                 SUPPRESSION_NOTE if suppressed else None)


def caf_summary_chart(chart_id: str, title: str, period_end: date,
                      cells: Sequence[BreakdownCell], plan: Disclosure, code: int) -> Chart:
    """CAFs started and closed (bars) and open at month end (line), by month."""
    months = [month_end_after(period_end, i - 12) for i in range(13)]
    categories, grid = _cells(code, cells, plan)
    labels = [category_label(c, grid.dimension) for c in categories]
    line_cats = [c for c in categories if c and "open" in c.lower()]
    bar_cats = [c for c in categories if c not in line_cats]
    suppressed = False
    fig = _new_figure(chart_id, 2.6)
    with matplotlib.rc_context(_rc(chart_id)):
        ax = fig.add_subplot()
        width = 0.8 / max(1, len(bar_cats))
        for i, cat in enumerate(bar_cats):
            heights = []
            for m in months:
                _t, h = grid.cell(m, cat)
                suppressed = suppressed or math.isnan(h)
                heights.append(0.0 if math.isnan(h) else h)
            xs = [x - 0.4 + width * (i + 0.5) for x in range(13)]
            ax.bar(xs, heights, width=width * 0.95, color=palette.category_colour(i),
                   label=chart_label(category_label(cat, grid.dimension)))
        _count_axis(ax)
        ax.set_ylabel("CAFs started / closed")
        ax.set_xticks(range(13))
        ax.set_xticklabels([m.strftime("%b\n%y") for m in months])
        ax.set_xlabel("Month")
        handles, names = ax.get_legend_handles_labels()
        if line_cats:
            ax2 = ax.twinx()
            ax2.spines["right"].set_visible(True)
            ax2.grid(False)
            drawn: list[float] = []
            for cat in line_cats:
                ys = []
                for m in months:
                    _t, h = grid.cell(m, cat)
                    suppressed = suppressed or math.isnan(h)
                    ys.append(h if (m, cat) in grid.counts else math.nan)
                drawn += [y for y in ys if not math.isnan(y)]
                ax2.plot(range(13), ys, color=palette.NAVY, marker="o", markersize=3,
                         label=chart_label(category_label(cat, grid.dimension)))
            ax2.set_ylim(0, max([*drawn, 1]) * 1.2)
            _count_axis(ax2)
            ax2.set_ylabel("CAFs open at month end")
            h2, n2 = ax2.get_legend_handles_labels()
            handles, names = handles + h2, names + n2
        ax.legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=3)
    rows = []
    for m in months:
        rows.append([month_label(m)] + [grid.cell(m, c)[0] for c in categories])
    latest = ", ".join(f"{lab} {t}" for lab, t in zip(labels, rows[-1][1:], strict=True))
    description = (
        f"Bar and line chart of CAFs by month, {month_label(months[0])} to "
        f"{month_label(months[-1])}. {month_label(period_end)}: {latest}."
    )
    table = DataTable(["Month", *labels], rows)
    return Chart(chart_id, title, _render(fig, chart_id, title, description), table,
                 SUPPRESSION_NOTE if suppressed else None)
