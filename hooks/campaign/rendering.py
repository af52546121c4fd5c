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
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup

from .dates import zh_date

TEMPLATES = Path(__file__).parent / "templates"
# Exactly Python-Markdown's escapable characters (plus | from the tables extension):
# a backslash before any other character would show on the page.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def md_escape(value: Any) -> Markup:
    """Escape text for a Markdown paragraph or table cell (HTML first, then Markdown)."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, date):
        return Markup(zh_date(value))
    text = html.escape(str(value), quote=False)
    text = text.replace("\r", "").replace("\n", " ")
    # Entities (&lt; &gt; &amp;) hold no Markdown specials, so escaping after is safe.
    return Markup(_MD_SPECIAL.sub(r"\\\1", text))


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
    """Relative link between two source files, as MkDocs resolves Markdown links.

    Same result as posixpath.relpath(to_src, dirname(from_src)) for paths inside the docs
    dir, without its getcwd()/abspath per call: this runs for every link on every page."""
    start = [p for p in posixpath.normpath(posixpath.dirname(from_src) or ".").split("/") if p != "."]
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
    )
    env.filters.update(md=md_escape, h=html_escape, paras=paragraphs, zh_date=zh_date, percent=percent)
    env.globals.update(link=link, href=href, front_matter=front_matter)
    return env


_ENV: Environment | None = None


def render(template: str, **context: Any) -> str:
    global _ENV
    if _ENV is None:
        _ENV = make_environment()
    return _ENV.get_template(template).render(**context)
