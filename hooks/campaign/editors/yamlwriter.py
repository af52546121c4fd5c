"""Writing records as commented YAML that editors can read and the loader reads back.

Every field gets a Chinese comment taken from the model (fielddocs), so a scaffolded or
imported file explains itself and the comments never drift from validation. Optional
fields that are not given appear commented out, so editors see every field they may use.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import yaml
from pydantic import BaseModel

from campaign.records.fielddocs import field_docs
from campaign.records.placeholders import MARK  # check warns about every line still carrying it

_TODO = f"  # {MARK}"


def schema_line(schema_rel: str) -> str:
    """First line of a data file: VS Code's YAML extension completes fields from it."""
    return f"# yaml-language-server: $schema={schema_rel}"


def dump_record(model: type[BaseModel], values: dict[str, Any], todo: set[str] = frozenset(),
                indent: int = 0, path: str = "") -> list[str]:
    """YAML lines for values, fields in model order, each preceded by its comment.

    todo holds dotted field paths whose line gets the 【待填写】 mark.
    """
    pad = " " * indent
    lines: list[str] = []
    for doc in field_docs(model):
        dotted = f"{path}{doc.name}"
        lines.append(f"{pad}# {doc.line()}")
        if doc.name not in values:
            lines.append(f"{pad}# {doc.name}: {_example(doc)}")
            continue
        value = values[doc.name]
        mark = _TODO if dotted in todo else ""
        if isinstance(value, dict) and doc.nested is not None:
            lines.append(f"{pad}{doc.name}:{mark}")
            lines += dump_record(doc.nested, value, todo, indent + 2, dotted + ".")
        elif isinstance(value, list) and value and isinstance(value[0], dict) and doc.nested is not None:
            for sub in field_docs(doc.nested):
                lines.append(f"{pad}#   每项的 {sub.name}：{sub.line()}")
            lines.append(f"{pad}{doc.name}:{mark}")
            for item in value:
                lines.append(f"{pad}  - {flow(item)}")
        elif isinstance(value, str) and "\n" in value:
            lines.append(f"{pad}{doc.name}: |-{mark}")
            lines += [f"{pad}  {line}" if line.strip() else "" for line in value.split("\n")]
        else:
            lines.append(f"{pad}{doc.name}: {scalar(value)}{mark}")
    return lines


def scalar(value: Any) -> str:
    """One YAML scalar or flow list, quoted only where YAML needs it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()  # the loader keeps dates as text; no timestamp resolver
    if isinstance(value, list):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    if value is None:
        return "null"
    if value == "":
        return '""'
    return flow(str(value))


def flow(value: Any) -> str:
    """A value in YAML flow style on one line (dicts become {a: 1, b: x})."""
    if isinstance(value, dict):
        value = {k: (int(v) if isinstance(v, float) and v.is_integer() else v) for k, v in value.items()}
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, sort_keys=False, width=1 << 20)
    text = text.strip()
    if text.endswith("\n..."):
        text = text[: -len("\n...")]
    return text


def _example(doc) -> str:
    if isinstance(doc.default, (bool, int, float)) or (isinstance(doc.default, str) and doc.default):
        return scalar(doc.default)
    if doc.nested is not None:
        return "[]" if doc.is_list else "（一组字段，见上方说明）"
    if doc.kind.startswith("只能填写："):
        return doc.kind.split("：", 1)[1].split("、")[0]
    if doc.kind.startswith("true"):
        return "true"
    if doc.kind.startswith("日期"):
        return "2018-04-13"
    if doc.kind.startswith("列表"):
        return "[]"
    if "如 " in doc.kind:
        return doc.kind.split("如 ", 1)[1].split("、")[0]
    return '""'
