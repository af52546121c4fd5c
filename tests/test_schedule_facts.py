"""The schedule's shared per-action facts (schedule.ActionFacts: reports sorted once,
corrections by task, walks over the visible reports reused between dates) give exactly the
states of the direct computation, for every action at every date and period: the direct
computation is kept here as it was written before the facts existed."""
from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

from campaign.records import models as m
from campaign.records.dates import Month
from campaign.rules import schedule as s

D = date
ROOT = Path(__file__).resolve().parent.parent


# --- The direct computation (schedule._action_state before ActionFacts) -----------------------

def _month_of(day: date) -> str:
    return str(Month.of(day))


def _deadline_known(task, as_of):
    later = sorted((c for c in getattr(task, "deadline_changes", []) if c.date > as_of), key=lambda c: c.date)
    return later[0].was if later else task.deadline


def _percent_known(report, item, as_of):
    later = sorted((c for c in report.corrections if c.task == item.task and c.date > as_of), key=lambda c: c.date)
    return later[0].was if later else item.percent


def _completed_late(due, percents):
    return any(month >= _month_of(due) and percent < 100 for month, percent in percents)


def direct_state(action, reports, as_of, rules, period, plan_done) -> s.ActionState:
    known = [r for r in reports if r.submitted <= as_of and s.month_end(r.month) <= as_of]
    if period is None:
        period = max([s.due_period(as_of, rules.report_due_day)] + [r.month for r in known])
    at = min(s.month_end(period), as_of)
    visible = sorted((r for r in known if r.month <= period), key=lambda r: r.month)
    latest, history, completed = {}, {}, {}
    all_done_month = None
    task_ids = [t.id for t in action.tasks]
    for report in visible:
        for item in report.tasks:
            percent = _percent_known(report, item, as_of)
            latest[item.task] = (percent, report.month)
            history.setdefault(item.task, []).append((report.month, percent))
            if percent >= 100 and item.task not in completed:
                completed[item.task] = report.month
        if all_done_month is None and all(latest.get(t, (0, ""))[0] >= 100 for t in task_ids):
            all_done_month = report.month
    states = []
    for task in action.tasks:
        percent, month = latest.get(task.id, (None, None))
        deadline = _deadline_known(task, as_of)
        due = deadline.due
        done_on = plan_done.get(task.plan_measure) if task.plan_measure else None
        by_plan = done_on is not None and done_on <= as_of and (percent is None or percent < 100)
        if by_plan:
            percent, month = 100.0, None
            completed[task.id] = _month_of(done_on)
        done_month = completed.get(task.id) if percent is not None and percent >= 100 else None
        late = (done_on > due) if by_plan else (
            done_month is not None and _completed_late(due, history.get(task.id, [])))
        states.append(s.TaskState(
            action_id=action.id, task_id=task.id,
            status=s.period_task_status(task.start, due, percent, at, as_of, period, rules),
            percent=percent, expected=s.expected_percent(task.start, due, at),
            start=task.start, due=due, days_left=(due - as_of).days, report_month=month,
            completed_month=done_month, completed_late=late, period_end=at, done_by_plan=by_plan,
            deadline_text=deadline.text,
        ))
    first = action.reports_from or _month_of(action.start)
    last = _month_of(max(x.due for x in states))
    if all_done_month is not None:
        last = min(last, all_done_month)
    reporting_months = s.months_between(first, last)
    months_due = [mo for mo in reporting_months if s.report_due_date(mo, rules.report_due_day) < as_of]
    by_month = {r.month: r for r in reports if r.submitted <= as_of}
    missing = tuple(s.MissingReport(action.id, mo, s.report_due_date(mo, rules.report_due_day))
                    for mo in months_due if mo not in by_month)
    late = tuple(s.LateReport(action.id, mo, s.report_due_date(mo, rules.report_due_day), by_month[mo].submitted)
                 for mo in reporting_months
                 if mo in by_month and by_month[mo].submitted > s.report_due_date(mo, rules.report_due_day))
    weights = [t.weight for t in action.tasks]
    return s.ActionState(
        action_id=action.id, status=s.action_status(x.status for x in states),
        progress=s.weighted_progress(zip(weights, (x.percent for x in states))),
        expected=s.weighted_progress(zip(weights, (x.expected for x in states))),
        tasks=tuple(states), task_counts=s.count_statuses(x.status for x in states),
        months_due=tuple(months_due), missing=missing, late=late,
        latest_report_month=visible[-1].month if visible else None, period=period, period_end=at,
    )


