"""Page builders: each module turns part of the Dataset into generated pages (HTML: rendering.py).

The adapter adds every GeneratedPage to MkDocs as a virtual file; nothing is written
into content/. Builders are listed in BUILDERS in menu order. The editors' guide is not
part of the public column: its generated pages come from editors/guide_pages.build, for the guide's own
site (mkdocs-guide.yml).
"""
from __future__ import annotations

from campaign.records.loading import Dataset
from campaign.site.pages import actions, cases, cleanup, hotline, opendata, overview, plan, policies, publicity, surveys, units
from campaign.site.pages import bulletins, method, search, yearend
from campaign.site.pages.base import GeneratedPage, reuse_between_builds

BUILDERS = [
    overview.build,
    plan.build,
    actions.build,
    units.build,
    cases.build,
    policies.build,
    publicity.build,
    surveys.build,
    cleanup.build,
    hotline.build,
    bulletins.build,
    yearend.build,
    method.build,
    opendata.build,
    search.build,
]
def build_all(dataset: Dataset) -> list[GeneratedPage]:
    """The public column's generated pages (the guide's are editors/guide_pages.build)."""
    pages: list[GeneratedPage] = []
    for builder in BUILDERS:
        pages.extend(builder(dataset))
    return sorted(pages, key=lambda p: p.src_uri)


__all__ = ["GeneratedPage", "build_all", "BUILDERS", "reuse_between_builds"]
