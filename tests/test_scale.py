"""What keeps checks and the change history fast at province scale, held to give the same
answers as the plain way: the page-name check runs a builder only when a hand-written page
lies in its folder; the change history handles each commit once and caches it."""
from __future__ import annotations

from pathlib import Path

from campaign import check
from campaign.check import check_project
from campaign.site import pages
from support import ROOT, copy_project


def test_namespaced_builders_write_only_into_their_folder():
    d = check_project(ROOT).raise_for_errors()
    for builder, folder in check.NAMESPACED_BUILDERS.items():
        built = [p.src_uri for p in builder(d)]
        assert built, builder
        assert all(src.startswith(folder) for src in built), (builder, [s for s in built if not s.startswith(folder)])
    assert set(check.NAMESPACED_BUILDERS) <= set(pages.BUILDERS)


def test_page_name_clash_in_a_namespaced_folder_is_still_found(tmp_path: Path):
    project = copy_project(tmp_path)
    month_page = next(p.src_uri for p in pages.bulletins.build(check_project(project).raise_for_errors()))
    target = project / "content" / month_page
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("# 手写\n", encoding="utf-8")
    errors = check_project(project).errors
    assert any(p.file == f"content/{month_page}" and "同名" in p.message for p in errors)
