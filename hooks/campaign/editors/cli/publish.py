"""Publishing releases: build into a new folder, then switch the served symlink atomically.

Layout under the publish root (the web server serves <root>/current):

    <root>/releases/<name>/     one complete built site per release, holding COMPLETE_MARKER
    <root>/releases/HISTORY     which releases went live, in order (see Releases.read_state)
    <root>/current -> releases/<name>

Every step leaves the root usable if the process is killed right after it (SIGKILL
included; tests/test_publish_kill.py kills it at each step):

- The build runs as a child in its own process group, in releases/.building-<name>.<pid>/
  (a fresh folder per attempt), and dies with the publishing process (PR_SET_PDEATHSIG on
  Linux; otherwise the group is killed on the way out). No orphan build keeps writing.
- Only a build that succeeded gets COMPLETE_MARKER (with its file count), and only then is
  it renamed to releases/<name>. `current` and rollback only ever point at a release whose
  marker is there and whose file count matches.
- The switch writes a new symlink under a temporary name and renames it over `current`
  (atomic on POSIX): readers see the old site or the new one, never a mix.
- HISTORY is written to a temporary file, fsynced and renamed over the old one. If a run
  was killed between switching `current` and writing HISTORY, the next run records what
  is really live first (Releases.recover).
- An old release is pruned by first renaming it out of the releases (to .trash-…), then
  deleting it; leftovers of a killed run (.building-*, .trash-*, temporary files) are
  removed by the next run, under the lock.

Release names come from the caller (--release, COLUMN_RELEASE, or the git commit), never
from the clock.

Tests only: COLUMN_PUBLISH_PAUSE_AT=<step> makes the process print `PAUSED <step> <pid>`
to stderr at that step and wait, so a test can kill it there. Steps: build (the build
child is running; its pid follows), built, renamed, switched, history (temporary HISTORY
written, not yet renamed), trashed (pruned releases renamed, not yet deleted), done; and
rollback-switched for rollback (which also passes through history).
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from campaign.records.problems import ColumnError

RELEASE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
COMPLETE_MARKER = ".column-release"
ROLLED_BACK = "rolled-back"
PAUSE_VARIABLE = "COLUMN_PUBLISH_PAUSE_AT"


class PublishError(ColumnError):
    """A publishing step failed; the text is Chinese and the live site is unchanged."""


def _pause(step: str, detail: str = "") -> None:
    """Test hook: stop here (see the module docstring). Does nothing unless asked for."""
    if os.environ.get(PAUSE_VARIABLE) == step:
        sys.stderr.write(f"PAUSED {step} {os.getpid()} {detail}".rstrip() + "\n")
        sys.stderr.flush()
        while True:
            time.sleep(60)


def _fsync_dir(folder: Path) -> None:
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(handle)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(handle)


def _write_durably(path: Path, text: str, step: str | None = None) -> None:
    """Write text to path through a temporary file: fsync, rename, fsync the folder."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    if step:
        _pause(step)
    os.replace(temporary, path)
    _fsync_dir(path.parent)


