"""Quarter-on-quarter change of the satisfaction surveys, overall and per dimension.

Each survey is compared with the survey of the quarter before it, if there is one; when a
quarter is missing, with the latest earlier survey, and the page names which one. Dimensions
are matched by name; a dimension new this quarter has no change.
"""
from __future__ import annotations

from dataclasses import dataclass

from campaign.records.models import Survey


def quarter_label(quarter: str) -> str:
    """2018-Q2 → 2018年第2季度."""
    return f"{quarter[:4]}年第{quarter[-1]}季度"


def previous_quarter(quarter: str) -> str:
    year, q = int(quarter[:4]), int(quarter[-1])
    return f"{year - 1}-Q4" if q == 1 else f"{year}-Q{q - 1}"


@dataclass(frozen=True)
class DimensionChange:
    name: str
    score: float
    previous: float | None
    change: float | None


@dataclass(frozen=True)
class SurveyChange:
    survey: Survey
    previous: Survey | None
    change: float | None  # overall score minus the previous survey's
    dimensions: list[DimensionChange]

    def dimension(self, name: str) -> DimensionChange | None:
        """This survey's figure for a dimension, or None when it did not measure it."""
        return next((d for d in self.dimensions if d.name == name), None)

    @property
    def consecutive(self) -> bool:
        """Whether the comparison is with the quarter right before (not an older one)."""
        return self.previous is not None and self.previous.quarter == previous_quarter(self.survey.quarter)


def _diff(now: float, before: float | None) -> float | None:
    # Scores carry one decimal; rounding avoids 85.0 - 82.4 = 2.5999999.
    return None if before is None else round(now - before, 1)


def survey_changes(surveys: list[Survey]) -> list[SurveyChange]:
    """One SurveyChange per survey, oldest first."""
    result: list[SurveyChange] = []
    previous: Survey | None = None
    for survey in sorted(surveys, key=lambda s: s.quarter):
        before = {d.name: d.score for d in previous.dimensions} if previous else {}
        dims = [DimensionChange(d.name, d.score, before.get(d.name), _diff(d.score, before.get(d.name)))
                for d in survey.dimensions]
        change = _diff(survey.overall, previous.overall if previous else None)
        result.append(SurveyChange(survey, previous, change, dims))
        previous = survey
    return result


def signed(change: float | None) -> str:
    """+2.6 / -1.0 / 0.0 / — for a change, as pages print it."""
    if change is None:
        return "—"
    if change > 0:
        return f"+{change:.1f}"
    if change < 0:
        return f"−{abs(change):.1f}"
    return "持平"
