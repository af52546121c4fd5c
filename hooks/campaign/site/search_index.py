"""Pagefind's index, fed page by page while the build renders the next ones.

`pagefind --site` over the finished folder made the single-threaded build wait for it at the
end. Pagefind's service mode (`pagefind --service`, the protocol of the `pagefind` Python
package, spoken here without its asyncio wrapper) indexes each page as soon as its HTML is
final, on the second core.

Memory: the service holds every page it indexed, and more than doubles that while it writes
the bundle (about 22 bytes for every byte of page sent: 4.8 GB for the 12,600 pages of the
long-text benchmark at ×100). So a site is indexed in parts of about `part_bytes` of page each
(whole pages), one service process each: when a part is
full it writes its bundle and exits while the next part fills, so a part's final write also
overlaps the rendering. The build process indexes every page (page workers, forked once every
page is read, index none). The first part is the bundle in pagefind/ (with Pagefind's
scripts); the others are index-only bundles in pagefind/parts/0-N/ (part N; the 0 is the
process that wrote it, kept in the name search.js reads), listed in pagefind/parts.json,
which the search page merges in (Pagefind's `mergeIndex`, which reuses the first part's
WebAssembly).

Work: Pagefind reads only the page's <head> and its data-pagefind-body element, so it is
sent just those (a third of its parsing was the theme's navigation around them).

The service handles its messages one at a time, in the order they arrive, and numbers the
pages in that order: the same pages sent in the same order give the same bundle, byte for
byte. The fragments (what a result shows) are the ones the command line writes.
"""
from __future__ import annotations

import base64
import json
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import markupsafe

from campaign.records.processes import peak_kib

# A service queues what it is sent without limit, so the build never waits for it while a
# part fills: at most a part's pages (PART_BYTES) are in its queue. Held in step with the
# service (256 pages in flight until session 7), the build idled a core while Pagefind
# caught up. What bounds memory is the number of services alive: a part starts only once
# the part before the previous one has written its bundle (two at a time: one writing, one
# filling).
# Page bytes per part (what Pagefind is sent): bounds the indexer's memory, ≈ 600 MB.
PART_BYTES = 20_000_000
PARTS_FOLDER = "parts"
_WARM_PAGE = '<html lang="{language}"><body data-pagefind-body><p>营商环境专项督查</p></body></html>'
PARTS_LIST = "parts.json"
# What a merged part needs: the search page loads Pagefind's scripts from part 1 only.
_INDEX_ONLY = ("pagefind-entry.json", ".pf_meta", "index/", "fragment/", "filter/")


# Largest peak memory (KiB) of the service processes this process ran, read from the kernel
# before each exits: a child's ru_maxrss is no measure here, since a child spawned by a large
# process is charged that process's size.
_peak_kib = [0]


def peak_mb() -> float:
    return _peak_kib[0] / 1024


def _note_peak(pid: int) -> None:
    _peak_kib[0] = max(_peak_kib[0], peak_kib(pid))


class SearchIndexError(Exception):
    """Pagefind refused a page or could not write the bundle (message in Chinese)."""


def _executable() -> str:
    from pagefind.service import get_executable  # the binary of pagefind[extended]

    found = get_executable()
    if found is None:
        raise SearchIndexError("生成搜索索引（Pagefind）失败：找不到 pagefind 程序（pip install pagefind[extended]）")
    return str(found)


def searchable_html(html: str) -> str:
    """What Pagefind reads of a page: <html …><head>…</head> and, from the data-pagefind-body
    element on, the theme's article up to its end (what follows the element inside the article
    is outside it, so Pagefind skips it). A page without the element is sent whole."""
    body = html.find("<div data-pagefind-body")
    head_end = html.find("</head>")
    article_end = html.rfind("</article>")
    if body < 0 or head_end < 0 or article_end < body or head_end > body:
        return html
    return html[:head_end] + "</head><body>" + html[body:article_end] + "</body></html>"


def search_document(language: str, content: str, title: str | None, *, exclude: bool = False,
                    weight=None) -> str:
    """The page as Pagefind reads it, from its content alone: the <html lang> Pagefind takes
    the language from and the searchable element (no data-pagefind-body when the page is
    excluded, so Pagefind skips it like the finished page)."""
    attributes = ("" if exclude else " data-pagefind-body") + (
        "" if not weight else f' data-pagefind-weight="{markupsafe.escape(str(weight))}"')
    heading = "" if title is None else f"<h1>{title}</h1>"  # the theme prints the title raw
    return (f'<html lang="{markupsafe.escape(language)}"><head></head><body>'
            f"<div{attributes}>{heading}{content}</div></body></html>")


