"""A point-in-time rebuild (AS_OF=… in the past) shows only what was known on that day.

Records dated after the day (reports by 报送日期, cases, policies, surveys, cleanup
entries, bulletins by 印发日期) are left out, and corrections and deadline changes made
after it are undone, so the pages are those the column would have shown then. Records are
copied, never changed in place (their locations for error messages stay valid).
"""
from __future__ import annotations

from datetime import date
from typing import Any


def known_on(many: dict[str, list[Any]], policies: list[Any], as_of: date,
             where: dict[int, Any]) -> tuple[dict[str, list[Any]], list[Any]]:
    """The records known on as_of; `where` (record id → location) learns the copies."""
    kept = _known(many, as_of)
    for kind in ("reports", "actions"):
        originals = {(getattr(r, "action", None), getattr(r, "month", None), getattr(r, "id", None)): r for r in many.get(kind, [])}
        for new in kept[kind]:
            old = originals.get((getattr(new, "action", None), getattr(new, "month", None), getattr(new, "id", None)))
            if old is not None:
                _alias(where, old, new)
    shown = [p for p in policies if p.doc.published <= as_of]
    ids = {p.doc.id for p in shown}
    for page in shown:
        if page.doc.replaced_by and page.doc.replaced_by not in ids:  # replaced later: still valid then
            new = page.doc.model_copy(update={"replaced_by": None, "validity": "有效"})
            _alias(where, page.doc, new)
            page.doc = new
    return kept, shown


def _alias(where: dict[int, Any], old: Any, new: Any) -> None:
    """Give a copy (and its nested copies) the location of the original."""
    if old is new or id(old) not in where or id(new) in where:
        return
    where[id(new)] = where[id(old)]
    for name in type(old).model_fields:
        a, b = getattr(old, name), getattr(new, name, None)
        if isinstance(a, list) and isinstance(b, list):
            for x, y in zip(a, b):
                if hasattr(type(x), "model_fields"):
                    _alias(where, x, y)
        elif hasattr(type(a), "model_fields"):
            _alias(where, a, b)


def _known(many: dict[str, list[Any]], as_of: date) -> dict[str, list[Any]]:
    kept = dict(many)
    kept["reports"] = [_report_then(r, as_of) for r in many.get("reports", []) if r.submitted <= as_of]
    kept["cases"] = [c for c in many.get("cases", []) if c.date <= as_of]
    kept["surveys"] = [s for s in many.get("surveys", []) if s.published <= as_of]
    kept["bulletins"] = [b for b in many.get("bulletins", []) if b.issued <= as_of]
    kept["actions"] = [_action_then(a, as_of) for a in many.get("actions", [])]
    kept["cleanup"] = [block.model_copy(update={"entries": [e for e in block.entries if e.date <= as_of]})
                       for block in many.get("cleanup", [])]
    return kept


def _report_then(report: Any, as_of: date) -> Any:
    later = [c for c in report.corrections if c.date > as_of]
    if not later:
        return report
    first_was: dict[str, float] = {}
    for c in sorted(later, key=lambda c: c.date):
        first_was.setdefault(c.task, c.was)
    tasks = [t.model_copy(update={"percent": first_was[t.task]}) if t.task in first_was else t for t in report.tasks]
    return report.model_copy(update={"tasks": tasks, "corrections": [c for c in report.corrections if c.date <= as_of]})


def _action_then(action: Any, as_of: date) -> Any:
    changed = False
    tasks = []
    for task in action.tasks:
        later = sorted((c for c in task.deadline_changes if c.date > as_of), key=lambda c: c.date)
        if later:
            changed = True
            task = task.model_copy(update={"deadline": later[0].was,
                                           "deadline_changes": [c for c in task.deadline_changes if c.date <= as_of]})
        tasks.append(task)
    return action.model_copy(update={"tasks": tasks}) if changed else action
