"""Print the HTML report to PDF with headless Chromium (no network, no profile)."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
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


@dataclass
class PdfJob:
    """A Chromium printing ``html`` to ``pdf`` in the background (:func:`start_pdf`).

    Its profile and its stderr live in a throw-away folder until :func:`finish_pdf`
    (or :meth:`cancel`); stdout goes nowhere, so a chatty browser never blocks on
    a full pipe while the caller does other work.
    """

    pdf: Path
    process: subprocess.Popen[bytes]
    scratch: Path
    deadline: float
    timeout: float

    def cancel(self) -> None:
        """Stop the browser (if still running) and remove its profile."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.scratch, ignore_errors=True)


def start_pdf(html: Path, pdf: Path, chromium: str | None = None,
              timeout: float = TIMEOUT_SECONDS) -> PdfJob:
    """Start printing ``html`` to ``pdf`` (A4, no header or footer; CSS @page decides
    the rest) and return at once; :func:`finish_pdf` waits for it."""
    html, pdf = Path(html).resolve(), Path(pdf).resolve()
    if pdf.exists():
        pdf.unlink()
    binary = chromium or find_chromium()
    scratch = Path(tempfile.mkdtemp(prefix="cscperf-chromium-"))
    profile = scratch / "profile"
    profile.mkdir()
    cmd = [binary, *BASE_FLAGS, OFFLINE_RESOLVER, f"--user-data-dir={profile}",
           "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
           f"--print-to-pdf={pdf}", html.as_uri()]
    log.debug("running %s", " ".join(cmd))
    try:
        with (scratch / "stderr").open("wb") as err:
            process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=err)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return PdfJob(pdf, process, scratch, time.monotonic() + timeout, timeout)


def finish_pdf(job: PdfJob) -> Path:
    """Wait for :func:`start_pdf`'s browser (within its timeout) and check the PDF."""
    try:
        try:
            returncode = job.process.wait(timeout=max(0.0, job.deadline - time.monotonic()))
        except subprocess.TimeoutExpired as exc:
            raise ReportError(f"Chromium did not finish within {job.timeout:.0f}s") from exc
        pdf = job.pdf
        if not pdf.exists() or pdf.stat().st_size == 0:
            stderr = (job.scratch / "stderr").read_bytes()
            tail = stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
            raise ReportError(
                f"Chromium did not write {pdf} (exit {returncode}): " + " | ".join(tail)
            )
    finally:
        job.cancel()
    log.info("wrote %s (%d bytes)", pdf, pdf.stat().st_size)
    return pdf


def print_pdf(html: Path, pdf: Path, chromium: str | None = None) -> Path:
    """Print ``html`` to ``pdf`` (A4, no header or footer; CSS @page decides the rest)."""
    return finish_pdf(start_pdf(html, pdf, chromium))
