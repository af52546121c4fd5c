"""Build the column at several data scales and profiles and print the figures.

    python3 benchmarks/run.py                                  # both profiles, ×1, ×10, ×100
    python3 benchmarks/run.py --scales 1                       # the quick run
    python3 benchmarks/run.py --scales 1,10 --profiles long    # the long-text profile only
    python3 benchmarks/run.py --scales 1 --counties 8          # + 8 county projects in parallel

Profiles (benchmarks/generate.py): `short`, the default county copied N times (4 months of
one-sentence reports); `long`, 24 months of multi-paragraph reports per action and policy
bodies of 3,000–10,000 characters.

Per profile and scale: records, generated pages, total build time (wall and CPU), time in
our own code (the hook's handlers) versus MkDocs/Material, peak memory, largest and median
HTML page and pages over 60 KB, search index bytes, open-data bytes, the real `./column
check` command (wall and CPU; with no cache, with the cache, and after one report edited),
and the same generated pages built as plain Markdown with
stock Material. Every project is a git repository with one commit per monthly report, as
the editors' guide prescribes (built with `git fast-import`): the change history is timed
with an empty cache and with the cache, and the build includes it.

Preview (`--preview-scale`, default 10): `./column preview` (what editors are told to run;
`--preview-mode serve` or `serve-dirty` for plain `mkdocs serve [--dirty]`) on that project;
one report file is rewritten and the time until the served action page shows the new text
is printed, with the CPU seconds the preview's processes spent meanwhile.
Counties (`--counties N`): N copies of the ×1 project (one county each) built by parallel
processes, one per core, and the throughput in HTML pages per second per core.

Figures are printed, never asserted: targets are listed with 达标/未达标 beside them. The
machine the benchmark ran on is shared: CPU seconds are printed beside wall seconds.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from generate import generate

import yaml

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

# Wall time, CPU time and peak RSS of one child command (and its children), measured by a
# tiny wrapper so other builds don't mix in.
_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(time.perf_counter() - t, u.ru_utime + u.ru_stime, u.ru_maxrss, r.returncode)\n"
    "sys.stderr.write(r.stdout[-3000:] + r.stderr[-3000:])\n"
)


def measure_full(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak RSS in KiB) of a command; raises with its output if it fails."""
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], cwd=cwd, capture_output=True,
                          text=True, env=env or ENV)
    seconds, cpu, rss, code = done.stdout.split()
    if int(code) != 0:
        raise SystemExit(f"命令失败：{' '.join(command)}\n{done.stderr}")
    return float(seconds), float(cpu), int(rss)


def measure(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, int]:
    """(seconds, peak RSS in KiB) of a command; raises with its output if it fails."""
    seconds, _, rss = measure_full(command, cwd, env)
    return seconds, rss


# --- A git repository with one commit per monthly report ------------------------------------

_GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
_SUBMITTED = re.compile(rb"(?m)^submitted: *['\"]?(\d{4}-\d{2}-\d{2})")


