"""Generated pages written as HTML (issue 18): MkDocs takes them without a Markdown pass,
so what that pass gave them (heading ids, the table of contents, links turned into the
page's URLs, MkDocs' link and anchor validation) is ours to get right, and checked here.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
import pytest
from mkdocs.utils import get_relative_url
from pymdownx.slugs import slugify

from support import ATTR, ROOT, broken_links, copy_project, resolve, run_build

from campaign import routes
from campaign.check import check_project
from campaign.site import html_pages, pages, rendering

SITE_URL = "http://www.zyx.gov.cn/zt/yshj/"
BADGE = '<span class="badge badge-sample" title="方案未载明，为演示编写">示例</span>'


def test_heading_ids_and_toc_are_the_toc_extensions():
    # The same headings through Python-Markdown with mkdocs.yml's toc settings, and
    # through rendering.Headings and html_pages.toc_tokens: same ids, names and nesting.
    headings = [(1, "紫阳县专栏", None), (2, "任务", None), (2, "一、总体情况", None), (3, "逾期（3 项）", None),
                (3, "A & B <x>", None), (2, "任务", None), (2, "Mixed Case 标题", None),
                (3, "2018年8月" + BADGE, "2018年8月"), (2, "变更记录", "history"), (3, "数据文件修改", "history-git"),
                (2, "……", None)]
    source = "\n\n".join("#" * level + " " + (rendering.md_text(text) if "<span" not in text else text)
                         + (f" {{ #{anchor} }}" if anchor else "") for level, text, anchor in headings)
    md = markdown.Markdown(extensions=["toc", "attr_list"],
                           extension_configs={"toc": {"slugify": slugify(case="lower"), "permalink": False}})
    md.convert(source)
    ours = rendering.Headings()
    html = "\n".join(ours.heading(level, rendering.h_text(text) if "<span" not in text else rendering.Markup(text),
                                  anchor) for level, text, anchor in headings)

    def shape(tokens):
        return [(t["level"], t["id"], t["name"], shape(t["children"])) for t in tokens]

    assert shape(html_pages.toc_tokens(html)) == shape(md.toc_tokens)
    assert html_pages.anchor_ids(html) == {t["id"] for t in _flat(md.toc_tokens)}


def _flat(tokens):
    for t in tokens:
        yield t
        yield from _flat(t["children"])


@pytest.mark.parametrize("directory_urls", [True, False])
def test_links_are_mkdocs_relative_urls(directory_urls):
    # MkDocs writes a Markdown link to b.md on page a.md as get_relative_url(b.url, a.url).
    def mkdocs_url(src: str) -> str:
        return (routes.url(src, directory_urls) or "./") if src.endswith(".md") else src

    srcs = ["index.md", "hotline.md", "actions/index.md", "actions/a01.md", "actions/a01-reports-2.md",
            "cases/kind/slow.md", "cases/year/2018.md", "opendata/index.md", "opendata/tables/units.md",
            "opendata/units.csv", "feeds/all.xml", "bulletins/2018-08.docx"]
    for here in (s for s in srcs if s.endswith(".md")):
        for target in srcs:
            assert rendering._page_href(here, target, directory_urls) == get_relative_url(
                mkdocs_url(target), mkdocs_url(here)), (here, target)


def test_public_pages_are_html_without_markdown_left():
    d = check_project(ROOT).raise_for_errors()
    generated = pages.build_all(d)
    html = [p for p in generated if p.html]
    assert html == generated  # every public page (the editors' guide is Markdown, a site of its own)
    for page in html:
        body = page.content.split("\n---\n", 1)[1]
        assert "](" not in body and not re.search(r"^(#+ |\| |- |\*\*)", body, re.M), page.src_uri
        assert "**" not in body and "\\" not in body, page.src_uri


def _anchors_resolve(site: Path) -> list[str]:
    """Every internal link with a #fragment whose target page has no element with that id."""
    missing, ids = [], {}
    for file in sorted(site.rglob("*.html")):
        text = file.read_text(encoding="utf-8")
        article = text[text.find("<article"):text.find("</article>")]
        for kind, value in ATTR.findall(article):
            if kind.lower() != "href" or "#" not in value or value.startswith(("#", "mailto:", "tel:")):
                continue
            target = resolve(site, SITE_URL, file, value)
            if target is None or target.suffix != ".html":
                continue
            if target not in ids:
                ids[target] = set(re.findall(r'\sid="([^"]+)"', target.read_text(encoding="utf-8")))
            if unquote(urlsplit(value).fragment) not in ids[target]:
                missing.append(f"{file.relative_to(site)}: {value}")
    return missing


def test_generated_links_and_anchors_resolve(built_site):
    # MkDocs no longer validates the links of generated pages: every internal link goes to a
    # built file and every #anchor to an id on the page it names.
    assert broken_links(built_site, SITE_URL) == []
    assert _anchors_resolve(built_site) == []
    index = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="#missing"' in index or 'href="./#missing"' in index


def test_anchor_check_catches_a_missing_id(built_site, tmp_path):
    import shutil

    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    page = site / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace('id="missing"', 'id="gone"'), encoding="utf-8")
    assert _anchors_resolve(site)


def test_toc_and_title_of_an_html_page(built_site):
    action = (built_site / "actions/a01/index.html").read_text(encoding="utf-8")
    assert "<title>示例：企业开办便利化行动 - " in action
    toc = action[action.find('data-md-component="toc"'):]
    for anchor in ("#任务", "#每月进展", "#2018年8月", "#history"):
        assert f'href="{anchor}"' in toc


@pytest.mark.slow
def test_file_urls_build_links_resolve(tmp_path):
    # use_directory_urls: false writes a01.html instead of a01/: the links follow.
    project = copy_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("use_directory_urls: true",
                                                                 "use_directory_urls: false"), encoding="utf-8")
    result = run_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    action = (site / "actions/a01.html").read_text(encoding="utf-8")
    assert 'href="../units/scj.html"' in action and 'href="../method.html"' in action
    # The theme's own links (overrides/: the search page, 404.html) are folder addresses in
    # either mode, as before pages were HTML.
    assert [b for b in broken_links(site, SITE_URL)
            if not b.startswith("404.html") and not b.rstrip("/").endswith("search")] == []


def test_anchor_ids_as_one_string_answer_as_the_set():
    ids = {"任务", "a-b", "x", "2020年4月"}
    held = html_pages.AnchorIds(ids)
    for anchor in [*ids, "", "y", "任", "a", "x\nа-b", "\n", "2020年4月x"]:
        assert (anchor in held) == (anchor in ids), anchor
    assert sorted(held) == sorted(ids) and len(held) == 4
    empty = html_pages.AnchorIds(set())
    assert "" not in empty and len(empty) == 0 and list(empty) == []
