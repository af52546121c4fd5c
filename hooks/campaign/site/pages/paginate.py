"""Splitting long lists over numbered pages so that no page grows with the data.

`paginate("actions/index.md", items, 50)` yields the first page at actions/index.md and
the rest at actions/index-2.md, actions/index-3.md … Each Page knows its neighbours, and
the pager macro (templates/_pager.html.j2) prints a bounded window of page links.
"""
from __future__ import annotations

from campaign import routes
from dataclasses import dataclass
from typing import Generic, Iterator, Sequence, TypeVar

T = TypeVar("T")

PER_PAGE = 50
WINDOW = 3  # page links shown on each side of the current page


@dataclass(frozen=True)
class Page(Generic[T]):
    number: int
    count: int
    items: Sequence[T]
    first_index: int  # index (0-based) of items[0] in the whole list
    total: int
    base: str

    @property
    def src_uri(self) -> str:
        return page_src(self.base, self.number)

    @property
    def previous(self) -> str | None:
        return page_src(self.base, self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return page_src(self.base, self.number + 1) if self.number < self.count else None

    @property
    def window(self) -> list[tuple[int, str]]:
        """(number, src) for first, last and pages near the current one; 0 marks a gap."""
        wanted = {1, self.count} | set(range(self.number - WINDOW, self.number + WINDOW + 1))
        shown = sorted(n for n in wanted if 1 <= n <= self.count)
        result: list[tuple[int, str]] = []
        for n in shown:
            if result and n - result[-1][0] > 1:
                result.append((0, ""))
            result.append((n, page_src(self.base, n)))
        return result


page_src = routes.page_src


def paginate(base: str, items: Sequence[T], per_page: int = PER_PAGE) -> Iterator[Page[T]]:
    """Pages of at most per_page items; an empty list still gives one (empty) page."""
    count = max(1, -(-len(items) // per_page))
    for number in range(1, count + 1):
        start = (number - 1) * per_page
        yield Page(number, count, items[start : start + per_page], start, len(items), base)


# A summary page (dashboard, bulletin, year-end report) shows a list whole up to TOP rows;
# beyond that the first TOP rows and a link to the full, paginated list. TOP, not PER_PAGE:
# a summary holds several lists and must stay bounded as a whole.
TOP = 20


@dataclass(frozen=True)
class Excerpt(Generic[T]):
    """What a summary page shows of a list: all of it, or its first TOP rows and a link."""

    shown: Sequence[T]
    total: int
    full: str | None  # first page of the complete list when `shown` is only part of it
    title: str = ""  # the complete list's title

    @property
    def cut(self) -> bool:
        return self.full is not None


def excerpt(items: Sequence[T], full_src: str, top: int = TOP) -> Excerpt[T]:
    if len(items) <= top:
        return Excerpt(items, len(items), None)
    return Excerpt(items[:top], len(items), full_src)