def _count_files(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


class Releases:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.folder = self.root / "releases"
        self.current = self.root / "current"
        self.history_file = self.folder / "HISTORY"

    # --- HISTORY ------------------------------------------------------------------------------

    def read_state(self) -> tuple[list[str], list[str]]:
        """(stack, rolled back) from HISTORY.

        A line `<name>` is a release that went live; the last one is the live one. A line
        `<name> rolled-back` is a release that a rollback left: it stays on disk (rollback
        --to can still return to it) but a plain rollback never goes back to it. Older
        HISTORY files (plain names, a name published again repeated at the end) read the same.
        """
        if not self.history_file.exists():
            return [], []
        stack: list[str] = []
        rolled: list[str] = []
        for line in self.history_file.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if not parts:
                continue
            name = parts[0]
            for listed in (stack, rolled):
                if name in listed:
                    listed.remove(name)
            (rolled if parts[1:] == [ROLLED_BACK] else stack).append(name)
        return stack, rolled

    def write_state(self, stack: list[str], rolled: list[str]) -> None:
        lines = [f"{n} {ROLLED_BACK}" for n in rolled if n not in stack] + list(stack)
        _write_durably(self.history_file, "".join(line + "\n" for line in lines), "history")

    def history(self) -> list[str]:
        """Releases on the live stack that exist, in the order they went live (oldest first)."""
        return [n for n in self.read_state()[0] if (self.folder / n).is_dir()]

    def known(self) -> list[str]:
        """Every release HISTORY lists that exists (rolled back from ones first)."""
        stack, rolled = self.read_state()
        return [n for n in rolled + stack if (self.folder / n).is_dir()]

    # --- Releases -----------------------------------------------------------------------------

    def live(self) -> str | None:
        if not self.current.is_symlink():
            return None
        return Path(os.readlink(self.current)).name

    def complete(self, name: str) -> bool:
        """A release is complete when its build succeeded and nothing of it was removed since."""
        marker = self.folder / name / COMPLETE_MARKER
        try:
            lines = marker.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return False
        values = dict(line.split(" ", 1) for line in lines if " " in line)
        if values.get("release") != name or not values.get("files", "").isdigit():
            return False
        return _count_files(self.folder / name) == int(values["files"])

    def mark_complete(self, building: Path, name: str) -> None:
        files = _count_files(building) + 1  # and the marker itself
        _write_durably(building / COMPLETE_MARKER, f"release {name}\nfiles {files}\n")

    def unique_name(self, name: str) -> str:
        """name, or name-2, name-3 … when a release of that name exists (rebuild of a commit)."""
        if not RELEASE_NAME.match(name):
            raise PublishError(f"发布版本名「{name}」只能包含英文字母、数字、点、下划线和 -。")
        candidate, number = name, 1
        while (self.folder / candidate).exists():
            number += 1
            candidate = f"{name}-{number}"
        return candidate

    def ensure_managed(self) -> None:
        if self.current.exists() and not self.current.is_symlink():
            raise PublishError(
                f"{self.current} 是一个普通文件夹，不是发布程序管理的链接。请先把它改名备份（如 current.old），再发布。")

    def switch(self, name: str) -> None:
        """Point `current` at releases/<name> in one atomic rename; only a complete release."""
        self.ensure_managed()
        if not self.complete(name):
            raise PublishError(f"版本「{name}」不完整（没有完整性标记，或其中的文件已被删改），不能作为正在使用的版本。")
        temporary = self.root / f".current.{os.getpid()}.tmp"
        if temporary.is_symlink() or temporary.exists():
            temporary.unlink()
        os.symlink(os.path.join("releases", name), temporary)  # relative: the root may move
        os.replace(temporary, self.current)
        _fsync_dir(self.root)

    def record(self, name: str) -> None:
        """name went live by publishing."""
        stack, rolled = self.read_state()
        self.write_state([n for n in stack if n != name] + [name], [n for n in rolled if n != name])

    def recover(self) -> None:
        """Repair what a killed run left behind (we hold the lock, so no run is using it)."""
        self.clean_leftovers()
        stack, rolled = self.read_state()
        live = self.live()
        if not live or (stack and stack[-1] == live) or not (self.folder / live).is_dir():
            return
        # `current` was switched but HISTORY not yet written: record what is really live.
        if live in stack:  # an interrupted rollback: what was above it was rolled back from
            above = stack[stack.index(live) + 1:]
            stack = stack[:stack.index(live) + 1]
            rolled = [n for n in rolled if n not in above] + above
        else:  # an interrupted publish (or rollback --to a release rolled back from)
            stack = stack + [live]
            rolled = [n for n in rolled if n != live]
        self.write_state(stack, rolled)

    def clean_leftovers(self) -> None:
        for stale in list(self.folder.glob(".building-*")) + list(self.folder.glob(".trash-*")):
            shutil.rmtree(stale, ignore_errors=True)
        for stale in list(self.folder.glob(".HISTORY.*.tmp")) + list(self.root.glob(".current.*.tmp")):
            try:
                stale.unlink()
            except OSError:
                pass

    def prune(self, keep: int) -> list[str]:
        """Keep the newest `keep` releases of the live stack (the live one always), then those
        rolled back from; rename the rest out of releases/, record that, then delete them."""
        stack, rolled = self.read_state()
        live = self.live()
        order = list(reversed(stack)) + list(reversed(rolled))
        existing = [n for n in order if (self.folder / n).is_dir()]
        keep_names = set(existing[:keep]) | ({live} if live else set())
        listed = set(stack) | set(rolled)
        # Releases HISTORY does not know (a run killed between renaming and recording) go too.
        unknown = sorted(p.name for p in self.folder.iterdir()
                         if p.is_dir() and not p.name.startswith(".") and p.name not in listed and p.name != live)
        removed = [n for n in existing if n not in keep_names] + unknown
        trash = []
        for name in removed:
            target = self.folder / f".trash-{name}.{os.getpid()}"
            os.replace(self.folder / name, target)  # one rename: the release leaves releases/ whole
            trash.append(target)
        if removed:
            _fsync_dir(self.folder)
            _pause("trashed")
        self.write_state([n for n in stack if n not in removed], [n for n in rolled if n not in removed])
        for target in trash:
            shutil.rmtree(target, ignore_errors=True)
        return removed

    @contextmanager
    def lock(self):
        """One publish or rollback at a time (two CI pipelines may finish together)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        handle = open(self.folder / ".lock", "w")
        try:
            try:
                import fcntl

                fcntl.flock(handle, fcntl.LOCK_EX)
            except ImportError:  # pragma: no cover - Windows: no concurrent CI there
                pass
            yield
        finally:
            handle.close()


def default_release_name(project: Path) -> str | None:
    """COLUMN_RELEASE from the environment, else the short git commit of the project."""
    name = os.environ.get("COLUMN_RELEASE", "").strip()
    if name:
        return name
    try:
        result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=project,
                                capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    commit = result.stdout.strip()
    return commit if result.returncode == 0 and commit else None


# --- The build child ------------------------------------------------------------------------------------

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent(parent: int):
    """preexec_fn: the child gets SIGKILL when the publishing process dies (Linux).

    prctl is looked up here, in the parent: between fork and exec the child only calls it."""
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # not Linux: _run_build's finally/signal handlers kill the group
        prctl = None

    def setup() -> None:
        if prctl is None:
            return
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os.kill(os.getpid(), signal.SIGKILL)
    return setup


def _kill_group(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (OSError, AttributeError):  # pragma: no cover - no process groups (Windows)
        process.kill()
    process.wait()


def _run_build(project: Path, building: Path) -> tuple[int, str]:
    """mkdocs build --strict into building, in its own process group, ended with us."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop(PAUSE_VARIABLE, None)
    posix = os.name == "posix"
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(building)],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        start_new_session=posix, preexec_fn=_die_with_parent(os.getpid()) if posix else None,
    )
    handlers = {}

    def stop(signum, frame):  # SIGTERM/SIGINT/SIGHUP: take the build down with us
        _kill_group(process)
        raise PublishError("发布被中止，正在使用的网站没有改动。")

    for name in ("SIGTERM", "SIGINT", "SIGHUP"):
        if hasattr(signal, name):
            handlers[name] = signal.signal(getattr(signal, name), stop)
    try:
        _pause("build", str(process.pid))
        output, _ = process.communicate()
        return process.returncode, (output or "").strip()
    finally:
        _kill_group(process)  # on any way out, no build is left running
        for name, handler in handlers.items():
            signal.signal(getattr(signal, name), handler)


