"""The report in a real browser: headless Chromium renders it, prints it, fetches nothing.

Needs Chromium (``scripts/setup.sh --with-browser``); skipped without it.
Screenshots are kept for people to look at: ``/tmp/report-screenshot.png``
(preface and summary) and ``/tmp/report-screenshot-indicator-<code>.png``
(set CSCPERF_SCREENSHOT_DIR to keep them elsewhere).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from report_fixture import build_fixture

from cscperf.report import render_report
from cscperf.report.pdf import print_pdf, run_chromium
from cscperf.settings import PROJECT_DIR, load_settings

pytestmark = pytest.mark.browser

AS_AT = date(2015, 10, 31)
SCREENSHOT_DIR = Path(os.environ.get("CSCPERF_SCREENSHOT_DIR", "/tmp"))
SCREENSHOT_PAGES = (6, 7, 1)


def _have_chromium() -> bool:
    return any(shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome"))


def test_chromium_is_installed() -> None:
    # `make test` installs it; without it the browser tests below fail loudly.
    assert _have_chromium(), "Chromium not installed: run scripts/setup.sh --with-browser"


def pdf_pages(pdf: bytes) -> int:
    """Page objects in a PDF (Chromium writes them uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


class CountingListener:
    """A TCP listener on 127.0.0.1 posing as the browser's proxy: it records the host
    of every request (``GET http://host/...`` or ``CONNECT host:443``) and answers none.
    """

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hosts: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @property
    def connections(self) -> int:
        return len(self.hosts)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            conn.settimeout(2)
            try:
                head = conn.recv(512).decode("latin-1")
            except OSError:
                head = ""
            conn.close()
            match = re.match(r"[A-Z]+ (?:\w+://)?([^/:\s]+)", head)
            self.hosts.append(match.group(1) if match else "?")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    base = tmp_path_factory.mktemp("browser")
    commentary = base / "commentary"
    commentary.mkdir()
    shutil.copy(PROJECT_DIR / "commentary" / "2015-10.yml", commentary)
    settings = load_settings()
    settings = dataclasses.replace(
        settings, paths=dataclasses.replace(settings.paths, commentary=commentary))
    warehouse = build_fixture(base / "cscperf.duckdb")
    return render_report(warehouse, AS_AT, base / "out", False, settings)


@pytest.fixture
def listener() -> Iterator[CountingListener]:
    counting = CountingListener()
    yield counting
    counting.close()


def offline_flags(listener: CountingListener) -> list[str]:
    """Every request, loopback included, would go to the counting listener."""
    return [f"--proxy-server=http://127.0.0.1:{listener.port}",
            "--proxy-bypass-list=<-loopback>"]


# Only the listener's address resolves, so a request has to reach it to fail.
PROXY_RESOLVER = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


def browse(listener: CountingListener, *args: str) -> bytes:
    result = run_chromium([*offline_flags(listener), *args], resolver_rules=PROXY_RESOLVER)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def only_page(html: str, selector: str) -> str:
    """The report with every page hidden but one (for a screenshot or a print)."""
    style = (f"<style>.page{{display:none!important}} {selector}"
             "{display:block!important;margin-top:0}</style></head>")
    return html.replace("</head>", style, 1)


def test_render_report_writes_html_and_pdf(report: list[Path]) -> None:
    html, pdf, xlsx = report  # and the workbook (tests/test_xlsx.py)
    assert html.name == "report.html" and pdf.name == "report.pdf"
    assert xlsx.name == "report.xlsx"
    assert html.stat().st_size > 100_000 and pdf.stat().st_size > 100_000


@pytest.fixture(scope="module")
def background_hosts(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Hosts Chromium itself contacts for an empty page (updater, sign-in...).

    The production print blocks these too (no host name resolves); here they
    are the baseline a page's own requests are told apart from.
    """
    page = tmp_path_factory.mktemp("blank") / "blank.html"
    page.write_text("<!DOCTYPE html><p>blank</p>")
    counting = CountingListener()
    try:
        browse(counting, "--virtual-time-budget=3000", "--dump-dom", page.as_uri())
    finally:
        counting.close()
    return set(counting.hosts)


def page_requests(listener: CountingListener, background: set[str]) -> list[str]:
    return [h for h in listener.hosts if h not in background]


def test_the_listener_sees_a_page_that_fetches(tmp_path: Path, listener: CountingListener,
                                               background_hosts: set[str]) -> None:
    """Positive control: a page with a remote image or font does reach the listener."""
    page = tmp_path / "fetches.html"
    page.write_text('<!DOCTYPE html><style>@font-face{font-family:x;src:url(https://fonts.'
                    'example.net/x.woff2)} p{font-family:x}</style><p>text</p>'
                    '<img src="http://example.org/x.png" alt="">')
    browse(listener, "--virtual-time-budget=3000", "--dump-dom", page.as_uri())
    assert {"example.org", "fonts.example.net"} <= set(page_requests(listener,
                                                                     background_hosts))


def test_browser_renders_every_section_without_network(
        report: list[Path], listener: CountingListener, background_hosts: set[str]) -> None:
    html = report[0]
    dom = browse(listener, "--virtual-time-budget=3000", "--dump-dom",
                 html.as_uri()).decode("utf-8", "replace")
    for code in range(1, 30):
        assert f'id="indicator-{code}"' in dom
    assert dom.count('class="chart-svg"') == 38
    assert "Performance Report - October 2015" in dom
    assert page_requests(listener, background_hosts) == []


def test_screenshots_for_review(report: list[Path], listener: CountingListener,
                                background_hosts: set[str], tmp_path: Path) -> None:
    html = report[0]
    shots = [(html, SCREENSHOT_DIR / "report-screenshot.png")]
    text = html.read_text(encoding="utf-8")
    for code in SCREENSHOT_PAGES:
        one = tmp_path / f"indicator-{code}.html"
        one.write_text(only_page(text, f"#indicator-{code}"), encoding="utf-8")
        shots.append((one, SCREENSHOT_DIR / f"report-screenshot-indicator-{code}.png"))
    for source, target in shots:
        png = tmp_path / target.name
        browse(listener, "--hide-scrollbars", "--window-size=1280,2000",
               f"--screenshot={png}", source.as_uri())
        assert png.exists()
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000
        with contextlib.suppress(OSError):  # somewhere read-only: the tmp copy stays
            shutil.copy(png, target)
    assert page_requests(listener, background_hosts) == []


def test_pdf_has_a_page_per_indicator(report: list[Path]) -> None:
    data = report[1].read_bytes()
    assert data.startswith(b"%PDF-")
    # preface + summary + 29 indicators, a few of which take two pages
    assert 31 <= pdf_pages(data) <= 40


def test_pdf_text_has_the_report_and_every_indicator(report: list[Path]) -> None:
    # poppler's pdftotext is installed with Chromium by scripts/setup.sh --with-browser
    raw = subprocess.run(
        ["pdftotext", str(report[1]), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(raw.split())
    assert "Performance Report - October 2015" in text
    assert "Contacts Screened by a Qualified Practitioner on Same Working Day" in text
    assert "Looked After Children Reviews Within Timescale in Month" in text
    # one page header per indicator
    assert len(re.findall(r"RESPONSIBLE OFFICER", text, re.IGNORECASE)) >= 29


def test_summary_fits_on_one_page(report: list[Path], tmp_path: Path) -> None:
    one = tmp_path / "summary.html"
    one.write_text(only_page(report[0].read_text(encoding="utf-8"), "#summary"),
                   encoding="utf-8")
    pdf = print_pdf(one, tmp_path / "summary.pdf")
    assert pdf_pages(pdf.read_bytes()) == 1


@pytest.mark.parametrize("code", [4, 6, 7, 18, 26])
def test_a_simple_indicator_fits_on_one_page(report: list[Path], tmp_path: Path,
                                             code: int) -> None:
    one = tmp_path / f"indicator-{code}.html"
    one.write_text(only_page(report[0].read_text(encoding="utf-8"), f"#indicator-{code}"),
                   encoding="utf-8")
    pdf = print_pdf(one, tmp_path / f"indicator-{code}.pdf")
    assert pdf_pages(pdf.read_bytes()) == 1
