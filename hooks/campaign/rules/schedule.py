"""Schedule facts derived as of a data date: task statuses, progress roll-ups, 缺报.

Nothing here is typed by editors: every status comes from the records and `as_of`.
The thresholds are module constants and the 统计口径 page prints them (together with
dates.DEADLINE_RULES), so the page and the computation cannot drift apart.

Entry point for pages and exports: `derive(dataset, as_of=None) -> Derived`.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date
from typing import TYPE_CHECKING, Iterable

from campaign.records.dates import last_day

if TYPE_CHECKING:  # the core's Dataset; imported lazily to keep this module pure
    from campaign.records import models as m
    from campaign.records.loading import Dataset

# --- Rules (printed on the 统计口径 page) -----------------------------------------------------

DONE = "已完成"
NOT_STARTED = "未开始"
ON_TRACK = "按序时推进"
BEHIND = "滞后"
DUE_SOON = "临期"
OVERDUE = "逾期"
ONGOING = "持续开展"  # plan measures and supervision methods without a deadline only

# Most urgent first: lists and action roll-ups use this order.
TASK_STATUSES = (OVERDUE, DUE_SOON, BEHIND, ON_TRACK, NOT_STARTED, DONE)
PLAN_STATUSES = (OVERDUE, DUE_SOON, ON_TRACK, ONGOING, NOT_STARTED, DONE)

BEHIND_THRESHOLD = 10  # percentage points below 序时进度 before a task counts as 滞后
DUE_SOON_DAYS = 15  # a task not done and due within this many days (today included) is 临期
REPORT_DUE_DAY = 10  # a month's progress report is due by this day of the following month

STATUS_RULES: list[tuple[str, str]] = [
    (DONE, "最新一次报送的进度为 100%。即使已过完成时限也算已完成；若完成时限所在月份或之后月份的报告中"
           "该任务进度仍低于 100%，之后才报 100%，标注“逾期完成”。"),
    (OVERDUE, "已过完成时限（时限当天不算逾期，次日起算），进度未达 100%。"),
    (DUE_SOON, f"距完成时限不超过 {DUE_SOON_DAYS} 天（含时限当天），进度未达 100%。"),
    (NOT_STARTED, "数据截至日期早于任务开始日期；或已到开始日期但尚未报送进度（或进度为 0），"
                  "且还没有落后于序时进度。"),
    (BEHIND, f"最新进度比序时进度低 {BEHIND_THRESHOLD} 个百分点以上（不含 {BEHIND_THRESHOLD} 个百分点）。"
             "尚未报送进度的任务按 0% 计。"),
    (ON_TRACK, "已开始、未完成，不属于以上任何一种情况。"),
]

PRECEDENCE_RULE = ("判断顺序：已完成 → 逾期 → 临期 → 未开始（未到开始日期）→ 滞后 → 未开始（尚无进度）→ 按序时推进，"
                   "取第一个符合的状态。临期或逾期的任务即使进度落后，也只显示临期或逾期。")

EXPECTED_RULE = ("序时进度 = 已过天数 ÷ 计划天数 × 100%。计划天数从开始日期到完成时限（两头都算）；"
                 "已过天数从开始日期到数据截至日期（两头都算），不足 0 按 0、超过计划天数按 100% 计。闰年 2 月 29 日照常计为一天。")

LATEST_RULE = ("最新进度取报送月份不晚于数据截至日期所在月份的最近一份进展报告中该任务的进度；"
               "从未报送过该任务进度的，显示“—”，计算进度时按 0% 计。")

PROGRESS_RULES: list[str] = [
    "专项行动的总体进度 = 各任务最新进度按权重加权平均：Σ(权重 × 进度) ÷ Σ权重。",
    "权重为 0 的任务不影响加权进度，但照常计算状态。全部任务权重都为 0 时，按各任务进度的简单平均计算。",
    "专项行动的序时进度按同样的权重对各任务的序时进度加权平均。",
    "专项行动的状态：全部任务已完成为“已完成”；否则按未完成任务中最紧急的状态，依次为逾期、临期、滞后；"
    "未完成任务都未开始且没有任务已完成为“未开始”；其余为“按序时推进”。",
    "专项督查整体进度 = 各专项行动总体进度的简单平均（每个专项行动分量相同）。",
]

MISSING_RULES: list[str] = [
    f"每个专项行动每月报送一次进展。某月的进展报告应在次月 {REPORT_DUE_DAY} 日前（含 {REPORT_DUE_DAY} 日）报送。",
    "应报月份从行动的首次报送月份（reports_from）开始；未填写的，从行动开始日期所在月份开始；"
    "到最晚的任务完成时限所在月份为止；全部任务都已报 100% 的，此后各月不再要求报送。",
    f"数据截至日期已过次月 {REPORT_DUE_DAY} 日、仍没有该月报告（或报告的报送日期晚于数据截至日期）的，记为“缺报”。",
    f"报告已报送、但报送日期晚于次月 {REPORT_DUE_DAY} 日的，记为“迟报”。",
]

PLAN_RULES: list[str] = [
    "督查方案中的工作措施和督查方式没有进度百分比，状态按完成日期和时限判断。",
    "填写了完成日期且不晚于数据截至日期的为“已完成”；完成日期晚于时限的，标注“逾期完成”。",
    "方案写明开始日期或日期区间（如 2018年4月13至20日）的，开始前为“未开始”；未写明的，按方案开始执行日期。",
    "未完成的，按时限判断逾期、临期（规则同任务）；其余为“按序时推进”。",
    "方案没有规定时限的（如每季度一次的测评、随时开展的明查暗访），未完成时显示“持续开展”。",
]

BULLETIN_RULES: list[str] = [
    "月度通报从专项行动开始的月份起每月一期，到数据截至日期所在月份为止。",
    "每期通报的状态按该月最后一天计算（当月即数据截至月份的，按数据截至日期计算）。",
    "“本月完成的任务”指首次报送 100% 进度的报告月份为该月的任务。",
    "年终专项督查报告按当年 12 月 31 日计算；当年尚未结束的，按数据截至日期计算并注明。",
]


# --- Results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskState:
    action_id: str
    task_id: str
    status: str
    percent: float | None  # latest reported percent; None when never reported
    expected: float  # 序时进度 in percent
    start: date
    due: date
    days_left: int  # due - as_of in days; negative when past due
    report_month: str | None  # month of the report the percent comes from
    completed_month: str | None  # first report month with 100 %
    completed_late: bool  # completed, but a report at/after the deadline month showed < 100 %

    @property
    def gap(self) -> float:
        """Percentage points behind 序时进度 (positive = behind)."""
        return self.expected - (self.percent or 0.0)


@dataclass(frozen=True)
class MissingReport:
    action_id: str
    month: str  # YYYY-MM the report covers
    due: date  # last day it could be submitted on time


@dataclass(frozen=True)
class LateReport:
    action_id: str
    month: str
    due: date
    submitted: date


@dataclass(frozen=True)
class ActionState:
    action_id: str
    status: str
    progress: float  # weighted, 0..100
    expected: float  # weighted 序时进度
    tasks: tuple[TaskState, ...]
    task_counts: dict[str, int]
    months_due: tuple[str, ...]  # months whose report was due by as_of
    missing: tuple[MissingReport, ...]
    late: tuple[LateReport, ...]
    latest_report_month: str | None


@dataclass(frozen=True)
class PlanItemState:
    kind: str  # "measure" or "method"
    item_id: str
    status: str
    start: date | None
    due: date | None
    done: date | None
    completed_late: bool


@dataclass(frozen=True)
class CampaignState:
    progress: float
    expected: float  # mean of the actions' 序时进度
    task_counts: dict[str, int]
    action_counts: dict[str, int]
    task_total: int
    action_total: int
    missing_total: int


@dataclass(frozen=True)
class Derived:
    """Everything the schedule says about a dataset as of one date."""

    as_of: date
    tasks: dict[str, TaskState]
    actions: dict[str, ActionState]
    campaign: CampaignState
    missing: tuple[MissingReport, ...]
    late_reports: tuple[LateReport, ...]
    plan_items: dict[str, PlanItemState] = field(default_factory=dict)

    def tasks_with(self, *statuses: str) -> list[TaskState]:
        """Tasks in any of the statuses, most urgent first, then by deadline and id."""
        order = {s: i for i, s in enumerate(TASK_STATUSES)}
        chosen = [t for t in self.tasks.values() if t.status in statuses]
        return sorted(chosen, key=lambda t: (order[t.status], t.due, t.task_id))

    def to_dict(self) -> dict:
        """Plain JSON-ready data (dates as ISO strings) for open-data exports."""
        def task(t: TaskState) -> dict:
            return {"action": t.action_id, "task": t.task_id, "status": t.status, "percent": t.percent,
                    "expected": round(t.expected, 1), "start": t.start.isoformat(), "due": t.due.isoformat(),
                    "days_left": t.days_left, "report_month": t.report_month,
                    "completed_month": t.completed_month, "completed_late": t.completed_late}
        return {
            "as_of": self.as_of.isoformat(),
            "campaign": {"progress": round(self.campaign.progress, 1), "expected": round(self.campaign.expected, 1),
                         "task_counts": self.campaign.task_counts,
                         "action_counts": self.campaign.action_counts, "missing_reports": self.campaign.missing_total},
            "actions": [{"action": a.action_id, "status": a.status, "progress": round(a.progress, 1),
                         "expected": round(a.expected, 1), "task_counts": a.task_counts,
                         "missing_months": [x.month for x in a.missing],
                         "late_months": [x.month for x in a.late],
                         "latest_report_month": a.latest_report_month,
                         "tasks": [task(t) for t in a.tasks]} for a in self.actions.values()],
            "plan_items": [{"kind": p.kind, "id": p.item_id, "status": p.status,
                            "due": p.due.isoformat() if p.due else None,
                            "done": p.done.isoformat() if p.done else None,
                            "completed_late": p.completed_late} for p in self.plan_items.values()],
        }


# --- Pure rules -------------------------------------------------------------------------------


def month_of(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def month_start(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


def next_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + 1}-01" if mon == 12 else f"{year}-{mon + 1:02d}"


# Pure functions of a few dozen months, called for every action at every bulletin date.
@lru_cache(maxsize=4096)
def months_between(first: str, last: str) -> tuple[str, ...]:
    """Every YYYY-MM from first to last inclusive (empty when last < first)."""
    months, current = [], first
    while current <= last:
        months.append(current)
        current = next_month(current)
    return tuple(months)


@lru_cache(maxsize=4096)
def report_due_date(month: str) -> date:
    """The last day a month's report is on time: REPORT_DUE_DAY of the next month."""
    following = month_start(next_month(month))
    return following.replace(day=REPORT_DUE_DAY)


