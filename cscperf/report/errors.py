"""Errors raised while rendering the report."""

from __future__ import annotations


class ReportError(RuntimeError):
    """The report cannot be rendered; the message says why and what to do."""
