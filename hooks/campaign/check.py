"""The one check pipeline: everything that decides whether a project may be published.

`check_project(root)` reads data/ and content/ and returns one Report: every problem of
the run, each an error (no build) or a warning (no --strict build: CI and publishing),
with file, line, field and a Chinese message. The MkDocs adapter, `./column check`, the
ledger import, the scaffolds and `./column publish` all call it, so they always agree.

Stages, in order (each adds to the same report; later stages need a dataset):
  records     every file read and validated against its model (records/loading.py)
  references  ids unique, references resolve, nothing dated after the data date
  publicity   cases, policy 文号/索引号, cleanup; late publication (warning)
  consistency misfiled reports, surveys before their quarter ends, policy link cycles;
              falling progress without a correction note (warning)
  freshness   blank columns (error), stale ones (warning)
  texts       文字把关 over every published text: serious errors (error), style (warning);
              personal data in any text (error)
  drafts      lines still marked 【待填写】 (warning)
  pages       content/ files that clash with generated pages; front matter of content pages
Every stage reads records only: no page is rendered (page paths come from the builders,
whose Markdown is rendered lazily).

Layer: the top of the core, above records, rules, routes and site; editors and the
adapter call it.
"""
from __future__ import annotations

import fnmatch
import gc
import os
import pickle
import threading
from dataclasses import astuple, dataclass, field
from datetime import date
from pathlib import Path

import yaml

from campaign.records.filecache import MISSING, FileCache, InputsApart, inputs_key, load_report, save_report, unchanged
from campaign.records.loading import Dataset, read_dataset
from campaign.records.processes import peak_kib, usable_cpus
from campaign.records.problems import DataError, Problem, Problems
from campaign.records.validation import Checker, check_references
from campaign.records.yamlsource import DEFAULT_LIMITS, Limits, parse_yaml, read_text, split_front_matter, walk_files
from campaign.records import models as m
from campaign import routes
from campaign.records.kinds import KINDS, POLICY_DIR
from campaign.rules import consistency, freshness, html_safety, proofreading, publicity_checks
from campaign.site import pages

ERROR = "error"
WARNING = "warning"


@dataclass
class Report:
    """Every problem of one check run, and the dataset when the records could be read.

    A report made with `texts_apart` may still be waiting for its text rules (`pending`):
    complete() adds their problems before anyone may rely on `errors` or `warnings`."""

    problems: list[Problem] = field(default_factory=list)
    dataset: Dataset | None = None
    pending: "_TextRulesApart | None" = None
    # What the records come to (data date, counts): from the dataset, or from the last run's
    # report when a run without records (`records=False`) found every input unchanged.
    saved_summary: "Summary | None" = None

    @property
    def summary(self) -> "Summary | None":
        if self.dataset is not None:
            return Summary.of(self.dataset)
        return self.saved_summary

    def complete(self) -> None:
        """Wait for the text rules run apart (if any) and add their problems."""
        pending, self.pending = self.pending, None
        if pending is not None:
            self.problems = pending.finish(self.problems)

    def abandon(self) -> None:
        """Stop the text rules run apart without their results (the build failed)."""
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.kill()

    @property
    def errors(self) -> list[Problem]:
        return sorted({p for p in self.problems if p.severity == ERROR}, key=_in_file_order)

    @property
    def warnings(self) -> list[Problem]:
        return sorted({p for p in self.problems if p.severity == WARNING}, key=_in_file_order)

    def passed(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)

    def render_errors(self) -> str:
        return Problems(self.errors).render()

    def raise_for_errors(self) -> Dataset:
        """The dataset, or DataError with every error of the run."""
        if self.errors or self.dataset is None:
            raise DataError(Problems(self.errors))
        return self.dataset


@dataclass(frozen=True)
class Summary:
    """What `./column check` says of the records when they pass."""

    as_of: date
    actions: int
    reports: int
    cases: int
    policies: int
    surveys: int

    @classmethod
    def of(cls, dataset: Dataset) -> "Summary":
        return cls(dataset.as_of, len(dataset.actions), len(dataset.reports), len(dataset.cases),
                   len(dataset.policies), len(dataset.surveys))


