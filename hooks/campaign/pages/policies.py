"""Policy documents and explainers: indexes by year and by topic, and the 政务公开 block.

The documents themselves are editors' Markdown under content/policies/; the adapter
passes each page's Markdown through `decorate` to put the metadata block on top. The links
between a document and its 解读, between a document and the one replacing it, and between
documents and special actions are all derived here from one side's front matter.
"""
from __future__ import annotations

from itertools import groupby

from ..loading import Dataset, PolicyPage
from .base import GeneratedPage, render_page

BANNERS = {
    "失效": "本文件已失效",
    "废止": "本文件已废止",
    "已修订": "本文件已修订",
}


def build(d: Dataset) -> list[GeneratedPage]:
    newest_first = sorted(d.policies, key=lambda p: (p.doc.published, p.doc.id), reverse=True)
    by_year = [(year, list(items)) for year, items in groupby(newest_first, key=lambda p: p.doc.published.year)]
    by_topic = [(topic, sorted(items, key=lambda p: (p.doc.published, p.doc.id), reverse=True))
                for topic, items in groupby(sorted(d.policies, key=lambda p: p.doc.topic), key=lambda p: p.doc.topic)]
    context = dict(policies=newest_first, by_year=by_year, by_topic=by_topic,
                   by_id={p.doc.id: p for p in d.policies})
    return [
        render_page(d, "policies/index.md", "policies_index.md.j2", **context),
        render_page(d, "policies/topics.md", "policies_topics.md.j2", **context),
    ]


def decorate(d: Dataset, src_uri: str, body_markdown: str) -> str | None:
    """Markdown of a policy page with its metadata block; None if src_uri is no policy."""
    page = page_for(d, src_uri)
    if page is None:
        return None
    doc = page.doc
    by_id = {p.doc.id: p for p in d.policies}
    header = render_page(
        d, src_uri, "policy_header.md.j2", page=page, doc=doc, by_id=by_id,
        explainers=[p for p in d.policies if p.doc.interprets == doc.id],
        replaces=[p for p in d.policies if p.doc.replaced_by == doc.id],
        replacement=by_id.get(doc.replaced_by or ""),
        banner=BANNERS.get(doc.validity),
        related_actions=[d.actions[a] for a in doc.actions if a in d.actions],
        cleanup=[e for e in d.cleanup if doc.doc_no and e.doc_no == doc.doc_no],
    ).content
    return header + "\n\n" + body_markdown


def page_for(d: Dataset, src_uri: str) -> PolicyPage | None:
    return next((p for p in d.policies if p.src_uri == src_uri), None)
