"""The 统计口径 page: every rule and setting, printed from what the computation uses
(the data's `schedule:` settings through schedule.rules_of, dates.DEADLINE_RULES), so
page and code cannot disagree; settings the plan does not state are marked 示例/默认."""
from __future__ import annotations

from campaign.rules import schedule
from campaign.records.dates import DEADLINE_RULES
from campaign.records.loading import Dataset
from campaign.site.pages.base import GeneratedPage, REFERENCE_WEIGHT, render_page

PLAN_BASIS = "方案只规定“每月报送”“每月通报”，未规定报送截止日和判定阈值。"


def build(d: Dataset) -> list[GeneratedPage]:
    r = schedule.rules_of(d)
    thresholds = [
        ("月报截止日", f"次月 {r.report_due_day} 日", "某月进展报告最晚报送日期，过后未报为缺报", "report_due_day"),
        ("滞后阈值", f"{r.behind_threshold:g} 个百分点", "最新进度比序时进度低出这么多以上为滞后", "behind_threshold"),
        ("临期天数", f"{r.due_soon_days} 天", "距完成时限不超过这么多天（含当天）且未完成为临期", "due_soon_days"),
    ]
    page = render_page(d, "method.md", "method.html.j2", shows_sample=r.sample, s=schedule, r=r, thresholds=thresholds,
                        status_rules=schedule.status_rules(r), missing_rules=schedule.missing_rules(r),
                        period_rule=schedule.period_rule(r), plan_basis=PLAN_BASIS,
                        basis=r.basis or PLAN_BASIS + "以下数值为本专栏的默认设置。",
                        deadline_rules=DEADLINE_RULES)
    page.search_weight = REFERENCE_WEIGHT
    return [page]
