"""Monthly bulletins (每月通报): one page per issued bulletin (an issue record in
data/bulletins/), computed by schedule.bulletin from what was known on its issue date, so
a later rebuild with later data prints the same bulletin; and an index of all months.

Each bulletin is also an official document (bulletin_document → exports/docx_export.py),
built from the same Bulletin as its page and linked from it as 下载（Word）."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from campaign import routes
from campaign.records.dates import zh_date, zh_month_of
from campaign.records.loading import Dataset
from campaign.rules import schedule
from campaign.site.charts import progress_chart
from campaign.site.pages.base import GeneratedPage, bulletin_src, render_page
from campaign.site.pages.lists import summarised
from campaign.site.pages.paginate import TOP, excerpt
from campaign.site.rendering import percent

if TYPE_CHECKING:  # python-docx and lxml load only when a Word file is made, not on ./column check
    from campaign.exports import docx_export as dx

list_src = routes.bulletin_list_src


def docx_src(month: str) -> str:
    """The bulletin as a Word document (GB/T 9704), beside its page."""
    return f"bulletins/{month}.docx"


def build(d: Dataset) -> list[GeneratedPage]:
    pages = []
    index_rows = []
    for b in schedule.bulletins(d):
        month, x = b.month, b.x
        report_states = {r.action_id: (r.state, r.day) for r in b.reports}
        label = f"{zh_month_of(month)}通报"
        common = dict(x=x, report_month=month, report_states=report_states, back=bulletin_src(month),
                      back_text=label, intro=f"{b.record.number}，{zh_date(b.issued)}印发，统计时点：{zh_date(b.period_end)}。")
        lists = dict(
            actions=summarised(d, pages, list_src(month, "actions"), f"{label}：各专项行动进展", "bulletin_actions",
                               d.action_list, **common),
            completed=summarised(d, pages, list_src(month, "completed"), f"{label}：本月完成的任务",
                                 "completed_month", list(b.completed), **common),
            problems=summarised(d, pages, list_src(month, "problems"), f"{label}：逾期、临期和滞后的任务",
                                "problem_tasks", list(b.problems), **common),
            missing=summarised(d, pages, list_src(month, "missing"), f"{label}：缺报情况", "missing",
                               list(x.missing), **common),
            cases=summarised(d, pages, list_src(month, "cases"), f"{label}：本月发布的典型案例", "case_items",
                             list(b.cases), show_kind=True, **common),
        )
        pages.append(render_page(
            d, bulletin_src(month), "bulletin.html.j2", record=b.record, shows_sample=b.sample, b=b, month=month,
            at=b.period_end, x=x, report_month=month, report_states=report_states, lists=lists, show_kind=True,
            office=d.units.get(b.record.office), docx=docx_src(month),
        ))
        index_rows.append(b)
    issued = {b.month for b in index_rows}
    unissued = [mo for mo, _ in schedule.period_ends(d) if mo not in issued]
    pages.append(render_page(d, "bulletins/index.md", "bulletins_index.html.j2",
                             shows_sample=any(b.sample for b in index_rows) or any(a.sample for a in d.action_list),
                             rows=list(reversed(index_rows)), unissued=unissued,
                             progress=progress_chart(schedule.progress_series(d))))
    return pages


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
                      issue_no: str | None = None, issued: date | None = None) -> dx.OfficialDocument:
    """The month's issued bulletin as a GB/T 9704 document, from the same Bulletin its page
    prints (schedule.bulletin). Issuer, 期号 and date come from its issue record; doc_no
    (and overrides) for a bulletin sent as a numbered 文件. KeyError when not issued."""
    from campaign.exports import docx_export as dx

    b = schedule.bulletin(d, month)
    if b is None:
        raise KeyError(f"{month} 没有印发记录")
    x, at = b.x, b.period_end
    counts = "，".join(f"{status} {n} 项" for status, n in x.campaign.task_counts.items())
    body: list[dx.Block] = []
    if b.sample:
        body.append(dx.Paragraph("示例数据：本通报中标有“示例”的内容（专项行动及其进展、期号和印发日期等）是方案未载明、"
                                 "为演示而编写的样例，不代表真实工作进展。"))
    if b.record.comment:
        body.append(dx.Paragraph(f"按语：{b.record.comment}"))
    body += [
        dx.Paragraph(f"统计月份：{zh_month_of(month)}；统计时点：{zh_date(at)}。只统计{zh_date(b.issued)}及以前报送的"
                     "进展报告。状态和进度按专栏“统计口径”计算。"),
        dx.Heading("一、总体情况", 1),
        dx.Paragraph(f"截至{zh_date(at)}，{x.campaign.action_total} 个专项行动整体进度 {percent(x.campaign.progress)}"
                     f"（序时进度 {percent(x.campaign.expected)}）。{x.campaign.task_total} 项任务中，{counts}。"
                     f"本月完成任务 {len(b.completed)} 项；缺报月度报告 {len(x.missing)} 份；"
                     f"本月发布典型案例 {len(b.cases)} 个。"),
        dx.Table(("状态", "任务数", "专项行动数"),
                 tuple((s, str(n), str(x.campaign.action_counts[s])) for s, n in x.campaign.task_counts.items())),
        dx.Heading("二、各专项行动进展", 1),
    ]
    states = {r.action_id: r for r in b.reports}

    def report(action_id: str) -> str:
        state = states.get(action_id)
        if state is None:
            return "无需报送"
        return _REPORT_TEXT[state.state].format(zh_date(state.day) if state.day else "")

    actions = excerpt(d.action_list, "", TOP)
    body.append(dx.Table(("专项行动", "牵头单位", f"{zh_month_of(month)}进展报告", "进度", "状态"), tuple(
        (_sample_name(a), d.units[a.lead_unit].short, report(a.id), percent(x.actions[a.id].progress), x.actions[a.id].status)
        for a in actions.shown)))
    body += _cut_note(actions, "个专项行动")
    body.append(dx.Heading("三、本月完成的任务", 1))
    completed = excerpt(list(b.completed), "", TOP)
    body += [dx.Paragraph(f"{n}. {_task_name(d, t)}（{d.actions[t.action_id].name}，完成时限{_deadline(d, t)}）"
                          + ("，逾期完成" if t.completed_late else ""))
             for n, t in enumerate(completed.shown, 1)] or [dx.Paragraph("本月没有新完成的任务。")]
    body += _cut_note(completed, "项任务")
    body.append(dx.Heading("四、逾期、临期和滞后的任务", 1))
    problems = excerpt(list(b.problems), "", TOP)
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
    cases = excerpt(list(b.cases), "", TOP)
    body += [dx.Paragraph(f"{n}. {zh_date(c.date)}　{c.title}{'（示例）' if c.sample and '示例' not in c.title else ''}（{c.kind}"
                          f"{'，' + c.category if c.category else ''}）") for n, c in enumerate(cases.shown, 1)] \
        or [dx.Paragraph("本月没有发布典型案例。")]
    body += _cut_note(cases, "个典型案例")
    office = issuer or issuing_office(d, b.record.office)
    note = "示例：方案未载明通报的期号和印发日期，本期的期号和印发日期为演示编写。" if b.record.sample else ""
    number = b.record.number if issue_no is None else issue_no
    return dx.OfficialDocument(
        issuer=office, title=f"{zh_month_of(month)}专项行动进展通报", date=issued or b.issued, doc_no=doc_no,
        issue_no=number if not doc_no else "", recipients="各专项行动牵头单位、配合单位", body=tuple(body),
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
    from campaign.exports import docx_export as dx

    if len(ex.shown) == ex.total:
        return []
    return [dx.Paragraph(f"共 {ex.total} {unit}，以上列出前 {len(ex.shown)} 行；完整列表见专栏网页。")]
