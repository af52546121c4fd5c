"""Helpers shared by the tests: the one module tests import besides the code under test.

Project copies and real builds, the editors' tool run through its entry point, reading a
built site (tables, text, every href/src resolved like a browser), git in a scratch
repository, and the identity numbers the privacy tests use.
"""
from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
COLUMN = ROOT / "column"


# --- Projects and builds -------------------------------------------------------------------


def copy_data(target: Path) -> Path:
    """data/, content/ and mkdocs.yml only: enough for the check pipeline (fast)."""
    for name in ("data", "content"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy2(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first old by new in a file; old must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """The 1-based number of the first line of path holding needle."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)

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


def run_cli(project: Path, *args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`./column <args>` run in project (or cwd); returns the finished process."""
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run([sys.executable, str(COLUMN), *args], cwd=cwd or project, capture_output=True,
                          text=True, env=full_env, timeout=300)


# --- git in a scratch repository -----------------------------------------------------------

def git(cwd: Path, *args: str, when: str = "2018-09-01T10:00:00+08:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "测试", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "测试", "GIT_COMMITTER_EMAIL": "t@example.invalid",
           "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commit_all(cwd: Path, message: str, when: str) -> str:
    git(cwd, "add", "-A")
    git(cwd, "commit", "-q", "-m", message, when=when)
    return git(cwd, "rev-parse", "HEAD")[:7]


# --- Reading a built site ------------------------------------------------------------------

class Tables(HTMLParser):
    """Every <table> as a list of rows of cell texts; plus the page's plain text."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        self.text.append(data)


def parse(site: Path, page: str) -> Tables:
    parser = Tables()
    parser.feed((site / page).read_text(encoding="utf-8"))
    return parser


def table(page: Tables, *header: str) -> list[list[str]]:
    """The body rows of the first table whose header row starts with these cells."""
    for rows in page.tables:
        if rows and tuple(rows[0][:len(header)]) == header:
            return rows[1:]
    raise AssertionError(f"no table with header {header}: {[t[0] for t in page.tables if t]}")


def text(page: Tables) -> str:
    return re.sub(r"\s+", " ", "".join(page.text))


ATTR = re.compile(r"""\s(href|src)=["']([^"']*)["']""", re.I)
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)|@import\s+["']([^"']+)["']""", re.I)
SKIP_SCHEMES = ("mailto:", "tel:", "data:", "#")


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def url_of(site: Path, file: Path, base: str) -> str:
    """The address a file is served at when the site lives at base (ending in /)."""
    return urljoin(base, file.relative_to(site).as_posix())


def references(site: Path, file: Path) -> list[tuple[str, str]]:
    """(kind, value) of every href/src of an HTML file or url()/@import of a CSS file."""
    text = file.read_text(encoding="utf-8")
    if file.suffix == ".html":
        # Script bodies (Material's config JSON) are not markup.
        text = re.sub(r"<script[^>]*>.*?</script>", lambda m: m.group(0).split(">", 1)[0] + ">", text, flags=re.S)
        return [(kind.lower(), value) for kind, value in ATTR.findall(text)]
    if file.suffix == ".css":
        return [("css", a or b) for a, b in CSS_URL.findall(text)]
    return []


def resolve(site: Path, base: str, file: Path, value: str) -> Path | None:
    """The file in site a reference points to, or None when it leaves the site."""
    absolute = urljoin(url_of(site, file, base), value)
    parts, root = urlsplit(absolute), urlsplit(base)
    if (parts.scheme, parts.netloc) != (root.scheme, root.netloc) or not parts.path.startswith(root.path):
        return None
    target = site / unquote(parts.path[len(root.path):])
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def broken_links(site: Path, base: str) -> list[str]:
    """Every internal href/src (HTML) and url() (CSS) whose target file does not exist."""
    broken = []
    for file in sorted(list(site.rglob("*.html")) + list(site.rglob("*.css"))):
        for kind, value in references(site, file):
            if not value or value.startswith(SKIP_SCHEMES):
                continue
            target = resolve(site, base, file, value)
            if target is None:
                continue  # outbound: checked against the allowlist elsewhere
            if not target.exists():
                broken.append(f"{file.relative_to(site)}: {kind}={value}")
    return broken


# --- Identity numbers ------------------------------------------------------------------------

VALID_ID = "610924198001011239"  # checksum digit 9 is right for these 17 digits
BAD_ID = "610924198001011230"  # same digits, wrong check digit (and not Luhn-valid either)


# --- In the browser (Playwright pages) ------------------------------------------------------

ELDER_ON = ("localStorage.setItem('campaign.elder.large','1');"
            "localStorage.setItem('campaign.elder.contrast','1');")


def watch_console(page) -> list[str]:
    """Collect console errors and uncaught exceptions (CSP refusals show up here)."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


SEARCH_DONE = "() => { const s = document.querySelector('[data-site-search-status]').textContent; return s && !s.startsWith('正在'); }"


def open_search(page, term: str):
    """Go to the search page from the top bar, type term, return the result links."""
    page.click("a.portal-tools__search")
    page.wait_for_selector("#site-search-q")
    page.fill("#site-search-q", term)  # an input event, as pasting or an IME commit sends
    page.wait_for_function(SEARCH_DONE, timeout=20000)
    return page.eval_on_selector_all(".site-search__results li > a", "els => els.map(e => e.href)")


def check_run(project: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """The check pipeline's verdict on project as a finished `mkdocs build --strict` would
    give it (returncode, and the same problem lines in stderr), in a fraction of the time.

    test_pipeline.py proves the build and the check agree on every kind of problem; tests
    of one rule use this instead of a whole build.
    """
    from campaign.check import check_project

    as_of = (env or {}).get("AS_OF")
    report = check_project(project, as_of)
    lines = []
    if report.errors:
        lines.append(report.render_errors())
    lines += [f"WARNING -  {problem.render()}" for problem in report.warnings]
    return subprocess.CompletedProcess(["check", str(project)], 0 if report.passed(strict=True) else 1,
                                       "", "\n".join(lines))


# --- Ledgers (台账) ----------------------------------------------------------------------------

HEADERS = ["行动编号", "报送月份", "报送日期", "任务编号", "任务名称（仅供核对，不导入）", "完成进度（%）",
           "任务说明", "进展情况", "存在问题", "下一步措施"]


def make_xlsx(path: Path, rows: list[list], title_row: bool = False) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "台账"
    if title_row:
        sheet.append(["2018年9月专项行动进展台账"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.create_sheet("说明").append(["说明"])
    book.save(path)
    return path


def snapshot(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in sorted((project / "data").rglob("*")) if p.is_file()}


def page_kinds(site: Path) -> list[str]:
    """One URL path per kind of page: home, each section index, each section's first item."""
    paths = [""]
    for section in sorted(p for p in site.iterdir() if p.is_dir() and (p / "index.html").exists()):
        if section.name in ("assets", "search"):
            continue
        paths.append(f"{section.name}/")
        items = sorted(p.parent for p in section.glob("*/index.html"))
        if items:
            paths.append(items[0].relative_to(site).as_posix() + "/")
    return paths


# --- What a Pagefind bundle lets a query find ------------------------------------------------

def _cbor(data: bytes, at: int = 0):
    """The few CBOR forms Pagefind writes (integers, strings, arrays, maps)."""
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        value = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        value, at = int.from_bytes(data[at:at + size], "big"), at + size
    else:
        raise AssertionError(f"CBOR form {head:#x} not expected")
    if major == 0:
        return value, at
    if major == 1:
        return -1 - value, at
    if major in (2, 3):
        chunk = data[at:at + value]
        return (chunk.decode("utf-8") if major == 3 else chunk), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = _cbor(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(value):
            key, at = _cbor(data, at)
            mapping[key], at = _cbor(data, at)
        return mapping, at
    raise AssertionError(f"CBOR major type {major} not expected")


def _unpack(path: Path) -> bytes:
    raw = gzip.decompress(path.read_bytes())
    assert raw.startswith(b"pagefind_dcd")
    return raw[len(b"pagefind_dcd"):]


def searchable(bundle: Path) -> dict:
    """What a query can find in a bundle, independent of how Pagefind numbered the pages."""
    (meta_file,) = bundle.glob("*.pf_meta")
    meta, _ = _cbor(_unpack(meta_file))
    urls = [json.loads(_unpack(bundle / "fragment" / f"{fragment}.pf_fragment"))["url"] for fragment, _ in meta[1]]
    words = {}
    for chunk in bundle.glob("index/*.pf_index"):
        entries, _ = _cbor(_unpack(chunk))
        for word, hits, *_ in entries[0]:
            number, found = 0, []
            for hit in hits:  # page numbers are stored as differences
                number += hit[0]
                found.append((urls[number], json.dumps(hit[1:])))
            words[word] = sorted(found)
    fragments = {p.name: p.read_bytes() for p in (bundle / "fragment").iterdir()}
    return {"pages": sorted(zip(urls, (count for _, count in meta[1]))), "words": words, "fragments": fragments}


def searchable_parts(bundle: Path) -> dict:
    """What a query can find in a bundle and the parts its parts.json lists, merged as the
    search page merges them."""
    merged = searchable(bundle)
    for part in json.loads((bundle / "parts.json").read_text(encoding="utf-8")):
        found = searchable(bundle / part)
        merged["pages"] = sorted(merged["pages"] + found["pages"])
        for word, hits in found["words"].items():
            merged["words"][word] = sorted(merged["words"].get(word, []) + hits)
        assert not set(merged["fragments"]) & set(found["fragments"])
        merged["fragments"].update(found["fragments"])
    return merged
