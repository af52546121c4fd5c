"""Documentation tests (after Datasette's): the hand-written editors' guide documents every
command and option of ./column, and every environment variable the code reads is
documented in the guide or README."""
from __future__ import annotations

import argparse
import re

from campaign.editors.cli import build_parser
from support import ROOT

GUIDE = ROOT / "content" / "guide"


def _guide_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(GUIDE.rglob("*.md")))


def _commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    """(command path, option strings) for every sub-command, depth first."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                options = [s for a in sub._actions for s in a.option_strings if s.startswith("--") and s != "--help"]
                yield prefix + (name,), options
                yield from _commands(sub, prefix + (name,))


def test_every_command_and_option_is_in_the_guide():
    text = _guide_text()
    missing = []
    for path, options in _commands(build_parser()):
        command = " ".join(path)
        if f"./column {command}" not in text:
            missing.append(f"./column {command}")
        for option in options:
            if option not in text:
                missing.append(f"./column {command} {option}")
    assert not missing, missing


def test_every_environment_variable_is_documented():
    read = set()
    for path in list((ROOT / "hooks").rglob("*.py")) + [ROOT / "column"]:
        source = path.read_text(encoding="utf-8")
        read |= set(re.findall(r"""environ(?:\.get)?[\[(]\s*["']([A-Z][A-Z0-9_]+)["']""", source))
        read |= set(re.findall(r"""getenv\(\s*["']([A-Z][A-Z0-9_]+)["']""", source))
    assert {"AS_OF"} <= read
    documented = _guide_text() + (ROOT / "README.md").read_text(encoding="utf-8")
    missing = sorted(name for name in read if name not in documented)
    assert not missing, missing
