"""Same commit + same as_of → byte-identical site/, whatever the folder, clock or locale."""
from __future__ import annotations

import gzip
import io
import re
import time
from pathlib import Path

from conftest import copy_project, run_build
from test_history import commit_all, git


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_checkouts_build_identical_bytes(tmp_path: Path):
    (tmp_path / "origin").mkdir()
    origin = copy_project(tmp_path / "origin")
    # /site/ only: hooks/campaign/site/ is code.
    (origin / ".gitignore").write_text("/site/\n__pycache__/\n", encoding="utf-8")
    git(origin, "init", "-q", "-b", "main")
    short = commit_all(origin, "发布", "2018-10-01T08:00:00+08:00")

    sites = []
    # Different folders, time zones, locales and hash seeds; the clock moves on between
    # the builds. SOURCE_DATE_EPOCH differs too: nothing may depend on it or on the clock.
    for name, env in [
        ("first", {"TZ": "Asia/Shanghai", "LANG": "zh_CN.UTF-8", "PYTHONHASHSEED": "1", "SOURCE_DATE_EPOCH": "1538352000"}),
        ("second-checkout", {"TZ": "America/Los_Angeles", "LANG": "C.UTF-8", "PYTHONHASHSEED": "2"}),
    ]:
        checkout = tmp_path / name
        git(tmp_path, "clone", "-q", str(origin), str(checkout))
        result = run_build(checkout, env=env)
        assert result.returncode == 0, result.stdout + result.stderr
        sites.append(checkout / "site")
        time.sleep(1.1)  # a later second on the clock for the second build

    first, second = (tree(s) for s in sites)
    assert sorted(first) == sorted(second)
    differing = [path for path in first if first[path] != second[path]]
    assert not differing, differing

    # The folder never leaks into the output, the version is the commit, dates are the data's.
    for path, content in first.items():
        assert str(tmp_path).encode() not in content, path
    index = first["index.html"].decode("utf-8")
    assert f"版本 {short}</p>" in index
    sitemap = first["sitemap.xml"].decode("utf-8")
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) == {"2018-09-30"}
    with gzip.GzipFile(fileobj=io.BytesIO(first["sitemap.xml.gz"])) as gz:
        assert gz.read().decode("utf-8") == sitemap
    mtime = int.from_bytes(first["sitemap.xml.gz"][4:8], "little")
    assert time.strftime("%Y-%m-%d", time.gmtime(mtime)) == "2018-09-30"
