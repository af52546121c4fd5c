"""The open-data pages: every download, feeds and calendars, and one page per table that
explains each of its columns (one page for all would pass 60 KB).

Column names, titles and descriptions come from opendata.py (and through it from the
record models), so the page documents exactly what the files contain.
"""
from __future__ import annotations

from campaign import routes
from campaign.exports import feeds, opendata
from campaign.records.loading import Dataset
from campaign.site.pages.base import REFERENCE_WEIGHT, GeneratedPage, render_page
from campaign.site.pages.lists import list_pages

SRC = "opendata/index.md"
ACTION_FEEDS_SRC = "opendata/feeds.md"


def build(d: Dataset) -> list[GeneratedPage]:
    tables = opendata.tables_of(d)
    pages = [render_page(d, SRC, "opendata.html.j2", feeds=feeds.EVERYTHING, tables=tables, folder=opendata.FOLDER,
                         list_sep=opendata.LIST_SEPARATOR, part_sep=opendata.PART_SEPARATOR,
                         catalog=feeds.catalog(d, per_action=False), action_feeds=ACTION_FEEDS_SRC,
                         table_src=table_src)]
    pages += [render_page(d, table_src(t.spec.name), "opendata_table.html.j2", t=t, folder=opendata.FOLDER)
              for t in tables]
    general = len(feeds.catalog(d, per_action=False))
    pages += list_pages(d, ACTION_FEEDS_SRC, "各专项行动的订阅源和日历", "feed_rows", feeds.catalog(d)[general:],
                        back=SRC, back_text="开放数据",
                        intro="每个专项行动一个 Atom 进展源和一个任务截止日期日历（.ics）；各专项行动页面也提供这两个链接。")
    for page in pages:
        page.search_weight = REFERENCE_WEIGHT
    return pages


table_src = routes.opendata_table_src
