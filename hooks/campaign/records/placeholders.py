"""Finding drafts not yet filled in: lines still carrying the 【待填写】 mark.

Scaffolded files are valid as created so that `check` passes while an editor works; the
mark keeps a half-filled draft from being published: the adapter logs every mark found
as a warning, which `mkdocs build --strict` (CI, publishing) turns into a failure.
"""
from __future__ import annotations

import re

from campaign.records.problems import Problem

MARK = "【待填写】"  # the scaffolds (editors/yamlwriter.py) write it where a value is to be filled in
_KEY = re.compile(r"^\s*(?:-\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*:")
MESSAGE = f"还有待填写的内容。请按实际情况填写，并删除“{MARK}”记号。"


def marked_lines(display: str, text: str) -> list[Problem]:
    """Every line of one file still carrying the mark (the loader calls this on each data
    file and policy page it reads, so no second pass over the files is needed)."""
    if MARK not in text:
        return []
    return [Problem(display, number, key.group(1) if (key := _KEY.match(line)) else "", MESSAGE)
            for number, line in enumerate(text.splitlines(), 1) if MARK in line]
