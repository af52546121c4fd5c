"""axe-core finds no violation on any kind of page, in normal and in elder mode.

Kinds are discovered from the built site, so pages other builders add (bulletins,
dashboard …) are checked as soon as they exist: the home page, each top-level section's
index, the first item page of each section, and the search dialog open.
"""
from __future__ import annotations


import pytest
from axe_playwright_python.sync_playwright import Axe

from support import ELDER_ON, open_search, page_kinds

TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"]


@pytest.fixture(scope="module")
def axe():
    return Axe()


def _report(results) -> str:
    lines = []
    for v in results.response["violations"]:
        targets = [", ".join(n["target"]) for n in v["nodes"][:3]]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} @ {targets}")
    return "\n".join(lines)


# Every kind of page in three modes (about 90 s): the slow ring, which CI runs too.
@pytest.mark.slow
@pytest.mark.parametrize("elder, width", [(False, 1280), (True, 1280), (True, 375)],
                         ids=["normal", "elder", "elder-375px"])
def test_axe_every_kind_of_page(browser, site_url, built_site, axe, elder, width):
    # At 375 px with large text, wide tables scroll in their own box: a case of its own.
    ctx = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    if elder:
        ctx.add_init_script(ELDER_ON)
    page = ctx.new_page()
    failures = {}
    kinds = page_kinds(built_site)
    assert len(kinds) >= 10
    for path in kinds + ["search"]:
        if path == "search":
            page.goto(site_url)
            open_search(page, "营商环境")
        else:
            page.goto(site_url + path)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
        if results.violations_count:
            failures[path] = _report(results)
    ctx.close()
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
