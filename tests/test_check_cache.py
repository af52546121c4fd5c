"""The check's per-file cache (records/filecache.py): a warm run reports exactly what a cold
run reports, and never anything stale.

Each test plants problems of every per-file kind (YAML syntax, validation, 文字把关, personal
data, HTML in records and pages, drafts) and of the cross-record kind, then compares the
problem lines of runs with a fresh cache, a warm cache and none.
"""
from __future__ import annotations

import os
import pickle
from pathlib import Path

from campaign.check import check_project
from campaign.records import filecache
from support import copy_project, run_cli

REPORT = "data/reports/2018-05/a01.yml"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _plant(p: Path) -> None:
    _edit(p / REPORT, "progress: 示例：", "progress: 示例：常务副县长罗云中到现场督办,县长罗云忠主持会议。身份证号11010519491231002X。")
    _edit(p / REPORT, "problems: 示例：", "problems: 示例：<script>alert(1)</script>")
    _edit(p / "data/actions/a01.yml", "lead_unit: scj", "lead_unit: nosuchunit")
    _edit(p / "data/actions/a02.yml", "name:", "nmae: x\nname:")
    _edit(p / "data/actions/a03.yml", "name:", "name")
    _edit(p / "data/reports/2018-05/a02.yml", "task: a02-t1,", "task: a02-t9,")   # a nested record
    policy = p / "content/policies/zzbf-2018-25.md"
    policy.write_text(policy.read_text(encoding="utf-8") + "\n推動發展。\n\n<iframe src=\"https://evil.example.com/\"></iframe>\n\n【待填写】\n",
                      encoding="utf-8")
    page = p / "content/guide/workflow.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[外链](https://evil.example.com/x)\n", encoding="utf-8")
    (p / "content/orphan.md").write_text("# 没有链接的页面\n\n2018.4.10 的会议。\n", encoding="utf-8")


def _lines(project: Path, **kwargs) -> list[str]:
    report = check_project(project, **kwargs)
    return sorted(f"{p.severity} {p.render()}" for p in report.problems)


def _run(project: Path) -> tuple[list[str], filecache.FileCache]:
    report = check_project(project)
    return sorted(f"{p.severity} {p.render()}" for p in report.problems), report.dataset.cache


def test_warm_check_reports_what_a_cold_one_does(tmp_path: Path):
    project = copy_project(tmp_path)
    _plant(project)
    cache_file = filecache.cache_path(project)
    assert not cache_file.exists()
    cold, cold_cache = _run(project)
    assert cache_file.is_file() and cold_cache.hits == 0
    warm, warm_cache = _run(project)
    uncached = _lines(project, cache=False)
    assert warm == cold == uncached
    assert warm_cache.hits > 100 and warm_cache.misses == 0
    text = "\n".join(cold)
    for expected in ("罗云中", "县长罗云忠", "半角标点", "身份证", "<script", "nosuchunit", "nmae", "a02-t9", "YAML 格式错误",
                     "繁体字", "iframe", "evil.example.com」", "待填写", "orphan.md", "2018年4月10日"):
        assert expected in text, expected
    assert any(line.startswith("error ") for line in cold) and any(line.startswith("warning ") for line in cold)


def test_an_edit_is_seen_whatever_size_and_time_say(tmp_path: Path):
    project = copy_project(tmp_path)
    assert _run(project)[0] == []
    path = project / "data/actions/a01.yml"
    before = path.stat()
    _edit(path, "lead_unit: scj", "lead_unit: scx")   # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # same modification time
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    warm, cache = _run(project)
    assert any("scx" in line for line in warm), warm
    assert warm == _lines(project, cache=False)
    assert 0 < cache.misses <= 3 and cache.hits > 100  # only that file's parts were computed again

    _edit(path, "lead_unit: scx", "lead_unit: scj")   # and back
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert _run(project)[0] == []


def test_a_change_of_the_rules_inputs_is_seen(tmp_path: Path):
    # The automaton's leaders come from leadership.yml: a report unchanged since the last
    # run must be proofread again against the new list.
    project = copy_project(tmp_path)
    _edit(project / REPORT, "progress: 示例：", "progress: 示例：常务副县长罗云忠主持会议。")
    assert _run(project)[0] == []
    _edit(project / "data/leadership.yml", "{name: 罗云忠, title: 常务副县长}", "{name: 罗云忠, title: 县长}")
    warm, _ = _run(project)
    assert any(REPORT in line and "领导职务" in line for line in warm), warm
    assert warm == _lines(project, cache=False)


