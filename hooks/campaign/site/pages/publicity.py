"""The policy publicity week column (政策宣传周): one page per year and an archive index.

A week page shows every day of the week, days without events included, so a reader sees
at once what ran when. "各专项行动牵头单位" in the plan is resolved to the actual lead units
of the actions, and each event's report (policy:ID / case:ID) becomes a link.
"""
from __future__ import annotations

from campaign import routes
from dataclasses import dataclass
from datetime import date, timedelta

from campaign.exports import feeds
from campaign.records.loading import Dataset
from campaign.site.pages.base import GeneratedPage, case_src, render_page
from campaign.site.pages.paginate import paginate

WEEKDAYS = "一二三四五六日"
# Rows of the daily schedule (an event, or a day without one) on one page: a week with more
# continues on publicity/<year>-2.md …, so the page stays bounded however many events it has.
ROWS_PER_PAGE = 40


@dataclass(frozen=True)
class Report:
    src_uri: str
    title: str
    kind: str  # 政策文件 / 解读 / 典型案例


@dataclass(frozen=True)
class Day:
    date: date
    weekday: str  # 星期五
    events: list  # PublicityEvent, in data order

    @property
    def weekend(self) -> bool:
        return self.date.weekday() >= 5


week_src = routes.week_src


def resolve_report(d: Dataset, ref: str) -> Report | None:
    """policy:ID or case:ID → the page it names (validation has checked it exists)."""
    kind, _, ident = ref.partition(":")
    if kind == "policy":
        page = next((p for p in d.policies if p.doc.id == ident), None)
        return Report(page.src_uri, page.doc.title, page.doc.doc_type if page.doc.doc_type == "解读" else "政策文件") if page else None
    if kind == "case":
        case = next((c for c in d.cases if c.id == ident), None)
        return Report(case_src(case.id), case.title, "典型案例") if case else None
    return None


def days_of(week) -> list[Day]:
    days = []
    current = week.start
    while current <= week.end:
        events = [e for e in week.events if e.date == current]
        days.append(Day(current, "星期" + WEEKDAYS[current.weekday()], events))
        current += timedelta(days=1)
    return days


@dataclass(frozen=True)
class Row:
    """One line of the daily schedule: an event on a day, or the day alone (event None)."""
    day: Day
    event: object | None


def rows_of(days: list[Day]) -> list[Row]:
    return [Row(day, e) for day in days for e in (day.events or [None])]


def action_lead_units(d: Dataset) -> list[str]:
    """The lead units of all special actions, in the order of data/units.yml."""
    leads = {a.lead_unit for a in d.action_list}
    return [u.id for u in d.unit_list if u.id in leads]


def build(d: Dataset) -> list[GeneratedPage]:
    weeks = sorted(d.publicity_weeks, key=lambda w: w.start, reverse=True)
    leads = action_lead_units(d)
    measure = next((x for x in d.plan.measures if x.id == "m2"), None)
    pages = [render_page(d, "publicity/index.md", "publicity_index.html.j2", feeds=feeds.PUBLICITY, weeks=weeks,
                         week_src=week_src, measure=measure)]
    for week in weeks:
        extra_leads = [u for u in leads if u not in week.units] if week.all_action_leads else []
        days = days_of(week)
        for p in paginate(week_src(week.year), rows_of(days), ROWS_PER_PAGE):
            events = week.events if p.count == 1 else [r.event for r in p.items if r.event is not None]
            reports = {e.report: resolve_report(d, e.report) for e in events if e.report}
            # The unit list and its sample note are on the first page only.
            leads_here = extra_leads if p.number == 1 else []
            pages.append(render_page(d, p.src_uri, "publicity_week.html.j2", record=week, feeds=feeds.PUBLICITY,
                                     shows_sample=(bool(leads_here) and any(a.sample for a in d.action_list))
                                     or any(e.sample for e in events),
                                     week=week, days=days, p=p, reports=reports, extra_leads=leads_here,
                                     leads_sample=any(a.sample for a in d.action_list), weeks=weeks,
                                     week_src=week_src))
    return pages
