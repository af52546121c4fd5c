"""Special actions: an index and one page per action with its tasks, statuses and reports."""
from __future__ import annotations

from ..loading import Dataset
from .base import GeneratedPage, action_src, render_page, schedule_of


def build(d: Dataset) -> list[GeneratedPage]:
    x = schedule_of(d)
    reports_by_action: dict[str, list] = {a: [] for a in d.actions}
    for report in d.reports:
        if report.month <= x.as_of.isoformat()[:7]:
            reports_by_action[report.action].append(report)
    pages = [render_page(d, "actions/index.md", "actions_index.md.j2", x=x)]
    for action in d.actions.values():
        st = x.actions[action.id]
        # Newest first: the timeline reads like a news column.
        reports = sorted(reports_by_action[action.id], key=lambda r: r.month, reverse=True)
        cases = [c for c in d.cases if action.id in c.actions]
        policies = [p for p in d.policies if action.id in p.doc.actions]
        pages.append(render_page(d, action_src(action.id), "action.md.j2", action=action, st=st, reports=reports,
                                 late_months={r.month for r in st.late},
                                 weight_total=sum(t.weight for t in action.tasks),
                                 cases=cases, policies=policies))
    return pages
