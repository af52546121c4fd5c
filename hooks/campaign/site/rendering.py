"""Jinja2 environment for generated pages, safe by default.

Generated pages are Markdown. Every value printed with {{ }} is escaped twice: for HTML
(so <script> stays text) and for Markdown (so [x](javascript:..) stays text); only
values already marked safe (our own fragments and links) pass unchanged.
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

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup

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
    if isinstance(value, Markup):
        return str(value)
    if isinstance(value, date):
        return zh_date(value)
    text = str(value)
    return text.translate(_ESCAPES) if _NEEDS_ESCAPE.search(text) else text


def html_escape(value: Any) -> Markup:
    """Escape text for raw HTML (attributes, SVG) where Markdown does not run."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(str(value), quote=True))


def paragraphs(value: str) -> Markup:
    """Multi-paragraph free text: blank lines separate paragraphs, each escaped."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", str(value or "")) if p.strip()]
    return Markup("\n\n".join(str(md_escape(p)) for p in parts))


def relative(from_src: str, to_src: str) -> str:
    """Relative link between two source files, as MkDocs resolves Markdown links."""
    return _relative_from_dir(from_src.rpartition("/")[0], to_src)


@lru_cache(maxsize=1 << 16)  # pages share a few folders and link to the same targets
def _relative_from_dir(from_dir: str, to_src: str) -> str:
    """Same result as posixpath.relpath(to_src, from_dir) for paths inside the docs dir,
    without its getcwd()/abspath per call: this runs for every link on every page."""
    start = [p for p in posixpath.normpath(from_dir or ".").split("/") if p != "."]
    target = [p for p in posixpath.normpath(to_src).split("/") if p != "."]
    common = 0
    for a, b in zip(start, target):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(start) - common) + target[common:]) or "."


@pass_context
def link(context: Any, to_src: str, text: Any, anchor: str = "") -> Markup:
    here = context["here"]
    target = relative(here, to_src) + (f"#{anchor}" if anchor else "")
    return Markup(f"[{md_escape(text)}]({target})")


@pass_context
def href(context: Any, to_src: str) -> str:
    return relative(context["here"], to_src)


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


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
        auto_reload=False,  # templates do not change during a build: no stat() per page
    )
    env.filters.update(md=md_escape, h=html_escape, paras=paragraphs, zh_date=zh_date, percent=percent)
    env.globals.update(link=link, href=href, front_matter=front_matter, unit_link=unit_link,
                       unit_links=unit_links, sample_badge=sample_badge,
                       sample_mark=sample_mark)
    from campaign.site import cells, tables  # both build on this module's helpers
    env.globals.update(cells.GLOBALS)
    env.globals.update(tables.GLOBALS)
    return env


_ENV: Environment | None = None


def render(template: str, **context: Any) -> str:
    global _ENV
    if _ENV is None:
        _ENV = make_environment()
    return _ENV.get_template(template).render(**context)
