"""The column's home page: what the campaign is and where to find each part."""
from __future__ import annotations

from ..loading import Dataset
from .base import GeneratedPage, render_page


def build(d: Dataset) -> list[GeneratedPage]:
    return [render_page(d, "index.md", "index.md.j2")]
