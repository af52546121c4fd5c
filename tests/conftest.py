"""Shared test fixtures: the repository root, a copy of the default data, and site builds."""
from __future__ import annotations

from pathlib import Path

import pytest

from support import copy_project, run_build


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
