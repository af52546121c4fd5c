"""The core is layered and its imports point one way, down; no module patches sys.path."""
from __future__ import annotations

import ast
from pathlib import Path

from support import ROOT

PACKAGE = ROOT / "hooks" / "campaign"
# Bottom to top. A module may import its own layer and the layers below it.
LAYERS = ["records", "rules", "routes", "exports", "site", "check", "editors"]


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "campaign"


def _imports(path: Path) -> list[str]:
    module = ".".join(path.relative_to(ROOT / "hooks").with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "campaign":  # from campaign import routes
                found += [f"campaign.{alias.name}" for alias in node.names]
            elif target.startswith("campaign."):
                found.append(target)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("campaign.")]
    return found


def test_imports_point_down():
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = _layer(".".join(path.relative_to(ROOT / "hooks").with_suffix("").parts))
        if here not in LAYERS:
            continue
        for target in _imports(path):
            there = _layer(target)
            if there in LAYERS and LAYERS.index(there) > LAYERS.index(here):
                upward.append(f"{path.relative_to(ROOT)} imports {target}")
    assert not upward, upward


def test_every_module_is_in_a_layer():
    loose = [p.name for p in PACKAGE.glob("*.py") if p.stem not in LAYERS and p.name != "__init__.py"]
    assert not loose, loose
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"} <= set(LAYERS)


def test_no_sys_path_patching():
    offenders = [str(p.relative_to(ROOT)) for p in list((ROOT / "hooks").rglob("*.py")) + list((ROOT / "tests").rglob("*.py"))
                 + list((ROOT / "benchmarks").glob("*.py")) + [ROOT / "column"]
                 if "sys.path.insert" in p.read_text(encoding="utf-8") and p.name != "test_layers.py"]
    assert not offenders, offenders


def test_no_test_module_imports_another():
    for path in (ROOT / "tests").rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.split(".")[-1].startswith("test_"), (path.name, node.module)
