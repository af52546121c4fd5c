"""Reading YAML while keeping the line of every key and list item.

Editors' mistakes must be reported with a line number, and pydantic reports a location
as a path of keys and indexes; so loading returns the plain data together with a map
from each path to the line it starts on. Timestamps are left as strings so that an
impossible date such as 2018-02-30 becomes a clear validation message, not a crash.

Editors' files are untrusted input, so reading is bounded: a size limit per file and per
text value (data/site.yml `limits`), a nesting depth, a budget for what aliases (*a)
expand to, no tags (!foo, !!python/…, !!timestamp), no merge keys (<<) and no control
characters. Each of these is a Chinese problem with file and line, never a crash.
"""
from __future__ import annotations

import marshal

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import os
import re

import yaml

from campaign.records.problems import Problems

Path_ = tuple[Any, ...]


@dataclass(frozen=True)
class Limits:
    """Bounds on one editor's file; file_kb and text_chars come from data/site.yml `limits`."""

    file_kb: int = 1024        # a data file or Markdown page, in KB
    text_chars: int = 10000    # one text value in a data file, in characters
    depth: int = 40            # nesting of lists and fields
    alias_nodes: int = 1000    # values that aliases (*a) may repeat in one file


DEFAULT_LIMITS = Limits()

# C0 and C1 control characters except tab, line feed and carriage return; DEL; and the
# non-characters U+FFFE/U+FFFF. Invisible on screen, invalid in XML (the Atom feeds).
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# What a clerk may meet, by name; others are shown by their code point.
_CONTROL_NAMES = {"\x00": "空字符", "\x07": "响铃符", "\x08": "退格符", "\x0b": "垂直制表符",
                  "\x0c": "换页符", "\x1b": "转义符", "\x7f": "删除符", "\x85": "下一行符"}


def control_char_label(char: str) -> str:
    name = _CONTROL_NAMES.get(char, "控制字符")
    return f"{name}（U+{ord(char):04X}）"


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
        # The composers ask only for untagged nodes and for the non-specific tag "!";
        # "!" is the one case with no implicit flag set: keep it visible as a tag, so that
        # "! 重要" is reported instead of silently losing its "!".
        if kind is yaml.ScalarNode:
            if not implicit[0] and not implicit[1]:
                return NON_SPECIFIC_TAG
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        if not implicit:
            return NON_SPECIFIC_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG

    def descend_resolver(self, current_node, current_index):  # no path resolvers
        pass

    def ascend_resolver(self):
        pass


NON_SPECIFIC_TAG = "!"

_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class Source:
    """A loaded document: its data, the line of each path, and its display name.

    Once its records are built a Source can be `compact`ed: the data goes, and the line map
    is kept marshalled until a problem needs a line (most runs report none): a province's
    data holds hundreds of MB less for the rest of a check or a build."""

    __slots__ = ("name", "data", "line_offset", "_lines", "_marshalled")

    def __init__(self, name: str, data: Any, lines: dict[Path_, int] | None = None, line_offset: int = 0):
        self.name = name
        self.data = data
        self.line_offset = line_offset
        self._lines: dict[Path_, int] | None = {} if lines is None else lines
        self._marshalled: bytes | None = None

    @classmethod
    def packed(cls, name: str, marshalled: bytes, line_offset: int) -> "Source":
        """A Source with no data and its line map marshalled (compact's result, from a cache)."""
        source = cls(name, None, None, line_offset)
        source._lines, source._marshalled = None, marshalled
        return source

    @property
    def lines(self) -> dict[Path_, int]:
        if self._lines is None:
            try:  # marshal reads only plain values (tuples of keys and indexes to line numbers)
                lines = marshal.loads(self._marshalled)
            except (ValueError, EOFError, TypeError):
                lines = None
            self._lines, self._marshalled = (lines if isinstance(lines, dict) else {}), None
        return self._lines

    def marshalled_lines(self) -> bytes:
        return self._marshalled if self._lines is None else marshal.dumps(self._lines)

    def compact(self, marshalled: bytes | None = None) -> None:
        """Drop the data and keep the line map marshalled (`marshalled`: made already)."""
        if self._lines is not None:
            self._marshalled = marshal.dumps(self._lines) if marshalled is None else marshalled
            self._lines = None
        self.data = None

    def __repr__(self) -> str:
        return f"Source({self.name!r})"

    def line_of(self, loc: Path_) -> int:
        """Line of the deepest known path that prefixes loc (1-based, file-relative)."""
        lines = self.lines
        loc = tuple(loc)
        while loc and loc not in lines:
            loc = loc[:-1]
        return lines.get(loc, 1) + self.line_offset


