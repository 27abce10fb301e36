"""Initial and core assessments (scale profile)."""

from __future__ import annotations

import numpy as np

from .front_door import Referrals
from .sink import DAY, Sink, dates, later


def assessments(sink: Sink, rng: np.random.Generator, refs: Referrals, has_ia: np.ndarray) -> None:
    """An IA for each referral with one; a CA after each IA that decided one."""
    n_ia = int(has_ia.sum())
    ia_start = refs.day[has_ia] + rng.integers(0, 3, n_ia) * DAY
    ia_auth = ia_start + rng.integers(1, 30, n_ia) * DAY
    ia_auth = np.where(rng.random(n_ia) < 0.9, ia_auth, np.datetime64("NaT"))
    ia_outcome = rng.choice(
        ["NFA", "CIN", "CA", "S47", "EARLY_HELP"], n_ia, p=[0.35, 0.3, 0.2, 0.07, 0.08]
    )
    n_ca = int((ia_outcome == "CA").sum())
    ca_start = np.where(np.isnat(ia_auth), ia_start, ia_auth)[ia_outcome == "CA"]
    ca_auth = later(ca_start + rng.integers(10, 120, n_ca) * DAY)
    ia_persons = refs.person[has_ia]
    ia_refs = refs.ids[has_ia]
    sink.write(
        "assessments",
        {
            "ASSESSMENT_ID": sink.ids("assessments", n_ia + n_ca),
            "PERSON_ID": np.concatenate([ia_persons, ia_persons[ia_outcome == "CA"]]),
            "REFERRAL_ID": np.concatenate([ia_refs, ia_refs[ia_outcome == "CA"]]),
            "ASSESSMENT_TYPE": np.array(["IA"] * n_ia + ["CA"] * n_ca),
            "START_DATE": dates(np.concatenate([ia_start, ca_start])),
            "COMPLETED_DATE": dates(later(np.concatenate([ia_auth, ca_auth]))),
            "AUTHORISED_DATE": dates(later(np.concatenate([ia_auth, ca_auth]))),
            "OUTCOME": np.concatenate([ia_outcome, rng.choice(["CIN", "S47", "LAC", "NFA"], n_ca)]),
        },
    )
