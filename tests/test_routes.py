"""Routes and the page model: one rule for page URLs, pages that keep their record, and a
check pipeline that lists page names without rendering any page."""
from __future__ import annotations

from mkdocs.structure.files import File

from campaign import routes
from campaign.check import check_project, generated_paths
from campaign.records import models as m
from campaign.site import pages, rendering
from campaign.site.pages import base
from support import ROOT


def _dataset():
    return check_project(ROOT).raise_for_errors()


def test_url_rule_is_mkdocs_own():
    for src in generated_paths(_dataset()) + ["index.md", "policies/zzbf-2018-25.md", "a/b/index.md"]:
        for directory_urls in (True, False):
            expected = File(src, "content", "site", directory_urls).url
            assert routes.url(src, directory_urls) == ("" if expected == "./" else expected), src


def test_item_pages_carry_their_record_and_edit_path():
    d = _dataset()
    by_src = {p.src_uri: p for p in pages.build_all(d)}
    action = by_src[routes.action_src("a01")]
    assert action.record is d.actions["a01"] and action.edit_path == "data/actions/a01.yml"
    case = d.cases[0]
    page = by_src[routes.case_src(case.id)]
    assert page.record is case and page.edit_path.startswith("data/cases/")
    survey = d.surveys[0]
    assert by_src[routes.survey_src(survey.quarter)].edit_path == f"data/surveys/{survey.quarter}.yml"
    index = by_src["actions/index.md"]
    assert index.record is None and index.edit_path is None
    assert isinstance(by_src[routes.unit_src(d.unit_list[0].id)].record, m.Unit)
    assert [f.path for f in action.feeds] == ["feeds/all.xml", "feeds/actions/a01.xml", "calendars/actions/a01.ics"]


def test_check_lists_pages_without_rendering(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the check pipeline rendered a page")

    monkeypatch.setattr(rendering, "render", refuse)
    monkeypatch.setattr(base, "render", refuse)
    report = check_project(ROOT)
    assert report.passed(strict=True), [p.render() for p in report.problems]
