"""What keeps checks and the change history fast at province scale, held to give the same
answers as the plain way: the page-name check runs a builder only when a hand-written page
lies in its folder; the change history handles each commit once and caches it."""
from __future__ import annotations

from pathlib import Path

from campaign import check
from campaign.check import check_project
from campaign.site import pages
from support import ROOT, copy_project


def test_namespaced_builders_write_only_into_their_folder():
    d = check_project(ROOT).raise_for_errors()
    for builder, places in check.NAMESPACED_BUILDERS.items():
        built = [p.src_uri for p in builder(d)]
        assert built, builder
        assert all(check.in_namespace(src, places) for src in built), \
            (builder, [s for s in built if not check.in_namespace(s, places)])
    assert set(check.NAMESPACED_BUILDERS) <= set(pages.BUILDERS)


def test_namespace_places():
    assert check.in_namespace("index.md", ("index.md", "progress/"))
    assert check.in_namespace("progress/overdue.md", ("index.md", "progress/"))
    assert not check.in_namespace("guide/index.md", ("index.md", "progress/"))


def test_page_name_clash_in_a_namespaced_folder_is_still_found(tmp_path: Path):
    project = copy_project(tmp_path)
    month_page = next(p.src_uri for p in pages.bulletins.build(check_project(project).raise_for_errors()))
    target = project / "content" / month_page
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("# 手写\n", encoding="utf-8")
    errors = check_project(project).errors
    assert any(p.file == f"content/{month_page}" and "同名" in p.message for p in errors)


# --- Change history: each commit once, cached -----------------------------------------------

from campaign.exports import history  # noqa: E402
from support import commit_all, git  # noqa: E402


def _reference_changes(commits, files):
    """The history as computed before it was made incremental: every task of every file
    compared at every commit (quadratic). Kept to prove the walk gives the same changes."""
    reports, actions, before_tasks, before_percent, out = {}, {}, {}, {}, {}
    for sha, day, paths in commits:
        for path in paths:
            data = files[sha].get(path, history.UNREADABLE)
            if data == history.DELETED:
                actions.pop(path, None)
                reports.pop(path, None)
            elif data == history.UNREADABLE:
                continue
            elif path.startswith("data/actions/"):
                actions[path] = {str(t["id"]): (str(data.get("id", "")), str(t.get("name", "")),
                                                history._text(t.get("deadline", "")))
                                 for t in data.get("tasks") or [] if isinstance(t, dict) and t.get("id")}
            else:
                progress = {str(t.get("task")): p for t in data.get("tasks") or []
                            if isinstance(t, dict) and (p := history._percent(t.get("percent"))) is not None}
                reports[path] = (str(data.get("action", "")), history._text(data.get("month", "")), progress)
        now_tasks = {task: value for per_file in actions.values() for task, value in per_file.items()}
        now_percent = {}
        for _, month, progress in sorted(reports.values(), key=lambda r: r[1]):
            now_percent.update(progress)
        for task_id in sorted(set(now_tasks) | set(before_tasks) | set(now_percent) | set(before_percent)):
            action, name, _ = now_tasks.get(task_id) or before_tasks.get(task_id) or ("", task_id, "")
            what = history._describe(task_id, before_tasks, now_tasks, before_percent.get(task_id), now_percent.get(task_id))
            if what and action:
                out.setdefault(action, []).append(history.Change(action, task_id, name, sha[:7], day, what))
        before_tasks, before_percent = now_tasks, now_percent
    return {action: list(reversed(changes)) for action, changes in sorted(out.items())}


def _write(root: Path, path: str, text: str) -> None:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text, encoding="utf-8")


ACTION_A = "id: a01\nname: 行动一\ntasks:\n  - {id: t1, name: 任务一, deadline: 2018-06-30}\n  - {id: t2, name: 任务二, deadline: 2018-09-30}\n"
ACTION_B = "id: a02\nname: 行动二\ntasks:\n  - {id: t3, name: 任务三, deadline: 2018-12-31}\n"


def _report(action: str, month: str, **percents) -> str:
    lines = "".join(f"  - {{task: {t}, percent: {p}}}\n" for t, p in percents.items())
    return f"action: {action}\nmonth: {month}\ntasks:\n{lines}"


