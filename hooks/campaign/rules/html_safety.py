"""Editors' Markdown and text: no active HTML, no links or images leaving the column.

Python-Markdown passes raw HTML through, so an editor's page could run a script, frame
another site or redirect readers; links may only leave the column for the hosts in
data/site.yml `outbound_allowlist`, and no image is loaded from outside (PORTAL-RULES 10).
This check reports each case with file and line, so `./column check` and the build stop
on it; the adapter also sanitises the rendered pages (site/sanitizer.py) as a second line.

Every .md file under content/ is read through yamlsource (size limit, encoding, control
characters, symlinks); their front matter is read by the loader (policies) and by
check.py (other pages) with the same bounded YAML reader, before MkDocs sees it.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

from pydantic import BaseModel

from campaign.records.loading import Dataset
from campaign.records.filecache import MISSING, settings_key
from campaign.records.problems import Problem, Problems
from campaign.records.yamlsource import read_text, split_front_matter, walk_files

# Elements that run code, embed or frame other documents, submit data, redirect the page
# or restyle it (a <style> would be hashed into the page's CSP like our own).
DANGEROUS_TAGS = {
    "script": "脚本", "iframe": "内嵌框架", "frame": "框架", "frameset": "框架", "object": "嵌入对象",
    "embed": "嵌入对象", "applet": "嵌入程序", "form": "表单", "meta": "页面元信息（可用来跳转到其他网站）",
    "link": "外部资源链接", "base": "基础地址", "style": "样式表", "portal": "内嵌页面",
    "foreignobject": "SVG 内嵌网页",
}
# Files MkDocs would copy into site/ as they are, where a browser runs their scripts.
PAGE_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".xht"}
# Attributes holding a URL that the browser follows or loads.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "background", "xlink:href", "srcset", "cite"}
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}

_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
# [text](target …) and ![alt](target …); the target may be in <…>.
_MD_LINK = re.compile(r"(!?)\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\(\s*(<[^>\n]*>|[^\s)]+)")
# [label]: target (reference definitions).
_MD_REFERENCE = re.compile(r"(?m)^ {0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)")
# <scheme:…> autolinks.
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>")
# Whitespace and control characters browsers drop from URLs (java&#9;script:).
_URL_JUNK = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")

ALLOWLIST_HINT = "data/site.yml 的 outbound_allowlist（允许链接的外部网站）"


def check_html_safety(dataset: Dataset, problems: Problems) -> None:
    """Errors for active HTML and outbound links in content/**/*.md and record texts.

    What this finds in one file depends only on its bytes, the allowlist and the limits:
    with the check's cache (records/filecache.py) a file read before is not scanned again."""
    allowlist = set(dataset.site.outbound_allowlist)
    settings = settings_key(sorted(allowlist), dataset.limits, dataset.as_of_override)
    if dataset.content_dir is not None:
        _check_content(dataset, Path(dataset.content_dir), allowlist, problems, settings)
    _check_records(dataset, problems, settings)


# --- content/**/*.md ------------------------------------------------------------------------


def _check_content(dataset: Dataset, content_dir: Path, allowlist: set[str], problems: Problems,
                   settings: str) -> None:
    root = content_dir.parent
    known = set(problems.items)  # the loader already read the policies: no second report
    cache = dataset.cache
    for path in dataset.content_listing(content_dir):
        suffix = path.suffix.lower()
        if suffix in PAGE_SUFFIXES:
            problems.add(_display(path, root), None, "", "content/ 里不能放网页文件：它会原样发布，绕过所有检查。"
                         "请把内容写成 Markdown（.md）页面。")
            continue
        if suffix not in (".svg", ".md"):
            continue
        display = _display(path, root)
        # The loader read the policies this run: their hash is known, no second read.
        key = cache.key_of(display) if cache.enabled else None
        raw = None
        if key is None and cache.enabled:
            read = cache.read(path, display, dataset.limits.file_kb * 1024)
            key, raw = read if read is not None else (None, None)
        found = cache.get(display, key, "html", settings)
        if found is MISSING:
            if raw is None and key is not None:  # hashed apart, unchanged: read now (verified)
                raw = cache.fetch(path, display, key, dataset.limits.file_kb * 1024)
                key = cache.key_of(display)
            found = _scan_file(path, display, suffix, allowlist, dataset, raw)
            cache.put(display, key, "html", settings, found)
        problems.items += [p for p in found if p not in known]


def _scan_file(path: Path, display: str, suffix: str, allowlist: set[str], dataset: Dataset,
               raw: bytes | None) -> list:
    found = Problems()
    text = read_text(path, display, found, dataset.limits, raw=raw)
    if text is None:
        return found.items
    if suffix == ".svg":  # an image, but opened on its own it runs its scripts
        scanner = _HtmlScanner(display, allowlist, found, 0)
        scanner.feed(text)
        scanner.close()
        return found.items
    offset = 0
    parts = split_front_matter(text)  # front matter: check.py and the loader read it
    if parts is not None:
        yaml_text, _, first = parts
        offset = first + yaml_text.count("\n") + 1
        body = "".join(text.splitlines(keepends=True)[offset:])
    else:
        body = text
    scan_markdown(body, display, allowlist, found, line_offset=offset)
    return found.items


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


