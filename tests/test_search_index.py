"""The search bundle, fed to Pagefind page by page during the build, finds what `pagefind --site`
over the finished folder finds: the same pages, words and positions; and the same pages in the
same order give the same bytes."""
from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from campaign.site.search_index import SearchIndexError, StreamingIndex


def _cbor(data: bytes, at: int = 0):
    """The few CBOR forms Pagefind writes (integers, strings, arrays, maps)."""
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        value = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        value, at = int.from_bytes(data[at:at + size], "big"), at + size
    else:
        raise AssertionError(f"CBOR form {head:#x} not expected")
    if major == 0:
        return value, at
    if major == 1:
        return -1 - value, at
    if major in (2, 3):
        chunk = data[at:at + value]
        return (chunk.decode("utf-8") if major == 3 else chunk), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = _cbor(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(value):
            key, at = _cbor(data, at)
            mapping[key], at = _cbor(data, at)
        return mapping, at
    raise AssertionError(f"CBOR major type {major} not expected")


def _unpack(path: Path) -> bytes:
    raw = gzip.decompress(path.read_bytes())
    assert raw.startswith(b"pagefind_dcd")
    return raw[len(b"pagefind_dcd"):]


def searchable(bundle: Path) -> dict:
    """What a query can find in a bundle, independent of how Pagefind numbered the pages."""
    (meta_file,) = bundle.glob("*.pf_meta")
    meta, _ = _cbor(_unpack(meta_file))
    urls = [json.loads(_unpack(bundle / "fragment" / f"{fragment}.pf_fragment"))["url"] for fragment, _ in meta[1]]
    words = {}
    for chunk in bundle.glob("index/*.pf_index"):
        entries, _ = _cbor(_unpack(chunk))
        for word, hits, *_ in entries[0]:
            number, found = 0, []
            for hit in hits:  # page numbers are stored as differences
                number += hit[0]
                found.append((urls[number], json.dumps(hit[1:])))
            words[word] = sorted(found)
    fragments = {p.name: p.read_bytes() for p in (bundle / "fragment").iterdir()}
    return {"pages": sorted(zip(urls, (count for _, count in meta[1]))), "words": words, "fragments": fragments}


def test_streamed_bundle_finds_what_the_command_line_finds(built_site: Path, tmp_path: Path):
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy, ignore=shutil.ignore_patterns("pagefind"))
    done = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(copy), "--silent"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    streamed, walked = searchable(built_site / "pagefind"), searchable(copy / "pagefind")
    assert len(streamed["pages"]) > 50
    assert streamed["pages"] == walked["pages"]
    assert streamed["words"] == walked["words"]
    assert streamed["fragments"] == walked["fragments"]


PAGES = [
    ("index.html", '<html lang="zh"><body><h1>专项督查</h1><p>企业开办便利化行动</p></body></html>'),
    ("actions/a01/index.html", '<html lang="zh"><body><h1>行动一</h1><p>压缩企业开办时间</p></body></html>'),
    ("actions/a02/index.html", '<html lang="zh"><body><h1>行动二</h1><p>工程建设项目审批</p></body></html>'),
]


def _bundle(target: Path, pages) -> dict[str, bytes]:
    index = StreamingIndex()
    for path, html in pages:
        index.add(path, html)
    index.write(target)
    return {p.relative_to(target).as_posix(): p.read_bytes() for p in sorted(target.rglob("*")) if p.is_file()}


def test_same_pages_in_the_same_order_give_the_same_bytes(tmp_path: Path):
    first, second = _bundle(tmp_path / "a", PAGES), _bundle(tmp_path / "b", PAGES)
    assert first == second
    assert searchable(tmp_path / "a")["pages"] == searchable(tmp_path / "b")["pages"]
    assert {url for url, _ in searchable(tmp_path / "a")["pages"]} == {"/", "/actions/a01/", "/actions/a02/"}


def test_a_bundle_that_cannot_be_written_is_an_error_in_chinese(tmp_path: Path):
    blocker = tmp_path / "pagefind"
    blocker.write_text("not a folder", encoding="utf-8")
    index = StreamingIndex()
    index.add(*PAGES[0])
    with pytest.raises(SearchIndexError, match="生成搜索索引"):
        index.write(blocker / "inner")
