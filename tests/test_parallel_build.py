"""Pages rendered by a forked worker (COLUMN_WORKERS=2; the default with four cores or more): the
same pages as one process and a search index that finds the same; its warnings and errors count."""
from __future__ import annotations

import os
import re
from pathlib import Path

from support import copy_project, edit, run_build, searchable, searchable_parts

TWO = {"COLUMN_WORKERS": "2"}
ONE = {"COLUMN_WORKERS": "1"}

PROBE_WARNS = '''
import logging, os
log = logging.getLogger("mkdocs.hooks.probe")

def on_post_page(output, page, config):
    if output.strip():  # a page the parent leaves to the worker reaches it blank
        log.warning("探针：%s 由进程 %d 生成", page.file.src_uri, os.getpid())
    return output
'''

PROBE_RECORDS = '''
import os

def on_post_page(output, page, config):
    if output.strip():  # which process wrote which page; the site itself is unchanged
        with open(os.environ["PROBE_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()} {page.file.src_uri}\\n")
    return output
'''

PROBE_FAILS = '''
import os
PARENT = []

def on_config(config):
    PARENT.append(os.getpid())

def on_post_page(output, page, config):
    if os.getpid() != PARENT[0]:
        raise RuntimeError(f"探针故障：{page.file.src_uri}")
    return output
'''


def _with_probe(project: Path, source: str) -> Path:
    (project / "hooks" / "probe.py").write_text(source, encoding="utf-8")
    edit(project / "mkdocs.yml", "  - hooks/column.py\n", "  - hooks/column.py\n  - hooks/probe.py\n")
    return project


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_parallel_build_equals_one_process_build(built_site, tmp_path):
    # This build hands every second page to a worker; the other is made in one process.
    (tmp_path / "two").mkdir()
    (tmp_path / "one").mkdir()
    project = _with_probe(copy_project(tmp_path / "two"), PROBE_RECORDS)
    probe_log = tmp_path / "probe.log"
    result = run_build(project, env={**TWO, "PROBE_LOG": str(probe_log)})
    assert result.returncode == 0, result.stdout + result.stderr
    written = [line.split(" ", 1) for line in probe_log.read_text(encoding="utf-8").splitlines()]
    pages = [page for _, page in written]
    assert len(pages) == len(set(pages)) > 10  # every page written once
    assert len({pid for pid, _ in written}) == 2  # by the parent and by the worker
    alone = copy_project(tmp_path / "one")
    result = run_build(alone, env=ONE)
    assert result.returncode == 0, result.stdout + result.stderr
    parallel, single = _files(project / "site"), _files(alone / "site")
    assert sorted(n for n in parallel if not n.startswith("pagefind/")) == sorted(n for n in single if not n.startswith("pagefind/"))
    differing = [name for name in single if not name.startswith("pagefind/") and parallel[name] != single[name]]
    assert not differing, differing[:10]
    # The search index: every page went to Pagefind as MkDocs read it, before the fork, so
    # the bundle is one process's, byte for byte.
    assert (project / "site/pagefind/parts.json").read_text(encoding="utf-8") == "[]"
    assert parallel == single
    assert searchable_parts(project / "site/pagefind") == searchable(alone / "site/pagefind")
    # One process gives the same bytes, search index and all, build after build.
    assert _files(built_site) == single or os.cpu_count() >= 4  # (the default is two processes there)


def test_warning_in_a_worker_page_fails_strict_build(tmp_path):
    project = _with_probe(copy_project(tmp_path), PROBE_WARNS)
    result = run_build(project, env=TWO)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    warned = re.findall(r"WARNING\s+-\s+探针：(\S+) 由进程 (\d+) 生成", output)
    pages = [page for page, _ in warned]
    assert len(pages) == len(set(pages)) > 10, output[-2000:]  # each page once: none lost, none twice
    assert len({pid for _, pid in warned}) == 2, warned[:4]  # the parent's pages and the worker's
    assert f"Aborted with {len(warned)} warnings in strict mode!" in output
    assert not (project / "site").exists()  # a failed build leaves no site


