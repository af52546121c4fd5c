"""Search that finds documents (issue 15): Pagefind's chunked index behind the column's
search page (content/assets/search.js), measured on the queries citizens type."""
from __future__ import annotations

import gzip
import json

import yaml
import pytest

from support import ELDER_ON, SEARCH_DONE, copy_project, edit, run_build, watch_console

# Query -> the page that must be among the first three results (paths under the site).
QUERIES = [
    ("紫政办发〔2018〕25号", "policies/zzbf-2018-25/"),   # 文号, full form
    ("紫政办发[2018]25号", "policies/zzbf-2018-25/"),     # other brackets
    ("25号", "policies/zzbf-2018-25/"),                  # 文号, short form
    ("zyxzfzyxzfbgs/2018-0025", "policies/zzbf-2018-25/"),  # 索引号
    ("紫阳县市场监督管理局", "units/scj/"),                  # unit, full name
    ("县市场监管局", "units/scj/"),                         # unit, short name
    ("县民调中心", "units/mdzx/"),
    ("罗云忠", "plan/"),                                    # leader's name
    ("441111", "hotline/"),
    ("互联网+政务服务", "actions/a03/"),
    ("明查暗访", "plan/"),
    ("规范性文件", "cleanup/"),
]
REFERENCE = ("opendata/", "method/")


def search(page, term: str) -> list[str]:
    page.fill("#site-search-q", term)
    page.wait_for_function(SEARCH_DONE, timeout=20000)
    return page.eval_on_selector_all(".site-search__results li > a", "els => els.map(e => new URL(e.href).pathname)")


@pytest.fixture
def search_page(page, site_url):
    page.goto(site_url + "search/")
    return page


def test_query_set_finds_the_page_in_the_first_three(search_page, site_url):
    errors = watch_console(search_page)
    base = "/zt/yshj/"
    missed = {}
    for term, expected in QUERIES:
        top = search(search_page, term)[:3]
        if base + expected not in top:
            missed[term] = top
        # Citizen pages first: no reference page above the expected one.
        first = top.index(base + expected) if base + expected in top else 3
        assert not any(p.startswith(base + r) for p in top[:first] for r in REFERENCE), (term, top)
    assert missed == {}
    assert errors == []


def test_no_noise_passed_off_as_a_match(search_page):
    # A dictionary term that appears nowhere: the reader is told nothing matches it whole.
    search(search_page, "一网通办")
    assert "没有完全包含“一网通办”" in search_page.inner_text("[data-site-search-status]")


def test_paste_ime_and_dictation_search(search_page):
    box = "#site-search-q"
    # IME: nothing while composing, the search on compositionend.
    search_page.evaluate("""() => { const i = document.querySelector('#site-search-q');
        i.dispatchEvent(new CompositionEvent('compositionstart'));
        i.value = '县民调中心';
        i.dispatchEvent(new InputEvent('input', {isComposing: true, inputType: 'insertCompositionText'}));
    }""")
    search_page.wait_for_timeout(400)
    assert search_page.inner_text("[data-site-search-status]") == ""
    search_page.dispatch_event(box, "compositionend")
    search_page.wait_for_function(SEARCH_DONE, timeout=20000)
    assert "/units/mdzx/" in search_page.eval_on_selector(".site-search__results li > a", "e => e.href")
    # Paste: a paste event and the new value, no key pressed.
    search_page.evaluate("""() => { const i = document.querySelector('#site-search-q');
        i.value = '441111'; i.dispatchEvent(new Event('paste')); }""")
    search_page.wait_for_function("() => document.querySelector('.site-search__results li > a') && "
                                  "document.querySelector('.site-search__results li > a').href.includes('/hotline/')",
                                  timeout=20000)
    # Dictation and handwriting insert text as one input event.
    search_page.fill(box, "")
    search_page.focus(box)
    search_page.keyboard.insert_text("明查暗访")
    search_page.wait_for_function(SEARCH_DONE, timeout=20000)
    assert "/plan/" in search_page.eval_on_selector(".site-search__results li > a", "e => e.href")


def test_no_stale_answer(search_page):
    search(search_page, "qqzzxx")
    assert search_page.inner_text("[data-site-search-status]").startswith("没有找到")
    # A new query: the old "没有找到" goes at once, and a slow old answer never comes back.
    search_page.fill("#site-search-q", "zzqq没有")
    search_page.fill("#site-search-q", "441111")
    assert search_page.inner_text("[data-site-search-status]") == "正在搜索…"
    search_page.wait_for_function(SEARCH_DONE, timeout=20000)
    search_page.wait_for_timeout(500)
    assert search_page.inner_text("[data-site-search-status]").startswith("找到")
    assert search_page.query_selector(".site-search__results li")


def test_keyboard_and_address_with_query(page, site_url):
    page.goto(site_url + "search/?q=441111")
    page.wait_for_function(SEARCH_DONE, timeout=20000)
    assert page.input_value("#site-search-q") == "441111"
    page.focus("#site-search-q")
    page.fill("#site-search-q", "罗云忠")
    page.keyboard.press("Enter")
    page.wait_for_function(SEARCH_DONE, timeout=20000)
    assert "q=%E7%BD%97" in page.url
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('site-search__button')")
    page.keyboard.press("Tab")
    assert "/plan/" in page.evaluate("document.activeElement.href")
    assert page.get_attribute("[data-site-search-status]", "role") == "status"


