"""Jinja2 environments for generated pages, safe by default.

A template named *.html.j2 renders a page as HTML, which MkDocs takes as the page's content
without a Markdown pass (the adapter, html_pages.py): every value printed with {{ }} is
HTML-escaped, links are final relative URLs (MkDocs' rule, routes.url) and headings carry
the ids the toc extension would give them. A *.md.j2 template renders Markdown, which
MkDocs converts: every value is escaped twice, for HTML (so <script> stays text) and for
Markdown (so [x](javascript:..) stays text). Only values already marked safe (our own
fragments and links) pass unchanged. The shared helpers (links, tables, cells) read the
context's `as_html` to write one or the other.
"""
from __future__ import annotations

import html
import json
import posixpath
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup
from pymdownx.slugs import slugify

from campaign import routes

from campaign.records.dates import zh_date

TEMPLATES = Path(__file__).parent / "templates"
# Exactly Python-Markdown's escapable characters (plus | from the tables extension):
# a backslash before any other character would show on the page.
_MD_SPECIAL = "\\`*_{}[]()#+-.!|"
# One pass does it all: HTML's & < > (entities hold no Markdown specials), the Markdown
# specials, and line breaks folded so a value stays inside its paragraph or table cell.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": None, "\n": " ",
                          **{c: "\\" + c for c in _MD_SPECIAL}})
# Most values (Chinese names, dates) hold none of them: a search is cheaper than translate,
# which looks up every character of non-ASCII text.
_NEEDS_ESCAPE = re.compile("[" + re.escape(_MD_SPECIAL + "&<>\r\n") + "]")


def md_escape(value: Any) -> Markup:
    """Escape text for a Markdown paragraph or table cell (HTML first, then Markdown)."""
    if isinstance(value, Markup):
        return value
    return Markup(md_text(value))


def md_text(value: Any) -> str:
    """md_escape's text as a plain str, for cells composed in Python (tables.py)."""
    return _escaped(value, _ESCAPES, _NEEDS_ESCAPE)


def _escaped(value: Any, table: dict, needs: re.Pattern) -> str:
    # Markup passes as it is; dates in Chinese; other values escaped only if they need it.
    if isinstance(value, Markup):
        return str(value)
    if isinstance(value, date):
        return zh_date(value)
    text = str(value)
    return text.translate(table) if needs.search(text) else text


# HTML text: & < > " ' escaped, line breaks folded like md_text (a value stays in its cell).
_HTML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;",
                               "\r": None, "\n": " "})
_HTML_NEEDS_ESCAPE = re.compile("[&<>\"'\r\n]")


def html_text(value: Any) -> str:
    """A value as HTML text (md_text's counterpart for HTML pages), as a plain str."""
    return _escaped(value, _HTML_ESCAPES, _HTML_NEEDS_ESCAPE)


def h_text(value: Any) -> Markup:
    """html_text as Markup: the HTML environment's finalize and `md` filter."""
    if isinstance(value, Markup):
        return value
    return Markup(html_text(value))


def text(context: Any, value: Any) -> str:
    """A value escaped for the page being rendered: HTML or Markdown."""
    return html_text(value) if context.get("as_html") else md_text(value)


def html_escape(value: Any) -> Markup:
    """Escape text for raw HTML (attributes, SVG) where Markdown does not run."""
    if isinstance(value, Markup):
        return value
    if type(value) is int or type(value) is float:  # chart coordinates: nothing to escape
        return Markup(str(value))
    return Markup(html.escape(str(value), quote=True))


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def paragraphs(value: str) -> Markup:
    """Multi-paragraph free text: blank lines separate paragraphs, each escaped."""
    parts = [p.strip() for p in _PARAGRAPH_BREAK.split(str(value or "")) if p.strip()]
    return Markup("\n\n".join(str(md_escape(p)) for p in parts))


