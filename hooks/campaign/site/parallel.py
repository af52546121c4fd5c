"""Pages rendered on more than one core: forked workers share them out as they go.

MkDocs renders its pages one after another on one core, and filling the theme's template
is the largest part of a build. Once every page has been read, rendering one page no longer
depends on the others: a fork of the build shares the pages, the navigation and the theme
copy-on-write and renders its share exactly as MkDocs would, into the same folder.

Items are taken in order from one counter in shared memory (under a POSIX record lock):
a worker takes the lowest item nobody has; the parent, which must go through every item in
MkDocs' order, takes each one as it comes to it unless a worker has it already (take()). So
a process slowed by other work (a Pagefind service writing, another build on the machine)
simply builds fewer pages, and nobody waits for a fixed share at the end. Which process
built a page never changes it: tests/test_parallel_build.py compares the sites. Each worker reports through a pipe, as JSON lines: its log records
(re-logged by the parent, so that `--strict` counts a worker's warning like any other), its
error if it failed, and its timings at the end; the parent reads them when it has built its
own share (finish). A worker that logs more than the pipe holds waits for that moment.

A fork is safe only without threads (another thread's locks would be copied held): start()
refuses then, and the build simply stays on one core.
"""
from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import logging
import mmap
import os
import struct
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterator

from campaign.site import forks

_COUNTER = struct.Struct("q")


class WorkerError(Exception):
    """A worker failed or vanished; the message says why (in Chinese)."""


class _Forward(logging.Handler):
    """In a worker: every record to the parent instead of the terminal."""

    def __init__(self, send: Callable[[dict], None]) -> None:
        super().__init__()
        self._send = send

    def emit(self, record: logging.LogRecord) -> None:
        self._send({"log": [record.name, record.levelno, record.getMessage()]})


class _Worker:
    def __init__(self, pid: int, reader) -> None:
        self.pid = pid
        self.reader = reader
        self.ended = False
        self.timings: dict[str, float] = {}
        self.reaped = False


class _Claims:
    """The next item nobody has taken: a counter in memory shared with the workers, changed
    under a record lock (per process, so the parent and its forks exclude each other)."""

    def __init__(self) -> None:
        self._memory = mmap.mmap(-1, _COUNTER.size)
        _COUNTER.pack_into(self._memory, 0, 0)
        fd, name = tempfile.mkstemp(prefix=".column-claims-")
        os.unlink(name)
        self._lock = fd

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        fcntl.lockf(self._lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.lockf(self._lock, fcntl.LOCK_UN)

    def next(self) -> int:
        """A worker's next item: the lowest one not taken."""
        with self._locked():
            index = _COUNTER.unpack_from(self._memory, 0)[0]
            _COUNTER.pack_into(self._memory, 0, index + 1)
            return index

    def take(self, index: int) -> bool:
        """The parent comes to item index (every one before it taken): True if it is its own."""
        with self._locked():
            if _COUNTER.unpack_from(self._memory, 0)[0] > index:
                return False
            _COUNTER.pack_into(self._memory, 0, index + 1)
            return True

    def close(self) -> None:
        if not self._memory.closed:
            os.close(self._lock)
            self._memory.close()


class Pool:
    """The parent's side: which items are its own, and waiting for the workers."""

    def __init__(self, count: int, workers: list[_Worker], claims: _Claims) -> None:
        self.count = count
        self._workers = workers
        self._claims = claims

    def take(self, index: int) -> bool:
        """Call for every item in order: True when this process builds it (no worker has)."""
        return self._claims.take(index)

    def finish(self) -> dict[str, float]:
        """Wait for every worker to end; returns their timings added up. Raises WorkerError."""
        total: dict[str, float] = {}
        for worker in self._workers:
            while not worker.ended:
                self._read(worker)
            _, status = os.waitpid(worker.pid, 0)
            worker.reaped = True
            worker.reader.close()
            if status != 0:
                self.kill()
                raise WorkerError(f"并行生成页面的子进程异常结束（状态 {status}）")
            for name, value in worker.timings.items():  # peaks ("peak:…") by their maximum
                total[name] = max(total.get(name, 0.0), value) if name.startswith("peak:") else total.get(name, 0.0) + value
        self._claims.close()
        return total

    def kill(self) -> None:
        """Stop every worker still running (the build failed); idempotent."""
        for worker in self._workers:
            if worker.reaped:
                continue
            forks.end(worker.pid)
            worker.reaped = True
            worker.reader.close()
        self._claims.close()

    def _read(self, worker: _Worker) -> None:
        line = worker.reader.readline()
        if not line:
            self.kill()
            raise WorkerError("并行生成页面的子进程意外退出")
        message = json.loads(line)
        if "log" in message:
            name, level, text = message["log"]
            logging.getLogger(name).log(level, "%s", text)
        elif "timings" in message:
            worker.timings = message["timings"]
        elif "end" in message:
            worker.ended = True
        elif "error" in message:
            self.kill()
            raise WorkerError(message["error"])


def start(count: int, total: int, build: Callable[[int], None], *, setup: Callable[[int], None],
          finish: Callable[[], None], timings: Callable[[], dict[str, float]],
          loggers: tuple[str, ...], threads: int = 1) -> Pool | None:
    """Fork count - 1 workers over items 0 … total-1; None (build on one core) when not safe.

    In worker k: setup(k) first, then build(i) for each item it takes, finish() and timings()
    at the end, and the handlers of `loggers` replaced by the pipe to the parent. `threads`: the
    threads the caller knows to be running (its own, and any whose objects the workers never
    touch); with any other, no fork (its locks would be copied held)."""
    if count < 2 or total < 2 or threading.active_count() > threads:
        return None
    count = min(count, total)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    # What exists now is shared with the workers: keep the cycle collector of either side
    # from walking (and so copying) it.
    gc.freeze()
    claims = _Claims()
    workers: list[_Worker] = []
    for k in range(1, count):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover (measured in the worker, which never returns)
            os.close(read_fd)
            for other in workers:
                other.reader.close()
            _run_worker(write_fd, k, _taken(claims, total), build, setup, finish, timings, loggers)
        os.close(write_fd)
        workers.append(_Worker(pid, os.fdopen(read_fd, "r", encoding="utf-8")))
    return Pool(count, workers, claims)


def _taken(claims: _Claims, total: int) -> Iterator[int]:  # pragma: no cover (in a worker)
    while (index := claims.next()) < total:
        yield index


def _run_worker(write_fd: int, number: int, items: Iterator[int], build, setup, finish, timings,
                loggers) -> None:  # pragma: no cover
    out = os.fdopen(write_fd, "w", encoding="utf-8")

    def send(message: dict) -> None:
        out.write(json.dumps(message, ensure_ascii=False) + "\n")
        out.flush()

    code = 1
    try:
        forward = _Forward(send)
        for name in loggers:
            logger = logging.getLogger(name)
            for handler in list(logger.handlers):
                logger.removeHandler(handler)
            logger.addHandler(forward)
        setup(number)
        for index in items:
            build(index)
        finish()
        send({"timings": timings()})
        send({"end": True})
        code = 0
    except BaseException as error:  # noqa: BLE001 - whatever it is, the parent must hear of it
        try:
            send({"log": ["mkdocs.hooks.column", logging.DEBUG, traceback.format_exc()]})
            send({"error": f"并行生成页面的子进程出错：{error}"})
        except BaseException:  # noqa: BLE001 - the parent is gone: nobody to tell
            pass
    finally:
        os._exit(code)
