"""Unit tests of the post-build passes (no MkDocs): compact index and CSP."""
from __future__ import annotations

import json

from campaign.site import output


def test_compact_index_is_utf8_and_keeps_meaning():
    stock = json.dumps({"config": {"separator": "[\\s\\u200b\\-]+"},
                        "docs": [{"location": "a/", "title": "营商\u200b环境",
                                  "text": "<p>\u200b明查\u200b暗访\u200b 441111 \u200b慢作为</p>"}]},
                       separators=(",", ":")).encode()
    compact = output.compact_search_index(stock)
    assert b"\\u" not in compact.split(b'"docs"')[1]
    data = json.loads(compact)
    assert data["docs"][0]["text"] == "<p>\u200b明查\u200b暗访 441111 慢作为</p>"
    assert data["config"] == json.loads(stock)["config"]
    assert len(compact) < len(stock)


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
