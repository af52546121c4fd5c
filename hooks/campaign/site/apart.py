"""One piece of a build's work in a forked child, while the build goes on with the rest.

The build makes its downloads (open data, feeds, documents: seconds at the long-text scales)
before MkDocs reads the first page, on one core while the other idles, and Pagefind, the
longest chain of work in a build, cannot start before that first page. A forked child makes
them instead, from the same dataset, and the build takes the child's answer (bytes) when it
needs it. The child's work must be pure (the same in either process) and say nothing: if it
fails, logs anything or dies, result() is None and the build does the work itself, so any
error or warning is the build's own, as before.

Like the other forks of a build (render_ahead.py, parallel.py), the child holds none of the
build's other files or pipes: it closes them first.
"""
from __future__ import annotations

import gc
import os
import struct
import sys
import threading
from collections.abc import Callable

from campaign.records.processes import peak_kib
from campaign.site import forks


_PEAK = struct.Struct("<q")


class Apart:
    def __init__(self, pid: int, reader: int) -> None:
        self._pid, self._reader = pid, reader
        self.peak_kib = 0  # the child's peak resident memory (shared pages included)

    def result(self) -> bytes | None:
        """Wait for the child; its answer, or None when the build must do the work itself."""
        chunks = []
        while chunk := os.read(self._reader, 1 << 16):
            chunks.append(chunk)
        os.close(self._reader)
        _, status = os.waitpid(self._pid, 0)
        data = b"".join(chunks)
        if status != 0 or len(data) < _PEAK.size:
            return None
        self.peak_kib = _PEAK.unpack_from(data, len(data) - _PEAK.size)[0]
        return data[:-_PEAK.size]

    def close(self) -> None:
        """Abandon the child (the build failed)."""
        forks.end(self._pid)
        os.close(self._reader)


def start(work: Callable[[], bytes], threads: int = 1) -> Apart | None:
    """Fork a child running work(); None when a fork is not safe. `threads`: those the caller
    knows to be running and the child never touches (with any other, no fork)."""
    if threading.active_count() > threads:
        return None
    read_fd, write_fd = os.pipe()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    gc.freeze()
    pid = os.fork()
    if pid == 0:  # pragma: no cover (runs in the child, which never returns)
        code = 1
        try:
            forks.close_all_but(write_fd)
            noticed = forks.noticing_logs()
            data = work()
            if not noticed.seen:
                view = memoryview(data + _PEAK.pack(peak_kib()))
                while view:
                    view = view[os.write(write_fd, view):]
                code = 0
        except BaseException:  # noqa: BLE001 - the build does the work itself
            pass
        finally:
            os._exit(code)
    os.close(write_fd)
    return Apart(pid, read_fd)
