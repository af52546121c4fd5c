"""Quarterly satisfaction surveys by the statistics bureau: overview and one page each.

The overview carries a trend chart (inline SVG, no JavaScript) and the same figures as a
table; changes from the previous survey are computed in survey_trends.py.
"""
from __future__ import annotations

from campaign import routes
from campaign.site.charts import line_chart
from campaign.records.loading import Dataset
from campaign.rules.survey_trends import quarter_label, signed, survey_changes
from campaign.site.pages.base import GeneratedPage, render_page


survey_src = routes.survey_src


def build(d: Dataset) -> list[GeneratedPage]:
    changes = survey_changes(d.surveys)
    dimension_names: list[str] = []
    for change in changes:
        for dim in change.survey.dimensions:
            if dim.name not in dimension_names:
                dimension_names.append(dim.name)
    categories = [quarter_label(c.survey.quarter) for c in changes]
    series = [("总体满意度", [c.survey.overall for c in changes])]
    series += [(name, [next((x.score for x in c.survey.dimensions if x.name == name), None) for c in changes])
               for name in dimension_names]
    chart = line_chart(categories, series) if changes else None
    chart_desc = "；".join(f"{quarter_label(c.survey.quarter)}总体满意度 {c.survey.overall} 分" for c in changes) + "。"
    measure = next((x for x in d.plan.measures if x.id == "m4-2"), None)
    common = dict(quarter_label=quarter_label, signed=signed, survey_src=survey_src)
    pages = [render_page(d, "surveys/index.md", "surveys_index.html.j2", changes=list(reversed(changes)),
                         chart=chart, chart_desc=chart_desc, dimension_names=dimension_names, measure=measure, **common)]
    for index, change in enumerate(changes):
        later = changes[index + 1].survey if index + 1 < len(changes) else None
        pages.append(render_page(d, survey_src(change.survey.quarter), "survey.html.j2", record=change.survey, change=change,
                                 survey=change.survey, later=later, **common))
    return pages