def _in_file_order(problem: Problem) -> tuple:
    # A file-wide problem (no line) first; Problem's own order cannot compare None with a line.
    return (problem.file, problem.line or 0, problem.field, problem.message)


def as_of_from_environment(environ: dict[str, str] | None = None) -> str | None:
    """AS_OF=YYYY-MM-DD in the environment overrides data/site.yml's as_of."""
    environ = os.environ if environ is None else environ
    value = environ.get("AS_OF", "").strip()
    return value or None


def check_project(root: Path, as_of: str | None = None, *, content_dir: Path | None = None,
                  cache: bool = True, texts_apart: bool = False, records: bool = True,
                  threads: int = 1) -> Report:
    """Run every check on the project at root (data/ and content/, or content_dir).

    With `cache` (the default), each file's own results (its record, its problems, the
    findings of the text rules) are kept between runs, keyed by the file's bytes
    (records/filecache.py): a run after a few edits reads and checks those files only; the
    checks across records run every time. The report is the same with or without it.

    With `texts_apart` (the build), the text rules (文字把关, personal data, HTML safety:
    most of a check without a cache) run in a forked process while the caller goes on; the
    report is complete, and the cache saved, only after `Report.complete()`. `threads`: the
    threads the caller knows to be running, whose objects that process never touches (with
    any other, the rules run here: a fork would copy its locks held).

    Without `records` (./column check: problems and the summary only), a run whose inputs
    are byte for byte those of the last such run gives that run's report (filecache.py,
    `inputs_key`) and no dataset."""
    # Reading creates hundreds of thousands of objects at a province's scale and no garbage
    # cycles worth collecting: the cycle collector is paused meanwhile (a sixth of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        if cache and not records and not texts_apart:
            return _check_with_report_cache(Path(root), as_of, content_dir)
        return _check_project(Path(root), as_of, content_dir, cache, texts_apart, threads=threads)
    finally:
        if collecting:
            gc.enable()


def _check_with_report_cache(root: Path, as_of: str | None, content_dir: Path | None) -> Report:
    content = Path(content_dir) if content_dir is not None else root / "content"
    # Everything the run reads: the editors' folders, the MkDocs configurations (nav), where
    # they are (problems name files relative to the root) and the data date asked for.
    key_args = ([root / "data", content, root / "overrides"], [root / "mkdocs.yml", root / "mkdocs-guide.yml"],
                (str(root.resolve()), str(content.resolve()), as_of))
    # Hashing every input and unpickling the records' snapshot, each a third of a run after
    # an edit, side by side: the hashes in a forked process, the snapshot here.
    # Unpickling stops when the forked process finds the last report saved under the key.
    apart, cache, done = InputsApart.start(*key_args, root=root), None, False
    if apart is not None:
        cache = FileCache.open(root)
        cache.preload(apart.report_saved)
        done, inputs = apart.result()
    if not done:  # no fork, or it failed: read and hash here
        inputs = inputs_key(*key_args)
    if inputs is not None:
        saved = load_report(root, inputs[0])
        if saved is not MISSING and isinstance(saved, tuple) and len(saved) == 2:
            problems, summary = saved
            return Report(problems=list(problems), saved_summary=Summary(*summary) if summary else None)
    first = {path: key for path, (key, _) in inputs[1].items()} if inputs is not None else {}
    cache = cache if cache is not None else FileCache.open(root)
    # The text rules in a forked process too, while the checks across records run here; their
    # results join before the cache is saved (`joined`).
    report = _check_project(root, as_of, content_dir, True, usable_cpus() > 1, prefetched=inputs[1:] if inputs else None,
                            cache=cache, joined=True)
    if inputs is not None and not cache.tainted:
        # The loader used the very bytes of the key (it took them from inputs[1]); the files
        # read again (hand-written pages, mkdocs.yml: left in inputs[1]) and those checked anew
        # must have been, and still be, those bytes, or the report is not kept (an editor
        # saving a file meanwhile).
        again = {path: first[path] for path in inputs[1]}
        for display, key in cache.computed.items():
            again[str(root / display)] = key
        if all(first.get(path) == key for path, key in again.items()) and unchanged(again):
            summary = report.summary
            save_report(root, inputs[0], (tuple(report.problems), astuple(summary) if summary else None))
    return report


