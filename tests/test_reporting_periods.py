"""Status by reporting period and issued bulletins: a table of cases through the schedule
module (issue 14). A report for month M states progress at the end of M and is judged
against the progress expected at the end of M; a bulletin counts only what was submitted
by its issue date."""
from __future__ import annotations

from datetime import date as D
from types import SimpleNamespace

import pytest

from campaign.records import models as m
from campaign.rules import schedule as s


def _action():
    # 1 May – 31 October: 184 planned days; expected at 31 August = 123/184 = 66.8 %,
    # at 30 September = 153/184 = 83.2 %.
    return m.Action(id="a01", name="a", lead_unit="scj", goal="g", start=D(2018, 5, 1), reports_from="2018-07", tasks=[
        m.Task(id="a01-t1", name="t", start=D(2018, 5, 1), deadline="2018-10-31", weight=100),
        m.Task(id="a01-t2", name="宣传周", start=D(2018, 4, 13), deadline="2018-04-20", weight=0, plan_measure="m2"),
    ])


def _report(month, submitted, percent, corrections=()):
    return m.Report(action="a01", month=month, submitted=submitted, progress="p", sample=True,
                    tasks=[{"task": "a01-t1", "percent": percent}], corrections=list(corrections))


def _dataset(reports, as_of, bulletins=(), settings=None):
    plan = m.Plan(title="t", purpose="p", goal="g", start=D(2018, 4, 1), guarantees=["g"],
                  measures=[m.Measure(id="m2", section="s", title="宣传周", text="t", deadline="2018年4月13至20日",
                                      done=D(2018, 4, 20))],
                  methods=[m.SupervisionMethod(id="y1", name="随机抽查", text="t")])
    actions = [_action()]
    site = SimpleNamespace(campaign_start=D(2018, 4, 1), as_of=as_of, schedule=settings)
    return SimpleNamespace(action_list=actions, reports=list(reports), reports_by_action={"a01": list(reports)},
                           plan=plan, as_of=as_of, site=site, bulletins=list(bulletins), cases=[])


JULY = _report("2018-07", D(2018, 8, 8), 55)  # judged at 31 July: expected 92/184 = 50 %
AUG_ON_TIME = _report("2018-08", D(2018, 9, 8), 60)  # expected 66.8 % at 31 August: 6.8 points behind
AUG_LATE = _report("2018-08", D(2018, 9, 20), 60)
SEP_EARLY = _report("2018-09", D(2018, 9, 30), 70)  # 70 vs 83.2 expected at 30 September: 滞后
AUG_CORRECTED = _report("2018-08", D(2018, 9, 8), 50, [m.Correction(date=D(2018, 9, 25), task="a01-t1", was=60)])


# (case, reports, as_of, expected status of a01-t1, percent, statistics point, missing months)
CASES = [
    ("on time report, next not yet due", [JULY, AUG_ON_TIME], D(2018, 9, 30), s.ON_TRACK, 60, D(2018, 8, 31), []),
    ("before the due day the previous month stands", [JULY], D(2018, 9, 10), s.ON_TRACK, 55, D(2018, 7, 31), []),
    ("missing report after the due day", [JULY], D(2018, 9, 11), s.BEHIND, 55, D(2018, 8, 31), ["2018-08"]),
    ("late report counts once submitted", [JULY, AUG_LATE], D(2018, 9, 30), s.ON_TRACK, 60, D(2018, 8, 31), []),
    ("late report not yet submitted", [JULY, AUG_LATE], D(2018, 9, 15), s.BEHIND, 55, D(2018, 8, 31), ["2018-08"]),
    ("report for a future month is not used", [JULY, AUG_ON_TIME, SEP_EARLY], D(2018, 9, 29), s.ON_TRACK, 60,
     D(2018, 8, 31), []),
    ("report for the month just ended is used", [JULY, AUG_ON_TIME, SEP_EARLY], D(2018, 9, 30), s.BEHIND, 70,
     D(2018, 9, 30), []),
    ("correction not yet made", [JULY, AUG_CORRECTED], D(2018, 9, 20), s.ON_TRACK, 60, D(2018, 8, 31), []),
    ("correction after it is made", [JULY, AUG_CORRECTED], D(2018, 9, 30), s.BEHIND, 50, D(2018, 8, 31), []),
]


