"""Special actions: an index and one page per action with its tasks and monthly reports."""
from __future__ import annotations

from ..loading import Dataset
from .base import GeneratedPage, action_src, render_page


def build(d: Dataset) -> list[GeneratedPage]:
    reports_by_action: dict[str, list] = {a: [] for a in d.actions}
    for report in d.reports:
        reports_by_action[report.action].append(report)
    pages = [render_page(d, "actions/index.md", "actions_index.md.j2")]
    for action in d.actions.values():
        reports = sorted(reports_by_action[action.id], key=lambda r: r.month, reverse=True)
        latest = {}
        for report in sorted(reports, key=lambda r: r.month):
            for item in report.tasks:
                latest[item.task] = item.percent
        cases = [c for c in d.cases if action.id in c.actions]
        policies = [p for p in d.policies if action.id in p.doc.actions]
        pages.append(render_page(d, action_src(action.id), "action.md.j2", action=action, reports=reports,
                                 latest=latest, cases=cases, policies=policies))
    return pages