def read_text(path: Path, display: str, problems: Problems, limits: Limits = DEFAULT_LIMITS,
              raw: bytes | None = None) -> str | None:
    """Read a file as UTF-8; a wrong encoding, an empty or oversized file, a symlink or a
    control character is a problem, not a crash. `raw`: the file's bytes, already read
    (a regular file within the size limit, filecache.FileCache.read)."""
    if raw is None:
        if path.is_symlink():
            problems.add(display, None, "", SYMLINK_MESSAGE)
            return None
        size = path.stat().st_size
        if size > limits.file_kb * 1024:
            problems.add(display, None, "", f"文件太大（{_kb(size)} KB），超过上限 {limits.file_kb} KB。"
                         "请检查是否误粘贴了大段内容；确需更长时，由管理员调整 data/site.yml 中的 limits.file_kb。")
            return None
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
    if report_control_chars(text, display, problems):
        return None
    return text


SYMLINK_MESSAGE = ("是符号链接（快捷方式），出于安全不会读取或发布它指向的内容。"
                   "请删除这个链接，把真实的文件放在这里。")


def _kb(size: int) -> str:
    return f"{(size + 1023) // 1024:,}"


def report_control_chars(text: str, display: str, problems: Problems, line_offset: int = 0, limit: int = 5) -> bool:
    """Report control characters by line (the first few lines); True when there were any."""
    found = False
    reported_lines: set[int] = set()
    for match in CONTROL_CHARS.finditer(text):
        found = True
        line = text.count("\n", 0, match.start()) + 1 + line_offset
        if line in reported_lines:
            continue
        if len(reported_lines) == limit:
            break
        reported_lines.add(line)
        problems.add(display, line, "", f"有看不见的{control_char_label(match.group())}，多半是从别处复制带来的。"
                     "请删除这个字符（可用编辑器的“显示不可见字符”找到它）。")
    return found


def parse_yaml(text: str, display: str, problems: Problems, line_offset: int = 0,
               limits: Limits = DEFAULT_LIMITS) -> Source | None:
    """Parse YAML text into a Source; syntax errors, duplicate keys and anything beyond
    the limits become problems."""
    before = len(problems)
    if CONTROL_CHARS.search(text):  # the parser's own message is English and has no line
        report_control_chars(text, display, problems, line_offset)
        return None
    if not _depth_within(text, display, problems, line_offset, limits):
        return None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = (mark.line + 1 + line_offset) if mark else None
        problems.add(display, line, "", f"YAML 格式错误：{_explain_yaml_error(err, text)}。"
                     "请检查缩进（用空格，不用 Tab）、冒号后的空格和引号是否成对。")
        return None
    except (yaml.YAMLError, RecursionError, ValueError):  # reader errors carry no line mark
        problems.add(display, None, "", "YAML 格式错误：文件中有无法识别的内容。请检查是否混入了特殊字符。")
        return None
    if node is None:
        problems.add(display, None, "", "文件没有内容。请填写内容，或删除这个文件。")
        return None
    source = Source(display, None, {}, line_offset)
    builder = _Builder(source, text, problems, limits)
    try:
        source.data = builder.construct(node, (), 0)
    except _Stop:
        pass
    finally:
        builder.loader.constructed_objects.clear()  # the shared constructor keeps no node alive
    if len(problems) > before:
        return None
    return source


def _depth_within(text: str, display: str, problems: Problems, line_offset: int, limits: Limits) -> bool:
    """False (and a problem) when lists and fields nest deeper than limits.depth.

    libyaml's composer recurses in C: ten thousand "[" crash the interpreter, so the depth
    is measured on the parser's events (a flat loop) before composing. Most files cannot
    nest that deep at all (each level needs a bracket or two more columns of indent), and
    skip the event pass."""
    brackets = text.count("[") + text.count("{")
    indent = max((len(m) for m in _LEADING.findall(text)), default=0)
    if brackets + 2 * (indent + 1) <= limits.depth:
        return True
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, _OPEN):
                depth += 1
                if depth > limits.depth:
                    problems.add(display, event.start_mark.line + 1 + line_offset, "",
                                 f"嵌套层次太深（超过 {limits.depth} 层）。数据文件只需要几层“字段: 值”和列表，"
                                 "请检查是否多写了括号 [ ] { } 或缩进。")
                    return False
            elif isinstance(event, _CLOSE):
                depth -= 1
    except yaml.YAMLError:
        return True  # composing reports the syntax error, at the same place
    return True


