"""Turning pydantic's validation errors into Chinese problems with file, line and field."""
from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from campaign.records.models import SLUG_PATTERN, UNIT_ID_EXAMPLES
from campaign.records.problems import Problems, closest
from campaign.records.yamlsource import Source


def report_validation_error(err: ValidationError, model: type[BaseModel], source: Source,
                            problems: Problems, base: tuple = ()) -> None:
    """Add one problem per pydantic error, located through the source's line map."""
    for detail in err.errors(include_url=False):
        loc = tuple(detail["loc"])
        kind = detail["type"]
        if kind.startswith("zh:"):
            loc = loc + (kind[3:],)
        full = base + loc
        field_label = describe_path(model, loc)
        problems.add(source.name, source.line_of(full), field_label, _message(detail, model, loc))


def explain(detail: dict, model: type[BaseModel]) -> tuple[tuple, str]:
    """(path, Chinese message) of one pydantic error, for input that is not a YAML file
    (the spreadsheet ledger), so it reads exactly like the build's messages."""
    loc = tuple(detail["loc"])
    if detail["type"].startswith("zh:"):
        loc = loc + (detail["type"][3:],)
    return loc, _message(detail, model, loc)


def describe_path(model: type[BaseModel], loc: tuple) -> str:
    """'tasks[2].percent（完成进度（%））' style: the path editors see, with the Chinese title."""
    path = ""
    title = ""
    current: Any = model
    for item in loc:
        if isinstance(item, int):
            path += f" 第{item + 1}项"
            continue
        path += (" " if path.endswith("项") else ("." if path else "")) + str(item)
        info = _field_info(current, item)
        if info is None:
            title = ""
            current = None
            continue
        title = info.title or ""
        current = inner_model(info.annotation)
    return f"{path}（{title}）" if title else path


def _field_info(model: Any, name: str):
    if isinstance(model, type) and issubclass(model, BaseModel):
        return model.model_fields.get(name)
    return None


def inner_model(annotation: Any) -> Any:
    """The record model inside list[...] or ... | None, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = inner_model(arg)
        if found is not None:
            return found
    return None


def _model_at(model: Any, loc: tuple) -> Any:
    current = model
    for item in loc:
        if isinstance(item, int):
            continue
        info = _field_info(current, item)
        if info is None:
            return None
        current = inner_model(info.annotation)
    return current


def _message(detail: dict, model: type[BaseModel], loc: tuple) -> str:
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    value = detail.get("input")
    if kind == "zh" or kind.startswith("zh:"):
        return detail["msg"]
    if kind == "missing":
        return "缺少这个必填字段，请补上。"
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        known = list(parent.model_fields) if parent is not None else []
        guess = closest(str(loc[-1]), known)
        hint = f"是不是想写「{guess}」？" if guess else ""
        allowed = "、".join(known)
        return f"不认识这个字段。{hint}这里可以写的字段有：{allowed}。"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"「{value}」不是整数，请填写 0、1、2 这样的整数。"
    if kind in ("float_parsing", "float_type"):
        return f"「{value}」不是数字，请填写 85 或 85.5 这样的数字（不带 % 或“分”）。"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        low, high = _bounds(model, loc)
        low = ctx.get("ge", ctx.get("gt", low))
        high = ctx.get("le", ctx.get("lt", high))
        rng = _range_text(model, loc, low, high)
        return f"数值 {value} 超出范围，{rng}。"
    if kind in ("string_type",):
        return f"应填写文字，现在是「{value}」。如果内容是数字或日期，请用引号括起来。"
    if kind == "string_too_short":
        return "不能为空，请填写内容。"
    if kind == "too_short":
        return "至少要有一项，请补上。"
    if kind == "list_type":
        return "应是一个列表：每一项单独一行，以“- ”开头。"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "应是一组“字段: 值”，请检查缩进。"
    if kind == "bool_parsing" or kind == "bool_type":
        return f"「{value}」不是是/否，请填写 true（是）或 false（否）。"
    if kind in ("literal_error", "enum"):
        expected = ctx.get("expected", "")
        options = expected.replace("'", "").replace(" or ", ", ").split(", ")
        return f"「{value}」不是可选的值。只能填写：{'、'.join(o for o in options if o)}。"
    if kind == "string_pattern_mismatch":
        example = _example(model, loc)
        hint = ""
        if ctx.get("pattern") == SLUG_PATTERN and not str(value).isascii():
            # A name where an id belongs (牵头单位: 县市场监管局 instead of scj).
            hint = "这里填写编号（小写英文字母、数字和“-”），不是名称。"
            if _examples(model, loc) == UNIT_ID_EXAMPLES:
                hint += "各单位的编号见 data/units.yml 的 id。"
        return f"「{value}」格式不对。{hint}{('正确的写法如：' + example + '。') if example else ''}"
    return f"填写有误（{detail['msg']}）。"


def _bounds(model: type[BaseModel], loc: tuple) -> tuple[Any, Any]:
    """The field's declared lower and upper bounds, so a message can name the whole range."""
    parent = _model_at(model, loc[:-1])
    info = _field_info(parent, loc[-1]) if parent is not None and isinstance(loc[-1], str) else None
    low = high = None
    for constraint in getattr(info, "metadata", []) if info else []:
        low = getattr(constraint, "ge", getattr(constraint, "gt", low))
        high = getattr(constraint, "le", getattr(constraint, "lt", high))
    return low, high


def _range_text(model: type[BaseModel], loc: tuple, low: Any, high: Any) -> str:
    def fmt(x: Any) -> str:
        return str(int(x)) if isinstance(x, float) and x.is_integer() else str(x)
    if low is not None and high is not None:
        return f"应在 {fmt(low)} 到 {fmt(high)} 之间"
    if low is not None:
        return f"应不小于 {fmt(low)}"
    return f"应不大于 {fmt(high)}"


def _example(model: type[BaseModel], loc: tuple) -> str:
    return "、".join(str(e) for e in _examples(model, loc))


def _examples(model: type[BaseModel], loc: tuple) -> list:
    """The field's examples; for an item of a list, the examples of the item type."""
    while loc and isinstance(loc[-1], int):
        loc = loc[:-1]
    parent = _model_at(model, loc[:-1])
    info = _field_info(parent, loc[-1]) if loc and parent is not None and isinstance(loc[-1], str) else None
    if info is None:
        return []
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    examples = extra.get("examples") or info.examples or []
    for arg in typing.get_args(info.annotation):  # list[UnitId]: the examples sit on UnitId
        for meta in getattr(arg, "__metadata__", ()):
            inner = getattr(meta, "json_schema_extra", None)
            if not examples and isinstance(inner, dict):
                examples = inner.get("examples") or []
    if not examples and str(loc[-1]) in ("id", "action", "task"):
        examples = ["a01", "a01-t1"]
    return list(examples)

