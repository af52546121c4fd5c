"""Records that load one by one but contradict each other or their place.

Errors (check_consistency, called from validation.check_references):
- a report filed in another month's folder (data/reports/<YYYY-MM>/ must equal `month`);
- a survey published before its quarter has ended;
- policies whose `replaced_by` / `interprets` links go round in a circle.

Warnings (consistency_warnings, returned with publicity_checks.warnings, so --strict fails):
- a task whose percent is lower than in the action's previous report, without a
  `correction` (更正说明) saying why.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from campaign.records.problems import Problems

if TYPE_CHECKING:  # pragma: no cover
    from campaign.records.loading import Dataset
    from campaign.records.validation import Checker

REPORTS_DIR = ("data", "reports")


def check_consistency(d: "Dataset", c: "Checker") -> None:
    check_report_folders(d, c)
    check_survey_quarters(d, c)
    check_policy_cycles(d, c)


# --- Reports in the right month's folder ------------------------------------------------------------


def report_folder_month(file: str) -> str | None:
    """The <YYYY-MM> folder of data/reports/<YYYY-MM>/x.yml; "" directly under data/reports/;
    None for a report that does not come from data/reports/ (a ledger being imported)."""
    parts = tuple(part for part in file.split("/") if part)  # PurePosixPath(file).parts, without its cost at scale
    if parts[:2] != REPORTS_DIR:
        return None
    return parts[2] if len(parts) > 3 else ""


def check_report_folders(d: "Dataset", c: "Checker") -> None:
    for report in d.reports:
        where = d.locate(report)
        folder = report_folder_month(where.file)
        if folder is None or folder == report.month:
            continue
        target = f"data/reports/{report.month}/{report.action}.yml"
        placed = f"放在 data/reports/{folder}/ 文件夹中" if folder else "直接放在 data/reports/ 中，没有放进月份文件夹"
        c.add(report, ("month",), "month（报送月份）",
              f"报告{placed}，报送月份却是 {report.month}。每份报告必须放在与报送月份相同的文件夹里"
              f"（应为 {target}）：请移动文件，或改正 month。")


# --- Surveys after their quarter ---------------------------------------------------------------------


def quarter_end(quarter: str) -> date:
    """Last day of a quarter written 2018-Q3."""
    year, number = quarter.split("-Q")
    month = int(number) * 3
    following = date(int(year) + (month == 12), 1 if month == 12 else month + 1, 1)
    return following - timedelta(days=1)


def check_survey_quarters(d: "Dataset", c: "Checker") -> None:
    drafts = {(p.file, p.line) for p in d.drafts}
    for survey in d.surveys:
        where = d.locate(survey)
        line = where.line("published")
        if (where.file, line) in drafts:  # 【待填写】: the draft warning already stops publishing
            continue
        end = quarter_end(survey.quarter)
        if survey.published < end:
            year, number = survey.quarter.split("-Q")
            c.add(survey, ("published",), "published（发布日期）",
                  f"{year}年第{number}季度到 {end.isoformat()} 才结束，测评结果不能在季度结束前发布"
                  f"（发布日期写的是 {survey.published.isoformat()}）。请核对 quarter（季度）和 published（发布日期）。")


# --- Policy link cycles ---------------------------------------------------------------------------------


def check_policy_cycles(d: "Dataset", c: "Checker") -> None:
    """`replaced_by` and `interprets` followed from any document must not come back to it."""
    docs = {p.doc.id: p.doc for p in d.policies}
    links = {doc_id: [(name, getattr(doc, name)) for name in ("replaced_by", "interprets")
                      if getattr(doc, name) in docs and getattr(doc, name) != doc_id]
             for doc_id, doc in docs.items()}  # a link to itself has its own message
    reported: set[frozenset[str]] = set()
    finished: set[str] = set()
    for start in sorted(docs):
        # Depth-first walk keeping the current path; a link back into the path is a cycle.
        path: list[tuple[str, str]] = []  # (document, field of the link leaving it)
        on_path: set[str] = set()
        _walk(start, "", links, path, on_path, finished, docs, d, c, reported)


def _walk(node, via, links, path, on_path, finished, docs, d, c, reported) -> None:
    if node in finished:
        return
    path.append((node, via))
    on_path.add(node)
    for name, target in links[node]:
        path[-1] = (node, name)
        if target in on_path:
            members = [n for n, _ in path[[n for n, _ in path].index(target):]]
            key = frozenset(members)
            if key not in reported:
                reported.add(key)
                _report_cycle(path[[n for n, _ in path].index(target):], docs, d, c)
        else:
            _walk(target, "", links, path, on_path, finished, docs, d, c, reported)
    path.pop()
    on_path.discard(node)
    finished.add(node)


def _report_cycle(cycle: list[tuple[str, str]], docs, d: "Dataset", c: "Checker") -> None:
    files = {doc_id: d.locate(docs[doc_id]).file for doc_id, _ in cycle}
    chain = " → ".join(f"{files[doc_id]}（{doc_id}，{field}）" for doc_id, field in cycle)
    chain += f" → {files[cycle[0][0]]}（{cycle[0][0]}）"
    for doc_id, field in cycle:
        c.add(docs[doc_id], (field,), field,
              f"文件之间的替代/解读关系形成了循环：{chain}。替代文件（replaced_by）和被解读文件（interprets）"
              "必须指向别的文件，顺着链接不能回到出发的文件，请改正其中一处。")


# --- Falling progress (warning) ----------------------------------------------------------------------


def _fmt(percent: float) -> str:
    return f"{percent:g}%"


def consistency_warnings(d: "Dataset") -> Problems:
    found = Problems()
    for reports in d.reports_by_action.values():
        previous = None
        for report in sorted(reports, key=lambda r: r.month):
            if previous is not None:
                before = {t.task: t.percent for t in previous.tasks}
                for item in report.tasks:
                    was = before.get(item.task)
                    if was is None or item.percent >= was or item.correction:
                        continue
                    where = d.locate(item)
                    found.add(where.file, where.line("percent"), "percent（完成进度（%））",
                              f"任务「{item.task}」的完成进度由上一份报告（{previous.month}）的 {_fmt(was)} "
                              f"降为 {_fmt(item.percent)}。进度下降时须在这一任务下填写 correction（更正说明），"
                              "写明原因（如上月多报、任务调整），否则不能发布。")
            previous = report
    return found
