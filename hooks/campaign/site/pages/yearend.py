"""The year-end supervision report (年终专项督查报告): one printable page per campaign year,
compiled from the schedule as of 31 December (or the data date within that year).

The report is also an official document (yearend_document → exports/docx_export.py), built
from the same facts (_year_facts) as its page and linked from it as 下载（Word）."""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from campaign import routes
from campaign.rules import schedule
from campaign.records.dates import zh_date, zh_month_of
from campaign.records.loading import Dataset
from campaign.site.pages.base import GeneratedPage, render_page, yearend_src
from campaign.site.pages.bulletins import _cut_note, _deadline, _sample_name, _task_name, issuing_office
from campaign.site.pages.lists import summarised
from campaign.site.pages.paginate import excerpt
from campaign.site.rendering import percent

if TYPE_CHECKING:  # python-docx and lxml load only when a Word file is made, not on ./column check
    from campaign.exports import docx_export as dx


# The report compiles five lists; each shows at most as many rows as one county has
# actions, and continues in its 附表 beyond that, so the report stays within its page budget
# (and a few printed pages) however many actions the portal hosts.
REPORT_ROWS = 12


list_src = routes.yearend_list_src


def docx_src(year: int) -> str:
    """The report as a Word document (GB/T 9704), beside its page."""
    return f"reports/{year}.docx"


def _year_facts(d: Dataset, year: int) -> dict:
    """What the year's report says, for its page and its Word document alike."""
    at = schedule.year_end(d, year)
    x = schedule.derive_once(d, at)
    prefix = f"{year}-"
    completed = sorted((t for t in x.tasks.values() if t.completed_month and t.completed_month.startswith(prefix)),
                       key=lambda t: (t.action_id, t.task_id))
    return dict(
        at=at, x=x,
        cases=[c for c in d.cases if c.date.year == year],
        year_missing=[r for r in x.missing if r.month.startswith(prefix)],
        year_late=[r for r in x.late_reports if r.month.startswith(prefix)],
        months_due=sum(1 for a in x.actions.values() for mo in a.months_due if mo.startswith(prefix)),
        completed=completed,
        open_tasks=x.tasks_with(schedule.OVERDUE, schedule.DUE_SOON, schedule.BEHIND, schedule.ON_TRACK,
                                schedule.NOT_STARTED),
    )


def build(d: Dataset) -> list[GeneratedPage]:
    start_year = d.site.campaign_start.year
    # A year's report is formed only after that year's 专项督查 (schedule.year_end_due).
    years = [y for y in range(start_year, d.as_of.year + 1) if schedule.year_end_due(d, y)]
    # 年终 statuses judged at the year's end (reporting period rule applies inside derive).
    pages = []
    for year in years:
        f = _year_facts(d, year)
        at, x, cases, year_missing, year_late = f["at"], f["x"], f["cases"], f["year_missing"], f["year_late"]
        months_due, completed, open_tasks = f["months_due"], f["completed"], f["open_tasks"]
        label = f"{year}年年终专项督查报告"
        common = dict(x=x, back=yearend_src(year), back_text=label, intro=f"{label}附表，统计时点：{at.year}年{at.month}月{at.day}日。",
                      top=REPORT_ROWS)
        lists = dict(
            actions=summarised(d, pages, list_src(year, "actions"), f"{label}附表：各专项行动落实情况",
                               "yearend_actions", d.action_list, **common),
            completed=summarised(d, pages, list_src(year, "completed"), f"{label}附表：本年完成的任务",
                                 "completed_year", completed, **common),
            open=summarised(d, pages, list_src(year, "open"), f"{label}附表：尚未完成的任务", "open_tasks",
                            open_tasks, **common),
            reporting=summarised(d, pages, list_src(year, "reporting"), f"{label}附表：缺报和迟报",
                                 "reporting", [(r, False) for r in year_missing] + [(r, True) for r in year_late],
                                 **common),
            cases=summarised(d, pages, list_src(year, "cases"), f"{label}附表：典型案例", "case_items", cases,
                             **common),
        )
        pages.append(render_page(
            d, yearend_src(year), "yearend.html.j2", shows_sample=any(a.sample for a in d.action_list), year=year, at=at, x=x,
            finished=at.month == 12 and at.day == 31,
            completed=completed, open_tasks=open_tasks, lists=lists,
            measures=[(i, "工作措施") for i in d.plan.measures] + [(i, "督查方式") for i in d.plan.methods],
            plan_counts=schedule.count_statuses((p.status for p in x.plan_items.values()), schedule.PLAN_STATUSES),
            cases=cases, case_kinds=Counter(c.kind for c in cases),
            case_categories=Counter(c.category for c in cases if c.category),
            surveys=[s for s in d.surveys if s.quarter.startswith(str(year)) and s.published <= at],
            months_due=months_due, year_missing=year_missing, year_late=year_late,
            bulletins=[b.month for b in schedule.bulletins(d) if b.month.startswith(f"{year}-")],
            docx=docx_src(year),
        ))
    pending = [(y, schedule.year_end_supervision(d, y)) for y in range(start_year, d.as_of.year + 1) if y not in years]
    pages.append(render_page(d, "reports/index.md", "yearend_index.html.j2", years=list(reversed(years)), pending=pending))
    return pages


