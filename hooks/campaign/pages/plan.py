"""The supervision plan page: measures with deadlines and units, methods, leadership."""
from __future__ import annotations

from itertools import groupby

from ..loading import Dataset
from .base import GeneratedPage, render_page


def build(d: Dataset) -> list[GeneratedPage]:
    sections = [(name, list(items)) for name, items in groupby(d.plan.measures, key=lambda x: x.section)]
    return [render_page(d, "plan/index.md", "plan.md.j2", sections=sections)]