def html_paragraphs(value: str) -> list[Markup]:
    """paragraphs for HTML pages: each paragraph's escaped text (the template wraps them,
    as Markdown joined the first one to the bold label before it)."""
    return [h_text(p.strip()) for p in _PARAGRAPH_BREAK.split(str(value or "")) if p.strip()]


def relative(from_src: str, to_src: str) -> str:
    """Relative link between two source files, as MkDocs resolves Markdown links."""
    return _relative_from_dir(from_src.rpartition("/")[0], to_src)


@lru_cache(maxsize=1 << 16)  # pages share a few folders and link to the same targets
def _relative_from_dir(from_dir: str, to_src: str) -> str:
    """Same result as posixpath.relpath(to_src, from_dir) for paths inside the docs dir,
    without its getcwd()/abspath per call: this runs for every link on every page."""
    start, target = _parts(from_dir), _parts(to_src)
    common = 0
    for a, b in zip(start, target):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(start) - common) + list(target[common:])) or "."


@lru_cache(maxsize=1 << 16)
def _parts(path: str) -> tuple[str, ...]:
    # A folder's or file's path segments, normalised ("" is the docs dir itself).
    return tuple(p for p in posixpath.normpath(path or ".").split("/") if p != ".")


# MkDocs' use_directory_urls, set by the adapter from the configuration before pages
# render: HTML pages link to final addresses, which depend on it.
_URLS = {"directory": True}


def set_directory_urls(flag: bool) -> None:
    _URLS["directory"] = bool(flag)


def directory_urls() -> bool:
    return _URLS["directory"]


def page_href(from_src: str, to_src: str) -> str:
    """The relative URL MkDocs writes for a Markdown link from page from_src to to_src
    (a page's .md source or any other file): both by their final addresses."""
    return _page_href(from_src, to_src, _URLS["directory"])


# Every page links to the same few hundred targets, from pages in the same folders.
_url = lru_cache(maxsize=1 << 16)(routes.url)


# Per pair of pages: reused within a page and its neighbours, not across a whole province.
@lru_cache(maxsize=1 << 12)
def _page_href(from_src: str, to_src: str, directory: bool) -> str:
    # mkdocs.utils.get_relative_url(target.url, page.url), without importing mkdocs.
    here = _url(from_src, directory)
    target = _url(to_src, directory) if to_src.endswith(".md") else to_src
    base = here.rpartition("/")[0]  # the page's folder ("" at the root)
    relurl = _relative_from_dir(base, target.rstrip("/") or ".")
    return relurl + "/" if target.endswith("/") or not target else relurl


@pass_context
def link(context: Any, to_src: str, text: Any, anchor: str = "") -> Markup:
    here = context["here"]
    if context.get("as_html"):
        target = page_href(here, to_src) + (f"#{anchor}" if anchor else "")
        return Markup(f'<a href="{html.escape(target)}">{html_text(text)}</a>')
    target = relative(here, to_src) + (f"#{anchor}" if anchor else "")
    return Markup(f"[{md_escape(text)}]({target})")


@pass_context
def href(context: Any, to_src: str) -> str:
    if context.get("as_html"):
        return page_href(context["here"], to_src)
    return relative(context["here"], to_src)


class Headings:
    """The ids of one HTML page's headings, given as the toc extension gives them
    (pymdownx slugify, lower case; _1, _2 … for repeats), so shared links keep working."""

    __slots__ = ("used",)

    def __init__(self) -> None:
        self.used: set[str] = set()

    def heading(self, level: int, inner: Any, anchor: str | None = None) -> Markup:
        inner = h_text(inner)
        if anchor is None:
            anchor = _unique(_SLUGIFY(html.unescape(strip_tags(inner)), "-"), self.used)
        else:
            anchor = str(anchor)
            self.used.add(anchor)
        return Markup(f'<h{level} id="{html.escape(anchor)}">{inner}</h{level}>')


_SLUGIFY = slugify(case="lower")
_TAG = re.compile(r"<[^>]*>")


def strip_tags(inner: str) -> str:
    """A heading's text as the toc extension names it: tags removed, spaces collapsed."""
    return " ".join(_TAG.sub("", str(inner)).split())