def git_backed(project: Path) -> int:
    """Make project a git repository: one commit with everything but the monthly reports,
    then one commit per report (oldest month first, dated the day it was submitted), as
    editors commit them. Written with `git fast-import` (seconds for thousands of commits).
    Returns the number of commits."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | _GIT_ENV
    shutil.rmtree(project / ".git", ignore_errors=True)
    (project / ".gitignore").write_text("/site/\n__pycache__/\n", encoding="utf-8")
    files = sorted(p for p in project.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                   and p.relative_to(project).parts[0] not in (".git", "site"))
    reports_dir = project / "data" / "reports"
    reports = sorted((p for p in files if reports_dir in p.parents),
                     key=lambda p: (p.parent.name, p.name))
    first = [p for p in files if reports_dir not in p.parents]
    stream = bytearray()

    def commit(paths: list[Path], message: str, when: datetime, mark: int) -> None:
        text = message.encode()
        stream.extend(f"commit refs/heads/main\nmark :{mark}\n"
                      f"committer 基准测试 <bench@example.invalid> {int(when.timestamp())} +0800\n"
                      f"data {len(text)}\n".encode() + text + b"\n")
        if mark > 1:
            stream.extend(f"from :{mark - 1}\n".encode())
        for path in paths:
            content = path.read_bytes()
            stream.extend(f"M 100644 inline {path.relative_to(project).as_posix()}\ndata {len(content)}\n".encode())
            stream.extend(content + b"\n")

    china = timezone(timedelta(hours=8))
    start = datetime(2018, 4, 1, 9, 0, tzinfo=china)
    commit(first, "初始数据", start, 1)
    for number, path in enumerate(reports, 2):
        content = path.read_bytes()
        found = _SUBMITTED.search(content)
        day = datetime.fromisoformat(found.group(1).decode()).replace(hour=10, tzinfo=china) if found else start
        commit([path], f"{path.parent.name} {path.stem} 月度进展", max(day, start) + timedelta(seconds=number), number)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=project, check=True, env=env)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=project, input=bytes(stream), check=True, env=env)
    subprocess.run(["git", "reset", "-q"], cwd=project, check=True, env=env)
    return 1 + len(reports)


_HISTORY = (
    "import json, shutil, sys, time\n"
    "from pathlib import Path\n"
    "from campaign.exports import history\n"
    "run = history.subprocess_runner(Path('.'))\n"
    "if sys.argv[1] == 'cold':\n"
    "    shutil.rmtree(Path(run(['rev-parse', '--absolute-git-dir'], None).decode().strip()) / 'column-cache', ignore_errors=True)\n"
    "t = time.perf_counter()\n"
    "h = history.task_history(run)\n"
    "print(json.dumps([time.perf_counter() - t, h.available, sum(len(c) for c in h.changes.values())]))\n"
)


def time_history(project: Path, mode: str) -> tuple[float, int]:
    """(seconds, changes listed) of the change history, with an empty cache (cold) or not."""
    done = subprocess.run([sys.executable, "-c", _HISTORY, mode], cwd=project, capture_output=True, text=True,
                          env=ENV, check=True)
    seconds, available, changes = json.loads(done.stdout)
    if not available:
        raise SystemExit(f"变更记录不可用：{project}")
    return seconds, changes


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
    """The same pages as plain Markdown files, built by stock Material without our hooks.

    Generated pages' content is HTML (our templates write it; the adapter skips Markdown):
    stock Material gets it as .md files all the same and runs its Markdown pass over every
    page, where the HTML goes through as raw blocks, cheaper for it than the Markdown tables
    it parsed before, so the comparison does not flatter our build."""
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


def _without_check_cache(project: Path) -> None:
    """No check cache and no saved report: the build or check that follows is a cold one, as
    on a fresh clone (the first after a code change)."""
    from campaign.records.filecache import cache_path

    cache_path(project).unlink(missing_ok=True)
    for saved in cache_path(project).parent.glob("check-*"):
        saved.unlink()


def time_check(project: Path) -> dict:
    """The real `./column check`, three times: with no cache (the first run after a clone or
    a code change), with the cache of the previous run and nothing changed, and after one
    report file was edited (what an editor does between two checks). The build before has
    filled the cache: it is removed first."""
    command = [sys.executable, str(project / "column"), "check"]
    _without_check_cache(project)
    figures = {}
    for run in ("cold", "warm", "edited"):
        report, original = None, b""
        if run == "edited":
            report = sorted((project / "data" / "reports").rglob("*.yml"))[-1]
            original = report.read_bytes()
            report.write_bytes(original + "\n# 编辑修改\n".encode("utf-8"))
        try:
            seconds, cpu, rss = measure_full(command, project)
        finally:
            if report is not None:
                report.write_bytes(original)
        suffix = "" if run == "warm" else f"_{run}"
        figures.update({f"check{suffix}_s": seconds, f"check{suffix}_cpu_s": cpu, f"check{suffix}_rss_mb": rss / 1024})
    return figures


def compiled(project: Path) -> Path:
    """The project's own Python compiled to bytecode once, as a county's machine has it after
    its first build (or pip has it for an installed package): stock Material's modules come
    compiled from their install, and where PYTHONDONTWRITEBYTECODE is set (this machine's
    shell, many CI images) a fresh copy of hooks/ would otherwise be compiled by every build."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(project / "hooks")], check=True,
                   stdout=subprocess.DEVNULL)
    return project


