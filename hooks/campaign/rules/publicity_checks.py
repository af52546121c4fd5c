"""Checks for the publicity side of the column: cases, policy documents, cleanup entries.

Errors go into the run's Problems with the other checks (called from validation.py), so an
editor still gets every problem in one report. `warnings` returns what should not stop a
normal build but must be looked at; the adapter logs them, so `--strict` counts them.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from campaign.records import models as m
from campaign.records.dates import zh_date
from campaign.records.doc_numbers import doc_no_problem
from campaign.records.messages import describe_path
from campaign.rules.privacy import find_personal_data, message as privacy_message
from campaign.records.problems import Problems, closest
from campaign.records.validation import Checker
from campaign.rules.workdays import PUBLICATION_LIMIT, covered_years, uncovered_years, working_days_after

if TYPE_CHECKING:  # pragma: no cover
    from campaign.records.loading import Dataset

# Free-text fields of a case that are published, as editors name them in allow_personal_data.
CASE_TEXT_FIELDS: tuple[tuple[str, ...], ...] = (
    ("title",), ("summary",), ("body",), ("handling",),
    ("rectification", "measures"), ("rectification", "result"),
)


def personal_data_in_case(raw: dict) -> list[tuple[tuple[str, ...], str, str]]:
    """(path, field label, message) for each published text field holding personal data.

    Runs on the case file's raw data, before the record model: a case that also has other
    mistakes still gets this problem reported in the same run.
    """
    allowed = raw.get("allow_personal_data")
    allowed = {a for a in allowed if isinstance(a, str)} if isinstance(allowed, list) else set()
    found = []
    for path in CASE_TEXT_FIELDS:
        value: object = raw
        for name in path:
            value = value.get(name) if isinstance(value, dict) else None
        if isinstance(value, str) and ".".join(path) not in allowed:
            findings = find_personal_data(value)
            if findings:
                found.append((path, describe_path(m.Case, path), privacy_message(findings)))
    return found


def check_publicity(d: "Dataset", problems: Problems) -> None:
    c = Checker(d, problems)
    _check_cases(d, c)
    _check_policies(d, c)
    for entry in d.cleanup:
        if entry.doc_no and (problem := doc_no_problem(entry.doc_no)):
            c.add(entry, ("doc_no",), "doc_no（文号）", problem)


def _check_cases(d: "Dataset", c: "Checker") -> None:
    names = [".".join(path) for path in CASE_TEXT_FIELDS]
    for case in d.cases:
        for index, allowed in enumerate(case.allow_personal_data):
            if allowed not in names:
                guess = closest(allowed, names)
                c.add(case, ("allow_personal_data", index), "allow_personal_data",
                      f"「{allowed}」不是案例的文字字段。{'是不是「' + guess + '」？' if guess else ''}"
                      f"可以写的字段有：{'、'.join(names)}。")
        rect = case.rectification
        if rect is None:
            continue
        if rect.status == "已整改" and rect.completed is None:
            c.add(rect, ("status",), "rectification.completed（整改完成日期）",
                  "整改状态为“已整改”时须填写 completed（整改完成日期），如 2018-08-31。")
        if rect.status != "已整改" and rect.completed is not None:
            c.add(rect, ("completed",), "rectification.completed（整改完成日期）",
                  f"填写了整改完成日期，整改状态却是“{rect.status}”。已完成请把 status 改为 已整改，否则删除 completed。")
        if rect.completed is not None and rect.completed > d.as_of:
            c.add(rect, ("completed",), "rectification.completed（整改完成日期）",
                  f"整改完成日期（{rect.completed.isoformat()}）晚于数据截至日期（{d.as_of.isoformat()}），请核对。")
        if rect.deadline is None and rect.status != "已整改":
            c.add(rect, ("status",), "rectification.deadline（整改时限）",
                  "尚未整改完成的问题须填写 deadline（整改时限），如 2018-09-15，页面据此标注是否逾期。")


def _check_policies(d: "Dataset", c: "Checker") -> None:
    pattern = index_no_regex(d.site)
    if pattern is None:
        c.add(d.site, ("index_no_pattern",), "index_no_pattern（索引号格式）",
              f"「{d.site.index_no_pattern}」不是有效的正则表达式。默认写法：{m.DEFAULT_INDEX_NO_PATTERN}")
    by_id = {p.doc.id: p.doc for p in d.policies}
    for page in d.policies:
        doc = page.doc
        if pattern is not None and not pattern.fullmatch(doc.index_no):
            c.add(doc, ("index_no",), "index_no（索引号）",
                  f"索引号「{doc.index_no}」不符合本站的索引号格式（data/site.yml 的 index_no_pattern）。"
                  f"正确的写法如：{d.site.index_no_example}。")
        if doc.doc_no and (problem := doc_no_problem(doc.doc_no)):
            c.add(doc, ("doc_no",), "doc_no（文号）", problem)
        if doc.replaced_by and doc.replaced_by == doc.id:
            c.add(doc, ("replaced_by",), "replaced_by", "替代文件不能是本文件自己。")
        target = by_id.get(doc.replaced_by or "")
        if target is not None and target.doc_type != "文件":
            c.add(doc, ("replaced_by",), "replaced_by", f"「{target.id}」是解读，替代文件应是文件。")


def index_no_regex(site: m.Site) -> re.Pattern | None:
    try:
        return re.compile(site.index_no_pattern)
    except re.error:
        return None


def warnings(d: "Dataset") -> Problems:
    """What does not stop a build by itself (the adapter logs it, so --strict fails)."""
    from campaign.rules.consistency import consistency_warnings

    found = Problems()
    calendar = d.site.calendar
    first, last = covered_years()
    counted = (f"按国务院办公厅公布的节假日和调休计算（内置 {first}–{last} 年）"
               + ("，并计入 data/site.yml 的 calendar" if calendar.holidays or calendar.workdays else ""))
    for page in d.policies:
        doc = page.doc
        where = d.locate(doc)
        missing = uncovered_years(doc.written, doc.published, calendar.holidays, calendar.workdays)
        if missing:
            years = "、".join(f"{y} 年" for y in missing)
            found.add(where.file, where.line("published"), "published（公开日期）",
                      f"成文日期（{zh_date(doc.written)}）到公开日期（{zh_date(doc.published)}）之间的 {years}"
                      f"不在内置节假日日历的范围（{first}–{last} 年）内，data/site.yml 的 calendar 也没有填写这一年的"
                      "节假日和调休，工作日只能按周一至周五计算，是否在 20 个工作日内公开可能算错。"
                      "请按国务院办公厅当年的节假日安排通知，在 calendar 的 holidays（放假的工作日）和"
                      "workdays（调休上班的周末）中填写。")
        elapsed = working_days_after(doc.written, doc.published, calendar.holidays, calendar.workdays)
        if elapsed > PUBLICATION_LIMIT:
            found.add(where.file, where.line("published"), "published（公开日期）",
                      f"公开日期（{zh_date(doc.published)}）距成文日期（{zh_date(doc.written)}）已过 {elapsed} 个工作日，"
                      f"超过《中华人民共和国政府信息公开条例》第二十六条规定的 {PUBLICATION_LIMIT} 个工作日"
                      f"（{counted}）。请核对日期，或说明逾期公开的原因。")
    found.extend(consistency_warnings(d))
    return found
