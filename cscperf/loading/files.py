"""Hostile files: what may stand where an extract should be.

Each extract must be a regular file, not a symbolic link (never followed, so a
link cannot make the loader read a file outside the extract folder) nor a
directory, fifo, socket or device, and no larger than ``[loader]
max_file_bytes``. Checked with ``lstat`` before any byte is read. The extract
folder itself may be a link: the administrator chooses it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from cscperf.loading.errors import LoadError

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def check_extract(path: Path, file_name: str, max_bytes: int) -> bool:
    """False when ``path`` is missing; LoadError when it is not a plain, small enough file."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        raise LoadError(f"{file_name}: is a symbolic link; extracts must be regular files")
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        raise LoadError(f"{file_name}: is {kind}; extracts must be regular files")
    if info.st_size > max_bytes:
        raise LoadError(
            f"{file_name}: is {info.st_size} bytes, over the {max_bytes}-byte limit "
            "(setting loader.max_file_bytes)"
        )
    return True