def write_parts_list(bundle_dir: Path) -> None:
    """pagefind/parts.json: every part beside the main bundle, in order (the order the search
    page merges them in); once the parts are written."""
    folder = bundle_dir / PARTS_FOLDER
    found = [p.name for p in folder.iterdir() if p.is_dir()] if folder.is_dir() else []
    listed = [f"{PARTS_FOLDER}/{name}/" for name in
              sorted(found, key=lambda name: tuple(int(n) for n in name.split("-")))]
    try:
        (bundle_dir / PARTS_LIST).write_text(json.dumps(listed), encoding="utf-8")
    except OSError as error:
        raise SearchIndexError(f"生成搜索索引（Pagefind）失败：无法写入 {error.filename}（{error.strerror}）") from None


def mark_single_part(bundle_dir: Path) -> None:
    """A bundle `pagefind --site` wrote (one part): drop parts left by an earlier build, say
    there are none."""
    shutil.rmtree(bundle_dir / PARTS_FOLDER, ignore_errors=True)
    (bundle_dir / PARTS_LIST).write_text("[]", encoding="utf-8")


class _Part:
    """One service process holding one index; writes its bundle into `target` when finished."""

    def __init__(self, executable: str, target: Path, index_only: bool, warm_language: str | None = None) -> None:
        self._target, self._index_only = target, index_only
        self._log = tempfile.TemporaryFile()
        try:
            self._process = subprocess.Popen([executable, "--service"], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, stderr=self._log)
        except OSError as error:
            self._log.close()
            raise SearchIndexError(f"生成搜索索引（Pagefind）失败：无法启动 pagefind（{error}）") from None
        self.size = 0
        self.finishing = False  # its bundle asked for: it takes no more pages
        self.errors: list[str] = []
        self._next_id = 0
        self._last = 0  # id of GetFiles, once sent
        self._written = False
        self._broken = False
        self._reader = threading.Thread(target=self._read_replies, name="pagefind-reader", daemon=True)
        self._reader.start()
        self._index_id = 0
        if warm_language is not None:
            # A page into an index never written, so the service loads its word lists (a
            # third of a second for Chinese) now, not when the first real page comes.
            self._send({"type": "NewIndex", "config": None})
            self._send({"type": "AddFile", "index_id": 0, "file_path": "warm/index.html", "url": None,
                        "file_contents": _WARM_PAGE.format(language=markupsafe.escape(warm_language))})
            self._index_id = 1  # the service numbers its indexes 0, 1, … as they are asked for
        self._send({"type": "NewIndex", "config": None})

    def _send(self, payload: dict) -> int:
        self._next_id += 1
        message = json.dumps({"message_id": self._next_id, "payload": payload}, ensure_ascii=False)
        if not self._broken:
            try:
                self._process.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
                self._process.stdin.flush()
            except (BrokenPipeError, ValueError, OSError):
                self._broken = True
        return self._next_id

    def add(self, path: str, html: str, size: int) -> None:
        self.size += size
        if self._broken:  # the service is gone: write() reports it
            return
        self._send({"type": "AddFile", "index_id": self._index_id, "file_path": path, "url": None,
                    "file_contents": html})

    def reading(self) -> bool:
        return self._reader.is_alive()

    def written(self) -> None:
        """Wait until the bundle is written (or the service has gone)."""
        self._reader.join()

    def finish(self) -> None:
        """Ask for the bundle; the reader writes it when it arrives, then the service stops.
        GetFiles, not WriteFiles: the service answers WriteFiles before its file writes have
        all landed, which left a file cut short in about one build in ten."""
        self._last = self._send({"type": "GetFiles", "index_id": self._index_id})
        self.finishing = True

    def _read_replies(self) -> None:
        # The bundle comes as one message of megabytes: join the pieces only when a separator
        # has arrived.
        pending: list[bytes] = []
        try:
            while True:
                chunk = self._process.stdout.read1(1 << 16)
                if not chunk:
                    break
                if b"," not in chunk:
                    pending.append(chunk)
                    continue
                *messages, rest = (b"".join(pending) + chunk).split(b",")
                pending = [rest]
                for message in messages:
                    if self._handle(json.loads(base64.b64decode(message))):
                        return
        finally:
            self._broken = self._broken or not self._written

    def _handle(self, reply: dict) -> bool:
        """True once the bundle is written (the last reply this part waits for)."""
        payload = reply.get("payload") or {}
        kind = payload.get("type")
        if kind == "Error":
            self.errors.append(str(payload.get("message")))
        if reply.get("message_id") == self._last and self._last:
            if kind == "GetFiles":
                self._write_bundle(payload.get("files") or [])
            return True
        return False

    def _write_bundle(self, files: list[dict]) -> None:
        try:
            for file in sorted(files, key=lambda f: f["path"]):
                name = file["path"]
                if self._index_only and not any(name.startswith(p) or name.endswith(p) for p in _INDEX_ONLY):
                    continue
                target = self._target / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(base64.b64decode(file["content"]))
        except OSError as error:
            self.errors.append(f"无法写入 {error.filename or self._target}（{error.strerror or error}）")
            return
        self._written = (self._target / "pagefind-entry.json").is_file()

    def wait(self) -> list[str]:
        """Wait for the bundle and the end of the service; the problems, [] if it is written."""
        self._reader.join()
        _note_peak(self._process.pid)  # still there: it exits when its input closes
        self._stop()
        self._log.seek(0)
        detail = self._log.read().decode("utf-8", "replace").strip()
        self._log.close()
        if self.errors:
            return self.errors
        if not self._written:
            return [detail or "服务进程意外退出"]
        return []

    def _stop(self) -> None:
        if self._process.poll() is None:
            try:
                self._process.stdin.close()
            except (BrokenPipeError, ValueError, OSError):
                pass
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def close(self) -> None:
        self._broken = True
        if self._process.poll() is None:
            self._process.kill()
        self._reader.join()
        self._stop()
        if not self._log.closed:
            self._log.close()