@pytest.mark.parametrize("case, reports, as_of, status, percent, at, missing", CASES, ids=[c[0] for c in CASES])
def test_status_by_reporting_period(case, reports, as_of, status, percent, at, missing):
    x = s.derive(_dataset(reports, as_of))
    t = x.tasks["a01-t1"]
    assert (t.status, t.percent, t.period_end) == (status, percent, at)
    assert [r.month for r in x.missing] == missing


def test_plan_measure_done_date_wins_over_missing_reports():
    # 开办电视和网站专栏 is done by the plan on 20 April: not 逾期 in April although no report covers it.
    x = s.derive(_dataset([], D(2018, 5, 14)), period="2018-04")
    t = x.tasks["a01-t2"]
    assert (t.status, t.completed_month, t.done_by_plan) == (s.DONE, "2018-04", True)


def test_settings_come_from_the_data():
    settings = m.ScheduleSettings(report_due_day=5, behind_threshold=20, due_soon_days=3)
    x = s.derive(_dataset([JULY], D(2018, 9, 6), settings=settings))
    assert [r.month for r in x.missing] == ["2018-08"]  # due 5 September
    assert x.tasks["a01-t1"].status == s.ON_TRACK  # 55 vs 66.8: within 20 points
    assert x.rules.report_due_day == 5
    assert "次月 5 日" in s.period_rule(x.rules)


# --- bulletins --------------------------------------------------------------------------------

def _record(month, issued, **kw):
    return m.Bulletin(month=month, issued=issued, number="2018年第1期", sample=True, **kw)


def test_bulletin_issued_before_a_late_report_arrives():
    record = _record("2018-08", D(2018, 9, 12))
    early = _dataset([JULY], D(2018, 9, 12), [record])
    later = _dataset([JULY, AUG_LATE], D(2018, 12, 31), [record])
    for d in (early, later):
        b = s.bulletin(d, "2018-08")
        t = b.x.tasks["a01-t1"]
        assert (t.status, t.percent, b.period_end) == (s.BEHIND, 55, D(2018, 8, 31))
        assert [(r.action_id, r.state) for r in b.reports] == [("a01", "missing")]
    assert s.bulletin(early, "2018-08") == s.bulletin(later, "2018-08")


def test_bulletin_unchanged_by_a_later_correction():
    record = _record("2018-08", D(2018, 9, 12))
    b = s.bulletin(_dataset([JULY, AUG_CORRECTED], D(2018, 12, 31), [record]), "2018-08")
    assert b.x.tasks["a01-t1"].percent == 60  # corrected to 50 on 25 September, after issue
    assert b.reports[0].state == "on_time"


def test_bulletin_counts_completions_of_its_month():
    done_aug = _report("2018-08", D(2018, 9, 8), 100)
    b = s.bulletin(_dataset([JULY, done_aug], D(2018, 9, 30), [_record("2018-08", D(2018, 9, 12))]), "2018-08")
    assert [t.task_id for t in b.completed] == ["a01-t1"]
    b = s.bulletin(_dataset([JULY], D(2018, 9, 30), [_record("2018-07", D(2018, 8, 12))]), "2018-07")
    assert b.completed == ()
    april = s.bulletin(_dataset([], D(2018, 9, 30), [_record("2018-04", D(2018, 5, 14))]), "2018-04")
    assert [t.task_id for t in april.completed] == ["a01-t2"]
    assert "a01-t2" not in {t.task_id for t in april.problems}


def test_month_without_issue_record_is_not_issued():
    d = _dataset([JULY], D(2018, 9, 30), [_record("2018-07", D(2018, 8, 12)), _record("2018-09", D(2018, 10, 12))])
    assert s.bulletin(d, "2018-08") is None
    assert s.bulletin(d, "2018-09") is None  # issued after the data date: not known yet
    assert [b.month for b in s.bulletins(d)] == ["2018-07"]
    assert s.bulletin(d, "2018-07").sample


# --- honest history (变更记录) and point-in-time rebuilds on the bundled data -----------------

