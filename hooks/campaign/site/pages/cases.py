"""Typical cases: one page per case and indexes by kind, by year and by unit.

The plan asks to 集中曝光一批典型案例、宣传推广一批先进经验、通报一批不作为、乱作为、慢作为行为;
the kind indexes follow that wording. Exposed cases carry their rectification state as of
the data date (rectification.py), so an overdue rectification is flagged everywhere.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from campaign import routes
from campaign.exports import feeds
from campaign.records.loading import Dataset
from campaign.rules.rectification import rectification_state
from campaign.site.pages.base import GeneratedPage, case_src, render_page
from campaign.site.pages.paginate import paginate

# (slug, title, kind, category): stable ASCII URLs for the plan's Chinese kinds.
KINDS = [
    ("experience", "先进经验", "先进经验", None),
    ("inaction", "不作为", "问题曝光", "不作为"),
    ("misconduct", "乱作为", "问题曝光", "乱作为"),
    ("slow", "慢作为", "问题曝光", "慢作为"),
]
LATEST_ON_INDEX = 20  # the index shows the newest cases; the sub-indexes show all


kind_src = routes.case_kind_src
year_src = routes.case_year_src
unit_cases_src = routes.unit_cases_src


def kind_slug(case) -> str:
    return next(slug for slug, _, kind, category in KINDS if (kind, category) == (case.kind, case.category))


def build(d: Dataset) -> list[GeneratedPage]:
    newest_first = sorted(d.cases, key=lambda c: (c.date, c.id), reverse=True)
    states = {c.id: rectification_state(c.rectification, d.as_of) for c in d.cases if c.rectification}
    common = dict(states=states, kinds=KINDS, kind_src=kind_src, year_src=year_src,
                  unit_cases_src=unit_cases_src, kind_slug=kind_slug)

    years = sorted({c.date.year for c in d.cases}, reverse=True)
    # Cases by unit, built once (newest first): a scan per unit would make the build quadratic.
    by_unit: dict[str, list] = defaultdict(list)
    for c in newest_first:
        for uid in dict.fromkeys(c.units):
            by_unit[uid].append(c)
    unit_ids = [u.id for u in d.unit_list if u.id in by_unit]
    kind_counts = Counter(kind_slug(c) for c in d.cases)
    rect_counts = Counter(s.css for s in states.values())
    pages = [render_page(d, "cases/index.md", "cases_index.html.j2", cases=newest_first[:LATEST_ON_INDEX],
                         total=len(d.cases), years=years, kind_counts=kind_counts, rect_counts=rect_counts,
                         year_counts=Counter(c.date.year for c in d.cases), **common)]
    unit_rows = [(uid, Counter(kind_slug(c) for c in by_unit[uid]),
                  sum(1 for c in by_unit[uid] if c.id in states and states[c.id].overdue))
                 for uid in unit_ids]
    any_sample = any(c.sample for c in d.cases)
    pages += [render_page(d, p.src_uri, "cases_units.html.j2", shows_sample=any_sample, any_sample=any_sample,
                          p=p, rows=p.items, **common)
              for p in paginate("cases/units.md", unit_rows)]

    for slug, title, kind, category in KINDS:
        chosen = [c for c in newest_first if (c.kind, c.category) == (kind, category)]
        heading = title if kind == "先进经验" else f"问题曝光：{title}"
        pages += _list(d, kind_src(slug), heading, chosen, scope="kind", **common)
    for year in years:
        chosen = [c for c in newest_first if c.date.year == year]
        pages += _list(d, year_src(year), f"{year}年典型案例", chosen, scope="year", **common)
    for uid in unit_ids:
        pages += _list(d, unit_cases_src(uid), f"{d.units[uid].short}的典型案例", by_unit[uid], scope="unit",
                       unit=d.units[uid], **common)
    for case in d.cases:
        pages.append(render_page(d, case_src(case.id), "case.html.j2", record=case,
                                 shows_sample=case.sample or any(d.units[u].sample for u in case.units if u in d.units), case=case,
                                 state=states.get(case.id), **common))
    for page in pages:
        page.feeds = feeds.CASES
    return pages


def _list(d: Dataset, base: str, title: str, cases: list, **context) -> list[GeneratedPage]:
    """A case list over numbered pages (50 a page): kinds and years grow with the data."""
    return [render_page(d, p.src_uri, "cases_list.html.j2", p=p, total=len(cases), cases=p.items,
                        title=title if p.number == 1 else f"{title}（第{p.number}页）", **context)
            for p in paginate(base, cases)]
