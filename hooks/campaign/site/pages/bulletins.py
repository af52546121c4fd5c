"""Monthly bulletins (每月通报): one generated page per month from the campaign start to the
data date's month, each computed as of that month's last day, and an index of all months."""
from __future__ import annotations

from campaign import routes
from campaign.rules import schedule
from campaign.records.dates import last_day, zh_month_of
from campaign.records.loading import Dataset
from campaign.site.pages.base import GeneratedPage, bulletin_src, render_page
from campaign.site.pages.lists import summarised


list_src = routes.bulletin_list_src


def build(d: Dataset) -> list[GeneratedPage]:
    periods = schedule.period_ends(d)
    by_key = {(r.action, r.month): r for r in d.reports}
    pages = []
    index_rows = []
    for month, at in periods:
        x = schedule.derive_once(d, at)
        completed = sorted((t for t in x.tasks.values() if t.completed_month == month),
                           key=lambda t: (t.action_id, t.task_id))
        prev = _previous_month(month)
        prev_reports = {a.id: _report_state(d, x, by_key.get((a.id, prev)), a.id, prev, at) for a in d.action_list}
        cases = [c for c in d.cases if c.date.isoformat()[:7] == month]
        label = f"{zh_month_of(month)}通报"
        common = dict(x=x, prev_month=prev, prev_reports=prev_reports, back=bulletin_src(month),
                      back_text=label, intro=f"统计时点：{at.year}年{at.month}月{at.day}日。")
        lists = dict(
            actions=summarised(d, pages, list_src(month, "actions"), f"{label}：各专项行动进展", "bulletin_actions",
                               d.action_list, **common),
            completed=summarised(d, pages, list_src(month, "completed"), f"{label}：本月完成的任务",
                                 "completed_month", completed, **common),
            problems=summarised(d, pages, list_src(month, "problems"), f"{label}：逾期、临期和滞后的任务",
                                "problem_tasks", x.tasks_with(schedule.OVERDUE, schedule.DUE_SOON, schedule.BEHIND),
                                **common),
            missing=summarised(d, pages, list_src(month, "missing"), f"{label}：缺报情况", "missing",
                               list(x.missing), **common),
            cases=summarised(d, pages, list_src(month, "cases"), f"{label}：本月发布的典型案例", "case_items",
                             cases, show_kind=True, **common),
        )
        pages.append(render_page(
            d, bulletin_src(month), "bulletin.md.j2", month=month, at=at, x=x, completed=completed,
            prev_month=prev, prev_reports=prev_reports, month_cases=cases, lists=lists, show_kind=True,
            is_partial=at != last_day(at.year, at.month),
        ))
        index_rows.append((month, at, x, len(completed), len(cases)))
    pages.append(render_page(d, "bulletins/index.md", "bulletins_index.md.j2", rows=list(reversed(index_rows))))
    return pages


def _previous_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:])
    return f"{year - 1}-12" if mon == 1 else f"{year}-{mon - 1:02d}"


def _report_state(d: Dataset, x: schedule.Derived, report, action_id: str, month: str, at) -> tuple[str, object]:
    """The previous month's report as the bulletin sees it on `at`: it fell due during the
    bulletin's month (by REPORT_DUE_DAY), so this is the month's reporting discipline."""
    if report is not None and report.submitted > at:
        report = None
    due = schedule.report_due_date(month)
    if report is not None:
        return ("late" if report.submitted > due else "on_time"), report.submitted
    st = x.actions[action_id]
    if any(r.month == month for r in st.missing):
        return "missing", due
    action = d.actions[action_id]
    if due >= at and month >= (action.reports_from or schedule.month_of(action.start)):
        return "pending", due
    return "none", None
