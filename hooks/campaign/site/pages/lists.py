"""Full lists that outgrew their summary page, as numbered pages with a pager.

A summary (dashboard, bulletin, year-end report, index) shows a bounded excerpt of each
long list and links here; these pages render the same table function from tables.py,
PER_PAGE rows a page, so no page grows with the data. They are not in the nav.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Sequence

from campaign.records.loading import Dataset
from campaign.site.pages.base import GeneratedPage, render_page
from campaign.site.pages.paginate import TOP, Excerpt, excerpt, paginate


def list_pages(d: Dataset, base: str, title: str, table: str, items: Sequence, *, back: str,
               back_text: str, intro: str = "", **context: Any) -> list[GeneratedPage]:
    """Pages base, base-2 … rendering table `table` of tables.py over the items."""
    any_sample = any(a.sample for a in d.action_list)  # the same 示例 notice as the summary page
    return [render_page(d, p.src_uri, "list_page.html.j2", shows_sample=any_sample, title=title, p=p, table=table, back=back,
                        back_text=back_text, intro=intro, any_sample=any_sample, **context)
            for p in paginate(base, items)]


def summarised(d: Dataset, pages: list[GeneratedPage], base: str, title: str, table: str, items: Sequence,
               top: int = TOP, **kwargs: Any) -> Excerpt:
    """The excerpt a summary shows; adds the full list's pages only when it is cut."""
    ex = dataclasses.replace(excerpt(items, base, top), title=title)
    if ex.cut:
        pages.extend(list_pages(d, base, title, table, items, **kwargs))
    return ex
