"""Responsible units: an index and one page per unit with what it leads and supports,
each with its status as of the data date."""
from __future__ import annotations

from .. import schedule
from ..loading import Dataset
from .base import GeneratedPage, render_page, schedule_of, unit_src

# The statuses a unit index counts for the actions a unit leads: what needs attention.
ATTENTION = (schedule.OVERDUE, schedule.DUE_SOON, schedule.BEHIND)


def build(d: Dataset) -> list[GeneratedPage]:
    x = schedule_of(d)
    rows = []
    for u in d.unit_list:
        leads = [a for a in d.action_list if a.lead_unit == u.id]
        led_tasks = [t for a in leads for t in x.actions[a.id].tasks]
        counts = schedule.count_statuses(t.status for t in led_tasks)
        missing = sum(len(x.actions[a.id].missing) for a in leads)
        rows.append((u, len(leads), sum(u.id in a.cooperating_units for a in d.action_list),
                     len(led_tasks), {s: counts[s] for s in ATTENTION}, missing))
    pages = [render_page(d, "units/index.md", "units_index.md.j2", rows=rows, attention=ATTENTION)]
    for unit in d.unit_list:
        uid = unit.id
        leads = [a for a in d.action_list if a.lead_unit == uid]
        pages.append(render_page(
            d, unit_src(uid), "unit.md.j2", unit=unit, x=x,
            leads=leads,
            lead_counts=schedule.count_statuses(t.status for a in leads for t in x.actions[a.id].tasks),
            supports=[a for a in d.action_list if uid in a.cooperating_units],
            measures=[i for i in d.plan.measures if uid in i.lead_units or uid in i.cooperating_units],
            methods=[i for i in d.plan.methods if uid in i.lead_units or uid in i.cooperating_units],
            cases=[c for c in d.cases if uid in c.units],
            member=uid in d.leadership.member_units,
        ))
    return pages