def _tricky_repository(root: Path) -> Path:
    """Tasks added, moved and deleted, percents corrected, reports of the same month twice,
    an unreadable file, a file deleted and added again, a merge."""
    git(root, "init", "-q", "-b", "main")
    steps = [
        {"data/actions/a01.yml": ACTION_A},
        {"data/actions/a02.yml": ACTION_B, "data/reports/2018-05/a01.yml": _report("a01", "2018-05", t1=20, t2=0)},
        {"data/reports/2018-06/a01.yml": _report("a01", "2018-06", t1=100, t2=30)},
        {"data/reports/2018-05/a01.yml": _report("a01", "2018-05", t1=25, t2=5)},          # an old month corrected
        {"data/reports/2018-06/a01-bis.yml": _report("a01", "2018-06", t2=35)},             # same month twice
        {"data/actions/a01.yml": ACTION_A.replace("2018-09-30", "2018年10月底前")},
        {"data/reports/2018-06/a01.yml": "action: a01\nmonth: [unclosed\n"},                 # unreadable
        {"data/reports/2018-06/a01.yml": None},                                              # deleted
        {"data/actions/a03.yml": ACTION_B.replace("a02", "a03")},                           # t3 declared twice
        {"data/actions/a02.yml": None},
        {"data/reports/2018-06/a01.yml": _report("a01", "2018-06", t1=90, t3=50)},          # back, t3 from a03
        {"data/actions/a01.yml": ACTION_A.replace("  - {id: t2, name: 任务二, deadline: 2018-09-30}\n", "")},
        {"data/actions/a02.yml": ACTION_B.replace("任务三", "任务三（改名）")},               # re-added after a03
        {"data/reports/2018-07/a02.yml": _report("a02", "2018-07", t3=100), "data/notes.txt": "x"},
    ]
    for number, step in enumerate(steps, 1):
        for path, text in step.items():
            if text is None:
                (root / path).unlink()
            else:
                _write(root, path, text)
        commit_all(root, f"第{number}步", f"2018-09-{number:02d}T10:00:00+08:00")
    git(root, "checkout", "-q", "-b", "side")
    _write(root, "data/reports/2018-07/a02.yml", _report("a02", "2018-07", t3=60))
    commit_all(root, "支线", "2018-09-20T10:00:00+08:00")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "合并", "side", when="2018-09-21T10:00:00+08:00")
    return root


def _walk_inputs(run):
    log = run(["-c", "core.quotePath=off", "log", "--first-parent", "-m", "--reverse", "--no-renames",
               "--format=%x00%H %cI", "--name-only", "--", *history.WATCHED], None)
    commits = history._parse_log(log.decode())
    blobs = history._read_blobs(run, [(sha, path) for sha, _, paths in commits for path in paths])
    files = {sha: {path: history._parsed(blobs[(sha, path)]) for path in paths} for sha, _, paths in commits}
    return commits, files


def test_incremental_history_equals_the_full_comparison(tmp_path: Path):
    run = history.subprocess_runner(_tricky_repository(tmp_path))
    commits, files = _walk_inputs(run)
    expected = _reference_changes(commits, files)
    assert sum(len(v) for v in expected.values()) > 10
    assert history._changes(commits, files) == expected
    assert history.task_history(run).changes == expected


def test_history_cache_is_used_and_survives_damage(tmp_path: Path):
    project = _tricky_repository(tmp_path)
    real = history.subprocess_runner(project)
    calls: list[str] = []

    def counting(args, stdin=None):
        calls.append(next(a for a in args if a not in ("-c", "core.quotePath=off")))
        return real(args, stdin)

    first = history.task_history(counting)
    cache = project / ".git" / "column-cache" / f"history-v{history._Cache.VERSION}.pickle"
    assert cache.exists() and calls.count("cat-file") == 1
    calls.clear()
    assert history.task_history(counting).changes == first.changes
    assert "cat-file" not in calls and "log" not in calls   # the same HEAD: all from the cache
    _write(project, "data/reports/2018-08/a02.yml", _report("a02", "2018-08", t3=100))
    commit_all(project, "新报告", "2018-09-25T10:00:00+08:00")
    calls.clear()
    newer = history.task_history(counting)
    assert calls.count("cat-file") == 1 and newer.changes == _reference_changes(*_walk_inputs(real))
    # History rewritten (an amended commit): the cached main line no longer leads to HEAD.
    _write(project, "data/reports/2018-08/a02.yml", _report("a02", "2018-08", t3=95))
    git(project, "commit", "-q", "-a", "--amend", "-m", "新报告（更正）", when="2018-09-26T10:00:00+08:00")
    amended = history.task_history(real)
    assert amended.changes == _reference_changes(*_walk_inputs(real)) != newer.changes
    cache.write_bytes(b"not a pickle")
    assert history.task_history(real).changes == amended.changes
    assert git(project, "status", "--porcelain", "--untracked-files=all") == ""  # the cache is in .git only
