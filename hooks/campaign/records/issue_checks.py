"""Checks of issued bulletins, report corrections and task ↔ plan-measure links (issue 14).

Plain functions `check_<name>(dataset, problems)`, called from validation.check_references
for now, so the check pipeline can take them over as they are.
"""
from __future__ import annotations

from typing import Any

from campaign.records.dates import Month
from campaign.records.problems import Problems


def _add(d: Any, problems: Problems, record: Any, path: tuple, field: str, message: str) -> None:
    where = d.locate(record)
    problems.add(where.file, where.line(*path), field, message)


def check_bulletins(d: Any, problems: Problems) -> None:
    seen: dict[str, Any] = {}
    for b in d.bulletins:
        if b.month in seen:
            first = d.locate(seen[b.month])
            _add(d, problems, b, ("month",), "month",
                 f"{b.month} 的通报印发记录重复：{first.file} 已经有了。每月只能有一条印发记录。")
        seen.setdefault(b.month, b)
        end = Month.parse(b.month).last_day
        if b.issued <= end:
            _add(d, problems, b, ("issued",), "issued",
                 f"印发日期 {b.issued.isoformat()} 不晚于所通报月份的最后一天（{end.isoformat()}）。"
                 "通报在月份结束后印发，请核对月份或日期。")
        if b.issued > d.as_of:
            _add(d, problems, b, ("issued",), "issued",
                 f"印发日期（{b.issued.isoformat()}）晚于数据截至日期（{d.as_of.isoformat()}）。不能发布未来日期的内容，请核对日期。")
        if b.office not in d.units and b.office not in d.unloaded_ids:
            _add(d, problems, b, ("office",), "office", f"找不到编号为「{b.office}」的单位。单位编号见 data/units.yml，督查室为 dcs。")


def check_corrections(d: Any, problems: Problems) -> None:
    for report in d.reports:
        listed = {item.task for item in report.tasks}
        for index, c in enumerate(report.corrections):
            if c.task not in listed:
                _add(d, problems, report, ("corrections", index, "task"), "task",
                     f"更正的任务「{c.task}」不在这份报告的任务进度中，请核对任务编号。")
            if c.date < report.submitted:
                _add(d, problems, report, ("corrections", index, "date"), "date",
                     f"更正日期 {c.date.isoformat()} 早于报送日期 {report.submitted.isoformat()}；报送前的修改直接改进度即可。")
            if c.date > d.as_of:
                _add(d, problems, report, ("corrections", index, "date"), "date",
                     f"更正日期（{c.date.isoformat()}）晚于数据截至日期（{d.as_of.isoformat()}），请核对日期。")


def check_plan_measures(d: Any, problems: Problems) -> None:
    measures = {x.id for x in d.plan.measures}
    for action in d.action_list:
        for index, task in enumerate(action.tasks):
            if task.plan_measure and task.plan_measure not in measures:
                _add(d, problems, action, ("tasks", index, "plan_measure"), "plan_measure",
                     f"找不到编号为「{task.plan_measure}」的方案措施。措施编号见 data/plan.yml 的 measures（如 m2）。")


def check_issue_records(d: Any, problems: Problems) -> None:
    check_bulletins(d, problems)
    check_corrections(d, problems)
    check_plan_measures(d, problems)