def test_point_in_time_runs_do_not_share_text_results(tmp_path: Path):
    project = copy_project(tmp_path)
    _plant(project)
    now, _ = _run(project)
    then = _lines(project, as_of="2018-06-30")
    assert then == _lines(project, as_of="2018-06-30", cache=False)
    assert _run(project)[0] == now


def test_a_damaged_or_foreign_cache_is_ignored(tmp_path: Path):
    project = copy_project(tmp_path)
    _plant(project)
    expected, _ = _run(project)
    cache_file = filecache.cache_path(project)

    cache_file.write_bytes(cache_file.read_bytes()[:-100])  # truncated
    assert _run(project)[0] == expected

    cache_file.write_bytes(b"not a cache at all")
    lines, cache = _run(project)
    assert lines == expected and cache.hits == 0

    # A file with a valid checksum that names a function: never called, file ignored.
    marker = tmp_path / "executed"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    payload = pickle.dumps((filecache.code_fingerprint(), {REPORT: (b"x" * 32, {"load": ("", pickle.dumps(Evil()))}),
                                                            "data/site.yml": Evil()}))
    cache_file.write_bytes(filecache._MAGIC + filecache._checksum(payload) + payload)
    lines, cache = _run(project)
    assert lines == expected and cache.hits == 0
    assert not marker.exists()


def test_entries_of_removed_files_are_dropped(tmp_path: Path):
    project = copy_project(tmp_path)
    _run(project)
    cache_file = filecache.cache_path(project)
    assert REPORT in filecache._decode(cache_file.read_bytes())
    (project / REPORT).unlink()
    _run(project)
    entries = filecache._decode(cache_file.read_bytes())
    assert REPORT not in entries and "data/reports/2018-05/a02.yml" in entries


def test_cache_lives_in_the_git_folder_of_a_repository(tmp_path: Path):
    (tmp_path / ".git").mkdir()
    assert filecache.cache_path(tmp_path) == tmp_path / ".git/column-cache" / filecache._NAME
    worktree = tmp_path / "wt"
    worktree.mkdir()
    (worktree / ".git").write_text(f"gitdir: {tmp_path / '.git'}\n", encoding="utf-8")
    assert filecache.cache_path(worktree) == tmp_path / ".git/column-cache" / filecache._NAME
    assert filecache.cache_path(tmp_path / "plain") == tmp_path / "plain/.cache/column" / filecache._NAME


def _snapshots(project: Path) -> list[Path]:
    return sorted(filecache.cache_path(project).parent.glob("*.snapshot"))


def test_records_come_from_one_snapshot_and_an_edit_rewrites_the_index_only(tmp_path: Path):
    project = copy_project(tmp_path)
    _plant(project)
    cold, _ = _run(project)
    [snapshot] = _snapshots(project)
    made = snapshot.stat().st_mtime_ns
    entries = filecache._decode(filecache.cache_path(project).read_bytes())
    assert entries[REPORT][1]["load"][1] == filecache._IN_SNAPSHOT   # not a pickle of its own

    _edit(project / REPORT, "problems: 示例：", "problems: 示例：又一处<iframe>。")
    edited, cache = _run(project)
    assert edited == _lines(project, cache=False) != cold
    assert _snapshots(project) == [snapshot] and snapshot.stat().st_mtime_ns == made
    entries = filecache._decode(filecache.cache_path(project).read_bytes())
    assert entries[REPORT][1]["load"][1].startswith(b"\x80")      # the edited file: its own pickle
    warm, cache = _run(project)
    assert warm == edited and cache.misses == 0


