"""Pagefind's index, fed page by page while the build renders the next ones.

`pagefind --site` over the finished folder made the single-threaded build wait for it at the
end. Pagefind's service mode (`pagefind --service`, the protocol of the `pagefind` Python
package, spoken here without its asyncio wrapper) indexes each page as soon as its HTML is
final, on the second core; only writing the bundle is left for the end of the build.

The service handles its messages one at a time, in the order they arrive, and numbers the
pages in that order: the same pages sent in the same order give the same bundle, byte for
byte, whatever the file system (the command line numbers them in directory-walk order).
The fragments (what a result shows) are the ones the command line writes.
"""
from __future__ import annotations

import base64
import json
import queue
import subprocess
import tempfile
import threading
from pathlib import Path

# Pages waiting for the service (a few MB of HTML).
_PENDING_PAGES = 64


class SearchIndexError(Exception):
    """Pagefind refused a page or could not write the bundle (message in Chinese)."""


def _executable() -> str:
    from pagefind.service import get_executable  # the binary of pagefind[extended]

    found = get_executable()
    if found is None:
        raise SearchIndexError("生成搜索索引（Pagefind）失败：找不到 pagefind 程序（pip install pagefind[extended]）")
    return str(found)


class StreamingIndex:
    """One Pagefind index in a service process; add() pages, then write()."""

    def __init__(self) -> None:
        executable = _executable()
        self._log = tempfile.TemporaryFile()
        try:
            self._process = subprocess.Popen([executable, "--service"], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, stderr=self._log)
        except OSError as error:
            self._log.close()
            raise SearchIndexError(f"生成搜索索引（Pagefind）失败：无法启动 pagefind（{error}）") from None
        self._next_id = 0
        self._added: set[str] = set()
        self._broken = False
        # Pages go to the service from a thread of ours: the build never waits on the pipe
        # while Pagefind is busy (on a loaded machine it is, for seconds). The queue is
        # bounded so that a slow indexer holds back the build rather than filling memory.
        self._outbox: queue.Queue = queue.Queue(maxsize=_PENDING_PAGES)
        self._writer = threading.Thread(target=self._write_out, name="pagefind-writer", daemon=True)
        self._writer.start()
        self._send({"type": "NewIndex", "config": None})

    def _send(self, payload: dict) -> int:
        self._next_id += 1
        self._outbox.put((self._next_id, payload))
        return self._next_id

    def _write_out(self) -> None:
        while (item := self._outbox.get()) is not None:
            if self._broken:
                continue
            message_id, payload = item
            message = json.dumps({"message_id": message_id, "payload": payload}, ensure_ascii=False)
            try:
                self._process.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
                self._process.stdin.flush()
            except (BrokenPipeError, ValueError):
                self._broken = True

    def add(self, path: str, html: str) -> None:
        """Index a page by its path in the site (actions/a01/index.html): URL as `--site` gives it."""
        self._added.add(path)
        self._send({"type": "AddFile", "index_id": 0, "file_path": path, "url": None, "file_contents": html})

    def added(self, path: str) -> bool:
        return path in self._added

    def write(self, bundle_dir: Path) -> None:
        """Write the bundle (pagefind/ of the site) and stop the service; raises SearchIndexError."""
        # GetFiles, not WriteFiles: the service answers WriteFiles before its file writes
        # have all landed, and exits when its input closes, which left a file cut short
        # (pagefind-component-ui.js at 128 KiB) in about one build in ten. Here the bundle
        # comes back in the reply and is written by us, whole, before the build goes on.
        last = self._send({"type": "GetFiles", "index_id": 0})
        self._finish_writing()
        errors: list[str] = []
        files = None
        try:
            if not self._broken:
                for reply in self._replies(last):
                    payload = reply.get("payload") or {}
                    if payload.get("type") == "Error":
                        errors.append(str(payload.get("message")))
                    elif reply.get("message_id") == last and payload.get("type") == "GetFiles":
                        files = payload.get("files") or []
        finally:
            self._stop()
        if files is not None and not errors:
            try:
                for file in sorted(files, key=lambda f: f["path"]):
                    target = bundle_dir / file["path"]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(base64.b64decode(file["content"]))
            except OSError as error:
                errors.append(f"无法写入 {error.filename or bundle_dir}（{error.strerror or error}）")
        failed = self._broken or errors or not (bundle_dir / "pagefind-entry.json").is_file()
        self._log.seek(0)
        detail = "；".join(errors) or self._log.read().decode("utf-8", "replace").strip() or "服务进程意外退出"
        self._log.close()
        if failed:
            raise SearchIndexError("生成搜索索引（Pagefind）失败：" + detail)

    def _replies(self, last: int):
        # The service exits as soon as its input closes, whatever it has not answered yet:
        # read up to the reply to the last message before closing it. The bundle comes as
        # one message of megabytes: join the pieces only when a separator has arrived.
        pending: list[bytes] = []
        while True:
            chunk = self._process.stdout.read1(1 << 16)
            if not chunk:
                self._broken = True
                return
            if b"," not in chunk:
                pending.append(chunk)
                continue
            *messages, rest = (b"".join(pending) + chunk).split(b",")
            pending = [rest]
            for message in messages:
                reply = json.loads(base64.b64decode(message))
                yield reply
                if reply.get("message_id") == last:
                    return

    def _finish_writing(self) -> None:
        if self._writer.is_alive():
            self._outbox.put(None)
            self._writer.join()

    def close(self) -> None:
        """Stop the service without writing (after a failed build); idempotent."""
        self._broken = True  # the writer drops what is still queued
        self._finish_writing()
        self._stop()
        self._log.close()

    def _stop(self) -> None:
        if self._process.poll() is None:
            try:
                self._process.stdin.close()
            except (BrokenPipeError, ValueError):
                pass
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