def yearend_document(d: Dataset, year: int, *, issuer: str | None = None, doc_no: str = "",
                     issued=None, sample_issue: bool = True) -> dx.OfficialDocument:
    """The year's 专项督查工作报告 as a GB/T 9704 document, from the facts its page shows.

    The plan has the 县政府督查室 write it; its 文号 and date come from an issue record when
    there is one, else the report is dated by its statistics day with a 示例 note.
    """
    from campaign.exports import docx_export as dx

    f = _year_facts(d, year)
    at, x = f["at"], f["x"]
    finished = at.month == 12 and at.day == 31
    counts = "，".join(f"{status} {n} 项" for status, n in x.campaign.task_counts.items())
    measures = [(i, "工作措施") for i in d.plan.measures] + [(i, "督查方式") for i in d.plan.methods]
    plan_counts = schedule.count_statuses((p.status for p in x.plan_items.values()), schedule.PLAN_STATUSES)
    body: list[dx.Block] = []
    if any(a.sample for a in d.action_list):
        body.append(dx.Paragraph("示例数据：本报告中标有“示例”的专项行动及其进展是方案未载明、为演示而编写的样例，不代表真实工作进展。"))
    partial = "" if finished else f"（{year}年尚未结束，按数据截至日期计算，年终前内容还会更新）"
    plan_text = "，".join(f"{s} {n} 项" for s, n in plan_counts.items() if n)
    body += [
        dx.Paragraph(f"依据《{d.plan.title}》，统计时点：{zh_date(at)}{partial}。本报告由专栏数据自动汇总生成。"),
        dx.Heading("一、总体情况", 1),
        dx.Paragraph(f"按照督查方案“组织年终专项督查”的要求，对各专项行动方案落实成效进行专项督查。截至{zh_date(at)}，"
                     f"{x.campaign.action_total} 个专项行动整体进度 {percent(x.campaign.progress)}（序时进度 "
                     f"{percent(x.campaign.expected)}）；{x.campaign.task_total} 项任务中，{counts}。督查方案 "
                     f"{len(measures)} 项措施和督查方式中，{plan_text}。"),
        dx.Heading("二、各专项行动落实情况", 1),
    ]
    actions = excerpt(d.action_list, "", REPORT_ROWS)
    body.append(dx.Table(("专项行动", "牵头单位", "任务完成", "进度", "序时进度", "状态", "缺报"), tuple(
        (_sample_name(a), d.units[a.lead_unit].short, f"{st.task_counts['已完成']}/{len(st.tasks)}",
         percent(st.progress), percent(st.expected), st.status, str(len(st.missing)))
        for a in actions.shown for st in (x.actions[a.id],))))
    body += _cut_note(actions, "个专项行动")
    body.append(dx.Heading("三、督查方案各项措施落实情况", 1))
    body.append(dx.Table(("事项", "类别", "完成时限", "状态"), tuple(
        (getattr(i, "title", None) or getattr(i, "name", ""), kind, i.deadline.text if i.deadline else "方案未规定",
         x.plan_items[i.id].status + ("（逾期完成）" if x.plan_items[i.id].completed_late else ""))
        for i, kind in measures)))
    body.append(dx.Heading("四、本年完成的任务", 1))
    completed = excerpt(f["completed"], "", REPORT_ROWS)
    if completed.total:
        body.append(dx.Table(("任务", "专项行动", "完成时限", "完成月份"), tuple(
            (_task_name(d, t), d.actions[t.action_id].name, _deadline(d, t),
             zh_month_of(t.completed_month) + ("（逾期完成）" if t.completed_late else "")) for t in completed.shown)))
        body += _cut_note(completed, "项任务")
    else:
        body.append(dx.Paragraph("本年没有完成的任务。"))
    body.append(dx.Heading("五、尚未完成的任务", 1))
    open_tasks = excerpt(f["open_tasks"], "", REPORT_ROWS)
    if open_tasks.total:
        body.append(dx.Table(("任务", "专项行动", "牵头单位", "完成时限", "进度", "状态"), tuple(
            (_task_name(d, t), d.actions[t.action_id].name, d.units[d.actions[t.action_id].lead_unit].short,
             _deadline(d, t), percent(t.percent), t.status) for t in open_tasks.shown)))
        body += _cut_note(open_tasks, "项任务")
    else:
        body.append(dx.Paragraph("全部任务已完成。"))
    body.append(dx.Heading("六、月度报送情况", 1))
    body.append(dx.Paragraph(f"本年应报月度进展报告 {f['months_due']} 份，缺报 {len(f['year_missing'])} 份，"
                             f"迟报 {len(f['year_late'])} 份。"))
    body.append(dx.Heading("七、典型案例", 1))
    cases = f["cases"]
    kinds = Counter(c.kind for c in cases)
    body.append(dx.Paragraph(f"本年发布典型案例 {len(cases)} 个：先进经验 {kinds['先进经验']} 个，问题曝光 {kinds['问题曝光']} 个。"))
    shown = excerpt(cases, "", REPORT_ROWS)
    body += [dx.Paragraph(f"{n}. {zh_date(c.date)}　{c.title}{'（示例）' if c.sample and '示例' not in c.title else ''}")
             for n, c in enumerate(shown.shown, 1)]
    body += _cut_note(shown, "个典型案例")
    body.append(dx.Heading("八、满意度测评", 1))
    surveys = [s for s in d.surveys if s.quarter.startswith(str(year)) and s.published <= at]
    body += [dx.Paragraph(f"{s.quarter[:4]}年第{s.quarter[-1]}季度：总体满意度 {s.overall:g} 分（样本量 {s.sample_size}）"
                          + ("（示例）" if s.sample else "")) for s in surveys] or [dx.Paragraph("本年尚无测评结果。")]
    note = "示例：方案未载明报告的文号和印发日期，本报告日期取统计时点。" if sample_issue else ""
    return dx.OfficialDocument(
        issuer=issuer or issuing_office(d), title=f"{year}年年终专项督查报告", date=issued or at, doc_no=doc_no,
        recipients="县优化提升营商环境工作领导小组", body=tuple(body), note=note,
        cc="县优化提升营商环境工作领导小组成员单位，各专项行动牵头单位", heading_mark="文件" if doc_no else "",
        keywords=("营商环境", "专项督查", "年终报告"))