def _check_project(root: Path, as_of: str | None, content_dir: Path | None, use_cache: bool,
                   texts_apart: bool = False, prefetched: tuple | None = None,
                   cache: FileCache | None = None, joined: bool = False, threads: int = 1) -> Report:
    content = Path(content_dir) if content_dir is not None else root / "content"
    found = Problems()
    if cache is None:
        cache = FileCache.open(root) if use_cache else FileCache.disabled()
    if prefetched and cache.enabled:
        cache.prefetched, cache.listed = prefetched
    dataset = read_dataset(root / "data", content, as_of, found,
                           raw_checks={m.Case: publicity_checks.personal_data_in_case}, cache=cache)
    cache.prefetched, cache.listed = {}, {}  # bytes of files the loader did not read (hand-written pages)
    report = Report(dataset=dataset)
    apart = (_TextRulesApart.start(root, dataset, content, found, use_cache, threads)
             if texts_apart and dataset is not None else None)
    try:
        _check_dataset(root, content, dataset, found, texts=apart is None)
    except BaseException:
        if apart is not None:
            apart.kill()
        cache.save()
        raise
    report.problems = found.items
    if joined and apart is not None:  # the text rules' problems and cache parts, before saving
        report.problems, apart = apart.finish(report.problems, cache), None
    # Saved now, while the build holds little else (a first run writes the records' snapshot);
    # the parts the text rules compute apart join it when they are taken.
    cache.save()
    report.pending = apart
    return report


def _check_dataset(root: Path, content: Path, dataset: Dataset | None, found: Problems, texts: bool = True) -> None:
    if dataset is not None:
        check_references(dataset, found)
        publicity_checks.check_publicity(dataset, found)
        consistency.check_consistency(dataset, Checker(dataset, found))
        warnings = Problems()
        if texts:
            _check_texts(dataset, content, found, warnings)
        blank, stale = freshness.check(dataset)
        found.extend(blank)
        warnings.extend(stale)
        warnings.extend(publicity_checks.warnings(dataset))
        warnings.items.extend(dataset.drafts)
        listing = dataset.content_listing(content) if content.is_dir() else []
        files = [_relative(p, content) for p in listing]
        _check_generated_files(files, root, content, found)
        if texts and not found:  # page builders need consistent records; a clash is reported once they are
            _check_page_names(dataset, files, root, content, found)
        markdown = [path for path in listing if path.suffix == ".md"]
        _check_front_matter(root, content, found, dataset.limits, markdown)
        _check_pages_in_nav(root, content, warnings, markdown)
        found.items.extend(_as_warning(p) for p in warnings.items)


def _check_texts(dataset: Dataset, content: Path, found: Problems, warnings: Problems) -> None:
    proofreading.check_texts(dataset, found, content)  # 文字把关 errors, personal data in every text
    html_safety.check_html_safety(dataset, found)
    warnings.extend(proofreading.text_warnings(dataset, content))  # 文字把关 style rules


def _text_problems(dataset: Dataset, content: Path, found_before: list[Problem]) -> list[Problem]:
    """What the text rules add to the problems found before them (errors, then warnings)."""
    found, warnings = Problems(list(found_before)), Problems()
    _check_texts(dataset, content, found, warnings)
    return found.items[len(found_before):] + [_as_warning(w) for w in warnings.items]


def _page_names_after_texts(root: Path, content: Path, dataset: Dataset, problems: list[Problem]) -> list[Problem]:
    """The page-name clash check, which runs only on records without errors (as in one run)."""
    if any(p.severity == ERROR for p in problems):
        return []
    listing = dataset.content_listing(content) if content.is_dir() else []
    found = Problems()
    _check_page_names(dataset, [_relative(p, content) for p in listing], root, content, found)
    return found.items