def run_scale(profile: str, scale: int, workdir: Path, stock: bool, repeat: int = 1) -> dict:
    project = compiled(generate(scale, workdir / f"{profile}-x{scale}", profile=profile))
    commits = git_backed(project)
    records, pages = count_records(project)
    history_cold_s, changes = time_history(project, "cold")
    history_warm_s, _ = time_history(project, "warm")
    timings_file = workdir / f"timings-{profile}-x{scale}.json"
    env = {**ENV, "COLUMN_TIMINGS": str(timings_file)}
    # Our build and stock Material's, one after the other `repeat` times: the machine's speed
    # drifts (by a quarter within minutes on a shared host), and pairs taken close together
    # see the same machine. Each of our builds starts without a check cache.
    plain = stock_project(project, workdir / f"stock-{profile}-x{scale}") if stock else None
    runs, stock_runs = [], []
    for _ in range(max(1, repeat)):
        _without_check_cache(project)
        runs.append(measure_full([sys.executable, "-m", "mkdocs", "build", "-q", "--strict"], project, env))
        if plain is not None:
            stock_runs.append(measure_full([sys.executable, "-m", "mkdocs", "build", "-q"], plain))
    build_s = statistics.median(r[0] for r in runs)
    build_cpu_s = statistics.median(r[1] for r in runs)
    rss = max(r[2] for r in runs)
    own = json.loads(timings_file.read_text()) if timings_file.exists() else {}
    peaks_file = Path(str(timings_file) + ".rss.json")
    peaks = json.loads(peaks_file.read_text()) if peaks_file.exists() else {}
    # external:… is third-party work our hook starts (Pagefind indexing), not our own code.
    own_s = sum(v for k, v in own.items() if not k.startswith("external:"))
    check = time_check(project)
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
        "profile": profile, "scale": scale, "records": records, "generated_pages": pages, "html_pages": len(sizes),
        "build_s": build_s, "build_cpu_s": build_cpu_s, "own_s": own_s,
        "own_share": own_s / build_s if build_s else 0.0,
        "own_by_event": own, "build_self_rss_mb": peaks.get("self_mb", 0.0),
        "worker_rss_mb": peaks.get("worker_mb", 0.0), "pagefind_rss_mb": peaks.get("pagefind_mb", 0.0),
        "text_rules_rss_mb": peaks.get("text_rules_mb", 0.0), "ahead_rss_mb": peaks.get("ahead_mb", 0.0),
        # The largest process of the build; a child's ru_maxrss is no measure (a child spawned
        # by a large process is charged that process's size), so each reports its own (the
        # text rules' process counts the pages it shares with the build process it was forked
        # from: most of its figure).
        "peak_rss_mb": max(peaks.get("self_mb", rss / 1024), peaks.get("worker_mb", 0.0), peaks.get("pagefind_mb", 0.0),
                           peaks.get("text_rules_mb", 0.0), peaks.get("ahead_mb", 0.0)),
        "largest_html_kb": sizes[-1] / 1024,
        "median_html_kb": statistics.median(sizes) / 1024, "pages_over_60kb": sum(1 for n in sizes if n > 60 * 1024),
        "search_index_bytes": _search_index_bytes(site),
        "opendata_bytes": dir_bytes(site / "opendata"), **check, "proofread_s": proofread_s,
        "commits": commits, "history_changes": changes,
        "history_cold_s": history_cold_s, "history_warm_s": history_warm_s,
        "build_runs_s": [r[0] for r in runs],
    }
    if plain is not None:
        stock_s = statistics.median(r[0] for r in stock_runs)
        stock_cpu_s = statistics.median(r[1] for r in stock_runs)
        stock_index = _search_index_bytes(plain / "site")
        figures.update(stock_build_s=stock_s, stock_build_cpu_s=stock_cpu_s, stock_search_index_bytes=stock_index,
                       stock_runs_s=[r[0] for r in stock_runs],
                       pair_ratios=[ours[0] / theirs[0] for ours, theirs in zip(runs, stock_runs) if theirs[0]],
                       build_ratio=build_s / stock_s if stock_s else 0.0,
                       build_cpu_ratio=build_cpu_s / stock_cpu_s if stock_cpu_s else 0.0,
                       search_index_ratio=figures["search_index_bytes"] / stock_index if stock_index else 0.0)
        shutil.rmtree(plain, ignore_errors=True)
    return figures


