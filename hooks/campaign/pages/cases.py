"""Typical cases: an index and one page per case."""
from __future__ import annotations

from ..loading import Dataset
from .base import GeneratedPage, case_src, render_page


def build(d: Dataset) -> list[GeneratedPage]:
    newest_first = sorted(d.cases, key=lambda c: (c.date, c.id), reverse=True)
    pages = [render_page(d, "cases/index.md", "cases_index.md.j2", cases=newest_first)]
    for case in d.cases:
        pages.append(render_page(d, case_src(case.id), "case.md.j2", case=case))
    return pages