def expected_percent(start: date, due: date, as_of: date) -> float:
    """序时进度: share of the planned days (both ends counted) elapsed by as_of."""
    planned = (due - start).days + 1
    elapsed = (as_of - start).days + 1
    if planned <= 0:
        return 100.0
    return max(0.0, min(100.0, 100.0 * elapsed / planned))


def task_status(start: date, due: date, percent: float | None, as_of: date) -> str:
    """One task's status; precedence as PRECEDENCE_RULE states."""
    if percent is not None and percent >= 100:
        return DONE
    days_left = (due - as_of).days
    if days_left < 0:
        return OVERDUE
    if days_left <= DUE_SOON_DAYS:
        return DUE_SOON
    if as_of < start:
        return NOT_STARTED
    if expected_percent(start, due, as_of) - (percent or 0.0) > BEHIND_THRESHOLD:
        return BEHIND
    if not percent:
        return NOT_STARTED
    return ON_TRACK


def completed_late(due: date, percents: Iterable[tuple[str, float]]) -> bool:
    """Completed after the deadline: a report for the deadline's month or later still
    showed the task below 100 % (without such a report there is no evidence of lateness)."""
    return any(month >= month_of(due) and percent < 100 for month, percent in percents)


def weighted_progress(pairs: Iterable[tuple[float, float | None]]) -> float:
    """Σ(weight × percent) ÷ Σweight; unreported counts as 0; all-zero weights → plain mean."""
    items = [(w, p or 0.0) for w, p in pairs]
    if not items:
        return 0.0
    total = sum(w for w, _ in items)
    if total <= 0:
        return sum(p for _, p in items) / len(items)
    return sum(w * p for w, p in items) / total


