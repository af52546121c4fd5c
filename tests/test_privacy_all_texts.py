"""The personal-data guard over every published text, not only cases (issue 13).

Numbers are read after normalising full-width digits, spaces inside an ID, +86/86 prefixes
and －/./- separators; messages mask them; `allow_personal_data` on a case stays the only
way round (other kinds of records and pages have no switch: rewrite the text).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from support import copy_data, edit, line_of

from campaign.check import load
from campaign.records.problems import DataError
from campaign.rules.privacy import find_personal_data



@pytest.fixture
def proj(tmp_path: Path) -> Path:
    return copy_data(tmp_path)




def problems(project: Path) -> list:
    with pytest.raises(DataError) as caught:
        load(project / "data", project / "content")
    return [p for p in caught.value.problems.items if "个人信息" in p.message]


@pytest.mark.parametrize("written, kind", [
    ("１３９１２３４５６７８", "mobile"),
    ("+86 139-1234-5678", "mobile"),
    ("86－139－1234－5678", "mobile"),
    ("8613912345678", "mobile"),
    ("139.1234.5678", "mobile"),
    ("110105 1949 1231 002X", "id"),
    ("110105-19491231-002x", "id"),
    ("１１０１０５１９４９１２３１００２Ｘ", "id"),
])
def test_normalised_forms_are_found(written, kind):
    found = find_personal_data(f"联系人电话或证件：{written}。")
    assert [f.kind for f in found] == [kind]
    assert "1234" not in found[0].masked[3:-4]


def test_ordinary_numbers_are_not_personal_data():
    for text in ("2018年4月13日", "2018-04-13", "441111热线", "紫政办发〔2018〕25号", "0915-5212345",
                 "zyxzfzyxzfbgs/2018-0025", "共 86 项，1390 户"):
        assert find_personal_data(text) == [], text


def test_mobile_in_a_monthly_report(proj):
    report = proj / "data/reports/2018-06/a03.yml"
    edit(report, "progress: ", "progress: 联系人王某，电话１３９１２３４５６７８。")
    found = problems(proj)
    assert [(p.file, p.line) for p in found] == [("data/reports/2018-06/a03.yml", line_of(report, "１３９"))]
    assert "139****5678" in found[0].message and "13912345678" not in found[0].message
    assert "allow_personal_data" not in found[0].message  # only cases have the switch
    assert found[0].field.startswith("progress")


def test_id_number_in_a_policy_body(proj):
    policy = proj / "content/policies/zzbf-2018-31.md"
    policy.write_text(policy.read_text(encoding="utf-8") + "\n\n经办人身份证 110105 1949 1231 002X。\n", encoding="utf-8")
    found = problems(proj)
    assert [(p.file, p.line) for p in found] == [("content/policies/zzbf-2018-31.md", line_of(policy, "110105"))]
    assert "110***********002X" in found[0].message


def test_mobile_in_a_content_page(proj):
    page = proj / "content/guide/workflow.md"
    edit(page, "\n\n", "\n\n有问题请打 +86 139-1234-5678 。\n\n")
    found = problems(proj)
    assert [(p.file, p.line) for p in found] == [("content/guide/workflow.md", line_of(page, "+86"))]


def test_nested_and_plan_fields(proj):
    week = proj / "data/publicity/2018.yml"
    text = week.read_text(encoding="utf-8")
    assert "description:" in text
    week.write_text(text.replace("description: ", f"description: 报名电话 13912345678，", 1), encoding="utf-8")
    found = problems(proj)
    assert [p.line for p in found] == [line_of(week, "13912345678")]


def test_case_allow_list_still_works_and_is_not_reported_twice(proj):
    case = proj / "data/cases/2018/c2018-001.yml"
    edit(case, "summary: 示例：", "summary: 示例：举报人电话 13912345678，")
    found = problems(proj)
    assert len(found) == 1 and found[0].line == line_of(case, "13912345678")
    edit(case, "sample: true", "allow_personal_data: [summary]\nsample: true")
    load(proj / "data", proj / "content")
