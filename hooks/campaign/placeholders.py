"""Finding drafts not yet filled in: lines still carrying the 【待填写】 mark.

Scaffolded files are valid as created so that `check` passes while an editor works; the
mark keeps a half-filled draft from being published: the adapter logs every mark found
as a warning, which `mkdocs build --strict` (CI, publishing) turns into a failure.
"""
from __future__ import annotations

import re
from pathlib import Path

from .problems import Problem
from .yamlwriter import MARK

_KEY = re.compile(r"^\s*(?:-\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*:")
MESSAGE = f"还有待填写的内容。请按实际情况填写，并删除“{MARK}”记号。"


def find(root: Path) -> list[Problem]:
    """Every marked line in data/**/*.yml and content/policies/**/*.md under root."""
    root = Path(root)
    paths = sorted((root / "data").rglob("*.yml")) + sorted((root / "content" / "policies").rglob("*.md"))
    found: list[Problem] = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue  # loading reports unreadable files already
        for number, line in enumerate(text.splitlines(), 1):
            if MARK in line:
                key = _KEY.match(line)
                found.append(Problem(path.relative_to(root).as_posix(), number, key.group(1) if key else "", MESSAGE))
    return found
