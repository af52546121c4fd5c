"""Routes: every generated page's path and every page URL, in one place.

A path is the page's place as if under content/ (`actions/a01.md`); MkDocs turns it into
an address by its URL rule, which `url` is the one copy of (a test compares it with MkDocs'
own on every page of a built site). Page builders, feeds, calendars and the check
pipeline ask here; nothing parses a path back into a record.

Layer: above records and rules, below exports and site.
"""
from __future__ import annotations

import posixpath
from datetime import date
from typing import Any, Iterable

from campaign.records.dates import Month, zh_month_of

# --- Item pages --------------------------------------------------------------------------


def unit_src(unit_id: str) -> str:
    return f"units/{unit_id}.md"


def action_src(action_id: str) -> str:
    return f"actions/{action_id}.md"


def action_reports_src(action_id: str) -> str:
    """The archive of all an action's monthly reports (its first page; page_src numbers the rest)."""
    return f"actions/{action_id}-reports.md"


# An action page shows its newest RECENT_REPORTS monthly reports; when it has more, it links
# the archive of them all, REPORTS_PER_ARCHIVE_PAGE a page: a report is some 3.5 KB, and a
# page listing every month would pass 60 KB after two years.
RECENT_REPORTS = 6
REPORTS_PER_ARCHIVE_PAGE = 12


def shown_reports(reports: Iterable[Any], as_of: date) -> list[Any]:
    """An action's reports as its pages show them, newest first: those submitted by as_of
    for a month not after as_of's month."""
    month = str(Month.of(as_of))
    return sorted((r for r in reports if r.month <= month and r.submitted <= as_of), key=lambda r: r.month, reverse=True)


def report_src(action_id: str, rank: int) -> str:
    """The page a report is read on, by its rank among shown_reports (0 = newest): the
    action's page for the recent ones, else the archive page that holds it."""
    if rank < RECENT_REPORTS:
        return action_src(action_id)
    return page_src(action_reports_src(action_id), rank // REPORTS_PER_ARCHIVE_PAGE + 1)


def report_anchor(month: str) -> str:
    """The id of a report's heading on those pages (templates/_reports.md.j2 writes the
    month label, 2018年5月; tests/test_feeds.py holds the two together)."""
    return zh_month_of(month)


def case_src(case_id: str) -> str:
    return f"cases/{case_id}.md"


def survey_src(quarter: str) -> str:
    return f"surveys/{quarter}.md"


def week_src(year: int) -> str:
    """The policy publicity week of one year."""
    return f"publicity/{year}.md"


def bulletin_src(month: str) -> str:
    return f"bulletins/{month}.md"


def bulletin_list_src(month: str, name: str) -> str:
    """A bulletin's full list when it outgrows the bulletin (pages/lists.py)."""
    return f"bulletins/{month}-{name}.md"


def yearend_src(year: int) -> str:
    return f"reports/{year}.md"


def yearend_list_src(year: int, name: str) -> str:
    """An appendix (附表) of the year-end report: a list that outgrew the report page."""
    return f"reports/{year}-{name}.md"


def unit_list_src(unit_id: str, name: str) -> str:
    """A unit's full list of actions it leads or supports (`leads`, `supports`)."""
    return f"units/{unit_id}-{name}.md"


# --- Case indexes ------------------------------------------------------------------------


def case_kind_src(slug: str) -> str:
    return f"cases/kind/{slug}.md"


def case_year_src(year: int) -> str:
    return f"cases/year/{year}.md"


def unit_cases_src(unit_id: str) -> str:
    return f"cases/unit/{unit_id}.md"


# --- Reference pages ---------------------------------------------------------------------

OPENDATA_TABLES_DIR = "opendata/tables"


def opendata_table_src(name: str) -> str:
    return f"{OPENDATA_TABLES_DIR}/{name}.md"


GUIDE_FIELDS_SRC = "guide/fields.md"
GUIDE_DRAFTS_SRC = "guide/drafts.md"  # the drafts apart: with them the fields page would pass 60 KB


def guide_kind_src(kind: str) -> str:
    """The fields page of one kind of file, e.g. guide/fields/report.md."""
    return f"guide/fields/{kind}.md"


# --- Files the build writes beside the pages -----------------------------------------------

# Open data, feeds, calendars, Pagefind's index and the exact-lookup table of the search
# page: a hand-written file there would be overwritten (or overwrite ours).
GENERATED_FOLDERS = ("opendata/", "feeds/", "calendars/", "pagefind/")
GENERATED_FILES = ("search/direct.json",)


def is_generated_file(path: str) -> bool:
    """path (inside content/) is a place the build writes a download to."""
    if path in GENERATED_FILES or path.endswith(".docx") and path.startswith(("bulletins/", "reports/")):
        return True
    return path.startswith(GENERATED_FOLDERS) and not path.endswith(".md")


# --- Pagination and URLs -----------------------------------------------------------------


def page_src(base: str, number: int) -> str:
    """Page `number` of a list whose first page is `base`: actions/index.md, actions/index-2.md …"""
    if number == 1:
        return base
    stem, dot, ext = base.rpartition(".")
    return f"{stem}-{number}.{ext}"


def url(src_uri: str, directory_urls: bool = True) -> str:
    """The page's address relative to the site root, by MkDocs' rule (File._get_url)."""
    stem = posixpath.splitext(src_uri)[0]
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"
