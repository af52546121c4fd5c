"""The 441111 complaint line: what to report, how it is handled, the portal's channels."""
from __future__ import annotations

from ..loading import Dataset
from .base import GeneratedPage, render_page


def build(d: Dataset) -> list[GeneratedPage]:
    measure = next((x for x in d.plan.measures if x.id == "m1-2"), None)
    return [render_page(d, "hotline.md", "hotline.md.j2", measure=measure)]
