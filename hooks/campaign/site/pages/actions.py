"""Special actions: an index and one page per action with its tasks, statuses and reports."""
from __future__ import annotations

import functools

from campaign import routes
from campaign.exports import feeds
from campaign.records.digest import digest_of
from campaign.records.loading import Dataset
from campaign.rules.schedule import derive_once, progress_series
from campaign.site.charts import progress_chart
from campaign.site.pages.base import GeneratedPage, action_src, render_page, shared_inputs
from campaign.site.pages.paginate import paginate

# An action page shows its newest RECENT monthly reports; when it has more, it links the
# archive of them all (actions/<id>-reports.md, paginated). Decided in routes, where the
# feeds learn which page shows a report.
RECENT = routes.RECENT_REPORTS
ARCHIVE_PER_PAGE = routes.REPORTS_PER_ARCHIVE_PAGE


def build(d: Dataset) -> list[GeneratedPage]:
    x = derive_once(d)
    # Indexed once: looking them up per action would make the build quadratic.
    cases_by_action: dict[str, list] = {a: [] for a in d.actions}
    for case in d.cases:
        for aid in dict.fromkeys(case.actions):
            cases_by_action.setdefault(aid, []).append(case)
    policies_by_action: dict[str, list] = {a: [] for a in d.actions}
    for policy in d.policies:
        for aid in dict.fromkeys(policy.doc.actions):
            policies_by_action.setdefault(aid, []).append(policy)
    any_sample = any(a.sample for a in d.action_list)
    pages = [render_page(d, p.src_uri, "actions_index.html.j2", feeds=feeds.ACTIONS,
                         shows_sample=any(a.sample for a in p.items), x=x, p=p)
             for p in paginate("actions/index.md", d.action_list)]
    for action in d.actions.values():
        st = x.actions[action.id]
        # Newest first: the timeline reads like a news column.
        reports = routes.shown_reports(d.reports_by_action[action.id], d.as_of)
        cases = cases_by_action[action.id]
        policies = policies_by_action[action.id]
        late_months = {r.month for r in st.late}
        archive = routes.action_reports_src(action.id) if len(reports) > RECENT else None
        recent = reports[:RECENT]
        progress = progress_chart(progress_series(d, action.id))
        # What the action's pages show (for the preview's reuse between builds, base.py):
        # the action, its shown reports, cases and policies, its state and chart.
        own = functools.partial(_action_inputs, d, action, reports, cases, policies, st, progress)
        pages.append(render_page(d, action_src(action.id), "action.html.j2", record=action,
                                 feeds=feeds.for_action(action.id),
                                 shows_sample=action.sample or any(r.sample for r in recent), action=action, st=st,
                                 reports=reports, recent=recent, archive=archive, late_months=late_months,
                                 weight_total=sum(t.weight for t in action.tasks),
                                 cases=cases, policies=policies, progress=progress, inputs=own))
        if archive:
            pages += [render_page(d, p.src_uri, "action_reports.html.j2", record=action,
                                  feeds=feeds.for_action(action.id),
                                  shows_sample=action.sample or any(r.sample for r in p.items),
                                  action=action, p=p, late_months=late_months,
                                  on_action_page=max(0, RECENT - p.first_index),
                                  inputs=functools.partial(_archive_inputs, d, action, p, late_months))
                      for p in paginate(archive, reports, ARCHIVE_PER_PAGE)]
    return pages


def _action_inputs(d: Dataset, action, reports, cases, policies, st, progress) -> tuple:
    return (shared_inputs(d), digest_of(d, action), tuple(digest_of(d, r) for r in reports),
            tuple(digest_of(d, c) for c in cases), tuple((p.src_uri, digest_of(d, p.doc)) for p in policies),
            st, progress.rows)


def _archive_inputs(d: Dataset, action, p, late_months) -> tuple:
    return (shared_inputs(d), digest_of(d, action), p.number, p.count, p.first_index, p.total,
            tuple(digest_of(d, r) for r in p.items), sorted(late_months))
