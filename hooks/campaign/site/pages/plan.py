"""The supervision plan page: a timeline of measures and methods by deadline with their
status as of the data date, then the measures by section, methods and leadership."""
from __future__ import annotations

from datetime import date
from itertools import groupby

from campaign.records.loading import Dataset
from campaign.rules.schedule import derive_once
from campaign.site.pages.base import GeneratedPage, render_page


def build(d: Dataset) -> list[GeneratedPage]:
    x = derive_once(d)
    sections = [(name, list(items)) for name, items in groupby(d.plan.measures, key=lambda i: i.section)]
    items = [(i, "工作措施") for i in d.plan.measures] + [(i, "督查方式") for i in d.plan.methods]
    # By deadline; items without one (ongoing) come last, in plan order.
    order = {i.id: n for n, (i, _) in enumerate(items)}
    timeline = sorted(items, key=lambda p: (p[0].deadline is None,
                                            p[0].deadline.due if p[0].deadline else date.max, order[p[0].id]))
    return [render_page(d, "plan/index.md", "plan.html.j2", sections=sections, timeline=timeline, x=x)]
