"""Tap to call: the complaint line as a tel: link wherever it appears on a page.

The number shows up in prose the editors and the plan wrote ("依托县民调中心441111热线"), in
tables (a case's source "441111热线") and in the templates; a pass over each page's
content HTML makes every occurrence a link, so none is missed. Text already inside a link,
the page title, code or a script stays as it is.
"""
from __future__ import annotations

import re

from campaign.records import models as m

# Inside these the number stays plain text.
_SKIP = {"a", "code", "pre", "script", "style", "h1", "title", "textarea", "svg", "button", "label"}
_SKIP_TAG = re.compile(r"<(/?)(?:" + "|".join(sorted(_SKIP)) + r")(?=[\s/>])[^>]*>", re.I)


def tel_href(number: str) -> str:
    """tel: URI of a phone number as people write it (0915-441111 -> tel:0915441111)."""
    return "tel:" + re.sub(r"[^0-9+]", "", number)


def hotline_href(site: m.Site) -> str:
    return tel_href(site.hotline_dial or site.hotline)


def link_number(content: str, number: str, href: str) -> str:
    """Content HTML with each stand-alone occurrence of number in text made a tel: link.

    Walks the occurrences and, beside them, only the tags of the elements skipped (not every
    tag of the page: this runs on every page of a province's column)."""
    if number not in content:
        return content
    pattern = re.compile(rf"(?<![0-9]){re.escape(number)}(?![0-9])")
    link = f'<a class="tel" href="{href}">{number}</a>'
    out, done, depth = [], 0, 0
    skips = _SKIP_TAG.finditer(content)
    tag = next(skips, None)
    for found in pattern.finditer(content):
        at = found.start()
        while tag is not None and tag.start() < at:
            if not tag.group(0).endswith("/>"):
                depth = max(depth + (-1 if tag.group(1) else 1), 0)
            tag = next(skips, None)
        if depth or content.rfind("<", done, at) > content.rfind(">", done, at):
            continue  # inside a skipped element, or inside a tag (an attribute)
        out += (content[done:at], link)
        done = found.end()
    return "".join(out) + content[done:] if out else content
