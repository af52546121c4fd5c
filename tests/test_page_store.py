"""Page contents kept on disk between MkDocs' two passes (campaign/site/page_store.py): every
page comes back exactly as it went in, in any order, and nothing is left in the folder."""
from __future__ import annotations

from pathlib import Path

from campaign.site.page_store import PageStore


def test_contents_come_back_exactly_and_leave_no_file(tmp_path: Path):
    store = PageStore(tmp_path)
    pages = {f"p{i}": f"<h1>行动{i}</h1>" + "压缩企业开办时间 " * (i * 97) + "\U0001F600" for i in range(300)}
    pages["empty"] = ""
    where = {name: store.put(text) for name, text in pages.items()}
    assert list(tmp_path.iterdir()) == []  # unlinked at once: nothing left behind
    for name in reversed(list(pages)):
        assert store.take(where[name]) == pages[name]
    assert store.take(where["p7"]) == pages["p7"]  # taken twice: still there
    store.close()
    store.close()
