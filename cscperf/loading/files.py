"""Hostile files: what may stand where an extract should be.

Each extract must be a regular file, not a symbolic link (never followed, so a
link cannot make the loader read a file outside the extract folder) nor a
directory, fifo, socket or device, and no larger than ``[loader]
max_file_bytes``. Checked with ``lstat`` before any byte is read. The extract
folder itself may be a link: the administrator chooses it.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

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


def open_extract(path: Path, file_name: str) -> BinaryIO:
    """``path`` opened for reading without following a link (``O_NOFOLLOW``), and only if
    it is still a regular file: a file swapped for a link or a fifo after
    :func:`check_extract` is refused, not read (and a fifo does not block)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise LoadError(
                f"{file_name}: is a symbolic link; extracts must be regular files"
            ) from None
        raise LoadError(f"{file_name}: cannot be opened ({exc.strerror})") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise LoadError(f"{file_name}: is not a regular file; extracts must be regular files")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")
