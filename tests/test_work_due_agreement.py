"""The work-due lists agree with the indicators that later judge the work.

For every open item of ``marts.work_due`` as at D, a completion is
synthesised into the extracts as known at D (an IA authorised, a contact
screened, an ICPC, RCPC, CP visit, LAC visit or LAC review held) twice:

- on the item's ``due_date``: the indicator must count every one of them as
  within timescale;
- on the next working day after ``due_date``: it must count none of them.

The judge is the independent oracle (tests/oracle), computed on the tables
with the completions added; the completions are the only change, so the
increase of each indicator's numerator and denominator (summed over all
months) says how the synthetic records were judged. Runs on the demo set and
on random extract sets (tests/random_extracts.py: with and without TEAM).
"""

from __future__ import annotations

import copy
import dataclasses
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import duckdb
import pytest

from cscperf import contract
from cscperf.dbt_runner import run_dbt
from cscperf.loading import land
from cscperf.settings import Settings, load_settings
from tests.oracle.extracts import Row, Tables, apply_as_at, read_extracts
from tests.oracle.indicators import compute_from_tables
from tests.oracle.workdays import WorkingDays
from tests.random_extracts import write_random_extracts

pytestmark = pytest.mark.slow

# item kind -> the indicator code that judges it
JUDGE = {
    "contact_screening": 6,
    "initial_assessment": 11,
    "core_assessment": 12,
    "icpc": 23,
    "rcpc": 25,
    "cp_visit": 21,
    "lac_visit": 27,
    "lac_review": 29,
}


@dataclass(frozen=True)
class Scenario:
    name: str
    as_at: date
    seed: int
    demo: bool = False
    cp_visit_working_days: int = 10
    lac_visit_days: int = 42


SCENARIOS = (
    Scenario("demo-2015-10-31", date(2015, 10, 31), 2015, demo=True),
    Scenario("random-with-team-2015-12-24", date(2015, 12, 24), 11),
    Scenario(
        "random-no-team-2016-03-24-short-limits",
        date(2016, 3, 24),
        12,
        cp_visit_working_days=7,
        lac_visit_days=30,
    ),
)


@dataclass(frozen=True)
class Built:
    scenario: Scenario
    settings: Settings
    items: list[dict[str, object]]
    known: Tables
    has_team: bool


@pytest.fixture(scope="module", params=SCENARIOS, ids=lambda s: s.name)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    scenario: Scenario = request.param
    base = load_settings()
    settings = dataclasses.replace(
        base,
        timescales=dataclasses.replace(
            base.timescales,
            cp_visit_working_days=scenario.cp_visit_working_days,
            lac_visit_days=scenario.lac_visit_days,
        ),
    )
    if scenario.demo:
        # the session's demo run (conftest.py): the same extract set, as-at date and
        # settings as this scenario, so its published marts.work_due is this build's
        assert (scenario.seed, scenario.as_at) == (2015, date(2015, 10, 31)), scenario
        assert settings == base, "the demo run has the project's own settings"
        demo = request.getfixturevalue("demo_run")
        extracts, db = demo.extracts, demo.warehouse
    else:
        tmp = tmp_path_factory.mktemp(scenario.name)
        extracts, db = tmp / "extracts", tmp / "warehouse.duckdb"
        write_random_extracts(extracts, scenario.seed)
        land(extracts, db, settings)
        run_dbt(
            ["build", "--select", "+work_due", "--indirect-selection", "cautious"],
            db,
            settings,
            scenario.as_at,
            target_path=tmp / "target",
        )
    con = duckdb.connect(str(db), read_only=True)
    try:
        cursor = con.execute("select * from marts.work_due order by item_kind, record_id")
        names = [d[0] for d in cursor.description]
        items = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        has_team = (
            con.execute("select count(*) from marts.work_due where team is not null").fetchone()[0]
            > 0
        )
    finally:
        con.close()
    tables, _ = read_extracts(extracts)
    return Built(scenario, settings, items, apply_as_at(tables, scenario.as_at), has_team)


def next_working_day(day: date, wd: WorkingDays) -> date:
    day += timedelta(days=1)
    while not wd.is_working_day(day):
        day += timedelta(days=1)
    return day


def blank(table: str) -> Row:
    return {c.name: None for c in contract.extract(table).columns}