def action_status(statuses: Iterable[str]) -> str:
    """Roll task statuses up to the action (see PROGRESS_RULES)."""
    statuses = list(statuses)
    open_ = [s for s in statuses if s != DONE]
    if not open_:
        return DONE
    for urgent in (OVERDUE, DUE_SOON, BEHIND):
        if urgent in open_:
            return urgent
    if all(s == NOT_STARTED for s in open_) and len(open_) == len(statuses):
        return NOT_STARTED
    return ON_TRACK


def plan_item_status(start: date | None, due: date | None, done: date | None, as_of: date) -> tuple[str, bool]:
    """(status, completed_late) of a plan measure or supervision method."""
    if done is not None and done <= as_of:
        return DONE, due is not None and done > due
    if start is not None and as_of < start:
        return NOT_STARTED, False
    if due is None:
        return ONGOING, False
    days_left = (due - as_of).days
    if days_left < 0:
        return OVERDUE, False
    if days_left <= DUE_SOON_DAYS:
        return DUE_SOON, False
    return ON_TRACK, False


def count_statuses(statuses: Iterable[str], order: tuple[str, ...] = TASK_STATUSES) -> dict[str, int]:
    """Counts for every status in order, zeros included, so tables have fixed rows."""
    counts = Counter(statuses)
    return {s: counts.get(s, 0) for s in order}


