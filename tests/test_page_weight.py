"""Page weight stays bounded as the data grows (issue 8), and nothing becomes unreachable.

Builds a ×5 generated project (benchmarks/generate.py: five counties' worth of actions,
units, reports, cases and policies) and compares it with the default (×1) site. Sizes,
not timings: the largest HTML page may grow by at most 20 %, because every list that grows
with the data is paginated or shown as a bounded excerpt with a link to its full list.
"""
from __future__ import annotations

import posixpath
import re
import subprocess
import sys
from collections import deque
from pathlib import Path

import pytest

from support import ROOT, run_build

from campaign.check import load

# Whole builds at scale or twice over: run by CI's second step (`pytest -m slow`).
pytestmark = pytest.mark.slow


SCALE = 5
HREF = re.compile(r'href="([^"#?]*)[^"]*"')


@pytest.fixture(scope="module")
def scaled(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("scaled") / f"x{SCALE}"
    gen = subprocess.run([sys.executable, "benchmarks/generate.py", "--scale", str(SCALE), "--out", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert gen.returncode == 0, gen.stdout + gen.stderr
    result = run_build(out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def _largest(site: Path) -> tuple[int, str]:
    return max((p.stat().st_size, str(p.relative_to(site))) for p in site.rglob("*.html"))


def test_largest_page_does_not_grow_with_the_data(scaled: Path, built_site: Path):
    base_size, base_page = _largest(built_site)
    size, page = _largest(scaled / "site")
    # The dashboard's capped lists (10 rows a status) are not full at ×1, so the largest page
    # grows a little until they are, then stops: ×5 the data, at most 1.5 × the page (the
    # absolute 60 KB bound is the next test; the time axis is tests/test_page_weight_time.py).
    assert size <= 1.5 * base_size, f"×{SCALE}: {page} {size} B > 1.5 × ×1 largest ({base_page} {base_size} B)"


def test_no_page_grows_past_60_kb(scaled: Path, built_site: Path):
    """Each page stays under 60 KB, or (a page already that large at ×1) within 20 % of its ×1 size."""
    site = scaled / "site"
    too_big = []
    for path in site.rglob("*.html"):
        rel = path.relative_to(site)
        base = built_site / rel
        limit = max(60_000, 1.2 * base.stat().st_size) if base.is_file() else 60_000
        if path.stat().st_size > limit:
            too_big.append((str(rel), path.stat().st_size))
    assert not too_big, too_big


def _reachable(site: Path) -> set[str]:
    """Site-relative paths of the HTML pages reachable by links from index.html."""
    seen = {"index.html"}
    queue = deque(seen)
    while queue:
        here = queue.popleft()
        text = (site / here).read_text(encoding="utf-8")
        for target in HREF.findall(text):
            if not target or "://" in target or target.startswith(("mailto:", "tel:", "/")):
                continue
            path = posixpath.normpath(posixpath.join(posixpath.dirname(here), target))
            if target.endswith("/") or path == ".":
                path = posixpath.join(path, "index.html") if path != "." else "index.html"
            if path.endswith(".html") and path not in seen and (site / path).is_file():
                seen.add(path)
                queue.append(path)
    return seen


def _page(src_uri: str) -> str:
    return src_uri.removesuffix(".md") + "/index.html"


def test_every_record_is_reachable_from_the_home_page(scaled: Path):
    d = load(scaled / "data", scaled / "content")
    assert len(d.action_list) > 50  # enough that the actions index really paginates
    expected = {_page(f"actions/{a}.md") for a in d.actions}
    expected |= {_page(f"units/{u.id}.md") for u in d.unit_list}
    expected |= {_page(f"cases/{c.id}.md") for c in d.cases}
    expected |= {_page(p.src_uri) for p in d.policies}
    missing = sorted(expected - _reachable(scaled / "site"))
    assert not missing, f"{len(missing)} record pages unreachable, e.g. {missing[:5]}"


def test_mkdocs_chrome_does_not_grow(scaled: Path, built_site: Path):
    """Nav (index pages only) and page chrome stay the same: 404.html is chrome and nothing else."""
    assert (scaled / "site/404.html").stat().st_size <= 1.05 * (built_site / "404.html").stat().st_size
