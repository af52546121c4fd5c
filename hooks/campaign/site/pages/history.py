"""The 变更记录 section appended to each action page (the adapter calls `decorate`).

The section lists what the records say happened, with the records' own dates (报送日期,
更正日期, 完成日期; exports/history.record_events), and none after the data date. Edits
found in the repository (git) are listed apart as 数据文件修改, only those committed by the
data date and not already a submission, so no page shows a later date as data.
"""
from __future__ import annotations

from typing import Any

from campaign import routes
from campaign.exports.history import History, record_events
from campaign.records import models as m
from campaign.records.loading import Dataset
from campaign.site.rendering import render

SHOWN = 50
# On an action page: the recent half-year, as many as the recent reports it shows; the
# archive of all its reports (pages/actions.py) gives each one's 报送日期. Fifty rows of
# history would weigh some 30 KB after a few years of monthly reports.
ACTION_SHOWN = 6


def section(hist: History, *, action_id: str | None = None, task_id: str | None = None,
            d: Dataset | None = None, shown: int = SHOWN) -> str:
    """The section as HTML (action pages are HTML: pages/actions.py)."""
    if task_id is not None:
        changes = hist.for_task(task_id)
    else:
        changes = hist.for_action(action_id or "")
    events = record_events(d, action_id) if d is not None and action_id else []
    if d is not None:
        changes = [c for c in changes if c.day <= d.as_of and not c.what.startswith("首次报送")]
    return render("history.html.j2", here="", hist=hist, changes=changes[:shown], more=len(changes) > shown,
                  events=events[:shown], more_events=len(events) > shown,
                  as_of=d.as_of if d is not None else None)


def decorate(d: Dataset, hist: History, record: Any, markdown: str, src_uri: str | None = None) -> str | None:
    """An action page's HTML with its 变更记录 appended; None for any other page (its
    report archive too, which shows the same record)."""
    if not isinstance(record, m.Action) or (src_uri is not None and src_uri != routes.action_src(record.id)):
        return None
    return markdown.rstrip("\n") + "\n\n" + section(hist, action_id=record.id, d=d, shown=ACTION_SHOWN)
