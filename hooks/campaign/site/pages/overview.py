"""The column's home page, a dashboard: progress, counts by status, what needs attention.

Every list on it is bounded (pages/paginate.py `excerpt`): beyond one page's worth it shows
the most urgent rows and links to the full list (progress/*.md), so its size does not grow
with the data.
"""
from __future__ import annotations

from campaign.rules import schedule
from campaign.records.dates import zh_date
from campaign.exports import feeds
from campaign.records.loading import Dataset
from campaign.site.pages.base import GeneratedPage, render_page
from campaign.site.pages.lists import summarised
from campaign.site.pages.paginate import excerpt
from campaign.site.charts import progress_chart

NEWEST_REPORTS = 5  # the dashboard lists a fixed number, so its size does not grow with data
URGENT = 10  # rows per attention list: the dashboard holds four such lists and the action bars
ACTION_BARS = 12  # one county's twelve actions show whole; beyond, the actions index lists all
# Full lists behind the dashboard's excerpts (not in the nav).
ATTENTION_SRC = {schedule.OVERDUE: "progress/overdue.md", schedule.DUE_SOON: "progress/due-soon.md",
                 schedule.BEHIND: "progress/behind.md"}
MISSING_SRC = "progress/missing.md"


def build(d: Dataset) -> list[GeneratedPage]:
    x = schedule.derive_once(d)
    pages: list[GeneratedPage] = []
    back = dict(back="index.md", back_text="专栏首页", x=x)
    attention = [(status, summarised(d, pages, src, f"{status}的任务", "attention_tasks", x.tasks_with(status),
                                     top=URGENT, status=status, intro=f"按{zh_date(d.as_of)}计算，最紧迫的在前。", **back))
                 for status, src in ATTENTION_SRC.items()]
    missing = summarised(d, pages, MISSING_SRC, "缺报的月度进展报告", "missing", list(x.missing),
                         top=URGENT, **back)
    visible = [r for r in d.reports if r.submitted <= d.as_of]
    newest = sorted(visible, key=lambda r: (r.submitted, r.month, r.action), reverse=True)[:NEWEST_REPORTS]
    pages.append(render_page(
        d, "index.md", "index.html.j2", feeds=feeds.EVERYTHING, shows_sample=any(a.sample for a in d.action_list),
        x=x, attention=attention, newest=newest, missing=missing,
        action_rows=excerpt(d.action_list, "actions/index.md", ACTION_BARS),
        campaign_status=schedule.action_status(a.status for a in x.actions.values()),
        missing_actions=sorted({r.action_id for r in x.missing}),
        started=d.as_of >= d.site.campaign_start,
        progress=progress_chart(schedule.progress_series(d)),
    ))
    return pages
