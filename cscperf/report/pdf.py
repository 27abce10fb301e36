"""Print the HTML report to PDF with headless Chromium (no network, no profile).

The report is printed by a :class:`Browser`: headless Chromium driven over
``--remote-debugging-pipe`` (the DevTools protocol on two pipes, no port), so that
``render_report`` can start it before the charts are drawn and print while the
workbook is written. ``Page.printToPDF`` is called with the parameters
``--print-to-pdf --no-pdf-header-footer`` uses: the PDF is the same. POSIX only
(pipes, ``select``). ``run_chromium`` runs the browser once with command-line
arguments (the browser tests' screenshots and DOM dumps).
"""

from __future__ import annotations

import base64
import contextlib
import contextvars
import fcntl
import json
import logging
import os
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

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


# Page.printToPDF as `--print-to-pdf --no-pdf-header-footer` prints: the same PDF
# (only its creation date differs), A4 from the CSS @page rules.
PRINT_PARAMS: dict[str, Any] = {
    "printBackground": True,
    "preferCSSPageSize": True,
    "displayHeaderFooter": False,
    "generateTaggedPDF": True,
}
# Started by a throw-away Python (the interpreter running cscperf) that puts the two
# pipe ends at the descriptors --remote-debugging-pipe reads (3) and writes (4), then
# becomes the browser: no preexec_fn, safe in a threaded process.
_TRAMPOLINE = ("import os,sys;os.dup2(int(sys.argv[1]),3);os.dup2(int(sys.argv[2]),4);"
               "os.execv(sys.argv[3],sys.argv[3:])")


class _Failed(Exception):
    """The browser closed its pipe or answered a command with an error."""


