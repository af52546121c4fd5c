"""Pages made ahead, on the second core, while the build does other work.

MkDocs reads its pages one after another on one core: it converts each Markdown page, and
before the first one the build makes the downloads while the other core idles. Making a
page is pure: rendering a generated page's template, or converting a policy's Markdown,
gives the same result in any process. So a forked child makes the pages from the last one
backwards, while the build goes on and then reads forwards from the first; whatever the
child has finished is taken from it, everything else the build makes itself, as before. The
two meet in the middle: the build tells the child (through a shared word of memory) which
page it has reached, and the child stops there. Which process made a page never changes it.

The adapter says what to make (`work`: one function per page, giving bytes) and checks what
it takes (a Markdown page's result carries a digest of the Markdown it was made from). The
child hands over nothing but bytes: each result goes into an unlinked temporary file (a
page_store.PageStore of its own), and a line "index offset length" down a pipe the build
reads without waiting. A page that failed or logged anything in the child is not handed
over: the build makes it again, so its error or warning is the build's own. A child that dies only leaves more pages to the build. It
holds none of the build's other files or pipes (a Pagefind service, the text rules'
process): it closes them first, and it runs at a lower priority than the build.
"""
from __future__ import annotations

import gc
import mmap
import os
import struct
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from campaign.records.processes import peak_kib
from campaign.site import forks
from campaign.site.page_store import PageStore

_WORD = struct.Struct("q")


class Ahead:
    """The build's side: results the child has finished, taken by their page's key."""

    def __init__(self, pid: int, reader: int, store: PageStore, reached: mmap.mmap, order: dict[str, int]) -> None:
        self._pid: int | None = pid
        self._reader: int | None = reader
        self._store = store
        self._reached = reached
        self._order = order
        self._finished: dict[int, tuple[int, int]] = {}
        self._partial = b""
        self.taken = 0
        self.peak_kib = 0  # the child's peak resident memory (shared pages included)

    def take(self, key: str) -> bytes | None:
        """The page's result if the child has made it, else None (make it here). The child
        stops before this page and every one before it."""
        index = self._order.get(key)
        if index is None or self._pid is None:
            return None
        _WORD.pack_into(self._reached, 0, index)
        self._drain()
        where = self._finished.pop(index, None)
        if where is None:
            return None
        self.taken += 1
        return self._store.take_bytes(where)

    def _drain(self) -> None:
        while self._reader is not None:
            try:
                chunk = os.read(self._reader, 65536)
            except BlockingIOError:
                return
            if not chunk:  # the child has ended
                os.close(self._reader)
                self._reader = None
                return
            lines = (self._partial + chunk).split(b"\n")
            self._partial = lines.pop()
            for line in lines:
                if line.startswith(b"peak "):
                    self.peak_kib = max(self.peak_kib, int(line.split()[1]))
                    continue
                index, offset, size = map(int, line.split())
                self._finished[index] = (offset, size)

    def close(self) -> None:
        """Stop the child (it has nothing left the build needs) and let go of its file."""
        if self._pid is None:
            return
        self._drain()
        self.peak_kib = max(self.peak_kib, peak_kib(self._pid))  # still running: its own figure
        forks.end(self._pid)
        self._pid = None
        if self._reader is not None:
            os.close(self._reader)
            self._reader = None
        self._store.close()
        self._reached.close()
        self._finished.clear()


def start(keys: Sequence[str], work: Sequence[Callable[[], bytes]], folder: Path, threads: int = 1) -> Ahead | None:
    """Fork a child calling work[i] (the page keys[i], in the order the build reads them)
    from the last; None when a fork is not safe or there is nothing to share. `threads`: the
    threads the caller knows to be running (its own, and any whose objects the child never
    touches); with any other, no fork (its locks would be copied held)."""
    if len(keys) < 2 or threading.active_count() > threads:
        return None
    store = PageStore(folder)  # the child's results, written there by the child only
    reached = mmap.mmap(-1, _WORD.size)  # shared with the child: the page the build has reached
    _WORD.pack_into(reached, 0, -1)
    read_fd, write_fd = os.pipe()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    gc.freeze()  # what exists now is shared with the child: no collector copies it
    pid = os.fork()
    if pid == 0:  # pragma: no cover (runs in the child, which never returns)
        os.nice(10)  # the build's other work (Pagefind above all) comes first; this only fills gaps
        _run_child(work, write_fd, store, reached)
    os.close(write_fd)
    os.set_blocking(read_fd, False)
    return Ahead(pid, read_fd, store, reached, {key: index for index, key in enumerate(keys)})


def _run_child(work: Sequence[Callable[[], bytes]], write_fd: int, store: PageStore,
               reached: mmap.mmap) -> None:  # pragma: no cover
    try:
        forks.close_all_but(write_fd, store.fileno())
        noticed = forks.noticing_logs()
        for index in range(len(work) - 1, -1, -1):
            if index <= _WORD.unpack_from(reached, 0)[0]:
                break
            noticed.seen = False
            try:
                data = work[index]()
            except Exception:  # noqa: BLE001 - the build makes this page and reports it
                continue
            if noticed.seen:
                continue
            start, size = store.put_bytes(data)
            os.write(write_fd, f"{index} {start} {size}\n".encode("ascii"))
        os.write(write_fd, f"peak {peak_kib()}\n".encode("ascii"))
    except BaseException:  # noqa: BLE001 - the build makes whatever is missing
        pass
    finally:
        os._exit(0)
