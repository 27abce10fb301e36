"""The `scale` profile: the demo's kinds of journeys at any size, vectorised.

``children`` multiplies Herefordshire's volumes (1 = about 6,000 contacts,
2,700 referrals and 170 children coming into care a year; 100 = about
600,000 contacts a year). History runs ``years`` years back from 2015-10-31.
Every file is generated month by month with numpy (no loop over records) and
appended to disk, so memory depends on one month's volume, not on the total.
The figures are plausible but not calibrated.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cscperf.contract import EXTRACTS, SOURCE_CODES

from ..shared.teams import TEAMS_BY_EXTRACT, teams_for

log = logging.getLogger("cscperf.generator")

AS_AT = np.datetime64("2015-10-31")
DAY = np.timedelta64(1, "D")
# Per month at children = 1
CONTACTS, SDS, LAC_STARTS, CAF_STARTS = 500, 120, 14, 30
SEASON = np.array([1.02, 1.0, 1.04, 0.96, 1.02, 1.04, 1.0, 0.82, 0.95, 1.08, 1.08, 0.88])
SOURCE_P = np.array(
    [
        0.42,
        0.14,
        0.05,
        0.07,
        0.09,
        0.02,
        0.015,
        0.008,
        0.006,
        0.075,
        0.04,
        0.013,
        0.002,
        0.018,
        0.007,
        0.007,
        0.002,
        0.002,
        0.001,
        0.002,
        0.004,
        0.001,
    ]
)
SYL = np.array(["ba", "zo", "ki", "lu", "mer", "tan", "vo", "qui", "ra", "fen", "dol", "pix"])
SURNAMES = np.array(["Testchild", "Testkid", "Fakeson", "Madeup", "Sampleton", "Notreal"])
LOCALITIES = np.array(
    [
        "Hereford North City",
        "Hereford South and West",
        "Leominster",
        "Ledbury",
        "Ross-on-Wye",
        "Kington",
        "Bromyard",
        "Golden Valley",
    ]
)


@dataclass
class Sink:
    """Appends chunks to the 13 files and counts rows."""

    out_dir: Path
    rows: dict[str, int] = field(default_factory=dict)
    next_id: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        for e in EXTRACTS:
            cols = ",".join(c.name for c in e.columns)
            (self.out_dir / e.file_name).write_text(cols + "\n")
            self.rows[e.name] = 0
            self.next_id[e.name] = 1

    def ids(self, name: str, n: int) -> np.ndarray:
        first = self.next_id[name]
        self.next_id[name] = first + n
        return np.arange(first, first + n, dtype=np.int64)

    def write(self, name: str, frame: dict[str, object]) -> None:
        df = pd.DataFrame(frame)
        if df.empty:
            return
        if name in TEAMS_BY_EXTRACT:  # v1.1 TEAM (last column), from the id: no random draw
            df["TEAM"] = teams_for(name, df.iloc[:, 0].to_numpy())
        df.to_csv(self.out_dir / f"{name}.csv", mode="a", header=False, index=False)
        self.rows[name] += len(df)


def _dates(values: np.ndarray) -> np.ndarray:
    """datetime64[D] -> ISO text; NaT -> empty."""
    out = np.datetime_as_string(values, unit="D")
    out[np.isnat(values)] = ""
    return out


def _later(values: np.ndarray) -> np.ndarray:
    """Dates after the as-at date stay (the as-at rule ignores them) only up to a month."""
    return np.where(values > AS_AT + 30 * DAY, np.datetime64("NaT"), values)


def _repeat_offsets(counts: np.ndarray) -> np.ndarray:
    """0..count-1 for each group, concatenated."""
    total = int(counts.sum())
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total) - starts


class State:
    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.people = 0

    def persons(self, n: int, returning: float) -> np.ndarray:
        """Person ids: a share returning (an earlier child), the rest new."""
        is_new = (self.rng.random(n) >= returning) | (self.people == 0)
        new_ids = self.people + np.cumsum(is_new)
        old = self.rng.integers(1, max(self.people, 1) + 1, size=n)
        self.people = int(self.people + is_new.sum())
        return np.where(is_new, new_ids, old)


def _month(sink: Sink, st: State, month: np.datetime64, scale: int) -> None:
    rng = st.rng
    start = month.astype("datetime64[D]")
    days = int(((month + 1).astype("datetime64[D]") - start) // DAY)
    season = SEASON[int(str(month)[5:7]) - 1]

    # --- contacts and referrals ----------------------------------------------
    n = int(rng.poisson(CONTACTS * scale * season))
    received = start + rng.integers(0, days, n) * DAY
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
    ref_day = screened[progressed]
    ref_person = persons[progressed]
    has_ia = rng.random(n_ref) < 0.93
    sink.write(
        "referrals",
        {
            "REFERRAL_ID": referral_ids,
            "PERSON_ID": ref_person,
            "REFERRAL_DATE": _dates(ref_day),
            "SOURCE_CODE": source[progressed],
            "CONTACT_ID": contact_ids[progressed],
            "OUTCOME": np.where(has_ia, "ASSESSMENT", "NFA"),
            "CLOSURE_DATE": "",
        },
    )

    # --- assessments -----------------------------------------------------------
    n_ia = int(has_ia.sum())
    ia_start = ref_day[has_ia] + rng.integers(0, 3, n_ia) * DAY
    ia_auth = ia_start + rng.integers(1, 30, n_ia) * DAY
    ia_auth = np.where(rng.random(n_ia) < 0.9, ia_auth, np.datetime64("NaT"))
    ia_outcome = rng.choice(
        ["NFA", "CIN", "CA", "S47", "EARLY_HELP"], n_ia, p=[0.35, 0.3, 0.2, 0.07, 0.08]
    )
    n_ca = int((ia_outcome == "CA").sum())
    ca_start = np.where(np.isnat(ia_auth), ia_start, ia_auth)[ia_outcome == "CA"]
    ca_auth = _later(ca_start + rng.integers(10, 120, n_ca) * DAY)
    ia_persons = ref_person[has_ia]
    ia_refs = referral_ids[has_ia]
    sink.write(
        "assessments",
        {
            "ASSESSMENT_ID": sink.ids("assessments", n_ia + n_ca),
            "PERSON_ID": np.concatenate([ia_persons, ia_persons[ia_outcome == "CA"]]),
            "REFERRAL_ID": np.concatenate([ia_refs, ia_refs[ia_outcome == "CA"]]),
            "ASSESSMENT_TYPE": np.array(["IA"] * n_ia + ["CA"] * n_ca),
            "START_DATE": _dates(np.concatenate([ia_start, ca_start])),
            "COMPLETED_DATE": _dates(_later(np.concatenate([ia_auth, ca_auth]))),
            "AUTHORISED_DATE": _dates(_later(np.concatenate([ia_auth, ca_auth]))),
            "OUTCOME": np.concatenate([ia_outcome, rng.choice(["CIN", "S47", "LAC", "NFA"], n_ca)]),
        },
    )

    # --- strategy discussions, s47, ICPC, plans -------------------------------
    n_sd = min(int(rng.poisson(SDS * scale * season)), n_ref)
    pick = rng.choice(n_ref, n_sd, replace=False) if n_sd else np.array([], int)
    sd_day = ref_day[pick] + rng.integers(0, 5, n_sd) * DAY
    sd_person = ref_person[pick]
    sd_ids = sink.ids("strategy_discussions", n_sd)
    to_s47 = rng.random(n_sd) < 0.57
    sink.write(
        "strategy_discussions",
        {
            "SD_ID": sd_ids,
            "PERSON_ID": sd_person,
            "REFERRAL_ID": referral_ids[pick],
            "SD_DATE": _dates(sd_day),
            "OUTCOME": np.where(to_s47, "S47", "CIN"),
        },
    )
    n_s47 = int(to_s47.sum())
    s47_ids = sink.ids("s47_enquiries", n_s47)
    to_icpc = rng.random(n_s47) < 0.25
    s47_day = sd_day[to_s47]
    icpc_day = s47_day + rng.integers(5, 25, n_s47) * DAY
    sink.write(
        "s47_enquiries",
        {
            "S47_ID": s47_ids,
            "PERSON_ID": sd_person[to_s47],
            "SD_ID": sd_ids[to_s47],
            "START_DATE": _dates(s47_day),
            "END_DATE": _dates(_later(icpc_day)),
            "OUTCOME": np.where(to_icpc, "ICPC", "CIN"),
        },
    )
    n_icpc = int(to_icpc.sum())
    plan = rng.random(n_icpc) < 0.9
    icpc_days = icpc_day[to_icpc]
    icpc_person = sd_person[to_s47][to_icpc]
    plan_start = icpc_days[plan]
    n_plan = int(plan.sum())
    duration = rng.integers(60, 720, n_plan)
    plan_end = _later(plan_start + duration * DAY)
    plan_ids = sink.ids("cp_plans", n_plan)
    plan_person = icpc_person[plan]
    sink.write(
        "cp_plans",
        {
            "CPP_ID": plan_ids,
            "PERSON_ID": plan_person,
            "START_DATE": _dates(plan_start),
            "END_DATE": _dates(plan_end),
            "CATEGORY": rng.choice(
                ["NEG", "EMO", "PHY", "SAB", "MUL"], n_plan, p=[0.45, 0.3, 0.12, 0.06, 0.07]
            ),
        },
    )
    last = np.where(np.isnat(plan_end), AS_AT + 30 * DAY, plan_end)
    n_rev = np.maximum((last - plan_start - 90 * DAY) // (180 * DAY) + 1, 0).astype(int)
    off = _repeat_offsets(n_rev)
    rev_day = np.repeat(plan_start, n_rev) + (90 + 180 * off) * DAY
    conf_n = n_icpc + len(rev_day)
    sink.write(
        "cp_conferences",
        {
            "CONFERENCE_ID": sink.ids("cp_conferences", conf_n),
            "PERSON_ID": np.concatenate([icpc_person, np.repeat(plan_person, n_rev)]),
            "CONFERENCE_TYPE": np.array(["ICPC"] * n_icpc + ["RCPC"] * len(rev_day)),
            "CONFERENCE_DATE": _dates(np.concatenate([icpc_days, rev_day])),
            "S47_ID": np.concatenate([s47_ids[to_icpc].astype(str), np.full(len(rev_day), "")]),
            "CPP_ID": np.concatenate([np.full(n_icpc, ""), np.repeat(plan_ids, n_rev).astype(str)]),
            "OUTCOME": np.concatenate(
                [np.where(plan, "PLAN", "NO_PLAN"), np.full(len(rev_day), "CONTINUE")]
            ),
        },
    )
    n_vis = ((last - plan_start) // (12 * DAY)).astype(int)
    off = _repeat_offsets(n_vis)
    vis_day = np.repeat(plan_start, n_vis) + (12 * (off + 1) - rng.integers(0, 5, len(off))) * DAY
    sink.write(
        "cp_visits",
        {
            "VISIT_ID": sink.ids("cp_visits", len(vis_day)),
            "PERSON_ID": np.repeat(plan_person, n_vis),
            "VISIT_DATE": _dates(vis_day),
            "CHILD_SEEN": np.where(rng.random(len(vis_day)) < 0.95, "Y", "N"),
        },
    )

    # --- looked after children -------------------------------------------------
    n_lac = int(rng.poisson(LAC_STARTS * scale))
    lac_start = start + rng.integers(0, days, n_lac) * DAY
    lac_person = st.persons(n_lac, 0.2)
    lac_end = _later(lac_start + rng.integers(30, 1500, n_lac) * DAY)
    split = rng.random(n_lac) < 0.4
    mid = lac_start + ((np.where(np.isnat(lac_end), AS_AT, lac_end) - lac_start) // 2)
    ep_start = np.concatenate([lac_start, mid[split]])
    ep_end = np.concatenate([np.where(split, mid, lac_end), lac_end[split]])
    n_ep = len(ep_start)
    sink.write(
        "lac_episodes",
        {
            "EPISODE_ID": sink.ids("lac_episodes", n_ep),
            "PERSON_ID": np.concatenate([lac_person, lac_person[split]]),
            "START_DATE": _dates(ep_start),
            "END_DATE": _dates(ep_end),
            "LEGAL_STATUS": rng.choice(
                ["V2", "C2", "C1", "E1", "J1", "V3"], n_ep, p=[0.35, 0.3, 0.2, 0.08, 0.04, 0.03]
            ),
            "PLACEMENT_TYPE": rng.choice(["U1", "U4", "R1", "H5", "K2"], n_ep),
            "REASON_NEW_EPISODE": np.concatenate([np.full(n_lac, "S"), np.full(split.sum(), "L")]),
            "REASON_CEASED": np.where(np.isnat(ep_end), "", "E4A"),
        },
    )
    last = np.where(np.isnat(lac_end), AS_AT + 30 * DAY, lac_end)
    n_vis = ((last - lac_start) // (35 * DAY)).astype(int)
    off = _repeat_offsets(n_vis)
    sink.write(
        "lac_visits",
        {
            "VISIT_ID": sink.ids("lac_visits", int(n_vis.sum())),
            "PERSON_ID": np.repeat(lac_person, n_vis),
            "VISIT_DATE": _dates(np.repeat(lac_start, n_vis) + 35 * (off + 1) * DAY),
        },
    )
    n_rev = np.maximum((last - lac_start - 28 * DAY) // (182 * DAY) + 2, 0).astype(int)
    n_rev = np.where(last - lac_start > 28 * DAY, n_rev, 0)
    off = _repeat_offsets(n_rev)
    gap = np.where(off == 0, 25, np.where(off == 1, 110, 110 + 180 * (off - 1)))
    rev = np.repeat(lac_start, n_rev) + gap * DAY
    keep = rev < np.repeat(last, n_rev)
    sink.write(
        "lac_reviews",
        {
            "REVIEW_ID": sink.ids("lac_reviews", int(keep.sum())),
            "PERSON_ID": np.repeat(lac_person, n_rev)[keep],
            "REVIEW_DATE": _dates(rev[keep]),
        },
    )

    # --- CAFs ------------------------------------------------------------------------
    n_caf = int(rng.poisson(CAF_STARTS * scale * season))
    caf_start = start + rng.integers(0, days, n_caf) * DAY
    caf_end = _later(caf_start + rng.integers(20, 900, n_caf) * DAY)
    step = rng.random(n_caf) < 0.4
    sink.write(
        "caf_episodes",
        {
            "CAF_ID": sink.ids("caf_episodes", n_caf),
            "PERSON_ID": st.persons(n_caf, 0.5),
            "START_DATE": _dates(caf_start),
            "END_DATE": _dates(caf_end),
            "STEP_DOWN": np.where(step, "Y", "N"),
            "SOCIAL_CARE_INVOLVEMENT": np.where(step | (rng.random(n_caf) < 0.4), "Y", "N"),
            "LEAD_PROFESSIONAL_AGENCY": rng.choice(
                ["SCHOOL", "EARLY_YEARS", "HEALTH", "MAG", "CHILDRENS_CENTRE", "OTHER"],
                n_caf,
                p=[0.6, 0.12, 0.1, 0.08, 0.07, 0.03],
            ),
            "LOCALITY": rng.choice(LOCALITIES, n_caf),
            "CLOSURE_REASON": np.where(
                np.isnat(caf_end),
                "",
                rng.choice(["NEEDS_MET", "STEP_UP", "DISENGAGED", "MOVED_AWAY", "OTHER"], n_caf),
            ),
        },
    )


def _people(sink: Sink, st: State, chunk: int = 500_000) -> None:
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
                "DOB": _dates(dob),
                "GENDER": rng.choice(["M", "F"], n),
                "ETHNICITY": rng.choice(
                    ["WBRI", "WOTH", "MWBC", "ABAN", "BAFR"], n, p=[0.85, 0.06, 0.04, 0.02, 0.03]
                ),
                "POSTCODE": np.char.add(post, "ZZ"),
                "FAMILY_ID": ids // 3 + 900_000,
            },
        )


def generate(out_dir: Path, seed: int, children: int, years: int) -> str:
    if children < 1 or years < 1:
        raise ValueError("--children and --years must be at least 1")
    t0 = time.perf_counter()
    rng = np.random.default_rng([seed, 777])
    sink = Sink(Path(out_dir))
    st = State(rng)
    last = np.datetime64("2015-10", "M")
    first = last - (12 * years - 1)
    for month in np.arange(first, last + 1):
        _month(sink, st, month, children)
    _people(sink, st)
    total = sum(sink.rows.values())
    seconds = time.perf_counter() - t0
    return (
        f"scale (children {children}, years {years}, seed {seed}): 13 files, {total:,} rows "
        f"({sink.rows['contacts']:,} contacts) in {seconds:.1f}s "
        f"({total / max(seconds, 1e-9):,.0f} rows/s) in {out_dir}"
    )