class StreamingIndex:
    """A site's Pagefind index into `bundle_dir`: add() pages in order, then write()."""

    def __init__(self, bundle_dir: Path, part_bytes: int = PART_BYTES) -> None:
        self._bundle_dir = Path(bundle_dir)
        self._part_bytes = max(1, part_bytes)
        self._executable = _executable()
        self._parts: list[_Part] = []
        self._added: set[str] = set()

    def _part_dir(self, number: int) -> Path:
        return self._bundle_dir if number == 1 else self._bundle_dir / PARTS_FOLDER / f"0-{number}"

    def warm(self, language: str) -> None:
        """Start the first part's service now, on a core that has nothing else to do yet,
        with its word lists for `language` loaded (the pages come later)."""
        if not self._parts:
            self._parts.append(_Part(self._executable, self._part_dir(1), index_only=False, warm_language=language))

    def add(self, path: str, html: str) -> None:
        """Index a page by its path in the site (actions/a01/index.html): URL as `--site` gives it."""
        self._added.add(path)
        html = searchable_html(html)
        size = len(html.encode("utf-8"))
        current = self._parts[-1] if self._parts else None
        if current is None or current.finishing or current.size and current.size + size > self._part_bytes:
            if current is not None and not current.finishing:
                current.finish()  # written while the next part fills
            if len(self._parts) >= 2:
                self._parts[-2].written()  # two services alive at most
            number = len(self._parts) + 1
            current = _Part(self._executable, self._part_dir(number), index_only=number > 1)
            self._parts.append(current)
        current.add(path, html, size)

    def added(self, path: str) -> bool:
        return path in self._added

    def reader_threads(self) -> int:
        """Threads of ours still running: one per part until its bundle is written."""
        return sum(1 for part in self._parts if part.reading())

    def seal(self) -> None:
        """Every page is in: the last part starts writing its bundle now (write() then only
        waits), while the build goes on with other work. A page added after this starts a
        new part."""
        if self._parts and not self._parts[-1].finishing:
            self._parts[-1].finish()

    def write(self) -> None:
        """Write the last part and wait for every part; raises SearchIndexError."""
        if not self._parts:
            # no page: an empty index still answers the search page
            self._parts.append(_Part(self._executable, self._part_dir(1), index_only=False))
        if not self._parts[-1].finishing:
            self._parts[-1].finish()
        errors = [error for part in self._parts for error in part.wait()]
        if errors:
            raise SearchIndexError("生成搜索索引（Pagefind）失败：" + "；".join(errors))

    def close(self) -> None:
        """Stop every service without writing (after a failed build); idempotent."""
        for part in self._parts:
            part.close()
        self._parts = []
