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
    plan_people: list[str] = [p.who.person_id for p in plans if p.who.person_id]
    history: list[tuple[date, str]] = []  # (referral day, person) in walk order
    days: list[date] = []
    for r in sorted(referrals, key=lambda r: (r.day, r.id)):
        need = None if r.plan is None else ("second" if r.plan.second else "first")
        person = None
        if r.rereferral:
            lo = bisect.bisect_left(days, add_months(r.day, -12))
            hi = bisect.bisect_left(days, r.day)  # strictly earlier days
            for _ in range(60):
                if hi <= lo:
                    break
                cand = reg.people[history[int(rng.integers(lo, hi))][1]]
                if need == "first" and cand.plans:
                    continue
                person = cand
                break
            if person is None and r.day < date(2012, 1, 1):
                r.rereferral = False  # the first months of the system: no history yet
            elif person is None:
                raise ValueError(f"no child to re-refer on {r.day}")
        if person is not None:
            pass  # found above
        elif need == "second":
            cutoff = add_months(r.day, -12)
            for _ in range(400):
                cand = reg.people[plan_people[int(rng.integers(0, len(plan_people)))]]
                if (
                    cand.plans
                    and all(
                        e is not None and e < r.plan.start - timedelta(days=90)
                        for _, e in cand.plans
                    )
                    and (cand.last_referral is None or cand.last_referral < cutoff)
                ):
                    person = cand
                    break
            if person is None:
                raise ValueError(f"no child for a second plan on {r.plan.start}")
        else:
            hi = bisect.bisect_left(days, add_months(r.day, -12))
            if hi and rng.random() < 0.12:
                for _ in range(10):
                    cand = reg.people[history[int(rng.integers(0, hi))][1]]
                    if (
                        cand.last_referral is not None
                        and cand.last_referral < add_months(r.day, -12)
                        and not (need == "first" and cand.plans)
                    ):
                        person = cand
                        break
            if person is None:
                person = reg.new()
        r.who.person_id = person.id
        person.last_referral = r.day
        history.append((r.day, person.id))
        days.append(r.day)
        if r.plan is not None:
            person.plans.append((r.plan.start, r.plan.end))
            plan_people.append(person.id)
    # contacts that did not progress: mostly children already known
    for c in contacts:
        if c.who.person_id is None and history and rng.random() < 0.35:
            c.who.person_id = history[int(rng.integers(0, len(history)))][1]
    return reg


def fill_missing(reg: Registry, whos: list[Who]) -> None:
    """New children for every slot still without a person."""
    for who in whos:
        if who.person_id is None:
            who.person_id = reg.new().id


def sample_existing(reg: Registry, rng: np.random.Generator) -> str:
    return reg.order[int(rng.integers(0, len(reg.order)))]
