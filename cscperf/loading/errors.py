"""The loader's one exception type."""

from __future__ import annotations


class LoadError(Exception):
    """An extract set that cannot be landed.

    The message is one line naming the file and the column or line at fault,
    e.g. ``contacts.csv: required column CONTACT_DATETIME is missing``.
    """

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))
