"""The default site shows a campaign in progress: every status, a 缺报, the rules page,
bulletins and the year-end report, all reachable from the nav's index pages."""
from __future__ import annotations

import re

from campaign.rules import schedule
from campaign.records.dates import DEADLINE_RULES
from support import parse, table, text


def test_every_status_occurs_on_default_dashboard(built_site):
    page = parse(built_site, "index.html")
    counts = {row[0]: int(row[1]) for row in table(page, "状态", "任务数", "专项行动数")}
    for status in schedule.TASK_STATUSES:
        assert counts[status] >= 1, status
    assert "缺报：无" not in text(page)
    assert table(page, "专项行动", "牵头单位", "缺报月份")
    html = (built_site / "index.html").read_text(encoding="utf-8")
    # Status in words and colour: every badge carries its word and a status class.
    badges = re.findall(r'<span class="status status-(\w+)">([^<]+)</span>', html)
    assert {word for _, word in badges} >= set(schedule.TASK_STATUSES)
    assert html.count("<progress") >= 13  # the campaign and each of the 12 actions


def test_plan_timeline_has_statuses(built_site):
    page = parse(built_site, "plan/index.html")
    rows = table(page, "完成时限", "事项", "类别", "牵头单位", "状态")
    assert rows[0][0] == "2018年4月13至20日" and rows[0][4] == "已完成"
    statuses = {r[4] for r in rows}
    assert {"已完成", "持续开展", "按序时推进"} <= statuses


def test_method_page_prints_the_constants(built_site):
    body = text(parse(built_site, "method/index.html"))
    assert f"{schedule.BEHIND_THRESHOLD} 个百分点" in body
    assert f"{schedule.DUE_SOON_DAYS} 天" in body
    assert f"次月 {schedule.REPORT_DUE_DAY} 日" in body
    for status, rule in schedule.STATUS_RULES:
        assert rule in body, status
    for wording, rule in DEADLINE_RULES:
        assert rule in body, wording


def test_bulletins_and_year_end_report(built_site):
    # Only months with an issue record (data/bulletins/) have a bulletin; September's is not issued yet.
    months = sorted(p.name for p in (built_site / "bulletins").iterdir() if p.is_dir() and len(p.name) == 7)
    assert months == ["2018-04", "2018-05", "2018-06", "2018-07", "2018-08"]
    august = text(parse(built_site, "bulletins/2018-08/index.html"))
    assert "2018年第5期" in august and "2018年9月12日印发" in august and "统计时点：2018年8月31日" in august
    # 开办电视和网站专栏 was completed on 20 April (plan measure m2): not 逾期 in April's bulletin.
    april = text(parse(built_site, "bulletins/2018-04/index.html"))
    done, problems = april.split("三、本月完成的任务")[-1].split("四、逾期、临期和滞后的任务")
    assert "开办电视和网站专栏" in done and "开办电视和网站专栏" not in problems.split("缺报情况")[0]
    # The year-end report is formed only after the 专项督查 of mid-November.
    assert not (built_site / "reports/2018/index.html").exists()
    assert "尚未形成" in text(parse(built_site, "reports/index.html"))
    # Print styles (print.css, last) are in the one fingerprinted stylesheet, by media query.
    page = (built_site / "bulletins/2018-08/index.html").read_text(encoding="utf-8")
    bundle = re.search(r'href="((?:\.\./)*assets/site\.[0-9a-f]{10}\.css)"', page)
    assert bundle, "no bundled stylesheet"
    css = (built_site / "bulletins/2018-08" / bundle.group(1)).resolve().read_text(encoding="utf-8")
    assert "/* assets/print.css */" in css and "@media print" in css


def test_nav_lists_index_pages_only(built_site):
    html = (built_site / "plan/index.html").read_text(encoding="utf-8")
    start = html.index('<nav class="md-nav md-nav--primary"')
    nav = html[start:html.index('<div class="md-sidebar md-sidebar--secondary"', start)]
    for target in ("bulletins/", "reports/", "method/"):
        assert f'href="../{target}"' in nav, target
    assert "bulletins/2018-" not in nav and "actions/a01" not in nav
