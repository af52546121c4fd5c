"""One check pipeline: `./column check --strict` and `mkdocs build --strict` agree.

Each kind of problem is planted in a fresh copy of the default project; both tools run on
it and must give the same verdict and print the same Chinese problem lines (the build
prints errors through MkDocs' error and warnings through its log). Problems are checked
through the core in the unit tests; this file only proves the two callers do not drift.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from campaign.check import check_project
from support import copy_project, run_build, run_cli


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _yaml_syntax(p: Path) -> dict:
    _edit(p / "data/actions/a01.yml", "name:", "name")
    return {}


def _unknown_field(p: Path) -> dict:
    _edit(p / "data/actions/a01.yml", "name:", "nmae: x\nname:")
    return {}


def _unknown_unit(p: Path) -> dict:
    _edit(p / "data/actions/a01.yml", "lead_unit: scj", "lead_unit: scjj")
    return {}


def _unknown_column(p: Path) -> dict:
    _edit(p / "data/site.yml", "columns:\n", "columns:\n  - {id: nosuchcolumn, name: 未知栏目, cadence: 不定期}\n")
    return {}


def _stale_column(p: Path) -> dict:
    return {"AS_OF": "2019-06-30"}


def _draft_mark(p: Path) -> dict:
    _edit(p / "data/actions/a01.yml", "goal: ", "goal: 【待填写】")
    return {}


def _page_name_clash(p: Path) -> dict:
    (p / "content/actions").mkdir(exist_ok=True)
    (p / "content/actions/a01.md").write_text("# 手写\n", encoding="utf-8")
    return {}


def _bad_article_date(p: Path) -> dict:
    page = p / "content/guide/workflow.md"
    page.write_text('---\narticle_date: "2018-13-01"\n---\n' + page.read_text(encoding="utf-8"), encoding="utf-8")
    return {}


def _page_not_in_nav(p: Path) -> dict:
    (p / "content/orphan.md").write_text("# 没有链接的页面\n", encoding="utf-8")
    return {}


def _download_clash(p: Path) -> dict:
    (p / "content/feeds").mkdir(exist_ok=True)
    (p / "content/feeds/all.xml").write_text("<feed/>", encoding="utf-8")
    return {}


# The text rules run apart from the rest of the build's check (a forked process, their
# verdict taken at the end): their problems must still come out the same, and with other
# problems all together.
_REPORT = "data/reports/2018-07/a02.yml"


def _serious_text_error(p: Path) -> dict:
    _edit(p / _REPORT, "progress: ", "progress: 县攻府办牵头。")
    return {}


def _style_warning(p: Path) -> dict:
    _edit(p / _REPORT, "progress: ", "progress: 本月完成了的的材料。")
    return {}


def _personal_data(p: Path) -> dict:
    _edit(p / _REPORT, "progress: ", "progress: 联系人王某，电话１３９１２３４５６７８。")
    return {}


def _active_html(p: Path) -> dict:
    page = p / "content/policies/zzbf-2018-25.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n<script>alert(1)</script>\n", encoding="utf-8")
    return {}


def _text_error_and_unknown_unit(p: Path) -> dict:
    _serious_text_error(p)
    return _unknown_unit(p)


PLANTS = {
    "download-clash": (_download_clash, "error"),
    "page-not-in-nav": (_page_not_in_nav, "warning"),
    "yaml-syntax": (_yaml_syntax, "error"),
    "unknown-field": (_unknown_field, "error"),
    "unknown-unit": (_unknown_unit, "error"),
    "unknown-column": (_unknown_column, "error"),
    "stale-column": (_stale_column, "warning"),
    "draft-mark": (_draft_mark, "warning"),
    "page-name-clash": (_page_name_clash, "error"),
    "bad-article-date": (_bad_article_date, "error"),
    "serious-text-error": (_serious_text_error, "error"),
    "style-warning": (_style_warning, "warning"),
    "personal-data": (_personal_data, "error"),
    "active-html": (_active_html, "error"),
    "text-error-and-unknown-unit": (_text_error_and_unknown_unit, "error"),
}

# A problem line as both tools print it: "<file> 第 N 行：…" or "<file>：…".
_PROBLEM = re.compile(r"((?:data|content)/\S+?(?: 第 \d+ 行)?：.*)$")


def _problem_lines(output: str) -> set[str]:
    return {m.group(1).strip() for line in output.splitlines() if (m := _PROBLEM.search(line))}


@pytest.mark.parametrize("name", sorted(PLANTS))
def test_check_and_build_agree(name: str, tmp_path: Path):
    plant, severity = PLANTS[name]
    project = copy_project(tmp_path)
    env = plant(project)
    report = check_project(project, env.get("AS_OF"))
    assert (report.errors if severity == "error" else report.warnings), name
    if severity == "warning":
        assert not report.errors, [p.render() for p in report.errors]

    checked = run_cli(project, "check", "--strict", env=env)
    built = run_build(project, env=env)
    assert checked.returncode == 1 and built.returncode != 0, (checked.stderr, built.stderr)
    assert "Traceback" not in checked.stderr + built.stderr
    from_check = _problem_lines(checked.stdout + checked.stderr)
    from_build = _problem_lines(built.stdout + built.stderr)
    assert from_check, checked.stderr
    assert from_check == from_build, (from_check ^ from_build)
    assert from_check == {p.render() for p in report.errors + report.warnings}


def test_clean_project_passes_both(built_site: Path):
    # The session build of the default data passed --strict; check must agree.
    from support import ROOT

    report = check_project(ROOT)
    assert report.passed(strict=True), [p.render() for p in report.problems]
    assert (built_site / "index.html").exists()
