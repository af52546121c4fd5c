"""Policy documents and explainers: indexes by year and by topic, and the 政务公开 block.

The documents themselves are editors' Markdown under content/policies/; the adapter
passes each page's Markdown through `decorate` to put the metadata block on top. The links
between a document and its 解读, between a document and the one replacing it, and between
documents and special actions are all derived here from one side's front matter.
"""
from __future__ import annotations

from collections import defaultdict
from itertools import groupby

from campaign.exports import feeds
from campaign.records.loading import Dataset, PolicyPage
from campaign.records.digest import digest_of
from campaign.site.pages.base import GeneratedPage, render_page, shared_inputs
from campaign.site.pages.paginate import paginate

BANNERS = {
    "失效": "本文件已失效",
    "废止": "本文件已废止",
    "已修订": "本文件已修订",
}


def build(d: Dataset) -> list[GeneratedPage]:
    newest_first = sorted(d.policies, key=lambda p: (p.doc.published, p.doc.id), reverse=True)
    by_topic = sorted(newest_first, key=lambda p: p.doc.topic)  # stable: newest first within a topic
    context = dict(policies=newest_first, by_id=d.policy_by_id)
    pages = []
    # 50 documents a page, grouped by year (or topic) within the page; a group may continue on the next.
    for page in paginate("policies/index.md", newest_first):
        groups = [(year, list(items)) for year, items in groupby(page.items, key=lambda p: p.doc.published.year)]
        pages.append(render_page(d, page.src_uri, "policies_index.html.j2", p=page, by_year=groups, **context))
    for page in paginate("policies/topics.md", by_topic):
        groups = [(topic, list(items)) for topic, items in groupby(page.items, key=lambda p: p.doc.topic)]
        pages.append(render_page(d, page.src_uri, "policies_topics.html.j2", p=page, by_topic=groups, **context))
    for page in pages:
        page.feeds = feeds.POLICIES
    return pages


def _index(d: Dataset) -> dict:
    """Relations decorate needs for every policy page, built once per dataset (not per page)."""
    return d.once("policies.index", lambda: _relations(d))


def _relations(d: Dataset) -> dict:
    explainers: dict[str, list] = defaultdict(list)
    replaces: dict[str, list] = defaultdict(list)
    for p in d.policies:
        if p.doc.interprets:
            explainers[p.doc.interprets].append(p)
        if p.doc.replaced_by:
            replaces[p.doc.replaced_by].append(p)
    cleanup: dict[str, list] = defaultdict(list)
    for e in d.cleanup:
        cleanup[e.doc_no].append(e)
    return dict(explainers=explainers, replaces=replaces, cleanup=cleanup)



def decorate(d: Dataset, src_uri: str, body_markdown: str) -> str | None:
    """Markdown of a policy page with its metadata block; None if src_uri is no policy."""
    page = page_for(d, src_uri)
    if page is None:
        return None
    doc = page.doc
    index = _index(d)
    by_id = d.policy_by_id
    explainers = index["explainers"].get(doc.id, [])
    replaces = index["replaces"].get(doc.id, [])
    replacement = by_id.get(doc.replaced_by or "")
    original = by_id.get(doc.interprets or "")
    related_actions = [d.actions[a] for a in doc.actions if a in d.actions]
    cleanup = index["cleanup"].get(doc.doc_no, []) if doc.doc_no else []

    def inputs() -> tuple:  # what the block shows, for the preview's reuse between builds (base.py)
        def policy(p: PolicyPage | None):
            return None if p is None else (p.src_uri, digest_of(d, p.doc))
        return (shared_inputs(d), policy(page), [policy(p) for p in explainers], [policy(p) for p in replaces],
                policy(replacement), policy(original), [digest_of(d, a) for a in related_actions],
                [digest_of(d, e) for e in cleanup])

    header = render_page(
        d, src_uri, "policy_header.md.j2", page=page, doc=doc, by_id=by_id, explainers=explainers,
        replaces=replaces, replacement=replacement, banner=BANNERS.get(doc.validity),
        related_actions=related_actions, cleanup=cleanup, inputs=inputs,
    ).content
    return header + "\n\n" + body_markdown


def page_for(d: Dataset, src_uri: str) -> PolicyPage | None:
    return d.policy_by_src.get(src_uri)
