"""Drafts of new records that pass validation as created and explain every field.

Each draft_* function returns a Draft (where the file goes, its text). Values an editor
must replace carry the 【待填写】 mark; the build warns while any mark is left, so a
draft cannot be published by accident. Nothing here writes files or reads the clock:
defaults come from the data date (as_of) and the existing records.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from datetime import date, timedelta

from campaign.records import models as m
from campaign.records.dates import Month
from campaign.records.loading import Dataset
from campaign.records.problems import ColumnError, closest
from campaign.editors.yamlwriter import MARK, dump_record, schema_line


class DraftError(ColumnError):
    """A draft cannot be made from the given options; the text is Chinese for editors."""


@dataclass(frozen=True)
class Draft:
    path: str  # relative to the project root, e.g. data/reports/2018-09/a01.yml
    text: str


def schema_ref(path: str, schema: str) -> str:
    """Relative path from the file at path to schemas/<schema>.json."""
    return posixpath.relpath(f"schemas/{schema}.json", posixpath.dirname(path))


def yaml_file(path: str, schema: str, intro: list[str], model, values, todo=frozenset()) -> Draft:
    lines = [schema_line(schema_ref(path, schema))]
    lines += [f"# {line}" for line in intro]
    lines += dump_record(model, values, set(todo))
    return Draft(path, "\n".join(lines) + "\n")


INTRO = [
    "每个字段上方的注释说明它的含义和写法；以 # 开头的行是注释，生成网站时不读取。",
    "行尾或内容中带“待填写”记号的，请按实际情况填写，并把记号删掉（留着记号，检查会提醒、网站不会发布）。",
    "改完后运行 ./column check 检查。字段说明见网站“编辑指南”。",
]


# --- Monthly report -------------------------------------------------------------------------


def draft_report(d: Dataset, action_id: str, month: str, submitted: date | None = None) -> Draft:
    action = _action(d, action_id)
    try:
        period = Month.parse(month)
    except ValueError as err:
        raise DraftError(f"{err}。") from None
    month = str(period)
    first = period.first_day
    if submitted is None:
        following = (first + timedelta(days=32)).replace(day=1)
        submitted = min(following, d.as_of)
    if submitted < first or submitted > d.as_of:
        raise DraftError(
            f"报送日期 {submitted.isoformat()} 须在 {first.isoformat()}（所报月份第一天）和数据截至日期 "
            f"{d.as_of.isoformat()} 之间。请用 --submitted 指定报送日期，或先在 data/site.yml 更新 as_of。")
    earlier = [r for r in d.reports if r.action == action.id and r.month < month]
    previous = {t.task: t.percent for t in earlier[-1].tasks} if earlier else {}
    basis = f"进度的初始值取自 {earlier[-1].month} 的报告，请改为本月实际进度。" if earlier else "进度初始值为 0，请改为本月实际进度。"
    values = {
        "action": action.id,
        "month": month,
        "submitted": submitted,
        "tasks": [{"task": t.id, "percent": previous.get(t.id, 0)} for t in action.tasks],
        "progress": f"{MARK}{period.zh}「{action.name}」进展情况",
        "problems": "",
        "next_steps": "",
    }
    intro = [f"{action.name} {period.zh}进展报告。", *INTRO,
             "任务清单来自 data/actions/" + action.id + ".yml；" + basis,
             "任务名称：" + "；".join(f"{t.id} {t.name}" for t in action.tasks)]
    return yaml_file(f"data/reports/{month}/{action.id}.yml", "report", intro, m.Report, values,
                     {"submitted", "tasks"})


# --- Case -------------------------------------------------------------------------------------


def next_case_id(d: Dataset, year: int) -> str:
    prefix = f"c{year}-"
    numbers = [int(c.id[len(prefix):]) for c in d.cases if re.fullmatch(rf"{prefix}\d+", c.id)]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def draft_case(d: Dataset, units: list[str], kind: str = "先进经验", category: str | None = None,
               source: str = "单位报送", case_id: str | None = None, actions: list[str] = ()) -> Draft:
    for unit in units:
        _known(unit, d.units, "单位", "data/units.yml")
    for action in actions:
        _action(d, action)
    if kind == "问题曝光" and category is None:
        raise DraftError("问题曝光类案例须用 --category 指定问题类别：不作为、乱作为 或 慢作为。")
    if kind == "先进经验" and category is not None:
        raise DraftError("先进经验类案例不填问题类别，请去掉 --category。")
    year = d.as_of.year
    case_id = case_id or next_case_id(d, year)
    values: dict = {
        "id": case_id,
        "title": f"{MARK}案例标题",
        "kind": kind,
        "date": d.as_of,
        "units": list(units),
        "actions": list(actions),
        "source": source,
        "summary": f"{MARK}一两句话的案例摘要",
        "body": "",
        "handling": "",
    }
    todo = {"date", "units"}
    if kind == "问题曝光":
        values["category"] = category
        # An unfinished rectification needs its deadline (validation.check_publicity).
        values["rectification"] = {"status": "整改中", "deadline": d.as_of + timedelta(days=30), "measures": ""}
        todo |= {"rectification.status", "rectification.deadline"}
    intro = [f"典型案例（{kind}）。", *INTRO,
             "公开前请删去身份证号、手机号、银行卡号等个人信息；发布日期不能晚于数据截至日期。"]
    return yaml_file(f"data/cases/{year}/{case_id}.yml", "case", intro, m.Case, values, todo)


# --- Policy documents and explainers ---------------------------------------------------------


def draft_policy(d: Dataset, doc_id: str, publisher: str) -> Draft:
    _slug(doc_id, "文件编号")
    _known(publisher, d.units, "单位", "data/units.yml")
    values = {
        "id": doc_id,
        "doc_type": "文件",
        "title": f"{MARK}文件名称",
        "index_no": _next_index_no(d),
        "doc_no": "",
        "publisher": publisher,
        "topic": "综合政务",
        "written": d.as_of,
        "published": d.as_of,
        "validity": "有效",
        "actions": [],
        "keywords": [],
        "description": "",
    }
    body = f"{MARK}在这里粘贴文件正文（Markdown 格式：## 开头为小标题，空一行分段）。\n"
    return _markdown(f"content/policies/{doc_id}.md", "政策文件", values,
                     {"index_no", "doc_no", "topic", "written", "published"}, body)


def draft_explainer(d: Dataset, doc_id: str, explainer_id: str | None = None) -> Draft:
    docs = {p.doc.id: p.doc for p in d.policies}
    doc = docs.get(doc_id)
    if doc is None:
        guess = closest(doc_id, docs)
        hint = f"是不是「{guess}」？" if guess else ""
        raise DraftError(f"找不到编号为「{doc_id}」的政策文件。{hint}文件编号是 content/policies/ 中各文件信息区的 id。")
    if doc.doc_type != "文件":
        raise DraftError(f"「{doc_id}」本身是解读。解读应针对原文件，请指定被解读文件的编号。")
    explainer_id = explainer_id or f"{doc.id}-jd"
    _slug(explainer_id, "文件编号")
    values = {
        "id": explainer_id,
        "doc_type": "解读",
        "title": f"《{doc.title}》解读",
        "index_no": _next_index_no(d),
        "publisher": doc.publisher,
        "topic": doc.topic,
        "written": d.as_of,
        "published": d.as_of,
        "interprets": doc.id,
        "actions": list(doc.actions),
        "keywords": [],
        "description": "",
    }
    body = (f"## {MARK}为什么制定\n\n{MARK}背景和目的。\n\n"
            f"## {MARK}主要内容\n\n{MARK}用通俗的话讲清楚主要措施，不要只摘抄原文。\n\n"
            f"## {MARK}问答\n\n**问：**{MARK}企业和群众最关心的问题？\n\n**答：**{MARK}\n")
    return _markdown(f"content/policies/{explainer_id}.md", "政策解读", values,
                     {"index_no", "written", "published"}, body)


def _next_index_no(d: Dataset) -> str:
    """A 索引号 in the site's own form with the next free serial, for the editor to confirm.

    It follows data/site.yml's index_no_example (organisation code/year-serial), so the draft
    passes the 索引号 check as created; the 【待填写】 mark beside it asks for the real one.
    """
    match = re.fullmatch(r"(.+)/(\d{4})-(\d+)", d.site.index_no_example)
    if not match:
        return f"{MARK}索引号"
    prefix, width = match[1], len(match[3])
    year = d.as_of.year
    used = [int(x[2]) for p in d.policies
            if (x := re.fullmatch(re.escape(prefix) + r"/(\d{4})-(\d+)", p.doc.index_no)) and int(x[1]) == year]
    return f"{prefix}/{year}-{max(used, default=0) + 1:0{width}d}"


def _markdown(path: str, what: str, values: dict, todo: set[str], body: str) -> Draft:
    lines = ["---", schema_line(schema_ref(path, "policy"))]
    lines += [f"# {what}的政务公开信息区（--- 与 --- 之间）。" + INTRO[0], f"# {INTRO[1]}", f"# {INTRO[2]}"]
    lines += dump_record(m.PolicyDoc, values, todo)
    lines += ["---", "", body]
    return Draft(path, "\n".join(lines))


# --- Survey -----------------------------------------------------------------------------------


def draft_survey(d: Dataset, quarter: str, unit: str | None = None) -> Draft:
    if not re.fullmatch(r"\d{4}-Q[1-4]", quarter):
        raise DraftError(f"「{quarter}」不是季度，应写成 2018-Q4 这样的“年-Q季度”。")
    if unit is None:
        unit = d.surveys[-1].unit if d.surveys else "tjj"
    _known(unit, d.units, "单位", "data/units.yml")
    values = {
        "quarter": quarter,
        "unit": unit,
        "published": d.as_of,
        "overall": 0,
        "sample_size": 1,
        "method": f"{MARK}测评方法，如电话随机访问、窗口现场问卷",
        "dimensions": [],
        "notes": "",
    }
    year, number = quarter.split("-Q")
    intro = [f"{year}年第{number}季度营商环境满意度测评结果（方案：由县统计局每季度开展一次）。", *INTRO]
    return yaml_file(f"data/surveys/{quarter}.yml", "survey", intro, m.Survey, values,
                     {"published", "overall", "sample_size"})


# --- Helpers ----------------------------------------------------------------------------------


def _action(d: Dataset, action_id: str) -> m.Action:
    _known(action_id, d.actions, "专项行动", "data/actions/")
    return d.actions[action_id]


def _known(value: str, known: dict, what: str, where: str) -> None:
    if value not in known:
        guess = closest(value, known)
        hint = f"是不是「{guess}」？" if guess else ""
        raise DraftError(f"找不到编号为「{value}」的{what}。{hint}{what}编号见 {where}。")


def _slug(value: str, what: str) -> None:
    if not re.fullmatch(m.SLUG_PATTERN, value):
        raise DraftError(f"{what}「{value}」格式不对：只能用小写英文字母、数字和 -，如 zzbf-2018-30。")
