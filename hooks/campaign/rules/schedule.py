"""Schedule facts derived as of a data date: task statuses, progress roll-ups, 缺报.

Nothing here is typed by editors: every status comes from the records and `as_of`.
The thresholds are module constants and the 统计口径 page prints them (together with
dates.DEADLINE_RULES), so the page and the computation cannot drift apart.

Entry point for pages and exports: `derive(dataset, as_of=None) -> Derived`.
"""
from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date
from typing import TYPE_CHECKING, Iterable

from campaign.records.dates import Month
from campaign.records.digest import digest_of

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

@dataclass(frozen=True)
class Rules:
    """The numbers the rules use. They are data (site.yml `schedule:`), not code: the
    defaults below apply when site.yml leaves them out, and the 统计口径 page prints them
    with their basis and marks them 示例/默认 when the plan does not state them."""

    report_due_day: int = 10  # a month's progress report is due by this day of the following month
    behind_threshold: float = 10  # percentage points below 序时进度 before a task counts as 滞后
    due_soon_days: int = 15  # a task not done and due within this many days (that day included) is 临期
    basis: str = ""
    sample: bool = True


DEFAULT_RULES = Rules()
# The defaults by their old names (tests and benchmarks read them).
BEHIND_THRESHOLD = DEFAULT_RULES.behind_threshold
DUE_SOON_DAYS = DEFAULT_RULES.due_soon_days
REPORT_DUE_DAY = DEFAULT_RULES.report_due_day


def rules_of(dataset) -> Rules:
    """The dataset's settings (site.yml `schedule:`), defaults where absent."""
    settings = getattr(getattr(dataset, "site", None), "schedule", None)
    if settings is None:
        return DEFAULT_RULES
    return Rules(settings.report_due_day, settings.behind_threshold, settings.due_soon_days,
                 settings.basis, settings.sample)


def _num(value: float) -> str:
    return f"{value:g}"


def status_rules(r: Rules = DEFAULT_RULES) -> list[tuple[str, str]]:
    return [
        (DONE, "最新一次报送的进度为 100%，或任务对应的方案措施已填写完成日期。即使已过完成时限也算已完成；"
               "若完成时限所在月份或之后月份的报告中该任务进度仍低于 100%，之后才报 100%，标注“逾期完成”。"),
        (OVERDUE, "已过完成时限（时限当天不算逾期，次日起算），且完成时限所在月份的进展报告已到报送截止日，"
                  "报告中进度未达 100%（或未报送）。"),
        (DUE_SOON, f"距完成时限不超过 {r.due_soon_days} 天（含时限当天），进度未达 100%；"
                   "或已过完成时限、但完成时限所在月份的进展报告还没到报送截止日（等待报告确认是否按时完成）。"),
        (NOT_STARTED, "统计时点早于任务开始日期；或已到开始日期但尚未报送进度（或进度为 0），"
                      "且还没有落后于序时进度。"),
        (BEHIND, f"最新进度比统计时点（统计月份最后一天）的序时进度低 {_num(r.behind_threshold)} 个百分点以上"
                 f"（不含 {_num(r.behind_threshold)} 个百分点）。尚未报送进度的任务按 0% 计。"),
        (ON_TRACK, "已开始、未完成，不属于以上任何一种情况。"),
    ]


def period_rule(r: Rules = DEFAULT_RULES) -> str:
    return (f"按报送周期判断：某月的进展报告说明该月月底的进度，与该月月底的序时进度比较。"
            f"某一天（数据截至日期）的状态，以当天已到报送截止日（次月 {r.report_due_day} 日）的最近一个月份为统计月份，"
            f"统计时点为该月最后一天；下个月的报告还没到截止日的，不因此算作滞后。"
            "某月的报告提前报送了的，统计月份取该月。")


