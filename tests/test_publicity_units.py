"""Unit tests of the pure functions behind the publicity pages (no MkDocs involved)."""
from __future__ import annotations

from datetime import date

import pytest

from campaign.site.charts import line_chart
from campaign.records.doc_numbers import doc_no_problem
from campaign.records.models import Rectification, Survey
from campaign.rules.privacy import find_personal_data, id_checksum_ok, luhn_ok, message
from campaign.rules.rectification import rectification_state
from campaign.rules.survey_trends import previous_quarter, signed, survey_changes
from campaign.rules.workdays import publication_late_by, working_days_after

from support import BAD_ID, VALID_ID

# --- personal data ---------------------------------------------------------------------------

def test_id_checksum():
    assert id_checksum_ok(VALID_ID)
    assert not id_checksum_ok(BAD_ID)
    assert id_checksum_ok("11010519491231002X") and id_checksum_ok("11010519491231002x")


def test_luhn():
    assert luhn_ok("4111111111111111")
    assert not luhn_ok("4111111111111112")
    assert not luhn_ok(BAD_ID)


@pytest.mark.parametrize("text, kinds", [
    (f"身份证号{VALID_ID}。", ["id"]),
    (f"身份证号{BAD_ID}。", []),
    ("联系电话13812345678", ["mobile"]),
    ("电话 +86 139-1234-5678", ["mobile"]),
    ("电话 139 1234 5678", ["mobile"]),
    ("座机0915-5212345，热线441111", []),
    ("卡号6222 0212 3456 7890 128", ["card"]),
    ("卡号4111111111111111", ["card"]),
    ("卡号4111111111111112", []),
    ("编号213812345678901", []),  # 15 digits: no mobile inside a longer number
    ("紫政办发〔2018〕25号，2018-06-15，zyxzfzyxzfbgs/2018-0025", []),
    (f"{VALID_ID}和13912345678", ["id", "mobile"]),
])
def test_find_personal_data(text, kinds):
    assert [f.kind for f in find_personal_data(text)] == kinds


def test_message_masks_numbers():
    text = message(find_personal_data(f"身份证号{VALID_ID}，电话13812345678"))
    assert VALID_ID not in text and "13812345678" not in text
    assert "身份证号「610***********1239」" in text and "手机号「138****5678」" in text
    assert "allow_personal_data" in text


# --- 文号 -------------------------------------------------------------------------------------

def test_doc_no_accepts_gbt9704():
    assert doc_no_problem("紫政办发〔2018〕25号") is None
    assert doc_no_problem("紫政发〔2025〕3号") is None


@pytest.mark.parametrize("bad, why", [
    ("紫政办发【2018】25号", "年份应使用六角括号〔〕"),
    ("紫政办发[2018]25号", "年份应使用六角括号〔〕"),
    ("紫政办发（2018）25号", "年份应使用六角括号〔〕"),
    ("紫政办发〔2018〕025号", "序号不编虚位"),
    ("紫政办发〔2018〕第25号", "序号前不加“第”"),
])
def test_doc_no_rejects_with_corrected_form(bad, why):
    problem = doc_no_problem(bad)
    assert problem is not None and why in problem
    assert "应写成「紫政办发〔2018〕25号」" in problem


def test_doc_no_unrecognisable():
    assert "机关代字〔年份〕序号号" in doc_no_problem("第二十五号文件")


# --- working days -------------------------------------------------------------------------------

def test_working_days():
    friday = date(2018, 4, 13)
    assert working_days_after(friday, friday) == 0
    assert working_days_after(friday, date(2018, 4, 15)) == 0  # the weekend
    assert working_days_after(friday, date(2018, 4, 16)) == 1
    assert working_days_after(friday, date(2018, 4, 20)) == 5
    # The official calendar (chinesecalendar): 28 April (Sat) worked, 30 April and 1 May off.
    assert working_days_after(friday, date(2018, 5, 11)) == 19
    assert working_days_after(friday, date(2018, 5, 14)) == 20
    assert working_days_after(date(2018, 4, 14), date(2018, 4, 21)) == 5  # Sat to Sat


