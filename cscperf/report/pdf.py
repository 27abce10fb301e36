"""Print the HTML report to PDF with headless Chromium (no network, no profile)."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from cscperf.report.errors import ReportError

log = logging.getLogger("cscperf.report")

CHROMIUM_ENV = "CSCPERF_CHROMIUM"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_SECONDS = 180

# Flags for a private, offline, deterministic headless run.
BASE_FLAGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--metrics-recording-only",
    "--no-pings",
    "--disable-breakpad",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,Translate,"
    "AutofillServerCommunication",
)
# No host name resolves: nothing can be fetched even if a page asked for it.
OFFLINE_RESOLVER = "--host-resolver-rules=MAP * ~NOTFOUND"


def find_chromium() -> str:
    """The Chromium binary: $CSCPERF_CHROMIUM, else the first on PATH."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        found = shutil.which(configured)
        if found:
            return found
        raise ReportError(f"{CHROMIUM_ENV}={configured} is not an executable")
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise ReportError(
        "Chromium is needed to print the report to PDF and was not found; run "
        "scripts/setup.sh --with-browser (or set CSCPERF_CHROMIUM to the browser binary)"
    )


def run_chromium(args: list[str], timeout: float = TIMEOUT_SECONDS,
                 chromium: str | None = None,
                 resolver_rules: str = OFFLINE_RESOLVER) -> subprocess.CompletedProcess[bytes]:
    """Run headless Chromium with a throw-away profile and the offline flags.

    ``resolver_rules`` replaces the default "nothing resolves" rule (the
    browser tests route every request to a counting listener instead).
    """
    binary = chromium or find_chromium()
    with tempfile.TemporaryDirectory(prefix="cscperf-chromium-") as profile:
        cmd = [binary, *BASE_FLAGS, resolver_rules, f"--user-data-dir={profile}", *args]
        log.debug("running %s", " ".join(cmd))
        try:
            return subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ReportError(f"Chromium did not finish within {timeout:.0f}s") from exc


def print_pdf(html: Path, pdf: Path, chromium: str | None = None) -> Path:
    """Print ``html`` to ``pdf`` (A4, no header or footer; CSS @page decides the rest)."""
    html, pdf = Path(html).resolve(), Path(pdf).resolve()
    if pdf.exists():
        pdf.unlink()
    result = run_chromium(
        ["--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
         f"--print-to-pdf={pdf}", html.as_uri()],
        chromium=chromium,
    )
    if not pdf.exists() or pdf.stat().st_size == 0:
        tail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
        raise ReportError(
            f"Chromium did not write {pdf} (exit {result.returncode}): " + " | ".join(tail)
        )
    log.info("wrote %s (%d bytes)", pdf, pdf.stat().st_size)
    return pdf