def test_many_edits_rebuild_the_snapshot_without_values_of_old_files(tmp_path: Path):
    project = copy_project(tmp_path)
    _plant(project)
    _run(project)
    [first] = _snapshots(project)
    reports = sorted((project / "data/reports").rglob("*.yml"))
    assert len(reports) > 40
    for path in reports[:40]:
        path.write_text(path.read_text(encoding="utf-8") + "# 已核对\n", encoding="utf-8")
    (project / "data/reports/2018-05/a02.yml").unlink()
    lines, _ = _run(project)
    assert lines == _lines(project, cache=False)
    [second] = _snapshots(project)
    assert second != first  # rebuilt, the old one removed
    entries = filecache._decode(filecache.cache_path(project).read_bytes())
    assert all(blob == filecache._IN_SNAPSHOT for _, parts in entries.values() for _, blob in parts.values() if blob)
    values = filecache._loads(second.read_bytes())
    assert ("data/reports/2018-05/a02.yml", "load") not in values and (REPORT, "load") in values
    warm, cache = _run(project)
    assert warm == lines and cache.misses == 0


def test_a_damaged_or_missing_snapshot_is_ignored(tmp_path: Path):
    project = copy_project(tmp_path)
    _plant(project)
    expected, _ = _run(project)
    [snapshot] = _snapshots(project)
    blob = bytearray(snapshot.read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    snapshot.write_bytes(bytes(blob))
    lines, cache = _run(project)
    assert lines == expected and cache.misses > 50
    assert _run(project)[1].misses == 0  # written again
    for path in _snapshots(project):
        path.unlink()
    lines, cache = _run(project)
    assert lines == expected and cache.misses > 50


def test_records_pickle_to_a_lean_state_and_back():
    from campaign.records import models as m

    task = m.TaskProgress.model_validate({"task": "a01-t1", "percent": 50, "note": "按期推进。"})
    state = task.__getstate__()
    assert isinstance(state, tuple)
    copy = pickle.loads(pickle.dumps(task))
    assert copy == task and copy.model_fields_set == task.model_fields_set == {"task", "percent", "note"}
    copy.percent = 60  # a usable model of its own
    assert copy.percent == 60 and task.percent == 50
    # pydantic's own state (a mapping) is still read.
    again = m.TaskProgress.__new__(m.TaskProgress)
    again.__setstate__(super(m.Record, task).__getstate__())
    assert again == task


def test_files_are_read_whole_in_one_go_within_the_limit(tmp_path: Path):
    text = tmp_path / "a.yml"
    text.write_bytes(b"x" * 5000)
    assert filecache._read_regular(text, 5000) == b"x" * 5000
    assert filecache._read_regular(str(text), 4999) is None      # larger than the limit
    (tmp_path / "empty.yml").write_bytes(b"")
    assert filecache._read_regular(tmp_path / "empty.yml", 10) == b""
    (tmp_path / "link.yml").symlink_to(text)
    assert filecache._read_regular(tmp_path / "link.yml", 10_000) is None
    assert filecache._read_regular(tmp_path, 10_000) is None       # a folder
    assert filecache._read_regular(tmp_path / "missing.yml", 10_000) is None


# --- The last report (./column check, records=False) ------------------------------------------

def _report(project: Path, **kwargs) -> tuple[list[str], object]:
    report = check_project(project, records=False, **kwargs)
    return sorted(f"{p.severity} {p.render()}" for p in report.problems), report


def test_unchanged_inputs_give_the_last_report_without_reading_records(tmp_path: Path):
    project = copy_project(tmp_path)
    _plant(project)
    first, report = _report(project)
    assert report.dataset is not None and first == _lines(project, cache=False)
    again, report = _report(project)
    assert report.dataset is None and again == first   # the saved report
    assert report.summary is not None and report.summary.actions > 0


def test_an_edit_changing_a_result_across_records_gives_what_a_cold_run_gives(tmp_path: Path):
    # A report names task a01-t1; the action file renames it: the report (unchanged) is now
    # wrong, which only the checks across records can say.
    project = copy_project(tmp_path)
    assert _report(project)[0] == [] and _report(project)[1].dataset is None
    action = project / "data/actions/a01.yml"
    original = action.read_bytes()
    _edit(action, "- id: a01-t1\n", "- id: a01-t9\n")
    edited, report = _report(project)
    assert report.dataset is not None and any("a01-t1" in line and "data/reports/" in line for line in edited), edited
    assert edited == _lines(project, cache=False)
    assert _report(project)[0] == edited
    action.write_bytes(original)   # undone: the report of these bytes again
    undone, report = _report(project)
    assert undone == [] == _lines(project, cache=False) and report.dataset is None


def test_every_input_of_the_report_is_in_its_key(tmp_path: Path):
    project = copy_project(tmp_path)
    assert _report(project)[0] == []
    # A hand-written page: only the nav (mkdocs.yml) decides whether it is reachable.
    (project / "content/extra.md").write_text("# 补充说明\n", encoding="utf-8")
    orphan, _ = _report(project)
    assert any("extra.md" in line for line in orphan) and orphan == _lines(project, cache=False)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("nav:\n", "nav:\n  - extra.md\n", 1), encoding="utf-8")
    listed, report = _report(project)
    assert report.dataset is not None and listed == _lines(project, cache=False) == []
    # A symlink where a file was, and the data date asked for.
    (project / "content/link.md").symlink_to(project / "content/extra.md")
    linked, report = _report(project)
    assert report.dataset is not None and any("link.md" in line for line in linked)
    (project / "content/link.md").unlink()
    assert _report(project)[0] == []
    then, report = _report(project, as_of="2018-06-30")
    assert report.dataset is not None and then == _lines(project, as_of="2018-06-30", cache=False)
    assert _report(project, as_of="2018-06-30")[1].dataset is None


