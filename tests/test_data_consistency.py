"""Records that load one by one but contradict their place or each other (issue 13).

Fast: through load() / the warnings and ./column check, no site build.
"""
from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from campaign.check import load
from campaign.records.problems import DataError
from campaign.rules import publicity_checks
from campaign.rules.consistency import quarter_end
from campaign.rules.workdays import covered_years, uncovered_years, working_days_after
from support import run_cli
from support import ROOT


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path


def problems_of(tree: Path, as_of: str | None = None) -> str:
    with pytest.raises(DataError) as caught:
        load(tree / "data", tree / "content", as_of)
    return str(caught.value)


def warnings_of(tree: Path, as_of: str | None = None) -> list[str]:
    return [p.render() for p in publicity_checks.warnings(load(tree / "data", tree / "content", as_of)).items]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- A report in another month's folder -----------------------------------------------------------


def test_report_in_another_months_folder_is_an_error(tree):
    (tree / "data/reports/2018-09").mkdir()
    shutil.move(tree / "data/reports/2018-08/a01.yml", tree / "data/reports/2018-09/a01.yml")
    text = problems_of(tree)
    assert ("data/reports/2018-09/a01.yml 第 3 行：字段「month（报送月份）」：报告放在 data/reports/2018-09/ 文件夹中，"
            "报送月份却是 2018-08") in text
    assert "应为 data/reports/2018-08/a01.yml" in text


def test_report_outside_a_month_folder_is_an_error(tree):
    shutil.move(tree / "data/reports/2018-08/a01.yml", tree / "data/reports/a01.yml")
    assert "data/reports/a01.yml 第 3 行：字段「month（报送月份）」：报告直接放在 data/reports/ 中" in problems_of(tree)


def test_default_reports_are_in_their_months(tree):
    load(tree / "data", tree / "content")  # no error


# --- Falling progress -------------------------------------------------------------------------------


def test_falling_progress_without_correction_is_a_warning(tree, tmp_path):
    report = tree / "data/reports/2018-08/a01.yml"
    edit(report, "{task: a01-t2, percent: 85}", "{task: a01-t2, percent: 10}")
    warned = warnings_of(tree)
    assert len(warned) == 1
    assert warned[0].startswith("data/reports/2018-08/a01.yml 第 8 行：字段「percent（完成进度（%））」：")
    assert "任务「a01-t2」的完成进度由上一份报告（2018-07）的 65% 降为 10%" in warned[0]
    assert "correction（更正说明）" in warned[0]

    # ./column check prints it, and --strict fails on it as the build does.
    project = tree
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    checked = run_cli(project, "check")
    assert checked.returncode == 0, checked.stderr
    assert "注意：有 1 处警告" in checked.stderr and "降为 10%" in checked.stderr
    assert run_cli(project, "check", "--strict").returncode == 1

    # An explanation makes it a correction, not a mistake.
    edit(report, "{task: a01-t2, percent: 10}", "{task: a01-t2, percent: 10, correction: 7月误将计划数报为完成数，现更正}")
    assert warnings_of(tree) == []
    assert run_cli(project, "check", "--strict").returncode == 0


def test_correction_field_is_documented_in_the_schema():
    schema = json.loads((ROOT / "schemas/report.json").read_text(encoding="utf-8"))
    task = next(d for d in schema["$defs"].values() if "correction" in d.get("properties", {}))
    field = task["properties"]["correction"]
    assert field["title"] == "更正说明" and "进度" in field["description"]


# --- Surveys and their quarter ------------------------------------------------------------------------


def test_quarter_end():
    assert quarter_end("2018-Q1") == date(2018, 3, 31) and quarter_end("2018-Q4") == date(2018, 12, 31)


def test_survey_published_before_its_quarter_ends_is_an_error(tree):
    survey = tree / "data/surveys/2018-Q3.yml"
    edit(survey, "published: 2018-09-30", "published: 2018-09-20")
    text = problems_of(tree)
    assert ("data/surveys/2018-Q3.yml 第 4 行：字段「published（发布日期）」：2018年第3季度到 2018-09-30 才结束，"
            "测评结果不能在季度结束前发布（发布日期写的是 2018-09-20）") in text
    # A quarter that has not even begun.
    edit(survey, "published: 2018-09-20", "published: 2018-09-30")
    shutil.copy2(survey, tree / "data/surveys/2018-Q4.yml")
    edit(tree / "data/surveys/2018-Q4.yml", "quarter: 2018-Q3", "quarter: 2018-Q4")
    assert "data/surveys/2018-Q4.yml 第 4 行" in problems_of(tree) and "2018年第4季度到 2018-12-31 才结束" in problems_of(tree)