# --- Derivation over a dataset ------------------------------------------------------------------


def _action_state(action: "m.Action", reports: list["m.Report"], as_of: date) -> ActionState:
    as_of_month = month_of(as_of)
    visible = sorted((r for r in reports if r.month <= as_of_month), key=lambda r: r.month)
    latest: dict[str, tuple[float, str]] = {}
    history: dict[str, list[tuple[str, float]]] = {}
    completed: dict[str, str] = {}
    all_done_month: str | None = None
    task_ids = [t.id for t in action.tasks]
    for report in visible:
        for item in report.tasks:
            latest[item.task] = (item.percent, report.month)
            history.setdefault(item.task, []).append((report.month, item.percent))
            if item.percent >= 100 and item.task not in completed:
                completed[item.task] = report.month
        if all_done_month is None and all(latest.get(t, (0, ""))[0] >= 100 for t in task_ids):
            all_done_month = report.month

    states = []
    for task in action.tasks:
        percent, month = latest.get(task.id, (None, None))
        due = task.deadline.due
        done_month = completed.get(task.id) if percent is not None and percent >= 100 else None
        states.append(TaskState(
            action_id=action.id, task_id=task.id,
            status=task_status(task.start, due, percent, as_of),
            percent=percent, expected=expected_percent(task.start, due, as_of),
            start=task.start, due=due, days_left=(due - as_of).days, report_month=month,
            completed_month=done_month,
            completed_late=done_month is not None and completed_late(due, history.get(task.id, [])),
        ))

    first = action.reports_from or month_of(action.start)
    last = month_of(max(t.deadline.due for t in action.tasks))
    if all_done_month is not None:
        last = min(last, all_done_month)
    reporting_months = months_between(first, last)
    months_due = [mo for mo in reporting_months if report_due_date(mo) < as_of]
    by_month = {r.month: r for r in reports if r.submitted <= as_of}
    missing = tuple(MissingReport(action.id, mo, report_due_date(mo)) for mo in months_due if mo not in by_month)
    late = tuple(LateReport(action.id, mo, report_due_date(mo), by_month[mo].submitted)
                 for mo in reporting_months
                 if mo in by_month and by_month[mo].submitted > report_due_date(mo))
    weights = [t.weight for t in action.tasks]
    return ActionState(
        action_id=action.id,
        status=action_status(s.status for s in states),
        progress=weighted_progress(zip(weights, (s.percent for s in states))),
        expected=weighted_progress(zip(weights, (s.expected for s in states))),
        tasks=tuple(states),
        task_counts=count_statuses(s.status for s in states),
        months_due=tuple(months_due),
        missing=missing,
        late=late,
        latest_report_month=visible[-1].month if visible else None,
    )


