"""Every text the column publishes, with the file, line and field it comes from.

Checks that read prose (proofreading, the personal-data guard) walk the same list, so a
new record field or a new hand-written page is covered by all of them at once:

- every free-text field of every record (walked generically over the pydantic models;
  ids, slugs, dates, URLs, filing numbers and fixed vocabularies are left out);
- the Markdown bodies of policy documents and explainers;
- every hand-written page under content/ (the editors' guide is published too);
- the templates that write generated prose (hooks/campaign/site/templates/*.j2), read as
  text with their Jinja tags blanked out.

A finding inside a text is placed on its own line: Markdown and templates are verbatim,
so the line is counted; a YAML value may be folded or a block scalar, so the line is found
by looking for the found string in the file from the field's key on (`Text.line_at`).
Files are read for this only when there is something to report.
"""
from __future__ import annotations

import re
import typing
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import yaml
from pydantic import BaseModel

from campaign.records.yamlsource import split_front_matter

# Fields that are never prose: ids and references, addresses, filing numbers, editorial
# switches. Slug-typed fields (a pattern of lowercase ASCII) and Literal vocabularies are
# recognised from the models and skipped as well.
SKIPPED_FIELDS = frozenset({
    "id", "url", "path", "portal_url", "portal_domain", "outbound_allowlist", "index_no",
    "index_no_pattern", "index_no_example", "icp_number", "police_number", "site_id_code",
    "contact_phone", "hotline", "quarter", "month", "report", "allow_personal_data",
    "proofread_allow",
})

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "site" / "templates"
# Project-relative name of the templates as findings show them.
TEMPLATE_DISPLAY = "hooks/campaign/site/templates"


@dataclass(frozen=True)
class Allowed:
    """A reviewed exception: this exact string is accepted here, for this reason."""

    text: str
    reason: str


@dataclass
class Text:
    """One published text and where it lives."""

    file: str            # project-relative path, as problems show it
    line: int            # 1-based line of the text's first line (of the field's key in YAML)
    field: str           # dotted field path; '' for a Markdown body or a template
    text: str
    allowed: tuple[Allowed, ...] = ()
    # The record lets this field carry personal data (listed in Case.allow_personal_data;
    # other kinds of records and pages have no such switch).
    personal_data_allowed: bool = False
    verbatim: bool = False   # Markdown and templates: the text is the file's lines from `line`
    blanked: bool = False    # code, URLs and tags already blanked (templates, prepared once)
    root: Path | None = field(default=None, repr=False, compare=False)
    # Record kind, for messages ("案例", "月度报告" …); '' for pages.
    kind: str = ""
    model: Any = field(default=None, repr=False, compare=False)   # the record's model, for labels
    path: tuple = ()                                             # the field's path in the record
    # Where the record was loaded (loading.Located): the line is looked up only when a
    # finding needs it (line 0 until then).
    located: Any = field(default=None, repr=False, compare=False)

    def first_line(self) -> int:
        """The line the text starts on (a YAML field: its key's line)."""
        if not self.line and self.located is not None:
            self.line = self.located.line(*self.path)
        return self.line

    @property
    def label(self) -> str:
        """The field as problems name it: 'summary（案例摘要）'; '' for a page body."""
        if self.model is None or not self.path:
            return self.field
        from campaign.records.messages import describe_path

        return describe_path(self.model, self.path)

    def line_at(self, offset: int, found: str = "") -> int:
        """The file line of the character at offset in text."""
        start = self.first_line()
        if self.verbatim:
            return start + self.text.count("\n", 0, offset)
        if found:
            return _find_line(self.root, self.file, start, found, self.text.count(found, 0, offset)) or start
        return start

    def allows(self, start: int, end: int) -> bool:
        """Whether a reviewed exception covers text[start:end]."""
        for item in self.allowed:
            if not item.text:
                continue
            at = self.text.find(item.text, max(0, end - len(item.text)))
            while at != -1 and at <= start:
                if at + len(item.text) >= end:
                    return True
                at = self.text.find(item.text, at + 1)
        return False


@lru_cache(maxsize=64)
def _file_lines(path: str) -> tuple[str, ...]:
    try:
        return tuple(Path(path).read_text(encoding="utf-8-sig").splitlines())
    except (OSError, UnicodeDecodeError):
        return ()


def _find_line(root: Path | None, file: str, start: int, found: str, before: int) -> int | None:
    """Line of the (before+1)-th occurrence of found in the file, from line start on."""
    if root is None:
        return None
    lines = _file_lines(str(root / file))
    seen = 0
    for number in range(max(start, 1), len(lines) + 1):
        line = lines[number - 1]
        count = line.count(found)
        if seen + count > before:
            return number
        seen += count
    return None


# --- Records ---------------------------------------------------------------------------------

