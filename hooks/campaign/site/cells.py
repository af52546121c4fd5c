"""Inline fragments printed in table cells: status badges, progress bars, month labels.

They are the smallest pieces of presentation and run tens of thousands of times per build
(every row of every table on thousands of pages). As Jinja macros each call cost a new
template context; as plain functions they cost a string format (benchmarks/RESULTS.md).
The page and table layout stays in the templates. Status is always written out in words:
the CSS class only repeats it in colour. Bars are native <progress>, so a strict
Content-Security-Policy needs no 'unsafe-inline'.
"""
from __future__ import annotations

from functools import lru_cache
from html import escape
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup

from campaign.rules import schedule
from campaign.records.dates import zh_month_of
from campaign.records.dates import zh_date
from campaign.site.rendering import html_escape, html_paragraphs, html_text, link, md_text, percent, sample_badge

STATUS_CSS = {schedule.DONE: "done", schedule.ON_TRACK: "ontrack", schedule.NOT_STARTED: "notstarted",
              schedule.BEHIND: "behind", schedule.DUE_SOON: "duesoon", schedule.OVERDUE: "overdue",
              schedule.ONGOING: "ongoing"}
_LATE = Markup(' <span class="status status-late">逾期完成</span>')
# A handful of statuses recur on every page: their badges are built once.
_BADGES = {status: Markup(f'<span class="status status-{css}">{escape(status)}</span>')
           for status, css in STATUS_CSS.items()}


def badge(status: str, late: bool = False) -> Markup:
    """Status in words with its colour class; 逾期完成 beside it when finished late."""
    html = _BADGES[status]
    return html + _LATE if late else html


def bar(value: float, status: str, label: str = "进度") -> Markup:
    shown = escape(percent(value))
    return Markup(
        f'<span class="bar-wrap"><progress class="bar bar-{STATUS_CSS[status]}" max="100" value="{value:.1f}"'
        f' aria-label="{escape(str(label))} {shown}"></progress><span class="bar-value">{shown}</span></span>'
    )


@lru_cache(maxsize=4096)  # a few dozen months, printed on every page
def month_label(month: str) -> Markup:
    """"2026-03" → 2026年3月."""
    return Markup(escape(zh_month_of(month)))


def days_left(task: Any) -> str:
    days = task.days_left
    if days > 0:
        return f"还剩 {days} 天"
    return "今天到期" if days == 0 else f"已逾期 {-days} 天"


@pass_context
def task_link(context: Any, task: Any) -> Markup:
    """A task's name linked to its action's page (tasks have no page of their own)."""
    return link(context, context["action_src"](task.action_id), context["task_of"][task.task_id][1].name)


@pass_context
def report_tasks(context: Any, report: Any) -> Markup:
    """The per-task percentages of one monthly report: 任务甲 50%；任务乙 100%."""
    return Markup(_task_percents(context["task_of"], html_text if context.get("as_html") else md_text, report))


def _task_percents(names: Any, escaped: Any, report: Any) -> str:
    # report_tasks with the page's task names and escape (rendering.text) looked up once.
    return "；".join(f"{escaped(names[item.task][1].name if item.task in names else item.task)} "
                    f"{escaped(percent(item.percent))}" for item in report.tasks)


def _labelled(label: str, value: Any) -> str:
    # A report's free text under its bold label (the first paragraph carries the label).
    paras = html_paragraphs(value)
    if not paras:
        return f"<p><strong>{html_text(label)}</strong></p>\n"
    first, *rest = paras
    return f"<p><strong>{html_text(label)}</strong>{first}</p>\n" + "".join(f"<p>{para}</p>\n" for para in rest)


@pass_context
def report_entries(context: Any, reports: Any, late_months: Any) -> Markup:
    """Monthly reports of one action, newest first as given (its page and its archive): a
    function, not a macro, for the thousands of reports a province's action pages print."""
    if not reports:
        return Markup("<p>尚未报送进展。</p>\n")
    headings, names = context["headings"], context["task_of"]
    escaped = html_text if context.get("as_html") else md_text
    out = []
    for r in reports:
        label = month_label(r.month)
        out.append(f"{headings.heading(3, label + sample_badge(r), label)}\n<ul>\n"
                   f"<li>报送日期：{html_text(zh_date(r.submitted))}{'（迟报）' if r.month in late_months else ''}</li>\n"
                   f"<li>任务进度：{_task_percents(names, escaped, r)}</li>\n</ul>\n"
                   f"{_labelled('进展情况：', r.progress)}\n")
        if r.problems:
            out.append(f"{_labelled('存在问题：', r.problems)}\n")
        if r.next_steps:
            out.append(f"{_labelled('下一步措施：', r.next_steps)}\n")
    return Markup("".join(out))


def chart_points(series: Any, unit: Any) -> Markup:
    """One series' points of templates/_line_chart.html.j2 (a circle with its tooltip, and
    the value label where the series carries them): a function for the hundreds of points
    of the progress charts on every action page. Every value escaped as the template's |h."""
    color, name = html_escape(series.color), html_escape(series.name)
    radius = html_escape(4.5 if series.stroke > 2 else 3.5)
    values = series.stroke > 2
    unit = html_escape(unit)
    out = []
    for p in series.points:
        value = html_escape(p.value)
        out.append(f'<circle cx="{html_escape("%.1f" % p.x)}" cy="{html_escape("%.1f" % p.y)}" r="{radius}" '
                   f'fill="{color}"><title>{name} {html_escape(p.category)}：{value}{unit}</title></circle>\n')
        if values and p.labelled:
            out.append(f'<text class="value" x="{html_escape("%.1f" % p.label_x)}" y="{html_escape("%.1f" % p.label_y)}" '
                       f'text-anchor="{html_escape(p.label_anchor)}" fill="{color}">{value}</text>\n')
    return Markup("".join(out))


def chart_y_ticks(chart: Any) -> Markup:
    """The horizontal grid lines and their labels of templates/_line_chart.html.j2."""
    left, right, label_x = html_escape(chart.left), html_escape(chart.plot_right), html_escape(chart.left - 8)
    out = []
    for y, label in chart.y_ticks:
        at = html_escape("%.1f" % y)
        out.append(f'<line x1="{left}" x2="{right}" y1="{at}" y2="{at}"/>\n'
                   f'<text x="{label_x}" y="{html_escape("%.1f" % (y + 4))}" text-anchor="end">{html_escape(label)}</text>\n')
    return Markup("".join(out))


def chart_x_ticks(chart: Any) -> Markup:
    """The category labels under the plot of templates/_line_chart.html.j2."""
    y = html_escape(chart.plot_bottom + 24)
    return Markup("".join(f'<text x="{html_escape("%.1f" % x)}" y="{y}" text-anchor="middle">{html_escape(label)}</text>\n'
                          for x, label in chart.x_ticks))


def progress_rows(rows: Any) -> Markup:
    """The table rows beside a progress chart: month, actual and expected progress."""
    return Markup("".join(f"<tr><td>{month_label(month)}</td><td>{html_text(percent(round(actual, 1)))}</td>"
                          f"<td>{html_text(percent(round(expected, 1)))}</td></tr>\n"
                          for month, actual, expected in rows))


GLOBALS = dict(badge=badge, bar=bar, month_label=month_label, days_left=days_left, task_link=task_link,
               report_tasks=report_tasks, report_entries=report_entries,
               chart_points=chart_points, chart_y_ticks=chart_y_ticks, chart_x_ticks=chart_x_ticks,
               progress_rows=progress_rows)
