"""Whole-site builds: cases, policies, publicity week, surveys, and their failure modes."""
from __future__ import annotations

import re
from pathlib import Path

from support import check_run, run_build
from support import BAD_ID, VALID_ID


def read(site: Path, page: str) -> str:
    """A page's HTML without the phone-layout marks on tables (cell labels, whole dates)."""
    text = (site / page).read_text(encoding="utf-8")
    text = re.sub(r' data-label="[^"]*"', "", text).replace('<table class="data-table" data-stack>', "<table>")
    text = text.replace('<table class="data-table">', "<table>")
    return re.sub(r'<span class="nowrap">([^<]*)</span>', r"\1", text)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def output(result) -> str:
    return result.stdout + result.stderr


# --- generated links ----------------------------------------------------------------------------

def test_explainer_and_document_link_both_ways(built_site):
    doc = read(built_site, "policies/zzbf-2018-25/index.html")
    jd = read(built_site, "policies/zzbf-2018-25-jd/index.html")
    assert "相关解读" in doc and 'href="../zzbf-2018-25-jd/"' in doc
    assert "原文件" in jd and 'href="../zzbf-2018-25/"' in jd
    assert 'href="../zzbf-2018-31/"' in read(built_site, "policies/zzbf-2018-31-jd/index.html")


def test_case_unit_action_links(built_site):
    case = read(built_site, "cases/c2018-002/index.html")
    assert 'href="../../units/zjj/"' in case and 'href="../../actions/a02/"' in case
    assert 'href="../../cases/c2018-002/"' in read(built_site, "units/zjj/index.html")
    assert 'href="../../cases/c2018-002/"' in read(built_site, "actions/a02/index.html")
    assert 'href="../../c2018-002/"' in read(built_site, "cases/unit/zjj/index.html")


def test_policy_and_action_link_both_ways(built_site):
    policy = read(built_site, "policies/zzbf-2018-31/index.html")
    assert "相关专项行动" in policy and 'href="../../actions/a09/"' in policy
    assert 'href="../../policies/zzbf-2018-31/"' in read(built_site, "actions/a09/index.html")


# --- policies -----------------------------------------------------------------------------------

def test_policy_metadata_block(built_site):
    page = read(built_site, "policies/zzbf-2018-25/index.html")
    table = page[page.index('class="gk-meta"'):page.index("</table>")]
    for label in ["文件名称", "索引号", "公开目录", "公开责任部门", "公开形式", "文号", "成文日期", "公开日期", "有效性"]:
        assert f'<th scope="row">{label}</th>' in table, label
    for value in ["zyxzfzyxzfbgs/2018-0025", "综合政务", "紫阳县人民政府办公室", "主动公开",
                  "紫政办发〔2018〕25号", "2018年3月20日", "2018年3月26日", "有效"]:
        assert value in table, value


def test_repealed_document_banner(built_site):
    old = read(built_site, "policies/zzbf-2017-40/index.html")
    banner = old[old.index('class="admonition danger"'):]
    banner = banner[:banner.index("</div>")]
    assert "本文件已废止" in banner and 'href="../zzbf-2018-31/"' in banner
    assert "紫政办发〔2018〕31号" in banner
    new = read(built_site, "policies/zzbf-2018-31/index.html")
    assert "本文件替代" in new and 'href="../zzbf-2017-40/"' in new
    assert "admonition danger" not in new
    assert 'href="../policies/zzbf-2017-40/"' in read(built_site, "cleanup/index.html")


def test_policy_indexes_by_year_and_topic(built_site):
    index = read(built_site, "policies/index.html")
    assert '<h2 id="2018年">2018年</h2>' in index and '<h2 id="2017年">2017年</h2>' in index
    assert index.index("2018年</h2>") < index.index("2017年</h2>")
    topics = read(built_site, "policies/topics/index.html")
    assert "综合政务</h2>" in topics and "国民经济管理、国有资产监管</h2>" in topics


def test_seed_bracket_form_is_rejected_with_corrected_form(project):
    edit(project / "content/policies/zzbf-2018-25.md", "doc_no: 紫政办发〔2018〕25号", "doc_no: 紫政办发【2018】25号")
    result = check_run(project)
    assert result.returncode != 0
    assert ("content/policies/zzbf-2018-25.md 第 7 行：字段「doc_no（文号）」：文号「紫政办发【2018】25号」不符合 "
            "GB/T 9704-2012：年份应使用六角括号〔〕（不用【】、[]、（）等）。应写成「紫政办发〔2018〕25号」。") in output(result)


def test_index_number_pattern_and_uniqueness(project):
    edit(project / "content/policies/zzbf-2018-25-jd.md", "index_no: zyxzfzyxzfbgs/2018-0026", "index_no: 2018第26号")
    edit(project / "content/policies/zzbf-2018-31-jd.md", "index_no: zyxzfzyxzfbgs/2018-0032",
         "index_no: zyxzfzyxzfbgs/2018-0031")
    text = output(check_run(project))
    assert "索引号「2018第26号」不符合本站的索引号格式（data/site.yml 的 index_no_pattern）。正确的写法如：zyxzfzyxzfbgs/2018-0025" in text
    assert "索引号「zyxzfzyxzfbgs/2018-0031」重复" in text


