"""Contacts and the referrals they progress to (codes 4-9).

Per month: the number of contacts, of contacts progressed to a referral and
of contacts screened by a qualified practitioner on the same working day are
exact targets; in October and September 2015 the split by referral source
too. A referral is dated the day its contact was screened, in the contact's
month, so the referrals of a month are the contacts it progressed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np

from cscperf.calendar import Month, last_day, month_key
from cscperf.contract import SOURCE_CODES

from ..shared.draws import at
from .context import AS_AT, Context
from .records import Contact, Referral, Who

NOT_PROGRESSED = ("NFA", "ADVICE", "EARLY_HELP")
# Christmas 2014 and Easter 2015: referrals whose IAs meet or miss the 10
# working days by one day (see assessments.PLANTED_AUTHORISATIONS).
PLANTED_REFERRAL_DAYS = {(2014, 12): date(2014, 12, 19), (2015, 3): date(2015, 3, 24)}


def _source_profile(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    table = ctx.plan.config["contacts_by_source"]
    contacts = np.array([sum(table[m][c][0] for m in table) for c in SOURCE_CODES], float)
    progressed = np.array([sum(table[m][c][1] for m in table) for c in SOURCE_CODES], float)
    weights = (contacts + 0.4) / (contacts + 0.4).sum()
    rate = (progressed + 0.5) / (contacts + 1.0)
    return weights, rate


def _sources(
    ctx: Context, month: Month, n: int, n_progressed: int, rng: np.random.Generator
) -> list[tuple[str, bool]]:
    """(source, progressed) for each contact of the month."""
    table = ctx.plan.config["contacts_by_source"].get(month_key(month))
    out: list[tuple[str, bool]] = []
    if table is not None:
        for code in SOURCE_CODES:
            total, progressed = table[code]
            out += [(code, True)] * progressed + [(code, False)] * (total - progressed)
        if len(out) != n or sum(p for _, p in out) != n_progressed:
            raise ValueError(f"source table of {month_key(month)} does not match the targets")
        return out
    weights, rate = _source_profile(ctx)
    codes = rng.choice(len(SOURCE_CODES), size=n, p=weights)
    p = rate[codes] / rate[codes].sum()
    progressed = set(rng.choice(n, size=n_progressed, replace=False, p=p).tolist())
    return [(SOURCE_CODES[c], i in progressed) for i, c in enumerate(codes)]


def build(ctx: Context) -> tuple[list[Contact], list[Referral]]:
    rng = ctx.rng("contacts")
    contacts: list[Contact] = []
    referrals: list[Referral] = []
    for month in ctx.plan.months:
        _month(ctx, month, rng, contacts, referrals)
    _flag_referrals(ctx, referrals)
    return contacts, referrals


def _month(
    ctx: Context,
    month: Month,
    rng: np.random.Generator,
    contacts: list[Contact],
    referrals: list[Referral],
) -> None:
    """The month's contacts, and a referral for each progressed one."""
    v = ctx.plan.values[month]
    n, n_prog, n_same = v["contacts"], v["referrals"], v["same_day"]
    me = last_day(month)
    recorded = month >= (2014, 4)  # the qualified-screener flag starts April 2014
    kinds = _sources(ctx, month, n, n_prog, rng)
    order = rng.permutation(n)
    kinds = [kinds[i] for i in order]
    # which contacts are screened the same working day by a qualified worker
    same = np.zeros(n, bool)
    if n_same:
        same[rng.choice(n, size=n_same, replace=False)] = True
    days, p = ctx.day_weights(month)
    planted_day = PLANTED_REFERRAL_DAYS.get(month)
    planted_left = 2 if planted_day else 0
    day_index = rng.choice(len(days), size=n, p=p)
    # October 2015: one contact received on Friday 30th, screened on
    # Monday 2 November: unscreened (no outcome) as at the 31st
    misses = [i for i, (_, prog) in enumerate(kinds) if not prog and not same[i]]
    after_as_at = misses[0] if month == (2015, 10) and misses else None
    for i, (source, progressed) in enumerate(kinds):
        if planted_left and progressed and same[i]:
            day, planted_left = planted_day, planted_left - 1
            planted = True
        elif i == after_as_at:
            day, planted = date(2015, 10, 30), False
        else:
            day = days[int(day_index[i])]
            planted = False
        received = at(day, rng, 0 if source == "6" else 8, 24 if source == "6" else 18)
        if i == after_as_at:
            screened, qualified = datetime(2015, 11, 2, 9, 12), "Y"
        else:
            screened, qualified = _screening(
                ctx, day, received, same[i], progressed, recorded, me, rng
            )
        if progressed and (screened is None or screened.date() > me):
            raise AssertionError("a progressed contact must be screened in its month")
        contact = _contact(ctx, received, source, screened, qualified, progressed, rng)
        contacts.append(contact)
        if progressed:
            referrals.append(_referral(ctx, contact, planted))
    if planted_left:
        raise AssertionError(f"could not plant referrals in {month_key(month)}")


