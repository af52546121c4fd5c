"""Sample marks follow the data (DESIGN rule 9), enforced: every generated page that
declares it shows sample-derived data (GeneratedPage.sample) must carry the visible 示例
mark (rendering.sample_badge / sample_mark: the `badge-sample` class) in its content.
A substring test on the rendered content, which the build renders anyway: no parsing
(the adapter tests each page as MkDocs reads it).

`check_sample_marks` returns warnings; the adapter logs them, so `mkdocs build --strict`
fails on a page that shows sample-derived values without the mark.
"""
from __future__ import annotations

from typing import Iterable

MARK_CLASS = "badge-sample"


def missing_mark(page, content: str) -> str | None:
    """The warning for a generated page whose content lacks the mark it must carry, else None."""
    if not getattr(page, "sample", False) or MARK_CLASS in content:
        return None
    return (f"生成的页面 {page.src_uri} 显示了由示例数据得出的内容，但页面上没有“示例”标记"
            f"（{MARK_CLASS}）。请在相应的数字、表格或名称旁加上 sample_badge/sample_mark。")


def check_sample_marks(pages: Iterable) -> list[str]:
    return [problem for p in pages if (problem := missing_mark(p, p.content if getattr(p, "sample", False) else ""))]
