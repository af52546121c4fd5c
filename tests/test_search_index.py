"""The search bundle, fed to Pagefind page by page during the build, finds what `pagefind --site`
over the finished folder finds: the same pages, words and positions, whether it comes in one
part or several; and the same pages in the same order give the same bytes."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from campaign.site.search_index import SearchIndexError, StreamingIndex, searchable_html, write_parts_list
from support import searchable, searchable_parts


def test_streamed_bundle_finds_what_the_command_line_finds(built_site: Path, tmp_path: Path):
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy, ignore=shutil.ignore_patterns("pagefind"))
    # The one intended difference: over whole pages Pagefind takes the portal logo in the
    # header (党政机关网站标识) for every page's image and indexes its alt text; the build
    # sends it only the head and the searchable element.
    for page in copy.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(re.sub(r'<img src="[^"]*dzjg\.svg"[^>]*>', "", text), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(copy), "--silent"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    streamed, walked = searchable_parts(built_site / "pagefind"), searchable(copy / "pagefind")
    assert len(streamed["pages"]) > 50
    assert streamed["pages"] == walked["pages"]
    assert streamed["words"] == walked["words"]
    assert streamed["fragments"] == walked["fragments"]


PAGES = [
    ("index.html", '<html lang="zh"><body><h1>专项督查</h1><p>企业开办便利化行动</p></body></html>'),
    ("actions/a01/index.html", '<html lang="zh"><body><h1>行动一</h1><p>压缩企业开办时间</p></body></html>'),
    ("actions/a02/index.html", '<html lang="zh"><body><h1>行动二</h1><p>工程建设项目审批</p></body></html>'),
]


def _bundle(target: Path, pages, part_bytes: int = 10_000_000, warm: bool = False) -> dict[str, bytes]:
    index = StreamingIndex(target, part_bytes)
    if warm:
        index.warm("zh")
    for path, html in pages:
        index.add(path, html)
    index.write()
    write_parts_list(target)
    return {p.relative_to(target).as_posix(): p.read_bytes() for p in sorted(target.rglob("*")) if p.is_file()}


def test_same_pages_in_the_same_order_give_the_same_bytes(tmp_path: Path):
    first, second = _bundle(tmp_path / "a", PAGES), _bundle(tmp_path / "b", PAGES)
    assert first == second
    assert searchable(tmp_path / "a")["pages"] == searchable(tmp_path / "b")["pages"]
    assert {url for url, _ in searchable(tmp_path / "a")["pages"]} == {"/", "/actions/a01/", "/actions/a02/"}


def test_a_warmed_service_writes_the_same_bundle(tmp_path: Path):
    # The build starts the first service early with a page of its own in another index,
    # never written: the bundle is the one a cold service writes, byte for byte.
    cold, warm = _bundle(tmp_path / "cold", PAGES, 150), _bundle(tmp_path / "warm", PAGES, 150, warm=True)
    assert cold == warm
    assert any(name.startswith("parts/") for name in warm)  # and later parts start cold
    assert "营商环境专项督查" not in str(searchable_parts(tmp_path / "warm"))


def test_a_bundle_that_cannot_be_written_is_an_error_in_chinese(tmp_path: Path):
    blocker = tmp_path / "pagefind"
    blocker.write_text("not a folder", encoding="utf-8")
    index = StreamingIndex(blocker / "inner")
    index.add(*PAGES[0])
    with pytest.raises(SearchIndexError, match="生成搜索索引"):
        index.write()


def test_parts_find_what_one_index_finds(built_site: Path, tmp_path: Path):
    # The built site's pages, sent once into one index and once into parts of ~100 KB: the
    # parts together hold the same pages, words, positions and fragments; a part other than
    # the first holds only index files (the search page loads Pagefind's scripts once).
    pages = [(p.relative_to(built_site).as_posix(), p.read_text(encoding="utf-8"))
             for p in sorted(built_site.rglob("*.html")) if "pagefind" not in p.parts]
    _bundle(tmp_path / "one", pages)
    _bundle(tmp_path / "parts", pages, part_bytes=100_000)
    listed = json.loads((tmp_path / "parts" / "parts.json").read_text(encoding="utf-8"))
    assert len(listed) >= 5 and listed[0] == "parts/0-2/"
    assert json.loads((tmp_path / "one" / "parts.json").read_text(encoding="utf-8")) == []
    assert searchable_parts(tmp_path / "parts") == searchable(tmp_path / "one")
    second = {p.name for p in (tmp_path / "parts" / "parts" / "0-2").iterdir()}
    assert "pagefind.js" not in second and {"pagefind-entry.json", "index", "fragment"} <= second


def test_pagefind_is_sent_the_head_and_the_searchable_element(built_site: Path):
    page = (built_site / "actions/a01/index.html").read_text(encoding="utf-8")
    sent = searchable_html(page)
    assert len(sent) < len(page) * 0.8
    assert sent.startswith(page[:page.index("</head>")]) and "<div data-pagefind-body" in sent
    assert 'class="md-nav' not in sent  # the theme's navigation stays out
    # A page without the element (the theme's 404) goes whole: Pagefind decides.
    plain = '<html lang="zh"><head><title>t</title></head><body><article><p>x</p></article></body></html>'
    assert searchable_html(plain) == plain


def test_a_service_that_dies_is_an_error_not_a_hang(tmp_path: Path):
    # Pagefind killed mid-build: the pages still to come are not waited for, and write()
    # says in Chinese that the index failed.
    index = StreamingIndex(tmp_path / "pagefind")
    index.add(*PAGES[0])
    index._parts[0]._process.kill()
    done = []

    def rest() -> None:
        for number in range(600):
            index.add(f"p{number}/index.html", PAGES[1][1])
        with pytest.raises(SearchIndexError, match="生成搜索索引"):
            index.write()
        done.append(True)

    worker = threading.Thread(target=rest, daemon=True)
    worker.start()
    worker.join(60)
    assert done == [True]


def test_a_sealed_index_writes_its_last_part_and_a_late_page_starts_another(tmp_path: Path):
    # The build seals the index once every page is read (the last part writes while the
    # templates render); a page sent after that still ends up in the index, in a part of its own.
    target = tmp_path / "pagefind"
    index = StreamingIndex(target)
    for path, html in PAGES[:2]:
        index.add(path, html)
    index.seal()
    index.seal()  # idempotent
    index.add(*PAGES[2])
    index.write()
    write_parts_list(target)
    assert json.loads((target / "parts.json").read_text(encoding="utf-8")) == ["parts/0-2/"]
    assert {url for url, _ in searchable_parts(target)["pages"]} == {"/", "/actions/a01/", "/actions/a02/"}
