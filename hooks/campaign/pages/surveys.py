"""Quarterly satisfaction surveys by the statistics bureau: overview and one page each."""
from __future__ import annotations

from ..loading import Dataset
from .base import GeneratedPage, render_page


def build(d: Dataset) -> list[GeneratedPage]:
    pages = [render_page(d, "surveys/index.md", "surveys_index.md.j2")]
    for survey in d.surveys:
        pages.append(render_page(d, f"surveys/{survey.quarter}.md", "survey.md.j2", survey=survey))
    return pages
