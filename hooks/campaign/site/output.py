"""Passes over the built pages: valid theme markup, the stylesheet bundle's name and the
Content-Security-Policy.

Pure functions on bytes and strings, so they are tested without MkDocs; the adapter runs
them in on_post_build over the files MkDocs wrote.
"""
from __future__ import annotations

import base64
import hashlib
import html
import re
from functools import lru_cache

CSP_PLACEHOLDER = "__CAMPAIGN_CSP__"

# --- Theme markup the Nu HTML checker rejects -----------------------------------------

# Material's hidden toggles carry autocomplete="off" (not allowed on checkboxes); the table
# of contents' title is a label for the "__toc" toggle, which only pages listed in the menu
# have.
_TOGGLE_AUTOCOMPLETE = re.compile(r'(<input class="md-(?:nav__)?toggle[^>]*?type="checkbox"[^>]*?) autocomplete="off"')
_TOC_LABEL = re.compile(r'<label class="md-nav__title" for="__toc">(.*?)</label>', re.S)


def tidy_theme_markup(page: str) -> str:
    """The page with the theme's invalid markup made valid; nothing a reader sees changes."""
    page = _TOGGLE_AUTOCOMPLETE.sub(r"\1", page)
    if 'id="__toc"' not in page:
        page = _TOC_LABEL.sub(r'<div class="md-nav__title">\1</div>', page)
    return page


# --- Stylesheet bundle -----------------------------------------------------------------


def bundle_name(text: str) -> str:
    """assets/site.<hash>.css: the name changes whenever the content does."""
    return f"assets/site.{hashlib.sha256(text.encode('utf-8')).hexdigest()[:10]}.css"


# --- Content-Security-Policy --------------------------------------------------------------

# Script types the browser does not execute (Material's JSON config) need no hash.
_DATA_TYPE = re.compile(r"""type=["']?(application/(?:ld\+)?json)""", re.I)
_SPACE = " \t\n\r\f"


@lru_cache(maxsize=1024)  # the theme's inline code is the same on every page
def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


# This pass runs on every page: plain str.find scanning, several times faster than regular
# expressions with lazy bodies. Tags are matched in lower case as MkDocs and Material write
# them; anything missed fails closed (the browser refuses code without a hash).
def _elements(page: str, name: str):
    """(position, attributes, body) of every <name ...>body</name> in the page."""
    opening, closing = f"<{name}", f"</{name}>"
    at = page.find(opening)
    while at != -1:
        after = at + len(opening)
        end = page.find(">", after)
        if end == -1:
            return
        if page[after] not in _SPACE + "/>":  # <scripts>, <styles…>: another tag
            at = page.find(opening, after)
            continue
        close = page.find(closing, end + 1)
        if close == -1:
            return
        yield at, page[after:end], page[end + 1:close]
        at = page.find(opening, close + len(closing))


def _style_attributes(page: str):
    """Values of style="…" and style='…' attributes (after whitespace, as in a tag)."""
    at = page.find("style=")
    while at != -1:
        quote_at = at + 6
        quote = page[quote_at:quote_at + 1]
        if at > 0 and page[at - 1] in _SPACE and quote in ('"', "'"):
            end = page.find(quote, quote_at + 1)
            if end == -1:
                return
            yield page[quote_at + 1:end]
            at = page.find("style=", end + 1)
        else:
            at = page.find("style=", quote_at)


def _article(page: str) -> tuple[int, int]:
    """Where the page body (Material's <article>) starts and ends; (-1, -1) without one.
    The last </article>: a body cannot end the real one early by writing its own."""
    start = page.find(_ARTICLE)
    end = page.rfind("</article>")
    return (start, end) if start != -1 and end > start else (-1, -1)


_ARTICLE = '<article class="md-content__inner'


def policy_for(page: str) -> str:
    """A policy that admits only this site's own files plus the page's own inline code.

    Scripts and <style> elements inside the page body are never hashed: the theme and the
    project emit none there, and editors' Markdown is sanitised, so one found there came
    from content and the browser must refuse it (defence in depth)."""
    start, end = _article(page)
    scripts = sorted({_sha256(body) for at, attrs, body in _elements(page, "script")
                      if not start < at < end and "src=" not in attrs and not _DATA_TYPE.search(attrs)})
    styles = sorted({_sha256(body) for at, _, body in _elements(page, "style") if not start < at < end})
    attrs = sorted({_sha256(html.unescape(value)) for value in _style_attributes(page)})
    style_src = ["'self'", *styles] + (["'unsafe-hashes'", *attrs] if attrs else [])
    # Pagefind's search runs WebAssembly: compiling it is allowed on the search page only.
    wasm = ["'wasm-unsafe-eval'"] if "data-site-search" in page else []
    return "; ".join([
        "default-src 'self'",
        "script-src " + " ".join(["'self'", *wasm, *scripts]),
        "style-src " + " ".join(style_src),
        # Material's icons are data: URIs inside its stylesheet.
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def apply_csp(page: str, enforce: bool = True) -> str:
    """Fill the placeholder the theme override left in <head>; pages without it stay as
    they are. enforce=False drops the policy (the preview server injects its own
    live-reload script, which no build-time hash can cover)."""
    if CSP_PLACEHOLDER not in page:
        return page
    if not enforce:
        return re.sub(r'\s*<meta http-equiv="Content-Security-Policy" content="__CAMPAIGN_CSP__">', "", page, count=1)
    # Hash the page as it will be served: the placeholder holds no script or style.
    policy = html.escape(policy_for(page), quote=False).replace('"', "&quot;")
    return page.replace(CSP_PLACEHOLDER, policy, 1)
