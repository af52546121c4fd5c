"""The editors' fast preview (`./column preview`: `mkdocs serve --dirty` with our hooks).

MkDocs' dirty rebuild skips a page whose file says it is unmodified; for virtual files it
always says modified, so every save rebuilt the whole site. The adapter instead asks this
module, per output file, whether what would be written differs from what the previous
build of this process wrote there:

- a page is rebuilt when the fingerprint of everything it is made from (its source, what
  the adapter adds to it, and the site-wide inputs every page shows: configuration, menu,
  theme overrides, stylesheet bundle, data date, version, the set of pages) differs from
  the one recorded when it was last written, or its output is missing;
- any other virtual file (open data, feeds, .docx) is rewritten when its bytes differ;
- an output the previous build wrote that this build does not produce is deleted.

What a build wrote is recorded only when it has finished (`finish`); a build that fails
after it started writing forgets everything (`abandon`), so the next build is a full one.
The memory lives in this module, which stays imported across `mkdocs serve` rebuilds.
Nothing here decides from timestamps, so nothing stale can survive an edit.

Pagefind then indexes the site in the background (`index_later`): search follows a second
or two after the refreshed page instead of delaying it.
"""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from campaign.records.digest import parts_digest

log = logging.getLogger(__name__)


def fingerprint(*parts) -> str:
    """A digest of the parts: bytes as they are, everything else by its repr (our records
    and page facts are dataclasses and tuples, whose repr is their value)."""
    return parts_digest(parts).hexdigest()


def folder_fingerprint(folder: str | os.PathLike | None) -> str:
    """The names and bytes of every file under a folder (the theme overrides)."""
    if not folder or not Path(folder).is_dir():
        return ""
    root = Path(folder)
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return fingerprint(*[(str(p.relative_to(root)), p.read_bytes()) for p in files])


@dataclass
class _Memory:
    site_dir: str | None = None
    written: dict[str, str] = field(default_factory=dict)   # output path -> fingerprint of what is there
    outputs: set[str] = field(default_factory=set)         # every output a build may have left there
    building: bool = False


_memory = _Memory()


class Plan:
    """The decisions of one build; `finish` makes them the memory of the next."""

    def __init__(self, site_dir: str, site_fingerprint: str, outputs: Iterable[str]):
        if _memory.building or _memory.site_dir != site_dir:
            # An unfinished build may have written anything: start again from nothing.
            _memory.written = {}
        if _memory.site_dir != site_dir:
            _memory.outputs = set()
        _memory.site_dir = site_dir
        _memory.building = True
        # Written from now on, whether this build finishes or not (`finish` deletes the
        # ones a later build no longer produces).
        _memory.outputs |= set(outputs)
        self.site = site_fingerprint
        self.written: dict[str, str] = {}
        self.rebuilt = 0
        self.skipped = 0

    def page(self, dest: str, inputs: tuple) -> bool:
        """Does the page at `dest` (made from `inputs`) have to be rendered again?"""
        # the parts one by one: a page's source bytes are hashed as they are, not by a repr
        return self._decide(dest, fingerprint(self.site, *inputs))

    def file(self, dest: str, content: bytes) -> bool:
        """Does the virtual file at `dest` have to be written again?"""
        return self._decide(dest, fingerprint(content))

    def _decide(self, dest: str, value: str) -> bool:
        self.written[dest] = value
        modified = _memory.written.get(dest) != value or not os.path.isfile(dest)
        if modified:
            self.rebuilt += 1
        else:
            self.skipped += 1
        return modified

    def finish(self, outputs: Iterable[str]) -> list[str]:
        """The build has written everything: delete what an earlier build wrote and this
        one no longer produces (a removed report's page, a deleted image), and remember
        this build."""
        outputs = set(outputs)
        stale = sorted(_memory.outputs - outputs)
        for path in stale:
            try:
                os.remove(path)
            except FileNotFoundError:
                pass
            _remove_empty_folders(Path(path).parent, Path(_memory.site_dir or path))
        _memory.written = {path: value for path, value in self.written.items() if path in outputs}
        _memory.outputs = outputs
        _memory.building = False
        return stale


def _remove_empty_folders(folder: Path, site: Path) -> None:
    # a removed page leaves its folder (progress/missing/) behind: a fresh build has none
    while folder != site and site in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty
            return
        folder = folder.parent


def abandon() -> None:
    """A build failed: if it had started writing, forget what is on disk."""
    if _memory.building:
        _memory.written = {}
        _memory.building = False


# --- Search index in the background ---------------------------------------------------------


@dataclass
class _Indexing:
    process: subprocess.Popen | None = None
    thread: threading.Thread | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    last_error: str = ""


_indexing = _Indexing()


def index_later(command: list[str], site_dir: str, folder: str = "pagefind", parts_list: str = "") -> None:
    """Run the indexer (`command`, to which `--output-path NEXT` is added) over the site in
    the background, then put its output in place of site_dir/folder. A run still going
    from the previous build is stopped first: it would index pages that changed since.
    `parts_list`, if given, is written into the output as an empty list of index parts."""
    cancel()
    site = Path(site_dir)
    building = site / f".{folder}-next"
    shutil.rmtree(building, ignore_errors=True)
    process = subprocess.Popen(command + ["--output-path", str(building)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)

    def wait_and_swap() -> None:
        _, error = process.communicate()
        with _indexing.lock:
            if _indexing.process is not process or process.returncode != 0:
                shutil.rmtree(building, ignore_errors=True)
                if _indexing.process is process:
                    _indexing.last_error = (error or "").strip() or f"退出码 {process.returncode}"
                    log.warning("预览：生成搜索索引（Pagefind）失败，搜索仍是上一次的结果：%s", _indexing.last_error)
                return
            if parts_list:  # the indexer wrote one part: the search page merges none
                (building / parts_list).write_text("[]", encoding="utf-8")
            final, old = site / folder, site / f".{folder}-old"
            shutil.rmtree(old, ignore_errors=True)
            if final.exists():
                os.replace(final, old)
            os.replace(building, final)
            shutil.rmtree(old, ignore_errors=True)
            _indexing.last_error = ""

    with _indexing.lock:
        _indexing.process = process
    _indexing.thread = threading.Thread(target=wait_and_swap, name="preview-search-index", daemon=True)
    _indexing.thread.start()


def cancel() -> None:
    """Stop a background indexing run this process started (if any) and wait for it."""
    with _indexing.lock:
        process, _indexing.process = _indexing.process, None
    if process is not None and process.poll() is None:
        process.terminate()
    wait()


def wait(timeout: float | None = None) -> str:
    """Wait for the background indexing to end; its error output ('' if it succeeded)."""
    thread = _indexing.thread
    if thread is not None:
        thread.join(timeout)
    return _indexing.last_error