def test_history_events_carry_record_dates_and_corrections():
    from pathlib import Path
    from campaign.exports.history import record_events
    from campaign.check import load

    root = Path(__file__).resolve().parent.parent
    d = load(root / "data", root / "content")
    events = record_events(d, "a01")
    assert all(e.day <= d.as_of for e in events)
    may = next(e for e in events if e.subject == "2018年5月进展报告")
    assert may.day == D(2018, 6, 3) and may.kind == "报送" and "企业开办“一窗受理”窗口设立 50%" in may.what
    fix = next(e for e in events if e.kind == "更正")
    assert fix.day == D(2018, 9, 20) and "58% → 85%" in fix.what and fix.sample
    aug = next(e for e in events if e.subject == "2018年8月进展报告" and e.kind == "报送")
    assert "企业开办时间压缩至5个工作日内 58%" in aug.what  # as first published

    # The August bulletin was issued on 12 September, before the correction: it keeps 58 %.
    b = s.bulletin(d, "2018-08")
    assert b.x.tasks["a01-t2"].percent == 58
    assert s.derive(d).tasks["a01-t2"].percent == 85

    # AS_OF in the past: only what was known then (no later reports, cases, bulletins, corrections).
    then = load(root / "data", root / "content", "2018-09-15")
    assert max(r.submitted for r in then.reports) <= D(2018, 9, 15)
    assert all(c.date <= D(2018, 9, 15) for c in then.cases)
    assert [x.percent for x in next(r for r in then.reports if (r.action, r.month) == ("a01", "2018-08")).tasks
            if x.task == "a01-t2"] == [58]
    assert all(e.day <= D(2018, 9, 15) for e in record_events(then, "a01"))
    assert s.bulletin(then, "2018-08") == s.bulletin(d, "2018-08")


def test_bulletin_page_is_the_same_document_after_later_data():
    from pathlib import Path
    from campaign.check import load
    from campaign.site.pages import bulletins

    root = Path(__file__).resolve().parent.parent
    then = {p.src_uri: p.content for p in bulletins.build(load(root / "data", root / "content", "2018-09-15"))}
    now = {p.src_uri: p.content for p in bulletins.build(load(root / "data", root / "content"))}
    assert then["bulletins/2018-08.md"] == now["bulletins/2018-08.md"]
    assert "2018年第5期" in now["bulletins/2018-08.md"]
    assert "bulletins/2018-09.md" not in now  # not issued


@pytest.mark.parametrize("as_of, percent_aug, status", [
    (D(2018, 9, 5), None, s.DUE_SOON),   # deadline 31 August passed, August report not due yet
    (D(2018, 9, 11), None, s.OVERDUE),   # August report missing after its due day
    (D(2018, 9, 30), 70, s.OVERDUE),     # August report: 70 % at the deadline
    (D(2018, 9, 30), 100, s.DONE),
])
def test_overdue_needs_the_deadline_months_report(as_of, percent_aug, status):
    a = m.Action(id="a01", name="a", lead_unit="scj", goal="g", start=D(2018, 5, 1), reports_from="2018-07", tasks=[
        m.Task(id="a01-t1", name="t", start=D(2018, 5, 1), deadline="2018-08-31", weight=100)])
    reports = [m.Report(action="a01", month="2018-07", submitted=D(2018, 8, 8), progress="p",
                        tasks=[{"task": "a01-t1", "percent": 60}])]
    if percent_aug is not None:
        reports.append(m.Report(action="a01", month="2018-08", submitted=D(2018, 9, 8), progress="p",
                                tasks=[{"task": "a01-t1", "percent": percent_aug}]))
    d = _dataset(reports, as_of)
    d.action_list, d.reports_by_action = [a], {"a01": reports}
    assert s.derive(d).tasks["a01-t1"].status == status


def test_bulletin_keeps_the_deadline_in_force_when_issued():
    a = _action()
    task = a.tasks[0].model_copy(update={"deadline": m.Task(id="x", name="x", start=D(2018, 5, 1), deadline="2018-12-31",
                                                             weight=1).deadline,
                                         "deadline_changes": [m.DeadlineChange(date=D(2018, 9, 20), was="2018-10-31")]})
    a = a.model_copy(update={"tasks": [task, a.tasks[1]]})
    d = _dataset([JULY, AUG_ON_TIME], D(2018, 9, 30), [_record("2018-08", D(2018, 9, 12))])
    d.action_list = [a]
    b = s.bulletin(d, "2018-08")
    assert (b.x.tasks["a01-t1"].due, b.x.tasks["a01-t1"].deadline_text) == (D(2018, 10, 31), "2018年10月31日")
    assert s.derive(d).tasks["a01-t1"].due == D(2018, 12, 31)
