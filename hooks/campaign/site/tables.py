"""The long tables and lists of summary pages and their full lists, written in Python.

One row per action, task, case or unit: at province scale these rows are most of every
generated page. As Jinja macros a row cost about 50 µs (a context call and two escapes
per cell), as f-strings about 10 µs (benchmarks/RESULTS.md). The page layout and its
prose stay in the templates, which call these by name: `{{ tables.unit_leads(rows) }}`,
and list_page.html.j2 `{{ tables[table](p.items) }}` for the paginated full lists.

Every text cell goes through rendering.text (HTML-escaped: every page with a table is
HTML); links, badges and bars are built from escaped parts (rendering.py, cells.py). Each function takes the page context
first, as Jinja passes it, for the links relative to the page and the shared lookups.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

from jinja2 import pass_context
from markupsafe import Markup

from campaign.site import responsive
from campaign.site.cells import badge, bar, days_left, month_label, task_link
from campaign.records.dates import zh_date
from campaign.site.rendering import link, percent, sample_badge, text, unit_link, unit_links

Context = Any
TABLES: dict[str, Callable[..., Markup]] = {}


def _table(fn: Callable[..., str]) -> Callable[..., Markup]:
    """Register a table or list under its function's name (the name pages/lists.py uses)."""
    wrapped = pass_context(lambda context, *args: Markup(fn(context, *args)))
    TABLES[fn.__name__] = wrapped
    return wrapped


