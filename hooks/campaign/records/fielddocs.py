"""Plain-Chinese descriptions of every record field, read from the models themselves.

The editors' guide (pages/guide.py), the comments in scaffolded files (scaffold.py) and
the ledger template's 说明 sheet all describe fields from here, so none of them can drift
from what validation actually accepts.
"""
from __future__ import annotations

import typing
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel

from campaign.records import models as m
from campaign.records.messages import inner_model

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


@dataclass(frozen=True)
class FieldDoc:
    name: str
    title: str
    required: bool
    kind: str  # what may be written, e.g. "日期，如 2018-04-13"
    description: str
    nested: type[BaseModel] | None  # the record model inside, for nested tables
    is_list: bool
    default: Any = None  # the model's default for an optional field

    def line(self) -> str:
        """One-line comment text: 标题（必填）：类型。说明。"""
        need = "必填" if self.required else "可不填"
        text = f"{self.title}（{need}）：{self.kind}"
        if self.description:
            text += f"。{self.description}"
        return text


def field_docs(model: type[BaseModel]) -> list[FieldDoc]:
    """Every field of model in declaration order."""
    return list(_field_docs(model))


@cache  # models do not change while a process runs; scaffolds ask for the same ones often
def _field_docs(model: type[BaseModel]) -> tuple[FieldDoc, ...]:
    schema = model.model_json_schema(mode="validation")
    defs = schema.get("$defs", {})
    docs = []
    for name, info in model.model_fields.items():
        prop = schema["properties"][name]
        nested = inner_model(info.annotation)
        docs.append(FieldDoc(
            name=name,
            title=info.title or name,
            required=info.is_required(),
            kind=describe(prop, defs),
            description=info.description or "",
            nested=nested,
            is_list=_is_list(info.annotation),
            default=None if info.is_required() else info.get_default(call_default_factory=True),
        ))
    return tuple(docs)


def model_title(model: type[BaseModel]) -> str:
    return MODEL_TITLES.get(model.__name__, model.__name__)


def nested_models(model: type[BaseModel]) -> list[type[BaseModel]]:
    """Record models reachable from model (depth first, each once), model excluded."""
    found: list[type[BaseModel]] = []

    def walk(current: type[BaseModel]) -> None:
        for doc in field_docs(current):
            if doc.nested is not None and doc.nested not in found and doc.nested is not model:
                found.append(doc.nested)
                walk(doc.nested)

    walk(model)
    return found


def describe(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    """A JSON Schema property in words an editor understands."""
    if "anyOf" in prop:
        parts = [describe(p, defs) for p in prop["anyOf"] if p.get("type") != "null"]
        return "；或".join(parts)
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        return f"一组字段，见「{MODEL_TITLES.get(name, name)}」"
    if "enum" in prop:
        return "只能填写：" + "、".join(str(v) for v in prop["enum"])
    kind = prop.get("type")
    if kind == "array":
        item = describe(prop.get("items", {}), defs)
        least = "，至少一项" if prop.get("minItems", 0) >= 1 else ""
        return f"列表（每项一行，以“- ”开头{least}），每项为{item}"
    if kind == "boolean":
        return "true（是）或 false（否）"
    if kind == "integer":
        return "整数" + _bounds(prop)
    if kind == "number":
        return "数字" + _bounds(prop)
    if kind == "string":
        if prop.get("format") == "date":
            return "日期，写成 2018-04-13"
        if prop.get("pattern") == SLUG_PATTERN:
            return "编号（小写英文字母、数字和 -）"
        examples = prop.get("examples")
        if examples:
            return "文字，如 " + "、".join(str(e) for e in examples)
        return "文字"
    if kind == "object" or "properties" in prop:
        return "一组字段"
    return "任意"


def _bounds(prop: dict[str, Any]) -> str:
    low, high = prop.get("minimum"), prop.get("maximum")
    if low is not None and high is not None:
        return f"，{low:g} 到 {high:g} 之间"
    if low is not None:
        return f"，不小于 {low:g}"
    if high is not None:
        return f"，不大于 {high:g}"
    return ""



def _is_list(annotation: Any) -> bool:
    if typing.get_origin(annotation) is list:
        return True
    return any(_is_list(arg) for arg in typing.get_args(annotation))


# Chinese names of the record models, as the guide's headings show them.
MODEL_TITLES = {
    "Site": "门户网站与专栏信息",
    "Column": "栏目",
    "OutboundLink": "外部链接",
    "WorkCalendar": "工作日历",
    "InputLimits": "输入大小上限",
    "Units": "单位名录",
    "Unit": "单位",
    "Leadership": "领导小组",
    "Person": "人员",
    "LeadershipOffice": "领导小组办公室",
    "Plan": "督查方案",
    "Measure": "工作措施",
    "SupervisionMethod": "督查方式",
    "Action": "专项行动",
    "Task": "任务",
    "Report": "月度进展报告",
    "TaskProgress": "任务进度",
    "Attachment": "附件",
    "Case": "典型案例",
    "Rectification": "整改情况",
    "PolicyDoc": "政策文件与解读",
    "PublicityWeek": "政策宣传周",
    "PublicityEvent": "宣传周日程",
    "Survey": "满意度测评",
    "SurveyDimension": "分项得分",
    "Cleanup": "规范性文件清理",
    "CleanupEntry": "清理条目",
}

# Where each kind of file lives, for the guide and for VS Code's schema mapping.
# (schema name as in schemas.FILE_MODELS, model, place in the repository, glob for VS Code)
FILE_KINDS: list[tuple[str, type[BaseModel], str, str]] = [
    ("report", m.Report, "data/reports/<月份>/<行动编号>.yml，如 data/reports/2018-09/a01.yml", "data/reports/*/*.yml"),
    ("case", m.Case, "data/cases/<年份>/<案例编号>.yml，如 data/cases/2018/c2018-003.yml", "data/cases/**/*.yml"),
    ("policy", m.PolicyDoc, "content/policies/<文件编号>.md 开头 --- 与 --- 之间的信息区", "content/policies/*.md"),
    ("survey", m.Survey, "data/surveys/<季度>.yml，如 data/surveys/2018-Q4.yml", "data/surveys/*.yml"),
    ("action", m.Action, "data/actions/<行动编号>.yml，如 data/actions/a01.yml", "data/actions/*.yml"),
    ("publicity-week", m.PublicityWeek, "data/publicity/<年度>.yml", "data/publicity/*.yml"),
    ("cleanup", m.Cleanup, "data/cleanup/<年度>.yml", "data/cleanup/*.yml"),
    ("units", m.Units, "data/units.yml", "data/units.yml"),
    ("leadership", m.Leadership, "data/leadership.yml", "data/leadership.yml"),
    ("plan", m.Plan, "data/plan.yml", "data/plan.yml"),
    ("site", m.Site, "data/site.yml", "data/site.yml"),
]