# --- Policy link cycles ---------------------------------------------------------------------------------


def test_replaced_by_cycle_is_an_error_naming_the_files(tree):
    new = tree / "content/policies/zzbf-2018-31.md"
    edit(new, "validity: 有效", "validity: 已修订\nreplaced_by: zzbf-2017-40")
    text = problems_of(tree)
    assert "content/policies/zzbf-2018-31.md 第 13 行：字段「replaced_by」：文件之间的替代/解读关系形成了循环" in text
    assert "content/policies/zzbf-2017-40.md 第 13 行：字段「replaced_by」：文件之间的替代/解读关系形成了循环" in text
    assert ("content/policies/zzbf-2017-40.md（zzbf-2017-40，replaced_by） → content/policies/zzbf-2018-31.md"
            "（zzbf-2018-31，replaced_by） → content/policies/zzbf-2017-40.md（zzbf-2017-40）") in text


def test_longer_cycle_and_a_plain_chain(tree):
    edit(tree / "content/policies/zzbf-2018-31.md", "validity: 有效", "validity: 已修订\nreplaced_by: zzbf-2018-25")
    doc = tree / "content/policies/zzbf-2018-25.md"
    edit(doc, "validity: 有效", "validity: 失效\nreplaced_by: zzbf-2017-40")
    text = problems_of(tree)
    assert text.count("形成了循环") == 3 and "content/policies/zzbf-2018-25.md" in text
    # Breaking the circle leaves a plain chain 2017-40 → 2018-31 → 2018-25: accepted.
    edit(doc, "validity: 失效\nreplaced_by: zzbf-2017-40", "validity: 有效")
    load(tree / "data", tree / "content")


# --- Working days -------------------------------------------------------------------------------------------


def test_working_days_follow_the_state_councils_calendar():
    # 清明 5–6 April and 劳动节 30 April–1 May off, Sunday 8 April and Saturday 28 April worked.
    assert working_days_after(date(2018, 3, 20), date(2018, 5, 2)) == 29
    # 国庆 1–7 October off; Saturday 29 and Sunday 30 September worked.
    assert working_days_after(date(2018, 9, 28), date(2018, 10, 8)) == 3
    first, last = covered_years()
    assert first <= 2018 and last >= 2025
    # Overrides win: a county day off, a weekend worked.
    assert working_days_after(date(2018, 3, 20), date(2018, 5, 2), holidays=[date(2018, 4, 16)]) == 28
    assert working_days_after(date(2018, 3, 20), date(2018, 5, 2), workdays=[date(2018, 4, 14)]) == 30


def test_a_year_the_calendar_does_not_cover_is_a_warning(tree):
    last = covered_years()[1]
    year = last + 1
    assert uncovered_years(date(year, 3, 1), date(year, 3, 5)) == [year]
    assert uncovered_years(date(year, 3, 1), date(year, 3, 5), holidays=[date(year, 10, 1)]) == []
    doc = tree / "content/policies/zzbf-2018-31.md"
    edit(doc, "written: 2018-07-16", f"written: {year}-03-01")
    edit(doc, "published: 2018-07-23", f"published: {year}-03-05")
    warned = [w for w in warnings_of(tree, f"{year}-03-31") if "zzbf-2018-31" in w]
    assert len(warned) == 1
    assert f"{year} 年不在内置节假日日历的范围（{covered_years()[0]}–{last} 年）内" in warned[0]
    assert "data/site.yml 的 calendar 也没有填写这一年的节假日和调休" in warned[0]
    site = tree / "data/site.yml"
    site.write_text(site.read_text(encoding="utf-8") + f"calendar:\n  holidays: [{year}-10-01]\n", encoding="utf-8")
    assert not [w for w in warnings_of(tree, f"{year}-03-31") if "zzbf-2018-31" in w]


def test_publication_warning_counts_official_holidays(tree):
    # 2018-03-20 → 2018-05-02 is 29 working days: late by 9, and the message says so.
    edit(tree / "content/policies/zzbf-2018-25.md", "published: 2018-03-26", "published: 2018-05-02")
    warned = warnings_of(tree)
    assert len(warned) == 1 and "已过 29 个工作日" in warned[0]
    assert "按国务院办公厅公布的节假日和调休计算" in warned[0]
