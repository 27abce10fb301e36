"""Turn matplotlib's SVG output into an accessible, inline ``<svg>`` element.

- drops the XML prolog, DOCTYPE, comments and namespace declarations (inline SVG in
  HTML needs none, and the report must not contain any URL);
- ``xlink:href`` becomes ``href`` (SVG 2);
- ids that nothing references are dropped and the rest are prefixed with the
  chart id, so several charts in one page never share an id;
- adds ``role="img"``, ``<title>`` and ``<desc>`` (the text alternative);
- drops the fixed width and height so CSS sizes the chart (the viewBox keeps
  its proportions).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_ID = re.compile(r'\sid="([^"]+)"')
_URL_REF = re.compile(r"url\(#([^)]+)\)")
_HREF_REF = re.compile(r'href="#([^"]+)"')
_ROOT = re.compile(r"<svg\b[^>]*>")


def _root_tag(tag: str, chart_id: str) -> str:
    view_box = re.search(r'viewBox="([^"]+)"', tag)
    vb = f' viewBox="{view_box.group(1)}"' if view_box else ""
    return (
        f'<svg class="chart-svg"{vb} role="img" focusable="false" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
    )


def inline_svg(raw: str, chart_id: str, title: str, description: str) -> Markup:
    start = raw.find("<svg")
    if start < 0:
        raise ValueError("not an SVG document")
    svg = raw[start:]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    # comments carry nothing the reader needs (and may repeat data-derived text)
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    # matplotlib's global "*{stroke-linejoin...}" rule would leak into the page;
    # the stylesheet scopes the same rule to .chart-svg
    svg = re.sub(r"<style\b[^>]*>.*?</style>", "", svg, flags=re.S)
    svg = svg.replace("xlink:href=", "href=")
    referenced = set(_URL_REF.findall(svg)) | set(_HREF_REF.findall(svg))

    def fix_id(match: re.Match[str]) -> str:
        name = match.group(1)
        return f' id="{chart_id}-{name}"' if name in referenced else ""

    svg = _ID.sub(fix_id, svg)
    svg = _URL_REF.sub(lambda m: f"url(#{chart_id}-{m.group(1)})", svg)
    svg = _HREF_REF.sub(lambda m: f'href="#{chart_id}-{m.group(1)}"', svg)
    svg = _ROOT.sub(lambda m: _root_tag(m.group(0), chart_id), svg, count=1)
    head_end = svg.index(">") + 1
    alt = (
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
    )
    svg = svg[:head_end] + alt + svg[head_end:]
    # collapse matplotlib's indentation: smaller file, same drawing
    svg = re.sub(r">\s+<", "><", svg).strip()
    return Markup(svg)  # matplotlib output; it escapes labels
