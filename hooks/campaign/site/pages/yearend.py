"""The year-end supervision report (年终专项督查报告): one printable page per campaign year,
compiled from the schedule as of 31 December (or the data date within that year)."""
from __future__ import annotations

from collections import Counter

from campaign.rules import schedule
from campaign.records.loading import Dataset
from campaign.site.pages.base import GeneratedPage, render_page, yearend_src
from campaign.site.pages.lists import summarised


# The report compiles five lists; each shows at most as many rows as one county has
# actions, and continues in its 附表 beyond that, so the report stays within its page budget
# (and a few printed pages) however many actions the portal hosts.
REPORT_ROWS = 12


def list_src(year: int, name: str) -> str:
    """An appendix (附表) of the year-end report: a list that outgrew the report page."""
    return f"reports/{year}-{name}.md"


def build(d: Dataset) -> list[GeneratedPage]:
    start_year = d.site.campaign_start.year
    # A year's report is formed only after that year's 专项督查 (schedule.year_end_due).
    years = [y for y in range(start_year, d.as_of.year + 1) if schedule.year_end_due(d, y)]
    # 年终 statuses judged at the year's end (reporting period rule applies inside derive).
    pages = []
    for year in years:
        at = schedule.year_end(d, year)
        x = schedule.derive_once(d, at)
        in_year = lambda day: day.year == year  # noqa: E731
        cases = [c for c in d.cases if in_year(c.date)]
        year_missing = [r for r in x.missing if r.month.startswith(f"{year}-")]
        year_late = [r for r in x.late_reports if r.month.startswith(f"{year}-")]
        months_due = sum(1 for a in x.actions.values() for mo in a.months_due if mo.startswith(f"{year}-"))
        completed = sorted((t for t in x.tasks.values() if t.completed_month and t.completed_month.startswith(f"{year}-")),
                           key=lambda t: (t.action_id, t.task_id))
        open_tasks = x.tasks_with(schedule.OVERDUE, schedule.DUE_SOON, schedule.BEHIND, schedule.ON_TRACK,
                                  schedule.NOT_STARTED)
        label = f"{year}年年终专项督查报告"
        common = dict(x=x, back=yearend_src(year), back_text=label, intro=f"{label}附表，统计时点：{at.year}年{at.month}月{at.day}日。",
                      top=REPORT_ROWS)
        lists = dict(
            actions=summarised(d, pages, list_src(year, "actions"), f"{label}附表：各专项行动落实情况",
                               "yearend_actions", d.action_list, **common),
            completed=summarised(d, pages, list_src(year, "completed"), f"{label}附表：本年完成的任务",
                                 "completed_year", completed, **common),
            open=summarised(d, pages, list_src(year, "open"), f"{label}附表：尚未完成的任务", "open_tasks",
                            open_tasks, **common),
            reporting=summarised(d, pages, list_src(year, "reporting"), f"{label}附表：缺报和迟报",
                                 "reporting", [(r, False) for r in year_missing] + [(r, True) for r in year_late],
                                 **common),
            cases=summarised(d, pages, list_src(year, "cases"), f"{label}附表：典型案例", "case_items", cases,
                             **common),
        )
        pages.append(render_page(
            d, yearend_src(year), "yearend.md.j2", shows_sample=any(a.sample for a in d.action_list), year=year, at=at, x=x,
            finished=at.month == 12 and at.day == 31,
            completed=completed, open_tasks=open_tasks, lists=lists,
            measures=[(i, "工作措施") for i in d.plan.measures] + [(i, "督查方式") for i in d.plan.methods],
            plan_counts=schedule.count_statuses((p.status for p in x.plan_items.values()), schedule.PLAN_STATUSES),
            cases=cases, case_kinds=Counter(c.kind for c in cases),
            case_categories=Counter(c.category for c in cases if c.category),
            surveys=[s for s in d.surveys if s.quarter.startswith(str(year)) and s.published <= at],
            months_due=months_due, year_missing=year_missing, year_late=year_late,
            bulletins=[b.month for b in schedule.bulletins(d) if b.month.startswith(f"{year}-")],
        ))
    pending = [(y, schedule.year_end_supervision(d, y)) for y in range(start_year, d.as_of.year + 1) if y not in years]
    pages.append(render_page(d, "reports/index.md", "yearend_index.md.j2", years=list(reversed(years)), pending=pending))
    return pages