def test_a_damaged_or_foreign_report_is_ignored(tmp_path: Path):
    project = copy_project(tmp_path)
    _plant(project)
    expected, _ = _report(project)
    [saved] = filecache.cache_path(project).parent.glob("*.report")
    blob = bytearray(saved.read_bytes())
    blob[-5] ^= 0xFF
    saved.write_bytes(bytes(blob))
    lines, report = _report(project)
    assert lines == expected and report.dataset is not None
    payload = pickle.dumps(("another key", ((), None)))
    saved.write_bytes(filecache._MAGIC + filecache._checksum(payload) + payload)
    lines, report = _report(project)
    assert lines == expected and report.dataset is not None
    assert _report(project)[1].dataset is None   # written again


def test_the_reports_of_the_last_few_runs_are_kept(tmp_path: Path):
    project = copy_project(tmp_path)
    path = project / REPORT
    original = path.read_text(encoding="utf-8")
    for number in range(filecache._REPORTS_KEPT + 3):
        path.write_text(original + f"# {number}\n", encoding="utf-8")
        _report(project)
    assert len(list(filecache.cache_path(project).parent.glob("*.report"))) == filecache._REPORTS_KEPT


def test_the_command_prints_the_same_with_or_without_the_cache(tmp_path: Path):
    project = copy_project(tmp_path)
    _plant(project)
    cold = run_cli(project, "check", "--no-cache")
    first, warm = run_cli(project, "check"), run_cli(project, "check")
    assert cold.returncode == first.returncode == warm.returncode == 1
    assert (cold.stdout, cold.stderr) == (first.stdout, first.stderr) == (warm.stdout, warm.stderr)
    assert "nosuchunit" in warm.stderr


def test_a_report_is_not_kept_when_a_file_changed_during_the_run(tmp_path: Path, monkeypatch):
    # An editor saves a page while the check runs: the report mixes the bytes of the key and
    # the new ones, so it must not be kept under the key.
    from campaign import check

    project = copy_project(tmp_path)
    page = project / "content/guide/workflow.md"
    original = page.read_text(encoding="utf-8")
    real = check._check_project

    def saving_meanwhile(*args, **kwargs):
        page.write_text(original + "\n[外链](https://evil.example.com/x)\n", encoding="utf-8")
        return real(*args, **kwargs)

    monkeypatch.setattr(check, "_check_project", saving_meanwhile)
    _report(project)
    monkeypatch.setattr(check, "_check_project", real)
    assert not list(filecache.cache_path(project).parent.glob("*.report"))
    page.write_text(original, encoding="utf-8")   # the bytes of the first key again
    lines, report = _report(project)
    assert report.dataset is not None and lines == _lines(project, cache=False) == []