# Peak memory (KiB) of the text rules' processes, for the benchmark: the kernel's own figure
# for that process (most of it pages shared with the build process it was forked from).
_text_rules_peak_kib = [0]


# Below the build's own work in a build that reads its pages meanwhile (Pagefind and the
# reading pass first); on an otherwise idle machine (./column check) it changes nothing.
TEXT_RULES_NICENESS = 5


def text_rules_peak_mb() -> float:
    return _text_rules_peak_kib[0] / 1024


class _TextRulesApart:
    """The text rules of a check in a forked process: its problems and the cache parts it
    computed come back through a pipe when the caller is ready for them (finish). A fork is
    taken only without other threads (their locks would be copied held) and where fork
    exists; otherwise, and if the process fails, the rules run here in finish()."""

    PARTS = ("texts", "html", "html-records")

    def __init__(self, root: Path, dataset: Dataset, content: Path, found: Problems, use_cache: bool,
                 pid: int | None, reader) -> None:
        self.root, self.dataset, self.content, self.found_then = root, dataset, content, list(found.items)
        self.use_cache = use_cache
        self.pid, self.reader = pid, reader

    @classmethod
    def start(cls, root: Path, dataset: Dataset, content: Path, found: Problems,
              use_cache: bool, threads: int = 1) -> "_TextRulesApart":
        if not hasattr(os, "fork") or threading.active_count() > threads:
            return cls(root, dataset, content, found, use_cache, None, None)
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover (runs in the child, which never returns)
            os.close(read_fd)
            os.nice(TEXT_RULES_NICENESS)
            code = 1
            try:
                cache = dataset.cache
                before = set(cache.new)
                added = _text_problems(dataset, content, found.items)
                # The files whose parts were computed this run, and those only this process read
                # (hand-written pages): the others' are saved as they were.
                entries = ((display, cache.new.get(display)) for display in
                           ({*cache.computed, *(set(cache.new) - before)} if cache.enabled else ()))
                parts = {display: (entry[0], {part: value for part, value in entry[1].items() if part in cls.PARTS})
                         for display, entry in entries if entry is not None}
                with os.fdopen(write_fd, "wb") as out:
                    pickle.dump((added, parts, cache.computed, cache.tainted, peak_kib()), out,
                                protocol=pickle.HIGHEST_PROTOCOL)
                code = 0
            finally:
                os._exit(code)
        os.close(write_fd)
        dataset.release_policy_bodies()  # the child reads them; here only a failed child's fallback
        return cls(root, dataset, content, found, use_cache, pid, os.fdopen(read_fd, "rb"))

    def finish(self, problems: list[Problem], cache: FileCache | None = None) -> list[Problem]:
        """problems with the text rules' own added (and the page-name check, which waits for
        them); their cache parts added to the saved cache, or to `cache` (not saved yet):
        those of the files whose parts were computed, with their hashes (checked before the
        report is kept) and whether a file read there had other bytes than those hashed."""
        result = self._collect()
        if result is None:  # no fork, or it failed: the rules here
            added = _text_problems(self.dataset, self.content, self.found_then)
        else:
            added, parts, computed, tainted, peak = result
            _text_rules_peak_kib[0] = max(_text_rules_peak_kib[0], peak)
            if cache is not None:
                cache.join_parts(parts)
                cache.computed.update(computed)
                cache.tainted = cache.tainted or tainted
            elif self.use_cache and parts:
                FileCache.add_parts(self.root, parts)
        problems = list(problems) + list(added)
        return problems + _page_names_after_texts(self.root, self.content, self.dataset, problems)

    def _collect(self):
        if self.pid is None:
            return None
        try:
            data = self.reader.read()  # the child's results (it writes them, then exits)
        finally:
            self.reader.close()
            _, status = os.waitpid(self.pid, 0)
            self.pid = None
        if status != 0 or not data:
            return None
        try:
            return pickle.loads(data)  # from our own fork, through our own pipe
        except Exception:
            return None

    def kill(self) -> None:
        if self.pid is not None:
            try:
                os.kill(self.pid, 9)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
            self.pid = None
            self.reader.close()


