"""Unit tests of the post-build passes (no MkDocs): CSP and theme markup."""
from __future__ import annotations

from campaign.site import output


def test_policy_hashes_inline_scripts_only():
    page = ('<head><meta http-equiv="Content-Security-Policy" content="__CAMPAIGN_CSP__">'
            '<script>var a=1</script><script src="x.js"></script>'
            '<script id="__config" type="application/json">{"a":1}</script></head>'
            '<body><div style="color: red">x</div></body>')
    filled = output.apply_csp(page)
    assert "__CAMPAIGN_CSP__" not in filled
    assert filled.count("'sha256-") == 2  # one script, one style attribute
    assert "'unsafe-hashes'" in filled and "unsafe-inline" not in filled
    assert "Content-Security-Policy" not in output.apply_csp(page, enforce=False)


def test_theme_markup_made_valid():
    page = ('<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
            '<label class="md-nav__title" for="__toc"><span></span>目录</label>')
    tidy = output.tidy_theme_markup(page)
    assert 'autocomplete' not in tidy and '<div class="md-nav__title"><span></span>目录</div>' in tidy
    with_toc = page + '<input class="md-nav__toggle md-toggle" type="checkbox" id="__toc">'
    assert 'for="__toc"' in output.tidy_theme_markup(with_toc)


def test_wasm_allowed_on_the_search_page_only():
    head = '<head><meta http-equiv="Content-Security-Policy" content="__CAMPAIGN_CSP__"></head>'
    assert "wasm-unsafe-eval" not in output.apply_csp(head + "<body></body>")
    assert "'wasm-unsafe-eval'" in output.apply_csp(head + "<body><form data-site-search></form></body>")
