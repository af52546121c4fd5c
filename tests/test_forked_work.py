"""Work done ahead or apart in forked children (campaign/site/render_ahead.py, apart.py): what
the build takes is exactly what it would have made itself; whatever failed or logged in the
child is left to the build."""
from __future__ import annotations

import logging
import time
from pathlib import Path

from campaign.site import apart, render_ahead


def _until_child_ends(ahead: render_ahead.Ahead, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while ahead._reader is not None and time.monotonic() < deadline:  # noqa: SLF001 - test waits for the end
        ahead._drain()  # noqa: SLF001
        time.sleep(0.01)
    assert ahead._reader is None, "the child did not end"  # noqa: SLF001


def _page(number: int) -> bytes:
    return f"<p>第 {number} 页：营商环境</p>".encode("utf-8") * (number + 1) * 200


def _fails() -> bytes:
    raise ValueError("坏页面")


def _logs() -> bytes:
    logging.getLogger("mkdocs.hooks.column").warning("提醒")
    return b"<p>logged</p>"


def test_every_page_made_ahead_is_the_page_itself(tmp_path: Path):
    keys = [f"p{n}.md" for n in range(12)]
    work = [lambda n=n: _page(n) for n in range(12)]
    work[4], work[7] = _fails, _logs
    ahead = render_ahead.start(keys, work, tmp_path)
    assert ahead is not None
    _until_child_ends(ahead)
    taken = {key: ahead.take(key) for key in keys}
    ahead.close()
    assert taken["p4.md"] is None and taken["p7.md"] is None  # the build makes these itself
    assert all(taken[f"p{n}.md"] == _page(n) for n in range(12) if n not in (4, 7))
    assert ahead.taken == 10
    assert ahead.take("p1.md") is None and ahead.take("other.md") is None  # closed, unknown


def test_the_child_stops_where_the_build_has_reached(tmp_path: Path):
    keys = [f"p{n}.md" for n in range(40)]

    def slow(n: int) -> bytes:
        time.sleep(0.02)
        return _page(n)

    ahead = render_ahead.start(keys, [lambda n=n: slow(n) for n in range(40)], tmp_path)
    assert ahead is not None
    made_here = 0
    for n, key in enumerate(keys):  # the build goes forwards, making what the child has not
        result = ahead.take(key)
        if result is None:
            made_here += 1
            slow(n)
        else:
            assert result == _page(n)
    assert made_here + ahead.taken == 40
    _until_child_ends(ahead)
    made_by_child = ahead.taken + len(ahead._finished)  # noqa: SLF001 - finished, never taken
    ahead.close()
    # The build had reached page 0 before the child began (from page 39): it never made page
    # 0, and stopped where they met instead of going on to it.
    assert made_by_child < 40
    assert made_by_child + made_here <= 42  # at most a page or two made twice where they met


def test_work_apart_answers_or_leaves_the_work_to_the_build():
    assert apart.start(lambda: b"\xe6\x96\x87" * 100_000).result() == b"\xe6\x96\x87" * 100_000
    assert apart.start(_fails).result() is None
    assert apart.start(_logs).result() is None
