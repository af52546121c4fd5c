"""The policy publicity week column: one page per year and an archive index."""
from __future__ import annotations

from ..loading import Dataset
from .base import GeneratedPage, render_page


def build(d: Dataset) -> list[GeneratedPage]:
    pages = [render_page(d, "publicity/index.md", "publicity_index.md.j2")]
    for week in d.publicity_weeks:
        pages.append(render_page(d, f"publicity/{week.year}.md", "publicity_week.md.j2", week=week))
    return pages
