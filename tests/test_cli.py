"""./column check and ./column new, through the real entry point."""
from __future__ import annotations

import re

import pytest


from campaign.records import models as m
from campaign.records.fielddocs import field_docs
from support import check_run, run_cli
from support import run_build


def test_help_and_usage_errors_are_chinese(project):
    helped = run_cli(project, "-h")
    assert helped.returncode == 0
    assert "用法：" in helped.stdout and "检查全部数据" in helped.stdout and "usage" not in helped.stdout
    wrong = run_cli(project, "new", "report")
    assert wrong.returncode == 2
    assert "缺少必需的参数：--action, --month" in wrong.stderr
    unknown = run_cli(project, "publsh")
    assert unknown.returncode == 2 and "不能选 'publsh'" in unknown.stderr


def test_check_passes_on_default_data(project):
    result = run_cli(project, "check")
    assert result.returncode == 0, result.stderr
    assert "检查通过（数据截至 2018年9月30日）" in result.stdout
    assert "12 个专项行动" in result.stdout


def test_check_reports_like_the_build(project):
    path = project / "data/surveys/2018-Q2.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("sample_size: ", "sample_size: 三百 #"), encoding="utf-8")
    action = project / "data/actions/a04.yml"
    action.write_text(action.read_text(encoding="utf-8").replace("lead_unit: ", "lead_unit: x", 1), encoding="utf-8")
    checked = run_cli(project, "check")
    assert checked.returncode == 1
    problems = [line.strip() for line in checked.stderr.splitlines() if re.match(r"\s+\d+\. ", line)]
    assert len(problems) == 2
    assert "data/surveys/2018-Q2.yml 第" in checked.stderr and "「三百」不是整数" in checked.stderr
    assert "Traceback" not in checked.stderr
    built = run_build(project)
    assert built.returncode != 0
    for line in problems:
        assert line in built.stdout + built.stderr


def test_check_finds_hand_written_page_clashing_with_generated_one(project):
    (project / "content/cases").mkdir()
    (project / "content/cases/index.md").write_text("# 手写\n", encoding="utf-8")
    result = run_cli(project, "check")
    assert result.returncode == 1
    assert "content/cases/index.md" in result.stderr and "同名" in result.stderr


def _field_names_in(text: str, model) -> None:
    for doc in field_docs(model):
        assert f"# {doc.title}（" in text, doc.name
        assert re.search(rf"^\s*(# )?{doc.name}:", text, re.M), doc.name


def test_new_report_prefills_tasks_and_last_percents(project):
    result = run_cli(project, "new", "report", "--action", "a01", "--month", "2018-09")
    assert result.returncode == 0, result.stderr
    assert "已生成 data/reports/2018-09/a01.yml" in result.stdout
    text = (project / "data/reports/2018-09/a01.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/report.json\n")
    # The 2018-08 report says 100 / 85 / 35.
    assert "- {task: a01-t1, percent: 100}" in text
    assert "- {task: a01-t2, percent: 85}" in text
    assert "- {task: a01-t3, percent: 45}" in text  # the August report of data/reports/2018-08/a01.yml
    _field_names_in(text, m.Report)
    assert "每项的 percent：完成进度（%）（必填）" in text
    assert run_cli(project, "check").returncode == 0

    again = run_cli(project, "new", "report", "--action", "a01", "--month", "2018-09")
    assert again.returncode == 1 and "已经存在，没有覆盖" in again.stderr
    assert (project / "data/reports/2018-09/a01.yml").read_text(encoding="utf-8") == text


def test_new_report_for_an_action_without_reports_starts_at_zero(project):
    result = run_cli(project, "new", "report", "--action", "a07", "--month", "2018-09", "--submitted", "2018-09-29")
    assert result.returncode == 0, result.stderr
    text = (project / "data/reports/2018-09/a07.yml").read_text(encoding="utf-8")
    assert "percent: 0}" in text and "submitted: 2018-09-29" in text


