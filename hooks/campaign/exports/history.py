"""Change history (变更记录) and build version, read from git.

Every figure on the site should be traceable to the commit that made it. The history walks
the main line of the repository (first parents: one snapshot per merged change) over the
data files of actions and reports, and records when a task's latest percent, its completion
or its deadline changed, with the commit's short hash and date.

The logic reaches git only through a `Runner` (the adapter passes `subprocess_runner` for
the project folder), so tests can hand it any repository or none. Without git, in a folder
that is no repository (an export) or in a shallow clone, the history is unavailable and the
pages say so; the build goes on.

Cost: linear in commits. `git log` lists the files each commit touched; each (commit, file)
is read (one `git cat-file --batch` call) and parsed with libyaml once, then kept in a cache
inside the repository's git folder (.git/column-cache/), keyed by commit id, so later builds
read and parse only new commits. The walk then updates, per commit, only the tasks the
touched files name. With one commit per monthly report, as the editors' guide prescribes, a
province's thousands of commits cost about as much as their files.
"""
from __future__ import annotations

import os
import pickle
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Sequence

import yaml

# Runs `git <args>` with optional stdin; returns stdout, or None when git failed or is missing.
Runner = Callable[[Sequence[str], bytes | None], bytes | None]

SHORT = 7
SHANGHAI = timezone(timedelta(hours=8))
WATCHED = ("data/actions", "data/reports")