def load(data_dir: Path, content_dir: Path, as_of_override: str | None = None) -> Dataset:
    """The checked dataset of a project, or DataError with every error (warnings pass)."""
    return check_project(Path(data_dir).parent, as_of_override, content_dir=Path(content_dir)).raise_for_errors()


def _as_warning(problem: Problem) -> Problem:
    return Problem(problem.file, problem.line, problem.field, problem.message, WARNING)


def generated_paths(dataset: Dataset) -> list[str]:
    """Every generated page's path (no page is rendered)."""
    guide = [routes.GUIDE_FIELDS_SRC, routes.GUIDE_DRAFTS_SRC] + [routes.guide_kind_src(k.name) for k in KINDS]
    return [p.src_uri for p in pages.build_all(dataset)] + guide


# Builders whose every page lies in one folder (or is one named page; a test holds them to
# it). Their preparation is most of the builders' work at scale (schedule states of every
# bulletin month, open-data tables); the clash check runs them only when a hand-written page
# lies there.
NAMESPACED_BUILDERS: dict = {
    pages.overview.build: ("index.md", "progress/"),
    pages.plan.build: ("plan/index.md",),
    pages.actions.build: ("actions/",),
    pages.units.build: ("units/",),
    pages.cases.build: ("cases/",),
    pages.bulletins.build: ("bulletins/",),
    pages.yearend.build: ("reports/",),
    pages.opendata.build: ("opendata/",),
}


def in_namespace(src_uri: str, places: tuple[str, ...]) -> bool:
    return any(src_uri.startswith(place) if place.endswith("/") else src_uri == place for place in places)


def _check_generated_files(files: list[str], root: Path, content: Path, found: Problems) -> None:
    # Downloads (open data, feeds, calendars, Word files, search index) are written by the
    # build; a hand-written file in their place would collide with one of them.
    for path in files:
        if routes.is_generated_file(path):
            found.add(_display(root, content / path), None, "",
                      "这里是网站生成时写入开放数据、订阅、日历、Word 文件或搜索索引的位置，手写的文件会与它们冲突。"
                      "请删除或移到别处。")


def _check_page_names(dataset: Dataset, files: list[str], root: Path, content: Path, found: Problems) -> None:
    # A hand-written file with a generated page's name would be silently replaced.
    written = {path for path in files if path.endswith(".md")}
    generated = [routes.GUIDE_FIELDS_SRC, routes.GUIDE_DRAFTS_SRC] + [routes.guide_kind_src(k.name) for k in KINDS]
    for builder in pages.BUILDERS:
        places = NAMESPACED_BUILDERS.get(builder)
        if places is None or any(in_namespace(src, places) for src in written):
            generated.extend(page.src_uri for page in builder(dataset))
    for src_uri in sorted(written.intersection(generated)):
        found.add(_display(root, content / src_uri), None, "",
                  "与自动生成的页面同名，请删除或改名（这个页面由 data/ 中的数据生成，不需要手写）。")


# Front matter keys the column reads on hand-written pages, and what each must be.
_ARTICLE_KEYS = {
    "article_date": "日期，写成 2018-04-13",
    "article_source": "文字（发布机构）",
    "article_keywords": "列表，如 [营商环境, 政策解读]",
    "article_description": "文字（一句话摘要）",
    "title": "文字",
    "description": "文字",
}


