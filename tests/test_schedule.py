"""Schedule rules on their edges: pure functions, then derive() over small datasets."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from campaign.records import models as m
from campaign.rules import schedule as s
from campaign.records.dates import parse_deadline

D = date


def task(tid="a01-t1", start=D(2018, 5, 1), deadline="2018-06-30", weight=50.0) -> m.Task:
    return m.Task(id=tid, name=tid, start=start, deadline=deadline, weight=weight)


def action(tasks, aid="a01", start=D(2018, 5, 1), reports_from=None) -> m.Action:
    return m.Action(id=aid, name=aid, lead_unit="scj", goal="g", start=start, tasks=tasks, reports_from=reports_from)


def report(month, submitted, *percents, aid="a01") -> m.Report:
    return m.Report(action=aid, month=month, submitted=submitted, progress="p",
                    tasks=[{"task": t, "percent": p} for t, p in percents])


def dataset(actions, reports, as_of, campaign_start=D(2018, 4, 1)):
    """Just what derive() reads: a stand-in for loading.Dataset."""
    plan = m.Plan(title="t", purpose="p", goal="g", start=campaign_start, guarantees=["g"],
                  measures=[m.Measure(id="x1", section="s", title="t", text="t", deadline="2018年7月中旬前")],
                  methods=[m.SupervisionMethod(id="y1", name="随机抽查", text="t")])
    by_action = {a.id: [r for r in reports if r.action == a.id] for a in actions}
    return SimpleNamespace(action_list=actions, reports=reports, reports_by_action=by_action, plan=plan,
                           as_of=as_of, site=SimpleNamespace(campaign_start=campaign_start, as_of=as_of))


# --- task_status edges ------------------------------------------------------------------------

def test_deadline_today_is_due_soon_not_overdue():
    due = D(2018, 6, 30)
    assert s.task_status(D(2018, 5, 1), due, 50, as_of=due) == s.DUE_SOON
    assert s.task_status(D(2018, 5, 1), due, 50, as_of=D(2018, 7, 1)) == s.OVERDUE


def test_due_soon_window_boundary():
    due = D(2018, 12, 31)
    start = D(2018, 12, 1)
    assert s.task_status(start, due, 90, as_of=due.replace(day=31 - s.DUE_SOON_DAYS)) == s.DUE_SOON
    assert s.task_status(start, due, 90, as_of=due.replace(day=31 - s.DUE_SOON_DAYS - 1)) == s.ON_TRACK


def test_leap_day_deadline():
    assert parse_deadline("2020年2月底").due == D(2020, 2, 29)
    assert parse_deadline("2019年2月底").due == D(2019, 2, 28)
    assert parse_deadline("2020年3月前").due == D(2020, 2, 29)
    start, due = D(2020, 2, 1), D(2020, 2, 29)
    assert s.task_status(start, due, 10, as_of=D(2020, 2, 29)) == s.DUE_SOON
    assert s.task_status(start, due, 10, as_of=D(2020, 3, 1)) == s.OVERDUE
    # 29 planned days in February 2020; on the 15th, 15 of them have passed.
    assert s.expected_percent(start, due, D(2020, 2, 15)) == pytest.approx(100 * 15 / 29)
    assert s.expected_percent(start, due, due) == 100


def test_no_report_yet():
    start, due = D(2018, 7, 1), D(2018, 12, 31)
    assert s.task_status(start, due, None, as_of=D(2018, 6, 20)) == s.NOT_STARTED  # before start
    assert s.task_status(start, due, None, as_of=D(2018, 7, 10)) == s.NOT_STARTED  # 5.4 % expected
    assert s.task_status(start, due, None, as_of=D(2018, 8, 31)) == s.BEHIND  # 33.7 % expected
    assert s.task_status(start, due, 0, as_of=D(2018, 8, 31)) == s.BEHIND


def test_done_before_and_after_deadline():
    start, due = D(2018, 5, 1), D(2018, 9, 30)
    assert s.task_status(start, due, 100, as_of=D(2018, 6, 30)) == s.DONE
    assert s.task_status(start, due, 100, as_of=D(2018, 12, 31)) == s.DONE  # 100 % beats 逾期


def test_behind_threshold_is_strict():
    # 101 planned days: on day 51 the expected percent is 50.495 ...
    start, due = D(2018, 1, 1), D(2018, 4, 11)
    as_of = D(2018, 2, 20)
    expected = s.expected_percent(start, due, as_of)
    assert s.task_status(start, due, expected - s.BEHIND_THRESHOLD, as_of) == s.ON_TRACK
    assert s.task_status(start, due, expected - s.BEHIND_THRESHOLD - 0.5, as_of) == s.BEHIND


def test_expected_percent_clamped():
    assert s.expected_percent(D(2018, 5, 1), D(2018, 5, 31), D(2018, 4, 1)) == 0
    assert s.expected_percent(D(2018, 5, 1), D(2018, 5, 31), D(2018, 8, 1)) == 100
    assert s.expected_percent(D(2018, 5, 1), D(2018, 5, 1), D(2018, 5, 1)) == 100  # one-day task


# --- roll-ups ---------------------------------------------------------------------------------

def test_weighted_progress_and_zero_weight():
    assert s.weighted_progress([(30, 100), (70, 0)]) == 30
    assert s.weighted_progress([(0, 100), (50, 40)]) == 40  # a zero-weight task counts for nothing
    assert s.weighted_progress([(0, 100), (0, 0)]) == 50  # all zero: plain mean
    assert s.weighted_progress([(10, None)]) == 0  # unreported counts as 0
    assert s.weighted_progress([]) == 0


def test_action_status_rollup():
    assert s.action_status([s.DONE, s.DONE]) == s.DONE
    assert s.action_status([s.DONE, s.BEHIND, s.DUE_SOON]) == s.DUE_SOON
    assert s.action_status([s.ON_TRACK, s.OVERDUE]) == s.OVERDUE
    assert s.action_status([s.NOT_STARTED, s.NOT_STARTED]) == s.NOT_STARTED
    assert s.action_status([s.DONE, s.NOT_STARTED]) == s.ON_TRACK


def test_plan_item_status():
    due = D(2018, 7, 20)
    assert s.plan_item_status(D(2018, 4, 1), due, D(2018, 7, 18), D(2018, 9, 30)) == (s.DONE, False)
    assert s.plan_item_status(D(2018, 4, 1), due, D(2018, 7, 25), D(2018, 9, 30)) == (s.DONE, True)
    assert s.plan_item_status(D(2018, 4, 1), due, D(2018, 10, 1), D(2018, 9, 30)) == (s.OVERDUE, False)
    assert s.plan_item_status(D(2018, 4, 13), D(2018, 4, 20), None, D(2018, 4, 1)) == (s.NOT_STARTED, False)
    assert s.plan_item_status(D(2018, 4, 1), None, None, D(2018, 9, 30)) == (s.ONGOING, False)
    assert s.plan_item_status(D(2018, 4, 1), due, None, D(2018, 7, 20)) == (s.DUE_SOON, False)


def test_report_due_date():
    assert s.report_due_date("2018-08") == D(2018, 9, s.REPORT_DUE_DAY)
    assert s.report_due_date("2018-12") == D(2019, 1, s.REPORT_DUE_DAY)


# --- derive over datasets ---------------------------------------------------------------------

def test_report_after_deadline_marks_late_completion():
    a = action([task(deadline="2018-06-30")])
    reports = [report("2018-06", D(2018, 7, 5), ("a01-t1", 80)),
               report("2018-07", D(2018, 8, 5), ("a01-t1", 100))]
    x = s.derive(dataset([a], reports, D(2018, 9, 30)))
    t = x.tasks["a01-t1"]
    assert (t.status, t.percent, t.completed_month, t.completed_late) == (s.DONE, 100, "2018-07", True)
    # On 10 July the June report (80 % on 30 June, the deadline) is known: 逾期 from 1 July.
    june = s.derive(dataset([a], reports, D(2018, 7, 10))).tasks["a01-t1"]
    assert (june.status, june.percent, june.period_end) == (s.OVERDUE, 80, D(2018, 6, 30))
    # On 30 June itself the deadline is today: 临期.
    assert s.derive(dataset([a], reports, D(2018, 6, 30))).tasks["a01-t1"].status == s.DUE_SOON
    july_80 = [reports[0], report("2018-07", D(2018, 8, 5), ("a01-t1", 90))]
    assert s.derive(dataset([a], july_80, D(2018, 9, 30))).tasks["a01-t1"].status == s.OVERDUE


def test_first_report_already_complete_is_not_late():
    a = action([task(deadline="2018-04-20", start=D(2018, 4, 13))], start=D(2018, 4, 13), reports_from="2018-05")
    x = s.derive(dataset([a], [report("2018-05", D(2018, 6, 5), ("a01-t1", 100))], D(2018, 9, 30)))
    assert x.tasks["a01-t1"].completed_late is False
    assert x.missing == ()  # reports_from moves the first due month past April


def test_done_before_deadline_in_derive():
    a = action([task(deadline="2018-09-30")])
    x = s.derive(dataset([a], [report("2018-06", D(2018, 7, 5), ("a01-t1", 100))], D(2018, 7, 31)))
    t = x.tasks["a01-t1"]
    assert (t.status, t.completed_late, t.days_left) == (s.DONE, False, 61)
    assert x.actions["a01"].status == s.DONE


def test_latest_percent_is_newest_report_not_highest():
    a = action([task(deadline="2018-12-31")])
    reports = [report("2018-06", D(2018, 7, 5), ("a01-t1", 60)), report("2018-07", D(2018, 8, 5), ("a01-t1", 40))]
    assert s.derive(dataset([a], reports, D(2018, 8, 31))).tasks["a01-t1"].percent == 40


def test_zero_weight_task_in_action():
    a = action([task("a01-t1", weight=0), task("a01-t2", deadline="2018-12-31", weight=0)])
    x = s.derive(dataset([a], [report("2018-05", D(2018, 6, 5), ("a01-t1", 100), ("a01-t2", 20))], D(2018, 6, 10)))
    assert x.actions["a01"].progress == 60  # plain mean of 100 and 20


def test_missing_and_late_reports():
    a = action([task(deadline="2018-12-31")])
    reports = [report("2018-05", D(2018, 6, 5), ("a01-t1", 10)),
               report("2018-07", D(2018, 8, 11), ("a01-t1", 30))]
    on_due_day = s.derive(dataset([a], reports, D(2018, 9, 10)))
    assert [r.month for r in on_due_day.missing] == ["2018-06"]  # August not missing on 10 September
    day_after = s.derive(dataset([a], reports, D(2018, 9, 11)))
    assert [r.month for r in day_after.missing] == ["2018-06", "2018-08"]
    assert [(r.month, r.submitted) for r in day_after.late_reports] == [("2018-07", D(2018, 8, 11))]
    # A report submitted after the date looked at does not count yet.
    assert [r.month for r in s.derive(dataset([a], reports, D(2018, 8, 10))).missing] == ["2018-06"]
    assert s.derive(dataset([a], reports, D(2018, 8, 11))).missing[0].month == "2018-06"


def test_reports_stop_after_completion():
    a = action([task(deadline="2018-12-31")])
    reports = [report("2018-05", D(2018, 6, 5), ("a01-t1", 100))]
    assert s.derive(dataset([a], reports, D(2018, 12, 31))).missing == ()


def test_as_of_before_campaign_start():
    a = action([task(), task("a01-t2", deadline="2018-12-31")])
    d = dataset([a], [], D(2018, 3, 1))
    x = s.derive(d)
    assert {t.status for t in x.tasks.values()} == {s.NOT_STARTED}
    assert x.actions["a01"].status == s.NOT_STARTED
    assert x.campaign.progress == 0 and x.campaign.expected == 0 and x.missing == ()
    assert x.plan_items["x1"].status == s.NOT_STARTED
    assert s.period_ends(d) == []


def test_period_ends_stop_at_as_of():
    d = dataset([action([task()])], [], D(2018, 6, 15))
    assert s.period_ends(d) == [("2018-04", D(2018, 4, 30)), ("2018-05", D(2018, 5, 31))]
    assert s.year_end(d, 2018) == D(2018, 6, 15)


def test_to_dict_is_plain_data():
    import json
    a = action([task()])
    x = s.derive(dataset([a], [report("2018-05", D(2018, 6, 5), ("a01-t1", 50))], D(2018, 6, 30)), period="2018-06")
    data = json.loads(json.dumps(x.to_dict(), ensure_ascii=False))
    assert data["actions"][0]["tasks"][0]["status"] == s.DUE_SOON
    assert data["campaign"]["task_counts"][s.DUE_SOON] == 1


def test_every_status_has_a_rule():
    assert {status for status, _ in s.STATUS_RULES} == set(s.TASK_STATUSES)


def test_statuses_follow_reporting_periods():
    a = action([task(deadline="2018-06-30")])
    reports = [report("2018-05", D(2018, 6, 5), ("a01-t1", 50)), report("2018-06", D(2018, 7, 5), ("a01-t1", 100))]
    d = dataset([a], reports, D(2018, 7, 15))
    got = [(mo, s.derive(d, s.report_due_date(mo), mo).actions["a01"].status) for mo in ("2018-04", "2018-05", "2018-06")]
    assert got == [("2018-04", s.NOT_STARTED), ("2018-05", s.ON_TRACK), ("2018-06", s.DONE)]  # May: 50 % vs 50.8 %
