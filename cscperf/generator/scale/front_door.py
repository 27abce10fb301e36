"""Contacts and the referrals they progress to (scale profile)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cscperf.contract import SOURCE_CODES

from .persons import State
from .sink import DAY, Sink, dates
from .volumes import CONTACTS, SOURCE_P, MonthSpan


@dataclass
class Referrals:
    """The month's referrals: ids, days, children, sources and contacts."""

    ids: np.ndarray
    day: np.ndarray
    person: np.ndarray
    source: np.ndarray
    contact_ids: np.ndarray

    @property
    def n(self) -> int:
        return len(self.ids)


def contacts(sink: Sink, st: State, span: MonthSpan) -> Referrals:
    """Write the month's contacts; return the referrals they progressed to."""
    rng = st.rng
    n = int(rng.poisson(CONTACTS * span.scale * span.season))
    received = span.start + rng.integers(0, span.days, n) * DAY
    minutes = rng.integers(0, 24 * 60, n).astype("timedelta64[m]")
    screened_delay = rng.choice([0, 0, 0, 1, 2], n) * DAY
    screened = received + screened_delay
    progressed = rng.random(n) < 0.46
    persons = st.persons(n, 0.3)
    contact_ids = sink.ids("contacts", n)
    n_ref = int(progressed.sum())
    referral_ids = sink.ids("referrals", n_ref)
    ref_of_contact = np.full(n, "", dtype=object)
    ref_of_contact[progressed] = referral_ids.astype(str)
    outcome = np.where(progressed, "REFERRAL", rng.choice(["NFA", "ADVICE", "EARLY_HELP"], n))
    source = rng.choice(np.array(SOURCE_CODES), n, p=SOURCE_P / SOURCE_P.sum())
    sink.write(
        "contacts",
        {
            "CONTACT_ID": contact_ids,
            "PERSON_ID": persons,
            "CONTACT_DATETIME": np.datetime_as_string(received.astype("datetime64[m]") + minutes),
            "SOURCE_CODE": source,
            "SCREENED_DATETIME": np.datetime_as_string(screened.astype("datetime64[m]") + minutes),
            "SCREENED_BY_QUALIFIED": np.where(rng.random(n) < 0.97, "Y", "N"),
            "OUTCOME": outcome,
            "REFERRAL_ID": ref_of_contact,
        },
    )
    return Referrals(
        referral_ids, screened[progressed], persons[progressed], source[progressed],
        contact_ids[progressed],
    )  # fmt: skip


def referrals(sink: Sink, rng: np.random.Generator, refs: Referrals) -> np.ndarray:
    """Write the month's referrals; return which of them led to an initial assessment."""
    has_ia = rng.random(refs.n) < 0.93
    sink.write(
        "referrals",
        {
            "REFERRAL_ID": refs.ids,
            "PERSON_ID": refs.person,
            "REFERRAL_DATE": dates(refs.day),
            "SOURCE_CODE": refs.source,
            "CONTACT_ID": refs.contact_ids,
            "OUTCOME": np.where(has_ia, "ASSESSMENT", "NFA"),
            "CLOSURE_DATE": "",
        },
    )
    return has_ia
