"""Golden output (after Pelican's functional tests): everything the core generates for the
bundled project — every page's content (HTML; Markdown for the editors' guide), the open data, the Word documents, the feeds and calendars — compared
byte for byte with tests/golden/.

A change that alters output fails here with the files that differ. When the change is
intended, regenerate and review the diff like code:

    UPDATE_GOLDEN=1 python3 -m pytest tests/test_golden.py
    git diff --stat tests/golden/

No MkDocs build: the core's own outputs, so this runs in seconds. What MkDocs and the theme
add (HTML, search index) is covered by the whole-site build tests.
"""
from __future__ import annotations

import os
import shutil

import pytest

from campaign.check import check_project
from campaign.editors import guide_pages
from campaign.exports import feeds, opendata
from campaign.site import documents, pages
from support import ROOT

GOLDEN = ROOT / "tests" / "golden" / "default"
SITE_URL = "http://www.zyx.gov.cn/zt/yshj/"
VERSION = "golden"  # the manifest's version field: a build outside git says so too


def generated() -> dict[str, bytes]:
    dataset = check_project(ROOT).raise_for_errors()
    out: dict[str, bytes] = {}
    for page in pages.build_all(dataset) + guide_pages.build(dataset):
        out[f"pages/{page.src_uri}"] = page.content.encode("utf-8")
    docs = documents.document_files(dataset)
    for path, content in {**docs, **opendata.download_files(dataset, VERSION, documents=docs)}.items():
        out[f"files/{path}"] = content
    for path, content in feeds.feed_files(dataset, SITE_URL).items():
        out[f"files/{path}"] = content
    return out


def test_generated_output_matches_golden():
    produced = generated()
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, content in produced.items():
            target = GOLDEN / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        pytest.skip(f"tests/golden/ rewritten ({len(produced)} files): review `git diff tests/golden/`")
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in GOLDEN.rglob("*") if p.is_file()}
    assert expected, "tests/golden/ is empty: run UPDATE_GOLDEN=1 python3 -m pytest tests/test_golden.py"
    missing = sorted(set(expected) - set(produced))
    extra = sorted(set(produced) - set(expected))
    changed = sorted(p for p in set(expected) & set(produced) if expected[p] != produced[p])
    assert not (missing or extra or changed), (
        f"generated output differs from tests/golden/: missing {missing[:10]}, new {extra[:10]}, "
        f"changed {changed[:10]} — if intended, UPDATE_GOLDEN=1 python3 -m pytest tests/test_golden.py")


def test_generation_is_deterministic():
    assert generated() == generated()