def complete(known: Tables, items: list[dict[str, object]], when: dict[str, date]) -> Tables:
    """The known tables with every item done on ``when[kind + record_id]``."""
    tables = {name: list(rows) for name, rows in known.items()}
    contacts = {r["CONTACT_ID"]: i for i, r in enumerate(tables["contacts"])}
    assessments = {r["ASSESSMENT_ID"]: i for i, r in enumerate(tables["assessments"])}
    s47s = {r["S47_ID"]: r for r in tables["s47_enquiries"]}
    for n, item in enumerate(items):
        kind, record_id = str(item["item_kind"]), str(item["record_id"])
        day = when[kind + "|" + record_id]
        person = item["person_id"]
        if kind == "contact_screening":
            i = contacts[record_id]
            row = copy.copy(tables["contacts"][i])
            row["SCREENED_DATETIME"] = datetime.combine(day, time(16, 0))
            row["SCREENED_BY_QUALIFIED"] = "Y"
            tables["contacts"][i] = row
        elif kind in ("initial_assessment", "core_assessment"):
            i = assessments[record_id]
            row = copy.copy(tables["assessments"][i])
            row["AUTHORISED_DATE"] = day
            tables["assessments"][i] = row
        elif kind in ("icpc", "rcpc"):
            row = blank("cp_conferences")
            row.update(CONFERENCE_ID=f"wd{n}", CONFERENCE_DATE=day, CONFERENCE_TYPE=kind.upper())
            if kind == "icpc":
                row.update(PERSON_ID=s47s[record_id]["PERSON_ID"], S47_ID=record_id)
            else:
                row.update(PERSON_ID=person, CPP_ID=record_id)
            tables["cp_conferences"].append(row)
        elif kind == "cp_visit":
            row = blank("cp_visits")
            row.update(VISIT_ID=f"wd{n}", PERSON_ID=person, VISIT_DATE=day, CHILD_SEEN="Y")
            tables["cp_visits"].append(row)
        elif kind == "lac_visit":
            row = blank("lac_visits")
            row.update(VISIT_ID=f"wd{n}", PERSON_ID=person, VISIT_DATE=day)
            tables["lac_visits"].append(row)
        elif kind == "lac_review":
            row = blank("lac_reviews")
            row.update(REVIEW_ID=f"wd{n}", PERSON_ID=person, REVIEW_DATE=day)
            tables["lac_reviews"].append(row)
        else:
            raise AssertionError(f"item kind {kind} has no judge")
    return tables


def totals(tables: Tables, as_at: date, s: Settings) -> dict[int, tuple[int, int]]:
    """Numerator and denominator of each judging code, summed over every month."""
    results = compute_from_tables(
        tables,
        as_at,
        cp_visit_working_days=s.timescales.cp_visit_working_days,
        lac_visit_days=s.timescales.lac_visit_days,
    )
    summed: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for (code, _me), value in results.values.items():
        if code in JUDGE.values():
            summed[code][0] += value.numerator
            summed[code][1] += value.denominator or 0
    return {code: (n, d) for code, (n, d) in summed.items()}


def test_the_list_has_items(built: Built) -> None:
    kinds = Counter(str(i["item_kind"]) for i in built.items)
    assert sum(kinds.values()) > 0
    if built.scenario.demo:
        assert set(kinds) == set(JUDGE), kinds  # the demo has open work of every kind
        assert built.has_team
    else:
        assert len(kinds) >= 6, kinds
        assert built.has_team == (built.scenario.seed % 2 == 1)  # TEAM only in odd seeds


def test_done_on_the_due_date_is_within_and_a_working_day_later_is_not(built: Built) -> None:
    wd = WorkingDays()
    items = built.items
    on_due = {f"{i['item_kind']}|{i['record_id']}": i["due_date"] for i in items}
    day_after = {key: next_working_day(day, wd) for key, day in on_due.items()}
    horizon = max([built.scenario.as_at, *day_after.values()])
    base = totals(built.known, horizon, built.settings)
    on_time = totals(complete(built.known, items, on_due), horizon, built.settings)
    late = totals(complete(built.known, items, day_after), horizon, built.settings)
    kinds = Counter(str(i["item_kind"]) for i in items)
    problems = []
    for kind, code in JUDGE.items():
        n = kinds.get(kind, 0)
        # a contact is in code 6's denominator already; every other completion adds to it
        added = 0 if kind == "contact_screening" else n
        (bn, bd), (on, od), (ln, ld) = base[code], on_time[code], late[code]
        if (od - bd, on - bn) != (added, n):
            problems.append(
                f"{kind}: done on the due date, {on - bn} within, denominator"
                f" +{od - bd} (code {code}); expected {n} within, +{added}"
            )
        if (ld - bd, ln - bn) != (added, 0):
            problems.append(
                f"{kind}: done a working day late, {ln - bn} within, denominator"
                f" +{ld - bd} (code {code}); expected 0 within, +{added}"
            )
    assert not problems, "\n".join(problems)
