"""File protection for a run: the umask, private folders, secrets files, leftovers.

- :func:`apply_umask` sets the process umask from ``security.umask`` (default
  027) before a run writes anything, so that no file it creates (warehouse,
  build and lock files, run history, logs, quality results, reports, dbt's
  target folder) is readable by others.
- :func:`private_dir` makes a folder only its owner may enter (0700): the
  restricted folder where personal data lives while a run builds.
- :func:`restrict_tree` takes read access away from others on what an earlier
  version (or another umask) left behind: dbt's target and log folders.
- :func:`read_secrets_file` reads a secrets file, refusing one that others
  may read or that lies inside the project folder (a git work tree).
- :func:`sweep_build_leftovers` removes the build files (and their WAL) that a
  killed run left; called once the next run holds the warehouse lock.
- :func:`swap_folder_into_place` publishes a finished output folder (exports,
  docs, work-due lists) whole: never half a folder, the old one gone only after.
"""

from __future__ import annotations

import logging
import os
import shutil
import stat
import uuid
from pathlib import Path

log = logging.getLogger(__name__)

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
OUTPUT_DIR_MODE, OUTPUT_FILE_MODE = 0o750, 0o640  # outputs: owner and group, never others
BUILD_PREFIX = ".cscperf.build-"
PUBLISH_PREFIX = ".cscperf.publish-"


class SecretsError(RuntimeError):
    """A secrets file is unsafe or unreadable (the message names the file, never its content)."""


def parse_umask(text: str) -> int:
    """``"027"`` -> 0o027; a clear error for anything that is not an octal mask."""
    value = str(text).strip()
    try:
        mask = int(value, 8)
    except ValueError:
        raise ValueError(f"security.umask: {value!r} is not an octal mask such as 027") from None
    if not 0 <= mask <= 0o777:
        raise ValueError(f"security.umask: {value!r} is outside 000-777")
    return mask


def apply_umask(umask: str) -> int:
    """Set the process umask; return the previous one."""
    mask = parse_umask(umask)
    if mask & 0o007 != 0o007:
        log.warning("security.umask %03o leaves files readable by others", mask)
    return os.umask(mask)


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed; make it 0700 whatever it was."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    os.chmod(path, PRIVATE_DIR_MODE)
    return path


def restrict_tree(path: Path) -> None:
    """Remove every permission of others (and group write) below ``path``, if it exists."""
    path = Path(path)
    if not path.exists() or path.is_symlink():
        return
    for root, dirs, files in os.walk(path):
        for name in [*dirs, *files]:
            _restrict(Path(root) / name)
    _restrict(path)


def _restrict(path: Path) -> None:
    try:
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            return
        wanted = stat.S_IMODE(mode) & ~0o027
        if wanted != stat.S_IMODE(mode):
            os.chmod(path, wanted)
    except OSError as exc:  # not ours to change: say so, do not fail the run
        log.warning("could not restrict %s: %s", path, exc.strerror or type(exc).__name__)


def read_secrets_file(path: Path, project_dir: Path) -> list[str]:
    """The non-blank, non-comment lines of a secrets file, after checking it is safe.

    Refused: a file inside ``project_dir`` (it could be committed), a file that
    group or others may read or write, a link or anything but a regular file.
    """
    path = Path(path).expanduser()
    try:
        resolved = path.resolve(strict=True)
        info = path.lstat()
    except OSError as exc:
        raise SecretsError(f"secrets file {path}: {exc.strerror or 'cannot be read'}") from None
    if resolved.is_relative_to(Path(project_dir).resolve()):
        raise SecretsError(
            f"secrets file {path} is inside the project folder {project_dir}; "
            "keep secrets outside the repository"
        )
    if not stat.S_ISREG(info.st_mode):
        raise SecretsError(f"secrets file {path} is not a regular file (a link or a device?)")
    if stat.S_IMODE(info.st_mode) & 0o077:
        raise SecretsError(
            f"secrets file {path} has mode {stat.S_IMODE(info.st_mode):03o}: others may read "
            "it; make it readable by its owner only (chmod 600)"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SecretsError(f"secrets file {path} cannot be read ({type(exc).__name__})") from None
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def sweep_build_leftovers(*folders: Path) -> list[Path]:
    """Delete the build and publish files (and WALs) a killed run left in ``folders``.

    Only call this while holding the warehouse lock: then no other run is
    writing one of them.
    """
    removed: list[Path] = []
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            continue
        for leftover in folder.iterdir():
            # a build file, its WAL, or the folder dbt_runner moves it into for dbt's
            # run (``..cscperf.build-<id>.duckdb.dbt-<id>/``)
            if not ("." + leftover.name.lstrip(".")).startswith((BUILD_PREFIX, PUBLISH_PREFIX)):
                continue
            try:
                if leftover.is_dir() and not leftover.is_symlink():
                    shutil.rmtree(leftover)
                else:
                    leftover.unlink()
                removed.append(leftover)
            except FileNotFoundError:
                pass
            except OSError as exc:
                log.warning("could not remove the leftover %s: %s", leftover,
                            exc.strerror or type(exc).__name__)
    if removed:
        log.warning("removed %d file(s) left by an interrupted run: %s", len(removed),
                    ", ".join(p.name for p in removed))
    return removed


def swap_folder_into_place(new_dir: Path, out_dir: Path, mode: int = OUTPUT_DIR_MODE) -> None:
    """Rename the finished ``new_dir`` to ``out_dir`` (same file system).

    An earlier ``out_dir`` is moved aside first and removed only once the new
    one is in place; if the rename fails, the earlier one is put back.
    """
    new_dir, out_dir = Path(new_dir), Path(out_dir)
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.old-{uuid.uuid4().hex[:8]}")
        out_dir.rename(old)
    try:
        new_dir.rename(out_dir)
    except BaseException:
        if old is not None:
            old.rename(out_dir)
        raise
    os.chmod(out_dir, mode)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
