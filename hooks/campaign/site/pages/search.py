"""The column's search page and the small exact-lookup table behind it.

Full-text search is Pagefind (run over the built site by the adapter): a chunked static
index, so a visitor downloads only the parts a query needs, however large the site grows.
Document numbers are looked up exactly, before the full text: a 文号 in any usual writing
(紫政办发〔2018〕25号, 紫政办发[2018]25号, 2018年25号, 25号) or an 索引号 leads straight to
its document. content/assets/search.js does both in the browser.
"""
from __future__ import annotations

import json

from campaign.records.loading import Dataset
from campaign.site.pages.base import GeneratedPage

SRC = "search.md"
DIRECT = "search/direct.json"

PAGE = """---
title: 搜索
search_exclude: true
---

<form class="site-search" role="search" action="./" method="get" data-site-search>
<label class="site-search__label" for="site-search-q">搜索本专栏（文号、索引号、单位、关键词）</label>
<div class="site-search__row">
<input class="site-search__input" id="site-search-q" name="q" type="search" autocomplete="off">
<button class="site-search__button" type="submit">搜索</button>
</div>
</form>

<p class="site-search__status" role="status" aria-live="polite" data-site-search-status></p>
<ol class="site-search__results" data-site-search-results></ol>

<noscript><p>搜索需要启用浏览器的 JavaScript。也可以从左侧栏目目录浏览全部内容。</p></noscript>
"""


def build(d: Dataset) -> list[GeneratedPage]:
    return [GeneratedPage(SRC, PAGE, html=True)]  # already HTML: no Markdown pass


def _url(src_uri: str) -> str:
    return src_uri[: -len(".md")] + "/"


def direct_index(d: Dataset) -> str:
    """Documents by 文号 and 索引号: [[文号, 索引号, title, url relative to the site root]]."""
    rows = [[p.doc.doc_no, p.doc.index_no, p.doc.title, _url(p.src_uri)] for p in d.policies]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
