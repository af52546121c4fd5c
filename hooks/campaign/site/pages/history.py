"""The 变更记录 section appended to each action page (the adapter calls `decorate`).

Kept apart from the action page template so that progress pages and history can change
independently; `section` also serves task pages (by task id).
"""
from __future__ import annotations

from campaign.exports.history import History
from typing import Any

from campaign.records import models as m
from campaign.site.rendering import render


def section(hist: History, *, action_id: str | None = None, task_id: str | None = None) -> str:
    if task_id is not None:
        changes = hist.for_task(task_id)
    else:
        changes = hist.for_action(action_id or "")
    return render("history.md.j2", here="", hist=hist, changes=changes[:50], more=len(changes) > 50)


def decorate(hist: History, record: Any, markdown: str) -> str | None:
    """An action page's Markdown with its 变更记录 appended; None for any other record."""
    if not isinstance(record, m.Action):
        return None
    return markdown.rstrip("\n") + "\n\n" + section(hist, action_id=record.id)