def _search_index_bytes(site: Path) -> int:
    """The theme's search index, or Pagefind's index folder when the build writes one."""
    theme = site / "search" / "search_index.json"
    return theme.stat().st_size if theme.exists() else dir_bytes(site / "pagefind")


# --- Preview: the time from saving a report to the refreshed page under `mkdocs serve` ------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


PREVIEW_MODES = {"column": "./column preview", "serve": "mkdocs serve", "serve-dirty": "mkdocs serve --dirty"}


def _group_cpu(group: int) -> float:
    """CPU seconds (user + system) of the processes of a process group and of the children
    they have reaped (the background search index), from Linux /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:          # pgrp
            total += sum(int(x) for x in fields[11:15])   # utime, stime, cutime, cstime
    return total / ticks


def preview_latency(project: Path, edits: int, mode: str = "column", timeout: float = 1800) -> list[tuple[float, float, dict]]:
    """(seconds, CPU seconds, seconds in our handlers by event) from rewriting one report
    file to the served action page showing the new text, once per edit, under `./column
    preview` or plain `mkdocs serve`."""
    port = _free_port()
    if mode == "column":
        command = [sys.executable, str(project / "column"), "preview", "-a", f"127.0.0.1:{port}"]
    else:
        command = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"]
        if mode == "serve-dirty":
            command += ["--dirty", "--no-strict"]
    reports = sorted((project / "data/reports").rglob("*.yml"), key=lambda p: (p.parent.name, p.name))
    report = reports[-1]
    action = re.search(r"(?m)^action: *(\S+)", report.read_text(encoding="utf-8")).group(1)
    config = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    mount = urllib.parse.urlsplit(config.get("site_url") or "/").path.rstrip("/")   # serve mounts the site there
    url = f"http://127.0.0.1:{port}{mount}/actions/{action}/"
    timings = project / "preview-timings.json"     # the hook writes each rebuild's own times
    server = subprocess.Popen(command, cwd=project, env={**ENV, "COLUMN_TIMINGS": str(timings)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    seconds = []
    try:
        deadline = time.monotonic() + timeout
        while _get(url) is None:                       # the first full build
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("mkdocs serve 没有启动")
            time.sleep(1)
        original = report.read_text(encoding="utf-8")
        for number in range(1, edits + 1):
            marker = f"基准预览标记{number}号"
            text = re.sub(r"(?m)^progress: *", f"progress: {marker}", original, count=1)
            time.sleep(3)  # the previous edit's search index, written in the background, is done
            timings.unlink(missing_ok=True)
            cpu = _group_cpu(server.pid)
            start = time.monotonic()
            report.write_text(text, encoding="utf-8")
            while True:
                page = _get(url)
                if page is not None and marker in page:
                    wall, used = time.monotonic() - start, _group_cpu(server.pid) - cpu
                    while not timings.exists() and time.monotonic() - start < timeout:   # the build's last event
                        time.sleep(0.1)
                    time.sleep(0.2)
                    seconds.append((wall, used, json.loads(timings.read_text(encoding="utf-8") or "{}")))
                    break
                if time.monotonic() - start > timeout or server.poll() is not None:
                    raise SystemExit("预览没有刷新")
                time.sleep(0.2)
        report.write_text(original, encoding="utf-8")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    return seconds


# --- Many counties on one machine ------------------------------------------------------------

def counties_throughput(profile: str, counties: int, workdir: Path) -> dict:
    """N county projects (each the ×1 project of the profile, its own folder and build) built
    by parallel processes, as many at a time as the machine has cores."""
    base = compiled(generate(1, workdir / f"county-{profile}-base", profile=profile))
    projects = []
    for number in range(1, counties + 1):
        target = workdir / f"county-{profile}-{number}"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(base, target)
        projects.append(target)
    cores = os.cpu_count() or 1

    def build(project: Path) -> tuple[float, float]:
        seconds, cpu, _ = measure_full([sys.executable, "-m", "mkdocs", "build", "-q", "--strict"], project)
        return seconds, cpu

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=cores) as pool:
        results = list(pool.map(build, projects))
    wall = time.perf_counter() - start
    pages = sum(len(html_sizes(p / "site")) for p in projects)
    for project in projects + [base]:
        shutil.rmtree(project, ignore_errors=True)
    return {"profile": profile, "counties": counties, "cores": cores, "wall_s": wall, "pages": pages,
            "cpu_s": sum(cpu for _, cpu in results), "pages_per_s": pages / wall,
            "pages_per_s_per_core": pages / wall / cores}


# --- Printing ----------------------------------------------------------------------------------

def print_scale(f: dict) -> None:
    print(f"\n== {f['profile']} ×{f['scale']} ==")
    print(f"记录数 records: {f['records']}")
    print(f"生成页面 generated pages: {f['generated_pages']}（HTML 共 {f['html_pages']} 个）")
    runs = f.get("build_runs_s", [])
    each = f"；各次 runs: {', '.join(f'{r:.2f}' for r in runs)} s，取中位数" if len(runs) > 1 else ""
    print(f"构建总耗时 build time: {f['build_s']:.2f} s（CPU {f['build_cpu_s']:.2f} s{each}）")
    print(f"自有代码耗时 own code: {f['own_s']:.2f} s（占 {f['own_share']:.1%}）；MkDocs/Material: {f['build_s'] - f['own_s']:.2f} s")
    print("  分项 by event: " + ", ".join(f"{k} {v:.2f} s" for k, v in sorted(f["own_by_event"].items())))
    print(f"峰值内存 peak RSS（最大的一个进程）: {f['peak_rss_mb']:.0f} MB（构建进程 build process "
          f"{f.get('build_self_rss_mb', 0):.0f} MB，页面子进程 page worker {f.get('worker_rss_mb', 0):.0f} MB，"
          f"Pagefind 索引进程（最大的一部分）indexer {f.get('pagefind_rss_mb', 0):.0f} MB，"
          f"文字把关子进程 text rules {f.get('text_rules_rss_mb', 0):.0f} MB，"
          f"提前生成页面与下载文件的子进程（最大的一个）ahead {f.get('ahead_rss_mb', 0):.0f} MB，含与构建进程共享的内存页）")
    print(f"最大 HTML 页面 largest page: {f['largest_html_kb']:.1f} KB；中位数 median: {f['median_html_kb']:.1f} KB；"
          f"超过 60 KB 的页面 pages over 60 KB: {f['pages_over_60kb']}")
    print(f"搜索索引 search index: {f['search_index_bytes']} bytes（每页 {f['search_index_bytes'] / max(1, f['html_pages']):.0f} bytes）")
    print(f"开放数据 open data: {f['opendata_bytes']} bytes")
    print(f"仅检查数据 check（./column check）: 无缓存 cold {f['check_cold_s']:.2f} s（CPU {f['check_cold_cpu_s']:.2f} s，"
          f"内存 {f['check_cold_rss_mb']:.0f} MB）；有缓存 warm {f['check_s']:.2f} s（CPU {f['check_cpu_s']:.2f} s，"
          f"内存 {f['check_rss_mb']:.0f} MB）；改动一份报告后 after one edit {f['check_edited_s']:.2f} s"
          f"（CPU {f['check_edited_cpu_s']:.2f} s）")
    # The pass alone, without the cache: a share of the check without the cache.
    print(f"  其中文字把关 proofreading pass（无缓存）: {f['proofread_s']:.3f} s"
          f"（占无缓存检查 {f['proofread_s'] / max(f['check_cold_s'], 1e-9):.1%}）")
    print(f"变更记录 history（{f['commits']} 个提交，每份报告一个；{f['history_changes']} 条变更）: "
          f"无缓存 cold {f['history_cold_s']:.2f} s，有缓存 warm {f['history_warm_s']:.2f} s")
    if "stock_build_s" in f:
        print(f"原版 Material 构建同样页面 stock build: {f['stock_build_s']:.2f} s（CPU {f['stock_build_cpu_s']:.2f} s）"
              f"（本项目/原版 = {f['build_ratio']:.2f}，按 CPU {f['build_cpu_ratio']:.2f}）")
        if len(f.get("stock_runs_s", [])) > 1:
            print(f"  原版各次 stock runs: {', '.join(f'{r:.2f}' for r in f['stock_runs_s'])} s；"
                  f"相邻两次之比 pair ratios: {', '.join(f'{r:.2f}' for r in f['pair_ratios'])}")
        print(f"原版搜索索引 stock search index: {f['stock_search_index_bytes']} bytes（本项目/原版 = {f['search_index_ratio']:.1%}）")


def print_targets(results: dict[tuple[str, int], dict], previews: dict, counties: list[dict]) -> None:
    def verdict(ok: bool) -> str:
        return "达标" if ok else "未达标"
    print("\n== 目标 targets ==")
    for profile in sorted({p for p, _ in results}):
        scales = sorted(s for p, s in results if p == profile)
        big, small = results[(profile, scales[-1])], results[(profile, scales[0])]
        tag = f"{profile} ×{big['scale']}"
        if "build_ratio" in big:
            print(f"[{tag}] 构建时间 ≤ 原版 Material 的一半：{big['build_ratio']:.2f}（按 CPU {big['build_cpu_ratio']:.2f}）"
                  f" {verdict(big['build_ratio'] <= 0.5)}")
        print(f"[{tag}] 自有代码 ≤ 10 % 构建时间：{big['own_share']:.1%} {verdict(big['own_share'] <= 0.10)}")
        if 10 in scales and 100 in scales:
            ratio = results[(profile, 100)]["build_s"] / results[(profile, 10)]["build_s"]
            print(f"[{profile}] time(×100)/time(×10) ≤ 11：{ratio:.2f} {verdict(ratio <= 11)}")
        grow = big["largest_html_kb"] / small["largest_html_kb"]
        print(f"[{tag}] 最大页面 ×{big['scale']} / ×{small['scale']} ≤ 1.2：{grow:.2f} {verdict(grow <= 1.2)}；"
              f"且 < 60 KB：{big['largest_html_kb']:.1f} KB {verdict(big['largest_html_kb'] < 60)}"
              f"（超过 60 KB 的页面 {big['pages_over_60kb']} 个）")
        if "search_index_ratio" in big:
            # Pagefind's bundle is chunked: the ratio compares totals, not what a visitor loads.
            print(f"[{tag}] 搜索索引（Pagefind 全部分块）/ 原版单文件：{big['search_index_ratio']:.1%}")
        print(f"[{tag}] 峰值内存 < 1 GB：{big['peak_rss_mb']:.0f} MB {verdict(big['peak_rss_mb'] < 1024)}")
        # An editor checks again after an edit: the cache holds every other file's results.
        print(f"[{tag}] ./column check < 3 s（改动一份报告后，有缓存）：{big['check_edited_s']:.2f} s"
              f"（CPU {big['check_edited_cpu_s']:.2f} s） {verdict(big['check_edited_s'] < 3)}；"
              f"无缓存的第一次 cold {big['check_cold_s']:.2f} s（CPU {big['check_cold_cpu_s']:.2f} s）")
        per_commit = [results[(profile, s)]["history_cold_s"] / results[(profile, s)]["commits"] for s in scales]
        print(f"[{profile}] 变更记录随提交数线性增长：每提交 " + "、".join(f"{x * 1000:.2f} ms" for x in per_commit)
              + f"（×{scales[0]} … ×{scales[-1]}） {verdict(per_commit[-1] <= 1.5 * per_commit[0] or len(scales) == 1)}")
    for (profile, scale), figures in sorted(previews.items()):
        seconds = [wall for wall, _, _ in figures]
        median = statistics.median(seconds)
        print(f"[{profile} ×{scale}] 预览刷新 ≤ 5 s：{median:.1f} s（{len(seconds)} 次的中位数） {verdict(median <= 5)}")
    for c in counties:
        print(f"[{c['profile']}] {c['counties']} 个县并行构建：{c['pages_per_s_per_core']:.1f} 页/秒/核")


def main() -> None:
    parser = argparse.ArgumentParser(description="按不同数据规模构建专栏并打印性能数据")
    parser.add_argument("--scales", default="1,10,100", help="逗号分隔的规模倍数，默认 1,10,100")
    parser.add_argument("--profiles", default="short,long", help="逗号分隔的数据形态：short、long，默认两种都跑")
    parser.add_argument("--no-stock", action="store_true", help="不构建原版 Material 对照")
    parser.add_argument("--preview-scale", type=int, default=10,
                        help="在这个规模上测 mkdocs serve 的刷新时间（须在 --scales 中；0 表示不测），默认 10")
    parser.add_argument("--preview-edits", type=int, default=1, help="预览测几次修改（取中位数），默认 1")
    parser.add_argument("--preview-mode", choices=sorted(PREVIEW_MODES), default="column",
                        help="预览方式：column = ./column preview（默认，编辑指南所写），serve = mkdocs serve，serve-dirty = mkdocs serve --dirty")
    parser.add_argument("--preview-dirty", action="store_const", dest="preview_mode", const="serve-dirty",
                        help="同 --preview-mode serve-dirty")
    parser.add_argument("--counties", type=int, default=0, help="另测 N 个县的专栏（各为独立项目）并行构建的吞吐量")
    parser.add_argument("--repeat", type=int, default=1,
                        help="本项目构建与原版构建交替各做几次（取中位数；机器速度会漂移），默认 1")
    parser.add_argument("--workdir", type=Path, help="工作目录（默认临时目录，结束后删除）")
    parser.add_argument("--json", type=Path, help="另存全部数据为 JSON")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    profiles = [p.strip() for p in args.profiles.split(",") if p.strip()]
    work = args.workdir or Path(tempfile.mkdtemp(prefix="column-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"机器 machine: {os.cpu_count()} 核, Python {sys.version.split()[0]}, {sys.platform}, "
          f"负载 load average {os.getloadavg()[0]:.1f}")
    results: dict[tuple[str, int], dict] = {}
    previews: dict[tuple[str, int], list[tuple[float, float, dict]]] = {}
    counties: list[dict] = []
    try:
        for profile in profiles:
            for scale in scales:
                figures = run_scale(profile, scale, work, stock=not args.no_stock, repeat=args.repeat)
                results[(profile, scale)] = figures
                print_scale(figures)
                if scale == args.preview_scale:
                    figures = preview_latency(work / f"{profile}-x{scale}", args.preview_edits, args.preview_mode)
                    previews[(profile, scale)] = figures
                    print(f"预览刷新 preview（{PREVIEW_MODES[args.preview_mode]}，改一份报告到页面更新）: "
                          + "、".join(f"{wall:.1f} s（CPU {cpu:.1f} s）" for wall, cpu, _ in figures))
                    middle = sorted(figures, key=lambda f: f[0])[len(figures) // 2][2]
                    print("  重新生成时自有代码分项 own code in the rebuild: "
                          + ", ".join(f"{k} {v:.2f} s" for k, v in sorted(middle.items())))
                shutil.rmtree(work / f"{profile}-x{scale}", ignore_errors=True)
            if args.counties:
                c = counties_throughput(profile, args.counties, work)
                counties.append(c)
                print(f"\n== {profile}：{c['counties']} 个县并行构建 counties ==")
                print(f"并行构建 parallel builds: {c['counties']} 个项目，{c['cores']} 核，墙钟 {c['wall_s']:.1f} s，"
                      f"CPU {c['cpu_s']:.1f} s，HTML {c['pages']} 页")
                print(f"吞吐量 throughput: {c['pages_per_s']:.1f} 页/秒，{c['pages_per_s_per_core']:.1f} 页/秒/核")
        print_targets(results, previews, counties)
        if args.json:
            args.json.write_text(json.dumps({"results": [results[k] for k in sorted(results)],
                                             "previews": {f"{p} x{s}": v for (p, s), v in previews.items()},
                                             "counties": counties}, ensure_ascii=False, indent=2), encoding="utf-8")
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