# Python-Markdown's inline parser is quadratic in unclosed brackets ("[" × 5000 takes a
# minute) and recursive in nesting (300 list levels or 20 000 "*" raise RecursionError):
# bounds far beyond any real page keep the build short and free of tracebacks.
MAX_BRACKETS_PER_PARAGRAPH = 300
MAX_BRACKETS_PER_FILE = 3000
MAX_INDENT = 80
MAX_EMPHASIS_RUN = 100
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_INDENT = re.compile(r"(?m)^[ \t>]{%d,}" % (MAX_INDENT + 1))
_EMPHASIS_RUN = re.compile(r"\*{%d,}|_{%d,}" % (MAX_EMPHASIS_RUN + 1, MAX_EMPHASIS_RUN + 1))


def markdown_within_bounds(text: str, display: str, problems: Problems, line_offset: int = 0) -> bool:
    """False (and problems by line) for Markdown too nested or bracketed to render in time."""
    ok = True

    def line_at(index: int) -> int:
        return text.count("\n", 0, index) + 1 + line_offset

    if text.count("[") > MAX_BRACKETS_PER_FILE:
        problems.add(display, None, "", f"方括号“[”太多（{text.count('['):,} 个，上限 {MAX_BRACKETS_PER_FILE:,} 个），"
                     "页面无法在合理时间内生成。请检查是否误粘贴了内容，或把页面拆成几页。")
        ok = False
    start = 0
    for paragraph in _PARAGRAPH.split(text):
        if paragraph.count("[") > MAX_BRACKETS_PER_PARAGRAPH:
            problems.add(display, line_at(text.find(paragraph, start)), "",
                         f"这一段的方括号“[”太多（超过 {MAX_BRACKETS_PER_PARAGRAPH} 个），页面无法在合理时间内生成。请检查是否误粘贴了内容。")
            ok = False
        start += len(paragraph)
    for match in _INDENT.finditer(text):
        problems.add(display, line_at(match.start()), "", f"缩进或引用层次太深（行首超过 {MAX_INDENT} 个空格或“>”）。"
                     "Markdown 的列表和引用只需要几层，请检查缩进。")
        ok = False
        break
    for match in _EMPHASIS_RUN.finditer(text):
        problems.add(display, line_at(match.start()), "", f"连续的“{match.group()[0]}”太多（超过 {MAX_EMPHASIS_RUN} 个）。"
                     "加粗、斜体只需要两三个，请删除多余的。")
        ok = False
        break
    return ok


def scan_markdown(text: str, display: str, allowlist: set[str], problems: Problems, line_offset: int = 0) -> None:
    """Report Markdown beyond the bounds, dangerous raw HTML and links or images leaving
    the column, by line."""
    if not markdown_within_bounds(text, display, problems, line_offset):
        return
    masked = mask_code(text)

    def line_at(index: int) -> int:
        return masked.count("\n", 0, index) + 1 + line_offset

    for match in _MD_LINK.finditer(masked):
        target = match.group(2).strip("<>")
        _check_url(target, match.group(1) == "!", display, line_at(match.start(2)), allowlist, problems)
    for match in _MD_REFERENCE.finditer(masked):
        _check_url(match.group(1).strip("<>"), False, display, line_at(match.start(1)), allowlist, problems)
    for match in _AUTOLINK.finditer(masked):
        _check_url(match.group(1), False, display, line_at(match.start(1)), allowlist, problems)
    scanner = _HtmlScanner(display, allowlist, problems, line_offset)
    scanner.feed(masked)
    scanner.close()


def mask_code(text: str) -> str:
    """Text with fenced code blocks and inline code blanked out (line breaks kept): HTML
    or links shown as code are text on the page, not markup."""
    lines = text.splitlines(keepends=True)
    fence: str | None = None
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence is None:
            if match:
                fence = match.group(1)
                lines[index] = _blank(line)
        else:
            lines[index] = _blank(line)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) \
                    and not line[match.end():].strip():
                fence = None
    joined = "".join(lines)
    return _INLINE_CODE.sub(lambda m: _blank(m.group()), joined)


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def _check_url(raw: str, is_image: bool, display: str, line: int, allowlist: set[str], problems: Problems) -> None:
    url = _URL_JUNK.sub("", html.unescape(raw))
    if not url or url.startswith("#"):
        return
    scheme = _SCHEME.match(url)
    if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
        if not (is_image and url.lower().startswith(("data:image/png", "data:image/jpeg", "data:image/gif"))):
            problems.add(display, line, "", f"链接地址以「{scheme.group(1)}:」开头，可能在读者的浏览器里执行代码或打开本地内容，不允许使用。"
                         "请改为 http(s) 网址或专栏内的相对路径。")
        return
    if not (scheme or url.startswith("//")):
        return  # a page or file of the column itself
    if scheme and scheme.group(1).lower() in ("mailto", "tel"):
        return
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        host = ""
    if is_image:
        problems.add(display, line, "", f"图片来自外部网站「{host or url}」。专栏不加载外部网站的任何资源，"
                     "请把图片保存到 content/assets/ 下，用相对路径引用。")
    elif host not in allowlist:
        problems.add(display, line, "", f"链接到外部网站「{host or url}」，它不在 {ALLOWLIST_HINT}中。"
                     "请改用专栏内的页面或允许的网站；确需链接时，请管理员把该域名加入 outbound_allowlist。")


