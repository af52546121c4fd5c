"""Every mistake an editor can make yields a Chinese message with file, line and field."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from campaign.rules import publicity_checks
from campaign.check import load
from campaign.records.problems import DataError
from support import ROOT, check_run


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path


def problems_of(tree: Path) -> str:
    with pytest.raises(DataError) as caught:
        load(tree / "data", tree / "content")
    return str(caught.value)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_default_data_loads(tree):
    dataset = load(tree / "data", tree / "content")
    assert len(dataset.actions) == 12
    assert dataset.site.hotline == "441111"


def test_yaml_syntax_error(tree):
    edit(tree / "data/actions/a01.yml", "goal: 压缩", "goal 压缩")
    text = problems_of(tree)
    assert "data/actions/a01.yml 第 8 行" in text or "data/actions/a01.yml 第 9 行" in text
    assert "YAML 格式错误" in text


def test_tab_indentation(tree):
    edit(tree / "data/actions/a01.yml", "  - id: a01-t1", "\t- id: a01-t1")
    assert "使用了 Tab 缩进，请改用空格" in problems_of(tree)


def test_wrong_type(tree):
    edit(tree / "data/surveys/2018-Q2.yml", "sample_size: 300", "sample_size: 三百")
    text = problems_of(tree)
    assert "data/surveys/2018-Q2.yml 第 6 行：字段「sample_size（样本量）」：「三百」不是整数" in text


def test_missing_required_field(tree):
    edit(tree / "data/actions/a02.yml", "goal: 梳理审批事项，压减审批环节和时限。\n", "")
    text = problems_of(tree)
    assert "data/actions/a02.yml" in text
    assert "字段「goal（行动目标）」：缺少这个必填字段，请补上。" in text


def test_unknown_field_suggests_closest(tree):
    edit(tree / "data/actions/a03.yml", "goal:", "gaol:")
    text = problems_of(tree)
    assert "data/actions/a03.yml 第 7 行：字段「gaol」：不认识这个字段。是不是想写「goal」？" in text


def test_unknown_unit_reference(tree):
    edit(tree / "data/actions/a04.yml", "lead_unit: gtj", "lead_unit: gtjj")
    text = problems_of(tree)
    assert "data/actions/a04.yml 第 5 行：字段「lead_unit」：找不到编号为「gtjj」的单位。是不是「gtj」？" in text


def test_unit_name_instead_of_id(tree):
    # Editors write the unit's name where its id belongs: the message says so and shows
    # unit ids (not action ids), for a single field and for an item of a list.
    edit(tree / "data/actions/a04.yml", "lead_unit: gtj", "lead_unit: 县自然资源局")
    text = problems_of(tree)
    assert "data/actions/a04.yml 第 5 行：字段「lead_unit（牵头单位）」：「县自然资源局」格式不对。" in text
    assert "不是名称。各单位的编号见 data/units.yml 的 id。正确的写法如：scj、dcs。" in text
    edit(tree / "data/actions/a04.yml", "cooperating_units: [", "cooperating_units: [县财政局, ")
    text = problems_of(tree)
    assert "「cooperating_units 第1项（配合单位）」：「县财政局」格式不对。这里填写编号" in text
    assert "a01-t1" not in text


def test_unknown_action_reference(tree):
    edit(tree / "data/reports/2018-06/a05.yml", "action: a05", "action: a50")
    assert "找不到编号为「a50」的专项行动" in problems_of(tree)


def test_unknown_task_reference(tree):
    edit(tree / "data/reports/2018-06/a05.yml", "task: a05-t1,", "task: a05-t9,")
    text = problems_of(tree)
    assert re.search(r"data/reports/2018-06/a05\.yml 第 7 行：字段「task」：找不到编号为「a05-t9」的任务", text)


def test_task_of_another_action(tree):
    edit(tree / "data/reports/2018-06/a05.yml", "task: a05-t1,", "task: a06-t1,")
    assert "任务「a06-t1」属于行动「a06」，不属于本报告的行动「a05」" in problems_of(tree)


def test_duplicate_id(tree):
    shutil.copy(tree / "data/actions/a01.yml", tree / "data/actions/a01-copy.yml")
    text = problems_of(tree)
    assert "data/actions/a01.yml 第 2 行：字段「id」：行动编号「a01」重复：data/actions/a01-copy.yml 第 2 行已经用过" in text


def test_impossible_date(tree):
    edit(tree / "data/cases/2018/c2018-001.yml", "date: 2018-06-15", "date: 2018-02-30")
    text = problems_of(tree)
    assert "data/cases/2018/c2018-001.yml 第 5 行：字段「date（发布日期）」：「2018-02-30」这一天不存在：2018年2月只有 28 天" in text


def test_deadline_before_start(tree):
    edit(tree / "data/actions/a06.yml", "deadline: 2018-06-30", "deadline: 2018-04-30")
    text = problems_of(tree)
    assert "data/actions/a06.yml 第 13 行：字段「tasks 第1项 deadline（完成时限）」：完成时限（2018年4月30日）早于开始日期（2018-05-01）" in text
    assert "a06-t1" not in text.split("早于开始日期")[1], "no knock-on errors from the broken action"


def test_percent_out_of_range(tree):
    edit(tree / "data/reports/2018-07/a01.yml", "percent: ", "percent: 1")  # 100+ → e.g. 165
    text = problems_of(tree)
    assert "data/reports/2018-07/a01.yml 第 7 行：字段「tasks 第1项 percent（完成进度（%））」：数值" in text
    assert "数值 1100 超出范围，应在 0 到 100 之间" in text


def test_empty_file(tree):
    (tree / "data/cases/2018/c2018-009.yml").write_text("\n", encoding="utf-8")
    assert "data/cases/2018/c2018-009.yml：文件是空的。请填写内容，或删除这个文件。" in problems_of(tree)


def test_file_not_utf8(tree):
    path = tree / "data/cases/2018/c2018-001.yml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    text = problems_of(tree)
    assert "data/cases/2018/c2018-001.yml 第 1 行：文件不是 UTF-8 编码（可能是 GBK/GB2312）" in text


def test_duplicate_yaml_key(tree):
    edit(tree / "data/surveys/2018-Q2.yml", "overall: 82.4\n", "overall: 82.4\noverall: 83\n")
    text = problems_of(tree)
    assert "data/surveys/2018-Q2.yml 第 6 行：字段「overall」：字段重复出现（第一次在第 5 行）" in text


def test_unknown_choice_lists_options(tree):
    edit(tree / "data/cases/2018/c2018-002.yml", "category: 慢作为", "category: 懒作为")
    assert "「懒作为」不是可选的值。只能填写：不作为、乱作为、慢作为。" in problems_of(tree)


def test_policy_front_matter_line_numbers(tree):
    edit(tree / "content/policies/zzbf-2018-25.md", "written: 2018-03-20", "written: 2018-13-20")
    text = problems_of(tree)
    assert "content/policies/zzbf-2018-25.md 第 11 行：字段「written（成文日期）」：「2018-13-20」中的月份 13 不存在" in text


def test_stray_file_is_reported_not_ignored(tree):
    (tree / "data/actions/a13.txt").write_text("id: a13", encoding="utf-8")
    (tree / "data/report").mkdir()
    (tree / "data/report/2018-09.yml").write_text("action: a01", encoding="utf-8")
    text = problems_of(tree)
    assert "data/actions/a13.txt：不是 .yml 数据文件" in text
    assert "data/report/2018-09.yml：不知道这是哪类数据" in text


def test_future_date_is_rejected(tree):
    edit(tree / "data/cases/2018/c2018-002.yml", "date: 2018-07-20", "date: 2018-12-20")
    assert "发布日期（2018-12-20）晚于数据截至日期（2018-09-30）" in problems_of(tree)


def test_all_problems_reported_together_by_mkdocs_build(project):
    edit(project / "data/surveys/2018-Q2.yml", "sample_size: 300", "sample_size: 三百")
    edit(project / "data/actions/a04.yml", "lead_unit: gtj", "lead_unit: gtjj")
    (project / "data/cases/2018/c2018-009.yml").write_text("", encoding="utf-8")
    result = check_run(project)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    assert "数据检查发现 3 处问题" in output
    assert "「三百」不是整数" in output and "「gtjj」" in output and "文件是空的" in output


def test_holiday_calendar_day_on_a_weekend(tree):
    site = tree / "data" / "site.yml"
    site.write_text(site.read_text(encoding="utf-8")
                    + "calendar:\n  holidays: [2018-10-01, 2018-09-29]\n  workdays: [2018-09-30]\n", encoding="utf-8")
    line = len(site.read_text(encoding="utf-8").splitlines()) - 1
    text = problems_of(tree)
    assert f"data/site.yml 第 {line} 行" in text
    assert "calendar.holidays（放假的工作日）" in text and "2018-09-29（周六）本来就是周末" in text


def test_holiday_calendar_counts_in_the_publication_check(tree):
    # Made Tue 20 March; by the State Council's 2018 calendar (清明 5–6 April off, Sunday
    # 8 April worked) published 18 April is the 20th working day, 19 April the 21st …
    edit(tree / "content/policies/zzbf-2018-25.md", "published: 2018-03-26", "published: 2018-04-18")
    assert not publicity_checks.warnings(load(tree / "data", tree / "content")).items
    edit(tree / "content/policies/zzbf-2018-25.md", "published: 2018-04-18", "published: 2018-04-19")
    warned = [p.render() for p in publicity_checks.warnings(load(tree / "data", tree / "content")).items]
    assert len(warned) == 1 and "已过 21 个工作日" in warned[0]
    assert "按国务院办公厅公布的节假日和调休计算" in warned[0]
    # … and the 20th once the county's own calendar lists a further weekday off.
    site = tree / "data" / "site.yml"
    site.write_text(site.read_text(encoding="utf-8") + "calendar:\n  holidays: [2018-04-16]\n", encoding="utf-8")
    assert not publicity_checks.warnings(load(tree / "data", tree / "content")).items