def _is_prose(annotation: Any) -> bool:
    """str fields, and lists of str, that are not Literal vocabularies or slugs."""
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return False
    if origin is typing.Annotated:
        args = typing.get_args(annotation)
        for meta in args[1:]:
            pattern = getattr(meta, "pattern", None)
            if pattern is None:
                for inner in getattr(meta, "metadata", ()) or ():
                    pattern = getattr(inner, "pattern", None) or pattern
            if pattern and pattern.startswith("^[a-z0-9]"):
                return False
        return _is_prose(args[0])
    if origin in (list, tuple):
        return any(_is_prose(a) for a in typing.get_args(annotation))
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return any(_is_prose(a) for a in typing.get_args(annotation) if a is not type(None))
    return annotation is str


@lru_cache(maxsize=None)
def _prose_fields(model: type[BaseModel]) -> tuple[tuple[str, bool], ...]:
    """(field name, is prose) for each field of model worth walking."""
    out = []
    for name, info in model.model_fields.items():
        if name in SKIPPED_FIELDS:
            continue
        pattern = None
        for meta in info.metadata:
            pattern = getattr(meta, "pattern", None) or pattern
        if pattern and str(pattern).startswith("^[a-z0-9]"):
            continue
        out.append((name, _is_prose(info.annotation)))
    return tuple(out)


def _allowed_of(record: Any) -> tuple[Allowed, ...]:
    if "proofread_allow" not in type(record).model_fields:
        return ()
    items = record.proofread_allow
    return tuple(Allowed(item.text, item.reason) for item in items)


def _walk(record: BaseModel, path: tuple, located, allowed, personal: frozenset[str], root, kind: str,
          top: BaseModel) -> Iterator[Text]:
    for name, prose in _prose_fields(type(record)):
        value = getattr(record, name)
        here = path + (name,)
        if isinstance(value, str):
            if prose and value:
                dotted = ".".join(str(p) for p in here if not isinstance(p, int))
                yield Text(located.file, 0, dotted, value, allowed,
                           dotted in personal, root=root, kind=kind, model=type(top), path=here, located=located)
        elif isinstance(value, BaseModel):
            yield from _walk(value, here, located, allowed, personal, root, kind, top)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _walk(item, here + (index,), located, allowed, personal, root, kind, top)
                elif isinstance(item, str) and prose and item:
                    dotted = ".".join(str(p) for p in here if not isinstance(p, int))
                    yield Text(located.file, 0, dotted, item, allowed,
                               dotted in personal, root=root, kind=kind, model=type(top),
                               path=here + (index,), located=located)


def record_texts(dataset, root: Path | None = None, skip: frozenset[str] = frozenset()) -> Iterator[Text]:
    """Every prose field of every record of the dataset (but those of the files in skip)."""
    tops: list[tuple[BaseModel, str]] = [(dataset.site, "站点设置"), (dataset.leadership, "领导小组"),
                                         (dataset.plan, "督查方案")]
    tops += [(u, "单位") for u in dataset.unit_list]
    tops += [(a, "专项行动") for a in dataset.action_list]
    tops += [(r, "月度报告") for r in dataset.reports]
    tops += [(c, "典型案例") for c in dataset.cases]
    tops += [(p.doc, "政策文件") for p in dataset.policies]
    tops += [(w, "政策宣传周") for w in dataset.publicity_weeks]
    tops += [(s, "满意度测评") for s in dataset.surveys]
    tops += [(e, "规范性文件清理") for e in dataset.cleanup]
    for record, kind in tops:
        located = dataset.where.get(id(record))
        if located is None or located.file in skip:
            continue
        allowed = _allowed_of(record)
        personal = frozenset(record.allow_personal_data if "allow_personal_data" in type(record).model_fields else ())
        yield from _walk(record, (), located, allowed, personal, root, kind, record)


# --- Markdown and templates ------------------------------------------------------------------

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_URL = re.compile(r"(?:https?|ftp)://[^\s)>\]}\"'，。；）]+|www\.[^\s)>\]]+")
_LINK_TARGET = re.compile(r"\]\([^)\n]*\)|\]\[[^\]\n]*\]")
_HTML_TAG = re.compile(r"<[^<>\n]+>")
_ATTR_LIST = re.compile(r"\{:[^}\n]*\}")
_INDENTED_CODE = re.compile(r"(?:^|(?<=\n\n))(?:(?: {4}|\t)[^\n]*(?:\n|$))+", re.M)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


def _blank(match: re.Match) -> str:
    """The same length of spaces, newlines kept, so offsets and lines stay where they were."""
    found = match.group(0)
    if "\n" not in found:
        return " " * len(found)
    return "\n".join(" " * len(part) for part in found.split("\n"))