class Browser:
    """Headless Chromium driven over ``--remote-debugging-pipe`` (the DevTools
    protocol on two pipes: nothing listens on a port).

    :meth:`launch` returns at once, so the browser starts while the report is
    drawn; :meth:`print_pdf` prints a page the way ``--print-to-pdf`` does.
    Its profile and its stderr live in a throw-away folder until :meth:`close`.
    """

    def __init__(self, binary: str) -> None:
        self.scratch = Path(tempfile.mkdtemp(prefix="cscperf-chromium-"))
        profile = self.scratch / "profile"
        profile.mkdir()
        to_browser, commands = _high_pipe()
        events, from_browser = _high_pipe()
        cmd = [sys.executable, "-I", "-S", "-c", _TRAMPOLINE, str(to_browser),
               str(from_browser), binary, *BASE_FLAGS, OFFLINE_RESOLVER,
               f"--user-data-dir={profile}", "--remote-debugging-pipe",
               "--run-all-compositor-stages-before-draw"]  # no URL: no headless command
        log.debug("running %s", " ".join(cmd[7:]))  # the browser's command line
        try:
            with (self.scratch / "stderr").open("wb") as err:
                self.process = subprocess.Popen(
                    cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                    pass_fds=(to_browser, from_browser))
        except BaseException:
            for fd in (to_browser, commands, events, from_browser):
                os.close(fd)
            shutil.rmtree(self.scratch, ignore_errors=True)
            raise
        os.close(to_browser)
        os.close(from_browser)
        self._commands, self._events = commands, events
        self._buffer = b""
        self._last_id = 0
        # the tab to print in, opened while the browser starts (answer read by print_pdf;
        # a browser gone already is reported there)
        self._new_tab = -1
        with contextlib.suppress(_Failed):
            self._new_tab = self._send("Target.createTarget", {"url": "about:blank"})

    @classmethod
    def launch(cls, chromium: str | None = None) -> Browser:
        return cls(chromium or find_chromium())

    # -- the protocol: JSON messages, each ended by a NUL byte ----------------------

    def _send(self, method: str, params: dict[str, Any] | None = None,
              session: str | None = None) -> int:
        self._last_id += 1
        message: dict[str, Any] = {"id": self._last_id, "method": method,
                                   "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode("utf-8") + b"\0"
        try:
            while data:
                data = data[os.write(self._commands, data):]
        except OSError as exc:  # the browser has gone
            raise _Failed("the browser closed its pipe") from exc
        return self._last_id

    def _receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._events], [], [], left)[0]:
                raise TimeoutError
            chunk = os.read(self._events, 1 << 20)
            if not chunk:
                raise _Failed("the browser closed its pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        parsed: dict[str, Any] = json.loads(message)
        return parsed

    def _call(self, deadline: float, method: str, params: dict[str, Any] | None = None,
              session: str | None = None) -> dict[str, Any]:
        return self._result(deadline, self._send(method, params, session), method)

    def _result(self, deadline: float, wanted: int, method: str) -> dict[str, Any]:
        while True:
            message = self._receive(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise _Failed(f"{method}: {message['error'].get('message', '')}")
                result: dict[str, Any] = message.get("result", {})
                return result

    def _wait_for(self, deadline: float, event: str) -> None:
        while self._receive(deadline).get("method") != event:
            pass

    # -- printing -------------------------------------------------------------------

    def print_pdf(self, html: Path, pdf: Path, timeout: float = TIMEOUT_SECONDS) -> Path:
        """Print ``html`` to ``pdf`` (A4, no header or footer; CSS @page decides the rest)."""
        html, pdf = Path(html).resolve(), Path(pdf).resolve()
        if pdf.exists():
            pdf.unlink()
        deadline = time.monotonic() + timeout
        try:
            if self._new_tab < 0:
                raise _Failed("the browser closed its pipe")
            target = self._result(deadline, self._new_tab, "Target.createTarget")
            session = self._call(deadline, "Target.attachToTarget",
                                 {"targetId": target["targetId"], "flatten": True})["sessionId"]
            self._call(deadline, "Page.enable", session=session)
            navigated = self._call(deadline, "Page.navigate", {"url": html.as_uri()},
                                   session=session)
            if navigated.get("errorText"):
                raise _Failed(f"Page.navigate: {navigated['errorText']}")
            self._wait_for(deadline, "Page.loadEventFired")
            printed = self._call(deadline, "Page.printToPDF", PRINT_PARAMS, session=session)
            data = base64.b64decode(printed.get("data", ""))
        except TimeoutError as exc:
            raise ReportError(f"Chromium did not finish within {timeout:.0f}s") from exc
        except (_Failed, KeyError, ValueError) as exc:
            raise self._failure(pdf, str(exc)) from exc
        if not data:
            raise self._failure(pdf, "no PDF data")
        partial = pdf.with_name(f".{pdf.name}.partial")
        partial.write_bytes(data)
        partial.replace(pdf)
        log.info("wrote %s (%d bytes)", pdf, pdf.stat().st_size)
        return pdf

    def _failure(self, pdf: Path, reason: str) -> ReportError:
        returncode = self.process.poll()
        stderr = (self.scratch / "stderr").read_bytes()
        tail = stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
        return ReportError(f"Chromium did not write {pdf} (exit {returncode}): "
                           + " | ".join([reason, *tail]))

    def stop(self) -> None:
        """End the browser: asked to close, killed if it has not gone within a few
        seconds. A print waiting on it fails at once."""
        if self.process.poll() is None:
            with contextlib.suppress(_Failed):
                self._send("Browser.close")
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def close(self) -> None:
        """:meth:`stop`, then release the pipes and remove the profile (safe to
        call again; not while another thread prints with this browser)."""
        self.stop()
        for fd in (self._commands, self._events):
            if fd >= 0:
                os.close(fd)
        self._commands = self._events = -1
        shutil.rmtree(self.scratch, ignore_errors=True)


def _high_pipe() -> tuple[int, int]:
    """A pipe whose ends are above the descriptors the browser's are moved to."""
    ends = []
    for fd in os.pipe():
        high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(fd)
        ends.append(high)
    return ends[0], ends[1]


class PdfJob:
    """A PDF being printed by ``browser`` in the background: started at once;
    :meth:`wait` waits for it (within the print's timeout) and closes the browser."""

    def __init__(self, browser: Browser, html: Path, pdf: Path) -> None:
        self.browser = browser
        self.pdf = pdf
        self._error: BaseException | None = None
        # in this thread's context, so that its log lines go where the caller's go
        self._thread = threading.Thread(target=contextvars.copy_context().run,
                                        args=(self._run, html, pdf),
                                        name="cscperf-pdf", daemon=True)
        self._thread.start()

    def _run(self, html: Path, pdf: Path) -> None:
        try:
            self.browser.print_pdf(html, pdf)
        except BaseException as exc:  # raised again by wait()
            self._error = exc

    def wait(self) -> Path:
        self._thread.join()
        self.browser.close()
        if self._error is not None:
            raise self._error
        return self.pdf

    def cancel(self) -> None:
        """Stop the browser, let the printing thread end (it fails at once), clean up."""
        self.browser.stop()
        self._thread.join()
        self.browser.close()


def print_pdf(html: Path, pdf: Path, chromium: str | None = None) -> Path:
    """Print ``html`` to ``pdf`` (A4, no header or footer; CSS @page decides the rest)."""
    browser = Browser.launch(chromium)
    try:
        return browser.print_pdf(html, pdf)
    finally:
        browser.close()
