"""./column publish and rollback killed (SIGKILL) at every step.

The publish code stops at a named step when COLUMN_PUBLISH_PAUSE_AT says so (a test-only
hook, see editors/cli/publish.py); the test kills it there and checks that `current` still
points at a complete release, that no build process is left running, that HISTORY is intact,
and that the next publish and rollback do the right thing. The project published is a small
real MkDocs project (one page, and a hook that can slow the build down), so each build takes
about a second; tests/test_publish.py publishes the real column.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from campaign.editors.cli.publish import COMPLETE_MARKER, Releases
from support import COLUMN

SLOW_HOOK = '''import os, time


def on_pre_build(config, **kwargs):
    time.sleep(float(os.environ.get("TEST_SLOW_BUILD", "0")))
'''


@pytest.fixture
def small(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / "data").mkdir()
    (project / "mkdocs.yml").write_text("site_name: 测试\ndocs_dir: docs\nhooks: [slow.py]\n", encoding="utf-8")
    (project / "slow.py").write_text(SLOW_HOOK, encoding="utf-8")
    for number in range(5):
        (project / "docs" / ("index.md" if number == 0 else f"p{number}.md")).write_text(f"# 第 {number} 页\n", encoding="utf-8")
    return project


def command(project: Path, root: Path, *args: str) -> list[str]:
    return [sys.executable, str(COLUMN), "--project", str(project), *args, "--root", str(root)]


def env(**extra: str) -> dict:
    full = {key: value for key, value in os.environ.items() if key != "COLUMN_PUBLISH_PAUSE_AT"}
    return {**full, "NO_MKDOCS_2_WARNING": "1", **extra}


def run(project: Path, root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(command(project, root, *args), capture_output=True, text=True, env=env(), timeout=120)


def publish(project: Path, root: Path, name: str, keep: int = 2) -> None:
    result = run(project, root, "publish", "--release", name, "--keep", str(keep))
    assert result.returncode == 0, result.stderr
    assert f"已发布版本 {name}" in result.stdout


def kill_at(project: Path, root: Path, step: str, *args: str, **extra: str) -> list[str]:
    """Start the command, SIGKILL it when it reports the step; returns the PAUSED line's words."""
    process = subprocess.Popen(command(project, root, *args), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, env=env(COLUMN_PUBLISH_PAUSE_AT=step, **extra))
    seen = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = process.stderr.readline()
            if not line:
                break
            seen.append(line)
            if line.startswith(f"PAUSED {step} "):
                words = line.split()
                os.kill(int(words[2]), signal.SIGKILL)
                process.wait(timeout=30)
                return words
        pytest.fail(f"never reached step {step}: {''.join(seen)}")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()


