"""Helpers that read a built site: every reference in its files, resolved like a browser."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

ATTR = re.compile(r"""\s(href|src)=["']([^"']*)["']""", re.I)
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)|@import\s+["']([^"']+)["']""", re.I)
SKIP_SCHEMES = ("mailto:", "tel:", "data:", "#")


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def url_of(site: Path, file: Path, base: str) -> str:
    """The address a file is served at when the site lives at base (ending in /)."""
    return urljoin(base, file.relative_to(site).as_posix())


def references(site: Path, file: Path) -> list[tuple[str, str]]:
    """(kind, value) of every href/src of an HTML file or url()/@import of a CSS file."""
    text = file.read_text(encoding="utf-8")
    if file.suffix == ".html":
        # Script bodies (Material's config JSON) are not markup.
        text = re.sub(r"<script[^>]*>.*?</script>", lambda m: m.group(0).split(">", 1)[0] + ">", text, flags=re.S)
        return [(kind.lower(), value) for kind, value in ATTR.findall(text)]
    if file.suffix == ".css":
        return [("css", a or b) for a, b in CSS_URL.findall(text)]
    return []


def resolve(site: Path, base: str, file: Path, value: str) -> Path | None:
    """The file in site a reference points to, or None when it leaves the site."""
    absolute = urljoin(url_of(site, file, base), value)
    parts, root = urlsplit(absolute), urlsplit(base)
    if (parts.scheme, parts.netloc) != (root.scheme, root.netloc) or not parts.path.startswith(root.path):
        return None
    target = site / unquote(parts.path[len(root.path):])
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def broken_links(site: Path, base: str) -> list[str]:
    """Every internal href/src (HTML) and url() (CSS) whose target file does not exist."""
    broken = []
    for file in sorted(list(site.rglob("*.html")) + list(site.rglob("*.css"))):
        for kind, value in references(site, file):
            if not value or value.startswith(SKIP_SCHEMES):
                continue
            target = resolve(site, base, file, value)
            if target is None:
                continue  # outbound: checked against the allowlist elsewhere
            if not target.exists():
                broken.append(f"{file.relative_to(site)}: {kind}={value}")
    return broken
