"""Freshness of each column as of the data date (PORTAL-RULES 5).

Inspections veto a portal with stale or blank columns. Each column in data/site.yml
declares a cadence; here we find the newest dated item of each column and compare.
A blank column is an error (the build stops), a stale one a warning (the adapter logs it
so --strict counts it), and an archived campaign is exempt: its pages say 已归档 instead.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

from campaign.records import models as m
from campaign.records.dates import zh_date
from campaign.records.loading import Dataset
from campaign.records.problems import Problems

# How old the newest item of a column may be, per cadence. 动态 (news) two weeks and
# 通知公告/政策文件 six months are the inspection rules; 月度/季度 give a monthly or
# quarterly column the time its next issue needs (reports are due early next month).
MAX_AGE: dict[str, timedelta | None] = {
    "动态": timedelta(days=14),
    "月度": timedelta(days=45),
    "季度": timedelta(days=120),
    "通知公告": timedelta(days=183),
    "政策文件": timedelta(days=183),
    "不定期": None,
}

# Where each column's dated items come from. A new column id needs an entry here.
COLUMN_DATES: dict[str, Callable[[Dataset], list[date]]] = {
    "progress": lambda d: [r.submitted for r in d.reports],
    # Monthly bulletins are issued documents: their issue dates (data/bulletins/).
    "bulletins": lambda d: [b.issued for b in getattr(d, "bulletins", [])],
    "cases": lambda d: [c.date for c in d.cases],
    "policies": lambda d: [p.doc.published for p in d.policies],
    "publicity": lambda d: [e.date for w in d.publicity_weeks for e in w.events] + [w.start for w in d.publicity_weeks],
    "surveys": lambda d: [s.published for s in d.surveys],
    "cleanup": lambda d: [e.date for e in d.cleanup],
}


@dataclass(frozen=True)
class ColumnState:
    column: m.Column
    newest: date | None
    stale: bool


def column_states(d: Dataset) -> list[ColumnState]:
    states = []
    for column in d.site.columns:
        source = COLUMN_DATES.get(column.id)
        dates = [x for x in (source(d) if source else []) if x <= d.as_of]
        newest = max(dates) if dates else None
        limit = MAX_AGE[column.cadence]
        stale = newest is not None and limit is not None and d.as_of - newest > limit
        states.append(ColumnState(column, newest, stale))
    return states


def check(d: Dataset) -> tuple[Problems, Problems]:
    """Errors (blank or unknown columns) and warnings (stale columns), in Chinese."""
    problems = Problems()
    warnings = Problems()
    if d.site.archived:
        return problems, warnings
    where = d.locate(d.site)
    for index, state in enumerate(column_states(d)):
        column = state.column
        line = where.line("columns", index)
        if column.id not in COLUMN_DATES:
            known = "、".join(sorted(COLUMN_DATES))
            problems.add(where.file, line, "columns",
                         f"不认识栏目编号「{column.id}」，无法判断它的更新情况。可用的栏目编号：{known}。")
        elif state.newest is None:
            problems.add(where.file, line, "columns",
                         f"栏目「{column.name}」截至 {zh_date(d.as_of)} 没有任何内容（空白栏目是网站检查的否决项）。"
                         "请补充内容，或从 columns 中删去这个栏目。")
        elif state.stale:
            limit = MAX_AGE[column.cadence]
            warnings.add(where.file, line, "columns",
                f"栏目「{column.name}」最近一次更新是 {zh_date(state.newest)}，"
                f"截至 {zh_date(d.as_of)} 已超过 {limit.days} 天（更新周期：{column.cadence}）。"
                "请发布新内容；专项行动已结束的，可在 data/site.yml 中设置 archived: true 归档。", "warning")
    return problems, warnings
