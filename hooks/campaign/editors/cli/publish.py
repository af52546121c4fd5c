"""Publishing releases: build into a new folder, then switch the served symlink atomically.

Layout under the publish root (the web server serves <root>/current):

    <root>/releases/<name>/     one complete built site per release
    <root>/releases/HISTORY     release names in the order they went live
    <root>/current -> releases/<name>

A build happens in releases/.building-<name>/ and becomes releases/<name> only when it
succeeded, so a failed build never touches the live site. The switch writes a new
symlink under a temporary name and renames it over `current` (rename is atomic on POSIX):
readers see the old site or the new one, never a mix. Release names come from the
caller (--release, COLUMN_RELEASE, or the git commit), never from the clock.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from campaign.records.problems import ColumnError

RELEASE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class PublishError(ColumnError):
    """A publishing step failed; the text is Chinese and the live site is unchanged."""


class Releases:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.folder = self.root / "releases"
        self.current = self.root / "current"
        self.history_file = self.folder / "HISTORY"

    def history(self) -> list[str]:
        """Existing releases in the order they went live (oldest first)."""
        if not self.history_file.exists():
            return []
        names = [n.strip() for n in self.history_file.read_text(encoding="utf-8").splitlines() if n.strip()]
        seen: list[str] = []
        for name in names:  # a rollback target published again moves to the end
            if name in seen:
                seen.remove(name)
            seen.append(name)
        return [n for n in seen if (self.folder / n).is_dir()]

    def live(self) -> str | None:
        if not self.current.is_symlink():
            return None
        return Path(os.readlink(self.current)).name

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
        """Point `current` at releases/<name> in one atomic rename."""
        self.ensure_managed()
        temporary = self.root / f".current.{os.getpid()}.tmp"
        if temporary.is_symlink() or temporary.exists():
            temporary.unlink()
        os.symlink(os.path.join("releases", name), temporary)  # relative: the root may move
        os.replace(temporary, self.current)

    def record(self, name: str) -> None:
        with open(self.history_file, "a", encoding="utf-8") as handle:
            handle.write(name + "\n")

    def prune(self, keep: int) -> list[str]:
        """Delete all but the newest `keep` releases; the live one is always kept."""
        history = self.history()
        live = self.live()
        keep_names = set(history[-keep:]) | ({live} if live else set())
        removed = [n for n in history if n not in keep_names]
        for name in removed:
            shutil.rmtree(self.folder / name)
        for stale in self.folder.glob(".building-*"):  # left by a crash; we hold the lock
            shutil.rmtree(stale, ignore_errors=True)
        remaining = [n for n in history if n not in removed]
        self.history_file.write_text("".join(n + "\n" for n in remaining), encoding="utf-8")
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


def publish(project: Path, root: Path, name: str, keep: int) -> tuple[str, list[str], str]:
    """Build the project into a new release and make it live; returns (name, pruned, log)."""
    if keep < 1:
        raise PublishError("--keep 至少为 1（保留正在使用的版本）。")
    releases = Releases(root)
    releases.ensure_managed()  # before a build that could not go live anyway
    with releases.lock():
        name = releases.unique_name(name)
        building = releases.folder / f".building-{name}"
        shutil.rmtree(building, ignore_errors=True)
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(building)],
            cwd=project, capture_output=True, text=True, env=env,
        )
        output = (result.stdout + result.stderr).strip()
        if result.returncode != 0 or not (building / "index.html").is_file():
            shutil.rmtree(building, ignore_errors=True)
            raise PublishError("网站生成失败，正在使用的网站没有改动。生成程序的输出：\n" + output)
        os.replace(building, releases.folder / name)
        releases.switch(name)
        releases.record(name)
        pruned = releases.prune(keep)
    return name, pruned, output


def rollback(root: Path, target: str | None = None) -> tuple[str, str]:
    """Switch `current` back to the release before the live one (or to target)."""
    releases = Releases(root)
    with releases.lock():
        history = releases.history()
        live = releases.live()
        if target is None:
            if live not in history or history.index(live) == 0:
                listed = "、".join(history) or "无"
                raise PublishError(f"没有比当前版本（{live or '无'}）更早的版本可以回退。现有版本：{listed}。")
            target = history[history.index(live) - 1]
        elif target not in history:
            listed = "、".join(history) or "无"
            raise PublishError(f"找不到版本「{target}」。现有版本：{listed}。")
        releases.switch(target)
    return live or "", target
