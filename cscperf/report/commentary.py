"""Analysts' commentary: ``commentary/YYYY-MM.yml``, one file per reporting month.

The format is documented at the top of ``commentary/2015-10.yml``::

    month: 2015-10
    indicators:
      6:
        comment: |
          A paragraph.

          - a bullet
            - a nested bullet
        assessment: met            # optional override: met | close | not met
        assessment_reason: ...     # required with an override

Comments are plain text with a little markdown: blank lines separate
paragraphs, lines starting with ``-`` or ``*`` are bullets (indent to nest),
``**bold**`` and ``*italic*``. Everything is HTML-escaped first, so a comment
can never inject markup into the report.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup, escape

from cscperf.report.errors import ReportError

log = logging.getLogger("cscperf.report")

ASSESSMENTS = ("met", "close", "not met")
VALID_CODES = range(1, 30)
_KNOWN_KEYS = {"comment", "assessment", "assessment_reason"}


@dataclass(frozen=True)
class IndicatorCommentary:
    comment: str | None = None
    assessment: str | None = None
    assessment_reason: str | None = None


def commentary_path(directory: Path, period_end: date) -> Path:
    return Path(directory) / f"{period_end:%Y-%m}.yml"


def load_commentary(directory: Path, period_end: date) -> dict[int, IndicatorCommentary]:
    """The month's commentary by indicator code; empty when there is no file."""
    path = commentary_path(directory, period_end)
    if not path.exists():
        log.info("no commentary file %s: comment boxes stay empty", path)
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ReportError(f"{path}: not valid YAML: {exc}") from exc
    return parse_commentary(data, path, period_end)


def parse_commentary(data: Any, path: Path, period_end: date) -> dict[int, IndicatorCommentary]:
    if not isinstance(data, dict):
        raise ReportError(f"{path}: expected a mapping with 'indicators'")
    month = data.get("month")
    if month is not None and str(month) != f"{period_end:%Y-%m}":
        raise ReportError(f"{path}: month is {month}, expected {period_end:%Y-%m}")
    indicators = data.get("indicators") or {}
    if not isinstance(indicators, dict):
        raise ReportError(f"{path}: 'indicators' must map indicator codes to entries")
    out: dict[int, IndicatorCommentary] = {}
    for key, entry in indicators.items():
        try:
            code = int(key)
        except (TypeError, ValueError):
            raise ReportError(f"{path}: indicator code {key!r} is not a number") from None
        if code not in VALID_CODES:
            raise ReportError(f"{path}: indicator code {code} is not 1-29")
        if entry is None:
            continue
        if isinstance(entry, str):
            entry = {"comment": entry}
        if not isinstance(entry, dict):
            raise ReportError(f"{path}: indicator {code}: expected comment/assessment keys")
        unknown = set(entry) - _KNOWN_KEYS
        if unknown:
            raise ReportError(f"{path}: indicator {code}: unknown key(s) {sorted(unknown)}")
        assessment = entry.get("assessment")
        reason = entry.get("assessment_reason")
        if assessment is not None:
            assessment = str(assessment).strip().lower()
            if assessment not in ASSESSMENTS:
                raise ReportError(
                    f"{path}: indicator {code}: assessment {assessment!r} is not one of "
                    f"{', '.join(ASSESSMENTS)}"
                )
            if not reason or not str(reason).strip():
                raise ReportError(
                    f"{path}: indicator {code}: an assessment override needs an "
                    "assessment_reason"
                )
        comment = entry.get("comment")
        out[code] = IndicatorCommentary(
            comment=str(comment).strip() if comment else None,
            assessment=assessment,
            assessment_reason=str(reason).strip() if reason else None,
        )
    log.info("commentary %s: %d indicator(s)", path, len(out))
    return out


# --------------------------------------------------------------------------
# markdown-ish -> safe HTML
# --------------------------------------------------------------------------

_BULLET = re.compile(r"^(\s*)[-*\u2022]\s+(.*)$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")


def _inline(text: str) -> str:
    """Escape, then apply **bold** and *italic* (the markers survive escaping)."""
    html = str(escape(text))
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    return _ITALIC.sub(r"<em>\1</em>", html)


def _render_list(items: list[tuple[int, str]]) -> str:
    """Nested <ul> from (indent, text) items; deeper indent nests under the item before."""
    out: list[str] = []
    stack: list[int] = []
    for indent, text in items:
        if not stack or indent > stack[-1]:
            out.append("<ul>")
            stack.append(indent)
        else:
            while len(stack) > 1 and indent < stack[-1]:
                out.append("</li></ul>")
                stack.pop()
            out.append("</li>")
        out.append(f"<li>{_inline(text)}")
    out.append("</li>")
    while len(stack) > 1:
        out.append("</ul></li>")
        stack.pop()
    out.append("</ul>")
    return "".join(out)


def render_comment(text: str | None) -> Markup | None:
    """Paragraphs and bullet lists as HTML; every character of input is escaped."""
    if not text or not text.strip():
        return None
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[tuple[int, str]] = []

    def flush_paragraph() -> None:
        if paragraph:
            blocks.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()

    def flush_items() -> None:
        if items:
            blocks.append(_render_list(items))
            items.clear()

    for line in text.splitlines():
        if not line.strip():
            flush_paragraph()
            flush_items()
            continue
        bullet = _BULLET.match(line)
        if bullet:
            flush_paragraph()
            items.append((len(bullet.group(1).expandtabs(4)), bullet.group(2).strip()))
        elif items and line.startswith((" ", "\t")):
            indent, previous = items[-1]
            items[-1] = (indent, f"{previous} {line.strip()}")
        else:
            flush_items()
            paragraph.append(line.strip())
    flush_paragraph()
    flush_items()
    return Markup("\n".join(blocks))  # built from escaped text only
