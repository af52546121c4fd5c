"""Write a synthetic but valid project at a chosen scale, for the benchmark.

Scale ×1 is the bundled default county. Scale ×N adds N−1 copies of the county's own
records (units, actions with tasks, monthly reports, cases, policies, cleanup entries)
under prefixed ids (k2-…, k3-…), as if a province portal hosted many counties' columns.
The plan, leadership, site, surveys and publicity weeks stay single. Every copy is marked
sample, and the result passes the same validation as editors' data.

    python3 benchmarks/generate.py --scale 10 --out /tmp/bench-x10
"""
from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

from campaign.records.problems import Problems
from campaign.records.yamlsource import parse_yaml, split_front_matter

COPIED = ("mkdocs.yml", "hooks", "overrides", "content", "data")


def _read(path: Path):
    source = parse_yaml(path.read_text(encoding="utf-8"), path.name, Problems())
    return source.data


def _index_no(index_no: str, k: int) -> str:
    """zyx…/2018-0025 → zyx…/2018-002025 for copy 2: unique and still the site's 索引号 format."""
    head, _, number = index_no.rpartition("-")
    return f"{head}-{k:03d}{int(number) % 1000:03d}"


def _dump(data, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


class _Renamer:
    """Maps the default county's ids to copy k's ids (units, actions, tasks, cases, docs)."""

    def __init__(self, k: int, unit_ids: set[str], action_ids: set[str], doc_ids: set[str]):
        self.prefix = f"k{k}-"
        self.units, self.actions, self.docs = unit_ids, action_ids, doc_ids

    def unit(self, uid: str) -> str:
        return self.prefix + uid if uid in self.units else uid

    def action(self, aid: str) -> str:
        return self.prefix + aid

    def task(self, tid: str) -> str:
        return self.prefix + tid

    def doc(self, did: str) -> str:
        return self.prefix + did if did in self.docs else did


def _copy_county(k: int, src: Path, out: Path, ren: _Renamer) -> None:
    data_out = out / "data"
    units = _read(src / "data/units.yml")["units"]
    extra_units = [{**u, "id": ren.unit(u["id"]), "name": f"{u['name']}（第{k}县示例）",
                    "short": f"{u['short']}（{k}）"} for u in units]
    merged = _read(data_out / "units.yml")
    merged["units"].extend(extra_units)
    _dump(merged, data_out / "units.yml")

    for path in sorted((src / "data/actions").glob("*.yml")):
        a = _read(path)
        a.update(id=ren.action(a["id"]), name=f"{a['name']}（第{k}县）", sample=True,
                 lead_unit=ren.unit(a["lead_unit"]),
                 cooperating_units=[ren.unit(u) for u in a.get("cooperating_units", [])])
        for t in a["tasks"]:
            t["id"] = ren.task(t["id"])
        _dump(a, data_out / "actions" / f"{a['id']}.yml")

    for path in sorted((src / "data/reports").rglob("*.yml")):
        r = _read(path)
        r.update(action=ren.action(r["action"]), sample=True)
        for item in r["tasks"]:
            item["task"] = ren.task(item["task"])
        for item in r.get("corrections") or []:
            item["task"] = ren.task(item["task"])
        _dump(r, data_out / "reports" / r["month"] / f"{r['action']}.yml")

    for path in sorted((src / "data/cases").rglob("*.yml")):
        c = _read(path)
        c.update(id=ren.prefix + c["id"], sample=True, units=[ren.unit(u) for u in c["units"]],
                 actions=[ren.action(a) for a in c.get("actions", [])])
        _dump(c, data_out / "cases" / f"{c['id']}.yml")

    for path in sorted((src / "data/cleanup").glob("*.yml")):
        block = _read(path)
        for e in block["entries"]:
            e.update(unit=ren.unit(e["unit"]), sample=True, document=f"{e['document']}（第{k}县）")
        _dump(block, data_out / "cleanup" / f"{path.stem}-k{k}.yml")

    for path in sorted((src / "content/policies").glob("*.md")):
        if path.name == "index.md":
            continue
        parts = split_front_matter(path.read_text(encoding="utf-8"))
        if parts is None:
            continue
        meta = parse_yaml(parts[0], path.name, Problems()).data
        meta.update(id=ren.doc(meta["id"]), sample=True, index_no=_index_no(meta["index_no"], k),
                    publisher=ren.unit(meta["publisher"]),
                    actions=[ren.action(a) for a in meta.get("actions", [])])
        for key in ("interprets", "replaced_by"):
            if meta.get(key):
                meta[key] = ren.doc(meta[key])
        if meta.get("doc_no"):
            meta["doc_no"] = re.sub(r"(\d+)号$", lambda m: f"{int(m[1]) + 1000 * k}号", meta["doc_no"])
        text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + parts[1]
        (out / "content/policies" / f"{meta['id']}.md").write_text(text, encoding="utf-8")


def generate(scale: int, out: Path, src: Path = ROOT) -> Path:
    """Write a project at `scale` into `out` (replaced if it exists) and return it."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in COPIED:
        if (src / name).is_dir():
            shutil.copytree(src / name, out / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src / name, out / name)
    unit_ids = {u["id"] for u in _read(src / "data/units.yml")["units"]}
    action_ids = {p.stem for p in (src / "data/actions").glob("*.yml")}
    doc_ids = set()
    for path in (src / "content/policies").glob("*.md"):
        parts = split_front_matter(path.read_text(encoding="utf-8"))
        if parts:
            doc_ids.add(parse_yaml(parts[0], path.name, Problems()).data["id"])
    for k in range(2, scale + 1):
        _copy_county(k, src, out, _Renamer(k, unit_ids, action_ids, doc_ids))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="生成指定规模的合成数据（用于性能基准）")
    parser.add_argument("--scale", type=int, default=10, help="规模倍数：1 为默认县的数据量")
    parser.add_argument("--out", type=Path, required=True, help="输出目录（已存在则覆盖）")
    args = parser.parse_args()
    generate(args.scale, args.out)
    print(f"已生成 ×{args.scale} 数据：{args.out}")


if __name__ == "__main__":
    main()
