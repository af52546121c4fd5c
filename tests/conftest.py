"""Shared test fixtures: the repository root, a copy of the default data, and site builds."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def copy_project(target: Path) -> Path:
    """Copy what a build needs (config, data, content, hooks, overrides) into target."""
    for name in ("mkdocs.yml", "mkdocs-guide.yml"):
        shutil.copy2(ROOT / name, target / name)
    for name in ("data", "content", "hooks", "overrides"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def run_build(project: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real `mkdocs build --strict` in project; returns the finished process.

    No -q: it lowers the `mkdocs` logger to ERROR, so warnings would never reach the
    counter behind --strict and a warning could not fail the build.
    """
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(project / "site"), *extra],
        cwd=project, capture_output=True, text=True, env=full_env, timeout=300,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the project with the default data, free to modify."""
    return copy_project(tmp_path)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The default site built once per test session; returns its site/ directory."""
    project = copy_project(tmp_path_factory.mktemp("default"))
    result = run_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"