_LEADING = re.compile(r"(?m)^[ \-?:]*")
_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


# Wordings of both parsers (PyYAML's and libyaml's) mapped to what a clerk can act on.
# Matched on the start of the problem; the context (what was being read) comes first.
_YAML_CONTEXTS = {
    "while scanning a tag": "以“!”开头的内容会被当作 YAML 标签。如果“!”是内容的一部分，请把整段内容用引号括起来，如 title: \"!重要通知\"",
    "while scanning an alias": "以“*”开头的内容会被当作 YAML 别名。如果“*”是内容的一部分，请把整段内容用引号括起来，如 note: \"*注：以实际为准\"",
    "while scanning an anchor": "以“&”开头的内容会被当作 YAML 锚点。如果“&”是内容的一部分，请把整段内容用引号括起来",
    "expected a single document in the stream": "一个文件里只能有一份数据，不要用“---”分成几段",
}
_YAML_ERRORS = {
    "could not find expected ':'": "缺少冒号“:”",
    "mapping values are not allowed": "这里不能出现冒号（如果内容里有冒号，请把整段内容用引号括起来；字段名后的冒号要跟一个空格）",
    "block sequence entries are not allowed": "这里不能出现“- ”列表项（缩进不对，或应把内容用引号括起来）",
    "found unexpected end of stream": "文件意外结束（引号或括号没有闭合）",
    "did not find expected key": "缩进不一致或缺少“- ”",
    "did not find expected '-' indicator": "缩进不一致：列表各项应以同样缩进的“- ”开头",
    "expected <block end>": "缩进不一致",
    "did not find expected ',' or ']'": "方括号 [ ] 没有闭合",
    "expected ',' or ']'": "方括号 [ ] 没有闭合",
    "did not find expected ',' or '}'": "花括号 { } 没有闭合",
    "expected ',' or '}'": "花括号 { } 没有闭合",
    "found undefined alias": "引用了未定义的别名（* 开头的内容请用引号括起来）",
    "found character that cannot start any token": "出现了不能作为开头的字符（如 @ 或 `，请把内容用引号括起来）",
    "found unknown escape character": "双引号里的反斜杠“\\”后跟了不认识的字符（内容里要写反斜杠时请用单引号括起来）",
    "found invalid Unicode character escape code": "双引号里的 \\u 或 \\x 转义不是有效的字符",
    "did not find expected hexdecimal number": "双引号里的 \\u 或 \\x 转义不完整",
    "found unexpected document indicator": "引号里出现了“---”或“...”开头的行",
    "found unknown directive name": "不认识以“%”开头的指令（内容以 % 开头时请用引号括起来）",
    "found duplicate %YAML directive": "“%YAML”指令重复",
    "found incompatible YAML document": "不支持的 YAML 版本",
    "found duplicate %TAG directive": "“%TAG”指令重复",
    "found undefined tag handle": "出现了未定义的 YAML 标签（以“!”开头的内容请用引号括起来）",
    "did not find expected tag URI": "YAML 标签写法不对（以“!”开头的内容请用引号括起来）",
    "did not find expected comment or line break": "这一行的结尾多了内容（如“|”或“>”后面不能直接写文字）",
    "did not find expected node content": "缺少内容",
    "did not find expected <document start>": "文件开头的写法不对",
    "found a tab character": "使用了 Tab，请改用空格",
    "found an indentation indicator equal to 0": "“|”或“>”后的缩进数字不能是 0",
    "found a leading space": "缩进不对",
    "did not find expected whitespace or line break": "这里需要空格或换行",
    "did not find expected alphabetic or numeric character": "这里需要字母或数字",
    "found recursive anchor": "别名引用了自身",
}


def _explain_yaml_error(err: yaml.MarkedYAMLError, text: str) -> str:
    problem = err.problem or ""
    mark = err.problem_mark
    if mark is not None:
        lines = text.splitlines()
        current = lines[mark.line] if mark.line < len(lines) else ""
        if "\t" in current[: mark.column + 1] or "\t" in current[: len(current) - len(current.lstrip())]:
            return "使用了 Tab 缩进，请改用空格"
    context = err.context or ""
    for english, chinese in _YAML_CONTEXTS.items():
        if context.startswith(english):
            return chinese
    for english, chinese in _YAML_ERRORS.items():
        if problem.startswith(english):
            return chinese
    return "这一行的写法无法识别"  # never the parser's English


