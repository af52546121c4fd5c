"""Tap to call: the complaint line as a tel: link wherever it appears on a page.

The number shows up in prose the editors and the plan wrote ("依托县民调中心441111热线"), in
tables (a case's source "441111热线") and in the templates; a pass over each page's
content HTML makes every occurrence a link, so none is missed. Text already inside a link,
the page title, code or a script stays as it is.
"""
from __future__ import annotations

import re

from campaign.records import models as m

_TOKEN = re.compile(r"(<[^>]+>)")
_NAME = re.compile(r"</?([a-zA-Z0-9]+)")
# Inside these the number stays plain text.
_SKIP = {"a", "code", "pre", "script", "style", "h1", "title", "textarea", "svg", "button", "label"}


def tel_href(number: str) -> str:
    """tel: URI of a phone number as people write it (0915-441111 -> tel:0915441111)."""
    return "tel:" + re.sub(r"[^0-9+]", "", number)


def hotline_href(site: m.Site) -> str:
    return tel_href(site.hotline_dial or site.hotline)


def link_number(content: str, number: str, href: str) -> str:
    """Content HTML with each stand-alone occurrence of number in text made a tel: link."""
    if number not in content:
        return content
    pattern = re.compile(rf"(?<![0-9]){re.escape(number)}(?![0-9])")
    link = f'<a class="tel" href="{href}">{number}</a>'
    parts = _TOKEN.split(content)
    depth = 0
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            name = _NAME.match(part)
            if name and name.group(1).lower() in _SKIP and not part.endswith("/>"):
                depth += -1 if part.startswith("</") else 1
                depth = max(depth, 0)
        elif depth == 0 and number in part:
            parts[index] = pattern.sub(link, part)
    return "".join(parts)
