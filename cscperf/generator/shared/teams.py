"""The team that holds each record (contract v1.1 ``TEAM``), for the demo and scale sets.

A team is derived from the record's id by a fixed hash, never from a random
stream: adding the column leaves every other value, and every random draw of
the generators, exactly as it was.
"""

from __future__ import annotations

import zlib

import numpy as np

ASSESSMENT_TEAMS = ("Assessment Team North", "Assessment Team South")
CHILD_PROTECTION_TEAM = "Child Protection Team"
LOOKED_AFTER_TEAM = "Looked After Team"
EARLY_HELP_TEAM = "Early Help Team"

# The extracts that carry TEAM and the teams their records are shared among.
TEAMS_BY_EXTRACT: dict[str, tuple[str, ...]] = {
    "referrals": ASSESSMENT_TEAMS,
    "assessments": ASSESSMENT_TEAMS,
    "s47_enquiries": (CHILD_PROTECTION_TEAM,),
    "cp_plans": (CHILD_PROTECTION_TEAM,),
    "lac_episodes": (LOOKED_AFTER_TEAM,),
    "caf_episodes": (EARLY_HELP_TEAM,),
}


def team_for(extract: str, record_id: str) -> str:
    """The team of one record: a CRC-32 of its id picks among the extract's teams."""
    teams = TEAMS_BY_EXTRACT[extract]
    return teams[zlib.crc32(record_id.encode("ascii")) % len(teams)]


def teams_for(extract: str, record_ids: np.ndarray) -> np.ndarray:
    """The teams of an array of integer ids (the scale profile), vectorised: a
    multiplicative hash of the id picks among the extract's teams."""
    teams = np.array(TEAMS_BY_EXTRACT[extract], dtype=object)
    mixed = (record_ids.astype(np.uint64) * np.uint64(2654435761)) >> np.uint64(16)
    return teams[(mixed % np.uint64(len(teams))).astype(np.int64)]


def add_teams(tables: dict[str, list[dict[str, object]]]) -> None:
    """Set TEAM on every row of the extracts that carry it, from the row's id."""
    for extract in TEAMS_BY_EXTRACT:
        for row in tables[extract]:
            record_id = next(iter(row.values()))
            row["TEAM"] = team_for(extract, str(record_id))