# --- A project with every case the facts shortcut ---------------------------------------------

def _task(tid, start, deadline, weight, plan_measure=None, changes=()):
    return m.Task(id=tid, name=tid, start=start, deadline=deadline, weight=weight, plan_measure=plan_measure,
                  deadline_changes=[{"date": d, "was": was} for d, was in changes])


def _report(aid, month, submitted, percents, corrections=()):
    return m.Report(action=aid, month=month, submitted=submitted, progress="p",
                    tasks=[{"task": t, "percent": p} for t, p in percents],
                    corrections=[{"date": d, "task": t, "was": was} for d, t, was in corrections])


def _project():
    actions = [
        m.Action(id="a01", name="a", lead_unit="u", goal="g", start=D(2018, 5, 1), tasks=[
            _task("a01-t1", D(2018, 5, 1), "2018-09-30", 60,
                  changes=[(D(2018, 8, 20), "2018-08-31"), (D(2018, 7, 5), "2018-07-31")]),
            _task("a01-t2", D(2018, 6, 1), "2018-12-31", 40, plan_measure="x1"),
        ]),
        m.Action(id="a02", name="a", lead_unit="u", goal="g", start=D(2018, 5, 10), reports_from="2018-06", tasks=[
            _task("a02-t1", D(2018, 5, 10), "2018-07-31", 0),
            _task("a02-t2", D(2018, 5, 10), "2018年10月中旬前", 0),
        ]),
        m.Action(id="a03", name="a", lead_unit="u", goal="g", start=D(2018, 4, 1), tasks=[
            _task("a03-t1", D(2018, 4, 1), "2018-06-30", 50),
        ]),
    ]
    reports = [
        # a01: corrections (two on one task, one dated the same day as another), a late report,
        # a missing month (2018-07), a report submitted before its month ended.
        _report("a01", "2018-05", D(2018, 6, 8), [("a01-t1", 20), ("a01-t2", 0)],
                [(D(2018, 7, 1), "a01-t1", 30), (D(2018, 6, 20), "a01-t1", 25), (D(2018, 6, 20), "a01-t2", 5)]),
        _report("a01", "2018-06", D(2018, 7, 15), [("a01-t1", 40), ("a01-t2", 10)],
                [(D(2018, 9, 3), "a01-t1", 100)]),
        _report("a01", "2018-08", D(2018, 8, 25), [("a01-t1", 100), ("a01-t2", 30)]),
        _report("a01", "2018-09", D(2018, 10, 9), [("a01-t1", 100), ("a01-t2", 60)],
                [(D(2018, 10, 20), "a01-t2", 55)]),
        # a02: the same month twice (the later one in file order wins in lookups), completion.
        _report("a02", "2018-07", D(2018, 8, 12), [("a02-t1", 90), ("a02-t2", 40)]),
        _report("a02", "2018-06", D(2018, 7, 10), [("a02-t1", 50), ("a02-t2", 20)]),
        _report("a02", "2018-07", D(2018, 8, 3), [("a02-t1", 100), ("a02-t2", 40)]),
        _report("a02", "2018-08", D(2018, 9, 10), [("a02-t1", 100), ("a02-t2", 100)]),
        _report("a02", "2018-09", D(2018, 10, 1), [("a02-t1", 100), ("a02-t2", 100)]),
        # a03: late completion after its deadline, nothing after.
        _report("a03", "2018-06", D(2018, 7, 2), [("a03-t1", 80)]),
        _report("a03", "2018-07", D(2018, 8, 30), [("a03-t1", 100)], [(D(2018, 9, 15), "a03-t1", 95)]),
    ]
    plan = m.Plan(title="t", purpose="p", goal="g", start=D(2018, 4, 1), guarantees=["g"],
                  measures=[m.Measure(id="x1", section="s", title="t", text="t", deadline="2018年7月中旬前",
                                      done=D(2018, 11, 5))],
                  methods=[m.SupervisionMethod(id="y1", name="随机抽查", text="t")])
    by_action = {a.id: [r for r in reports if r.action == a.id] for a in actions}
    return SimpleNamespace(action_list=actions, reports=reports, reports_by_action=by_action, plan=plan,
                           as_of=D(2019, 1, 31), site=SimpleNamespace(campaign_start=D(2018, 4, 1),
                                                                      as_of=D(2019, 1, 31)))


