"""The default site builds with --strict and shows the plan's real facts."""
from __future__ import annotations

import re
from pathlib import Path


def read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def test_plan_facts_visible(built_site):
    plan = read(built_site, "plan/index.html")
    for fact in ["2018年7月中旬前", "2018年4月13至20日", "2018年5月初", "2018年11月中旬",
                 "罗云忠", "常务副县长", "夏志文", "田鑫", "蒋学军", "由县政府办主任兼任",
                 "县法制办", "县统计局", "明查暗访", "随机抽查", "紫政办发〔2018〕25号"]:
        assert fact in plan, fact
    assert "441111" in read(built_site, "hotline/index.html")
    assert "441111" in read(built_site, "index.html")


def test_every_page_shows_data_date(built_site):
    for html in built_site.rglob("*.html"):
        if html.name == "404.html":
            continue
        assert "数据截至 2018年9月30日" in html.read_text(encoding="utf-8"), html


def test_sample_data_is_marked(built_site):
    action = read(built_site, "actions/a01/index.html")
    assert "示例数据" in action and "badge-sample" in action
    assert "示例" in read(built_site, "cases/c2018-002/index.html")


def test_generated_pages_exist_and_link(built_site):
    unit = read(built_site, "units/fzb/index.html")
    assert "紫阳县人民政府法制办公室" in unit
    assert 'href="../../actions/a11/"' in unit
    policy = read(built_site, "policies/zzbf-2018-25/index.html")
    assert "zyxzfzyxzfbgs/2018-0025" in policy and "相关解读" in policy
    assert 'href="../zzbf-2018-25-jd/"' in policy


def test_chinese_headings_get_chinese_ids(built_site):
    # A link to a section names it (…/a01/#每月进展), not Python-Markdown's ASCII-only _1, _2.
    action = read(built_site, "actions/a01/index.html")
    assert 'id="任务"' in action and 'id="每月进展"' in action
    assert not re.search(r'<h[1-6][^>]* id="_\d+"', action)
    assert 'id="2018年8月"' in action  # a monthly report: its month, without the 示例 mark
    bulletin = read(built_site, "bulletins/2018-08/index.html")
    assert 'id="一总体情况"' in bulletin
    # Explicit anchors that pages link to stay as written.
    assert 'id="missing"' in read(built_site, "index.html") and 'id="history"' in action


def test_nothing_loaded_from_outside(built_site):
    for html in built_site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        without_canonical = re.sub(r'<link rel="canonical"[^>]*>', "", text)
        for attr in re.findall(r'(?:src|href)="([^"]+)"', without_canonical):
            if attr.startswith(("http://", "https://", "//")):
                # Only ordinary outbound <a> links may leave the site; no scripts or styles.
                assert re.search(r'<a [^>]*href="' + re.escape(attr), text), (html, attr)
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


def test_mkdocs_yml_has_no_duplicate_keys():
    # YAML lets a second `extra_css:` silently replace the first; our loader refuses it.
    from campaign.records.problems import Problems
    from campaign.records.yamlsource import parse_yaml
    from support import ROOT

    problems = Problems()
    parse_yaml((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), "mkdocs.yml", problems)
    # mkdocs.yml is not editors' data: its one tag (the slugify function) is MkDocs' own.
    duplicates = [p for p in problems.items if "字段重复出现" in p.message]
    assert not duplicates, problems.render()
