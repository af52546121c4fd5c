"""Build the column at several data scales and print the figures issue 8 asks for.

    python3 benchmarks/run.py                 # ×1, ×10, ×100
    python3 benchmarks/run.py --scales 1      # the quick run the tests use

Per scale: records, generated pages, total build time, time in our own code (the hook's
handlers: load, validate, derive, render, post-build) versus MkDocs/Material, peak memory,
largest and median HTML page, search index bytes, open-data bytes, the time of a data
check alone, and the same generated pages built as plain Markdown with stock Material.
Figures are printed, never asserted: targets are listed with 达标/未达标 beside them.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from generate import generate

import yaml

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

# Peak RSS of one child command, measured by a tiny wrapper so other builds don't mix in.
_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)\n"
    "sys.stderr.write(r.stdout[-3000:] + r.stderr[-3000:])\n"
)


def measure(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, int]:
    """(seconds, peak RSS in KiB) of a command; raises with its output if it fails."""
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], cwd=cwd, capture_output=True,
                          text=True, env=env or ENV)
    seconds, rss, code = done.stdout.split()
    if int(code) != 0:
        raise SystemExit(f"命令失败：{' '.join(command)}\n{done.stderr}")
    return float(seconds), int(rss)


def count_records(project: Path) -> tuple[int, int]:
    """(records, generated pages) as the core sees them."""
    code = (
        "import sys, json\n"
        "from pathlib import Path\n"
        "from campaign.check import load\n"
        "from campaign.site.pages import build_all\n"
        "d = load(Path('data'), Path('content'))\n"
        "n = (len(d.unit_list) + len(d.action_list) + sum(len(a.tasks) for a in d.action_list)"
        " + len(d.reports) + sum(len(r.tasks) for r in d.reports) + len(d.cases) + len(d.policies)"
        " + len(d.publicity_weeks) + sum(len(w.events) for w in d.publicity_weeks) + len(d.surveys)"
        " + len(d.cleanup) + len(d.plan.measures) + len(d.plan.methods))\n"
        "print(json.dumps([n, len(build_all(d))]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, env=ENV)
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    records, pages = json.loads(out.stdout)
    return records, pages


def html_sizes(site: Path) -> list[int]:
    return sorted(p.stat().st_size for p in site.rglob("*.html"))


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def stock_project(project: Path, target: Path) -> Path:
    """The same pages as plain Markdown files, built by stock Material without our hooks."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from campaign.check import load\n"
        "from campaign.site.pages import build_all, policies\n"
        "target = Path(sys.argv[1])\n"
        "d = load(Path('data'), Path('content'))\n"
        "for page in build_all(d):\n"
        "    out = target / 'docs' / page.src_uri\n"
        "    out.parent.mkdir(parents=True, exist_ok=True)\n"
        "    out.write_text(page.content, encoding='utf-8')\n"
        "for p in d.policies:\n"
        "    out = target / 'docs' / p.src_uri\n"
        "    out.parent.mkdir(parents=True, exist_ok=True)\n"
        "    out.write_text(policies.decorate(d, p.src_uri, p.body), encoding='utf-8')\n"
    )
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    subprocess.run([sys.executable, "-c", code, str(target)], cwd=project, check=True, env=ENV)
    for extra in (project / "content").rglob("*"):
        dest = target / "docs" / extra.relative_to(project / "content")
        if extra.is_file() and not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(extra, dest)
    # Stock Material with our navigation (index pages only) and Markdown extensions, but
    # without our hooks, theme overrides, stylesheets or search settings.
    ours = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    stock = {"site_name": "基准对照", "theme": {"name": "material", "language": "zh", "font": False},
             "plugins": ["search"], "markdown_extensions": ours["markdown_extensions"], "nav": ours["nav"],
             "validation": {"nav": {"omitted_files": "ignore"}}}
    (target / "mkdocs.yml").write_text(yaml.dump(stock, Dumper=_ConfigDumper, allow_unicode=True, sort_keys=False),
                                       encoding="utf-8")
    return target


