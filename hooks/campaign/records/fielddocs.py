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

SLUG_PATTERN = m.SLUG_PATTERN


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
    return model.model_config.get("title") or model.__name__


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
        return f"一组字段，见「{defs.get(name, {}).get('title', name)}」"
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
