"""The open-data page: every download, every column explained, feeds and calendars.

Column names, titles and descriptions come from opendata.py (and through it from the
record models), so the page documents exactly what the files contain.
"""
from __future__ import annotations

from .. import feeds, opendata
from ..loading import Dataset
from .base import GeneratedPage, render_page

SRC = "opendata/index.md"


def build(d: Dataset) -> list[GeneratedPage]:
    tables = opendata.all_tables(d)
    return [render_page(d, SRC, "opendata.md.j2", tables=tables, folder=opendata.FOLDER,
                        list_sep=opendata.LIST_SEPARATOR, part_sep=opendata.PART_SEPARATOR,
                        catalog=feeds.catalog(d))]