class _Stop(Exception):
    """Aliases expanded beyond the budget: stop building this file (already reported)."""


_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_VALUE_TAG = "tag:yaml.org,2002:value"
# Typed scalars the safe loader builds; any other tag (explicit !!timestamp, !foo,
# !!python/…) is refused. Dates stay text: validation parses them with a Chinese message.
_SCALAR_TAGS = {_STR_TAG, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"}


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


_INT_TAG = "tag:yaml.org,2002:int"
_CONSTRUCTOR: list[_Loader] = []


def _constructor() -> _Loader:
    """One loader to construct scalars with: building a libyaml parser per file only to
    construct its numbers and booleans cost more than constructing them."""
    if not _CONSTRUCTOR:
        _CONSTRUCTOR.append(_Loader(""))
    return _CONSTRUCTOR[0]


class _Builder:
    """Node graph to plain data, recording lines and enforcing the limits.

    An alias is the same node object met again: every node met a second time counts
    against limits.alias_nodes, so a few lines of &a/*a cannot expand to millions of
    values; a node met again inside itself is a recursive alias."""

    def __init__(self, source: Source, text: str, problems: Problems, limits: Limits):
        self.source = source
        self.text = text
        self.problems = problems
        self.limits = limits
        self.loader = _constructor()
        self.seen: set[int] = set()
        self.active: set[int] = set()
        self.repeats = 0

    def add(self, node: yaml.Node, path: Path_, message: str, at_key: bool = False) -> None:
        label = next((str(p) for p in reversed(path) if isinstance(p, str)), "")
        if at_key:  # an alias: its node's mark is where the anchor was defined
            keys = path[: max((i + 1 for i, p in enumerate(path) if isinstance(p, str)), default=0)]
            line = self.source.line_of(keys)
        else:
            line = node.start_mark.line + 1 + self.source.line_offset
        self.problems.add(self.source.name, line, label, message)

    def construct(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        source = self.source
        source.lines.setdefault(path, node.start_mark.line + 1)
        key = id(node)
        if key in self.seen:
            if key in self.active:
                self.add(node, path, "别名（*）引用了包含它自己的内容，会无限展开。请把内容直接写出来，不要用 & 和 *。", at_key=True)
                raise _Stop
            self.repeats += 1
            if self.repeats > self.limits.alias_nodes:
                self.add(node, path, f"别名（*）重复的内容太多（超过 {self.limits.alias_nodes} 项）。"
                         "请把内容直接写出来，不要用 & 和 * 层层引用。", at_key=True)
                raise _Stop
        else:
            self.seen.add(key)
        if depth > self.limits.depth:
            self.add(node, path, f"嵌套层次太深（超过 {self.limits.depth} 层）。请检查缩进和括号。")
            raise _Stop
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path, is_key=False)
        if node.tag not in (_MAP_TAG, _SEQ_TAG):
            self._bad_tag(node, path)
            return None
        self.active.add(key)
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path, depth)
            return self._sequence(node, path, depth)
        finally:
            self.active.discard(key)

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict:
        source = self.source
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.add(key_node, path, "字段名只能是一段文字，不能是列表或“字段: 值”。请检查是否多写了“? ”或括号。")
                continue
            if key_node.tag == _MERGE_TAG:
                self.add(key_node, path, "不支持合并键“<<”。请把要用到的字段直接写在这里。")
                continue
            key = self.scalar(key_node, path, is_key=True)
            if not isinstance(key, (str, int)):
                key = str(key)
            if key in result:
                first = source.lines.get(path + (key,))
                self.problems.add(source.name, key_node.start_mark.line + 1 + source.line_offset, str(key),
                                  f"字段重复出现（第一次在第 {first + source.line_offset} 行）。"
                                  "同一层里每个字段只能写一次，请删除或合并其中一处。")
                continue
            source.lines[path + (key,)] = key_node.start_mark.line + 1
            result[key] = self.construct(value_node, path + (key,), depth + 1)
        return result

    def _sequence(self, node: yaml.SequenceNode, path: Path_, depth: int) -> list:
        items = []
        for index, item in enumerate(node.value):
            self.source.lines[path + (index,)] = item.start_mark.line + 1
            items.append(self.construct(item, path + (index,), depth + 1))
        return items

    def _non_specific(self, node: yaml.ScalarNode) -> bool:
        """A plain scalar written "! text": libyaml resolves the non-specific tag "!" as if
        there were none, so look at the text (marks count characters)."""
        at = node.start_mark.index
        head = self.text[at:at + 1]
        if head == "&":  # an anchor first: "&a ! text"
            rest = self.text[at:at + 200].split(None, 1)
            head = rest[1][:1] if len(rest) > 1 else ""
        return head == "!"

    def _bad_tag(self, node: yaml.Node, path: Path_, tag: str | None = None) -> None:
        tag = tag or node.tag
        if tag == NON_SPECIFIC_TAG:
            self.add(node, path, "以“!”开头的内容会被当作 YAML 标签，“!”会丢失。"
                     "如果“!”是内容的一部分，请把整段内容用引号括起来，如 title: \"! 重要通知\"。")
        elif tag == "tag:yaml.org,2002:timestamp":
            self.add(node, path, "不支持 YAML 标签「!!timestamp」。日期直接写成 2018-04-13 这样的“年-月-日”，不要加标签。")
        else:
            self.add(node, path, f"不支持 YAML 标签「{_short_tag(tag)}」。数据文件里只写文字、数字、日期、"
                     "列表和“字段: 值”；如果“!”是内容的一部分，请把整段内容用引号括起来。")

    def scalar(self, node: yaml.ScalarNode, path: Path_, is_key: bool) -> Any:
        tag = node.tag
        if tag == _STR_TAG:  # most values: text needs no constructor (a tenth of load time)
            value = node.value
            if not node.style and self._non_specific(node):
                self._bad_tag(node, path, NON_SPECIFIC_TAG)
                return None
            if len(value) > self.limits.text_chars:
                self.add(node, path, f"内容太长（{len(value):,} 个字符），超过上限 {self.limits.text_chars:,} 个字符。"
                         "请检查是否误粘贴了大段内容；确需更长时，由管理员调整 data/site.yml 中的 limits.text_chars。")
            elif node.style == '"':  # only escapes (\x07, \e …) can bring control characters here
                bad = CONTROL_CHARS.search(value)
                if bad:
                    self.add(node, path, f"内容里有看不见的{control_char_label(bad.group())}（来自双引号里的转义）。请删除它。")
            return value
        if tag == _VALUE_TAG:  # a lone "=": text, as editors mean it
            return node.value
        if tag not in _SCALAR_TAGS:
            self._bad_tag(node, path)
            return None
        value = node.value
        if tag == _INT_TAG and value.isdigit() and value.isascii() and (value[0] != "0" or value == "0"):
            return int(value)  # plain decimal (weights, percents): PyYAML's generic path is slow
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError):
            self.add(node, path, f"「{node.value}」不能按 YAML 标签 {_short_tag(tag)} 读取。请去掉标签，直接写内容。")
            return None


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


