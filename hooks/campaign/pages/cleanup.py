"""The normative-document cleanup (清理规范性文件) as one table with counts.

An entry whose 文号 matches a policy document in this column links to that page, so a
repealed document's banner and its cleanup decision point at each other.
"""
from __future__ import annotations

from collections import Counter

from ..loading import Dataset
from .base import GeneratedPage, render_page

DECISIONS = ("保留", "修改", "废止")


def build(d: Dataset) -> list[GeneratedPage]:
    counts = Counter(entry.decision for entry in d.cleanup)
    by_unit = []
    for unit in d.unit_list:
        mine = Counter(e.decision for e in d.cleanup if e.unit == unit.id)
        if mine:
            by_unit.append((unit.id, mine))
    policy_by_no = {p.doc.doc_no: p for p in d.policies if p.doc.doc_no}
    measure = next((x for x in d.plan.measures if x.id == "m3-2"), None)
    late = [e for e in d.cleanup if measure and measure.deadline and e.date > measure.deadline.due]
    return [render_page(d, "cleanup.md", "cleanup.md.j2", counts=counts, decisions=DECISIONS, by_unit=by_unit,
                        policy_by_no=policy_by_no, measure=measure, late=late)]
