"""Alerts through apprise: failures and data-quality warnings, to ``alerts.urls``.

Any apprise URL works (``mailto://``, ``msteams://``, ``slack://``,
``json://host/path`` for a webhook...). With no URLs configured an alert is
only logged.

The URLs are secrets (they carry tokens): they come from the environment
(``CSCPERF_ALERTS__URLS``) or a secrets file outside the repository
(``alerts.urls_file``, owner-only), are read when an alert is sent, and never
appear in a log line, an exception, Prefect or the run history -- apprise's own
log lines included (:class:`RedactUrls`).

What an alert may say: which run, which checks failed, how many rows and
example *record ids*. Never a value from a record: no names, dates of birth
or postcodes. Check results carry ids and counts only (see
``cscperf.quality.engine.CheckResult``); free text from an exception is passed
through :func:`redact` first.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from cscperf.logs import quiet_telemetry
from cscperf.publish import RunRecord
from cscperf.quality.engine import CheckResult
from cscperf.redaction import redact, redact_urls
from cscperf.security import read_secrets_file
from cscperf.settings import PROJECT_DIR, AlertSettings

log = logging.getLogger(__name__)

FAILURE, WARNING, INFO = "failure", "warning", "info"
MAX_LISTED = 15  # checks listed per section

@dataclass(frozen=True)
class Alert:
    title: str
    body: str
    level: str  # failure | warning | info


def _section(heading: str, checks: Sequence[CheckResult]) -> list[str]:
    if not checks:
        return []
    lines = [f"{heading} ({len(checks)}):"]
    lines += [f"- {c.describe()}" for c in checks[:MAX_LISTED]]
    if len(checks) > MAX_LISTED:
        lines.append(f"- ... and {len(checks) - MAX_LISTED} more (see the quality results)")
    return lines


def compose(
    record: RunRecord,
    errors: Sequence[CheckResult],
    warnings: Sequence[CheckResult],
    docs: str = "",
    extra: str = "",
) -> Alert | None:
    """The alert for a finished run, or None when there is nothing to say.

    ``extra``: counts to add (the nightly run's work due); a clean run with
    ``extra`` sends it as an information message.
    """
    failed = record.status == "failed"
    if not failed and not warnings:
        if not extra:
            return None
        title = f"cscperf {record.kind} run published (as at {record.as_at.isoformat()})"
        lines = [f"Run {record.run_id}, {record.kind}, as at {record.as_at.isoformat()}: "
                 f"{record.status}.", extra]
        return Alert(title=title, body="\n".join(lines), level=INFO)
    as_at = record.as_at.isoformat()
    if failed:
        state = "published, then failed" if record.published else "FAILED, not published"
        title = f"cscperf {record.kind} run {state} (as at {as_at})"
        level = FAILURE
    else:
        title = (f"cscperf {record.kind} run published with {len(warnings)} warning(s)"
                 f" (as at {as_at})")
        level = WARNING
    lines = [f"Run {record.run_id}, {record.kind}, as at {as_at}: {record.status}."]
    if failed and record.message:
        lines.append(f"Reason: {redact(record.message)}")
    lines += _section("Errors (block publishing)", errors)
    lines += _section("Warnings", warnings)
    if record.rows_loaded:
        lines.append(
            f"Rows loaded: {sum(record.rows_loaded.values()):,}; "
            f"rejected rows: {record.rows_rejected:,}."
        )
    if extra:
        lines.append(extra)
    if docs:
        lines.append(f"Quality results: {docs}")
    return Alert(title=title, body="\n".join(lines), level=level)


class AlertError(RuntimeError):
    """apprise could not deliver to at least one configured URL."""


def alert_urls(settings: AlertSettings) -> tuple[str, ...]:
    """The configured URLs: the environment's, then the secrets file's (checked)."""
    urls = [u for u in settings.urls if u.strip()]
    if settings.urls_file is not None:
        urls += read_secrets_file(settings.urls_file, PROJECT_DIR)
    return tuple(urls)


class RedactUrls(logging.Filter):
    """Rewrite a log record so that no URL (and so no token) survives in it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_urls(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def _guard_apprise_logs() -> None:
    logger = logging.getLogger("apprise")
    if not any(isinstance(f, RedactUrls) for f in logger.filters):
        logger.addFilter(RedactUrls())


def send(alert: Alert, urls: Sequence[str]) -> bool:
    """Send through apprise; log only when no URL is configured.

    Raises AlertError when a configured URL fails (so the caller may retry).
    Neither the log lines nor the error name a URL: they carry tokens.
    """
    log_level = {FAILURE: logging.ERROR, WARNING: logging.WARNING}.get(alert.level, logging.INFO)
    log.log(log_level, "%s\n%s", alert.title, alert.body)
    if not urls:
        return False
    quiet_telemetry()
    _guard_apprise_logs()
    import apprise

    notifier = apprise.Apprise()
    for number, url in enumerate(urls, 1):
        if not notifier.add(url):
            log.error("alert URL %d of %d (%s://...) is not an apprise URL: ignored",
                      number, len(urls), url.split("://", 1)[0] if "://" in url else "?")
    if len(notifier) == 0:
        return False
    notify_type = {FAILURE: apprise.NotifyType.FAILURE, WARNING: apprise.NotifyType.WARNING
                   }.get(alert.level, apprise.NotifyType.INFO)
    try:
        delivered = notifier.notify(title=alert.title, body=alert.body, notify_type=notify_type)
    except Exception as exc:  # its message may hold a URL: keep only the type
        raise AlertError(f"alert not delivered ({type(exc).__name__})") from None
    if not delivered:
        raise AlertError(f"alert not delivered to every URL: {alert.title}")
    log.info("alert sent to %d URL(s)", len(notifier))
    return True
