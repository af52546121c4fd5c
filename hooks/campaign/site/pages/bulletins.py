"""Monthly bulletins (每月通报): one generated page per month from the campaign start to the
data date's month, each computed as of that month's last day, and an index of all months.

Each bulletin is also an official document (bulletin_document → exports/docx_export.py),
built from the same facts (_month_facts) as its page and linked from it as 下载（Word）."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from campaign import routes
from campaign.exports import docx_export as dx
from campaign.rules import schedule
from campaign.records.dates import last_day, zh_date, zh_month_of
from campaign.records.loading import Dataset
from campaign.site.pages.base import GeneratedPage, bulletin_src, render_page
from campaign.site.pages.lists import summarised
from campaign.site.pages.paginate import TOP, excerpt
from campaign.site.rendering import percent


list_src = routes.bulletin_list_src


def docx_src(month: str) -> str:
    """The bulletin as a Word document (GB/T 9704), beside its page."""
    return f"bulletins/{month}.docx"


@dataclass(frozen=True)
class _MonthFacts:
    month: str
    at: date
    x: schedule.Derived
    completed: list
    prev: str
    prev_reports: dict
    cases: list


def _month_facts(d: Dataset, month: str, at: date) -> _MonthFacts:
    """What a bulletin says, for its page and its Word document alike."""
    x = schedule.derive_once(d, at)
    completed = sorted((t for t in x.tasks.values() if t.completed_month == month),
                       key=lambda t: (t.action_id, t.task_id))
    prev = _previous_month(month)
    by_key = d.once("bulletins.reports_by_key", lambda: {(r.action, r.month): r for r in d.reports})
    prev_reports = {a.id: _report_state(d, x, by_key.get((a.id, prev)), a.id, prev, at) for a in d.action_list}
    cases = [c for c in d.cases if c.date.isoformat()[:7] == month]
    return _MonthFacts(month, at, x, completed, prev, prev_reports, cases)


def build(d: Dataset) -> list[GeneratedPage]:
    periods = schedule.period_ends(d)
    pages = []
    index_rows = []
    for month, at in periods:
        facts = _month_facts(d, month, at)
        x, completed, prev, prev_reports, cases = facts.x, facts.completed, facts.prev, facts.prev_reports, facts.cases
        label = f"{zh_month_of(month)}通报"
        common = dict(x=x, prev_month=prev, prev_reports=prev_reports, back=bulletin_src(month),
                      back_text=label, intro=f"统计时点：{at.year}年{at.month}月{at.day}日。")
        lists = dict(
            actions=summarised(d, pages, list_src(month, "actions"), f"{label}：各专项行动进展", "bulletin_actions",
                               d.action_list, **common),
            completed=summarised(d, pages, list_src(month, "completed"), f"{label}：本月完成的任务",
                                 "completed_month", completed, **common),
            problems=summarised(d, pages, list_src(month, "problems"), f"{label}：逾期、临期和滞后的任务",
                                "problem_tasks", x.tasks_with(schedule.OVERDUE, schedule.DUE_SOON, schedule.BEHIND),
                                **common),
            missing=summarised(d, pages, list_src(month, "missing"), f"{label}：缺报情况", "missing",
                               list(x.missing), **common),
            cases=summarised(d, pages, list_src(month, "cases"), f"{label}：本月发布的典型案例", "case_items",
                             cases, show_kind=True, **common),
        )
        pages.append(render_page(
            d, bulletin_src(month), "bulletin.md.j2", month=month, at=at, x=x, completed=completed,
            prev_month=prev, prev_reports=prev_reports, month_cases=cases, lists=lists, show_kind=True,
            is_partial=at != last_day(at.year, at.month), docx=docx_src(month),
        ))
        index_rows.append((month, at, x, len(completed), len(cases)))
    pages.append(render_page(d, "bulletins/index.md", "bulletins_index.md.j2", rows=list(reversed(index_rows))))
    return pages


def _previous_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:])
    return f"{year - 1}-12" if mon == 1 else f"{year}-{mon - 1:02d}"


def _report_state(d: Dataset, x: schedule.Derived, report, action_id: str, month: str, at) -> tuple[str, object]:
    """The previous month's report as the bulletin sees it on `at`: it fell due during the
    bulletin's month (by REPORT_DUE_DAY), so this is the month's reporting discipline."""
    if report is not None and report.submitted > at:
        report = None
    due = schedule.report_due_date(month)
    if report is not None:
        return ("late" if report.submitted > due else "on_time"), report.submitted
    st = x.actions[action_id]
    if any(r.month == month for r in st.missing):
        return "missing", due
    action = d.actions[action_id]
    if due >= at and month >= (action.reports_from or schedule.month_of(action.start)):
        return "pending", due
    return "none", None


# --- The bulletin as an official document -----------------------------------------------------------

# Who issues the bulletins: the plan has the 县政府督查室 supervise and report; the issue
# details (期号, 文号, 印发日期) are not in the plan, so until bulletin issue records give them
# the document numbers the months and dates itself by the statistics day, marked 示例.
ISSUING_UNIT = "dcs"

_REPORT_TEXT = {"on_time": "{}报送", "late": "{}报送（迟报）", "missing": "缺报",
                "pending": "应于{}前报送", "none": "无需报送"}


def issuing_office(d: Dataset, unit_id: str = ISSUING_UNIT) -> str:
    unit = d.units.get(unit_id)
    return unit.name if unit else d.leadership.office.name


def bulletin_document(d: Dataset, month: str, *, issuer: str | None = None, doc_no: str = "",
                      issue_no: str | None = None, issued: date | None = None,
                      sample_issue: bool = True) -> dx.OfficialDocument:
    """The month's bulletin as a GB/T 9704 document, from the facts its page shows.

    issuer, doc_no, issue_no and issued come from the bulletin's issue record when there is
    one; without it: the 县政府督查室, 第N期 counted from the campaign's first month, and the
    statistics day, with a 示例 note saying so.
    """
    periods = schedule.period_ends(d)
    at = dict(periods)[month]
    f = _month_facts(d, month, at)
    x = f.x
    number = [m for m, _ in periods].index(month) + 1
    issue_no = f"第{number}期" if issue_no is None else issue_no
    partial = "（本月尚未结束，按数据截至日期计算）" if at != last_day(at.year, at.month) else ""
    counts = "，".join(f"{status} {n} 项" for status, n in x.campaign.task_counts.items())
    body: list[dx.Block] = []
    if any(a.sample for a in d.action_list):
        body.append(dx.Paragraph("示例数据：本通报中标有“示例”的专项行动及其进展是方案未载明、为演示而编写的样例，不代表真实工作进展。"))
    body += [
        dx.Paragraph(f"统计时点：{zh_date(at)}{partial}。状态和进度按专栏“统计口径”计算。"),
        dx.Heading("一、总体情况", 1),
        dx.Paragraph(f"截至{zh_date(at)}，{x.campaign.action_total} 个专项行动整体进度 {percent(x.campaign.progress)}"
                     f"（序时进度 {percent(x.campaign.expected)}）。{x.campaign.task_total} 项任务中，{counts}。"
                     f"本月完成任务 {len(f.completed)} 项；缺报月度报告 {len(x.missing)} 份；"
                     f"本月发布典型案例 {len(f.cases)} 个。"),
        dx.Table(("状态", "任务数", "专项行动数"),
                 tuple((s, str(n), str(x.campaign.action_counts[s])) for s, n in x.campaign.task_counts.items())),
        dx.Heading("二、各专项行动进展", 1),
    ]
    def report(action_id: str) -> str:
        kind, day = f.prev_reports[action_id]
        return _REPORT_TEXT[kind].format(zh_date(day) if day else "")

    actions = excerpt(d.action_list, "", TOP)
    body.append(dx.Table(("专项行动", "牵头单位", f"{zh_month_of(f.prev)}进展报告", "进度", "状态"), tuple(
        (_sample_name(a), d.units[a.lead_unit].short, report(a.id), percent(x.actions[a.id].progress), x.actions[a.id].status)
        for a in actions.shown)))
    body += _cut_note(actions, "个专项行动")
    body.append(dx.Heading("三、本月完成的任务", 1))
    completed = excerpt(f.completed, "", TOP)
    body += [dx.Paragraph(f"{n}. {_task_name(d, t)}（{d.actions[t.action_id].name}，完成时限{_deadline(d, t)}）"
                          + ("，逾期完成" if t.completed_late else ""))
             for n, t in enumerate(completed.shown, 1)] or [dx.Paragraph("本月没有新完成的任务。")]
    body += _cut_note(completed, "项任务")
    body.append(dx.Heading("四、逾期、临期和滞后的任务", 1))
    problems = excerpt(x.tasks_with(schedule.OVERDUE, schedule.DUE_SOON, schedule.BEHIND), "", TOP)
    if problems.total:
        body.append(dx.Table(("任务", "专项行动", "牵头单位", "完成时限", "进度", "状态"), tuple(
            (_task_name(d, t), d.actions[t.action_id].name, d.units[d.actions[t.action_id].lead_unit].short,
             _deadline(d, t), f"{percent(t.percent)}（序时 {percent(t.expected)}）", t.status)
            for t in problems.shown)))
        body += _cut_note(problems, "项任务")
    else:
        body.append(dx.Paragraph("没有逾期、临期或滞后的任务。"))
    body.append(dx.Heading("五、缺报情况", 1))
    missing = excerpt(list(x.missing), "", TOP)
    if missing.total:
        body.append(dx.Table(("专项行动", "牵头单位", "缺报月份", "应报送日期"), tuple(
            (d.actions[r.action_id].name, d.units[d.actions[r.action_id].lead_unit].short, zh_month_of(r.month),
             f"{zh_date(r.due)}前") for r in missing.shown)))
        body += _cut_note(missing, "份")
    else:
        body.append(dx.Paragraph(f"截至{zh_date(at)}，没有缺报的月度进展报告。"))
    body.append(dx.Heading("六、本月发布的典型案例", 1))
    cases = excerpt(f.cases, "", TOP)
    body += [dx.Paragraph(f"{n}. {zh_date(c.date)}　{c.title}{'（示例）' if c.sample and '示例' not in c.title else ''}（{c.kind}"
                          f"{'，' + c.category if c.category else ''}）") for n, c in enumerate(cases.shown, 1)] \
        or [dx.Paragraph("本月没有发布典型案例。")]
    body += _cut_note(cases, "个典型案例")
    office = issuer or issuing_office(d)
    note = ("示例：方案未载明通报的期号和印发日期，本期号按月份顺序编排、日期取统计时点。" if sample_issue else "")
    return dx.OfficialDocument(
        issuer=office, title=f"{zh_month_of(month)}专项行动进展通报", date=issued or at, doc_no=doc_no,
        issue_no=issue_no if not doc_no else "", recipients="各专项行动牵头单位、配合单位", body=tuple(body),
        note=note, cc="县优化提升营商环境工作领导小组成员单位", heading_mark="" if not doc_no else "文件",
        keywords=("营商环境", "专项督查", "月度通报"))


def _sample_name(action) -> str:
    """The action's name with the 示例 mark of a sample record (once, if the name lacks it)."""
    return action.name + ("（示例）" if action.sample and "示例" not in action.name else "")


def _task_name(d: Dataset, task) -> str:
    return d.tasks[task.task_id][1].name


def _deadline(d: Dataset, task) -> str:
    return d.tasks[task.task_id][1].deadline.text


def _cut_note(ex, unit: str) -> list:
    """Like the page: a long list shows its first rows; the complete list is on the site."""
    if len(ex.shown) == ex.total:
        return []
    return [dx.Paragraph(f"共 {ex.total} {unit}，以上列出前 {len(ex.shown)} 行；完整列表见专栏网页。")]
