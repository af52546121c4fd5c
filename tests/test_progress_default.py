"""The default site shows a campaign in progress: every status, a 缺报, the rules page,
bulletins and the year-end report, all reachable from the nav's index pages."""
from __future__ import annotations

import re

from campaign.rules import schedule
from campaign.records.dates import DEADLINE_RULES
from test_progress_site import parse, table, text


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
    months = sorted(p.name for p in (built_site / "bulletins").iterdir() if p.is_dir())
    assert months == ["2018-04", "2018-05", "2018-06", "2018-07", "2018-08", "2018-09"]
    report = (built_site / "reports/2018/index.html").read_text(encoding="utf-8")
    assert "2018年年终专项督查报告" in report and "尚未结束" in report
    # Print styles (print.css, last) are in the one fingerprinted stylesheet, by media query.
    bundle = re.search(r'href="((?:\.\./)*assets/site\.[0-9a-f]{10}\.css)"', report)
    assert bundle, "no bundled stylesheet"
    css = (built_site / "reports/2018" / bundle.group(1)).resolve().read_text(encoding="utf-8")
    assert "/* assets/print.css */" in css and "@media print" in css


def test_nav_lists_index_pages_only(built_site):
    html = (built_site / "plan/index.html").read_text(encoding="utf-8")
    start = html.index('<nav class="md-nav md-nav--primary"')
    nav = html[start:html.index('<div class="md-sidebar md-sidebar--secondary"', start)]
    for target in ("bulletins/", "reports/", "method/"):
        assert f'href="../{target}"' in nav, target
    assert "bulletins/2018-" not in nav and "actions/a01" not in nav