def test_search_session_downloads_little(browser, site_url):
    # Open the page and ask three questions: everything search fetched, as transferred, the
    # requests of Pagefind's worker included (they are not in the page's resource timing).
    ctx = browser.new_context()
    page = ctx.new_page()
    fetched = []
    page.on("requestfinished", lambda request: fetched.append(request))
    page.goto(site_url + "search/")
    for term in ("营商环境", "紫政办发〔2018〕25号", "县市场监管局"):
        search(page, term)
    searched = [r for r in fetched if "pagefind" in r.url or "search" in r.url]
    size = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in searched)
    ctx.close()
    assert any(".pf_fragment" in r.url for r in searched)  # the worker's fetches are counted
    assert 0 < size < 500_000, size


def test_results_large_in_elder_mode(browser, site_url):
    ctx = browser.new_context(viewport={"width": 375, "height": 800})
    ctx.add_init_script(ELDER_ON)
    page = ctx.new_page()
    page.goto(site_url + "search/")
    search(page, "营商环境")
    sizes = page.evaluate("""() => [...document.querySelectorAll('.site-search *, .site-search__status, .site-search__results *')]
        .filter(e => e.textContent.trim()).map(e => parseFloat(getComputedStyle(e).fontSize))""")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    ctx.close()
    assert sizes and min(sizes) >= 18, min(sizes)
    assert overflow <= 0


# --- Hostile text in the records ------------------------------------------------------------

# What an editor may paste and the check lets through (record texts are printed escaped;
# only elements that would run something are refused there), and what a page may show as
# code. Pagefind indexes it all as the pages' text; the search page must show it as text.
HOSTILE = {
    "case title": "示例：防注入演示案例<img src=x>与<b>粗体</b>",
    "case summary": "示例：防注入演示摘要&lt;script&gt;alert(5)&lt;/script&gt;与<img src=x>。",
    "report": "示例：防注入演示进展<img src=x>和<i>斜体</i>。",
    "policy": "防注入演示正文：`<img src=x onerror=alert(1)>` 与 `<script>alert(2)</script>` 均为文字。",
}


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory, serve):
    """The default project with hostile text in a case, a report and a policy page, built
    once and served by nginx like the portal; its search index in parts of ~150 KB of pages
    (as a province-scale site's is), which the search page merges."""
    project = copy_project(tmp_path_factory.mktemp("hostile"))
    path = project / "data/cases/2018/c2018-001.yml"
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    case["title"], case["summary"] = HOSTILE["case title"], HOSTILE["case summary"]
    path.write_text(yaml.safe_dump(case, allow_unicode=True, sort_keys=False), encoding="utf-8")
    edit(project / "data/reports/2018-08/a01.yml", "progress: 示例：2018年8月按计划推进各项任务，完成情况见任务进度。",
         f"progress: '{HOSTILE['report']}'")
    with (project / "content/policies/zzbf-2018-31-jd.md").open("a", encoding="utf-8") as page:
        page.write("\n" + HOSTILE["policy"] + "\n")
    result = run_build(project, env={"COLUMN_SEARCH_PART_BYTES": "150000"})
    assert result.returncode == 0, result.stdout + result.stderr
    parts = json.loads((project / "site/pagefind/parts.json").read_text(encoding="utf-8"))
    assert len(parts) >= 3, parts
    # The three pages the test finds are indexed in different parts.
    holders = {}
    for bundle in [project / "site/pagefind"] + [project / "site/pagefind" / p for p in parts]:
        for fragment in (bundle / "fragment").iterdir():
            url = json.loads(gzip.decompress(fragment.read_bytes())[len(b"pagefind_dcd"):])["url"]
            holders[url.lstrip("/")] = bundle.name
    assert len({holders[p] for p in ("cases/c2018-001/", "actions/a01/", "policies/zzbf-2018-31-jd/")}) >= 2, holders
    return serve(project / "site")


def test_hostile_text_in_results_stays_text(browser, hostile_url):
    ctx = browser.new_context()
    page = ctx.new_page()
    errors = watch_console(page)  # a CSP refusal of an injected handler or script shows here
    dialogs, fetched = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(hostile_url + "search/")
    found = search(page, "防注入演示")
    page.wait_for_timeout(500)  # an injected handler or image would have fired by now
    paths = {p.removeprefix("/zt/yshj/") for p in found}
    assert {"cases/c2018-001/", "actions/a01/", "policies/zzbf-2018-31-jd/"} <= paths, paths
    # Nothing but our own elements in the results: no element came out of the text.
    tags = page.eval_on_selector_all(".site-search__results *", "els => [...new Set(els.map(e => e.tagName))]")
    assert set(tags) <= {"LI", "A", "P", "MARK"}, tags
    assert page.eval_on_selector_all(".site-search__results img, .site-search__results script", "els => els.length") == 0
    # The text reads as written, markup and all.
    shown = page.inner_text(".site-search__results")
    for text in ("<img src=x onerror=alert(1)>", "<script>alert(2)</script>", "<img src=x>", "<b>粗体</b>", "<i>斜体</i>"):
        assert text in shown, (text, shown)
    titles = page.eval_on_selector_all(".site-search__results li > a", "els => els.map(e => e.textContent)")
    assert HOSTILE["case title"] in titles
    assert dialogs == [] and errors == []
    assert not [u for u in fetched if u.rstrip("/").endswith("/x")], fetched  # no <img src=x> loaded
    ctx.close()