def test_working_days_with_the_holiday_calendar():
    # National Day week: Mon 1 Oct to Fri 5 Oct off; Sat 29 and Sun 30 Sep worked instead.
    holidays = [date(2018, 10, d) for d in range(1, 6)]
    workdays = [date(2018, 9, 29), date(2018, 9, 30)]
    friday, next_friday = date(2018, 9, 28), date(2018, 10, 12)
    # The official calendar already knows the National Day week; the same dates as
    # overrides change nothing.
    assert working_days_after(friday, next_friday) == 7
    assert working_days_after(friday, next_friday, holidays, workdays) == 7
    # Days outside (start, end] do not count, nor does a day listed twice.
    assert working_days_after(date(2018, 10, 8), next_friday, holidays + holidays, workdays) == 4
    made = date(2018, 9, 14)
    assert publication_late_by(made, date(2018, 10, 15)) == 0  # Mid-Autumn and National Day off (official calendar)
    assert publication_late_by(made, date(2018, 10, 15), holidays=holidays, workdays=workdays) == 0


def test_calendar_rejects_days_in_the_wrong_list():
    from pydantic import ValidationError

    from campaign.records.models import WorkCalendar
    with pytest.raises(ValidationError, match="2018-09-29（周六）本来就是周末"):
        WorkCalendar(holidays=["2018-09-29"])
    with pytest.raises(ValidationError, match="2018-10-08（周一）本来就是工作日"):
        WorkCalendar(workdays=["2018-10-08"])


def test_publication_late_by():
    made = date(2018, 4, 13)
    assert publication_late_by(made, date(2018, 5, 14)) == 0  # exactly 20 working days (official calendar)
    assert publication_late_by(made, date(2018, 5, 15)) == 1
    assert publication_late_by(made, date(2018, 3, 1)) == 0


# --- rectification ------------------------------------------------------------------------------

AS_OF = date(2018, 9, 30)


def test_overdue_when_unfinished_after_deadline():
    state = rectification_state(Rectification(status="整改中", deadline=date(2018, 9, 15)), AS_OF)
    assert state.overdue and state.days_overdue == 15
    assert state.label == "整改中（已逾期 15 天）" and state.css == "overdue"


def test_not_overdue_on_deadline_day():
    state = rectification_state(Rectification(status="未整改", deadline=AS_OF), AS_OF)
    assert not state.overdue and state.label == "未整改"


def test_finished_is_never_overdue():
    on_time = rectification_state(Rectification(status="已整改", deadline=date(2018, 8, 31),
                                                completed=date(2018, 8, 20)), AS_OF)
    late = rectification_state(Rectification(status="已整改", deadline=date(2018, 8, 31),
                                             completed=date(2018, 9, 5)), AS_OF)
    assert not on_time.overdue and on_time.label == "已整改"
    assert not late.overdue and late.label == "已整改（超期 5 天完成）"


def test_no_deadline_no_overdue():
    assert not rectification_state(Rectification(status="整改中"), AS_OF).overdue


# --- survey changes -----------------------------------------------------------------------------

def survey(quarter: str, overall: float, **dims: float) -> Survey:
    return Survey(quarter=quarter, unit="tjj", published="2018-07-12", overall=overall, sample_size=300,
                  method="问卷", dimensions=[{"name": k, "score": v} for k, v in dims.items()])


def test_survey_changes_overall_and_dimensions():
    changes = survey_changes([survey("2018-Q3", 85.0, 政务服务=86.3, 新维度=70.0),
                              survey("2018-Q2", 82.4, 政务服务=84.1)])
    first, second = changes
    assert first.previous is None and first.change is None
    assert second.previous.quarter == "2018-Q2" and second.change == 2.6 and second.consecutive
    dims = {x.name: x for x in second.dimensions}
    assert dims["政务服务"].change == 2.2 and dims["政务服务"].previous == 84.1
    assert dims["新维度"].change is None


def test_survey_gap_is_not_consecutive():
    changes = survey_changes([survey("2018-Q2", 80.0), survey("2018-Q4", 79.5)])
    assert changes[1].change == -0.5 and not changes[1].consecutive


def test_previous_quarter_and_signed():
    assert previous_quarter("2019-Q1") == "2018-Q4" and previous_quarter("2018-Q3") == "2018-Q2"
    assert signed(2.6) == "+2.6" and signed(-0.5) == "−0.5" and signed(0.0) == "持平" and signed(None) == "—"


def test_chart_geometry():
    chart = line_chart(["2018年第2季度", "2018年第3季度"], [("总体满意度", [82.4, 85.0]), ("分项", [None, 70.0])])
    overall, part = chart.series
    assert len(overall.points) == 2 and len(part.points) == 1
    assert overall.points[1].y < overall.points[0].y  # higher score, higher on the picture
    assert all(chart.left <= p.x <= chart.plot_right for p in overall.points)
    labels = [int(label) for _, label in chart.y_ticks]
    assert labels[0] <= 70 and labels[-1] >= 85 and labels[-1] <= 100
