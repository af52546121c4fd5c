"""Editors' Markdown pages reduced to a safe allowlist of HTML, with nh3 (Ammonia).

Python-Markdown passes raw HTML through, so a policy page could carry <script>, an
<iframe> or an onclick. The check (rules/html_safety.py) reports those with file and
line; this is the second line: whatever reaches a page from editors' Markdown holds
only the tags and attributes our own Markdown output needs.

A page that the sanitiser leaves unchanged keeps its exact bytes (nh3 re-serialises
HTML: <br /> becomes <br>): both are tokenised and compared, and the original is kept
only when the tokens are the same, so nothing it would remove can survive.
"""
from __future__ import annotations

from html.parser import HTMLParser

import nh3

# What Python-Markdown, its extensions in mkdocs.yml (tables, attr_list, md_in_html,
# admonition, toc) and our own decorations of policy pages write.
TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "time", "tr", "u", "ul", "var",
}
GENERIC_ATTRIBUTES = {"class", "id", "title", "lang", "dir", "role", "aria-label", "aria-hidden",
                      "aria-describedby", "aria-labelledby"}
ATTRIBUTES = {
    "*": GENERIC_ATTRIBUTES,
    "a": {"href", "hreflang", "type", "download"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "align", "scope", "style"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "details": {"open"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "del": {"datetime"},
    "ins": {"datetime"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Only table alignment (Python-Markdown's tables write style="text-align: …").
STYLE_PROPERTIES = {"text-align"}


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    # Nothing is loaded from outside the site (PORTAL-RULES 10): an image from another
    # host is dropped, as the CSP would block it anyway.
    if tag == "img" and attribute == "src" and (value.lstrip().startswith("//") or ":" in value.split("/", 1)[0]):
        return None
    return value


def clean(html: str) -> str:
    """The page body with only allowlisted tags, attributes and URL schemes."""
    return nh3.clean(
        html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=None,
        strip_comments=True, filter_style_properties=STYLE_PROPERTIES, attribute_filter=_attribute_filter,
    )


def sanitize(html: str) -> str:
    """clean(html), or html itself (same bytes) when cleaning removes nothing."""
    cleaned = clean(html)
    if cleaned == html or _loose(cleaned) == _loose(html):
        return html
    original = _tokens(html)
    if original is not None and original == _tokens(cleaned):
        return html
    return cleaned


def _loose(html: str) -> str:
    # What nh3's re-serialisation of Python-Markdown's output changes without changing the
    # document: void tags written "<br />" and the <tbody> the HTML parser adds around rows.
    # Equal after this, the two differ in nothing else, so nothing cleaning removed is in
    # the original; a quick test before comparing parsed tokens (which takes much longer).
    return html.replace(" />", ">").replace("<tbody>", "").replace("</tbody>", "")


class _Tokens(HTMLParser):
    """Start tags with their attributes, and text, in order; None on anything unusual
    (comments, declarations, processing instructions), which then counts as different."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple] = []
        self.unusual = False

    def _text(self, data: str) -> None:
        if self.items and self.items[-1][0] == "text":
            self.items[-1] = ("text", self.items[-1][1] + data)
        else:
            self.items.append(("text", data))

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":  # the HTML parser adds it around rows written without one
            return
        self.items.append(("start", tag, tuple(sorted((k, v or "") for k, v in attrs))))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        # End tags decide nesting only; the HTML parser adds those left implied (</p>).
        pass

    def handle_data(self, data):
        self._text(data)

    def handle_comment(self, data):
        self.unusual = True

    def handle_decl(self, decl):
        self.unusual = True

    def handle_pi(self, data):
        self.unusual = True

    def unknown_decl(self, data):
        self.unusual = True


def _tokens(html: str) -> list[tuple] | None:
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    return None if parser.unusual else parser.items