# --- Commands ------------------------------------------------------------------------------------------


def publish(project: Path, root: Path, name: str, keep: int) -> tuple[str, list[str], str]:
    """Build the project into a new release and make it live; returns (name, pruned, log)."""
    if keep < 1:
        raise PublishError("--keep 至少为 1（保留正在使用的版本）。")
    releases = Releases(root)
    releases.ensure_managed()  # before a build that could not go live anyway
    with releases.lock():
        releases.recover()
        name = releases.unique_name(name)
        building = releases.folder / f".building-{name}.{os.getpid()}"
        try:
            returncode, output = _run_build(project, building)
            if returncode != 0 or not (building / "index.html").is_file():
                raise PublishError("网站生成失败，正在使用的网站没有改动。生成程序的输出：\n" + output)
            _pause("built")
            releases.mark_complete(building, name)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        os.replace(building, releases.folder / name)
        _fsync_dir(releases.folder)
        _pause("renamed")
        releases.switch(name)
        _pause("switched")
        releases.record(name)
        pruned = releases.prune(keep)
        _pause("done")
    return name, pruned, output


def rollback(root: Path, target: str | None = None) -> tuple[str, str]:
    """Switch `current` back to the release that was live before the live one (or to target).

    A plain rollback marks the release it leaves as rolled back, so a later rollback never
    returns to it: r1 → r2 → rollback (r1) → publish r3 → rollback gives r1 again.
    """
    releases = Releases(root)
    releases.ensure_managed()
    with releases.lock():
        releases.recover()
        stack, rolled = releases.read_state()
        live = releases.live()
        if target is None:
            below = stack[:stack.index(live)] if live in stack else list(stack)
            candidates = [n for n in reversed(below) if (releases.folder / n).is_dir() and releases.complete(n)]
            if not candidates:
                listed = "、".join(n for n in releases.known() if n != live) or "无"
                raise PublishError(f"没有比当前版本（{live or '无'}）更早的版本可以回退（回退只到完整、且没有被回退过的版本）。"
                                   f"其他版本：{listed}；如确需切换，请用 --to 指定。")
            target = candidates[0]
            stack = [n for n in stack if n != live]
            rolled = [n for n in rolled if n != live] + ([live] if live else [])
        else:
            if not RELEASE_NAME.match(target) or not (releases.folder / target).is_dir():
                listed = "、".join(releases.known()) or "无"
                raise PublishError(f"找不到版本「{target}」。现有版本：{listed}。")
            if not releases.complete(target):
                raise PublishError(f"版本「{target}」不完整（没有完整性标记，或其中的文件已被删改），不能切换到它。")
        stack = [n for n in stack if n != target] + [target]
        rolled = [n for n in rolled if n != target]
        releases.switch(target)
        _pause("rollback-switched")
        releases.write_state(stack, rolled)
    return live or "", target
