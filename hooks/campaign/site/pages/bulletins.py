"""Monthly bulletins (每月通报): one page per issued bulletin (an issue record in
data/bulletins/), computed by schedule.bulletin from what was known on its issue date, so
a later rebuild with later data prints the same bulletin; and an index of all months."""
from __future__ import annotations

from campaign.rules import schedule
from campaign.records.dates import zh_date, zh_month_of
from campaign.records.loading import Dataset
from campaign.site.pages.base import GeneratedPage, bulletin_src, render_page
from campaign.site.pages.lists import summarised
from campaign.site.charts import progress_chart


def list_src(month: str, name: str) -> str:
    """A bulletin's full list when it outgrows the bulletin (pages/lists.py)."""
    return f"bulletins/{month}-{name}.md"


def build(d: Dataset) -> list[GeneratedPage]:
    pages = []
    index_rows = []
    for b in schedule.bulletins(d):
        month, x = b.month, b.x
        report_states = {r.action_id: (r.state, r.day) for r in b.reports}
        label = f"{zh_month_of(month)}通报"
        common = dict(x=x, report_month=month, report_states=report_states, back=bulletin_src(month),
                      back_text=label, intro=f"{b.record.number}，{zh_date(b.issued)}印发，统计时点：{zh_date(b.period_end)}。")
        lists = dict(
            actions=summarised(d, pages, list_src(month, "actions"), f"{label}：各专项行动进展", "bulletin_actions",
                               d.action_list, **common),
            completed=summarised(d, pages, list_src(month, "completed"), f"{label}：本月完成的任务",
                                 "completed_month", list(b.completed), **common),
            problems=summarised(d, pages, list_src(month, "problems"), f"{label}：逾期、临期和滞后的任务",
                                "problem_tasks", list(b.problems), **common),
            missing=summarised(d, pages, list_src(month, "missing"), f"{label}：缺报情况", "missing",
                               list(x.missing), **common),
            cases=summarised(d, pages, list_src(month, "cases"), f"{label}：本月发布的典型案例", "case_items",
                             list(b.cases), show_kind=True, **common),
        )
        pages.append(render_page(
            d, bulletin_src(month), "bulletin.md.j2", shows_sample=b.sample, b=b, month=month, at=b.period_end, x=x,
            report_month=month, report_states=report_states, lists=lists, show_kind=True,
            office=d.units.get(b.record.office),
        ))
        index_rows.append(b)
    issued = {b.month for b in index_rows}
    unissued = [mo for mo, _ in schedule.period_ends(d) if mo not in issued]
    pages.append(render_page(d, "bulletins/index.md", "bulletins_index.md.j2",
                             shows_sample=any(b.sample for b in index_rows) or any(a.sample for a in d.action_list), rows=list(reversed(index_rows)),
                             unissued=unissued, progress=progress_chart(schedule.progress_series(d))))
    return pages
