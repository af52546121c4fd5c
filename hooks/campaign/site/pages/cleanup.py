"""The normative-document cleanup (清理规范性文件) as one table with counts.

An entry whose 文号 matches a policy document in this column links to that page, so a
repealed document's banner and its cleanup decision point at each other.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from campaign.records.loading import Dataset
from campaign.site import portal
from campaign.site.pages.base import GeneratedPage, render_page
from campaign.site.pages.lists import summarised
from campaign.site.pages.paginate import paginate

DECISIONS = ("保留", "修改", "废止")


def build(d: Dataset) -> list[GeneratedPage]:
    counts = Counter(entry.decision for entry in d.cleanup)
    per_unit: dict[str, Counter] = defaultdict(Counter)  # one pass, not one scan per unit
    for e in d.cleanup:
        per_unit[e.unit][e.decision] += 1
    by_unit = [(unit.id, per_unit[unit.id]) for unit in d.unit_list if unit.id in per_unit]
    policy_by_no = {p.doc.doc_no: p for p in d.policies if p.doc.doc_no}
    measure = next((x for x in d.plan.measures if x.id == "m3-2"), None)
    late = [e for e in d.cleanup if measure and measure.deadline and e.date > measure.deadline.due]
    pages: list[GeneratedPage] = []
    units_ex = summarised(d, pages, "cleanup-units.md", "规范性文件清理：按制定单位统计", "cleanup_units", by_unit,
                          back="cleanup.md", back_text="规范性文件清理")
    # The entries themselves: 50 a page (cleanup.md, cleanup-2.md …); the summary sits on the first.
    for p in paginate("cleanup.md", d.cleanup):
        pages.append(render_page(d, p.src_uri, "cleanup.html.j2", article=portal.cleanup_article(d) if p.number == 1 else None, p=p, counts=counts, decisions=DECISIONS,
                                 by_unit=units_ex, policy_by_no=policy_by_no, measure=measure, late=late))
    return pages