def _check_front_matter(root: Path, content: Path, found: Problems, limits: Limits = DEFAULT_LIMITS,
                        markdown: list[Path] | None = None) -> None:
    """Front matter of every hand-written page (policies are read as records), with the
    same bounded reader as data files, before MkDocs parses it."""
    if not content.is_dir():
        return
    policies = str(content / POLICY_DIR).rstrip("/") + "/"
    for path in _markdown_files(content) if markdown is None else markdown:
        if str(path).startswith(policies):
            continue
        display = _display(root, path)
        text = read_text(path, display, found, limits)
        if text is None:
            continue
        parts = split_front_matter(text)
        if parts is None:
            continue
        yaml_text, _, offset = parts
        source = parse_yaml(yaml_text, display, found, line_offset=offset, limits=limits)
        if source is None or source.data is None:
            continue
        if not isinstance(source.data, dict):
            found.add(display, source.line_of(()), "", "开头的信息区应是一组“字段: 值”（每行一个字段）。")
            continue
        for key, expected in _ARTICLE_KEYS.items():
            if key not in source.data:
                continue
            value = source.data[key]
            line = source.line_of((key,))
            if key == "article_date":
                if isinstance(value, date):
                    continue
                found.add(display, line, key, f"「{value}」不是有效的日期。应是{expected}。")
            elif key == "article_keywords":
                if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                    found.add(display, line, key, f"应是{expected}。")
            elif not isinstance(value, str):
                found.add(display, line, key, f"应是{expected}。")


def _check_pages_in_nav(root: Path, content: Path, warnings: Problems, markdown: list[Path] | None = None) -> None:
    """A hand-written page that neither the nav nor `not_in_nav` in mkdocs.yml names is one
    someone forgot to link: readers cannot reach it from the menu (MkDocs warns too). Pages
    excluded from the column (`exclude_docs`, the editors' guide) must be in the nav of the
    guide's own site (mkdocs-guide.yml)."""
    config = _mkdocs_config(root / "mkdocs.yml")
    if config is None or not content.is_dir():
        return
    named = set(nav_paths(config.get("nav")))
    patterns = _patterns(config.get("not_in_nav"))
    excluded = _patterns(config.get("exclude_docs"))
    guide = _mkdocs_config(root / "mkdocs-guide.yml") or {}
    guide_named = set(nav_paths(guide.get("nav")))
    for path in _markdown_files(content) if markdown is None else markdown:
        src = _relative(path, content)
        if _matches("/" + src, excluded):
            if not guide or src in guide_named:
                continue
            where = "mkdocs-guide.yml 的 nav（编辑指南的导航菜单）"
        elif src in named or _matches("/" + src, patterns):
            continue
        else:
            where = "mkdocs.yml 的 nav（导航菜单）"
        warnings.add(_display(root, path), None, "",
                     f"这个页面没有列入 {where}，读者从菜单找不到它。请把它加进 nav，"
                     "或在 not_in_nav 中说明它由其他页面链接。", WARNING)


def _patterns(value) -> list[str]:
    """The lines of a gitignore-style setting (not_in_nav, exclude_docs), negations left out."""
    return [line.strip() for line in str(value or "").splitlines() if line.strip() and not line.strip().startswith("!")]


def _matches(path: str, patterns: list[str]) -> bool:
    return any(path.startswith(p) if p.endswith("/") else fnmatch.fnmatch(path, p) for p in patterns)


def _markdown_files(content: Path) -> list[Path]:
    # Not rglob: it follows a symlinked folder (content/etc -> /etc); symlinks are errors.
    return [path for path in walk_files(content)[0] if path.suffix == ".md"]


def _mkdocs_config(path: Path) -> dict | None:
    """mkdocs.yml as plain data; its !!python tags (slugify …) are read as None."""
    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError):
        return None
    return data if isinstance(data, dict) else None


def nav_paths(nav) -> list[str]:
    """Every page path named in a nav (lists, titled entries, sections)."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in nav_paths(value)]
    if isinstance(nav, list):
        return [p for item in nav for p in nav_paths(item)]
    return []


def _relative(path: Path, folder: Path) -> str:
    """path.relative_to(folder).as_posix(), by string when it can (thousands of pages)."""
    text, prefix = str(path), str(folder).rstrip("/") + "/"
    if os.sep == "/" and text.startswith(prefix):
        return text[len(prefix):]
    return path.relative_to(folder).as_posix()


def _display(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
