"""Generated pages written as HTML: what MkDocs needs of them besides the HTML itself.

A page from a *.html.j2 template (GeneratedPage.html) is already the HTML that MkDocs'
Markdown pass would make of it; the adapter hands it over as the page's content and asks
here for the rest: the table of contents (Material's right-hand column) from the headings
the templates wrote (rendering.Headings gave them the toc extension's ids), and the ids on
the page, which MkDocs checks links from other pages' anchors against.
"""
from __future__ import annotations

import html
import re

from campaign.site.rendering import strip_tags

_HEADING = re.compile(r'<h([1-6]) id="([^"]*)">(.*?)</h\1>', re.DOTALL)
_ID = re.compile(r'\sid="([^"]*)"')


def toc_tokens(content: str) -> list[dict]:
    """The toc extension's tokens (level, id, name, children) for the page's headings."""
    flat = [{"level": int(level), "id": html.unescape(anchor), "name": strip_tags(inner), "html": inner,
             "data-toc-label": "", "children": []}
            for level, anchor, inner in _HEADING.findall(content)]
    return _nest(flat)


def _nest(flat: list[dict]) -> list[dict]:
    # markdown.extensions.toc.nest_toc_tokens, for headings in document order: each one goes
    # under the nearest earlier heading of a higher level, or at the top.
    top: list[dict] = []
    stack: list[dict] = []
    for token in flat:
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else top).append(token)
        stack.append(token)
    return top


def anchor_ids(content: str) -> set[str]:
    """Every id on the page (links from other pages may point at any of them)."""
    return {html.unescape(anchor) for anchor in _ID.findall(content)}


class AnchorIds:
    """A set of ids held as one string, for `in` (what MkDocs asks of a page's anchors)."""

    __slots__ = ("_text",)

    def __init__(self, ids) -> None:
        ids = sorted(ids)  # an id never holds a line break
        self._text = "\n" + "\n".join(ids) + "\n" if ids else "\n"

    def __contains__(self, anchor: object) -> bool:
        return isinstance(anchor, str) and "\n" not in anchor and f"\n{anchor}\n" in self._text

    def __iter__(self):
        return iter(self._text.split("\n")[1:-1])

    def __len__(self) -> int:
        return self._text.count("\n") - 1
