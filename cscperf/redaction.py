"""Masking what could be a record's value (or a secret) in free text from a library.

Our own messages name files, lines, columns and checks, never values; a
library's message (DuckDB, dbt, Great Expectations, apprise) may quote one, so
it passes through :func:`redact` before it is kept or shown, and through
:func:`redact_urls` wherever a URL (which may carry a token) could appear.
"""

from __future__ import annotations

import re

_DATE = re.compile(
    r"\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\b"
)
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
_QUOTED = re.compile(r"""(['"])(?:(?!\1).){1,80}\1""")
_URL = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>]+")


def redact(text: str) -> str:
    """Mask what could be personal data in free text: dates, postcodes, quoted values."""
    text = _DATE.sub("[date]", text)
    text = _POSTCODE.sub("[postcode]", text)
    return _QUOTED.sub(lambda m: m.group(0) if "." in m.group(0) else "[value]", text)


def redact_urls(text: str) -> str:
    """``scheme://anything`` -> ``scheme://[redacted]``."""
    return _URL.sub(lambda m: m.group(0).split("://", 1)[0] + "://[redacted]", text)