@pytest.mark.parametrize("args, error", [
    (["new", "report", "--action", "a1", "--month", "2018-09"], "找不到编号为「a1」的专项行动"),
    (["new", "report", "--action", "a01", "--month", "2018-13"], "不是月份格式"),
    (["new", "report", "--action", "a01", "--month", "2018-12"], "请用 --submitted 指定报送日期"),
    (["new", "case", "--unit", "zjj", "--kind", "问题曝光"], "须用 --category"),
    (["new", "explainer", "--doc", "zzbf-2018-25-jd"], "本身是解读"),
    (["new", "policy", "--id", "ZZ 30", "--publisher", "zfb"], "只能用小写英文字母"),
])
def test_new_refuses_bad_options_in_chinese(project, args, error):
    result = run_cli(project, *args)
    assert result.returncode == 1
    assert error in result.stderr
    assert "Traceback" not in result.stderr


def test_every_new_draft_passes_check_and_blocks_strict_build(project):
    # New case ids continue the year's numbering after the cases already in the data.
    taken = max(int(p.stem[-3:]) for p in (project / "data/cases/2018").glob("c2018-*.yml"))
    drafts = {
        ("new", "case", "--unit", "zjj", "--kind", "问题曝光", "--category", "慢作为", "--source", "441111热线"):
            (f"data/cases/2018/c2018-{taken + 1:03d}.yml", m.Case),
        ("new", "case", "--unit", "scj,zwfw", "--action", "a01"): (f"data/cases/2018/c2018-{taken + 2:03d}.yml", m.Case),
        ("new", "policy", "--id", "zzbf-2018-30", "--publisher", "zfb"): ("content/policies/zzbf-2018-30.md", m.PolicyDoc),
        ("new", "explainer", "--doc", "zzbf-2018-30"): ("content/policies/zzbf-2018-30-jd.md", m.PolicyDoc),
        ("new", "survey", "--quarter", "2018-Q4"): ("data/surveys/2018-Q4.yml", m.Survey),
    }
    for args, (path, model) in drafts.items():
        result = run_cli(project, *args)
        assert result.returncode == 0, (args, result.stderr)
        assert f"已生成 {path}" in result.stdout
        text = (project / path).read_text(encoding="utf-8")
        assert "yaml-language-server: $schema=" in text
        _field_names_in(text, model)
        assert "【待填写】" in text
    explainer = (project / "content/policies/zzbf-2018-30-jd.md").read_text(encoding="utf-8")
    assert "interprets: zzbf-2018-30" in explainer and "doc_type: 解读" in explainer

    checked = run_cli(project, "check")
    assert checked.returncode == 0, checked.stderr
    assert "待填写的内容" in checked.stderr and "data/surveys/2018-Q4.yml 第" in checked.stderr
    assert run_cli(project, "check", "--strict").returncode == 1

    built = check_run(project)
    assert built.returncode != 0
    assert "还有待填写的内容" in built.stderr


def test_filled_in_draft_builds(project):
    # A survey is published once its quarter has ended: redo the 2018-Q3 one (as of 30 Sep).
    (project / "data/surveys/2018-Q3.yml").unlink()
    assert run_cli(project, "new", "survey", "--quarter", "2018-Q3").returncode == 0
    path = project / "data/surveys/2018-Q3.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("overall: 0  # 【待填写】", "overall: 86.5").replace("sample_size: 1  # 【待填写】", "sample_size: 300")
    text = text.replace("published: 2018-09-30  # 【待填写】", "published: 2018-09-30")
    text = text.replace("method: 【待填写】测评方法，如电话随机访问、窗口现场问卷", "method: 电话随机访问")
    path.write_text(text, encoding="utf-8")
    assert "【待填写】" not in text
    assert run_cli(project, "check", "--strict").returncode == 0
    built = run_build(project)
    assert built.returncode == 0, built.stderr
    assert "86.5" in (project / "site/surveys/2018-Q3/index.html").read_text(encoding="utf-8")
