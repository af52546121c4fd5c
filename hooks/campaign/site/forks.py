"""What every forked child of a build and its parent need (site/apart.py, render_ahead.py,
parallel.py).
"""
from __future__ import annotations

import logging
import os
import signal


class Noticed(logging.Handler):
    """In a child: remembers that the work logged something (its result is not handed over)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        self.seen = True


def noticing_logs() -> "Noticed":
    """In a child: every log record goes to one handler that only remembers there was one
    (whatever it was about is the build's to say, when it does that work itself)."""
    noticed = Noticed()
    for name in list(logging.root.manager.loggerDict):
        logger = logging.getLogger(name)
        if isinstance(logger, logging.Logger):
            logger.handlers = []
            logger.propagate = True
    logging.getLogger().handlers = [noticed]
    return noticed


def end(pid: int) -> None:
    """Stop a child (if it still runs) and reap it."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)


def close_all_but(*keep: int) -> None:
    # Every inherited descriptor but the child's own: a pipe end held here would keep a
    # Pagefind service or the text rules' reader from seeing its end.
    low = 3
    for fd in sorted(keep):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 65536)
