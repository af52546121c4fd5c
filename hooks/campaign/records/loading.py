"""Loading every data file and policy front matter into one validated Dataset.

Each file kind has a fixed place (KINDS). Every file found is either loaded or reported:
nothing an editor submits is silently ignored. All problems of a run are collected.
"""
from __future__ import annotations

import functools
import marshal
import os
from operator import attrgetter
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from pathlib import Path
from typing import Any, Callable, Hashable, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from campaign.records import models as m
from campaign.records.filecache import MISSING, FileCache, settings_key
from campaign.records.kinds import DIRECTORIES, POLICY_DIR, SINGLE_FILES
from campaign.records.dates import parse_iso_date
from campaign.records.messages import report_validation_error
from campaign.records.placeholders import marked_lines
from campaign.records.problems import DataError, Problem, Problems
from campaign.records.yamlsource import (
    DEFAULT_LIMITS, SYMLINK_MESSAGE, Limits, Source, parse_yaml, read_text, split_front_matter, walk_files,
)

T = TypeVar("T")


@dataclass
class Located:
    """Where a record came from, so later checks can point at its lines."""

    source: Source
    base: tuple = ()

    def line(self, *path: Any) -> int:
        return self.source.line_of(self.base + tuple(path))

    @property
    def file(self) -> str:
        return self.source.name


@dataclass
class PolicyPage:
    doc: m.PolicyDoc
    src_uri: str  # path inside content/, e.g. policies/zzbf-2018-25.md
    body: str