def test_index_number_pattern_is_configurable(project):
    edit(project / "data/site.yml", "index_no_pattern: '[A-Za-z0-9]+/\\d{4}-\\d{4,6}'", "index_no_pattern: '\\d{4}-\\d{4}'")
    edit(project / "data/site.yml", "index_no_example: zyxzfzyxzfbgs/2018-0025", "index_no_example: 2018-0025")
    text = output(check_run(project))
    assert "索引号「zyxzfzyxzfbgs/2018-0025」不符合本站的索引号格式" in text and "正确的写法如：2018-0025" in text


def test_late_publication_warns_and_strict_fails(project):
    edit(project / "content/policies/zzbf-2018-25.md", "published: 2018-03-26", "published: 2018-05-02")
    result = check_run(project)
    assert result.returncode != 0
    assert re.search(r"WARNING\s+-\s+content/policies/zzbf-2018-25\.md 第 12 行：字段「published（公开日期）」："
                     r"公开日期（2018年5月2日）距成文日期（2018年3月20日）已过 29 个工作日", output(result))


# --- cases --------------------------------------------------------------------------------------

def test_overdue_rectification_flagged(built_site):
    overdue = read(built_site, "cases/c2018-002/index.html")
    assert "整改已逾期" in overdue and "badge-overdue" in overdue and "已逾期 15 天" in overdue
    pending = read(built_site, "cases/c2018-003/index.html")
    assert "badge-overdue" not in pending and "2018年10月31日" in pending
    index = read(built_site, "cases/index.html")
    assert "整改已逾期 1 个" in index


def test_case_indexes(built_site):
    for page, title in [("cases/kind/experience/index.html", "先进经验"), ("cases/kind/inaction/index.html", "不作为"),
                        ("cases/kind/misconduct/index.html", "乱作为"), ("cases/kind/slow/index.html", "慢作为"),
                        ("cases/year/2018/index.html", "2018年典型案例"), ("cases/units/index.html", "涉及单位")]:
        assert title in read(built_site, page), page
    slow = read(built_site, "cases/kind/slow/index.html")
    assert "c2018-002" in slow and "c2018-003" not in slow


def test_personal_data_guard_fails_on_valid_id_number(project):
    edit(project / "data/cases/2018/c2018-001.yml", "summary: 示例：", f"summary: 示例：经办人身份证号{VALID_ID}，")
    edit(project / "data/cases/2018/c2018-002.yml", "handling: 示例：", "handling: 示例：联系人电话13812345678，")
    result = check_run(project)
    text = output(result)
    assert result.returncode != 0 and "Traceback" not in text
    assert ("data/cases/2018/c2018-001.yml 第 9 行：字段「summary（案例摘要）」：含有个人信息：身份证号「610***********1239」。"
            "公开的案例不得出现身份证号、手机号、银行卡号") in text
    assert "data/cases/2018/c2018-002.yml 第 11 行：字段「handling（处理情况）」：含有个人信息：手机号「138****5678」" in text
    assert VALID_ID not in text


def test_personal_data_guard_ignores_invalid_checksum(project):
    edit(project / "data/cases/2018/c2018-001.yml", "summary: 示例：", f"summary: 示例：登记编号{BAD_ID}，")
    result = check_run(project)
    assert result.returncode == 0, output(result)


def test_personal_data_allowed_per_field(project):
    edit(project / "data/cases/2018/c2018-001.yml", "summary: 示例：", "summary: 示例：咨询电话13812345678，")
    edit(project / "data/cases/2018/c2018-001.yml", "sample: true", "allow_personal_data: [summary]\nsample: true")
    result = check_run(project)
    assert result.returncode == 0, output(result)


def test_personal_data_in_nested_field_and_unknown_allow(project):
    edit(project / "data/cases/2018/c2018-004.yml", "  result: 示例：", "  result: 示例：退款至卡号 4111 1111 1111 1111，")
    edit(project / "data/cases/2018/c2018-004.yml", "sample: true", "allow_personal_data: [summery]\nsample: true")
    text = output(check_run(project))
    assert "字段「rectification.result（整改结果）」：含有个人信息：银行卡号「411*********1111」" in text
    assert "「summery」不是案例的文字字段。是不是「summary」？" in text


# --- publicity week -----------------------------------------------------------------------------

def test_publicity_week_every_day_and_links(built_site):
    page = read(built_site, "publicity/2018/index.html")
    for day in range(13, 21):
        assert f"<td>4月{day}日<br>星期" in page, day
    assert page.count("当日无安排") == 2  # the weekend of 14-15 April
    assert "星期六" in page and "星期日" in page
    assert "紫阳电视台" in page and "县政府门户网站" in page
    assert "县市场监管局" in page and "县委宣传部" in page  # 各专项行动牵头单位, resolved
    assert 'href="../../policies/zzbf-2018-25-jd/"' in page
    assert "往年宣传周" not in page


