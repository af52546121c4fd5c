"""Portal requirements on the built site: identity footer, meta tags, nothing from
outside, CSP, hostile text as text, sub-path deployment, tap-to-call, the 404 page."""
from __future__ import annotations

import base64
import hashlib
import html
import re
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import pytest
import yaml

from support import check_run, copy_project, run_build
from support import broken_links, pages, references, resolve

SITE_URL = "http://www.zyx.gov.cn/zt/yshj/"


def site_yml(project: Path) -> dict:
    return yaml.safe_load((project / "data" / "site.yml").read_text(encoding="utf-8"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- Identity footer and meta tags ------------------------------------------------------


def test_every_page_carries_the_identity_footer(built_site):
    for page in pages(built_site):
        text = page.read_text(encoding="utf-8")
        for fact in ["主办单位：紫阳县人民政府办公室", "承办单位：紫阳县信息中心", "联系电话：0915-0000000",
                     "网站标识码：6109240001"]:
            assert fact in text, (page, fact)
        assert '<a href="https://beian.miit.gov.cn/">陕ICP备00000000号-1</a>' in text, page
        assert ('<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=61092402000001">'
                "陕公网安备61092402000001号</a>") in text, page
        mark = re.search(r'<a class="portal-identity__mark" href="([^"]+)"[^>]*>\s*<img src="([^"]+)" alt="党政机关网站标识"',
                         text)
        assert mark, page
        assert not mark.group(2).startswith(("http:", "https:", "//")), page
        # identity_sample: true in the default data: readers are told the numbers are examples.
        assert "均为示例" in text, page
    assert (built_site / "assets" / "images" / "dzjg.svg").exists()


def _meta(text: str) -> dict[str, str]:
    return {m[0]: html.unescape(m[1]) for m in re.findall(r'<meta name="([A-Za-z]+)" content="([^"]*)">', text)}


def test_government_meta_tags(built_site):
    for page in pages(built_site):
        meta = _meta(page.read_text(encoding="utf-8"))
        assert meta["SiteName"] == "紫阳县人民政府", page
        assert meta["SiteDomain"] == "www.zyx.gov.cn"
        assert meta["SiteIDCode"] == "6109240001"
        assert meta["ColumnName"] and meta["ColumnDescription"] and meta["ColumnType"] == "专题专栏"
        assert "营商环境" in meta["ColumnKeywords"].split(",")
    case = _meta((built_site / "cases/c2018-002/index.html").read_text(encoding="utf-8"))
    assert case["ArticleTitle"] and case["ContentSource"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", case["PubDate"]), case["PubDate"]
    assert case["PubDate"].startswith("2018-07-20")
    assert case["Url"] == SITE_URL + "cases/c2018-002/"
    policy = _meta((built_site / "policies/zzbf-2018-25/index.html").read_text(encoding="utf-8"))
    assert policy["PubDate"] == "2018-03-26 00:00" and policy["ContentSource"] == "紫阳县人民政府办公室"
    action = _meta((built_site / "actions/a01/index.html").read_text(encoding="utf-8"))
    assert action["PubDate"] == "2018-09-03 00:00"  # its newest monthly report (data/reports/2018-08/a01.yml)
    index = _meta((built_site / "cases/index.html").read_text(encoding="utf-8"))
    assert "ArticleTitle" not in index  # index pages are columns, not articles
    week = _meta((built_site / "publicity/2018/index.html").read_text(encoding="utf-8"))
    assert week["PubDate"] == "2018-04-13 00:00" and week["ArticleTitle"]
    bulletin = _meta((built_site / "bulletins/2018-08/index.html").read_text(encoding="utf-8"))
    assert bulletin["ArticleTitle"].startswith("2018年8月专项行动进展通报") and bulletin["ContentSource"]
    cleanup = _meta((built_site / "cleanup/index.html").read_text(encoding="utf-8"))
    assert cleanup["ArticleTitle"] == "规范性文件清理结果" and cleanup["Description"].startswith("清理规范性文件")


@pytest.mark.parametrize("field, value, words", [
    ("site_id_code", '"6209240001"', "61 开头"),
    ("site_id_code", '"61092400"', "网站标识码"),
    ("icp_number", "陕ICP备号", "ICP备案号"),
    ("police_number", "陕公网安备6109240200000号", "公安机关备案号"),
    ("police_number", "陕公网安备51092402000001号", "本省代码"),
    ("contact_phone", '""', "联系电话"),
    ("sponsor", '""', "主办单位"),
])
def test_malformed_identity_fails_with_chinese_message(tmp_path, field, value, words):
    from campaign.check import load
    from campaign.records.problems import DataError

    project = copy_project(tmp_path)
    path = project / "data" / "site.yml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(rf"^{field}: .*$", f"{field}: {value}", text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(project / "data", project / "content")
    message = str(caught.value)
    assert "data/site.yml" in message and words in message, message


def test_outbound_link_outside_allowlist_is_refused(tmp_path):
    from campaign.check import load
    from campaign.records.problems import DataError

    project = copy_project(tmp_path)
    edit(project / "data" / "site.yml", "service_hotline_url: http://www.zyx.gov.cn/zmhd/12345/",
         "service_hotline_url: https://example.com/12345")
    with pytest.raises(DataError) as caught:
        load(project / "data", project / "content")
    assert "example.com" in str(caught.value) and "outbound_allowlist" in str(caught.value)


# --- Nothing from outside; CSP -----------------------------------------------------------


def test_every_resource_is_on_the_site(built_site):
    allow = set(site_yml(Path(__file__).resolve().parent.parent)["outbound_allowlist"])
    for file in sorted(list(built_site.rglob("*.html")) + list(built_site.rglob("*.css"))):
        text = file.read_text(encoding="utf-8")
        anchors = set(re.findall(r'<a\s[^>]*href="([^"]+)"', text))
        for kind, value in references(built_site, file):
            if value.startswith(("data:", "#", "mailto:", "tel:")) or not value:
                continue
            if resolve(built_site, SITE_URL, file, value) is not None:
                continue
            # Leaves the site: only an ordinary <a> link to an allowed host, or the canonical URL.
            assert kind == "href" and value in anchors, (file, kind, value)
            assert urlsplit(value).hostname in allow, (file, value)
        assert "@import url(http" not in text and "fonts.googleapis" not in text
        assert not re.search(r"<(iframe|embed|object)\b", text), file


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_csp_meta_on_every_page_with_hashes_of_its_inline_scripts(built_site):
    for page in pages(built_site):
        text = page.read_text(encoding="utf-8")
        assert "__CAMPAIGN_CSP__" not in text, page
        found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', text)
        assert found, page
        policy = html.unescape(found.group(1))
        assert "default-src 'self'" in policy and "object-src 'none'" in policy
        assert "unsafe-inline" not in policy and "'unsafe-eval'" not in policy and "http" not in policy
        # WebAssembly (Pagefind) only where the search runs.
        assert ("'wasm-unsafe-eval'" in policy) == (page.parent.name == "search"), page
        # The policy comes before any script in <head>.
        assert text.index("Content-Security-Policy") < text.index("<script")
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", text, flags=re.S):
            if "src=" in attrs or "application/json" in attrs:
                continue
            assert _sha(body) in policy, (page, body[:60])


# --- Hostile text ---------------------------------------------------------------------------

HOSTILE = {
    "title": "<script>alert('t')</script>标题",
    "summary": "<img src=x onerror=alert('s')> [点我](javascript:alert('m')) <a href=\"javascript:alert(1)\">链接</a>",
    "body": "**粗体** <iframe src=//evil.example></iframe> javascript:alert(2)",
    "handling": "[外链](http://evil.example/) <b onclick=alert(3)>b</b>",
}


def _elements(text: str) -> list[tuple[str, dict]]:
    """Every element of a page with its attributes, as a browser's parser sees them."""
    from html.parser import HTMLParser

    found: list[tuple[str, dict]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collect().feed(text)
    return found


def test_hostile_text_in_data_is_refused_and_would_land_as_text(tmp_path):
    project = copy_project(tmp_path)
    path = project / "data" / "cases" / "2018" / "c2018-002.yml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record.update(HOSTILE)
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    # An action name shows up on many pages (index, units, cases, reports).
    action = project / "data" / "actions" / "a01.yml"
    record = yaml.safe_load(action.read_text(encoding="utf-8"))
    record["name"] = "<img src=x onerror=alert('n')>[行动](javascript:alert(4))"
    action.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    # The gate: the pipeline refuses markup in text fields, naming each file and field.
    result = check_run(project)
    assert result.returncode == 1
    for where in ("data/actions/a01.yml", "字段「title」", "字段「summary」", "字段「body」", "字段「handling」"):
        assert where in result.stderr, where
    # Behind the gate, escaping where text lands: the same records, read without the
    # pipeline, render as text on every generated page (no tag, handler or javascript: link).
    from campaign.records.loading import read_dataset
    from campaign.records.problems import Problems
    from campaign.site import pages as site_pages

    dataset = read_dataset(project / "data", project / "content", None, Problems())
    generated = site_pages.build_all(dataset)
    for page in generated:
        # The body as MkDocs' Markdown makes it HTML (front matter titles are escaped by the
        # adapter's on_page_markdown).
        body = page.content.split("\n---\n", 1)[-1] if page.content.startswith("---\n") else page.content
        elements = _elements(markdown.markdown(body, extensions=["tables", "attr_list", "md_in_html", "admonition"]))
        assert not [e for e in elements if e[0] in ("script", "iframe", "b") or (e[0] == "img" and e[1].get("src") == "x")], page
        assert not [e for e in elements if any(k.startswith("on") for k in e[1])], page
        assert not [e for e in elements if any(str(v).strip().lower().startswith("javascript:") for v in e[1].values())], page
        assert not [e for e in elements if "evil.example" in str(e[1].get("href", ""))], page
    case = next(p for p in generated if p.src_uri == "cases/c2018-002.md").content
    assert "&lt;iframe" in case and "&lt;img" in case  # shown as text, not dropped


# --- Sub-path deployment ------------------------------------------------------------------


def test_default_build_has_no_broken_internal_link(built_site):
    assert broken_links(built_site, SITE_URL) == []


def test_other_sub_path_has_no_broken_internal_link(tmp_path):
    project = copy_project(tmp_path)
    other = "https://portal.example.gov.cn/a/b/yshj2018/"
    edit(project / "mkdocs.yml", f"site_url: {SITE_URL}", f"site_url: {other}")
    result = run_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    assert broken_links(site, other) == []
    assert "/a/b/yshj2018/" in (site / "404.html").read_text(encoding="utf-8")
    meta = (site / "cases/c2018-001/index.html").read_text(encoding="utf-8")
    assert f'<meta name="Url" content="{other}cases/c2018-001/">' in meta


def test_link_checker_catches_a_broken_link(built_site, tmp_path):
    import shutil

    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    (site / "plan" / "index.html").unlink()
    assert any("plan/" in b for b in broken_links(site, SITE_URL))


# --- Chinese search -------------------------------------------------------------------------


# --- Contact (issue 15) --------------------------------------------------------------------


def test_hotline_is_tap_to_call_and_contacts_from_site_yml(built_site):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    hotline = (built_site / "hotline/index.html").read_text(encoding="utf-8")
    plan = (built_site / "plan/index.html").read_text(encoding="utf-8")
    for page in (home, hotline, plan):
        # Every 441111 in the text and the footer is inside a tel: link.
        page = page[page.index("<article"):page.index("</article>")] + page[page.index("<footer"):]
        text = re.sub(r'<a class="tel" href="tel:441111">441111</a>', "", page)
        text = re.sub(r"<[^>]+>", " ", text)
        assert "441111" not in re.sub(r"<(script|title|meta)[^>]*>.*?</\1>", "", text, flags=re.S), "plain 441111"
    assert 'href="http://www.zyx.gov.cn/zmhd/"' in hotline
    assert 'href="http://www.zyx.gov.cn/zmhd/12345/"' in hotline
    assert hotline.count("地址为示例") == 2
    assert 'href="tel:12345"' in hotline


def test_404_page_in_chinese_with_absolute_links(built_site):
    page = (built_site / "404.html").read_text(encoding="utf-8")
    assert "<h1>页面不存在</h1>" in page and "404 - Not found" not in page
    assert 'href="/zt/yshj/cases/"' in page and 'href="/zt/yshj/"' in page


def _link_number_every_tag(content: str, number: str, href: str) -> str:
    # The first implementation, which split the page into every tag: the reference the
    # faster walk over the skipped elements' tags must equal.
    token, name_of = re.compile(r"(<[^>]+>)"), re.compile(r"</?([a-zA-Z0-9]+)")
    skip = {"a", "code", "pre", "script", "style", "h1", "title", "textarea", "svg", "button", "label"}
    pattern = re.compile(rf"(?<![0-9]){re.escape(number)}(?![0-9])")
    parts, depth = token.split(content), 0
    for index, part in enumerate(parts):
        if index % 2:
            name = name_of.match(part)
            if name and name.group(1).lower() in skip and not part.endswith("/>"):
                depth = max(depth + (-1 if part.startswith("</") else 1), 0)
        elif depth == 0 and number in part:
            parts[index] = pattern.sub(f'<a class="tel" href="{href}">{number}</a>', part)
    return "".join(parts)


def test_the_hotline_becomes_a_link_exactly_where_it_did():
    from campaign.check import load
    from campaign.site import contact
    from campaign.site.pages import build_all

    root = Path(__file__).resolve().parent.parent
    dataset = load(root / "data", root / "content")
    samples = [page.content for page in build_all(dataset)] + [p.body for p in dataset.policies] + [
        "<p>拨打441111</p><a href='x'>441111</a><code>441111</code><p title='441111'>4411112 或 1441111</p>",
        "<h1>441111</h1><svg><path d='441111'/><text>441111</text></svg>441111<br/>441111",
        "<pre><code>441111</code></pre><CODE>441111</CODE><abbr>441111</abbr><label>441111</label>441111",
        "</a>441111<a>441111</a><!-- 441111 --><p>441111</p><textarea>441111</textarea>",
    ]
    assert sum("441111" in s for s in samples) > 8
    for sample in samples:
        assert contact.link_number(sample, "441111", "tel:0915441111") == \
            _link_number_every_tag(sample, "441111", "tel:0915441111")
