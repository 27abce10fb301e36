"""people.csv of the scale profile: obviously fake children, in chunks."""

from __future__ import annotations

import numpy as np

from ..shared.names import SYLLABLES
from .persons import State
from .sink import DAY, Sink, dates

SYL = np.array(SYLLABLES[:12])
SURNAMES = np.array(["Testchild", "Testkid", "Fakeson", "Madeup", "Sampleton", "Notreal"])


def people(sink: Sink, st: State, chunk: int = 500_000) -> None:
    rng = st.rng
    for first in range(1, st.people + 1, chunk):
        ids = np.arange(first, min(first + chunk, st.people + 1))
        n = len(ids)
        fore = np.char.capitalize(
            np.char.add(SYL[rng.integers(0, len(SYL), n)], SYL[rng.integers(0, len(SYL), n)])
        )
        dob = np.datetime64("1996-01-01") + rng.integers(0, 19 * 365, n) * DAY
        post = np.char.add(
            np.char.add("ZZ", rng.integers(1, 100, n).astype(str)),
            np.char.add(" ", rng.integers(0, 10, n).astype(str)),
        )
        sink.write(
            "people",
            {
                "PERSON_ID": ids,
                "FORENAME": fore,
                "SURNAME": SURNAMES[rng.integers(0, 6, n)],
                "DOB": dates(dob),
                "GENDER": rng.choice(["M", "F"], n),
                "ETHNICITY": rng.choice(
                    ["WBRI", "WOTH", "MWBC", "ABAN", "BAFR"], n, p=[0.85, 0.06, 0.04, 0.02, 0.03]
                ),
                "POSTCODE": np.char.add(post, "ZZ"),
                "FAMILY_ID": ids // 3 + 900_000,
            },
        )
