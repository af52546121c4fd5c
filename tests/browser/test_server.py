"""What the portal's nginx serves (deploy/nginx.conf.example, started by conftest.py):
compression, caching of fingerprinted files, security headers, the Chinese 404 page."""
from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest


def fetch(url: str):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    try:
        return urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as error:
        return error


def test_pages_compressed_revalidated_and_with_security_headers(site_url):
    response = fetch(site_url)
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Cache-Control"] == "no-cache"
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_fingerprinted_files_cached_for_a_year(site_url, built_site):
    styles = sorted((built_site / "assets").rglob("*.css"))
    hashed = [p for p in styles if re.search(r"\.[0-9a-f]{8,}(\.min)?\.css$", p.name)]
    assert hashed
    for path in hashed:
        response = fetch(site_url + path.relative_to(built_site).as_posix())
        assert response.status == 200
        assert "immutable" in response.headers["Cache-Control"], path
        assert response.headers["Content-Encoding"] == "gzip"


@pytest.mark.parametrize("path", ["no-such-page/", "actions/a01/no/such/page/", "x.html"])
def test_chinese_404_with_styles_under_any_path(page, site_url, path):
    response = page.goto(site_url + path)
    assert response.status == 404
    assert page.inner_text("h1") == "页面不存在"
    # The stylesheets loaded: the header has the portal's red, the footer its dark grey.
    header = page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
    assert header == "rgb(168, 23, 28)"
    home = page.get_attribute("a:has-text('返回专栏首页')", "href")
    assert home == "/zt/yshj/"
    page.click("a:has-text('典型案例')")
    assert page.url.endswith("/zt/yshj/cases/")
    assert page.inner_text("h1")
