"""The 变更记录 section appended to each action page (the adapter calls `decorate`).

The section lists what the records say happened, with the records' own dates (报送日期,
更正日期, 完成日期; exports/history.record_events), and none after the data date. Edits
found in the repository (git) are listed apart as 数据文件修改, only those committed by the
data date and not already a submission, so no page shows a later date as data.
"""
from __future__ import annotations

from typing import Any

from campaign.exports.history import History, record_events
from campaign.records import models as m
from campaign.records.loading import Dataset
from campaign.site.rendering import render

SHOWN = 50


def section(hist: History, *, action_id: str | None = None, task_id: str | None = None,
            d: Dataset | None = None) -> str:
    if task_id is not None:
        changes = hist.for_task(task_id)
    else:
        changes = hist.for_action(action_id or "")
    events = record_events(d, action_id) if d is not None and action_id else []
    if d is not None:
        changes = [c for c in changes if c.day <= d.as_of and not c.what.startswith("首次报送")]
    return render("history.md.j2", here="", hist=hist, changes=changes[:SHOWN], more=len(changes) > SHOWN,
                  events=events[:SHOWN], more_events=len(events) > SHOWN,
                  as_of=d.as_of if d is not None else None)


def decorate(d: Dataset, hist: History, record: Any, markdown: str) -> str | None:
    """An action page's Markdown with its 变更记录 appended; None for any other record."""
    if not isinstance(record, m.Action):
        return None
    return markdown.rstrip("\n") + "\n\n" + section(hist, action_id=record.id, d=d)
