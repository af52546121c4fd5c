"""The normative-document cleanup (清理规范性文件) as one table with counts."""
from __future__ import annotations

from collections import Counter

from ..loading import Dataset
from .base import GeneratedPage, render_page


def build(d: Dataset) -> list[GeneratedPage]:
    counts = Counter(entry.decision for entry in d.cleanup)
    return [render_page(d, "cleanup.md", "cleanup.md.j2", counts=counts,
                        measure=next((x for x in d.plan.measures if x.id == "m3-2"), None))]