def gone(pid: int, seconds: float = 10) -> bool:
    """The process ended (a zombie waiting for init to reap it counts as ended)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.1)
    return False


def live(root: Path) -> str:
    return os.readlink(root / "current").split("/")[-1]


def assert_sound(root: Path) -> None:
    """current points at a complete release and HISTORY reads as the releases on disk."""
    releases = Releases(root)
    assert (root / "current").is_symlink()
    assert releases.complete(live(root)), "current is not a complete release"
    assert (root / "current/index.html").is_file()
    stack, rolled = releases.read_state()
    assert stack, "HISTORY lost the live releases"
    for name in stack + rolled:
        assert (root / "releases" / name).is_dir() or not (root / "releases" / name).exists()


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "releases").iterdir() if p.name.startswith((".building", ".trash"))) + \
        sorted(p.name for p in root.iterdir() if p.name.startswith(".current"))


def test_orphan_build_dies_with_the_killed_publish(small, tmp_path):
    root = tmp_path / "www"
    publish(small, root, "r1")
    words = kill_at(small, root, "build", "publish", "--release", "r2", TEST_SLOW_BUILD="60")
    child = int(words[3])
    assert gone(child), "the mkdocs build kept running after publish was killed"
    assert live(root) == "r1"
    assert_sound(root)
    publish(small, root, "r2")  # the retry cleans the killed run's folder
    assert live(root) == "r2" and not leftovers(root)


# (step, live right after the kill, live before the retry for rollback to return to)
STEPS = [
    ("build", "r2"),
    ("built", "r2"),
    ("renamed", "r2"),
    ("switched", "r3"),
    ("history", "r3"),
    ("trashed", "r3"),
    ("done", "r3"),
]


@pytest.mark.parametrize("step,expected", STEPS, ids=[s for s, _ in STEPS])
def test_publish_killed_at_each_step(small, tmp_path, step, expected):
    root = tmp_path / "www"
    publish(small, root, "r1")
    publish(small, root, "r2")
    kill_at(small, root, step, "publish", "--release", "r3", "--keep", "2")
    assert live(root) == expected
    assert_sound(root)
    if step == "trashed":  # the pruned release left releases/ in one rename: rollback cannot see it
        assert not (root / "releases/r1").exists()
        assert "r1" not in Releases(root).known()
        refused = run(small, root, "rollback", "--to", "r1")
        assert refused.returncode == 1 and "找不到版本「r1」" in refused.stderr

    publish(small, root, "r4")  # the retry works and cleans up
    assert live(root) == "r4"
    assert not leftovers(root)
    names = sorted(p.name for p in (root / "releases").iterdir() if p.is_dir() and not p.name.startswith("."))
    assert len(names) == 2 and "r4" in names
    back = run(small, root, "rollback")
    assert back.returncode == 0, back.stderr
    assert live(root) == expected, back.stdout  # the release live before r4
    assert_sound(root)


def test_rollback_killed_after_switch_never_returns_to_the_release_it_left(small, tmp_path):
    root = tmp_path / "www"
    publish(small, root, "r1", keep=5)
    publish(small, root, "r2", keep=5)
    kill_at(small, root, "rollback-switched", "rollback")
    assert live(root) == "r1"
    assert_sound(root)
    publish(small, root, "r3", keep=5)
    back = run(small, root, "rollback")
    assert back.returncode == 0, back.stderr
    assert live(root) == "r1" and "由 r3 改为 r1" in back.stdout


def test_rollback_goes_to_the_release_live_before_not_one_rolled_back_from(small, tmp_path):
    root = tmp_path / "www"
    publish(small, root, "r1", keep=5)
    publish(small, root, "r2", keep=5)
    assert run(small, root, "rollback").returncode == 0 and live(root) == "r1"
    publish(small, root, "r3", keep=5)
    back = run(small, root, "rollback")
    assert back.returncode == 0, back.stderr
    assert "由 r3 改为 r1" in back.stdout and live(root) == "r1"
    none = run(small, root, "rollback")
    assert none.returncode == 1 and "没有比当前版本（r1）更早的版本" in none.stderr
    # An explicit --to may still return to a release rolled back from; rollback then comes back.
    assert run(small, root, "rollback", "--to", "r2").returncode == 0 and live(root) == "r2"
    assert run(small, root, "rollback").returncode == 0 and live(root) == "r1"


def test_rollback_never_makes_an_incomplete_release_current(small, tmp_path):
    root = tmp_path / "www"
    publish(small, root, "r1", keep=5)
    publish(small, root, "r2", keep=5)
    publish(small, root, "r3", keep=5)
    # r2 half deleted by hand (or by an older publisher killed while pruning).
    (root / "releases/r2/p3/index.html").unlink()
    refused = run(small, root, "rollback", "--to", "r2")
    assert refused.returncode == 1 and "版本「r2」不完整" in refused.stderr
    assert live(root) == "r3"
    # A plain rollback passes over it to the last complete release before.
    back = run(small, root, "rollback")
    assert back.returncode == 0, back.stderr
    assert live(root) == "r1"
    # A release folder without the completeness marker is refused too.
    (root / "releases/r9").mkdir()
    (root / "releases/r9/index.html").write_text("half", encoding="utf-8")
    refused = run(small, root, "rollback", "--to", "r9")
    assert refused.returncode == 1 and "不完整" in refused.stderr
    assert (root / "releases/r1" / COMPLETE_MARKER).is_file()


def test_history_is_replaced_whole(small, tmp_path):
    root = tmp_path / "www"
    publish(small, root, "r1", keep=5)
    publish(small, root, "r2", keep=5)
    before = (root / "releases/HISTORY").read_bytes()
    kill_at(small, root, "history", "publish", "--release", "r3", "--keep", "5")
    # The new HISTORY was written to a temporary file; the old one is untouched.
    assert (root / "releases/HISTORY").read_bytes() == before
    assert live(root) == "r3"
    back = run(small, root, "rollback")  # the next run records r3 as live first
    assert back.returncode == 0, back.stderr
    assert "由 r3 改为 r2" in back.stdout
    assert not [p for p in (root / "releases").iterdir() if p.name.endswith(".tmp")]