def _days(first: date, last: date):
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def test_facts_give_the_direct_states_at_every_date_and_period():
    d = _project()
    rules = s.DEFAULT_RULES
    plan_done = {x.id: x.done for x in d.plan.measures if x.done is not None}
    periods = [None] + list(s.months_between("2018-04", "2019-01"))
    cases = [(day, period) for day in _days(D(2018, 4, 1), D(2019, 1, 31)) for period in periods]
    random.Random(18).shuffle(cases)  # the shared walks are reused in any order
    compared = 0
    for action in d.action_list:
        reports = d.reports_by_action[action.id]
        facts = s.action_facts(reports)  # shared across every date, as a build shares it
        for day, period in cases:
            expected = direct_state(action, reports, day, rules, period, plan_done)
            assert s._action_state(action, reports, day, rules, period, plan_done, facts) == expected, (
                action.id, day, period)
            compared += 1
    assert compared == 3 * len(cases)


def test_the_project_exercises_what_the_facts_shortcut():
    d = _project()
    states = [direct_state(a, d.reports_by_action[a.id], day, s.DEFAULT_RULES, None, {"x1": D(2018, 11, 5)})
              for a in d.action_list for day in _days(D(2018, 6, 1), D(2019, 1, 31))]
    assert any(x.missing for x in states) and any(x.late for x in states)
    assert any(t.completed_late for x in states for t in x.tasks)
    assert any(t.done_by_plan for x in states for t in x.tasks)
    texts = {t.deadline_text for x in states for t in x.tasks if t.task_id == "a01-t1"}
    assert texts == {"2018年7月31日", "2018年8月31日", "2018年9月30日"}  # deadline changes seen at their dates
    percents = {t.percent for x in states for t in x.tasks if t.task_id == "a01-t1" and t.report_month == "2018-05"}
    assert {30, 25, 20} <= percents  # corrections before and after their dates


def test_derive_over_the_column_data_matches_the_direct_states():
    # The column's own data (with a correction) at every bulletin date and month end, through
    # derive(), which shares each action's facts across dates on the dataset.
    from campaign.check import load

    d = load(ROOT / "data", ROOT / "content")
    rules = s.rules_of(d)
    plan_done = {x.id: x.done for x in d.plan.measures if x.done is not None}
    assert any(r.corrections for r in d.reports)
    dates = [(b.issued, b.month) for b in d.bulletins] + [(d.as_of, mo) for mo, _ in s.period_ends(d)]
    dates += [(day, None) for day in _days(d.site.campaign_start, d.as_of)[::7]]
    for as_of, period in dates:
        x = s.derive_once(d, as_of, period)
        for action in d.action_list:
            assert x.actions[action.id] == direct_state(action, d.reports_by_action.get(action.id, []), as_of,
                                                        rules, period, plan_done), (action.id, as_of, period)