# mkdocs.yml names Python callables (the toc extension's slugify) with !!python/ tags:
# kept as they are, so the stock build gets the same Markdown extensions.
class _PythonTag(dict):
    tag = ""


class _ConfigLoader(yaml.SafeLoader):
    pass


class _ConfigDumper(yaml.SafeDumper):
    pass


def _construct_python_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _PythonTag:
    tagged = _PythonTag(loader.construct_mapping(node, deep=True))
    tagged.tag = "tag:yaml.org,2002:python/" + suffix
    return tagged


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_python_tag)
_ConfigDumper.add_representer(_PythonTag, lambda dumper, data: dumper.represent_mapping(data.tag, dict(data)))


def run_scale(scale: int, workdir: Path, stock: bool) -> dict:
    project = generate(scale, workdir / f"x{scale}")
    records, pages = count_records(project)
    timings_file = workdir / f"timings-x{scale}.json"
    env = {**ENV, "COLUMN_TIMINGS": str(timings_file)}
    build_s, rss = measure([sys.executable, "-m", "mkdocs", "build", "-q", "--strict"], project, env)
    own = json.loads(timings_file.read_text()) if timings_file.exists() else {}
    # external:… is third-party work our hook starts (Pagefind indexing), not our own code.
    own_s = sum(v for k, v in own.items() if not k.startswith("external:"))
    check_s, _ = measure([sys.executable, "-c",
                          "import sys; from pathlib import Path;"
                          "from campaign.check import check_project; check_project(Path('.'))"], project)
    # 文字把关 (proofreading and the personal-data guard over every published text): the pass
    # alone, run once more on the loaded data; it is part of check_s above.
    proofread = subprocess.run([sys.executable, "-c",
                                "from pathlib import Path; from campaign.check import load;"
                                "from campaign.rules.proofreading import timed_pass;"
                                "d = load(Path('data'), Path('content')); print(timed_pass(d, Path('content')))"],
                               cwd=project, capture_output=True, text=True, env=ENV)
    proofread_s = float(proofread.stdout.split()[-1]) if proofread.returncode == 0 and proofread.stdout.strip() else 0.0
    site = project / "site"
    sizes = html_sizes(site)
    figures = {
        "scale": scale, "records": records, "generated_pages": pages, "html_pages": len(sizes),
        "build_s": build_s, "own_s": own_s, "own_share": own_s / build_s if build_s else 0.0,
        "own_by_event": own, "peak_rss_mb": rss / 1024, "largest_html_kb": sizes[-1] / 1024,
        "median_html_kb": statistics.median(sizes) / 1024,
        # Pagefind's whole bundle (a visitor fetches only a few chunks of it).
        "search_index_bytes": dir_bytes(site / "pagefind"),
        "opendata_bytes": dir_bytes(site / "opendata"), "check_s": check_s, "proofread_s": proofread_s,
    }
    if stock:
        plain = stock_project(project, workdir / f"stock-x{scale}")
        stock_s, _ = measure([sys.executable, "-m", "mkdocs", "build", "-q"], plain)
        stock_index = (plain / "site/search/search_index.json").stat().st_size
        figures.update(stock_build_s=stock_s, stock_search_index_bytes=stock_index,
                       build_ratio=build_s / stock_s if stock_s else 0.0,
                       search_index_ratio=figures["search_index_bytes"] / stock_index)
    return figures