def test_files_no_check_opens_are_in_the_key_by_name(tmp_path: Path):
    project = copy_project(tmp_path)
    image = project / "content/assets/附件.png"
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(b"\x89PNG one")
    assert _report(project)[0] == []
    image.write_bytes(b"\x89PNG two")              # never opened by a check: the same report
    assert _report(project)[1].dataset is None
    image.rename(image.with_name("附件.html.png"))
    assert _report(project)[1].dataset is not None  # another name: a full run
    (project / "content/page.svg").write_text('<svg><script>alert(1)</script></svg>', encoding="utf-8")
    lines, report = _report(project)                # an SVG is opened (its scripts): read
    assert report.dataset is not None and lines == _lines(project, cache=False) and any("page.svg" in x for x in lines)


def test_released_policy_bodies_are_read_again_when_asked(tmp_path: Path):
    # A build lets go of the policies' bytes once its text rules run in another process;
    # should that process fail, the rules here read each body from its file again.
    from campaign.check import load

    project = copy_project(tmp_path)
    dataset = load(project / "data", project / "content")
    expected = {p.src_uri: p.body for p in dataset.policies}
    again = load(project / "data", project / "content")
    again.release_policy_bodies()
    first = again.policies[0]
    path = project / "content" / first.src_uri
    path.write_text(path.read_text(encoding="utf-8") + "\n补充一段。\n", encoding="utf-8")
    expected[first.src_uri] += "\n补充一段。\n"  # read from the file, not kept in memory
    assert expected and {p.src_uri: p.body for p in again.policies} == expected


def test_inputs_hashed_apart_are_those_hashed_here(tmp_path: Path):
    project = copy_project(tmp_path)
    args = ([project / "data", project / "content", project / "overrides"], [project / "mkdocs.yml", project / "none.yml"],
            ("settings",))
    apart = filecache.InputsApart.start(*args)
    assert apart is not None   # Linux, one thread: the inputs are hashed in a forked process
    done, inputs = apart.result()
    here = filecache.inputs_key(*args)
    assert done and inputs[0] == here[0] and inputs[2] == here[2]
    assert inputs[1] == {path: (key, len(raw)) for path, (key, raw) in here[1].items()}
    assert inputs[1][str(project / REPORT)][1] == (project / REPORT).stat().st_size


def _edits(project: Path) -> list[tuple[list[str], object]]:
    """Runs after a comment edit, a value edit (a text rule's finding, in the text rules run
    apart) and its undoing, each beside a run without the cache."""
    path = project / REPORT
    original = path.read_text(encoding="utf-8")
    runs = [_report(project)]
    path.write_text(original + "\n# 编辑修改\n", encoding="utf-8")
    runs.append(_report(project))
    assert runs[-1][1].dataset is not None and runs[-1][0] == _lines(project, cache=False)
    _edit(path, "problems: 示例：", "problems: 示例：推動發展，身份证号11010519491231002X。")
    runs.append(_report(project))
    assert runs[-1][1].dataset is not None and runs[-1][0] == _lines(project, cache=False)
    assert any("繁体字" in line for line in runs[-1][0]) and any("身份证" in line for line in runs[-1][0])
    path.write_text(original + "\n# 又一次编辑\n", encoding="utf-8")
    runs.append(_report(project))
    assert runs[-1][0] == _lines(project, cache=False) == runs[0][0]
    return runs


def test_edits_with_inputs_hashed_apart_report_what_a_run_without_cache_does(tmp_path: Path):
    project = copy_project(tmp_path)
    _plant(project)
    runs = _edits(project)
    # What the text rules computed apart was kept: another edit computes that file's only.
    _edit(project / REPORT, "# 又一次编辑\n", "# 第三次编辑\n")
    again, report = _report(project)
    assert again == runs[0][0] and set(report.dataset.cache.computed) == {REPORT}


def test_edits_without_fork_report_the_same(tmp_path: Path, monkeypatch):
    # Where fork is missing (Windows), and where the forked process fails: hashed here.
    project = copy_project(tmp_path)
    _plant(project)
    monkeypatch.delattr(os, "fork")
    assert filecache.InputsApart.start([project / "data"], [], ()) is None
    without = _edits(project)
    monkeypatch.undo()
    monkeypatch.setattr(filecache.InputsApart, "result", lambda self: (self.reader.close(), os.waitpid(self.pid, 0), (False, None))[-1])
    failed = _edits(project)
    assert [lines for lines, _ in without] == [lines for lines, _ in failed]


