"""Phones and 大字模式 (issue 15): tables read as cards at 320 and 375 px with the deciding
columns inside the screen, dates never break, and large text scales every text node."""
from __future__ import annotations

import pytest

from .test_accessibility import page_kinds
from .test_reader import ELDER_ON

# The columns a reader decides by: they must be on screen without scrolling sideways.
DECIDING = ["状态", "完成时限", "剩余时间", "进度", "最新进度", "状态和进度", "整改情况", "有效性", "时限"]

CELLS_OUTSIDE = """(labels) => {
  const out = [];
  for (const td of document.querySelectorAll('.md-typeset td[data-label]')) {
    if (!labels.includes(td.dataset.label)) continue;
    const r = td.getBoundingClientRect();
    if (r.width === 0) continue;
    if (r.left < -0.5 || r.right > window.innerWidth + 0.5)
      out.push(td.dataset.label + ' ' + Math.round(r.left) + '..' + Math.round(r.right) + ' ' + td.textContent.trim().slice(0, 20));
  }
  return out;
}"""


def table_pages(site) -> list[str]:
    return [p for p in page_kinds(site) if "<table" in (site / p / "index.html").read_text(encoding="utf-8")]


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
@pytest.mark.parametrize("width", [320, 375])
def test_deciding_cells_inside_the_screen(browser, site_url, built_site, width, elder):
    ctx = browser.new_context(viewport={"width": width, "height": 740}, locale="zh-CN")
    if elder:
        ctx.add_init_script(ELDER_ON)
    page = ctx.new_page()
    outside, checked = {}, 0
    pages = table_pages(built_site)
    assert len(pages) >= 8
    for path in pages:
        page.goto(site_url + path)
        checked += page.evaluate("(l) => document.querySelectorAll('td[data-label]').length", DECIDING)
        cells = page.evaluate(CELLS_OUTSIDE, DECIDING)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if cells or overflow > 0:
            outside[path] = (overflow, cells[:5])
    ctx.close()
    assert checked > 100
    assert outside == {}


def test_dates_do_not_break_on_desktop(browser, site_url, built_site):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = ctx.new_page()
    broken = {}
    for path in table_pages(built_site):
        page.goto(site_url + path)
        lines = page.evaluate("""() => [...document.querySelectorAll('td .nowrap')]
            .filter(s => s.getClientRects().length > 1).map(s => s.textContent)""")
        if lines:
            broken[path] = lines[:5]
    ctx.close()
    assert broken == {}
