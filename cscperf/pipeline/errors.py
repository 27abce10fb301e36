"""How a run fails: PipelineError, and one-line messages that name files, lines,
columns and checks but never a record's value (a library's message is redacted)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from cscperf.redaction import redact

MAX_MESSAGE = 600
# Messages of these exceptions are ours and name no record value; any other
# exception's message is redacted before it is kept or shown.
OWN_ERRORS = frozenset({"PipelineError", "LockTimeout", "LoadError", "SecretsError"})

T = TypeVar("T")


class PipelineError(RuntimeError):
    """A step failed; the published warehouse is unchanged."""


def one_line(text: str) -> str:
    """``text`` on one line of at most ``MAX_MESSAGE`` characters."""
    line = " ".join(str(text).split())
    return line if len(line) <= MAX_MESSAGE else line[: MAX_MESSAGE - 1] + "…"


def failure_message(step: str, exc: BaseException) -> str:
    """One line for the run history, the alert and the terminal: no record values."""
    name = type(exc).__name__
    if name in {"PipelineError", "LockTimeout"}:
        return one_line(str(exc))
    text = str(exc) or name
    if name not in OWN_ERRORS:  # a library's message may quote a value: redact it
        text = redact(text.splitlines()[0] if text.strip() else name)
    if name not in {"LoadError", "DbtError", "SecretsError"}:
        text = f"{name}: {text}"
    if text.startswith(step):  # "dbt build failed: ..." says it already
        return one_line(text)
    return one_line(f"{step} failed: {text}")


def guarded(step: str, fn: Callable[..., T], *args: Any) -> T:
    """Run a step; a foreign exception becomes a PipelineError whose message is redacted.

    OSError passes through unchanged (landing retries on it; its message names
    a path, not a record value). The original exception is not chained: its
    message (and so a traceback printed by Prefect) could hold a record value.
    """
    try:
        return fn(*args)
    except OSError:
        raise
    except Exception as exc:
        if type(exc).__name__ in OWN_ERRORS:
            raise
        raise PipelineError(failure_message(step, exc)) from None