def _plan_items(dataset: "Dataset", as_of: date) -> dict[str, PlanItemState]:
    plan = dataset.plan
    items: dict[str, PlanItemState] = {}
    for x in plan.measures:
        due = x.deadline.due if x.deadline else None
        start = x.start or (x.deadline.start if x.deadline else None) or plan.start
        status, late = plan_item_status(start, due, x.done, as_of)
        items[x.id] = PlanItemState("measure", x.id, status, start, due, x.done, late)
    for x in plan.methods:
        due = x.deadline.due if x.deadline else None
        start = (x.deadline.start if x.deadline else None) or plan.start
        done = x.done
        status, late = plan_item_status(start, due, done, as_of)
        items[x.id] = PlanItemState("method", x.id, status, start, due, done, late)
    return items


def derive(dataset: "Dataset", as_of: date | None = None) -> Derived:
    """All schedule facts of the dataset as of `as_of` (default: the data date)."""
    as_of = as_of or dataset.as_of
    reports_by_action = dataset.reports_by_action
    actions = {a.id: _action_state(a, reports_by_action.get(a.id, []), as_of)
               for a in sorted(dataset.action_list, key=lambda a: a.id)}
    tasks = {t.task_id: t for a in actions.values() for t in a.tasks}
    missing = tuple(x for a in actions.values() for x in a.missing)
    late = tuple(x for a in actions.values() for x in a.late)
    count = len(actions) or 1
    campaign = CampaignState(
        progress=sum(a.progress for a in actions.values()) / count,
        expected=sum(a.expected for a in actions.values()) / count,
        task_counts=count_statuses(t.status for t in tasks.values()),
        action_counts=count_statuses(a.status for a in actions.values()),
        task_total=len(tasks), action_total=len(actions), missing_total=len(missing),
    )
    return Derived(as_of, tasks, actions, campaign, missing, late, _plan_items(dataset, as_of))


def derive_once(dataset: "Dataset", as_of: date | None = None) -> Derived:
    """derive() memoised on the dataset per date: pages, bulletins and open data read the
    same facts, and a build derives each date once."""
    day = as_of or dataset.as_of
    return dataset.once(("schedule.derive", day), lambda: derive(dataset, day))


def period_ends(dataset: "Dataset") -> list[tuple[str, date]]:
    """(YYYY-MM, the date its bulletin is computed at) from campaign start to as_of's month."""
    as_of = dataset.as_of
    months = months_between(month_of(dataset.site.campaign_start), month_of(as_of))
    return [(mo, min(last_day(int(mo[:4]), int(mo[5:])), as_of)) for mo in months]


def year_end(dataset: "Dataset", year: int) -> date:
    """The date a year's report is computed at: 31 December, or as_of within that year."""
    return min(date(year, 12, 31), dataset.as_of)



def monthly(dataset: "Dataset") -> list[tuple[str, Derived]]:
    """(YYYY-MM, facts as of that month's end) for every bulletin month, oldest first."""
    return [(month, derive(dataset, at)) for month, at in period_ends(dataset)]
