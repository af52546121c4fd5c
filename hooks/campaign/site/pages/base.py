"""What every page builder shares: the page record and the common template context."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from campaign.records.dates import zh_date
from campaign.records.loading import Dataset
from campaign.site.rendering import render


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str  # path as if under content/, e.g. actions/a01.md
    content: str
    # The page shows figures, lists, names or procedures computed from or written for
    # sample data; site/sample_marks.py then requires the visible 示例 mark in it.
    sample: bool = False


def unit_src(unit_id: str) -> str:
    return f"units/{unit_id}.md"


def action_src(action_id: str) -> str:
    return f"actions/{action_id}.md"


def case_src(case_id: str) -> str:
    return f"cases/{case_id}.md"


def bulletin_src(month: str) -> str:
    return f"bulletins/{month}.md"


def yearend_src(year: int) -> str:
    return f"reports/{year}.md"


def render_page(dataset: Dataset, src_uri: str, template: str, *, shows_sample: Any = False,
                **context: Any) -> GeneratedPage:
    """Render one template as the page at src_uri with the shared context; shows_sample
    declares that the page shows sample-derived data (it must carry the 示例 mark)."""
    content = render(
        template,
        here=src_uri,
        d=dataset,
        site=dataset.site,
        as_of=dataset.as_of,
        as_of_label=zh_date(dataset.as_of),
        units=dataset.units,
        actions=dataset.actions,
        unit_src=unit_src,
        action_src=action_src,
        case_src=case_src,
        bulletin_src=bulletin_src,
        yearend_src=yearend_src,
        task_of=dataset.tasks,
        **context,
    )
    return GeneratedPage(src_uri, content, bool(shows_sample))
