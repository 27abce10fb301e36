"""Render the pages to one self-contained HTML file (inline CSS and SVG)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from cscperf.report import palette
from cscperf.report.charts import Chart
from cscperf.report.dates import long_date, month_name
from cscperf.report.disclosure import SUPPRESSED_COUNT, SUPPRESSED_DERIVED
from cscperf.report.history import FOOTNOTE, HistorySection
from cscperf.report.pages import IndicatorPage, summary_row
from cscperf.settings import ReportSettings

log = logging.getLogger("cscperf.report")

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Preface:
    title: str
    month: str
    organisation: str
    directorate: str
    as_at: str
    source_system: str
    contact_name: str
    contact_title: str
    contact_email: str
    contact_phone: str
    publish: bool
    suppressed_count: str = SUPPRESSED_COUNT
    suppressed_derived: str = SUPPRESSED_DERIVED


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True,
                                     default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def _stylesheet() -> Markup:
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    variables = "".join(f"--{k}:{v};" for k, v in palette.CSS_VARIABLES.items())
    # the stylesheet is ours, not data: safe to inline as is
    return Markup(f":root{{{variables}}}\n{css}")


def css_string(text: str) -> str:
    """A CSS string literal: every character but letters, digits and spaces escaped."""
    return '"' + "".join(c if c.isascii() and (c.isalnum() or c == " ") else f"\\{ord(c):06x}"
                         for c in text) + '"'


def page_rules(front: Preface) -> Markup:
    """@page rules: A4, margins, running footer with page numbers (print only)."""
    footer = css_string(f"{front.organisation} - {front.title}")
    label = css_string("Page ")
    of = css_string(" of ")
    rules = (
        "@page { size: A4; margin: 12mm 12mm 14mm;"
        f" @bottom-left {{ content: {footer}; font-size: 7pt; color: #5b6770; }}"
        f" @bottom-right {{ content: {label} counter(page) {of} counter(pages);"
        " font-size: 7pt; color: #5b6770; } }"
    )
    return Markup(rules)  # every character of data escaped


def preface(period_end: date, as_at: date, settings: ReportSettings, publish: bool) -> Preface:
    return Preface(
        title=f"Performance Report - {month_name(period_end)}",
        month=month_name(period_end),
        organisation=settings.organisation,
        directorate=settings.directorate,
        as_at=long_date(as_at),
        source_system=settings.source_system,
        contact_name=settings.contact_name,
        contact_title=settings.contact_title,
        contact_email=settings.contact_email,
        contact_phone=settings.contact_phone,
        publish=publish,
    )


def render_html(pages: list[IndicatorPage], front: Preface, period_end: date,
                work_due_charts: list[Chart] | None = None,
                history: HistorySection | None = None) -> str:
    template = _environment().get_template("report.html.j2")
    html = template.render(
        history=history,  # issue 14: restatements page, summary sentence, footnote
        history_footnote=FOOTNOTE,
        preface=front,
        pages=pages,
        summary=[summary_row(p) for p in pages],
        last_update=month_name(period_end),
        stylesheet=_stylesheet(),
        page_rules=page_rules(front),
        work_due_charts=work_due_charts or [],
    )
    log.info("rendered %d indicator pages, %d charts", len(pages),
             sum(len(p.charts) for p in pages))
    return html
