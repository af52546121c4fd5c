"""Passes over the built site: a compact search index and the Content-Security-Policy.

Pure functions on bytes and strings, so they are tested without MkDocs; the adapter runs
them in on_post_build over the files MkDocs wrote.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import re

CSP_PLACEHOLDER = "__CAMPAIGN_CSP__"

# --- Search index -------------------------------------------------------------------------

# A zero-width space next to whitespace separates nothing the whitespace does not already
# separate (the search separator is [\s\u200b\-]+), so it can go.
_REDUNDANT_ZWSP = re.compile(r"\u200b+(?=\s)|(?<=\s)\u200b+")


def compact_search_index(raw: bytes) -> bytes:
    """Material writes its index with \\u escapes (6 bytes per Chinese character); the
    same index as plain UTF-8 with no redundant separators is about half the size."""
    data = json.loads(raw)
    for doc in data.get("docs", []):
        for key in ("title", "text"):
            if isinstance(doc.get(key), str):
                doc[key] = _REDUNDANT_ZWSP.sub("", doc[key])
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --- Content-Security-Policy --------------------------------------------------------------

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_INLINE_STYLE = re.compile(r"<style[^>]*>(?P<body>.*?)</style>", re.S | re.I)
# Starts with a literal so the regex engine can skip ahead (this pass runs on every page);
# the attribute must follow whitespace, checked in _style_attrs.
_STYLE_ATTR = re.compile(r"""style=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""")
# Script types the browser does not execute (Material's JSON config) need no hash.
_DATA_TYPE = re.compile(r"""type=["']?(application/(?:ld\+)?json)""", re.I)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def policy_for(page: str) -> str:
    """A policy that admits only this site's own files plus the page's own inline code."""
    scripts = sorted({_sha256(m["body"]) for m in _INLINE_SCRIPT.finditer(page)
                      if "src=" not in m["attrs"] and not _DATA_TYPE.search(m["attrs"])})
    styles = sorted({_sha256(m["body"]) for m in _INLINE_STYLE.finditer(page)})
    attrs = sorted({_sha256(html.unescape(m["dq"] if m["dq"] is not None else m["sq"]))
                    for m in _STYLE_ATTR.finditer(page) if m.start() > 0 and page[m.start() - 1].isspace()})
    style_src = ["'self'", *styles] + (["'unsafe-hashes'", *attrs] if attrs else [])
    return "; ".join([
        "default-src 'self'",
        "script-src " + " ".join(["'self'", *scripts]),
        "style-src " + " ".join(style_src),
        # Material's icons are data: URIs inside its stylesheet.
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def apply_csp(page: str, enforce: bool = True) -> str:
    """Fill the placeholder the theme override left in <head>; pages without it stay as
    they are. enforce=False drops the policy (the preview server injects its own
    live-reload script, which no build-time hash can cover)."""
    if CSP_PLACEHOLDER not in page:
        return page
    if not enforce:
        return re.sub(r'\s*<meta http-equiv="Content-Security-Policy" content="__CAMPAIGN_CSP__">', "", page, count=1)
    # Hash the page as it will be served: the placeholder holds no script or style.
    policy = html.escape(policy_for(page), quote=False).replace('"', "&quot;")
    return page.replace(CSP_PLACEHOLDER, policy, 1)
