"""文字把关: the proofreading pass over every published text (rules/proofreading.py).

Planted errors in a record, a policy body and a content page must be found at the right
file and line; the seed plan and all bundled data and content must give no finding.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from support import copy_data, edit, line_of, run_cli
from support import ROOT, copy_project, run_build

from campaign.check import load
from campaign.records.problems import DataError
from campaign.records.texts import Text, published_texts
from campaign.rules import proofreading
from campaign.rules.proofreading import load_terms, proofread, text_warnings

SEED = Path("/work/shared/seed/000_f7ce8094af193813.txt")
SEED_IN_REPO = ROOT / "tests/fixtures/seed_plan.txt"


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    return copy_data(tmp_path)




def errors(project: Path) -> list:
    with pytest.raises(DataError) as caught:
        load(project / "data", project / "content")
    return caught.value.problems.items


def warnings(project: Path) -> list:
    dataset = load(project / "data", project / "content")
    return text_warnings(dataset, project / "content").items


def seed_text() -> str:
    return (SEED if SEED.exists() else SEED_IN_REPO).read_text(encoding="utf-8")


# --- no false alarms ------------------------------------------------------------------------------

def test_bundled_data_content_and_templates_have_no_findings():
    dataset = load(ROOT / "data", ROOT / "content")
    texts = list(published_texts(dataset, ROOT / "content"))
    kinds = {t.kind for t in texts}
    assert {"月度报告", "典型案例", "政策文件正文", "页面", "模板", "督查方案", "领导小组"} <= kinds
    assert proofread(dataset, ROOT / "content", texts) == []
    assert proofreading.personal_data(dataset, ROOT / "content", texts) == []


def test_seed_plan_has_no_findings():
    dataset = load(ROOT / "data", ROOT / "content")
    seed = Text("seed", 1, "", seed_text(), verbatim=True)
    assert proofread(dataset, ROOT / "content", [seed]) == []


def test_term_list_is_well_formed():
    terms = load_terms()
    assert ("中华人民共和国", ("中华人民共合国", "中华人民公和国", "中华人名共和国", "中华人民共和囯")) in terms
    corrects = [c for c, _ in terms]
    for correct, wrongs in terms:
        for wrong in wrongs:
            # A wrong form must never occur inside a right one (it would flag correct text).
            assert not any(wrong in c for c in corrects), wrong
    assert "GB/T 15835" in proofreading.TERMS_FILE.read_text(encoding="utf-8")


# --- serious rules: errors at file and line ---------------------------------------------------------

def test_misspelt_term_in_a_record_field(proj):
    report = proj / "data/reports/2018-05/a01.yml"
    edit(report, "progress: 示例：", "progress: 示例：贯彻《中华人民共合国政府信息公开条例》，")
    found = [p for p in errors(proj) if "中华人民共合国" in p.message]
    assert len(found) == 1
    assert found[0].file == "data/reports/2018-05/a01.yml"
    assert found[0].line == line_of(report, "中华人民共合国")
    assert found[0].field.startswith("progress")
    assert "「中华人民共合国」应为「中华人民共和国」（规范表述）" in found[0].message


def test_error_in_a_block_scalar_is_placed_on_its_own_line(proj):
    report = proj / "data/reports/2018-05/a01.yml"
    edit(report, "problems: 示例：部分事项涉及多个部门，协调衔接有待加强。",
         "problems: |\n  示例：部分事项涉及多个部门。\n  协调衔接有待加强。\n  扫黑险恶专项斗争另行部署。")
    found = [p for p in errors(proj) if "扫黑险恶" in p.message]
    assert [(p.file, p.line) for p in found] == [("data/reports/2018-05/a01.yml", line_of(report, "扫黑险恶"))]


def test_error_in_a_folded_scalar(proj):
    case = proj / "data/cases/2018/c2018-004.yml"
    edit(case, "handling: 示例：责令立即停止要求提交已共享材料，并对全县同类事项进行排查。",
         "handling: >\n  示例：责令立即停止要求提交已共享材料，\n  并对全县同类事项进行排查，\n  县攻府督查室跟踪。")
    found = [p for p in errors(proj) if "攻府" in p.message]
    assert [p.line for p in found] == [line_of(case, "攻府")]


def test_misspelt_term_in_a_policy_body(proj):
    policy = proj / "content/policies/zzbf-2018-25.md"
    policy.write_text(policy.read_text(encoding="utf-8") + "\n\n各单位要认真贯切落实本方案。\n", encoding="utf-8")
    found = [p for p in errors(proj) if "贯切落实" in p.message]
    assert [(p.file, p.line) for p in found] == [("content/policies/zzbf-2018-25.md", line_of(policy, "贯切落实"))]


def test_misspelt_term_in_a_content_page(proj):
    page = proj / "content/guide/workflow.md"
    edit(page, "\n\n", "\n\n紫杨县的编辑请注意。\n\n")
    found = [p for p in errors(proj) if "紫杨县" in p.message]
    assert [(p.file, p.line, p.field) for p in found] == [("content/guide/workflow.md", line_of(page, "紫杨县"), "")]


def test_leader_name_one_character_off_in_role(proj):
    report = proj / "data/reports/2018-06/a01.yml"
    edit(report, "progress: ", "progress: 常务副县长罗云中主持召开推进会。")
    found = [p for p in errors(proj) if "罗云中" in p.message]
    assert len(found) == 1 and found[0].line == line_of(report, "罗云中")
    assert "「罗云中」应为「罗云忠」" in found[0].message


def test_leader_title_not_matching_the_record(proj):
    case = proj / "data/cases/2018/c2018-001.yml"
    edit(case, "summary: 示例：", "summary: 示例：副县长罗云忠调研后，")
    found = [p for p in errors(proj) if "罗云忠" in p.message]
    assert len(found) == 1 and found[0].line == line_of(case, "副县长罗云忠")
    assert "应为「常务副县长罗云忠」" in found[0].message
    # The right title, before or after the name, is fine.
    edit(case, "副县长罗云忠调研后", "常务副县长罗云忠、田鑫副县长调研后")
    load(proj / "data", proj / "content")


def test_unit_full_name_one_character_off(proj):
    page = proj / "content/policies/zzbf-2018-31.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\n由紫阳县发展和该革局负责解释。\n", encoding="utf-8")
    found = [p for p in errors(proj) if "紫阳县发展和该革局" in p.message]
    assert len(found) == 1 and found[0].line == line_of(page, "该革局")
    assert "应为「紫阳县发展和改革局」" in found[0].message


def test_traditional_characters_and_a_reviewed_exception(proj):
    case = proj / "data/cases/2018/c2018-002.yml"
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("summary: ", "summary: 示例：企業反映，", 1), encoding="utf-8")
    found = [p for p in errors(proj) if "繁体字" in p.message]
    assert len(found) == 1 and found[0].line == line_of(case, "企業") and "「業」" in found[0].message
    # A reviewed exception next to the text: this file only, this string only.
    case.write_text(text.replace("summary: ", "summary: 示例：企業反映，", 1)
                    + "proofread_allow:\n  - {text: 企業, reason: 引用台湾企业来函原文}\n", encoding="utf-8")
    load(proj / "data", proj / "content")


def test_serious_error_stops_the_build(tmp_path):
    project = copy_project(tmp_path)
    page = project / "content/guide/workflow.md"
    edit(page, "\n\n", "\n\n本页依据中华人民公和国有关规定。\n\n")
    result = run_build(project)
    assert result.returncode != 0
    assert "content/guide/workflow.md 第" in result.stderr + result.stdout
    assert "「中华人民公和国」应为「中华人民共和国」（规范表述）" in result.stderr + result.stdout


# --- style rules: warnings ------------------------------------------------------------------------------

def test_style_findings_in_a_record(proj):
    report = proj / "data/reports/2018-07/a02.yml"
    edit(report, "progress: ", "progress: 本月进行进行了整改,完成了的的材料（见附件；2018.7.10召开会议。")
    found = warnings(proj)
    rules = sorted(p.message.rsplit("（", 1)[-1] for p in found if p.file == "data/reports/2018-07/a02.yml")
    assert rules == sorted(["重复字词）", "半角标点）", "重复字词）", "符号不成对）",
                            "日期写法，GB/T 15835、GB/T 9704）"]), found
    line = line_of(report, "进行进行")
    assert {p.line for p in found if p.file.endswith("a02.yml")} == {line}
    assert any("「2018.7.10」应写作「2018年7月10日」" in p.message for p in found)


def test_style_findings_in_a_policy_body_and_a_page(proj):
    policy = proj / "content/policies/zzbf-2018-25-jd.md"
    policy.write_text(policy.read_text(encoding="utf-8") + "\n\n请县发改委和县统计局配合;其他单位\n", encoding="utf-8")
    page = proj / "content/guide/publishing.md"
    edit(page, "\n\n", "\n\n发布前请看《编辑指南。\n\n")
    found = warnings(proj)
    line = line_of(policy, "县发改委")
    here = [p.message for p in found if (p.file, p.line) == ("content/policies/zzbf-2018-25-jd.md", line)]
    assert "「县发改委」不是单位的规范名称，应为「紫阳县发展和改革局」或简称「县发改局」（单位称谓）" in here
    assert "「合;其」中文句子里用了半角标点，应为「合；其」（半角标点）" in here
    assert any(p.file == "content/guide/publishing.md" and p.line == line_of(page, "《编辑指南") and "「《」没有配对" in p.message
               for p in found)


def test_legitimate_text_is_not_flagged(proj):
    report = proj / "data/reports/2018-07/a02.yml"
    edit(report, "progress: ", "progress: 认认真真、扎扎实实推进，常常深入企业，人人参与，"
         "工作作风明显转变；县政府法制办、县编委办、县委宣传部配合；（1）材料齐全；访问 http://www.zyx.gov.cn/a,b 查看。")
    assert [p for p in warnings(proj) if p.file.endswith("a02.yml")] == []


def test_front_matter_exception_on_a_content_page(proj):
    page = proj / "content/guide/publishing.md"
    edit(page, "\n\n", "\n\n旧写法“2018.4.10”已停用。\n\n")
    assert any(p.file == "content/guide/publishing.md" for p in warnings(proj))
    text = page.read_text(encoding="utf-8")
    page.write_text("---\nproofread_allow:\n  - {text: 2018.4.10, reason: 举例说明旧写法}\n---\n" + text, encoding="utf-8")
    assert not any(p.file == "content/guide/publishing.md" for p in warnings(proj))


def test_check_prints_style_warnings_and_strict_fails(tmp_path):
    project = copy_project(tmp_path)
    edit(project / "data/reports/2018-07/a02.yml", "progress: ", "progress: 本月完成了的的材料。")
    result = run_cli(project, "check")
    assert result.returncode == 0, result.stderr
    assert "注意：有 1 处警告" in result.stderr and "「的的」字词重复" in result.stderr
    assert run_cli(project, "check", "--strict").returncode == 1


def test_check_reports_serious_errors(tmp_path):
    project = copy_project(tmp_path)
    edit(project / "data/reports/2018-07/a02.yml", "progress: ", "progress: 县攻府办牵头。")
    result = run_cli(project, "check")
    assert result.returncode == 1
    assert "data/reports/2018-07/a02.yml 第" in result.stderr and "「攻府」应为「政府」" in result.stderr


def test_proofread_allow_is_not_open_data():
    from campaign.exports import opendata

    for spec in opendata.SPECS:
        assert "proofread_allow" not in [c.key for c in opendata.table_columns(spec)]
        assert "proofread_allow" not in str(opendata.table_schema(spec))


def test_the_pass_is_fast_and_linear():
    dataset = load(ROOT / "data", ROOT / "content")
    texts = list(published_texts(dataset, ROOT / "content"))
    proofread(dataset, ROOT / "content", texts)  # warm: automaton and OpenCC built once
    start = time.perf_counter()
    proofread(dataset, ROOT / "content", texts)
    once = time.perf_counter() - start
    start = time.perf_counter()
    proofread(dataset, ROOT / "content", texts * 10)
    # Linear: ten times the text takes about ten times as long (generous bounds: shared CI).
    assert time.perf_counter() - start < 30 * once + 1.0
    assert once < 2.0


def test_texts_checked_in_batches_give_the_findings_of_one_pass():
    # The pass prepares and converts texts a batch at a time (memory at province scale):
    # batches of one text each find exactly what one batch of all texts finds.
    dataset = load(ROOT / "data", ROOT / "content")
    texts = list(published_texts(dataset, ROOT / "content"))
    planted = [Text(f"data/x{i}.yml", 3, "progress", text) for i, text in enumerate([
        "贯彻《中华人民共合国政府信息公开条例》。", "持续優化營商環境，压缩办理时限。", "依托县民调中心441111热线受理投诉。",
        "本月完成了审批事项的精減。"])]
    everything = texts[:40] + planted + texts[40:]
    whole = proofread(dataset, ROOT / "content", everything, batch_chars=10 ** 9)
    assert len({f.file for f in whole}) >= 2
    assert proofread(dataset, ROOT / "content", everything, batch_chars=1) == whole
    assert proofread(dataset, ROOT / "content", everything, batch_chars=5000) == whole
