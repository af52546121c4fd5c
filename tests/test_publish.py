"""./column publish and rollback: atomic symlink switch, failed builds never go live, pruning."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from support import run_cli


# Several real builds per test: the slow ring (`pytest -m slow`, CI).
pytestmark = pytest.mark.slow


def live(root: Path) -> str:
    assert (root / "current").is_symlink()
    return os.readlink(root / "current")


def releases(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "releases").iterdir() if p.is_dir())


def test_publish_rollback_and_failed_build(project, tmp_path):
    root = tmp_path / "www"
    first = run_cli(project, "publish", "--root", str(root), "--release", "r1")
    assert first.returncode == 0, first.stderr
    assert "已发布版本 r1" in first.stdout
    assert live(root) == "releases/r1"
    assert (root / "current/index.html").is_file()
    assert not (root / "current/guide").exists()  # the editors' guide is not published

    # The release name may come from the environment (CI sets it from the commit).
    second = run_cli(project, "publish", "--root", str(root), env={"COLUMN_RELEASE": "r2"})
    assert second.returncode == 0, second.stderr
    assert live(root) == "releases/r2"
    live_index = (root / "current/index.html").read_bytes()

    # A build that fails leaves the live site exactly as it was.
    site = project / "data/site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace("as_of: 2018-09-30", "as_of: 2018-02-30"), encoding="utf-8")
    failed = run_cli(project, "publish", "--root", str(root), "--release", "r3")
    assert failed.returncode == 1
    assert "没有发布，正在使用的网站没有改动" in failed.stderr  # the pipeline stops it before any build
    assert "这一天不存在" in failed.stderr
    assert live(root) == "releases/r2"
    assert (root / "current/index.html").read_bytes() == live_index
    assert releases(root) == ["r1", "r2"]
    assert not list((root / "releases").glob(".building-*"))

    # A draft left with 【待填写】 is a warning, and publishing builds strictly.
    site.write_text(site.read_text(encoding="utf-8").replace("as_of: 2018-02-30", "as_of: 2018-09-30"), encoding="utf-8")
    assert run_cli(project, "new", "survey", "--quarter", "2018-Q4").returncode == 0
    draft = run_cli(project, "publish", "--root", str(root), "--release", "r3")
    assert draft.returncode == 1 and "还有待填写的内容" in draft.stderr
    assert live(root) == "releases/r2"
    (project / "data/surveys/2018-Q4.yml").unlink()

    back = run_cli(project, "rollback", "--root", str(root))
    assert back.returncode == 0, back.stderr
    assert "由 r2 改为 r1" in back.stdout
    assert live(root) == "releases/r1"
    assert (root / "current/index.html").is_file()
    oldest = run_cli(project, "rollback", "--root", str(root))
    assert oldest.returncode == 1 and "没有比当前版本（r1）更早的版本" in oldest.stderr
    forward = run_cli(project, "rollback", "--root", str(root), "--to", "r2")
    assert forward.returncode == 0 and live(root) == "releases/r2"
    assert not [p for p in root.iterdir() if p.name.startswith(".current")]


def test_publish_keeps_last_n_releases(project, tmp_path):
    root = tmp_path / "www"
    for name in ("r1", "r2", "r3"):
        result = run_cli(project, "publish", "--root", str(root), "--release", name, "--keep", "2")
        assert result.returncode == 0, result.stderr
    assert releases(root) == ["r2", "r3"]
    assert live(root) == "releases/r3"
    assert (root / "releases/HISTORY").read_text(encoding="utf-8").split() == ["r2", "r3"]
    # Same name again (a rebuild of the same commit) gets a suffix instead of replacing.
    again = run_cli(project, "publish", "--root", str(root), "--release", "r3", "--keep", "2")
    assert again.returncode == 0, again.stderr
    assert live(root) == "releases/r3-2"
    assert releases(root) == ["r3", "r3-2"]


def test_publish_refuses_unmanaged_live_folder_and_missing_root(project, tmp_path):
    root = tmp_path / "www"
    (root / "current").mkdir(parents=True)
    (root / "current/index.html").write_text("old", encoding="utf-8")
    result = run_cli(project, "publish", "--root", str(root), "--release", "r1")
    assert result.returncode == 1 and "不是发布程序管理的链接" in result.stderr
    assert (root / "current/index.html").read_text(encoding="utf-8") == "old"
    env = {"COLUMN_PUBLISH_ROOT": ""}
    assert "请用 --root 指定发布目录" in run_cli(project, "publish", "--release", "x", env=env).stderr
    assert not (root / "releases/r1").exists()