def _read_again(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


class _ReadPolicyPage(PolicyPage):
    """A policy page whose body is decoded from the file's bytes when first read: a check
    whose text rules come from the cache never needs the 4,500 bodies of a province."""

    def __init__(self, doc: m.PolicyDoc, src_uri: str, raw: "bytes | Callable[[], bytes]", body_start: int,
                 path: Path | None = None):
        self.doc = doc
        self.src_uri = src_uri
        self._raw = raw
        self._start, self._body, self._path = body_start, None, path

    def release(self) -> None:
        """Let go of the file's bytes (a build whose text rules run in another process never
        reads a body: 4,500 policies of a province); asked for later, the body is read again."""
        if self._body is None and self._path is not None and isinstance(self._raw, bytes):
            self._raw = functools.partial(_read_again, self._path)

    @property
    def body(self) -> str:  # type: ignore[override]
        if self._body is None:
            raw = self._raw if isinstance(self._raw, bytes) else self._raw()
            try:
                self._body = raw.decode("utf-8-sig")[self._start:]
            except UnicodeDecodeError:  # changed since it was checked
                self._body = ""
            self._raw = b""
        return self._body

    @body.setter
    def body(self, value: str) -> None:
        self._body = value


def _policy_bytes(cache: Any, path: Path, display: str, key: bytes | None, limit: int) -> bytes:
    """A cached policy's bytes, read when its body is first needed: those hashed for the run
    (`FileCache.fetch` taints the run otherwise), or the file as it is now when uncached."""
    raw = cache.fetch(path, display, key, limit) if key is not None else None
    return raw if raw is not None else Path(path).read_bytes()


@dataclass
class Dataset:
    site: m.Site
    unit_list: list[m.Unit]
    leadership: m.Leadership
    plan: m.Plan
    action_list: list[m.Action]
    reports: list[m.Report]
    cases: list[m.Case]
    policies: list[PolicyPage]
    publicity_weeks: list[m.PublicityWeek]
    surveys: list[m.Survey]
    cleanup: list[m.CleanupEntry]
    bulletins: list[m.Bulletin] = field(default_factory=list)
    where: dict[int, Located] = field(default_factory=dict, repr=False)
    # Ids of records whose files failed validation: already reported, so references to
    # them are not reported again as "not found".
    unloaded_ids: set[str] = field(default_factory=set, repr=False)
    # Lines still marked 【待填写】 (placeholders.py): warnings, so a draft is never published.
    drafts: list[Problem] = field(default_factory=list, repr=False)
    # The editors' Markdown folder and the bounds its files are read with (html_safety.py).
    content_dir: Path | None = field(default=None, repr=False)
    limits: Limits = field(default=DEFAULT_LIMITS, repr=False)
    # Per-file results of earlier runs (filecache.py); the text rules keep theirs there too.
    cache: FileCache = field(default_factory=FileCache.disabled, repr=False)
    as_of_override: str | None = field(default=None, repr=False)  # AS_OF: a point-in-time rebuild
    # Every file under content_dir as walk_files listed it when the run began.
    content_files: list[Path] | None = field(default=None, repr=False)

    def content_listing(self, content: Path) -> list[Path]:
        """walk_files(content)[0], listed once per run."""
        if self.content_files is not None and self.content_dir is not None and Path(content) == self.content_dir:
            return self.content_files
        return walk_files(Path(content))[0]

    @property
    def as_of(self) -> date:
        return self.site.as_of

    def release_policy_bodies(self) -> None:
        """The policies' file bytes let go (see _ReadPolicyPage.release)."""
        for page in self.policies:
            if isinstance(page, _ReadPolicyPage):
                page.release()

    def once(self, key: Hashable, compute: Callable[[], T]) -> T:
        """compute() on first use, then the same value for the rest of the build: for facts
        that several builders read (schedule states per date, open-data tables, indexes)
        and that the modules computing them own, so Dataset need not know them."""
        memo = self.__dict__.setdefault("_once", {})
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    def locate(self, record: Any) -> Located:
        return self.where[id(record)]

    @cached_property
    def units(self) -> dict[str, m.Unit]:
        return {u.id: u for u in self.unit_list}

    @cached_property
    def actions(self) -> dict[str, m.Action]:
        return {a.id: a for a in self.action_list}

    # Lookups built once per build: per-page code must not scan every record (build time
    # would grow with pages × records).
    @cached_property
    def case_by_id(self) -> dict[str, m.Case]:
        return {c.id: c for c in self.cases}

    @cached_property
    def policy_by_id(self) -> dict[str, "PolicyPage"]:
        return {p.doc.id: p for p in self.policies}

    @cached_property
    def policy_by_src(self) -> dict[str, "PolicyPage"]:
        return {p.src_uri: p for p in self.policies}

    @cached_property
    def survey_by_quarter(self) -> dict[str, m.Survey]:
        return {s.quarter: s for s in self.surveys}

    @cached_property
    def reports_by_action(self) -> dict[str, list[m.Report]]:
        grouped: dict[str, list[m.Report]] = {a: [] for a in self.actions}
        for report in self.reports:
            grouped.setdefault(report.action, []).append(report)
        return grouped

    @cached_property
    def tasks(self) -> dict[str, tuple[m.Action, m.Task]]:
        return {t.id: (a, t) for a in self.action_list for t in a.tasks}


_NESTED: dict[type, tuple[str, ...]] = {}


def _nested_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model that can hold records (a model or a list of them): the only
    ones _remember needs to look into (thousands of records at a province's scale)."""
    names = _NESTED.get(model)
    if names is None:
        names = _NESTED[model] = tuple(name for name, info in model.model_fields.items()
                                       if _mentions_model(info.annotation))
    return names


def _mentions_model(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_mentions_model(arg) for arg in get_args(annotation))


# A check on a file's raw data, run before its model so that its problems are reported
# even when the record has other mistakes: (raw mapping) -> [(path, field label, message)].
RawCheck = Callable[[dict], list[tuple[tuple, str, str]]]


def read_dataset(data_dir: Path, content_dir: Path, as_of_override: str | None, problems: Problems,
                 raw_checks: dict[type, RawCheck] | None = None, cache: FileCache | None = None) -> Dataset | None:
    """Read and validate every file into a Dataset, adding each problem to `problems`.

    Only the records themselves are checked here; the rules across records live in the
    check pipeline (campaign/check.py), the one place that decides. None when a required
    file could not be read at all. With a cache (filecache.py), a file whose bytes were
    read before gives its record, lines and problems without being parsed again.
    """
    loader = _Loader(Path(data_dir), Path(content_dir), problems, raw_checks or {}, cache or FileCache.disabled())
    try:
        return loader.run(as_of_override)
    except DataError:
        return None


class _Where(dict):
    """id(record) → Located. A cached file's top record is entered when it is read; the
    records nested in it (tasks, events …: a hundred thousand at a province's scale) only
    when some check first asks for a record that is not there, or lists the whole map."""

    def __init__(self) -> None:
        super().__init__()
        self.pending: list[tuple[Any, Source]] = []

    def _expand(self) -> bool:
        pending, self.pending = self.pending, []
        for record, source in pending:
            _remember_nested(self, record, source, ())
        return bool(pending)

    def __missing__(self, key):
        if self._expand():
            return self[key]
        raise KeyError(key)

    def get(self, key, default=None):
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        return self[key] if self._expand() and dict.__contains__(self, key) else default

    def __contains__(self, key) -> bool:
        return dict.__contains__(self, key) or (self._expand() and dict.__contains__(self, key))

    def __iter__(self):
        self._expand()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._expand()
        return dict.__len__(self)

    def keys(self):
        self._expand()
        return dict.keys(self)

    def values(self):
        self._expand()
        return dict.values(self)

    def items(self):
        self._expand()
        return dict.items(self)

    def copy(self) -> dict:
        self._expand()
        return dict(dict.items(self))


def _remember_nested(where: dict, record: Any, source: Source, base: tuple) -> None:
    """Enter the location of every record nested in record (not of record itself)."""
    for name in _nested_fields(type(record)):
        value = getattr(record, name)
        if isinstance(value, BaseModel):
            where[id(value)] = Located(source, base + (name,))
            _remember_nested(where, value, source, base + (name,))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    where[id(item)] = Located(source, base + (name, index))
                    _remember_nested(where, item, source, base + (name, index))


# Kinds of many files whose nested records (tasks, events) only checks that found a
# problem look up; the nested records of other kinds are listed by the dataset themselves.
_LAZY_NESTED = frozenset({m.Report, m.Action, m.Case, m.PolicyDoc, m.PublicityWeek, m.Survey, m.Bulletin})


class _Loader:
    def __init__(self, data_dir: Path, content_dir: Path, problems: Problems, raw_checks: dict[type, RawCheck],
                 cache: FileCache):
        self.cache = cache
        self.data_dir = data_dir
        self.content_dir = content_dir
        self.problems = problems
        self.raw_checks = raw_checks
        self.where: dict[int, Located] = _Where()
        self.unloaded_ids: set[str] = set()
        self.drafts: list[Problem] = []
        self.root = data_dir.parent
        self._root_prefix = "" if str(self.root) == "." else str(self.root).rstrip("/") + "/"
        self._settings: dict[type, tuple[Limits, str]] = {}
        self.limits = DEFAULT_LIMITS  # data/site.yml's limits once it is read
        self.content_files: list[Path] = []

    def _display(self, path: Path) -> str:
        # String operations: pathlib's relative_to was a tenth of a warm check at scale.
        text, prefix = str(path), self._root_prefix
        if text.startswith(prefix) and os.sep == "/":
            return text[len(prefix):]
        path = Path(path)
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def _parse(self, path: Path, model: type[BaseModel], display: str | None = None) -> tuple[Any, Source] | None:
        display = self._display(path) if display is None else display
        loaded = self._cached(path, display, model, lambda raw: self._parse_text(Path(path), display, raw, model))
        return loaded[:2] if loaded else None

    def _parse_text(self, path: Path, display: str, raw: bytes | None, model: type[BaseModel]) -> tuple | None:
        text = read_text(path, display, self.problems, self.limits, raw=raw)
        if text is None:
            return None
        self.drafts += marked_lines(display, text)
        source = parse_yaml(text, display, self.problems, limits=self.limits)
        if source is None:
            return None
        loaded = self._validate(source, model)
        return (*loaded, None) if loaded else None

    def _cached(self, path: Path, display: str, model: type[BaseModel],
                compute: Callable[[bytes | None], tuple | None]) -> tuple[Any, Source, Any, bytes | None] | None:
        """(record, source, extra, bytes) of one file, from compute(bytes) -> (record,
        source, extra) or None; from the cache when the file's bytes (and the limits, the
        model and its raw checks) are those of an earlier run.

        A cached file contributes exactly what it did when read: its problems, drafts,
        unloaded ids, and its record with its line map (`where` learns the new objects)."""
        read = self.cache.read(path, display, self.limits.file_kb * 1024)
        if read is None:  # a symlink, too large, unreadable: read_text reports it
            loaded = compute(None)
            return (*loaded, None) if loaded else None
        key, raw = read
        settings = self._settings.get(model)
        if settings is None or (settings[0] is not self.limits and settings[0] != self.limits):
            settings = self._settings[model] = (self.limits, settings_key(
                model.__name__, self.limits, self.raw_checks[model].__qualname__ if model in self.raw_checks else None))
        settings = settings[1]
        stored = self.cache.get(display, key, "load", settings)
        if stored is not MISSING:
            problems, drafts, unloaded, record, lines, offset, extra = stored
            self.problems.items += problems
            self.drafts += drafts
            self.unloaded_ids.update(unloaded)
            if record is None:
                return None
            source = Source.packed(display, lines, offset)
            self.where[id(record)] = Located(source, ())
            if model in _LAZY_NESTED:
                self.where.pending.append((record, source))
            else:  # records the dataset lists on their own (units, cleanup entries …)
                _remember_nested(self.where, record, source, ())
            return record, source, extra, raw
        if raw is None:  # hashed apart and unchanged, but this part is not stored: read now
            raw = self.cache.fetch(path, display, key, self.limits.file_kb * 1024)
            key = self.cache.key_of(display)
        outer, drafts_before, unloaded_before = self.problems, len(self.drafts), set(self.unloaded_ids)
        self.problems = Problems()
        try:
            loaded = compute(raw)
        finally:
            mine, self.problems = self.problems, outer
            outer.items += mine.items
        record, source, extra = loaded if loaded else (None, None, None)
        # Tuples: nearly every file has no problem, draft or unloaded id, and an empty tuple
        # is one shared object when read back (105,000 fewer objects at a province's scale).
        lines = source.marshalled_lines() if source is not None else None
        self.cache.put(display, key, "load", settings, (
            tuple(mine.items), tuple(self.drafts[drafts_before:]), tuple(self.unloaded_ids - unloaded_before), record,
            lines, source.line_offset if source is not None else 0, extra))
        if source is not None and record is not None:
            source.compact(lines)  # the records are built: as a cached file's Source
        return (record, source, extra, raw) if loaded else None

    def _validate(self, source: Source, model: type[BaseModel]) -> tuple[Any, Source] | None:
        if not isinstance(source.data, dict):
            self.problems.add(source.name, source.line_of(()), "",
                              "文件内容应是一组“字段: 值”（每行一个字段），现在不是。请对照同类文件的写法。")
            return None
        raw_check = self.raw_checks.get(model)
        if raw_check is not None:  # e.g. the personal-data guard: must not wait for the rest to be right
            for path, label, message in raw_check(source.data):
                self.problems.add(source.name, source.line_of(path), label, message)
        try:
            record = model.model_validate(source.data)
        except ValidationError as err:
            report_validation_error(err, model, source, self.problems)
            self._remember_unloaded(source.data)
            return None
        self._remember(record, source, ())
        return record, source

    def _remember_unloaded(self, raw: dict) -> None:
        if isinstance(raw.get("id"), str):
            self.unloaded_ids.add(raw["id"])
        for task in raw.get("tasks") or []:
            if isinstance(task, dict) and isinstance(task.get("id"), str):
                self.unloaded_ids.add(task["id"])

    def _remember(self, record: Any, source: Source, base: tuple) -> None:
        """Record the location of this record and of every record nested in it."""
        self.where[id(record)] = Located(source, base)
        if isinstance(record, BaseModel):
            for name in _nested_fields(type(record)):
                value = getattr(record, name)
                if isinstance(value, BaseModel):
                    self._remember(value, source, base + (name,))
                elif isinstance(value, list):
                    for index, item in enumerate(value):
                        if isinstance(item, BaseModel):
                            self._remember(item, source, base + (name, index))

    def run(self, as_of_override: str | None) -> Dataset:
        singles: dict[str, Any] = {}
        for name, model in SINGLE_FILES.items():
            path = self.data_dir / name
            if not path.exists():
                self.problems.add(f"data/{name}", None, "", "缺少这个文件。它是必需的，请从默认数据复制一份后修改。")
                continue
            loaded = self._parse(path, model)
            singles[name] = loaded[0] if loaded else None
            if name == "site.yml" and loaded:
                limits = loaded[0].limits
                self.limits = Limits(file_kb=limits.file_kb, text_chars=limits.text_chars)

        # Symlinks anywhere in the editors' folders are refused, never followed: before
        # MkDocs copies content/ and overrides/ into site/.
        # data/ by name (walk_names): a Path per file cost more than reading the cache.
        data_files, links = self.cache.walk(self.data_dir)
        content_files, content_links = self.cache.walk(self.content_dir)
        self.content_files = [Path(name) for name in content_files]  # as walk_files lists them
        links = links + content_links + self.cache.walk(self.root / "overrides")[1]
        for link in links:
            self.problems.add(self._display(Path(link)), None, "", SYMLINK_MESSAGE)

        many: dict[str, list[Any]] = {key: [] for key in DIRECTORIES}
        known_files = {str(self.data_dir / name) for name in SINGLE_FILES}
        data_prefix = len(self._display(self.data_dir)) + 1
        for name in data_files:
            path = name
            base = name.rpartition(os.sep)[2]
            if name in known_files or base.startswith("."):
                continue
            display = self._display(path)
            relative = display[data_prefix:].split("/")
            kind = relative[0] if len(relative) > 1 else None
            if not base.endswith((".yml", ".yaml")):  # Path.suffix, for a name not starting with "."
                if kind is not None and base.lower() in ("readme.md", "说明.md"):
                    continue
                self.problems.add(display, None, "",
                                  "不是 .yml 数据文件，生成网站时不会读取它。请改为 .yml 文件，或移出 data/ 目录。")
                continue
            if kind not in DIRECTORIES:
                folders = "、".join(f"data/{d}/" for d in DIRECTORIES)
                self.problems.add(display, None, "",
                                  f"不知道这是哪类数据：文件应放在 {folders} 之一，或是 site.yml、units.yml、leadership.yml、plan.yml。")
                continue
            loaded = self._parse(path, DIRECTORIES[kind], display)
            if loaded:
                many[kind].append(loaded[0])

        policies = self._load_policies()

        if as_of_override and singles.get("site.yml") is not None:
            try:
                singles["site.yml"].as_of = parse_iso_date(as_of_override)
            except ValueError as err:
                self.problems.add("环境变量 AS_OF", None, "AS_OF", f"{err}。")

        if any(singles.get(name) is None for name in SINGLE_FILES):
            raise DataError(self.problems)
        if as_of_override and not self.problems:  # point-in-time rebuild: only what was known then
            from campaign.records.point_in_time import known_on

            many, policies = known_on(many, policies, singles["site.yml"].as_of, self.where)

        cleanup = [entry for block in many["cleanup"] for entry in block.entries]
        return Dataset(
            site=singles["site.yml"],
            unit_list=list(singles["units.yml"].units),
            leadership=singles["leadership.yml"],
            plan=singles["plan.yml"],
            action_list=sorted(many["actions"], key=lambda a: a.id),
            reports=sorted(many["reports"], key=attrgetter("action", "month")),  # 28,800: no lambda
            cases=sorted(many["cases"], key=lambda c: (c.date, c.id)),
            policies=sorted(policies, key=lambda p: (p.doc.published, p.doc.id)),
            publicity_weeks=sorted(many["publicity"], key=lambda w: w.start),
            surveys=sorted(many["surveys"], key=lambda s: s.quarter),
            cleanup=sorted(cleanup, key=lambda e: (e.date, e.document)),
            bulletins=sorted(many["bulletins"], key=lambda b: b.month),
            where=self.where,
            unloaded_ids=self.unloaded_ids,
            drafts=self.drafts,
            content_dir=self.content_dir,
            limits=self.limits,
            cache=self.cache,
            content_files=self.content_files,
            as_of_override=as_of_override or None,
        )

    def _load_policies(self) -> list[PolicyPage]:
        pages: list[PolicyPage] = []
        folder = self.content_dir / POLICY_DIR
        if not folder.exists():
            return pages
        # The content folder's listing (one walk serves every stage: content_files).
        inside = str(folder).rstrip("/") + "/"
        listed = [p for p in self.content_files if str(p).startswith(inside)] if os.sep == "/" else walk_files(folder)[0]
        for path in listed:
            if path.suffix != ".md" or path.name == "index.md":
                continue
            display = self._display(path)
            src_uri = self._src_uri(path)
            loaded = self._cached(path, display, m.PolicyDoc, lambda raw: self._parse_policy(path, display, raw))
            if loaded:
                record, _, body_start, raw = loaded
                if raw is None:  # from the cache, its bytes not read: read when its body is
                    key, limit = self.cache.key_of(display), self.limits.file_kb * 1024
                    raw = functools.partial(_policy_bytes, self.cache, path, display, key, limit)
                pages.append(_ReadPolicyPage(record, src_uri, raw, body_start, path))
        return pages

    def _src_uri(self, path: Path) -> str:
        text, prefix = str(path), str(self.content_dir).rstrip("/") + "/"
        if text.startswith(prefix) and os.sep == "/":
            return text[len(prefix):]
        return path.relative_to(self.content_dir).as_posix()

    def _parse_policy(self, path: Path, display: str, raw: bytes | None) -> tuple[Any, Source, int] | None:
        """The policy's record, its front matter's source and where its body starts (in
        characters of the decoded text, so a cached entry need not keep the body)."""
        text = read_text(path, display, self.problems, self.limits, raw=raw)
        if text is None:
            return None
        self.drafts += marked_lines(display, text)
        parts = split_front_matter(text)
        if parts is None:
            self.problems.add(display, 1, "", "政策文件缺少开头的信息区（以 --- 开始、以 --- 结束的索引号、文号等字段）。")
            return None
        yaml_text, body, offset = parts
        source = parse_yaml(yaml_text, display, self.problems, line_offset=offset, limits=self.limits)
        if source is None:
            return None
        loaded = self._validate(source, m.PolicyDoc)
        return (loaded[0], loaded[1], len(text) - len(body)) if loaded else None

