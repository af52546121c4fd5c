"""Policy documents and explainers: the index page and the 政务公开 block on each page.

The documents themselves are editors' Markdown under content/policies/; the adapter
passes each page's Markdown through `decorate` to put the metadata block on top.
"""
from __future__ import annotations

from ..loading import Dataset, PolicyPage
from ..rendering import render
from .base import GeneratedPage, render_page, unit_src, action_src, case_src
from ..dates import zh_date


def build(d: Dataset) -> list[GeneratedPage]:
    newest_first = sorted(d.policies, key=lambda p: (p.doc.published, p.doc.id), reverse=True)
    return [render_page(d, "policies/index.md", "policies_index.md.j2", policies=newest_first)]


def decorate(d: Dataset, src_uri: str, body_markdown: str) -> str | None:
    """Markdown of a policy page with its metadata block; None if src_uri is no policy."""
    page = next((p for p in d.policies if p.src_uri == src_uri), None)
    if page is None:
        return None
    by_id = {p.doc.id: p for p in d.policies}
    explainers = [p for p in d.policies if p.doc.interprets == page.doc.id]
    header = render(
        "policy_header.md.j2", here=src_uri, d=d, site=d.site, units=d.units, actions=d.actions,
        unit_src=unit_src, action_src=action_src, case_src=case_src, as_of_label=zh_date(d.as_of),
        page=page, doc=page.doc, by_id=by_id, explainers=explainers,
    )
    return header + "\n\n" + body_markdown


def page_for(d: Dataset, src_uri: str) -> PolicyPage | None:
    return next((p for p in d.policies if p.src_uri == src_uri), None)