def blank_markdown(text: str) -> str:
    """Markdown with code, URLs, link targets and HTML tags blanked (same length, same lines)."""
    for pattern in (_FENCE, _INDENTED_CODE, _INLINE_CODE, _LINK_TARGET, _URL, _HTML_TAG, _ATTR_LIST):
        text = pattern.sub(_blank, text)
    return text


def _front_matter_allowed(meta: dict) -> tuple[Allowed, ...]:
    items = meta.get("proofread_allow") if isinstance(meta, dict) else None
    out = []
    for item in items if isinstance(items, list) else ():
        if isinstance(item, dict) and isinstance(item.get("text"), str):
            out.append(Allowed(item["text"], str(item.get("reason", ""))))
    return tuple(out)


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _split(raw: str) -> tuple[dict, str, int]:
    """(front matter, body, line of the body's first line) of a Markdown file.

    Only the keys proofreading reads (title, description, proofread_allow) matter, so the
    front matter is parsed only when it has them."""
    parts = split_front_matter(raw)
    if parts is None:
        return {}, raw, 1
    yaml_text, body, _ = parts
    if not any(key in yaml_text for key in ("proofread_allow", "title:", "description:")):
        return {}, body, yaml_text.count("\n") + 3
    try:
        meta = yaml.load(yaml_text, Loader=_YAML_LOADER) or {}
    except Exception:  # a broken front matter is MkDocs' (or the policy loader's) to report
        meta = {}
    return (meta if isinstance(meta, dict) else {}), body, yaml_text.count("\n") + 3


def page_texts(dataset, content_dir: Path, root: Path, skip: frozenset[str] = frozenset()) -> Iterator[Text]:
    """Policy bodies (their front matter is a record) and every other page of content/
    (but the files in skip)."""
    content_dir = Path(content_dir)
    display_prefix = _display(content_dir, root)
    # The run's listing of content/ (walk_files: symlinks are the loader's errors, not read).
    listing = dataset.content_listing(content_dir) if hasattr(dataset, "content_listing") else \
        sorted(content_dir.rglob("*.md"))
    prefix = str(content_dir).rstrip("/") + "/"
    for path in listing:
        text = str(path)
        if not text.endswith(".md"):
            continue
        src_uri = text[len(prefix):] if text.startswith(prefix) and "\\" not in text else path.relative_to(content_dir).as_posix()
        display = f"{display_prefix}{src_uri}"
        if display in skip:
            continue
        try:
            raw = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue  # the loader reports unreadable policy files; pages are MkDocs' concern
        page = dataset.policy_by_src.get(src_uri)
        if page is not None:  # the front matter is the PolicyDoc record, already walked
            body_line = raw.count("\n") - page.body.count("\n") + 1
            yield Text(display, body_line, "", page.body, _allowed_of(page.doc), False, verbatim=True,
                       root=root, kind="政策文件正文")
            continue
        meta, body, body_line = _split(raw)
        allowed = _front_matter_allowed(meta)
        for key in ("title", "description"):
            if isinstance(meta.get(key), str) and meta[key]:
                line = _key_line(raw, key)
                yield Text(display, line, key, meta[key], allowed, root=root, kind="页面")
        yield Text(display, body_line, "", body, allowed, verbatim=True, root=root, kind="页面")


def _key_line(raw: str, key: str) -> int:
    for number, line in enumerate(raw.splitlines(), 1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def _display(path: Path, root: Path) -> str:
    try:
        relative = Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        relative = Path(path).as_posix()
    return "" if relative in ("", ".") else relative + "/"


@lru_cache(maxsize=1)
def _template_texts() -> tuple[Text, ...]:
    out = []
    for path in sorted(TEMPLATE_DIR.glob("*.j2")):
        raw = path.read_text(encoding="utf-8")
        text = blank_markdown(_JINJA.sub(_blank, raw))
        # Most template lines are markup and code: keep only lines with Chinese text (the
        # line count, hence every finding's line, stays the same).
        text = "\n".join(line.strip() if max(line, default="") >= "\u3000" else "" for line in text.split("\n"))
        out.append(Text(f"{TEMPLATE_DISPLAY}/{path.name}", 1, "", text, verbatim=True, blanked=True, kind="模板"))
    return tuple(out)


def template_texts() -> Iterator[Text]:
    """The generated prose: the templates' static text (the same for every build)."""
    return iter(_template_texts())


def published_texts(dataset, content_dir: Path, include_templates: bool = True,
                    skip: frozenset[str] = frozenset()) -> Iterator[Text]:
    """Every published text: records, policy bodies, content pages, template prose; but
    those of the files in skip (whose findings the check has from its cache)."""
    root = Path(content_dir).parent
    _file_lines.cache_clear()  # `mkdocs serve` rebuilds after edits: never place by stale lines
    yield from record_texts(dataset, root, skip)
    yield from page_texts(dataset, Path(content_dir), root, skip)
    if include_templates:
        yield from template_texts()