class _HtmlScanner(HTMLParser):
    """Raw HTML in Markdown: tags that run or embed, event handlers, URLs."""

    def __init__(self, display: str, allowlist: set[str], problems: Problems, line_offset: int):
        super().__init__(convert_charrefs=True)
        self.display = display
        self.allowlist = allowlist
        self.problems = problems
        self.line_offset = line_offset

    def _line(self) -> int:
        return self.getpos()[0] + self.line_offset

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self._line()
        if tag in DANGEROUS_TAGS:
            self.problems.add(self.display, line, "", f"不允许在页面中写 <{tag}>（{DANGEROUS_TAGS[tag]}）：它会在读者的浏览器里运行、"
                              "嵌入或跳转到其他内容。请删除；需要的版式请用 Markdown 写。")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.add(self.display, line, "", f"<{tag}> 带有事件属性「{name}」，会在读者的浏览器里执行代码。请删除这个属性。")
            elif name in URL_ATTRIBUTES and value:
                for url in (value.split(",") if name == "srcset" else [value]):
                    target = url.strip().split(" ")[0] if name == "srcset" else url
                    _check_url(target, tag in ("img", "source", "picture", "video", "audio") and name != "href",
                               self.display, line, self.allowlist, self.problems)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


# --- record texts ---------------------------------------------------------------------------


_UNSEEN = object()


def _check_records(dataset: Dataset, problems: Problems, settings: str) -> None:
    """Record texts are printed escaped, so their HTML is shown as text; an element that
    would run or embed something is still refused: it was pasted from somewhere else."""
    cache = dataset.cache
    by_file: dict[str, list | None] = dict.fromkeys(cache.empty_parts("html-records", settings))  # served
    for top in _tops(dataset):
        where = dataset.where.get(id(top))
        if where is None:
            continue
        found = by_file.get(where.file, _UNSEEN)
        if found is _UNSEEN:
            key = cache.key_of(where.file) if cache.enabled else None
            stored = cache.get(where.file, key, "html-records", settings)
            if stored is not MISSING:
                problems.items += stored
                by_file[where.file] = None  # served from the cache
                continue
            found = by_file[where.file] = []
        elif found is None:
            continue
        for record in _walk(top):
            where = dataset.where.get(id(record))
            if where is None:
                continue
            for name, value in _texts(record):
                for match in _DANGEROUS_IN_TEXT.finditer(value):
                    what = match.group(1) or match.group(2) or match.group(3)
                    found.append(Problem(where.file, where.line(name), name,
                                         f"内容里有网页代码「{what}」。这里只填文字，不能包含 <script>、<iframe> 等标签、"
                                         "事件属性或 javascript: 链接，请删除。"))
                    break
    for file, found in by_file.items():
        if found is not None:
            problems.items += found
            if cache.enabled:
                cache.put(file, cache.key_of(file), "html-records", settings, found)


_DANGEROUS_IN_TEXT = re.compile(
    r"(?i)(<\s*/?\s*(?:" + "|".join(DANGEROUS_TAGS) + r")\b)|<[a-z][^<>]*?[\s/\"'](on[a-z]+)\s*=|((?:java|vb)script\s*:)")


def _tops(dataset: Dataset) -> list[Any]:
    """The records read from files (each with its nested records)."""
    return [dataset.site, dataset.leadership, dataset.plan, *dataset.unit_list, *dataset.action_list,
            *dataset.reports, *dataset.cases, *(p.doc for p in dataset.policies),
            *dataset.publicity_weeks, *dataset.surveys, *dataset.cleanup]


def _records(dataset: Dataset) -> Iterator[BaseModel]:
    for top in _tops(dataset):
        yield from _walk(top)


def _walk(top: BaseModel) -> Iterator[BaseModel]:
    stack = [top]
    while stack:
        record = stack.pop()
        yield record
        for name in type(record).model_fields:
            value = getattr(record, name)
            if isinstance(value, BaseModel):
                stack.append(value)
            elif isinstance(value, list):
                stack.extend(item for item in value if isinstance(item, BaseModel))


def _texts(record: BaseModel) -> Iterator[tuple[str, str]]:
    for name in type(record).model_fields:
        value = getattr(record, name)
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, str) and ("<" in item or ":" in item):
                yield name, item
