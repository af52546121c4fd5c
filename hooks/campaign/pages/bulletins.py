"""Monthly bulletins (每月通报): one generated page per month from the campaign start to the
data date's month, each computed as of that month's last day, and an index of all months."""
from __future__ import annotations

from .. import schedule
from ..dates import last_day
from ..loading import Dataset
from .base import GeneratedPage, bulletin_src, render_page, schedule_of


def build(d: Dataset) -> list[GeneratedPage]:
    periods = schedule.period_ends(d)
    pages = []
    index_rows = []
    for month, at in periods:
        x = schedule_of(d, at)
        completed = sorted((t for t in x.tasks.values() if t.completed_month == month),
                           key=lambda t: (t.action_id, t.task_id))
        reports = {r.action: r for r in d.reports if r.month == month and r.submitted <= d.as_of}
        cases = [c for c in d.cases if c.date.isoformat()[:7] == month]
        pages.append(render_page(
            d, bulletin_src(month), "bulletin.md.j2", month=month, at=at, x=x, completed=completed,
            month_reports=reports, month_cases=cases,
            problems=x.tasks_with(schedule.OVERDUE, schedule.DUE_SOON, schedule.BEHIND),
            is_partial=at != last_day(at.year, at.month),
        ))
        index_rows.append((month, at, x, len(completed), len(cases)))
    pages.append(render_page(d, "bulletins/index.md", "bulletins_index.md.j2", rows=list(reversed(index_rows))))
    return pages