def test_error_in_a_worker_page_fails_the_build_with_its_message(tmp_path):
    project = _with_probe(copy_project(tmp_path), PROBE_FAILS)
    result = run_build(project, env=TWO)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "并行生成页面的子进程出错：探针故障：" in output, output[-2000:]
    assert "Aborted with a BuildError!" in output
    assert not (project / "site").exists()
    assert not list(tmp_path.glob(".building-*"))  # the half-written folder is removed


PROBE_SLOW_MARKDOWN = '''
import os, time
BUILD = []

def on_config(config):
    BUILD.append(os.getpid())
    with open(os.environ["PROBE_LOG"], "a", encoding="utf-8") as log:
        log.write(f"build {os.getpid()}\\n")

def on_page_markdown(markdown, page, config, files):
    if not page.file.src_uri.startswith("policies/"):
        return markdown
    # Hand-written pages: the build is slow on them, so the child converting pages ahead
    # (from the last) finishes some before the build comes to them.
    with open(os.environ["PROBE_LOG"], "a", encoding="utf-8") as log:
        log.write(f"markdown {os.getpid()} {page.file.src_uri}\\n")
    if os.getpid() == BUILD[0]:
        time.sleep(0.3)
    if os.environ.get("PROBE_MARK"):  # each process's Markdown differs
        return markdown + f"\\n\\n<p>进程 {os.getpid()}</p>\\n"
    return markdown
'''


def _pids(probe_log: Path) -> tuple[str, set[str]]:
    lines = [line.split() for line in probe_log.read_text(encoding="utf-8").splitlines()]
    build = next(pid for kind, pid, *_ in lines if kind == "build")
    return build, {pid for kind, pid, *_ in lines if kind == "markdown"} - {build}


def test_a_page_converted_ahead_is_taken_only_from_the_markdown_mkdocs_holds(tmp_path):
    # Each process's Markdown of a policy page differs (its pid): the build must convert
    # every one itself, whatever the child converted ahead.
    project = _with_probe(copy_project(tmp_path), PROBE_SLOW_MARKDOWN)
    probe_log = tmp_path / "probe.log"
    result = run_build(project, env={**TWO, "PROBE_LOG": str(probe_log), "PROBE_MARK": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    build, children = _pids(probe_log)
    assert children, "no page was converted ahead"
    policies = sorted((project / "site/policies").glob("*/index.html"))
    assert len(policies) >= 3
    for page in policies:
        shown = re.findall(r"<p>进程 (\d+)</p>", page.read_text(encoding="utf-8"))
        assert shown == [build], (page, shown)


def test_a_warning_of_a_page_converted_ahead_is_the_builds_once(tmp_path):
    project = _with_probe(copy_project(tmp_path), PROBE_SLOW_MARKDOWN)
    # The last hand-written page (the child's first): a link to a download (made apart, taken
    # before any page is read) and one to nothing.
    policy = sorted((project / "content/policies").glob("*.md"))[-1]
    policy.write_text(policy.read_text(encoding="utf-8")
                      + "\n\n见[清单](../opendata/manifest.json)和[附件](../opendata/nonexistent.csv)。\n",
                      encoding="utf-8")
    probe_log = tmp_path / "probe.log"
    result = run_build(project, env={**TWO, "PROBE_LOG": str(probe_log)})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert _pids(probe_log)[1], "no page was converted ahead"
    assert output.count("contains a link '../opendata/nonexistent.csv'") == 1, output[-2000:]
    assert "manifest.json'" not in output
    assert "Aborted with 1 warnings in strict mode!" in output


def test_links_to_anchors_of_generated_pages_are_checked(tmp_path):
    # A generated page keeps its ids as one string (html_pages.AnchorIds): MkDocs still
    # finds a present anchor and warns about a missing one.
    project = copy_project(tmp_path)
    policy = sorted((project / "content/policies").glob("*.md"))[-1]
    policy.write_text(policy.read_text(encoding="utf-8")
                      + "\n\n见[任务](../actions/a01.md#任务)和[无此处](../actions/a01.md#没有这个锚点)。\n",
                      encoding="utf-8")
    result = run_build(project, env=TWO)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "does not contain an anchor '#没有这个锚点'" in output, output[-2000:]
    assert "#任务'" not in output
    assert "Aborted with 1 warnings in strict mode!" in output
