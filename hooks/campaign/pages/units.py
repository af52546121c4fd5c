"""Responsible units: an index and one page per unit with what it leads and supports."""
from __future__ import annotations

from ..loading import Dataset
from .base import GeneratedPage, render_page, unit_src


def build(d: Dataset) -> list[GeneratedPage]:
    rows = [(u, sum(a.lead_unit == u.id for a in d.action_list),
             sum(u.id in a.cooperating_units for a in d.action_list)) for u in d.unit_list]
    pages = [render_page(d, "units/index.md", "units_index.md.j2", rows=rows)]
    for unit in d.unit_list:
        uid = unit.id
        pages.append(render_page(
            d, unit_src(uid), "unit.md.j2", unit=unit,
            leads=[a for a in d.action_list if a.lead_unit == uid],
            supports=[a for a in d.action_list if uid in a.cooperating_units],
            measures=[x for x in d.plan.measures if uid in x.lead_units or uid in x.cooperating_units],
            cases=[c for c in d.cases if uid in c.units],
            member=uid in d.leadership.member_units,
        ))
    return pages
