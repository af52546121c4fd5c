"""Checks across records: references resolve, ids are unique, nothing dated in the future.

Single-record rules live in models.py; what needs the whole dataset lives here.
"""
from __future__ import annotations

from typing import Any, Iterable

from campaign.records.dates import parse_month
from campaign.records.loading import Dataset, Located
from campaign.records.problems import Problems, closest


class Checker:
    def __init__(self, dataset: Dataset, problems: Problems):
        self.d = dataset
        self.problems = problems

    def add(self, record: Any, path: tuple, field: str, message: str) -> None:
        where: Located = self.d.locate(record)
        self.problems.add(where.file, where.line(*path), field, message)

    def refs(self, record: Any, field: str, values: Iterable[str] | str | None, known: dict | set,
             what: str, where_defined: str) -> None:
        """Every value must be a known id; suggest the closest one when it is not."""
        if values is None:
            return
        items = [values] if isinstance(values, str) else list(values)
        for index, value in enumerate(items):
            if value in known or value in self.d.unloaded_ids:
                continue
            path = (field,) if isinstance(values, str) else (field, index)
            guess = closest(value, known)
            hint = f"是不是「{guess}」？" if guess else ""
            self.add(record, path, field,
                     f"找不到编号为「{value}」的{what}。{hint}{what}编号见 {where_defined}。")

    def unique(self, records: Iterable[Any], key, field: str, what: str) -> None:
        seen: dict[Any, Any] = {}
        for record in records:
            value = key(record)
            if value in seen:
                first = self.d.locate(seen[value])
                self.add(record, (field,), field,
                         f"{what}「{value}」重复：{first.file} 第 {first.line(field)} 行已经用过。每个{what}只能用一次。")
            else:
                seen[value] = record

    def not_future(self, record: Any, field: str, value, label: str) -> None:
        if value is not None and value > self.d.as_of:
            self.add(record, (field,), field,
                     f"{label}（{value.isoformat()}）晚于数据截至日期（{self.d.as_of.isoformat()}）。"
                     "不能发布未来日期的内容，请核对日期。")


