"""The `herefordshire-2015` profile: a calibrated demo extract set."""

from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path

from cscperf.calendar import WorkCalendar

from . import (
    assessments,
    caf,
    care,
    contacts,
    edge_cases,
    people,
    persons,
    protection,
    rows,
    visits,
)
from .context import Context
from .targets import build_plan

log = logging.getLogger("cscperf.generator")


def build(seed: int, cal: WorkCalendar | None = None) -> tuple[Context, rows.Tables]:
    """The demo's tables; ``cal``: the working days (default: cscperf.calendar's, with
    the bank holidays and the seed's local closure days)."""
    ctx = Context(seed, build_plan(seed), cal or WorkCalendar())
    contact_list, referral_list = contacts.build(ctx)
    ias = assessments.build_ias(ctx, referral_list)
    cas = assessments.build_cas(ctx, referral_list)
    prot = protection.build(ctx, referral_list)
    visits.cp_visits(ctx, prot.plans)
    lac = care.build(ctx)
    visits.lac_visits(ctx, lac.periods)
    cafs = caf.build(ctx)
    reg = persons.assign(ctx, contact_list, referral_list, prot.plans)
    rng = ctx.rng("people")
    # step-down CAFs are children social care knew; the rest are new
    for c in cafs:
        if c.step_down == "Y" and rng.random() < 0.8:
            c.who.person_id = persons.sample_existing(reg, rng)
    whos = (
        [c.who for c in contact_list]
        + [a.who for a in cas]
        + [s.who for s in prot.sds]
        + [c.who for c in prot.conferences]
        + [p.who for p in prot.plans]
        + [p.who for p in lac.periods]
        + [w for w, *_ in lac.short_breaks]
        + [c.who for c in cafs]
    )
    persons.fill_missing(reg, whos)
    tables = rows.build_tables(ctx, contact_list, referral_list, ias + cas, prot, lac, cafs)
    first = _first_events(tables)
    tables["people"] = people.people_rows(reg.order, first, rng)
    return ctx, tables


def _first_events(tables: rows.Tables) -> dict[str, date]:
    first: dict[str, date] = {}
    for _name, table in tables.items():
        for row in table:
            pid = row.get("PERSON_ID")
            for value in row.values():
                if isinstance(value, date):
                    d = value.date() if isinstance(value, datetime) else value
                    if pid and (pid not in first or d < first[pid]):
                        first[pid] = d
    return first


def generate(out_dir: Path, seed: int) -> str:
    ctx, tables = build(seed)
    counts = edge_cases.write(ctx, tables, out_dir)
    total = sum(counts.values())
    return (
        f"herefordshire-2015 (seed {seed}): 13 files, {total:,} rows "
        f"({counts['contacts']:,} contacts) in {out_dir}"
    )
