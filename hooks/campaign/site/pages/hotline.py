"""The 441111 complaint line: what to report, how it is handled, the portal's channels.

The column has no forms of its own (an unanswered message box is a veto item in portal
inspections); it points to the hotline and to the portal's own interaction channels.
"""
from __future__ import annotations

from campaign.records.loading import Dataset
from campaign.site.pages.base import GeneratedPage, render_page


def build(d: Dataset) -> list[GeneratedPage]:
    measure = next((x for x in d.plan.measures if x.id == "m1-2"), None)
    random_check = next((x for x in d.plan.methods if x.id == "random-check"), None)
    from_hotline = sorted((c for c in d.cases if c.source == "441111热线"), key=lambda c: (c.date, c.id), reverse=True)
    return [render_page(d, "hotline.md", "hotline.html.j2", shows_sample=True, measure=measure, random_check=random_check,
                        from_hotline=from_hotline)]
