"""The column's home page, a dashboard: progress, counts by status, what needs attention."""
from __future__ import annotations

from .. import schedule
from ..loading import Dataset
from .base import GeneratedPage, render_page, schedule_of

NEWEST_REPORTS = 5  # the dashboard lists a fixed number, so its size does not grow with data


def build(d: Dataset) -> list[GeneratedPage]:
    x = schedule_of(d)
    attention = [(status, x.tasks_with(status)) for status in (schedule.OVERDUE, schedule.DUE_SOON, schedule.BEHIND)]
    visible = [r for r in d.reports if r.submitted <= d.as_of]
    newest = sorted(visible, key=lambda r: (r.submitted, r.month, r.action), reverse=True)[:NEWEST_REPORTS]
    return [render_page(
        d, "index.md", "index.md.j2", x=x, attention=attention, newest=newest,
        campaign_status=schedule.action_status(a.status for a in x.actions.values()),
        missing_actions=sorted({r.action_id for r in x.missing}),
        started=d.as_of >= d.site.campaign_start,
    )]
