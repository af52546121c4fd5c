"""What a reader sees in a real browser: Chinese search, 适老化 toggles, layout at 320 px
and 200 % zoom, the CSP leaving everything working, printing to A4."""
from __future__ import annotations

import re

import pytest

from support import ELDER_ON, open_search, watch_console


@pytest.mark.parametrize("term, expected", [
    ("营商环境", "/"),
    ("明查暗访", "/plan/"),
    ("慢作为", "/cases/"),
    ("441111", "/hotline/"),
])
def test_chinese_search_finds_the_page(page, site_url, term, expected):
    errors = watch_console(page)
    page.goto(site_url)
    hrefs = open_search(page, term)
    assert any(expected in h for h in hrefs), hrefs
    assert errors == []


def test_csp_leaves_the_site_working(page, site_url):
    # Under the page's own policy: search opens and answers, toggles work, no refusal.
    errors = watch_console(page)
    page.goto(site_url + "actions/a01/")
    csp = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
    assert "script-src 'self' 'sha256-" in csp
    page.click("[data-elder-toggle=large]")
    assert "elder-large" in page.get_attribute("html", "class")
    hrefs = open_search(page, "营商环境")
    assert hrefs
    for path in ["", "plan/", "cases/c2018-002/", "policies/zzbf-2018-25/", "units/fzb/"]:
        page.goto(site_url + path)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    assert errors == []


def test_elder_toggles_by_keyboard_and_remembered(page, site_url):
    page.goto(site_url)
    for _ in range(10):  # the toggles come right after the skip link
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.elderToggle") == "large":
            break
    else:
        pytest.fail("大字模式 is not reachable with Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.elderToggle") == "contrast"
    page.keyboard.press("Space")
    assert page.get_attribute("[data-elder-toggle=large]", "aria-pressed") == "true"
    assert page.get_attribute("[data-elder-toggle=contrast]", "aria-pressed") == "true"
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)")
    # Another page keeps both choices.
    page.goto(site_url + "plan/")
    classes = page.get_attribute("html", "class")
    assert "elder-large" in classes and "elder-contrast" in classes
    assert page.get_attribute("[data-elder-toggle=large]", "aria-pressed") == "true"
    # Turning it off is remembered too.
    page.click("[data-elder-toggle=large]")
    page.goto(site_url + "cases/")
    assert "elder-large" not in page.get_attribute("html", "class")
    normal = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)")
    assert size >= normal * 1.2


REFLOW_PAGES = ["", "plan/", "actions/", "actions/a01/", "units/", "units/fzb/", "cases/c2018-002/",
                "policies/zzbf-2018-25/", "surveys/", "cleanup/", "hotline/"]


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
@pytest.mark.parametrize("width, scale", [(320, 1), (640, 2)], ids=["320px", "zoom200"])
def test_no_horizontal_scroll(browser, site_url, built_site, width, scale, elder):
    # 200 % zoom of a 1280 px window is a 640 CSS px layout at device scale 2.
    ctx = browser.new_context(viewport={"width": width, "height": 700}, device_scale_factor=scale)
    if elder:
        ctx.add_init_script(ELDER_ON)
    page = ctx.new_page()
    wide = []
    for path in REFLOW_PAGES:
        if not (built_site / path / "index.html").exists():
            continue
        page.goto(site_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            wide.append((path, overflow))
    ctx.close()
    assert wide == []


@pytest.mark.parametrize("path", ["actions/a01/", "bulletins/"])
def test_print_to_a4(browser, site_url, built_site, tmp_path, path):
    if not (built_site / path / "index.html").exists():
        pytest.skip(f"{path} is not built yet")
    if path == "bulletins/":  # a bulletin itself, when there are any
        items = sorted(p.parent for p in (built_site / "bulletins").glob("*/index.html"))
        if items:
            path = items[0].relative_to(built_site).as_posix() + "/"
    # A4 text width at 96 dpi: (210 mm - 2 x 14 mm) / 25.4 x 96 = 688 CSS px.
    ctx = browser.new_context(viewport={"width": 688, "height": 1000})
    page = ctx.new_page()
    page.goto(site_url + path)
    page.emulate_media(media="print")
    for hidden in [".md-header", ".md-sidebar--primary", ".portal-tools"]:
        assert not page.is_visible(hidden), hidden
    assert page.is_visible(".md-content h1")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    ctx.close()
    (tmp_path / "page.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes and all(abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2 for w, h in boxes), boxes
    assert overflow <= 0, overflow  # nothing cut off at the right edge of the paper