def walk_files(root: Path) -> tuple[list[Path], list[Path]]:
    """Every file under root, sorted, and every symlink met there: symlinks are neither
    followed nor read (a link to /etc would publish the machine's files).

    os.scandir gives each entry's type with its name (no stat per file): tens of thousands
    of files at a province's scale are listed in a few hundredths of a second."""
    files, links = walk_names(root)
    return [Path(name) for name in files], [Path(name) for name in links]


def walk_names(root: Path) -> tuple[list[str], list[str]]:
    """walk_files as path strings: the loader reads 30,000 data files by name, and making
    a Path of each was a tenth of a warm check."""
    root = Path(root)
    if root.is_symlink():
        return [], [str(root)]
    if not root.is_dir():
        return [], []
    files: list[tuple[str, ...]] = []
    links: list[tuple[str, ...]] = []
    folders: list[tuple[str, tuple[str, ...]]] = [(str(root), ())]
    while folders:
        folder, parts = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            here = parts + (entry.name,)
            if entry.is_symlink():
                links.append(here)
            elif entry.is_dir(follow_symlinks=False):
                folders.append((entry.path, here))
            else:
                files.append(here)
    # Sorted by parts, as paths compare (a/b before a-b/c).
    base = str(Path(root)).rstrip(os.sep) + os.sep
    return ([base + os.sep.join(parts) for parts in sorted(files)], [base + os.sep.join(parts) for parts in sorted(links)])