def _grid(context: Context, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A table; header cells are our own words, row cells already escaped. Tables are
    HTML on every page (Markdown pages, the editors' guide, have none; raw HTML would pass),
    written in their final form for phones (site/responsive.py)."""
    return responsive.grid(header, rows)


def _items(context: Context, lines: Iterable[str]) -> str:
    items = "".join(f"<li>{line}</li>\n" for line in lines)
    return f"<ul>\n{items}</ul>\n" if items else ""  # as Markdown did: no list without items


def _strong(value: Any) -> str:
    """Our own words or figures in bold (value is already escaped)."""
    return f"<strong>{value}</strong>"


def _pct(context: Context, value: float | None) -> str:
    return text(context, percent(value))


def _action(context: Context, action: Any) -> str:
    """The action's name linked to its page, with the 示例 mark of sample actions."""
    return f"{link(context, context['action_src'](action.id), action.name)}{sample_badge(action)}"


def _lead(context: Context, action_id: str) -> Markup:
    return unit_link(context, context["actions"][action_id].lead_unit)


def _action_name(context: Context, action_id: str) -> str:
    return text(context, context["actions"][action_id].name)


def _deadline(context: Context, task: Any) -> str:
    # The deadline the state was computed with (a bulletin keeps the one in force when issued).
    return text(context, getattr(task, "deadline_text", "") or context["task_of"][task.task_id][1].deadline.text)


def _status_bar(action: Any, state: Any) -> str:
    return f"{badge(state.status)} {bar(state.progress, state.status, action.name + ' 进度')}"


# --- Shared by many pages ------------------------------------------------------------------------


@pass_context
def more(context: Context, ex: Any, what: str) -> Markup:
    """The line above a cut table: how many there are, and the link to the full list."""
    if not ex.cut:
        return Markup("")
    line = f"共 {ex.total} 项，下表列出前 {len(ex.shown)} 项，{link(context, ex.full, '全部' + str(what) + '见完整列表')}。"
    return Markup(f"<p>{line}</p>\n")


@_table
def missing(context: Context, rows: Sequence[Any]) -> str:
    return _grid(context, ["专项行动", "牵头单位", "缺报月份", "应报送日期"], (
        (link(context, context["action_src"](r.action_id), context["actions"][r.action_id].name),
         _lead(context, r.action_id), month_label(r.month), f"{zh_date(r.due)}前")
        for r in rows))


@_table
def attention_tasks(context: Context, rows: Sequence[Any], status: str | None = None) -> str:
    status = status or context.get("status")
    behind = status == "滞后"
    return _grid(context, ["任务", "专项行动（牵头单位）", "完成时限", "最新进度", "序时进度" if behind else "剩余时间"], (
        (task_link(context, t), f"{_action_name(context, t.action_id)}（{_lead(context, t.action_id)}）",
         _deadline(context, t), _pct(context, t.percent), _pct(context, t.expected) if behind else days_left(t))
        for t in rows))


@_table
def case_items(context: Context, rows: Sequence[Any]) -> str:
    show_kind = "show_kind" in context
    return _items(context, (
        f"{zh_date(c.date)}　{link(context, context['case_src'](c.id), c.title)}{sample_badge(c)}"
        + (f"（{text(context, c.kind)}{'，' + text(context, c.category) if c.category else ''}）" if show_kind else "")
        for c in rows))


# --- Dashboard, bulletins, year-end reports --------------------------------------------------------


@_table
def action_bars(context: Context, rows: Sequence[Any]) -> str:
    states = context["x"].actions
    return _grid(context, ["专项行动（牵头单位）", "状态和进度"], (
        (f"{_action(context, a)}（{unit_link(context, a.lead_unit)}）", _status_bar(a, states[a.id]))
        for a in rows))


# How the bulletin month's report stood on the issue date (schedule.bulletin).
_REPORT_STATE = {"on_time": "{}报送", "late": "{}报送（迟报）", "missing": "<strong>缺报</strong>",
                 "pending": "应于{}前报送", "none": "无需报送"}


@_table
def bulletin_actions(context: Context, rows: Sequence[Any]) -> str:
    states, reports = context["x"].actions, context["report_states"]

    def report(action_id: str) -> str:
        kind, day = reports[action_id]
        return _REPORT_STATE[kind].format(zh_date(day) if day else "")

    return _grid(context, ["专项行动", "牵头单位", f"{month_label(context['report_month'])}进展报告", "进度", "状态"], (
        (_action(context, a), unit_link(context, a.lead_unit), report(a.id), _pct(context, states[a.id].progress),
         badge(states[a.id].status))
        for a in rows))


@_table
def completed_month(context: Context, rows: Sequence[Any]) -> str:
    return _items(context, (
        f"{task_link(context, t)}（{_action_name(context, t.action_id)}，完成时限{_deadline(context, t)}）"
        + (f" {badge('已完成', True)}" if t.completed_late else "")
        for t in rows))


@_table
def problem_tasks(context: Context, rows: Sequence[Any]) -> str:
    return _grid(context, ["任务", "专项行动", "牵头单位", "完成时限", "进度", "状态"], (
        (task_link(context, t), _action_name(context, t.action_id), _lead(context, t.action_id),
         _deadline(context, t), f"{_pct(context, t.percent)}（序时 {_pct(context, t.expected)}）", badge(t.status))
        for t in rows))


@_table
def yearend_actions(context: Context, rows: Sequence[Any]) -> str:
    states = context["x"].actions
    return _grid(context, ["专项行动", "牵头单位", "任务完成", "进度", "序时进度", "状态", "缺报"], (
        (_action(context, a), unit_link(context, a.lead_unit),
         f"{st.task_counts['已完成']}/{len(st.tasks)}", _pct(context, st.progress), _pct(context, st.expected), badge(st.status),
         len(st.missing))
        for a in rows for st in (states[a.id],)))


@_table
def completed_year(context: Context, rows: Sequence[Any]) -> str:
    return _grid(context, ["任务", "专项行动", "完成时限", "完成月份"], (
        (task_link(context, t), _action_name(context, t.action_id), _deadline(context, t),
         f"{month_label(t.completed_month)}" + (f" {badge('已完成', True)}" if t.completed_late else ""))
        for t in rows))


@_table
def open_tasks(context: Context, rows: Sequence[Any]) -> str:
    return _grid(context, ["任务", "专项行动", "牵头单位", "完成时限", "进度", "状态"], (
        (task_link(context, t), _action_name(context, t.action_id), _lead(context, t.action_id),
         _deadline(context, t), _pct(context, t.percent), badge(t.status))
        for t in rows))


@_table
def reporting(context: Context, rows: Sequence[Any]) -> str:
    """Rows of (report, late): missing reports, and late ones with the day they came."""
    return _grid(context, ["专项行动", "牵头单位", "月份", "情况"], (
        (_action_name(context, r.action_id), _lead(context, r.action_id), month_label(r.month),
         f"迟报（{zh_date(r.submitted)}报送）" if late else "缺报")
        for r, late in rows))


# --- Actions and units ---------------------------------------------------------------------------


@_table
def actions_index(context: Context, rows: Sequence[Any]) -> str:
    states = context["x"].actions
    return _grid(context, ["编号", "专项行动", "牵头单位", "任务数", "状态", "进度", "缺报"], (
        (text(context, a.id), _action(context, a), unit_link(context, a.lead_unit), len(a.tasks), badge(st.status),
         bar(st.progress, st.status, a.name + " 进度"), f"{len(st.missing)} 份" if st.missing else "无")
        for a in rows for st in (states[a.id],)))


@_table
def action_tasks(context: Context, action: Any, state: Any) -> str:
    """An action's own tasks with their states (state.tasks are in the action's task order)."""
    def latest(ts: Any) -> str:
        return f"{_pct(context, ts.percent)}（{month_label(ts.report_month)}报）" if ts.report_month else _pct(context, ts.percent)

    return _grid(context, ["任务", "状态", "最新进度", "序时进度", "完成时限", "开始日期", "权重"], (
        (text(context, t.name), badge(ts.status, ts.completed_late), latest(ts), _pct(context, ts.expected),
         text(context, t.deadline.text), zh_date(t.start), text(context, f"{t.weight:g}"))
        for t, ts in zip(action.tasks, state.tasks)))


@_table
def units_index(context: Context, rows: Sequence[Any]) -> str:
    """Rows of (unit, lead actions, supported actions, lead tasks, status counts, missing)."""
    attention = context["attention"]

    def counts_cells(counts: dict[str, int]) -> list[str]:
        return [f"{badge(st)} {counts[st]}" if counts[st] else "0" for st in attention]

    return _grid(context, ["单位", "牵头行动", "配合行动", "牵头任务", *attention, "缺报"], (
        (link(context, context["unit_src"](u.id), u.short), leads, supports, n_tasks, *counts_cells(counts), missing)
        for u, leads, supports, n_tasks, counts, missing in rows))


@_table
def unit_leads(context: Context, rows: Sequence[Any]) -> str:
    states, task_of = context["x"].actions, context["task_of"]

    def tasks(st: Any) -> str:
        return "<br>".join(f"{text(context, task_of[t.task_id][1].name)} {badge(t.status, t.completed_late)}"
                           for t in st.tasks)

    def missing_months(st: Any) -> str:
        return "、".join(str(month_label(r.month)) for r in st.missing) if st.missing else "无"

    return _grid(context, ["专项行动", "状态和进度", "任务", "缺报"], (
        (_action(context, a), _status_bar(a, st), tasks(st), missing_months(st))
        for a in rows for st in (states[a.id],)))


@_table
def unit_supports(context: Context, rows: Sequence[Any]) -> str:
    states = context["x"].actions
    return _grid(context, ["专项行动", "牵头单位", "状态和进度"], (
        (_action(context, a), unit_link(context, a.lead_unit), _status_bar(a, states[a.id]))
        for a in rows))


@_table
def unit_cases(context: Context, rows: Sequence[Any]) -> str:
    return _items(context, (f"{link(context, context['case_src'](c.id), c.title)}{sample_badge(c)}"
                            f"（{text(context, c.kind)}，{zh_date(c.date)}）" for c in rows))


# --- Cases ------------------------------------------------------------------------------------------


@pass_context
def kind_text(context: Context, case: Any) -> Markup:
    """问题曝光（慢作为）, or the kind alone."""
    return Markup(text(context, f"{case.kind}（{case.category}）" if case.category else case.kind))


def _rectification(context: Context, case: Any) -> str:
    if not case.rectification:
        return "—"
    state = context["states"][case.id]
    flag = '<span class="badge badge-overdue">逾期</span> ' if state.overdue else ""
    rect = case.rectification
    due = f"，时限{zh_date(rect.deadline)}" if rect.deadline and rect.status != "已整改" else ""
    return f"{flag}{text(context, state.label)}{due}"


@_table
def case_table(context: Context, rows: Sequence[Any], empty: str = "暂无案例") -> str:
    kind_src, kind_slug, case_src = context["kind_src"], context["kind_slug"], context["case_src"]
    cells = [(zh_date(c.date), f"{link(context, case_src(c.id), c.title)}{sample_badge(c)}",
              link(context, kind_src(kind_slug(c)), kind_text(context, c)), unit_links(context, c.units),
              _rectification(context, c))
             for c in rows]
    return _grid(context, ["发布日期", "案例", "类型", "涉及单位", "整改情况"], cells or [("—", text(context, empty), "—", "—", "—")])


# --- Others --------------------------------------------------------------------------------------------


@_table
def cleanup_units(context: Context, rows: Sequence[Any], totals: dict[str, int] | None = None) -> str:
    """Rows of (unit id, counts by decision), and a bold total row when totals are given."""
    decisions = ("保留", "修改", "废止")
    lines = [(unit_link(context, uid), *(c[k] for k in decisions), sum(c[k] for k in decisions)) for uid, c in rows]
    if totals:
        lines.append((_strong("合计"), *(_strong(totals[k]) for k in decisions),
                      _strong(sum(totals[k] for k in decisions))))
    return _grid(context, ["制定单位", *decisions, "合计"], lines)


@_table
def feed_rows(context: Context, rows: Sequence[Any]) -> str:
    """Rows of (feed link, what it carries)."""
    return _grid(context, ["名称", "内容"], ((link(context, f.path, f.title), text(context, what)) for f, what in rows))


GLOBALS = dict(tables=TABLES, more=more, kind_text=kind_text)
