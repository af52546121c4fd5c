"""Reading YAML while keeping the line of every key and list item.

Editors' mistakes must be reported with a line number, and pydantic reports a location
as a path of keys and indexes; so loading returns the plain data together with a map
from each path to the line it starts on. Timestamps are left as strings so that an
impossible date such as 2018-02-30 becomes a clear validation message, not a crash.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from campaign.records.problems import Problems

Path_ = tuple[Any, ...]


# libyaml's parser when PyYAML has it (about ten times faster: data grows to thousands of
# files on a province portal), the pure-Python one otherwise. Both keep line marks.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):  # type: ignore[misc, valid-type]
    """SafeLoader without the timestamp resolver: dates stay text until validation."""

    # libyaml calls back into Python for every node's tag. PyYAML's generic resolve()
    # (path resolvers, list concatenation) was a sixth of load time; this one gives the
    # same tags for what this loader has: implicit resolvers by first character, no
    # wildcard and no path resolvers.
    def resolve(self, kind, value, implicit):  # type: ignore[override]
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG

    def descend_resolver(self, current_node, current_index):  # no path resolvers
        pass

    def ascend_resolver(self):
        pass


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Source:
    """A loaded document: its data, the line of each path, and its display name."""

    name: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    line_offset: int = 0

    def line_of(self, loc: Path_) -> int:
        """Line of the deepest known path that prefixes loc (1-based, file-relative)."""
        loc = tuple(loc)
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.lines.get(loc, 1) + self.line_offset


def read_text(path: Path, display: str, problems: Problems) -> str | None:
    """Read a file as UTF-8; a wrong encoding or an empty file is a problem, not a crash."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.add(display, line, "", "文件不是 UTF-8 编码（可能是 GBK/GB2312）。请在编辑器中选择“另存为 UTF-8”后重新提交。")
        return None
    if not text.strip():
        problems.add(display, None, "", "文件是空的。请填写内容，或删除这个文件。")
        return None
    return text


def parse_yaml(text: str, display: str, problems: Problems, line_offset: int = 0) -> Source | None:
    """Parse YAML text into a Source; syntax errors and duplicate keys become problems."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = (mark.line + 1 + line_offset) if mark else None
        problems.add(display, line, "", f"YAML 格式错误：{_explain_yaml_error(err, text)}。"
                     "请检查缩进（用空格，不用 Tab）、冒号后的空格和引号是否成对。")
        return None
    except yaml.YAMLError as err:  # pragma: no cover - non-marked errors are rare
        problems.add(display, None, "", f"YAML 格式错误：{err}")
        return None
    if node is None:
        problems.add(display, None, "", "文件没有内容。请填写内容，或删除这个文件。")
        return None
    source = Source(display, None, {}, line_offset)
    before = len(problems)
    loader = _constructor()
    try:
        source.data = _construct(node, (), source, problems, loader)
    finally:
        loader.constructed_objects.clear()  # the shared constructor keeps no node alive
    if len(problems) > before:
        return None
    return source


# Wordings of both parsers (PyYAML's and libyaml's) mapped to what a clerk can act on.
_YAML_ERRORS = {
    "could not find expected ':'": "缺少冒号“:”",
    "mapping values are not allowed": "这里不能出现冒号（如果内容里有冒号，请把整段内容用引号括起来；字段名后的冒号要跟一个空格）",
    "found unexpected end of stream": "文件意外结束（引号或括号没有闭合）",
    "did not find expected key": "缩进不一致或缺少“- ”",
    "did not find expected '-' indicator": "缩进不一致：列表各项应以同样缩进的“- ”开头",
    "expected <block end>": "缩进不一致",
    "did not find expected ',' or ']'": "方括号 [ ] 没有闭合",
    "expected ',' or ']'": "方括号 [ ] 没有闭合",
    "found undefined alias": "引用了未定义的别名（* 开头的内容请用引号括起来）",
    "found character that cannot start any token": "出现了不能作为开头的字符（如 @ 或 `，请把内容用引号括起来）",
}


def _explain_yaml_error(err: yaml.MarkedYAMLError, text: str) -> str:
    problem = err.problem or ""
    mark = err.problem_mark
    if mark is not None:
        lines = text.splitlines()
        current = lines[mark.line] if mark.line < len(lines) else ""
        if "\t" in current[: mark.column + 1] or "\t" in current[: len(current) - len(current.lstrip())]:
            return "使用了 Tab 缩进，请改用空格"
    for english, chinese in _YAML_ERRORS.items():
        if problem.startswith(english):
            return chinese
    return f"无法解析（{problem}）"


def _construct(node: yaml.Node, path: Path_, source: Source, problems: Problems, loader: _Loader) -> Any:
    source.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, loader)
            if not isinstance(key, (str, int)):
                key = str(key)
            if key in result:
                first = source.lines.get(path + (key,))
                problems.add(source.name, key_node.start_mark.line + 1 + source.line_offset, str(key),
                             f"字段重复出现（第一次在第 {first + source.line_offset} 行）。"
                             "同一层里每个字段只能写一次，请删除或合并其中一处。")
                continue
            source.lines[path + (key,)] = key_node.start_mark.line + 1
            result[key] = _construct(value_node, path + (key,), source, problems, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            source.lines[path + (index,)] = item.start_mark.line + 1
            items.append(_construct(item, path + (index,), source, problems, loader))
        return items
    return _scalar(node, loader)


_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
_CONSTRUCTOR: list[_Loader] = []


def _constructor() -> _Loader:
    """One loader to construct scalars with: building a libyaml parser per file only to
    construct its numbers and booleans cost more than constructing them."""
    if not _CONSTRUCTOR:
        _CONSTRUCTOR.append(_Loader(""))
    return _CONSTRUCTOR[0]


def _scalar(node: yaml.Node, loader: _Loader) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return None
    tag = node.tag
    if tag == _STR_TAG:  # most values: text needs no constructor (a tenth of load time)
        return node.value
    if tag == _INT_TAG and node.value.isdigit() and node.value.isascii() and (node.value[0] != "0" or node.value == "0"):
        return int(node.value)  # plain decimal (weights, percents): PyYAML's generic path is slow
    return loader.construct_object(node, deep=True)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split '---' front matter from a Markdown body.

    Returns (yaml_text, body, line_offset) where line_offset is the number of lines
    before the YAML starts, or None when the file has no front matter.
    """
    if not text.startswith("---"):
        return None
    lines = text.splitlines(keepends=True)
    if lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), 1
    return None
