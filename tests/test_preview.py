"""The fast preview never serves stale figures.

`./column preview` is `mkdocs serve --dirty` with our hooks: a rebuild renders only the pages
whose inputs changed (hooks/campaign/site/preview.py). Here a preview process rebuilds after
each edit exactly as `mkdocs serve` does (the same config loading, serve URL and build call,
in one process), and after every rebuild the whole served folder must equal, byte for byte
and file for file, a fresh full build of the edited project: the page of the edited file and
every page that shows it indirectly (unit pages, the home page's counts, lists, open data,
.docx bulletins, sitemap), and nothing left behind by a page that no longer exists.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from support import ROOT, copy_project, edit

# One preview process; mirrors mkdocs/commands/serve.py (get_config, on_startup once, the
# serve URL, build(config, serve_url=..., dirty=...)). Reads commands from stdin:
# "rebuild" (a file was saved), "index" (wait for the background search index).
DRIVER = r'''
import sys
from urllib.parse import urlsplit
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.livereload import _serve_url

dirty, site_dir = sys.argv[1] == "dirty", sys.argv[2]

def get_config():
    return load_config(config_file="mkdocs.yml", site_dir=site_dir, strict=False)

config = get_config()
config.plugins.on_startup(command="serve", dirty=dirty)
host, port = config.dev_addr
serve_url = _serve_url(host, port, urlsplit(config.site_url or "/").path)
config.site_url = serve_url
build(config, serve_url=serve_url, dirty=dirty)
from campaign.site import preview
print("done", flush=True)
for line in sys.stdin:
    if line.strip() == "rebuild":
        try:  # as the live-reload server does: report, keep serving the last good site
            config = get_config()
            config.site_url = serve_url
            build(config, serve_url=serve_url, dirty=dirty)
        except (Exception, SystemExit) as error:
            print("rebuild failed:", error, file=sys.stderr, flush=True)
    elif line.strip() == "index":
        print(preview.wait() or "indexed", flush=True)
    print("done", flush=True)
config.plugins.on_shutdown()
'''

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
SEARCH = ("pagefind", ".pagefind-")  # the search index follows in the background


class Preview:
    def __init__(self, project: Path, site: Path):
        self.log = open(project / "preview.log", "w", encoding="utf-8")
        self.process = subprocess.Popen([sys.executable, "-c", DRIVER, "dirty", str(site)], cwd=project, env=ENV,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.project = project
        self._answer()

    def _answer(self) -> str:
        lines = []
        while (line := self.process.stdout.readline()) and line.strip() != "done":
            lines.append(line.strip())
        assert line, "预览进程退出：\n" + (self.project / "preview.log").read_text(encoding="utf-8")[-3000:]
        return "\n".join(lines)

    def send(self, command: str) -> str:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self._answer()

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=120)
        self.log.close()


def fresh_build(project: Path, site: Path) -> None:
    result = subprocess.run([sys.executable, "-c", DRIVER, "clean", str(site)], cwd=project, env=ENV,
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]


def tree(site: Path, search: bool = False) -> dict[str, bytes]:
    files = {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}
    return {name: path.read_bytes() for name, path in sorted(files.items())
            if search or not name.startswith(SEARCH)}


def assert_same_site(served: Path, fresh: Path, search: bool = False) -> None:
    got, want = tree(served, search), tree(fresh, search)
    assert sorted(set(got) - set(want)) == [], "预览里多出的文件（过期）"
    assert sorted(set(want) - set(got)) == [], "预览里缺少的文件"
    stale = [name for name in want if got[name] != want[name]]
    assert stale == [], f"{len(stale)} 个文件与全新构建不同（过期内容）"
    assert folders(served) == folders(fresh), "预览里的目录与全新构建不同（删除的页面留下的空目录）"


def folders(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*")
                  if p.is_dir() and not p.relative_to(site).as_posix().startswith(SEARCH))


def check_after(preview: Preview, project: Path, served: Path, tmp_path: Path, name: str) -> None:
    preview.send("rebuild")
    fresh = tmp_path / f"fresh-{name}"
    fresh_build(project, fresh)
    assert_same_site(served, fresh)


REPORT = "data/reports/2018-08/a12.yml"


def _preview_of_default(tmp_path: Path) -> tuple[Path, Path, "Preview"]:
    """A copy of the default project, previewed into tmp_path/served."""
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    served = tmp_path / "served"
    return project, served, Preview(project, served)


def test_report_edit_refreshes_every_page_that_shows_it(tmp_path: Path):
    project, served, preview = _preview_of_default(tmp_path)
    try:
        before = tree(served)
        # New text on the action page; a task done: the home page's counts, the unit pages,
        # lists and open data change with it.
        edit(project / REPORT, "progress: 示例：", "progress: 预览修改标记。示例：")
        edit(project / REPORT, "{task: a12-t2, percent: 60}", "{task: a12-t2, percent: 100}")
        check_after(preview, project, served, tmp_path, "report")
        after = tree(served)
        changed = [name for name in after if before.get(name) != after[name]]
        assert "actions/a12/index.html" in changed and "index.html" in changed
        assert "预览修改标记" in (served / "actions/a12/index.html").read_text(encoding="utf-8")
        # the rebuild was narrow: most pages were neither rendered nor written again
        assert len(changed) < len(after) / 4, len(changed)
    finally:
        preview.close()


def test_edits_behind_reused_pages_match_a_fresh_build(tmp_path: Path):
    # Between saves the preview takes an action's state and its pages from the previous
    # build when the content of what they show is unchanged (rules/schedule.py,
    # site/pages/base.py): each kind of input they name must refresh them.
    project, served, preview = _preview_of_default(tmp_path)
    try:
        page = served / "actions/a01/index.html"
        # A case's title, listed on its action's page (相关典型案例).
        edit(project / "data/cases/2018/c2018-001.yml", "title: 示例：", "title: 示例：预览修改的")
        check_after(preview, project, served, tmp_path, "case")
        assert "预览修改的政务服务中心" in page.read_text(encoding="utf-8")
        # The action itself: a task renamed (its page and its state's inputs) and its name,
        # also listed in the 政务公开 block of the policies related to it.
        edit(project / "data/actions/a01.yml", "name: 企业登记全程电子化试点", "name: 企业登记全程电子化改革试点")
        edit(project / "data/actions/a01.yml", "name: 示例：企业开办便利化行动", "name: 示例：企业开办便利化专项行动")
        check_after(preview, project, served, tmp_path, "action")
        assert "企业登记全程电子化改革试点" in page.read_text(encoding="utf-8")
        assert "企业开办便利化专项行动" in (served / "policies/zzbf-2018-25/index.html").read_text(encoding="utf-8")
        # A plan measure's 完成日期: a12-t1 counts as done by it, now after its deadline.
        before = (served / "actions/a12/index.html").read_bytes()
        edit(project / "data/plan.yml", "done: 2018-04-20", "done: 2018-05-20")
        check_after(preview, project, served, tmp_path, "plan")
        assert (served / "actions/a12/index.html").read_bytes() != before
    finally:
        preview.close()


def test_a_record_digest_covers_every_field_nested_or_not():
    # What the preview reuses between builds is looked up by these digests (records/digest.py).
    from campaign.records import models as m
    from campaign.records.digest import record_digest

    report = m.Report(action="a01", month="2018-08", submitted="2018-09-05", progress="进展",
                      tasks=[{"task": "a01-t1", "percent": 60}])
    same = m.Report(action="a01", month="2018-08", submitted="2018-09-05", progress="进展",
                    tasks=[{"task": "a01-t1", "percent": 60}])
    assert record_digest(report) == record_digest(same)
    changed = [report.model_copy(update={"progress": "进展。"}), report.model_copy(update={"sample": True}),
               m.Report(action="a01", month="2018-08", submitted="2018-09-05", progress="进展",
                        tasks=[{"task": "a01-t1", "percent": 70}])]
    assert len({record_digest(r) for r in [report, *changed]}) == 4


@pytest.mark.slow
def test_reports_archive_pages_follow_an_edit_at_scale(tmp_path: Path):
    # The long profile: actions with more reports than their page shows, so their archive
    # pages (actions/<id>-reports*) are reused between builds too. An edit of one old
    # report and of the newest must refresh exactly what a fresh build shows.
    import re

    project = tmp_path / "project"
    result = subprocess.run([sys.executable, "benchmarks/generate.py", "--scale", "1", "--profile", "long", "--out",
                             str(project)], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    served = tmp_path / "served"
    preview = Preview(project, served)
    try:
        reports = sorted((project / "data/reports").rglob("a03.yml"))
        assert len(reports) > 12
        for number, report in enumerate((reports[1], reports[-1]), 1):
            text = report.read_text(encoding="utf-8")
            report.write_text(re.sub(r"(?m)^progress: *", f"progress: 存档预览标记{number}。", text, count=1),
                              encoding="utf-8")
            check_after(preview, project, served, tmp_path, f"archive-{number}")
            shown = "".join(p.read_text(encoding="utf-8") for p in served.glob("actions/a03*/index.html"))
            assert f"存档预览标记{number}" in shown
    finally:
        preview.close()


@pytest.mark.slow
def test_every_kind_of_edit_matches_a_fresh_build(tmp_path: Path):
    project, served, preview = _preview_of_default(tmp_path)
    try:
        original_report = (project / REPORT).read_text(encoding="utf-8")
        # A unit's name, shown on its page, on the pages of its actions, lists and open data.
        edit(project / "data/units.yml", "name: 紫阳县发展和改革局", "name: 紫阳县发展和改革委员会")
        check_after(preview, project, served, tmp_path, "unit")
        # A hand-written page: its title is also shown on the page of the document it
        # interprets and in the policy lists.
        edit(project / "content/policies/zzbf-2018-25-jd.md", "title: 示例：《", "title: 示例：预览修改的《")
        (project / "content/assets/preview-note.txt").write_text("附件\n", encoding="utf-8")
        check_after(preview, project, served, tmp_path, "handwritten")
        # The data date (数据截至) on every page, the statuses computed as of it.
        edit(project / "data/site.yml", "as_of: 2018-09-30", "as_of: 2018-10-31")
        check_after(preview, project, served, tmp_path, "as-of")
        # A report removed: its figures leave every page, and no page of it may stay behind.
        (project / REPORT).unlink()
        (project / "content/assets/preview-note.txt").unlink()
        check_after(preview, project, served, tmp_path, "removed")
        # Back to the first state: pages rendered earlier in the session must not come back
        # from memory when their inputs only look like an earlier build's.
        edit(project / "data/site.yml", "as_of: 2018-10-31", "as_of: 2018-09-30")
        (project / REPORT).write_text(original_report, encoding="utf-8")
        check_after(preview, project, served, tmp_path, "restored")
        # Search follows in the background; once done it is the fresh build's index.
        assert preview.send("index") == "indexed"
        assert (served / "pagefind" / "pagefind.js").is_file()
        assert_same_site(served, tmp_path / "fresh-restored", search=True)
    finally:
        preview.close()


def test_a_refused_edit_then_its_fix(tmp_path: Path):
    project, served, preview = _preview_of_default(tmp_path)
    try:
        text = (project / REPORT).read_text(encoding="utf-8")
        (project / REPORT).write_text(text.replace("month: 2018-08", "month: 2018-13"), encoding="utf-8")
        preview.send("rebuild")  # the check refuses it: nothing is written, the old site stays
        (project / REPORT).write_text(text.replace("progress: 示例：", "progress: 改好了。示例："), encoding="utf-8")
        check_after(preview, project, served, tmp_path, "fixed")
    finally:
        preview.close()


def test_a_build_that_failed_after_writing_is_forgotten(tmp_path: Path):
    # A build that fails halfway may have written pages from inputs the next build does
    # not have: after it, every page is rendered again. A finished build is remembered.
    from campaign.site import preview

    page = tmp_path / "site" / "a" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("旧", encoding="utf-8")
    site = str(tmp_path / "site")
    first = preview.Plan(site, "站点", [str(page)])
    assert first.page(str(page), ("输入",))
    first.finish([str(page)])
    assert not preview.Plan(site, "站点", [str(page)]).page(str(page), ("输入",))  # unchanged: skipped
    preview.abandon()  # ... and that build failed after it started writing
    assert preview.Plan(site, "站点", [str(page)]).page(str(page), ("输入",))
    preview.abandon()
    # A page no longer produced is deleted with its folder.
    again = preview.Plan(site, "站点", [str(page)])
    again.page(str(page), ("输入",))
    again.finish([str(page)])
    assert preview.Plan(site, "站点", []).finish([]) == [str(page)]
    assert not page.parent.exists() and (tmp_path / "site").is_dir()