def test_publicity_archive_with_two_years(project):
    week = (project / "data/publicity/2018.yml").read_text(encoding="utf-8")
    events = week.index("events:")
    week2019 = (week[:events].replace("year: 2018", "year: 2019").replace("2018-04-13", "2019-04-12")
                .replace("2018-04-20", "2019-04-19") + "events: []\nsample: true\n")
    (project / "data/publicity/2019.yml").write_text(week2019, encoding="utf-8")
    # By the end of 2019 the 2018 progress columns are long stale: the campaign is archived.
    site_yml = project / "data/site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace("archived: false", "archived: true"), encoding="utf-8")
    result = run_build(project, env={"AS_OF": "2019-12-31"})
    assert result.returncode == 0, output(result)
    index = read(project / "site", "publicity/index.html")
    assert "历年宣传周" in index and 'href="2018/"' in index and 'href="2019/"' in index
    assert index.index("2019年：") < index.index("历年宣传周")
    assert 'href="../2018/"' in read(project / "site", "publicity/2019/index.html")


# --- surveys ------------------------------------------------------------------------------------

def test_survey_deltas(built_site):
    q3 = read(built_site, "surveys/2018-Q3/index.html")
    assert "+2.6 分" in q3 and 'href="../2018-Q2/"' in q3
    assert re.search(r"<td>审批效率</td>\s*<td>83.2</td>\s*<td>79.6</td>\s*<td>\+3.6</td>", q3)
    assert "首次测评" in read(built_site, "surveys/2018-Q2/index.html")
    index = read(built_site, "surveys/index.html")
    assert re.search(r"<td><strong>85.0</strong></td>\s*<td>\+2.6</td>", index)


def test_survey_chart_is_accessible_svg(built_site):
    index = read(built_site, "surveys/index.html")
    start = index.index("<svg viewBox")
    svg = index[start:index.index("</svg>", start)]
    assert 'role="img"' in svg and 'aria-labelledby="trend-title trend-desc"' in svg
    assert '<title id="trend-title">' in svg and "2018年第3季度总体满意度 85.0 分" in svg
    assert "<script" not in svg and svg.count("<polyline") == 4
    assert "<table>" in index[start:]


def test_hotline_page_has_no_form(built_site):
    page = read(built_site, "hotline/index.html")
    assert "441111" in page and "<form" not in page.split('class="md-content"')[1].split("</article>")[0]
    assert 'href="../cases/c2018-002/"' in page and "http://www.zyx.gov.cn/" in page


# --- validation without a build (fast) ------------------------------------------------------

def problems_of(project: Path) -> str:
    import pytest

    from campaign.check import load
    from campaign.records.problems import DataError

    with pytest.raises(DataError) as caught:
        load(project / "data", project / "content")
    return str(caught.value)


def test_rectification_consistency(project):
    edit(project / "data/cases/2018/c2018-004.yml", "  completed: 2018-08-20\n", "")
    edit(project / "data/cases/2018/c2018-002.yml", "  deadline: 2018-09-15\n", "  completed: 2018-10-15\n")
    text = problems_of(project)
    assert ("data/cases/2018/c2018-004.yml 第 13 行：字段「rectification.completed（整改完成日期）」："
            "整改状态为“已整改”时须填写 completed") in text
    assert "填写了整改完成日期，整改状态却是“整改中”" in text
    assert "整改完成日期（2018-10-15）晚于数据截至日期（2018-09-30）" in text
    assert "尚未整改完成的问题须填写 deadline（整改时限）" in text


def test_cleanup_doc_number_checked(project):
    edit(project / "data/cleanup/2018.yml", "doc_no: 紫政办发〔2017〕40号", "doc_no: 紫政办发〔2017〕第040号")
    text = problems_of(project)
    assert "data/cleanup/2018.yml 第 4 行：字段「doc_no（文号）」" in text
    assert "序号前不加“第”；序号不编虚位（不写前导 0）。应写成「紫政办发〔2017〕40号」" in text


def test_repealed_without_replacement_says_so(project):
    edit(project / "content/policies/zzbf-2017-40.md", "replaced_by: zzbf-2018-31\n", "")
    result = run_build(project)
    assert result.returncode == 0, output(result)
    page = read(project / "site", "policies/zzbf-2017-40/index.html")
    assert "本文件已废止" in page and "本文件不再执行，仅供查阅" in page


def test_broken_index_pattern_is_reported(project):
    edit(project / "data/site.yml", "index_no_pattern: '[A-Za-z0-9]+/\\d{4}-\\d{4,6}'", "index_no_pattern: '[A-Z'")
    text = problems_of(project)
    line = next(n for n, l in enumerate((project / "data/site.yml").read_text(encoding="utf-8").splitlines(), 1)
                if l.startswith("index_no_pattern:"))
    assert f"data/site.yml 第 {line} 行：字段「index_no_pattern（索引号格式）」：「[A-Z」不是有效的正则表达式" in text
