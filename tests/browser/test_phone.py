"""Phones and 大字模式 (issue 15): tables read as cards at 320 and 375 px with the deciding
columns inside the screen, dates never break, and large text scales every text node."""
from __future__ import annotations

import json

import pytest

from support import ELDER_ON, page_kinds

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


# Every visible text node: its rendered font size in px (SVG text scaled as drawn), with a
# short description of where it is.
TEXT_SIZES = """() => {
  const out = {};
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n, index = -1;
  while ((n = walker.nextNode())) {
    index++;
    if (!n.textContent.trim()) continue;
    const el = n.parentElement;
    if (!el || el.closest('script, style, noscript, template, [hidden], [aria-hidden=true] svg')) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    const r = range.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    if (r.right <= 0 || r.bottom <= 0 || r.left >= window.innerWidth) continue;  // off-canvas drawer
    let hidden = false;
    for (let a = el; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.visibility === 'hidden' || s.display === 'none' || parseFloat(s.opacity) === 0) { hidden = true; break; }
      if (s.clip === 'rect(0px, 0px, 0px, 0px)' || s.clipPath === 'inset(50%)') { hidden = true; break; }
    }
    if (hidden) continue;
    let size = parseFloat(getComputedStyle(el).fontSize);
    const svg = el.closest('svg');
    if (svg && svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width) {
      size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    }
    const where = el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '')
      + ' < ' + (el.parentElement ? el.parentElement.tagName.toLowerCase() + '.' + (typeof el.parentElement.className === 'string' ? el.parentElement.className.split(' ')[0] : '') : '');
    out[index] = [size, where, n.textContent.trim().slice(0, 16)];
  }
  return out;
}"""


def text_sizes(page) -> list:
    return page.evaluate(TEXT_SIZES)


@pytest.mark.slow  # every text node of every kind of page, twice: the slow ring (CI runs it)
@pytest.mark.parametrize("width", [1280, 375])
def test_large_text_scales_every_text(browser, site_url, built_site, width):
    # Each kind of page, read twice: normal, then after pressing 大字模式. Every visible
    # text is at least 18 px and at least 1.25 times its normal size.
    ctx = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = ctx.new_page()
    small = {}
    for path in page_kinds(built_site) + ["no/such/page/"]:
        page.goto(site_url + path)
        page.evaluate("localStorage.clear(); document.documentElement.classList.remove('elder-large')")
        normal = text_sizes(page)
        page.evaluate("document.documentElement.classList.add('elder-large')")
        large = text_sizes(page)
        found = []
        for index, (after, where, text) in large.items():
            before = normal.get(index, [0])[0]
            if after < 18 - 0.01 or after < before * 1.25 - 0.5:
                found.append(f"{where} {text!r}: {before:.1f} -> {after:.1f}")
        if found:
            small[path] = sorted(set(found))[:12]
    ctx.close()
    assert small == {}, json.dumps(small, ensure_ascii=False, indent=1)


FOCUS_HIDDEN = """() => { const e = document.activeElement;
    if (!e || e === document.body) return null;
    const r = e.getBoundingClientRect();
    const seen = e.checkVisibility({visibilityProperty: true, opacityProperty: true});
    return (seen && r.width > 0 && r.height > 0 && r.right > 0 && r.left < innerWidth) ? null
      : e.tagName + ' ' + (e.textContent || '').trim().slice(0, 12) + ' @' + Math.round(r.left); }"""


@pytest.mark.parametrize("width", [375, 1280])
def test_no_invisible_focus_stop(browser, site_url, width):
    # Tab through the page: every element that takes focus is on the screen, never a link
    # of the closed menu sliding off to the left.
    ctx = browser.new_context(viewport={"width": width, "height": 800})
    page = ctx.new_page()
    hidden = []
    for path in ["", "actions/a01/", "policies/zzbf-2018-25/"]:
        page.goto(site_url + path)
        for _ in range(60):
            page.keyboard.press("Tab")
            where = page.evaluate(FOCUS_HIDDEN)
            if where:  # the skip link fades in: look again once its transition is over
                page.wait_for_timeout(400)
                where = page.evaluate(FOCUS_HIDDEN)
            if where:
                hidden.append((path, where))
    ctx.close()
    assert hidden == [], hidden[:10]