def subprocess_runner(cwd: Path) -> Runner:
    """The real runner: git in cwd, never prompting. GIT_* variables of the caller (a git
    hook's GIT_DIR, say) are dropped so the folder alone decides which repository is read."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_TERMINAL_PROMPT="0", LC_ALL="C")

    def run(args: Sequence[str], stdin: bytes | None = None) -> bytes | None:
        try:
            done = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, timeout=120, env=env)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout if done.returncode == 0 else None

    return run


@dataclass(frozen=True)
class Version:
    commit: str | None          # short hash, None without git
    dirty: bool = False         # data or code differ from the commit

    @property
    def label(self) -> str:
        if self.commit is None:
            return "版本未知"
        return f"版本 {self.commit}" + ("（含未提交的修改）" if self.dirty else "")


def version(run: Runner) -> Version:
    head = run(["rev-parse", "--verify", "HEAD"], None)
    if head is None:
        return Version(None)
    status = run(["status", "--porcelain", "--untracked-files=no", "--", "."], None)
    return Version(head.decode().strip()[:SHORT], bool(status and status.strip()))


# --- 变更记录 from the records themselves (issue 14) -------------------------------------------
# Every event carries the date the record states (报送日期, 更正日期, 完成日期), never a git
# commit date, and none dated after the data date is shown.


@dataclass(frozen=True)
class Event:
    day: date
    kind: str        # 报送, 迟报, 更正, 完成
    subject: str     # what the event is about, e.g. 2018年8月进展报告
    what: str        # Chinese description
    sample: bool = False


def record_events(d: Any, action_id: str, as_of: date | None = None) -> list[Event]:
    """The action's 变更记录 known on as_of, newest first: submissions with their own dates
    and the figures first published, corrections with what changed, completions by the plan."""
    from campaign.records.dates import zh_month_of
    from campaign.rules import schedule

    as_of = as_of or d.as_of
    rules = schedule.rules_of(d)
    action = d.actions[action_id]
    names = {t.id: t.name for t in action.tasks}
    events: list[Event] = []
    previous: dict[str, float] = {}
    for report in sorted(d.reports_by_action.get(action_id, []), key=lambda r: r.month):
        if report.submitted > as_of:
            continue
        subject = f"{zh_month_of(report.month)}进展报告"
        parts = []
        for item in report.tasks:
            first = schedule.percent_known(report, item, report.submitted)
            old = previous.get(item.task)
            change = "" if old is None else (f"（上次 {_fmt(old)}）" if old != first else "（与上次相同）")
            done = "，已完成" if first >= 100 > (old or 0) else ""
            parts.append(f"{names.get(item.task, item.task)} {_fmt(first)}{change}{done}")
            previous[item.task] = schedule.percent_known(report, item, as_of)
        late = report.submitted > schedule.report_due_date(report.month, rules.report_due_day)
        events.append(Event(report.submitted, "迟报" if late else "报送", subject, "；".join(parts), report.sample))
        for c in report.corrections:
            if c.date <= as_of:
                now = next((i.percent for i in report.tasks if i.task == c.task), c.was)
                later = sorted((x for x in report.corrections if x.task == c.task and x.date > c.date),
                               key=lambda x: x.date)
                new = later[0].was if later else now
                note = f"：{c.note}" if c.note else ""
                events.append(Event(c.date, "更正", subject,
                                    f"{names.get(c.task, c.task)} 进度 {_fmt(c.was)} → {_fmt(new)}{note}", report.sample))
    plan_done = {x.id: x for x in d.plan.measures}
    for task in action.tasks:
        measure = plan_done.get(task.plan_measure) if task.plan_measure else None
        if measure is not None and measure.done is not None and measure.done <= as_of:
            events.append(Event(measure.done, "完成", task.name, f"与方案措施“{measure.title}”为同一事项，按方案措施的完成日期计为已完成",
                                action.sample or measure.done_sample))
        changes = sorted(task.deadline_changes, key=lambda c: c.date)
        for index, c in enumerate(changes):
            if c.date <= as_of:
                new = changes[index + 1].was.text if index + 1 < len(changes) else task.deadline.text
                note = f"：{c.note}" if c.note else ""
                events.append(Event(c.date, "更正", task.name, f"完成时限由“{c.was.text}”改为“{new}”{note}", action.sample))
    order = {"完成": 0, "更正": 1, "迟报": 2, "报送": 2}
    return sorted(events, key=lambda e: (e.day, order[e.kind], e.subject), reverse=True)


@dataclass(frozen=True)
class Change:
    action: str
    task: str
    task_name: str
    commit: str     # short hash
    day: date       # commit date in China time
    what: str       # Chinese description


@dataclass
class History:
    available: bool
    reason: str = ""                                  # why not, in Chinese
    changes: dict[str, list[Change]] = field(default_factory=dict)  # action id → newest first

    def for_action(self, action_id: str) -> list[Change]:
        return self.changes.get(action_id, [])

    def for_task(self, task_id: str) -> list[Change]:
        return [c for changes in self.changes.values() for c in changes if c.task == task_id]


def unavailable(reason: str) -> History:
    return History(False, reason)


def task_history(run: Runner) -> History:
    """Percent, completion and deadline changes of every task, by commit."""
    if run(["rev-parse", "--is-inside-work-tree"], None) is None:
        return unavailable("生成网站的目录不是 git 仓库（例如从导出的文件生成），无法读取数据的修改历史。")
    shallow = run(["rev-parse", "--is-shallow-repository"], None)
    if shallow is not None and shallow.strip() == b"true":
        return unavailable("生成网站的仓库是浅克隆（只有最近的提交），修改历史不完整，因此不显示。")
    cache = _Cache.open(run)
    commits = _first_parent_log(run, cache)
    if commits is None:
        return unavailable("读取 git 历史失败。")
    wanted = [(sha, path) for sha, _, paths in commits for path in paths if path not in cache.files.get(sha, ())]
    blobs = _read_blobs(run, wanted)
    if blobs is None:
        return unavailable("读取 git 历史失败。")
    for sha, path in wanted:
        cache.files.setdefault(sha, {})[path] = _parsed(blobs[(sha, path)])
    for sha, _, paths in commits:      # a commit that touched no YAML file is known too
        cache.files.setdefault(sha, {})
    cache.save({sha for sha, _, _ in commits}, bool(wanted))
    return History(True, changes=_changes(commits, cache.files))


def _first_parent_log(run: Runner, cache: "_Cache") -> list[tuple[str, date, list[str]]] | None:
    """The main line's commits, oldest first, with the watched files each touched. The
    cache keeps the list of the last HEAD: the same HEAD costs nothing, a HEAD a few commits
    on (its first-parent line passes the cached one) asks git for those commits only."""
    head = run(["rev-parse", "--verify", "-q", "HEAD"], None)
    head_sha = head.decode().strip() if head else ""
    known = cache.log
    if head_sha and known is not None and known[0] == head_sha:
        return known[1]
    since = None
    if head_sha and known is not None:
        line = run(["rev-list", "--first-parent", head_sha], None)
        if line is not None and known[0].encode() in line.split():
            since = known[0]
    revision = [f"{since}..{head_sha}"] if since else ([head_sha] if head_sha else [])
    log = run(["-c", "core.quotePath=off", "log", "--first-parent", "-m", "--reverse", "--no-renames",
               "--format=%x00%H %cI", "--name-only", *revision, "--", *WATCHED], None)
    if log is None:
        return None
    commits = _parse_log(log.decode("utf-8", "replace"))
    if since:
        commits = known[1] + commits
    if head_sha:
        cache.log = (head_sha, commits)
    return commits


# What a file was at a commit: its YAML data (a mapping), or one of these.
DELETED = "deleted"
UNREADABLE = "unreadable"


# Free text the history never reads: left out of the cache (most of a report's bytes), so
# that reading the cache stays cheap at tens of thousands of commits.
_FREE_TEXT = frozenset({"progress", "problems", "next_steps", "goal", "attachments", "note"})


def _parsed(content: bytes | None) -> Any:
    if content is None:
        return DELETED
    data = _load(content)
    return UNREADABLE if data is None else _slim(data)


def _slim(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _slim(v) for k, v in value.items() if k not in _FREE_TEXT}
    if isinstance(value, list):
        return [_slim(v) for v in value]
    return value


class _Cache:
    """Parsed files by commit id, kept in the git folder (never committed, never published).
    A commit's files never change, so an entry never goes stale; a damaged or unreadable
    cache file is ignored and rewritten."""

    VERSION = 2

    def __init__(self, path: Path | None, files: dict[str, dict[str, Any]], log=None):
        self.path = path
        self.files = files
        self.log: tuple[str, list] | None = log      # (HEAD, its first-parent log)
        self._saved_log = log

    @classmethod
    def open(cls, run: Runner) -> "_Cache":
        git_dir = run(["rev-parse", "--absolute-git-dir"], None)
        if not git_dir or not git_dir.strip():
            return cls(None, {})
        path = Path(git_dir.decode("utf-8", "replace").strip()) / "column-cache" / f"history-v{cls.VERSION}.pickle"
        try:
            with path.open("rb") as handle:
                stored = pickle.load(handle)
            files, log = stored["files"], stored["log"]
            if not isinstance(files, dict):
                raise ValueError(path)
        except Exception:  # missing, damaged or from another Python: read git again
            files, log = {}, None
        return cls(path, files, log)

    def save(self, keep: set[str], changed: bool) -> None:
        """Write the entries of the commits in `keep` (others were rewritten away)."""
        stale = len(self.files) != len(keep) or self.log is not self._saved_log
        if self.path is None or not (changed or stale):
            return
        files = {sha: entry for sha, entry in self.files.items() if sha in keep}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".history-")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump({"files": files, "log": self.log}, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)   # atomic: a parallel build reads the old or the new file
        except OSError:
            pass                         # a read-only repository: no cache, same history


def _parse_log(text: str) -> list[tuple[str, date, list[str]]]:
    commits = []
    for chunk in text.split("\x00")[1:]:
        lines = [line for line in chunk.splitlines() if line.strip()]
        sha, stamp = lines[0].split(" ", 1)
        day = datetime.fromisoformat(stamp.strip()).astimezone(SHANGHAI).date()
        paths = sorted({p.strip() for p in lines[1:] if p.endswith((".yml", ".yaml"))})
        commits.append((sha, day, paths))
    return commits


def _read_blobs(run: Runner, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], bytes | None] | None:
    """File contents at commits in one `git cat-file --batch` call (None: deleted there)."""
    if not wanted:
        return {}
    # log prints paths from the repository root; cat-file wants them from the root too.
    request = "".join(f"{sha}:{path}\n" for sha, path in wanted).encode()
    out = run(["cat-file", "--batch"], request)
    if out is None:
        return None
    result: dict[tuple[str, str], bytes | None] = {}
    position = 0
    for key in wanted:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            result[key] = out[position:position + size]
            position += size + 1
        else:
            result[key] = None
    return result


_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it


def _load(content: bytes | None) -> dict[str, Any] | None:
    if content is None:
        return None
    try:
        data = yaml.load(content.decode("utf-8"), Loader=_YamlLoader)
    except (yaml.YAMLError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _percent(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _fmt(value: float) -> str:
    return f"{value:g}%"


class _Before(dict):
    """The state of the tasks a commit touched, before it; true when any task existed then
    (a task is 新增 only after the first commit that had tasks)."""

    def __init__(self, values: dict, had_tasks: bool):
        super().__init__(values)
        self.had_tasks = had_tasks

    def __bool__(self) -> bool:
        return self.had_tasks


def _changes(commits, files: dict[str, dict[str, Any]]) -> dict[str, list[Change]]:
    """Walk the commits oldest first, updating only the tasks each commit's files name.

    A task's state is that of the action file that declared it last (the file added most
    recently wins, as in a merged dict); its percent is that of the latest month's report
    naming it (ties: the report added most recently), as on the pages."""
    actions: dict[str, dict[str, tuple[str, str, str]]] = {}     # path → task → (action, name, deadline)
    reports: dict[str, tuple[str, str, dict[str, float]]] = {}   # path → (action, month, task → percent)
    added: dict[str, int] = {}                                   # path → when it was (re)added
    task_files: dict[str, set[str]] = {}                         # task → action files declaring it
    percent_files: dict[str, set[str]] = {}                      # task → reports giving its percent
    now_tasks: dict[str, tuple[str, str, str]] = {}
    now_percent: dict[str, float] = {}
    out: dict[str, list[Change]] = {}
    counter = 0
    for sha, day, paths in commits:
        entry = files.get(sha, {})
        updates: list[tuple[str, Any]] = []
        touched: set[str] = set()
        for path in paths:
            data = entry.get(path, UNREADABLE)
            if data == UNREADABLE:       # unreadable then: keep the last good state
                continue
            for old in (actions.get(path), reports.get(path)):
                if old is not None:
                    touched.update(old if isinstance(old, dict) else old[2])
            if data == DELETED:
                updates.append((path, None))
            elif path.startswith("data/actions/") or "/data/actions/" in path:
                action_id = str(data.get("id", ""))
                declared = {str(t["id"]): (action_id, str(t.get("name", "")), _text(t.get("deadline", "")))
                            for t in data.get("tasks") or [] if isinstance(t, dict) and t.get("id")}
                updates.append((path, declared))
                touched.update(declared)
            else:
                progress = {str(t.get("task")): p for t in data.get("tasks") or []
                            if isinstance(t, dict) and (p := _percent(t.get("percent"))) is not None}
                updates.append((path, (str(data.get("action", "")), _text(data.get("month", "")), progress)))
                touched.update(progress)
        if not touched:
            for path, value in updates:  # files without tasks: keep the bookkeeping right
                counter = _apply(path, value, actions, reports, added, task_files, percent_files, counter)
            continue
        before_tasks = _Before({t: now_tasks[t] for t in touched if t in now_tasks}, bool(now_tasks))
        before_percent = {t: now_percent[t] for t in touched if t in now_percent}
        for path, value in updates:
            counter = _apply(path, value, actions, reports, added, task_files, percent_files, counter)
        for task_id in touched:
            declaring = task_files.get(task_id)
            if declaring:
                now_tasks[task_id] = actions[max(declaring, key=added.__getitem__)][task_id]
            else:
                now_tasks.pop(task_id, None)
            reporting = percent_files.get(task_id)
            if reporting:
                latest = max(reporting, key=lambda path: (reports[path][1], added[path]))
                now_percent[task_id] = reports[latest][2][task_id]
            else:
                now_percent.pop(task_id, None)
        after_tasks = {t: now_tasks[t] for t in touched if t in now_tasks}
        for task_id in sorted(touched):
            action, name, _ = after_tasks.get(task_id) or before_tasks.get(task_id) or ("", task_id, "")
            what = _describe(task_id, before_tasks, after_tasks, before_percent.get(task_id), now_percent.get(task_id))
            if what and action:
                out.setdefault(action, []).append(Change(action, task_id, name, sha[:SHORT], day, what))
    return {action: list(reversed(changes)) for action, changes in sorted(out.items())}


def _apply(path, value, actions, reports, added, task_files, percent_files, counter) -> int:
    """Put one file's new state (None: deleted) into the walk's indexes."""
    for task_id in actions.get(path) or ():
        task_files[task_id].discard(path)
    old_report = reports.get(path)
    for task_id in (old_report[2] if old_report else ()):
        percent_files[task_id].discard(path)
    if value is None:
        actions.pop(path, None)
        reports.pop(path, None)
        added.pop(path, None)
        return counter
    if path not in actions and path not in reports:   # (re)added: after every file there now
        counter += 1
        added[path] = counter
    if isinstance(value, dict):
        actions[path] = value
        for task_id in value:
            task_files.setdefault(task_id, set()).add(path)
    else:
        reports[path] = value
        for task_id in value[2]:
            percent_files.setdefault(task_id, set()).add(path)
    return counter


def _describe(task_id, before_tasks, now_tasks, old: float | None, new: float | None) -> str:
    notes = []
    if task_id in now_tasks and task_id not in before_tasks and before_tasks:
        notes.append("新增任务")
    elif task_id in before_tasks and task_id not in now_tasks:
        notes.append("删除任务")
    elif task_id in now_tasks and task_id in before_tasks and before_tasks[task_id][2] != now_tasks[task_id][2]:
        notes.append(f"完成时限由“{before_tasks[task_id][2]}”改为“{now_tasks[task_id][2]}”")
    if new is not None and new != old:
        notes.append(f"进度 {_fmt(old)} → {_fmt(new)}" if old is not None else f"首次报送进度 {_fmt(new)}")
        if new >= 100 > (old or 0):
            notes.append("状态变为已完成")
        elif old is not None and old >= 100 > new:
            notes.append("状态由已完成改回未完成")
    return "；".join(notes)
