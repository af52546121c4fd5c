"""Generated pages rendered ahead, on the second core, while the build does other work.

MkDocs reads its pages one after another on one core, and before it reads the first one the
build makes the downloads (open data, feeds, documents) on that same core while the other
idles. Rendering a generated page's template is pure: the same page gives the same text in
any process. So a forked child renders the generated pages from the last one backwards,
while the build goes on and then reads forwards from the first; every page the child has
finished is taken from it, every other one the build renders itself, as before. The two
meet in the middle: the build tells the child (through a shared word of memory) which page
it has reached, and the child stops there. Which process rendered a page never changes it.

The child hands over nothing but text: each page's content goes into an unlinked temporary
file, and a line "index offset length" down a pipe the build reads without waiting. A page
that failed or logged anything in the child is not handed over: the build renders it again,
so its error or warning is the build's own. A child that dies only leaves more pages to the
build. It holds none of the build's other files or pipes (a Pagefind service, the text
rules' process): it closes them first.
"""
from __future__ import annotations

import gc
import logging
import mmap
import os
import signal
import struct
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

_WORD = struct.Struct("q")


class Ahead:
    """The build's side: pages the child has finished, taken by their src_uri."""

    def __init__(self, pid: int, reader: int, store: int, reached: mmap.mmap, order: dict[str, int]) -> None:
        self._pid: int | None = pid
        self._reader: int | None = reader
        self._store = store
        self._reached = reached
        self._order = order
        self._finished: dict[int, tuple[int, int]] = {}
        self._partial = b""
        self.taken = 0

    def take(self, src_uri: str) -> str | None:
        """The page's content if the child has rendered it, else None (render it here). The
        child stops before this page and every one before it."""
        index = self._order.get(src_uri)
        if index is None or self._pid is None:
            return None
        _WORD.pack_into(self._reached, 0, index)
        self._drain()
        where = self._finished.pop(index, None)
        if where is None:
            return None
        offset, size = where
        data = bytearray()
        while len(data) < size:
            chunk = os.pread(self._store, size - len(data), offset + len(data))
            if not chunk:
                return None  # cannot happen with the child's file; render it here then
            data += chunk
        self.taken += 1
        return data.decode("utf-8")

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
                index, offset, size = map(int, line.split())
                self._finished[index] = (offset, size)

    def close(self) -> None:
        """Stop the child (it has nothing left the build needs) and let go of its file."""
        if self._pid is None:
            return
        try:
            os.kill(self._pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self._pid, 0)
        self._pid = None
        if self._reader is not None:
            os.close(self._reader)
            self._reader = None
        os.close(self._store)
        self._reached.close()
        self._finished.clear()


def start(pages: Sequence, folder: Path, threads: int = 1) -> Ahead | None:
    """Fork a child rendering `pages` (GeneratedPage, in the order the build reads them) from
    the last; None when a fork is not safe or there is nothing to share. `threads`: the
    threads the caller knows to be running (its own, and any whose objects the child never
    touches); with any other, no fork (its locks would be copied held)."""
    if len(pages) < 2 or threading.active_count() > threads:
        return None
    fd, name = tempfile.mkstemp(dir=folder, prefix=".column-ahead-")
    os.unlink(name)
    reached = mmap.mmap(-1, _WORD.size)  # shared with the child: the page the build has reached
    _WORD.pack_into(reached, 0, -1)
    read_fd, write_fd = os.pipe()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    gc.freeze()  # what exists now is shared with the child: no collector copies it
    pid = os.fork()
    if pid == 0:  # pragma: no cover (runs in the child, which never returns)
        os.nice(10)  # the build's other work (Pagefind above all) comes first; this only fills gaps
        _run_child(pages, write_fd, fd, reached)
    os.close(write_fd)
    os.set_blocking(read_fd, False)
    return Ahead(pid, read_fd, fd, reached, {page.src_uri: index for index, page in enumerate(pages)})


class _Noticed(logging.Handler):
    """In the child: remembers that a page logged something (that page is not handed over)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        self.seen = True


def _run_child(pages: Sequence, write_fd: int, store: int, reached: mmap.mmap) -> None:  # pragma: no cover
    try:
        _close_all_but(write_fd, store)
        noticed = _Noticed()
        root = logging.getLogger()
        for logger in [root, *(logging.getLogger(n) for n in list(logging.root.manager.loggerDict))]:
            if isinstance(logger, logging.Logger):
                logger.handlers = []
                logger.propagate = True
        root.handlers = [noticed]
        offset = 0
        for index in range(len(pages) - 1, -1, -1):
            if index <= _WORD.unpack_from(reached, 0)[0]:
                break
            noticed.seen = False
            try:
                data = pages[index].content.encode("utf-8")
            except Exception:  # noqa: BLE001 - the build renders this page and reports it
                continue
            pages[index].release()
            if noticed.seen:
                continue
            view = memoryview(data)
            start = offset
            while view:
                written = os.pwrite(store, view, offset)
                view = view[written:]
                offset += written
            os.write(write_fd, f"{index} {start} {offset - start}\n".encode("ascii"))
    except BaseException:  # noqa: BLE001 - the build renders whatever is missing
        pass
    finally:
        os._exit(0)


def _close_all_but(*keep: int) -> None:
    # Every inherited descriptor but the child's own: a pipe end held here would keep a
    # Pagefind service or the text rules' reader from seeing its end.
    low = 3
    for fd in sorted(keep):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 65536)
