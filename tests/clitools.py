"""Running the editors' tool through its real entry point (./column) in a project copy."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

COLUMN = ROOT / "column"


def run_cli(project: Path, *args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`./column <args>` run in project (or cwd); returns the finished process."""
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run([sys.executable, str(COLUMN), *args], cwd=cwd or project, capture_output=True,
                          text=True, env=full_env, timeout=300)