def missing_rules(r: Rules = DEFAULT_RULES) -> list[str]:
    return [
        f"每个专项行动每月报送一次进展。某月的进展报告应在次月 {r.report_due_day} 日前（含 {r.report_due_day} 日）报送。",
        "应报月份从行动的首次报送月份（reports_from）开始；未填写的，从行动开始日期所在月份开始；"
        "到最晚的任务完成时限所在月份为止；全部任务都已报 100% 的，此后各月不再要求报送。",
        f"数据截至日期已过次月 {r.report_due_day} 日、仍没有该月报告（或报告的报送日期晚于数据截至日期）的，记为“缺报”；"
        f"截止日当天及以前不算缺报。",
        f"报告已报送、但报送日期晚于次月 {r.report_due_day} 日的，记为“迟报”。",
    ]


STATUS_RULES: list[tuple[str, str]] = status_rules()

PRECEDENCE_RULE = ("判断顺序：已完成 → 逾期 → 临期 → 未开始（未到开始日期）→ 滞后 → 未开始（尚无进度）→ 按序时推进，"
                   "取第一个符合的状态。临期或逾期的任务即使进度落后，也只显示临期或逾期。")

EXPECTED_RULE = ("序时进度 = 已过天数 ÷ 计划天数 × 100%。计划天数从开始日期到完成时限（两头都算）；"
                 "已过天数从开始日期到统计时点（两头都算），不足 0 按 0、超过计划天数按 100% 计。闰年 2 月 29 日照常计为一天。")

LATEST_RULE = ("最新进度取统计月份及以前、报送日期不晚于数据截至日期的最近一份进展报告中该任务的进度；"
               "报告报送后更正过的，更正日期以前按原进度、以后按更正后的进度计。"
               "从未报送过该任务进度的，显示“—”，计算进度时按 0% 计。")

PROGRESS_RULES: list[str] = [
    "专项行动的总体进度 = 各任务最新进度按权重加权平均：Σ(权重 × 进度) ÷ Σ权重。",
    "权重为 0 的任务不影响加权进度，但照常计算状态。全部任务权重都为 0 时，按各任务进度的简单平均计算。",
    "专项行动的序时进度按同样的权重对各任务的序时进度加权平均。",
    "专项行动的状态：全部任务已完成为“已完成”；否则按未完成任务中最紧急的状态，依次为逾期、临期、滞后；"
    "未完成任务都未开始且没有任务已完成为“未开始”；其余为“按序时推进”。",
    "专项督查整体进度 = 各专项行动总体进度的简单平均（每个专项行动分量相同）。",
]

MISSING_RULES: list[str] = missing_rules()

PLAN_RULES: list[str] = [
    "督查方案中的工作措施和督查方式没有进度百分比，状态按完成日期和时限判断。",
    "填写了完成日期且不晚于数据截至日期的为“已完成”；完成日期晚于时限的，标注“逾期完成”。",
    "方案写明开始日期或日期区间（如 2018年4月13至20日）的，开始前为“未开始”；未写明的，按方案开始执行日期。",
    "未完成的，按时限判断逾期、临期（规则同任务）；其余为“按序时推进”。",
    "方案没有规定时限的（如每季度一次的测评、随时开展的明查暗访），未完成时显示“持续开展”。",
]

