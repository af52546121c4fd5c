"""Theme rendering made cheaper without changing a byte: Material's primary navigation and
table of contents rendered once per distinct markup instead of once per page.

Material renders the whole navigation (partials/nav.html → nav-item.html macros) for every
page, and it was a third of the theme's time per page. Its markup depends on the page only
through the links' relative URLs, which nav entries are active and, on a page that is itself
a nav entry, that page's table of contents. overrides/partials/nav.html asks for a key made
of exactly those (the URLs as the `url` filter writes them for this page, the active flags),
includes Material's own partial on a miss and stores the result. A page that is a nav entry
is never cached (its entry shows its table of contents). The cache lives as long as the
theme environment, which MkDocs makes afresh for every build.

The table of contents (partials/toc.html, overridden the same way) depends on the page only
through page.toc: most item pages of a kind share their headings, so 580 pages have 30.

No mkdocs import: the adapter (hooks/column.py) calls install() from on_env.
"""
from __future__ import annotations

from pathlib import Path

import jinja2

NAV = "partials/nav.html"
TOC = "partials/toc.html"


def install(env: jinja2.Environment) -> None:
    """Give the theme environment the globals overrides/partials/nav.html uses."""
    url = env.filters["url"]
    markup: dict[tuple, str] = {}
    shapes: dict[int, tuple] = {}

    def shape(nav) -> tuple:
        """The nav's items (flattened) and the ids of its pages, computed once per nav."""
        known = shapes.get(id(nav))
        if known is None or known[0] is not nav:
            items = []
            stack = list(reversed(nav.items))
            while stack:
                item = stack.pop()
                items.append(item)
                stack.extend(reversed(item.children or ()))
            pages = frozenset(id(item) for item in items if getattr(item, "is_page", False))
            known = shapes[id(nav)] = (nav, tuple(items), pages)
        return known

    @jinja2.pass_context
    def nav_key(context) -> tuple | None:
        nav = context.get("nav")
        page = context.get("page")
        if not nav:
            return None
        _, items, pages = shape(nav)
        if page is not None and id(page) in pages:
            return None  # the page's own entry shows its table of contents: not shared
        config = context["config"]
        # Every URL nav.html and nav-item.html pass through the `url` filter, as written
        # for this page: pages in different folders get different relative links.
        targets = [getattr(item, "url", None) for item in items]
        targets += [config.extra.get("homepage"), nav.homepage.url if nav.homepage else None,
                    config.theme.get("logo")]
        return ("nav", id(nav), tuple(getattr(item, "active", None) for item in items),
                tuple(url(context, target) for target in targets if target))

    @jinja2.pass_context
    def toc_key(context) -> tuple | None:
        page = context.get("page")
        return None if page is None else _toc_key(page.toc)

    def cached(key: tuple | None) -> str | None:
        return None if key is None else markup.get(key)

    def store(key: tuple | None, html: str) -> str:
        if key is not None:
            markup[key] = html
        return html

    env.globals.update(campaign_nav_key=nav_key, campaign_nav_cached=cached, campaign_nav_store=store,
                       campaign_material_nav=_material(env, NAV),
                       campaign_toc_key=toc_key, campaign_material_toc=_material(env, TOC))


def _toc_key(toc) -> tuple | None:
    """What toc.html and toc-item.html print of a table of contents; None (not cached) if
    an entry carries what they would print that this key does not hold."""
    key = []
    for item in toc:
        if getattr(item, "typeset", None) is not None:
            return None
        children = _toc_key(item.children)
        if children is None:
            return None
        key.append((item.level, item.url, item.title, children))
    return ("toc", *key)


def _material(env: jinja2.Environment, name: str) -> jinja2.Template:
    """Material's own partial: the first one on the theme's search path that is not our
    override."""
    for directory in env.loader.searchpath:
        path = Path(directory) / name
        if path.is_file():
            source = path.read_text(encoding="utf-8")
            if "campaign_" not in source:
                return env.from_string(source)
    raise LookupError(f"no {name} of the theme's own")
