"""Page contents kept on disk between MkDocs' two passes over the pages.

MkDocs first reads and converts every page, and fills the theme's template for each only
afterwards: a build held every page's HTML at once (about 350 MB for the 12,600 pages of the
long-text benchmark at ×100). A full build puts each page's content here as soon as it is
final and takes it back just before its template renders: the contents sit in one
temporary file (in the operating system's page cache, not in the build process).

The file is unlinked as soon as it is made: nothing is left behind, whatever ends the build.
A forked page worker reads it too (positional reads share no file offset); a child making
pages ahead (render_ahead.py) writes its results into one of its own.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


class PageStore:
    def __init__(self, folder: Path) -> None:
        fd, name = tempfile.mkstemp(dir=folder, prefix=".column-pages-")
        os.unlink(name)
        self._fd: int | None = fd
        self._end = 0

    def fileno(self) -> int:
        return self._fd

    def put(self, text: str) -> tuple[int, int]:
        """Store a page's content; returns where it is."""
        return self.put_bytes(text.encode("utf-8"))

    def put_bytes(self, content: bytes) -> tuple[int, int]:
        data = memoryview(content)
        start = self._end
        while data:
            written = os.pwrite(self._fd, data, self._end)
            data = data[written:]
            self._end += written
        return start, self._end - start

    def take(self, where: tuple[int, int]) -> str:
        """The content stored at `where`."""
        return self.take_bytes(where).decode("utf-8")

    def take_bytes(self, where: tuple[int, int]) -> bytes:
        offset, size = where
        chunks = []
        while size:
            chunk = os.pread(self._fd, size, offset)
            if not chunk:
                raise OSError("页面内容的临时文件被截断")
            chunks.append(chunk)
            offset, size = offset + len(chunk), size - len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
