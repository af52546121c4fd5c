"""Rectification state of an exposed case as of the data date.

A case's status (已整改/整改中/未整改) is what the editor reports; whether it is overdue is
derived: not finished and the deadline already passed on as_of. A finished rectification
that came after its deadline is shown as finished late, never as overdue.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from campaign.records.models import Rectification


@dataclass(frozen=True)
class RectificationState:
    status: str  # as reported
    overdue: bool  # not finished and deadline < as_of
    days_overdue: int  # days past the deadline as of as_of (0 unless overdue)
    finished_late_by: int  # days the completion came after the deadline (0 if in time)

    @property
    def label(self) -> str:
        if self.overdue:
            return f"{self.status}（已逾期 {self.days_overdue} 天）"
        if self.finished_late_by:
            return f"{self.status}（超期 {self.finished_late_by} 天完成）"
        return self.status

    @property
    def css(self) -> str:
        if self.overdue:
            return "overdue"
        return "done" if self.status == "已整改" else "open"


def rectification_state(rect: Rectification, as_of: date) -> RectificationState:
    finished = rect.status == "已整改"
    overdue = (not finished) and rect.deadline is not None and rect.deadline < as_of
    days = (as_of - rect.deadline).days if overdue else 0
    late = 0
    if finished and rect.deadline and rect.completed and rect.completed > rect.deadline:
        late = (rect.completed - rect.deadline).days
    return RectificationState(rect.status, overdue, days, late)