def _unique(anchor: str, used: set[str]) -> str:
    if anchor in used or not anchor:
        count = 1
        while f"{anchor}_{count}" in used:
            count += 1
        anchor = f"{anchor}_{count}"
    used.add(anchor)
    return anchor


@pass_context
def heading(context: Any, level: int, inner: Any, anchor: str | None = None) -> Markup:
    """<hN id=…>: in an HTML template, `{{ heading(2, "任务") }}` for Markdown's `## 任务`."""
    return context["headings"].heading(level, inner, anchor)


@pass_context
def unit_link(context: Any, unit_id: str) -> Markup:
    """A unit's short name linked to its page (Python, not a macro: it runs on every page)."""
    return link(context, context["unit_src"](unit_id), context["units"][unit_id].short)


@pass_context
def unit_links(context: Any, ids: list[str], all_action_leads: bool = False) -> Markup:
    """Units joined with 、; 各专项行动牵头单位 when the plan names them all; 方案未明确 if none."""
    parts = [str(unit_link(context, u)) for u in ids]
    if all_action_leads:
        parts.append("各专项行动牵头单位")
    return Markup("、".join(parts) if parts else "方案未明确")


def sample_badge(record: Any) -> Markup:
    """The visible 示例 mark on a sample record."""
    if getattr(record, "sample", False):
        return Markup(' <span class="badge badge-sample" title="方案未载明，为演示编写">示例</span>')
    return Markup("")


def sample_mark(flag: Any) -> Markup:
    """The 示例 mark on a figure derived from sample data (flag true)."""
    return sample_badge(_SAMPLE) if flag else Markup("")


class _Sample:
    sample = True


_SAMPLE = _Sample()


def percent(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f}%" if float(value).is_integer() else f"{value:.1f}%"


def front_matter(**fields: Any) -> Markup:
    """YAML front matter with JSON-quoted values (valid YAML, no injection)."""
    lines = ["---"]
    for key, value in fields.items():
        if value is None:
            continue
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return Markup("\n".join(lines) + "\n\n")


def _finalize(value: Any) -> Any:
    return md_escape(value) if value is not None else ""


def _finalize_html(value: Any) -> Any:
    return h_text(value) if value is not None else ""


def disk_bytecode_cache() -> BytecodeCache | None:
    """Compiled templates kept between builds in Jinja's own per-user cache folder (it
    refuses one another user owns or can write); each entry is checked against the
    template's source, so an edited template is compiled afresh. None where there is no
    such folder: templates are then compiled every build."""
    try:
        return FileSystemBytecodeCache()
    except (RuntimeError, OSError):
        return None


def make_environment(as_html: bool = False) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        finalize=_finalize_html if as_html else _finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
        auto_reload=False,  # templates do not change during a build: no stat() per page
        bytecode_cache=disk_bytecode_cache(),
    )
    env.filters.update(md=h_text if as_html else md_escape, h=html_escape,
                       paras=html_paragraphs if as_html else paragraphs, zh_date=zh_date, percent=percent)
    env.globals.update(link=link, href=href, front_matter=front_matter, unit_link=unit_link, heading=heading,
                       unit_links=unit_links, sample_badge=sample_badge,
                       sample_mark=sample_mark)
    from campaign.site import cells, tables  # both build on this module's helpers
    env.globals.update(cells.GLOBALS)
    env.globals.update(tables.GLOBALS)
    return env


_ENVS: dict[bool, Environment] = {}


def is_html(template: str) -> bool:
    """Whether a page template writes HTML (*.html.j2) rather than Markdown (*.md.j2)."""
    return template.endswith(".html.j2")


def render(template: str, **context: Any) -> str:
    as_html = is_html(template)
    env = _ENVS.get(as_html)
    if env is None:
        env = _ENVS[as_html] = make_environment(as_html)
    if as_html:
        context.setdefault("headings", Headings())
    return env.get_template(template).render(as_html=as_html, **context)