def check_references(d: Dataset, problems: Problems) -> None:
    c = Checker(d, problems)
    units = d.units
    unit_file = "data/units.yml"
    actions = d.actions
    tasks = d.tasks
    policies = {p.doc.id: p.doc for p in d.policies}
    cases = {case.id: case for case in d.cases}

    # Unique ids.
    c.unique(d.unit_list, lambda u: u.id, "id", "单位编号")
    c.unique(d.action_list, lambda a: a.id, "id", "行动编号")
    c.unique([t for a in d.action_list for t in a.tasks], lambda t: t.id, "id", "任务编号")
    c.unique(d.plan.measures, lambda x: x.id, "id", "措施编号")
    c.unique(d.plan.methods, lambda x: x.id, "id", "督查方式编号")
    c.unique(d.cases, lambda x: x.id, "id", "案例编号")
    c.unique([p.doc for p in d.policies], lambda x: x.id, "id", "文件编号")
    c.unique([p.doc for p in d.policies], lambda x: x.index_no, "index_no", "索引号")
    c.unique(d.reports, lambda r: f"{r.action} {r.month}", "month", "同一行动同一月份的报告")
    c.unique(d.surveys, lambda s: s.quarter, "quarter", "测评季度")
    c.unique(d.publicity_weeks, lambda w: w.year, "year", "宣传周年度")

    # Units.
    c.refs(d.leadership, "member_units", d.leadership.member_units, units, "单位", unit_file)
    for x in list(d.plan.measures) + list(d.plan.methods):
        c.refs(x, "lead_units", x.lead_units, units, "单位", unit_file)
        c.refs(x, "cooperating_units", x.cooperating_units, units, "单位", unit_file)
    for a in d.actions.values():
        c.refs(a, "lead_unit", a.lead_unit, units, "单位", unit_file)
        c.refs(a, "cooperating_units", a.cooperating_units, units, "单位", unit_file)
    for case in d.cases:
        c.refs(case, "units", case.units, units, "单位", unit_file)
        c.refs(case, "actions", case.actions, actions, "专项行动", "data/actions/")
        c.not_future(case, "date", case.date, "发布日期")
    for page in d.policies:
        doc = page.doc
        c.refs(doc, "publisher", doc.publisher, units, "单位", unit_file)
        c.refs(doc, "actions", doc.actions, actions, "专项行动", "data/actions/")
        c.refs(doc, "interprets", doc.interprets, policies, "政策文件", "content/policies/ 各文件的 id")
        c.refs(doc, "replaced_by", doc.replaced_by, policies, "政策文件", "content/policies/ 各文件的 id")
        if doc.interprets in policies and policies[doc.interprets].doc_type != "文件":
            c.add(doc, ("interprets",), "interprets", f"「{doc.interprets}」本身是解读，解读应指向被解读的文件。")
        if doc.validity != "有效" and not doc.replaced_by and doc.validity in ("已修订",):
            c.add(doc, ("replaced_by",), "replaced_by", "已修订的文件须填写 replaced_by（修订后的新文件编号）。")
        if doc.replaced_by and doc.validity == "有效":
            c.add(doc, ("validity",), "validity", "填写了 replaced_by（替代文件），有效性就不应是“有效”，请改为 失效、废止 或 已修订。")
        c.not_future(doc, "published", doc.published, "公开日期")
    for week in d.publicity_weeks:
        c.refs(week, "units", week.units, units, "单位", unit_file)
        for event in week.events:
            c.refs(event, "units", event.units, units, "单位", unit_file)
            _check_report_link(c, event, policies, cases)
            if not week.start <= event.date <= week.end:
                c.add(event, ("date",), "date",
                      f"日期 {event.date.isoformat()} 不在宣传周 {week.start.isoformat()} 至 {week.end.isoformat()} 之内。")
    for survey in d.surveys:
        c.refs(survey, "unit", survey.unit, units, "单位", unit_file)
        c.not_future(survey, "published", survey.published, "发布日期")
    for entry in d.cleanup:
        c.refs(entry, "unit", entry.unit, units, "单位", unit_file)
        c.not_future(entry, "date", entry.date, "清理日期")

    # Reports: the action exists, each task belongs to it and appears once. (28,800 reports of
    # four tasks at a province's scale: the checks are written inline, a call each only for
    # a problem to report.)
    unloaded, as_of = d.unloaded_ids, d.as_of
    for report in d.reports:
        if report.action not in actions:
            c.refs(report, "action", report.action, actions, "专项行动", "data/actions/")
        submitted = report.submitted
        if submitted is not None and submitted > as_of:
            c.not_future(report, "submitted", submitted, "报送日期")
        action = actions.get(report.action)
        action_id = action.id if action is not None else None
        seen: set[str] = set()
        for item in report.tasks:
            task = item.task
            if task in seen:
                c.add(item, ("task",), "task", f"任务「{task}」在这份报告里填了两次，请只保留一条。")
            seen.add(task)
            owner = tasks.get(task)
            if owner is not None and (action_id is None or owner[0].id == action_id):
                continue  # the common case: a known task of this report's action
            if task in unloaded:
                continue
            if owner is None:
                guess = closest(task, tasks)
                c.add(item, ("task",), "task",
                      f"找不到编号为「{task}」的任务。{'是不是「' + guess + '」？' if guess else ''}"
                      f"任务编号见 data/actions/ 中对应行动的 tasks。")
            else:
                c.add(item, ("task",), "task",
                      f"任务「{task}」属于行动「{owner[0].id}」，不属于本报告的行动「{action_id}」。")
        # Month.parse(month) > Month.of(submitted), as (year, month) pairs (Month's order).
        if parse_month(str(report.month)) > (submitted.year, submitted.month):
            c.add(report, ("submitted",), "submitted",
                  f"报送日期 {submitted.isoformat()} 早于所报月份 {report.month}，请核对月份或日期。")


def _check_report_link(c: Checker, event: Any, policies: dict, cases: dict) -> None:
    if not event.report:
        return
    kind, _, ident = event.report.partition(":")
    targets = {"policy": (policies, "政策文件"), "case": (cases, "典型案例")}
    if kind not in targets or not ident:
        c.add(event, ("report",), "report",
              f"「{event.report}」写法不对。应写成 policy:文件编号 或 case:案例编号，如 policy:zzbf-2018-25。")
        return
    known, what = targets[kind]
    if ident not in known:
        c.add(event, ("report",), "report", f"找不到编号为「{ident}」的{what}。")
