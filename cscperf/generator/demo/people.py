"""people.csv: obviously fake children.

Forenames are two or three made-up syllables; surnames are 'Testchild'
variants; postcodes use the non-existent 'ZZ' area. A few names exercise the
CSV quoting rules (commas, quotes, a line break) and non-ASCII letters.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from ..shared.names import SYLLABLES

SURNAMES = (
    "Testchild",
    "Testchild-Smythe",
    "Testkid",
    "Fakeson",
    "Madeup",
    "Testchild-Ward",
    "Sampleton",
    "Dummyworth",
    "Placeholder",
    "Notreal",
)
ODD_NAMES = (
    ("Zoë", "Testchild"),
    ("Renée", "Fakeson"),
    ("Ola, Jr", "O'Testchild, Jr"),
    ('Kit "Tiny"', "Testchild"),
    ("Bo\nBa", "Line-Break"),
    ("Anaïs", "Déjà-Testchild"),
)
ETHNICITY = (
    ("WBRI", 0.86),
    ("WOTH", 0.04),
    ("WIRT", 0.01),
    ("WROM", 0.005),
    ("MWBC", 0.02),
    ("MWBA", 0.01),
    ("MWAS", 0.01),
    ("MOTH", 0.01),
    ("AIND", 0.005),
    ("APKN", 0.005),
    ("BAFR", 0.005),
    ("CHNE", 0.003),
    ("OOTH", 0.005),
    ("NOBT", 0.012),
)


def postcode(rng: np.random.Generator) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return (
        f"ZZ{int(rng.integers(1, 100))} {int(rng.integers(0, 10))}"
        f"{letters[int(rng.integers(0, 20))]}{letters[int(rng.integers(0, 20))]}"
    )


def forename(rng: np.random.Generator) -> str:
    n = int(rng.integers(2, 4))
    return "".join(SYLLABLES[int(rng.integers(0, len(SYLLABLES)))] for _ in range(n)).capitalize()


def people_rows(
    person_ids: list[str], first_event: dict[str, date], rng: np.random.Generator
) -> list[dict[str, object]]:
    codes = [c for c, _ in ETHNICITY]
    p = np.array([w for _, w in ETHNICITY])
    p = p / p.sum()
    n = len(person_ids)
    unborn = rng.random(n) < 0.006
    ages = rng.integers(30, 17 * 365, size=n)
    new_family = rng.random(n) > 0.3
    syl = rng.integers(0, len(SYLLABLES), size=(n, 3))
    n_syl = rng.integers(2, 4, size=n)
    surname = rng.integers(0, len(SURNAMES), size=n)
    gender = rng.choice(["M", "F", "U", "I"], p=[0.505, 0.485, 0.008, 0.002], size=n)
    ethnicity = rng.choice(codes, p=p, size=n)
    pc = rng.integers(0, 20, size=(n, 4))
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    rows = []
    family = 0
    for i, pid in enumerate(person_ids):
        first = first_event.get(pid, date(2013, 1, 1))
        dob = None if unborn[i] else first - timedelta(days=int(ages[i]))  # None: unborn
        if i == 0 or new_family[i]:
            family += 1
        fore = "".join(SYLLABLES[k] for k in syl[i, : n_syl[i]]).capitalize()
        sur = SURNAMES[surname[i]]
        if i < len(ODD_NAMES) * 40 and i % 40 == 7:
            fore, sur = ODD_NAMES[i // 40]
        code = f"ZZ{pc[i, 0] * 5 % 99 + 1} {pc[i, 1] % 10}{letters[pc[i, 2]]}{letters[pc[i, 3]]}"
        rows.append(
            {
                "PERSON_ID": pid,
                "FORENAME": fore,
                "SURNAME": sur,
                "DOB": dob,
                "GENDER": str(gender[i]),
                "ETHNICITY": str(ethnicity[i]),
                "POSTCODE": code,
                "FAMILY_ID": str(900_000 + family),
            }
        )
    return rows
