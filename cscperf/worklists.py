"""Work-due lists: the open items of ``marts.work_due`` as files people open.

``write_work_lists(warehouse, out_dir)`` writes, per team and for all teams,
a CSV file and an Excel workbook with a sheet per area, overdue items first,
then by due date. The lists carry ids only (record and person ids), never a
name or a date of birth: ``marts.work_due`` holds none. The whole folder is
written under a temporary name and then renamed into place, so nobody ever
opens a half-written list. Folders get mode 0o750 and files 0o640.

``work_due_summary(warehouse)`` is the nightly alert's text: counts per area
and status, no ids.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import xlsxwriter

from cscperf.security import swap_folder_into_place

AREAS = ("contacts", "assessments", "child_protection", "looked_after")
STATUSES = ("overdue", "due_today", "due_soon", "later")
COLUMNS = (
    "as_at_date", "area", "item_kind", "record_id", "person_id", "team", "status",
    "due_date", "working_days_left", "days_left", "days_left_unit",
    "timed_from_event", "timed_from_date", "limit_value", "limit_unit",
)  # fmt: skip
ALL_TEAMS = "All teams"
NO_TEAM = "No team recorded"
DIR_MODE = 0o750
FILE_MODE = 0o640
DATE_COLUMNS = frozenset({"as_at_date", "due_date", "timed_from_date"})


@dataclass(frozen=True)
class WorkItem:
    values: dict[str, Any]

    @property
    def team(self) -> str | None:
        return self.values["team"]

    @property
    def area(self) -> str:
        return str(self.values["area"])

    def sort_key(self) -> tuple[int, date, str, str]:
        """Overdue first, then by due date (then kind and id, for a stable order)."""
        v = self.values
        return (0 if v["status"] == "overdue" else 1, v["due_date"], v["item_kind"],
                str(v["record_id"]))


def read_items(warehouse: Path) -> list[WorkItem]:
    """Every row of ``marts.work_due``, in list order."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(f"select {', '.join(COLUMNS)} from marts.work_due").fetchall()
    finally:
        con.close()
    items = [WorkItem(dict(zip(COLUMNS, row, strict=True))) for row in rows]
    return sorted(items, key=WorkItem.sort_key)


def slug(name: str) -> str:
    """A file name for a team: lower case letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "team"


def teams_of(items: Sequence[WorkItem]) -> dict[str, list[WorkItem]]:
    """The lists to write: all teams, then each team (and items with none), by file stem."""
    groups: dict[str, tuple[str, list[WorkItem]]] = {"all-teams": (ALL_TEAMS, list(items))}
    names = sorted({i.team or NO_TEAM for i in items})
    for name in names:
        stem, n = slug(name), 2
        while stem in groups:  # two names with one slug ("Team A", "team-a")
            stem, n = f"{slug(name)}-{n}", n + 1
        groups[stem] = (name, [i for i in items if (i.team or NO_TEAM) == name])
    return {stem: members for stem, (_name, members) in groups.items()}


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def _create(path: Path) -> int:
    """Open a new file for writing with mode 0o640 (whatever the umask)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    return fd


def write_csv(path: Path, items: Sequence[WorkItem]) -> None:
    with os.fdopen(_create(path), "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for item in items:
            writer.writerow([_text(item.values[c]) for c in COLUMNS])


def write_workbook(path: Path, items: Sequence[WorkItem]) -> None:
    """One sheet per area (every area, even when empty), header row then items."""
    os.close(_create(path))  # the file exists with its mode before xlsxwriter fills it
    book = xlsxwriter.Workbook(str(path), {"remove_timezone": True})
    try:
        header = book.add_format({"bold": True, "bg_color": "#D9E1F2"})
        day = book.add_format({"num_format": "yyyy-mm-dd"})
        late = book.add_format({"font_color": "#9C0006", "bold": True})
        for area in AREAS:
            sheet = book.add_worksheet(area)
            sheet.write_row(0, 0, COLUMNS, header)
            sheet.freeze_panes(1, 0)
            rows = [i for i in items if i.area == area]
            for r, item in enumerate(rows, start=1):
                for c, column in enumerate(COLUMNS):
                    value = item.values[column]
                    if value is None:
                        continue
                    if column in DATE_COLUMNS:
                        sheet.write_datetime(r, c, value, day)
                    elif column == "status" and value == "overdue":
                        sheet.write_string(r, c, value, late)
                    else:
                        sheet.write(r, c, value)
            sheet.autofilter(0, 0, max(len(rows), 1), len(COLUMNS) - 1)
            sheet.set_column(0, len(COLUMNS) - 1, 16)
    finally:
        book.close()
    os.chmod(path, FILE_MODE)


def write_work_lists(warehouse: Path, out_dir: Path) -> list[Path]:
    """Write the lists of the published ``warehouse`` into ``out_dir``; return the files."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    items = read_items(Path(warehouse))
    new_dir = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        os.chmod(new_dir, DIR_MODE)
        for stem, members in teams_of(items).items():
            write_csv(new_dir / f"{stem}.csv", members)
            write_workbook(new_dir / f"{stem}.xlsx", members)
        names = sorted(p.name for p in new_dir.iterdir())
        swap_folder_into_place(new_dir, out_dir)
    except BaseException:
        shutil.rmtree(new_dir, ignore_errors=True)
        raise
    return [out_dir / name for name in names]


def count_by_area_and_status(warehouse: Path) -> dict[str, dict[str, int]]:
    """Open items per area and status (every area and status, zeros included)."""
    counts = {area: dict.fromkeys(STATUSES, 0) for area in AREAS}
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            "select area, status, count(*) from marts.work_due group by area, status"
        ).fetchall()
    finally:
        con.close()
    for area, status, n in rows:
        counts.setdefault(area, dict.fromkeys(STATUSES, 0))[status] = int(n)
    return counts


def work_due_summary(warehouse: Path) -> str:
    """The nightly alert's lines: counts per area and status, no ids."""
    counts = count_by_area_and_status(warehouse)
    lines = ["Work due (open items per area: overdue / due today / due soon / later):"]
    for area, by_status in counts.items():
        figures = " / ".join(str(by_status[s]) for s in STATUSES)
        lines.append(f"- {area.replace('_', ' ')}: {figures}")
    return "\n".join(lines)