def test_a_file_changed_after_it_was_hashed_apart_keeps_the_report_from_being_saved(tmp_path: Path, monkeypatch):
    project = copy_project(tmp_path)
    assert _report(project)[0] == []
    path = project / REPORT
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "\n# 编辑修改\n", encoding="utf-8")
    real = filecache.InputsApart.result

    def saved_meanwhile(self):
        result = real(self)
        _edit(path, "problems: 示例：", "problems: 示例：推動發展。")   # after hashing, before reading
        return result

    monkeypatch.setattr(filecache.InputsApart, "result", saved_meanwhile)
    lines, report = _report(project)
    monkeypatch.undo()
    assert report.dataset.cache.tainted
    assert len(list(filecache.cache_path(project).parent.glob("*.report"))) == 1   # the first run's only
    lines, report = _report(project)
    assert report.dataset is not None and lines == _lines(project, cache=False) and any("繁体字" in x for x in lines)


def test_an_unchanged_file_is_read_when_a_part_is_missing_and_verified(tmp_path: Path):
    project = copy_project(tmp_path)
    _report(project)
    path, display = project / REPORT, REPORT
    cache = filecache.FileCache.open(project)
    raw = path.read_bytes()
    cache.prefetched = {str(path): (filecache.digest(raw), len(raw))}
    key, lazy = cache.read(path, display, 1 << 20)
    assert lazy is None and key == cache.old[display][0] and not cache.tainted   # unchanged: not read
    assert cache.fetch(path, display, key, 1 << 20) == raw and not cache.tainted
    path.write_bytes(raw + b"# later\n")
    assert cache.fetch(path, display, key, 1 << 20) == raw + b"# later\n"
    assert cache.tainted and cache.key_of(display) is None   # nothing of the file is kept


def test_unpickling_stops_once_the_last_report_is_known_to_be_saved(tmp_path: Path):
    project = copy_project(tmp_path)
    _report(project)
    args = ([project / "data", project / "content", project / "overrides"], [project / "mkdocs.yml", project / "mkdocs-guide.yml"],
            (str(project.resolve()), str((project / "content").resolve()), None))
    apart = filecache.InputsApart.start(*args, root=project)
    done, inputs = apart.result()
    assert done and apart.saved and apart.report_saved()   # the report of these inputs is saved
    (project / REPORT).write_text((project / REPORT).read_text(encoding="utf-8") + "# 编辑\n", encoding="utf-8")
    apart = filecache.InputsApart.start(*args, root=project)
    assert apart.result()[0] and apart.saved is False
    cache = filecache.FileCache.open(project)
    assert cache.preload(lambda: True) is False and cache._snapshot is None   # stopped: read when needed
    display = "data/actions/a01.yml"
    assert cache.read(project / display, display, 1 << 20) is not None
    assert cache.get(display, cache.key_of(display), "load", cache.old[display][1]["load"][0]) is not filecache.MISSING


def test_on_one_cpu_nothing_is_forked_and_the_report_is_the_same(tmp_path: Path, monkeypatch):
    project = copy_project(tmp_path)
    _plant(project)
    monkeypatch.setattr(filecache, "usable_cpus", lambda: 1)
    from campaign import check
    monkeypatch.setattr(check, "usable_cpus", lambda: 1)
    assert filecache.InputsApart.start([project / "data"], [], ()) is None

    def no_fork():
        raise AssertionError("forked on one CPU")

    monkeypatch.setattr(os, "fork", no_fork)
    _edits(project)   # each run as a run without the cache


def test_the_builds_text_rules_apart_keep_their_results(tmp_path: Path):
    # The build runs the text rules in a forked process; the parts it computed join the saved
    # cache: the next build computes nothing, and both report what a run without cache does.
    project = copy_project(tmp_path)
    _plant(project)
    runs = []
    for _ in range(2):
        report = check_project(project, texts_apart=True)
        report.complete()
        runs.append((sorted(f"{p.severity} {p.render()}" for p in report.problems), report.dataset.cache))
    assert runs[0][0] == runs[1][0] == _lines(project, cache=False)
    assert runs[0][1].computed and runs[1][1].computed == {} and runs[1][1].misses == 0
    saved = filecache.FileCache.open(project).old
    assert {"load", "texts", "html-records"} <= set(saved[REPORT][1])
    assert set(saved["content/guide/workflow.md"][1]) == {"html"}   # read by the forked process only
