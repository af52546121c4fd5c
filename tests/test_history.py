"""变更记录 and the build version come from git; without git the site says so and still builds."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from campaign.exports import history
from support import commit_all, copy_project, git, run_build

REPORT = "data/reports/2018-08/a01.yml"
ACTION = "data/actions/a01.yml"


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A project in its own git repository with three commits touching a01's data."""
    project = copy_project(tmp_path_factory.mktemp("repo"))
    (project / ".gitignore").write_text("site/\n__pycache__/\n", encoding="utf-8")
    git(project, "init", "-q", "-b", "main")
    hashes = {"initial": commit_all(project, "初始数据", "2018-09-01T10:00:00+08:00")}
    # a01-t2 moves on in the August report, published a few days later.
    report = project / REPORT
    old_line = next(line for line in report.read_text(encoding="utf-8").splitlines() if "a01-t2" in line)
    old_percent = re.search(r"percent: (\d+)", old_line).group(1)
    replace(report, old_line, old_line.replace(f"percent: {old_percent}", "percent: 100"))
    hashes["percent"] = commit_all(project, "a01 八月进度更正", "2018-09-05T09:30:00+08:00")
    hashes["old_percent"] = old_percent
    replace(project / ACTION, "deadline: 2018-12-31", "deadline: 2019年1月底前")
    hashes["deadline"] = commit_all(project, "a01-t3 时限调整", "2018-09-06T23:30:00+08:00")
    return project, hashes


def test_history_records_percent_status_and_deadline_changes(repo):
    project, hashes = repo
    hist = history.task_history(history.subprocess_runner(project))
    assert hist.available, hist.reason
    changes = hist.for_action("a01")
    # Newest first; each names its commit and the commit's date in China time.
    assert [c.commit for c in changes[:2]] == [hashes["deadline"], hashes["percent"]]
    deadline, percent = changes[0], changes[1]
    assert deadline.task == "a01-t3" and "2019年1月底前" in deadline.what and str(deadline.day) == "2018-09-06"
    assert percent.task == "a01-t2" and str(percent.day) == "2018-09-05"
    assert f"进度 {hashes['old_percent']}% → 100%" in percent.what and "状态变为已完成" in percent.what
    assert hist.for_task("a01-t2")[0] == percent
    assert all(c.commit != hashes["initial"] or c.what.startswith("首次报送") for c in changes)
    assert not any(c.action == "a02" and c.commit != hashes["initial"] for c in hist.for_action("a02"))


def test_action_page_shows_history_and_footer_shows_version(repo):
    project, hashes = repo
    result = run_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (project / "site" / "actions" / "a01" / "index.html").read_text(encoding="utf-8")
    section = page.split('id="history"', 1)[1]
    assert hashes["percent"] in section and "2018年9月5日" in section
    assert f"进度 {hashes['old_percent']}% → 100%" in section
    assert "变更记录不可用" not in page
    assert f"版本 {hashes['deadline']}</p>" in page  # clean tree: no 含未提交的修改
    assert "数据截至 2018年9月30日" in page.split("md-build-info", 1)[1]


def test_uncommitted_changes_are_flagged(repo, tmp_path):
    project, hashes = repo
    run = history.subprocess_runner(project)
    path = project / REPORT
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original + "\n", encoding="utf-8")
        assert history.version(run).label == f"版本 {hashes['deadline']}（含未提交的修改）"
    finally:
        path.write_text(original, encoding="utf-8")
    assert history.version(run).label == f"版本 {hashes['deadline']}"


def test_shallow_clone_says_history_unavailable(repo, tmp_path):
    project, _ = repo
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", project.as_uri(), str(clone))
    hist = history.task_history(history.subprocess_runner(clone))
    assert not hist.available and "浅克隆" in hist.reason
    assert history.version(history.subprocess_runner(clone)).commit is not None


def test_no_git_at_all():
    def missing(args, stdin=None):
        return None

    assert history.version(missing).label == "版本未知"
    hist = history.task_history(missing)
    assert not hist.available and "不是 git 仓库" in hist.reason


def test_export_without_git_builds_and_says_so(built_site: Path):
    page = (built_site / "actions" / "a01" / "index.html").read_text(encoding="utf-8")
    assert "变更记录" in page and "变更记录不可用" in page
    for html in built_site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        info = re.search(r'<p class="md-build-info">(.*?)</p>', text)
        assert info, html
        assert info.group(1) == "数据截至 2018年9月30日 · 版本未知", html


def test_merged_changes_are_attributed_to_the_merge(tmp_path):
    """Editors work on branches; the main line's merge commit is when a figure went public."""
    (tmp_path / "data" / "actions").mkdir(parents=True)
    (tmp_path / "data" / "reports" / "2018-08").mkdir(parents=True)
    (tmp_path / "data" / "actions" / "a01.yml").write_text(
        "id: a01\ntasks:\n  - {id: a01-t1, name: 任务一, deadline: 2018-06-30}\n", encoding="utf-8")
    report = tmp_path / "data" / "reports" / "2018-08" / "a01.yml"
    report.write_text("action: a01\nmonth: 2018-08\ntasks:\n  - {task: a01-t1, percent: 50}\n", encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    commit_all(tmp_path, "初始", "2018-09-01T10:00:00+08:00")
    git(tmp_path, "checkout", "-q", "-b", "report")
    report.write_text(report.read_text(encoding="utf-8").replace("50", "80"), encoding="utf-8")
    commit_all(tmp_path, "进度", "2018-09-02T10:00:00+08:00")
    git(tmp_path, "checkout", "-q", "main")
    git(tmp_path, "merge", "-q", "--no-ff", "-m", "合并", "report", when="2018-09-04T10:00:00+08:00")
    merge = git(tmp_path, "rev-parse", "HEAD")[:7]
    changes = history.task_history(history.subprocess_runner(tmp_path)).for_task("a01-t1")
    assert [(c.commit, str(c.day), c.what) for c in changes[:1]] == [(merge, "2018-09-04", "进度 50% → 80%")]
    assert len(changes) == 2  # the merge and the first report, nothing twice
