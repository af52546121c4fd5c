"""The theme's cached navigation and table of contents (campaign/site/theme_cache.py) write
the very bytes Material's own partials write, on every page: a site built without the
overrides is compared file by file with the shared build."""
from __future__ import annotations

from pathlib import Path

from support import pages, run_build

# Representative pages: the home page, a section page whose nav entry is active (its entry
# shows its table of contents, never cached), an item page one folder down (no entry active,
# links relative to its own folder) and the 404 page (no page: links from the site's base).
REPRESENTATIVE = ("index.html", "actions/index.html", "actions/a01/index.html", "404.html")


def _nav(html: str) -> str:
    start = html.index('<nav class="md-nav md-nav--primary"')
    return html[start:html.index("</nav>\n", start)]


def _toc(html: str) -> str:
    start = html.find('<nav class="md-nav md-nav--secondary"')
    return "" if start < 0 else html[start:html.index("</nav>\n", start)]


def test_cached_navigation_is_materials_own(built_site: Path, project: Path):
    for name in ("nav.html", "toc.html"):  # Material's own partials, uncached
        (project / "overrides" / "partials" / name).unlink()
    result = run_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    uncached = project / "site"

    for name in REPRESENTATIVE:
        cached_html = (built_site / name).read_text(encoding="utf-8")
        plain_html = (uncached / name).read_text(encoding="utf-8")
        assert _nav(cached_html) == _nav(plain_html), name
        assert _toc(cached_html) == _toc(plain_html), name
        assert cached_html == plain_html, name
    # The item page really links relative to its own folder, and the section page's entry
    # is active: the comparison above saw the cases a wrong cache key would confuse.
    item_nav = _nav((built_site / "actions/a01/index.html").read_text(encoding="utf-8"))
    assert 'href="../../plan/"' in item_nav and "md-nav__link--active" not in item_nav
    assert "md-nav__link--active" in _nav((built_site / "actions/index.html").read_text(encoding="utf-8"))

    built = [p.relative_to(built_site) for p in pages(built_site)]
    assert built == [p.relative_to(uncached) for p in pages(uncached)]
    differing = [str(p) for p in built if (built_site / p).read_bytes() != (uncached / p).read_bytes()]
    assert differing == []
