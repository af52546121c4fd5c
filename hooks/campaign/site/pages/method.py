"""The 统计口径 page: every rule and threshold, printed from the constants the
computation uses (schedule.py, dates.DEADLINE_RULES), so page and code cannot disagree."""
from __future__ import annotations

from campaign.rules import schedule
from campaign.records.dates import DEADLINE_RULES
from campaign.records.loading import Dataset
from campaign.site.pages.base import GeneratedPage, render_page


def build(d: Dataset) -> list[GeneratedPage]:
    thresholds = [
        ("滞后阈值", f"{schedule.BEHIND_THRESHOLD} 个百分点", "最新进度比序时进度低出这么多以上为滞后"),
        ("临期天数", f"{schedule.DUE_SOON_DAYS} 天", "距完成时限不超过这么多天（含当天）且未完成为临期"),
        ("月报截止日", f"次月 {schedule.REPORT_DUE_DAY} 日", "某月进展报告最晚报送日期，过后未报为缺报"),
    ]
    return [render_page(d, "method.md", "method.md.j2", s=schedule, thresholds=thresholds,
                        deadline_rules=DEADLINE_RULES)]