BULLETIN_RULES: list[str] = [
    "月度通报是印发的文件：每期有印发记录（data/bulletins/，印发日期、期号、印发单位、按语）。没有印发记录的月份不显示通报。",
    "每期通报的统计月份为所通报的月份，统计时点为该月最后一天；只统计印发日期及以前报送的进展报告，"
    "印发以后迟到或更正的报告不改变已印发的通报。",
    "“本月完成的任务”指首次报送 100% 进度的报告月份为通报月份的任务（或对应方案措施的完成日期在该月）。",
    "年终专项督查报告在数据截至日期已过方案规定的专项督查时间（2018年11月中旬）后才形成，按当年 12 月 31 日"
    "（当年尚未结束的，按数据截至日期）计算。",
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
    period_end: date | None = None  # the statistics point the status is judged at
    done_by_plan: bool = False  # done because its plan measure has a 完成日期
    deadline_text: str = ""  # the deadline as worded on as_of (before later adjustments)

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
    period: str | None = None  # the month judged (统计月份)
    period_end: date | None = None  # its last day (统计时点)


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
    period: str | None = None  # 统计月份: the latest month whose report was due (or a bulletin's month)
    period_end: date | None = None  # 统计时点
    rules: Rules = DEFAULT_RULES

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
            "period": self.period,
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


# Reporting periods are written "YYYY-MM" in the records; the arithmetic is records.dates.Month.
@lru_cache(maxsize=4096)
def _month(text: str) -> Month:
    return Month.parse(text)


# Pure and called for every report, task and date of every derivation (hundreds of thousands
# of times at scale): memoised. Dates and months of a project are a few thousand at most.
@lru_cache(maxsize=8192)
def month_of(day: date) -> str:
    return str(Month.of(day))


def month_start(month: str) -> date:
    return _month(month).first_day


def next_month(month: str) -> str:
    return str(_month(month).next())


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
def report_due_date(month: str, due_day: int = REPORT_DUE_DAY) -> date:
    """The last day a month's report is on time: `due_day` of the next month."""
    following = month_start(next_month(month))
    return following.replace(day=due_day)


@lru_cache(maxsize=4096)
def month_end(month: str) -> date:
    return _month(month).last_day


def previous_month(month: str) -> str:
    return str(_month(month).previous())


@lru_cache(maxsize=4096)
def due_period(as_of: date, due_day: int = REPORT_DUE_DAY) -> str:
    """The latest month whose report is past its due day on `as_of` (缺报 counts from the
    day after): on 30 September with due day 10, August; on 10 September, July."""
    month = previous_month(month_of(as_of))
    while report_due_date(month, due_day) >= as_of:
        month = previous_month(month)
    return month


def expected_percent(start: date, due: date, as_of: date) -> float:
    """序时进度: share of the planned days (both ends counted) elapsed by as_of."""
    planned = (due - start).days + 1
    elapsed = (as_of - start).days + 1
    if planned <= 0:
        return 100.0
    return max(0.0, min(100.0, 100.0 * elapsed / planned))


def task_status(start: date, due: date, percent: float | None, as_of: date, rules: Rules = DEFAULT_RULES) -> str:
    """One task's status at a statistics point; precedence as PRECEDENCE_RULE states. The
    period rule judged at the statistics point itself (progress known on that day)."""
    return period_task_status(start, due, percent, as_of, as_of, month_of(as_of), rules)


def period_task_status(start: date, due: date, percent: float | None, at: date, as_of: date, period: str,
                       rules: Rules = DEFAULT_RULES) -> str:
    """A task's status by reporting period (period_rule): progress is compared with the
    序时进度 at `at` (the end of the month judged), the deadline with the calendar on as_of.
    逾期 needs evidence: the report for the deadline's month was due (or in) and not 100 %;
    past the deadline while that report is not due yet, the task is 临期 (awaiting report)."""
    if percent is not None and percent >= 100:
        return DONE
    if due < as_of:
        return OVERDUE if month_of(due) <= period else DUE_SOON
    if (due - as_of).days <= rules.due_soon_days:
        return DUE_SOON
    if at < start:
        return NOT_STARTED
    if expected_percent(start, due, at) - (percent or 0.0) > rules.behind_threshold:
        return BEHIND
    if not percent:
        return NOT_STARTED
    return ON_TRACK


def completed_late(due: date, percents: Iterable[tuple[str, float]]) -> bool:
    """Completed after the deadline: a report for the deadline's month or later still
    showed the task below 100 % (without such a report there is no evidence of lateness)."""
    due_month = month_of(due)
    return any(month >= due_month and percent < 100 for month, percent in percents)


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


def plan_item_status(start: date | None, due: date | None, done: date | None, as_of: date,
                     rules: Rules = DEFAULT_RULES) -> tuple[str, bool]:
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
    if days_left <= rules.due_soon_days:
        return DUE_SOON, False
    return ON_TRACK, False


def count_statuses(statuses: Iterable[str], order: tuple[str, ...] = TASK_STATUSES) -> dict[str, int]:
    """Counts for every status in order, zeros included, so tables have fixed rows."""
    counts = Counter(statuses)
    return {s: counts.get(s, 0) for s in order}


# --- Derivation over a dataset ------------------------------------------------------------------


def deadline_known(task: "m.Task", as_of: date):
    """The task's deadline as it stood on as_of: an adjustment dated later is not known yet."""
    changes = getattr(task, "deadline_changes", None)
    if not changes:
        return task.deadline
    later = sorted((c for c in changes if c.date > as_of), key=lambda c: c.date)
    return later[0].was if later else task.deadline


def percent_known(report: "m.Report", item: "m.TaskProgress", as_of: date) -> float:
    """A report's percent for one task as it stood on `as_of`: a correction dated later
    is not known yet, so the originally published value stands."""
    if not report.corrections:
        return item.percent
    later = sorted((c for c in report.corrections if c.task == item.task and c.date > as_of), key=lambda c: c.date)
    return later[0].was if later else item.percent


@dataclass(frozen=True)
class _ReportFacts:
    """One report as the derivation reads it at every date: fixed facts taken once."""

    month: str
    month_end: date
    submitted: date
    # (task, published percent, corrections of that task as (date, was) by date, or ())
    items: tuple[tuple[str, float, tuple[tuple[date, float], ...]], ...]
    corrected: bool  # any item has corrections


@dataclass(frozen=True)
class ActionFacts:
    """What `_action_state` needs of an action's reports that does not depend on the date:
    computed once per action and build, then read at every bulletin date and month end
    (otherwise each of those derivations re-sorts reports and corrections, quadratic in months)."""

    by_month: tuple[_ReportFacts, ...]  # sorted by month (stable: equal months keep file order)
    submitted: dict[str, tuple[date, ...]]  # month → its reports' submission dates, in the given order
    # Memo of the walks over the visible reports (_walk: keyed by what a walk reads) and of
    # the reporting months' due and submission dates (_month_plan), shared by every date.
    walks: dict = field(default_factory=dict, compare=False, repr=False)


def action_facts(reports: list["m.Report"]) -> ActionFacts:
    def facts(r: "m.Report") -> _ReportFacts:
        items = []
        for item in r.tasks:
            # sorted() is stable, so corrections on one date keep their order, as percent_known reads them.
            fixes = tuple((c.date, c.was) for c in sorted((c for c in r.corrections if c.task == item.task),
                                                            key=lambda c: c.date)) if r.corrections else ()
            items.append((item.task, item.percent, fixes))
        return _ReportFacts(r.month, month_end(r.month), r.submitted, tuple(items), any(x[2] for x in items))
    submitted: dict[str, list[date]] = {}
    for r in reports:
        submitted.setdefault(r.month, []).append(r.submitted)
    return ActionFacts(tuple(facts(r) for r in sorted(reports, key=lambda r: r.month)),
                       {month: tuple(days) for month, days in submitted.items()})


def _submitted_by(days: tuple[date, ...] | None, as_of: date) -> date | None:
    # The submission date of the month's report known on as_of (the last one in file order,
    # as a dict built over the reports keeps it); None when none was submitted by then.
    found = None
    for day in days or ():
        if day <= as_of:
            found = day
    return found


def _month_plan(facts: ActionFacts, months: tuple[str, ...], due_day: int):
    """The reporting months, their reports' due dates (ascending) and submission dates."""
    key = ("months", months, due_day)
    plan = facts.walks.get(key)
    if plan is None:
        plan = facts.walks[key] = (months, tuple(report_due_date(mo, due_day) for mo in months),
                                   tuple(facts.submitted.get(mo) for mo in months))
    return plan


def _walk(facts: ActionFacts, visible: list[int], task_ids: tuple[str, ...], as_of: date):
    """Latest percent and month per task, the last month each task was below 100 %, the first
    month at 100 % per task and the month all tasks reached 100 %, from the visible reports
    (indexes into facts.by_month, in month order). Memoised on facts; callers do not mutate.

    The walk is a fold over the reports in month order, so it continues from the longest
    prefix walked before: each month end and bulletin date mostly sees the reports of the
    one before it and one more month. A prefix is looked up by its reports, the tasks, and
    as_of once a report with corrections is among them (before that as_of is not read)."""
    walks, by_month, count = facts.walks, facts.by_month, len(visible)
    first_fix = next((n for n, i in enumerate(visible) if by_month[i].corrected), count)

    def key(length: int) -> tuple:
        return (tuple(visible[:length]), task_ids, as_of if length > first_fix else None)

    done = count
    found = walks.get(key(done))
    if found is not None:
        return found
    while done > 0:
        done -= 1
        found = walks.get(key(done)) if done else None
        if found is not None:
            break
    if found is None:
        latest: dict[str, tuple[float, str]] = {}
        last_below: dict[str, str] = {}
        completed: dict[str, str] = {}
        all_done_month: str | None = None
    else:
        latest, last_below, completed = dict(found[0]), dict(found[1]), dict(found[2])
        all_done_month = found[3]
    for step in range(done, count):
        report = by_month[visible[step]]
        month = report.month
        for task_id, percent, fixes in report.items:
            if fixes:
                percent = _known_percent(percent, fixes, as_of)
            latest[task_id] = (percent, month)
            if percent < 100:
                last_below[task_id] = month  # months ascend: the last is the latest
            elif task_id not in completed:
                completed[task_id] = month
        if all_done_month is None and all(latest.get(t, (0, ""))[0] >= 100 for t in task_ids):
            all_done_month = month
        if step + 1 < count:  # a prefix later dates may continue from (a copy: the walk goes on)
            walks[key(step + 1)] = (dict(latest), dict(last_below), dict(completed), all_done_month)
    found = walks[key(count)] = (latest, last_below, completed, all_done_month)
    return found


def _known_percent(percent: float, fixes: tuple[tuple[date, float], ...], as_of: date) -> float:
    # percent_known on precomputed facts: the earliest correction dated after as_of gives the
    # value published before it; none later, the current value stands.
    for day, was in fixes:
        if day > as_of:
            return was
    return percent


def _action_state(action: "m.Action", reports: list["m.Report"], as_of: date, rules: Rules,
                  period: str | None, plan_done: dict[str, date], facts: ActionFacts | None = None) -> ActionState:
    if facts is None:
        facts = action_facts(reports)
    # Reports known on as_of: submitted by then, and for a month that has ended by then.
    by_month = facts.by_month
    known = [i for i, r in enumerate(by_month) if r.submitted <= as_of and r.month_end <= as_of]
    if period is None:
        period = max([due_period(as_of, rules.report_due_day)] + [by_month[i].month for i in known])
    at = min(month_end(period), as_of)
    visible = [i for i in known if by_month[i].month <= period]  # known is already in month order
    latest, last_below, completed, all_done_month = _walk(facts, visible, tuple(t.id for t in action.tasks), as_of)
    completed = dict(completed)  # plan completions are added below; the walk is shared

    states = []
    for task in action.tasks:
        percent, month = latest.get(task.id, (None, None))
        deadline = deadline_known(task, as_of)
        due = deadline.due
        done_on = plan_done.get(task.plan_measure) if task.plan_measure else None
        by_plan = done_on is not None and done_on <= as_of and (percent is None or percent < 100)
        if by_plan:
            percent, month = 100.0, None
            completed[task.id] = month_of(done_on)
        done_month = completed.get(task.id) if percent is not None and percent >= 100 else None
        # completed_late(due, history): a report at or after the deadline's month below 100 %,
        # i.e. the last month below 100 % is not before it
        below = last_below.get(task.id)
        late = (done_on > due) if by_plan else (
            done_month is not None and below is not None and below >= month_of(due))
        states.append(TaskState(
            action_id=action.id, task_id=task.id,
            status=period_task_status(task.start, due, percent, at, as_of, period, rules),
            percent=percent, expected=expected_percent(task.start, due, at),
            start=task.start, due=due, days_left=(due - as_of).days, report_month=month,
            completed_month=done_month, completed_late=late, period_end=at, done_by_plan=by_plan,
            deadline_text=deadline.text,
        ))

    first = action.reports_from or month_of(action.start)
    last = month_of(max(s.due for s in states))
    if all_done_month is not None:
        last = min(last, all_done_month)
    reporting_months = months_between(first, last)
    # Months whose report was due by as_of (due dates ascend with the months: a prefix),
    # those of them without a report submitted by then (缺报), and reports submitted after
    # their due day (迟报; submitted by as_of and after the due day, so due before as_of too).
    months, dues, days = _month_plan(facts, reporting_months, rules.report_due_day)
    count = bisect_left(dues, as_of)
    months_due = months[:count]
    missing_list, late_list = [], []
    for mo, due_day, submissions in zip(months_due, dues, days):
        submitted = _submitted_by(submissions, as_of)
        if submitted is None:
            missing_list.append(MissingReport(action.id, mo, due_day))
        elif submitted > due_day:
            late_list.append(LateReport(action.id, mo, due_day, submitted))
    missing, late = tuple(missing_list), tuple(late_list)
    weights = [t.weight for t in action.tasks]
    return ActionState(
        action_id=action.id,
        status=action_status(s.status for s in states),
        progress=weighted_progress(zip(weights, (s.percent for s in states))),
        expected=weighted_progress(zip(weights, (s.expected for s in states))),
        tasks=tuple(states),
        task_counts=count_statuses(s.status for s in states),
        months_due=months_due,
        missing=missing,
        late=late,
        latest_report_month=by_month[visible[-1]].month if visible else None,
        period=period, period_end=at,
    )


def _plan_items(dataset: "Dataset", as_of: date, rules: Rules) -> dict[str, PlanItemState]:
    plan = dataset.plan
    items: dict[str, PlanItemState] = {}
    for x in plan.measures:
        due = x.deadline.due if x.deadline else None
        start = x.start or (x.deadline.start if x.deadline else None) or plan.start
        status, late = plan_item_status(start, due, x.done, as_of, rules)
        items[x.id] = PlanItemState("measure", x.id, status, start, due, x.done, late)
    for x in plan.methods:
        due = x.deadline.due if x.deadline else None
        start = (x.deadline.start if x.deadline else None) or plan.start
        done = x.done
        status, late = plan_item_status(start, due, done, as_of, rules)
        items[x.id] = PlanItemState("method", x.id, status, start, due, done, late)
    return items


# --- Reuse between builds (the preview) ----------------------------------------------------------
# An action's state depends only on the action, its reports, the date, the period, the rules
# and the plan's completion dates. The preview rebuilds after every save and derives the
# states of every action at every month end (charts, bulletins); between two saves one
# report changed, so the states of every other action are taken from the previous build,
# looked up by the content digests of those inputs (never by identity or timestamps).

_between_builds = {"on": False}
# The states the previous build derived and those this build derived so far: memory stays
# bounded by two builds' worth, however many actions and months.
_states: dict[str, dict[tuple, ActionState]] = {"previous": {}, "current": {}}


def reuse_between_builds(on: bool) -> None:
    """Keep action states between builds of this process (the adapter turns it on for the
    preview, at the start of each build)."""
    _between_builds["on"] = on
    if not on:
        _states["previous"], _states["current"] = {}, {}
    elif _states["current"]:  # (a build stopped before deriving anything leaves the previous one's)
        _states["previous"], _states["current"] = _states["current"], {}


def _facts_once(dataset, action, reports) -> ActionFacts | None:
    if not hasattr(dataset, "once"):
        return None
    return dataset.once(("schedule.facts", action.id), lambda: action_facts(reports))


def _fresh_state(dataset, action, reports, as_of, rules, period, plan_done) -> ActionState:
    return _action_state(action, reports, as_of, rules, period, plan_done, _facts_once(dataset, action, reports))


def _remembered_state(dataset, action, reports, as_of, rules, period, plan_done) -> ActionState:
    inputs = dataset.once(("schedule.inputs", action.id), lambda: (
        digest_of(dataset, action), tuple(digest_of(dataset, r) for r in reports),
        tuple(sorted(plan_done.items()))))
    key = (inputs, as_of, rules, period)
    current = _states["current"]
    state = current.get(key)
    if state is None:
        state = _states["previous"].get(key) or _action_state(action, reports, as_of, rules, period, plan_done,
                                                              _facts_once(dataset, action, reports))
        current[key] = state
    return state


def derive(dataset: "Dataset", as_of: date | None = None, period: str | None = None) -> Derived:
    """All schedule facts of the dataset known on `as_of` (default: the data date).

    Statuses are judged by reporting period (period_rule): at the end of `period`, or, by
    default, of the latest month whose report was due by `as_of` (or already submitted).
    """
    as_of = as_of or dataset.as_of
    rules = rules_of(dataset)
    plan_done = {x.id: x.done for x in dataset.plan.measures if x.done is not None}
    reports_by_action = dataset.reports_by_action
    state = _remembered_state if _between_builds["on"] and hasattr(dataset, "once") else None
    actions = {a.id: (state or _fresh_state)(dataset, a, reports_by_action.get(a.id, []), as_of, rules, period,
                                             plan_done)
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
    shown = period or due_period(as_of, rules.report_due_day)
    return Derived(as_of, tasks, actions, campaign, missing, late, _plan_items(dataset, as_of, rules),
                   period=shown, period_end=min(month_end(shown), as_of), rules=rules)


def derive_once(dataset: "Dataset", as_of: date | None = None, period: str | None = None) -> Derived:
    """derive() memoised on the dataset per date: pages, bulletins and open data read the
    same facts, and a build derives each date once."""
    day = as_of or dataset.as_of
    return dataset.once(("schedule.derive", day, period), lambda: derive(dataset, day, period))


def period_ends(dataset: "Dataset") -> list[tuple[str, date]]:
    """(YYYY-MM, its last day) for every month from the campaign start whose month has
    ended by as_of: the months a bulletin may have been issued for."""
    as_of = dataset.as_of
    months = months_between(month_of(dataset.site.campaign_start), month_of(as_of))
    return [(mo, month_end(mo)) for mo in months if month_end(mo) < as_of]


def year_end_supervision(dataset: "Dataset", year: int) -> date:
    """When the year's 专项督查 (the plan's supervision method of that name) is over: its
    完成日期 if recorded, else its deadline when in that year, else 31 December."""
    for method in dataset.plan.methods:
        if method.name == "专项督查":
            if method.done is not None and method.done.year == year:
                return method.done
            if method.deadline is not None and method.deadline.due.year == year:
                return method.deadline.due
    return date(year, 12, 31)


def year_end_due(dataset: "Dataset", year: int) -> bool:
    """A year-end report exists once the data date has passed the year's 专项督查 (the day
    a completion is recorded counts)."""
    over = year_end_supervision(dataset, year)
    done = any(m_.name == "专项督查" and m_.done == over for m_ in dataset.plan.methods)
    return dataset.as_of >= over if done else dataset.as_of > over


def year_end(dataset: "Dataset", year: int) -> date:
    """The date a year's report is computed at: 31 December, or as_of within that year."""
    return min(date(year, 12, 31), dataset.as_of)


# --- Issued bulletins ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportState:
    """One action's report for the bulletin's month, as known on the issue date."""

    action_id: str
    state: str  # "on_time", "late", "missing", "pending" (not yet due), "none" (not required)
    day: date | None  # submitted, or the due date


@dataclass(frozen=True)
class Bulletin:
    """Everything a monthly 通报 says, computed only from what was known on its issue date.

    One function builds it (`bulletin`), so the page and the .docx export print the same."""

    month: str
    record: "m.Bulletin"
    period_end: date
    x: Derived
    completed: tuple[TaskState, ...]  # first reported 100 % for this month
    problems: tuple[TaskState, ...]  # 逾期, 临期, 滞后
    reports: tuple[ReportState, ...]  # this month's report per action
    cases: tuple  # cases published in the month by the issue date
    sample: bool  # derived from sample data (or the record itself is sample)

    @property
    def issued(self) -> date:
        return self.record.issued


def bulletin_records(dataset: "Dataset") -> dict[str, "m.Bulletin"]:
    """Issue records known on the data date, by month."""
    records = getattr(dataset, "bulletins", None) or []
    return {b.month: b for b in records if b.issued <= dataset.as_of}


def bulletin(dataset: "Dataset", month: str) -> Bulletin | None:
    """The 通报 for `month` as issued; None when no issue record is known on the data date."""
    record = bulletin_records(dataset).get(month)
    if record is None:
        return None
    return _bulletin_once(dataset, record)


def _bulletin_once(dataset: "Dataset", record: "m.Bulletin") -> Bulletin:
    # The bulletin pages, the Word documents and the year-end reports read the same
    # bulletins: each is computed once per build.
    if not hasattr(dataset, "once"):
        return bulletin_from_record(dataset, record)
    return dataset.once(("schedule.bulletin", record.month), lambda: bulletin_from_record(dataset, record))


def bulletin_from_record(dataset: "Dataset", record: "m.Bulletin") -> Bulletin:
    month, issued = record.month, record.issued
    rules = rules_of(dataset)
    x = derive_once(dataset, issued, month) if hasattr(dataset, "once") else derive(dataset, issued, month)
    completed = tuple(sorted((t for t in x.tasks.values() if t.completed_month == month),
                             key=lambda t: (t.action_id, t.task_id)))
    problems = tuple(x.tasks_with(OVERDUE, DUE_SOON, BEHIND))
    due = report_due_date(month, rules.report_due_day)
    states = []
    for action in sorted(dataset.action_list, key=lambda a: a.id):
        report = next((r for r in dataset.reports_by_action.get(action.id, [])
                       if r.month == month and r.submitted <= issued), None)
        if report is not None:
            states.append(ReportState(action.id, "late" if report.submitted > due else "on_time", report.submitted))
        elif any(r.month == month for r in x.actions[action.id].missing):
            states.append(ReportState(action.id, "missing", due))
        elif month in _reporting_months(action) and due >= issued:
            states.append(ReportState(action.id, "pending", due))
        else:
            states.append(ReportState(action.id, "none", None))
    cases = tuple(c for c in getattr(dataset, "cases", []) if month_of(c.date) == month and c.date <= issued)
    used = {r.action for r in dataset.reports if r.month <= month and r.submitted <= issued and r.sample}
    sample = (record.sample or any(a.sample for a in dataset.action_list) or bool(used)
              or any(c.sample for c in cases))
    return Bulletin(month, record, month_end(month), x, completed, problems, tuple(states), cases, sample)


def _reporting_months(action: "m.Action") -> tuple[str, ...]:
    first = action.reports_from or month_of(action.start)
    return months_between(first, month_of(max(t.deadline.due for t in action.tasks)))


def bulletins(dataset: "Dataset") -> list[Bulletin]:
    """Every issued bulletin known on the data date, oldest first."""
    return [_bulletin_once(dataset, r) for _, r in sorted(bulletin_records(dataset).items())]


def progress_series(dataset: "Dataset", action_id: str | None = None) -> list[tuple[str, float, float]]:
    """(month, actual, expected) at each month end whose report was due by the data date:
    the campaign's (or one action's) progress over time, as it is known now."""
    as_of = dataset.as_of
    rules = rules_of(dataset)
    last = due_period(as_of, rules.report_due_day)
    rows = []
    for month in months_between(month_of(dataset.site.campaign_start), last):
        x = derive_once(dataset, as_of, month) if hasattr(dataset, "once") else derive(dataset, as_of, month)
        if action_id is None:
            rows.append((month, x.campaign.progress, x.campaign.expected))
        else:
            a = x.actions[action_id]
            rows.append((month, a.progress, a.expected))
    return rows
