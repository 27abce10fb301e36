"""CAF episodes (scale profile)."""

from __future__ import annotations

import numpy as np

from ..shared.codes import LOCALITIES
from .persons import State
from .sink import DAY, Sink, dates, later
from .volumes import CAF_STARTS, MonthSpan


def cafs(sink: Sink, st: State, span: MonthSpan) -> None:
    rng = st.rng
    n_caf = int(rng.poisson(CAF_STARTS * span.scale * span.season))
    caf_start = span.start + rng.integers(0, span.days, n_caf) * DAY
    caf_end = later(caf_start + rng.integers(20, 900, n_caf) * DAY)
    step = rng.random(n_caf) < 0.4
    sink.write(
        "caf_episodes",
        {
            "CAF_ID": sink.ids("caf_episodes", n_caf),
            "PERSON_ID": st.persons(n_caf, 0.5),
            "START_DATE": dates(caf_start),
            "END_DATE": dates(caf_end),
            "STEP_DOWN": np.where(step, "Y", "N"),
            "SOCIAL_CARE_INVOLVEMENT": np.where(step | (rng.random(n_caf) < 0.4), "Y", "N"),
            "LEAD_PROFESSIONAL_AGENCY": rng.choice(
                ["SCHOOL", "EARLY_YEARS", "HEALTH", "MAG", "CHILDRENS_CENTRE", "OTHER"],
                n_caf,
                p=[0.6, 0.12, 0.1, 0.08, 0.07, 0.03],
            ),
            "LOCALITY": rng.choice(np.array(LOCALITIES), n_caf),
            "CLOSURE_REASON": np.where(
                np.isnat(caf_end),
                "",
                rng.choice(["NEEDS_MET", "STEP_UP", "DISENGAGED", "MOVED_AWAY", "OTHER"], n_caf),
            ),
        },
    )
