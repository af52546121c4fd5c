"""Whole-site build of a small fixture campaign: statuses, counts and 缺报 on the dashboard,
an action page, a unit page and a bulletin equal values computed by hand.

Fixture (tests/fixtures/progress), as of 2018-09-30. By reporting period: the August
reports (due 10 September) are the latest due, so progress is judged at 31 August
(September's reports are not due yet); deadlines against the calendar of 30 September.

  a01 (scj)  t1 05-01..06-30 w50: 40 (5月), 80 (6月), 100 (7月)  -> 已完成, late (80 % in June)
             t2 07-01..12-31 w50: 20 (7月), 20 (8月); 序时 62/184 = 33.7 %  -> 滞后 (gap 13.7)
             progress (50*100 + 50*20)/100 = 60 %; status 滞后
  a02 (zjj)  t1 05-01..8月底前 w60: 20, —, 50, 70; August report 70 % -> 逾期 (30 days)
             t2 09-01..10月初 (=10-10) w40: no report, 10 days left -> 临期
             t3 11-01..12-31 w0                                   -> 未开始
             progress 60*70/100 = 42 %, 序时 60 %; status 逾期; June report 缺报; July report 迟报 (8-20)
  a03 (scj)  t1 06-01..12-31 w100: 5, 30, 50; 序时 92/214 = 43.0 % -> 按序时推进
  campaign progress (60 + 42 + 50) / 3 = 50.7 %

Bulletin 2018-07 (issued 08-13 by data/bulletins/2018-07.yml; 统计时点 07-31; only reports
submitted by 08-13): a01-t1 已完成 (completed in July), a01-t2 20 % vs 16.8 % 按序时推进,
a02-t1 20 % (May; the July report came on 08-20, after issue) vs 92/123 = 74.8 % 滞后,
a02-t2/t3 未开始, a03-t1 30 % vs 61/214 = 28.5 % 按序时推进; progress a01 60, a02 12,
a03 30 -> 34 %; 缺报 a02 2018-06 (due 07-10) and 2018-07 (due 08-10); case c2018-001 (07-15).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import ROOT, Tables, copy_project, parse, run_build, table, text

FIXTURE = ROOT / "tests" / "fixtures" / "progress"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("progress"))
    for kind in ("actions", "reports", "cases"):
        shutil.rmtree(project / "data" / kind)
        shutil.copytree(FIXTURE / kind, project / "data" / kind)
    # Policies refer to actions: the fixture keeps only those that refer to its own.
    shutil.rmtree(project / "content" / "policies")
    shutil.copytree(FIXTURE / "policies", project / "content" / "policies")
    result = run_build(project, env={"AS_OF": "2018-09-30"})
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def test_dashboard_counts_and_lists(site):
    page = parse(site, "index.html")
    assert table(page, "状态", "任务数", "专项行动数") == [
        ["逾期", "1", "1"], ["临期", "1", "0"], ["滞后", "1", "1"],
        ["按序时推进", "1", "1"], ["未开始", "1", "0"], ["已完成", "1", "0"], ["合计", "6", "3"],
    ]
    body = text(page)
    assert "专项督查整体进度 50.7%" in body
    assert "3 个专项行动、6 项任务" in body
    assert "缺报：1 个专项行动共缺 1 份月度进展报告" in body
    overdue, due_soon, behind = _attention(page)
    assert overdue == [["乙任务一", "示例：测试行动乙（县住建局）", "2018年8月底前", "70%", "已逾期 30 天"]]
    assert due_soon == [["乙任务二", "示例：测试行动乙（县住建局）", "2018年10月初", "—", "还剩 10 天"]]
    assert behind == [["甲任务二", "示例：测试行动甲（县市场监管局）", "2018年12月31日", "20%", "33.7%"]]
    assert table(page, "专项行动", "牵头单位", "缺报月份") == [["示例：测试行动乙", "县住建局", "2018年6月", "2018年7月10日前"]]
    assert table(page, "专项行动（牵头单位）", "状态和进度") == [
        ["示例：测试行动甲 示例（县市场监管局）", "滞后 60%"],
        ["示例：测试行动乙 示例（县住建局）", "逾期 42%"],
        ["示例：测试行动丙 示例（县市场监管局）", "按序时推进 50%"],
    ]


def _attention(page: "Tables") -> list[list[list[str]]]:
    """The three attention tables (逾期, 临期, 滞后) in page order."""
    found = [rows[1:] for rows in page.tables if rows and rows[0][:2] == ["任务", "专项行动（牵头单位）"]]
    assert len(found) == 3, found
    return found


def test_action_page_statuses(site):
    page = parse(site, "actions/a02/index.html")
    rows = table(page, "任务", "状态", "最新进度", "序时进度")
    assert [r[:3] for r in rows] == [
        ["乙任务一", "逾期", "70%（2018年8月报）"],
        ["乙任务二", "临期", "—"],
        ["乙任务三", "未开始", "—"],
    ]
    body = text(page)
    assert "状态：逾期 总体进度 42% 统计时点2018年8月31日，按序时进度应完成 60%。" in body  # (60*100 + 40*0) / 100
    assert "缺报：2018年6月进展报告未报送" in body
    assert "迟报：2018年7月（2018年8月20日报送，应于2018年8月10日前）" in body
    late = parse(site, "actions/a01/index.html")
    assert table(late, "任务", "状态")[0][:2] == ["甲任务一", "已完成 逾期完成"]


def test_unit_page_and_index(site):
    page = parse(site, "units/scj/index.html")
    leads = table(page, "专项行动", "状态和进度", "任务", "缺报")
    assert leads == [["示例：测试行动甲 示例", "滞后 60%", "甲任务一 已完成 逾期完成甲任务二 滞后", "无"],
                     ["示例：测试行动丙 示例", "按序时推进 50%", "丙任务一 按序时推进", "无"]]
    assert "牵头任务状态 示例：滞后 1 项，按序时推进 1 项，已完成 1 项。" in text(page)
    assert table(page, "专项行动", "牵头单位", "状态和进度") == [["示例：测试行动乙 示例", "县住建局", "逾期 42%"]]
    zjj = parse(site, "units/zjj/index.html")
    assert table(zjj, "专项行动", "状态和进度", "任务", "缺报")[0][3] == "2018年6月"
    index = parse(site, "units/index.html")
    rows = {r[0]: r[1:] for r in table(index, "单位", "牵头行动", "配合行动", "牵头任务", "逾期", "临期", "滞后", "缺报")}
    assert rows["县市场监管局"] == ["2", "1", "3", "0", "0", "滞后 1", "0"]
    assert rows["县住建局"] == ["1", "0", "3", "逾期 1", "临期 1", "0", "1"]


def test_bulletin_as_of_month_end(site):
    page = parse(site, "bulletins/2018-07/index.html")
    body = text(page)
    assert "统计时点：2018年7月31日" in body and "2018年8月13日印发" in body
    assert "整体进度 34%" in body
    assert table(page, "状态", "任务数", "专项行动数") == [
        ["逾期", "0", "0"], ["临期", "0", "0"], ["滞后", "1", "1"],
        ["按序时推进", "2", "2"], ["未开始", "2", "0"], ["已完成", "1", "0"],
    ]
    # The bulletin's own month: July reports as they stood on the issue date (a02's came later).
    assert table(page, "专项行动", "牵头单位", "2018年7月进展报告", "进度", "状态") == [
        ["示例：测试行动甲 示例", "县市场监管局", "2018年8月6日报送", "60%", "按序时推进"],
        ["示例：测试行动乙 示例", "县住建局", "缺报", "12%", "滞后"],
        ["示例：测试行动丙 示例", "县市场监管局", "2018年8月4日报送", "30%", "按序时推进"],
    ]
    august = parse(site, "bulletins/2018-08/index.html")
    assert [r[2] for r in table(august, "专项行动", "牵头单位", "2018年8月进展报告")] == [
        "2018年9月5日报送", "2018年9月7日报送", "2018年9月4日报送"]
    assert "甲任务一（示例：测试行动甲，完成时限2018年6月30日） 已完成 逾期完成" in body
    assert [r[:2] + r[-1:] for r in table(page, "任务", "专项行动", "牵头单位", "完成时限")] == [
        ["乙任务一", "示例：测试行动乙", "滞后"]]
    assert table(page, "专项行动", "牵头单位", "缺报月份", "应报送日期") == [
        ["示例：测试行动乙", "县住建局", "2018年6月", "2018年7月10日前"],
        ["示例：测试行动乙", "县住建局", "2018年7月", "2018年8月10日前"]]
    assert "示例：测试案例一" in body and "示例：测试案例二" not in body
    index = parse(site, "bulletins/index.html")
    months = [r[0] for r in table(index, "通报", "期号", "印发日期", "整体进度")]
    assert months == [f"2018年{n}月通报 示例" for n in (8, 7, 6, 5, 4)]  # September's is not issued yet


def test_bulletin_before_any_task_started(site):
    page = parse(site, "bulletins/2018-04/index.html")
    assert table(page, "状态", "任务数")[4] == ["未开始", "6", "3"]
    assert "没有缺报的月度进展报告" in text(page)
