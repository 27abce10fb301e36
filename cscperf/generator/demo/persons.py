"""Who is who: person ids for the journeys, decided after they are built.

Referrals are walked in date order. A re-referral takes a child with a
referral in the 12 months before (strictly earlier day); any other referral a
new child or one not referred for 12 months. A referral whose strategy
discussion leads to a first plan takes a child who never had a plan; one
leading to a second plan takes a child whose plans all ended at least three
months before. Everything downstream shares the referral's ``Who`` slot.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from cscperf.calendar import add_months

from .context import Context
from .records import Contact, CpPlan, Referral, Who


@dataclass
class Person:
    id: str
    last_referral: date | None = None
    plans: list[tuple[date, date | None]] = field(default_factory=list)


class Registry:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.people: dict[str, Person] = {}
        self.order: list[str] = []

    def new(self) -> Person:
        pid = str(self.ctx.next_id("person", 100_001))
        person = Person(pid)
        self.people[pid] = person
        self.order.append(pid)
        return person


class _Walk:
    """The referrals walked so far: (day, person) in walk order, and plan children."""

    def __init__(self, reg: Registry, plan_people: list[str]) -> None:
        self.reg = reg
        self.history: list[tuple[date, str]] = []
        self.days: list[date] = []
        self.plan_people = plan_people

    def candidate(self, lo: int, hi: int, rng: np.random.Generator) -> Person:
        return self.reg.people[self.history[int(rng.integers(lo, hi))][1]]


def assign(
    ctx: Context, contacts: list[Contact], referrals: list[Referral], plans: list[CpPlan]
) -> Registry:
    rng = ctx.rng("persons")
    reg = Registry(ctx)
    # children on plans whose strategy discussion had no referral (go-live, transfers)
    ref_plans = {id(r.plan) for r in referrals if r.plan is not None}
    for p in sorted(plans, key=lambda p: (p.start, p.id)):
        if id(p) not in ref_plans:
            if p.second:
                raise ValueError("a second plan needs a referral")
            person = reg.new()
            p.who.person_id = person.id
            person.plans.append((p.start, p.end))
    walk = _Walk(reg, [p.who.person_id for p in plans if p.who.person_id])
    for r in sorted(referrals, key=lambda r: (r.day, r.id)):
        person = _person_for(walk, r, rng)
        r.who.person_id = person.id
        person.last_referral = r.day
        walk.history.append((r.day, person.id))
        walk.days.append(r.day)
        if r.plan is not None:
            person.plans.append((r.plan.start, r.plan.end))
            walk.plan_people.append(person.id)
    # contacts that did not progress: mostly children already known
    history = walk.history
    for c in contacts:
        if c.who.person_id is None and history and rng.random() < 0.35:
            c.who.person_id = history[int(rng.integers(0, len(history)))][1]
    return reg


def _person_for(walk: _Walk, r: Referral, rng: np.random.Generator) -> Person:
    need = None if r.plan is None else ("second" if r.plan.second else "first")
    person = None
    if r.rereferral:
        person = _rereferred(walk, r, need, rng)
        if person is None and r.day < date(2012, 1, 1):
            r.rereferral = False  # the first months of the system: no history yet
        elif person is None:
            raise ValueError(f"no child to re-refer on {r.day}")
    if person is not None:
        return person
    if need == "second":
        return _second_plan_child(walk, r, rng)
    return _new_or_returning(walk, r, need, rng)


def _rereferred(
    walk: _Walk, r: Referral, need: str | None, rng: np.random.Generator
) -> Person | None:
    """A child with a referral in the 12 months before (strictly earlier day)."""
    lo = bisect.bisect_left(walk.days, add_months(r.day, -12))
    hi = bisect.bisect_left(walk.days, r.day)  # strictly earlier days
    for _ in range(60):
        if hi <= lo:
            break
        cand = walk.candidate(lo, hi, rng)
        if need == "first" and cand.plans:
            continue
        return cand
    return None


def _second_plan_child(walk: _Walk, r: Referral, rng: np.random.Generator) -> Person:
    """A child whose plans all ended three months before, not referred for 12 months."""
    assert r.plan is not None
    cutoff = add_months(r.day, -12)
    reg, plan_people = walk.reg, walk.plan_people
    for _ in range(400):
        cand = reg.people[plan_people[int(rng.integers(0, len(plan_people)))]]
        if (
            cand.plans
            and all(e is not None and e < r.plan.start - timedelta(days=90) for _, e in cand.plans)
            and (cand.last_referral is None or cand.last_referral < cutoff)
        ):
            return cand
    raise ValueError(f"no child for a second plan on {r.plan.start}")


def _new_or_returning(
    walk: _Walk, r: Referral, need: str | None, rng: np.random.Generator
) -> Person:
    """A new child, or (12%) one not referred for 12 months."""
    hi = bisect.bisect_left(walk.days, add_months(r.day, -12))
    if hi and rng.random() < 0.12:
        for _ in range(10):
            cand = walk.candidate(0, hi, rng)
            if (
                cand.last_referral is not None
                and cand.last_referral < add_months(r.day, -12)
                and not (need == "first" and cand.plans)
            ):
                return cand
    return walk.reg.new()


def fill_missing(reg: Registry, whos: list[Who]) -> None:
    """New children for every slot still without a person."""
    for who in whos:
        if who.person_id is None:
            who.person_id = reg.new().id


def sample_existing(reg: Registry, rng: np.random.Generator) -> str:
    return reg.order[int(rng.integers(0, len(reg.order)))]