def _contact(
    ctx: Context,
    received: datetime,
    source: str,
    screened: datetime | None,
    qualified: str | None,
    progressed: bool,
    rng: np.random.Generator,
) -> Contact:
    outcome = "REFERRAL" if progressed else str(rng.choice(NOT_PROGRESSED))
    if screened is None:
        outcome = None
    return Contact(
        ctx.next_id("contact", 1_000_001), Who(), received, source, screened, qualified, outcome
    )


def _referral(ctx: Context, contact: Contact, planted: bool) -> Referral:
    """The referral of a progressed contact, dated the day it was screened."""
    assert contact.screened is not None
    ref = Referral(
        ctx.next_id("referral", 2_000_001),
        Who(),
        contact.screened.date(),
        contact.source,
        contact,
        planted=planted,
    )
    contact.referral = ref
    contact.who = ref.who
    return ref


def _screening(
    ctx: Context,
    day: date,
    received: datetime,
    same_day: bool,
    progressed: bool,
    recorded: bool,
    me: date,
    rng: np.random.Generator,
) -> tuple[datetime | None, str | None]:
    """(screened datetime, SCREENED_BY_QUALIFIED) giving the wanted code-6 status."""
    cal = ctx.cal
    working = cal.is_working_day(day)

    def later(d: date, hours: int) -> datetime:
        t = received + timedelta(minutes=int(rng.integers(10, hours * 60)))
        if d == day:
            return t if t.date() == day else datetime.combine(day, time(23, 59))
        return datetime.combine(d, time(int(rng.integers(8, 17)), int(rng.integers(0, 60))))

    if same_day:  # qualified, on the received day or (non-working day) the next working day
        target = day
        limit = me if day > AS_AT else min(me, AS_AT)
        if not working and rng.random() < 0.6 and cal.add(day, 1) <= limit:
            target = cal.add(day, 1)
        return later(target, 4), "Y"
    if not recorded:
        return later(cal.on_or_after(day) if cal.on_or_after(day) <= me else day, 6), None
    # a miss: a later working day, or an unqualified screener, or (October
    # 2015, not progressed) screened after the as-at date
    late_day = cal.add(day, int(rng.integers(1, 3)) + (0 if working else 1))
    if not progressed and late_day > AS_AT and day <= AS_AT:
        return later(late_day, 4), "Y"
    if late_day <= me and rng.random() < 0.6:
        return later(late_day, 4), "Y"
    return later(day, 4), "N"


def _flag_referrals(ctx: Context, referrals: list[Referral]) -> None:
    """Mark, per month, which referrals are re-referrals and which get an IA."""
    rng = ctx.rng("referral-flags")
    by_month: dict[Month, list[Referral]] = {}
    for r in referrals:
        by_month.setdefault((r.day.year, r.day.month), []).append(r)
    for month, refs in by_month.items():
        v = ctx.plan.values[month]
        n = len(refs)
        if n != v["referrals"]:
            raise AssertionError(f"{month_key(month)}: {n} referrals, target {v['referrals']}")
        planted = [i for i, r in enumerate(refs) if r.planted]
        others = [i for i in range(n) if i not in planted]
        with_ia = (
            planted + rng.choice(others, size=v["with_ia"] - len(planted), replace=False).tolist()
        )
        for i in with_ia:
            refs[i].has_ia = True
        rereferral = set(rng.choice(others, size=v["rereferrals"], replace=False).tolist())
        for i in rereferral:
            refs[i].rereferral = True
        for r in refs:
            if r.has_ia:
                r.outcome = "ASSESSMENT"
            else:
                r.outcome = str(
                    rng.choice(["NFA", "SIGNPOSTED", "EARLY_HELP", "OTHER"], p=[0.5, 0.2, 0.2, 0.1])
                )
                if r.day + timedelta(days=10) <= AS_AT:
                    r.closure = ctx.cal.add(r.day, int(rng.integers(1, 8)))