def print_scale(f: dict) -> None:
    print(f"\n== ×{f['scale']} ==")
    print(f"记录数 records: {f['records']}")
    print(f"生成页面 generated pages: {f['generated_pages']}（HTML 共 {f['html_pages']} 个）")
    print(f"构建总耗时 build time: {f['build_s']:.2f} s")
    print(f"自有代码耗时 own code: {f['own_s']:.2f} s（占 {f['own_share']:.1%}）；MkDocs/Material: {f['build_s'] - f['own_s']:.2f} s")
    print("  分项 by event: " + ", ".join(f"{k} {v:.2f} s" for k, v in sorted(f["own_by_event"].items())))
    print(f"峰值内存 peak RSS: {f['peak_rss_mb']:.0f} MB")
    print(f"最大 HTML 页面 largest page: {f['largest_html_kb']:.1f} KB；中位数 median: {f['median_html_kb']:.1f} KB")
    print(f"搜索索引 search index: {f['search_index_bytes']} bytes（每页 {f['search_index_bytes'] / max(1, f['html_pages']):.0f} bytes）")
    print(f"开放数据 open data: {f['opendata_bytes']} bytes")
    print(f"仅检查数据 check: {f['check_s']:.2f} s")
    print(f"  其中文字把关 proofreading pass: {f['proofread_s']:.3f} s（占检查 {f['proofread_s'] / max(f['check_s'], 1e-9):.1%}）")
    if "stock_build_s" in f:
        print(f"原版 Material 构建同样页面 stock build: {f['stock_build_s']:.2f} s（本项目/原版 = {f['build_ratio']:.2f}）")
        print(f"原版搜索索引 stock search index: {f['stock_search_index_bytes']} bytes（本项目/原版 = {f['search_index_ratio']:.1%}）")


def print_targets(results: dict[int, dict]) -> None:
    def verdict(ok: bool) -> str:
        return "达标" if ok else "未达标"
    print("\n== 目标 targets ==")
    big = results.get(max(results))
    small = results.get(min(results))
    print(f"自有代码 ≤ 10 % 构建时间（×{big['scale']}）：{big['own_share']:.1%} {verdict(big['own_share'] <= 0.10)}")
    if 10 in results and 100 in results:
        ratio = results[100]["build_s"] / results[10]["build_s"]
        print(f"time(×100)/time(×10) ≤ 11：{ratio:.2f} {verdict(ratio <= 11)}")
    grow = big["largest_html_kb"] / small["largest_html_kb"]
    print(f"最大页面 ×{big['scale']} / ×{small['scale']} ≤ 1.2：{grow:.2f} {verdict(grow <= 1.2)}；"
          f"且 < 60 KB：{big['largest_html_kb']:.1f} KB {verdict(big['largest_html_kb'] < 60)}")
    if "search_index_ratio" in big:
        # Pagefind's bundle is chunked: the ratio compares totals, not what a visitor loads.
        print(f"搜索索引（Pagefind 全部分块）/ 原版单文件：{big['search_index_ratio']:.1%}")
    print(f"峰值内存 < 1.5 GB：{big['peak_rss_mb']:.0f} MB {verdict(big['peak_rss_mb'] < 1536)}")
    print(f"检查数据 < 10 s：{big['check_s']:.2f} s {verdict(big['check_s'] < 10)}")


def main() -> None:
    parser = argparse.ArgumentParser(description="按不同数据规模构建专栏并打印性能数据")
    parser.add_argument("--scales", default="1,10,100", help="逗号分隔的规模倍数，默认 1,10,100")
    parser.add_argument("--no-stock", action="store_true", help="不构建原版 Material 对照")
    parser.add_argument("--workdir", type=Path, help="工作目录（默认临时目录，结束后删除）")
    parser.add_argument("--json", type=Path, help="另存全部数据为 JSON")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    work = args.workdir or Path(tempfile.mkdtemp(prefix="column-bench-"))
    print(f"机器 machine: {os.cpu_count()} 核, Python {sys.version.split()[0]}, {sys.platform}")
    results = {}
    try:
        for scale in scales:
            results[scale] = run_scale(scale, work, stock=not args.no_stock)
            print_scale(results[scale])
        print_targets(results)
        if args.json:
            args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
