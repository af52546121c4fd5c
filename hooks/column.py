"""MkDocs adapter: the only module that imports mkdocs.

It hands MkDocs what the domain core (hooks/campaign) produces: data loaded and checked
on config, generated pages as virtual files, policy metadata on policy pages, and a
rebuild when data/ changes under `mkdocs serve`.
"""
from __future__ import annotations

import functools
import gc
import hashlib
import html
import json
import logging
import os
import pickle
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urljoin

import jinja2

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from campaign.check import as_of_from_environment, check_project, nav_paths, text_rules_peak_mb
from campaign.editors import guide_pages
from campaign.exports import feeds, history, opendata
from campaign.records.dates import zh_date
from campaign.records.processes import resident_mb, usable_cpus
from campaign.site import (apart, contact, documents, html_pages, output, page_store, pages, parallel, portal,
                           preview, render_ahead, rendering, responsive, sanitizer, search_index)
from campaign.site.pages import history as history_pages
from campaign.site.pages import policies
from campaign.site.pages import search as search_page
from campaign.site import theme_cache
from campaign.site.sample_marks import missing_mark

log = logging.getLogger("mkdocs.hooks.column")

_state: dict = {}

# Seconds spent in our own handlers per event, for benchmarks/run.py (COLUMN_TIMINGS=file).
_timings: dict[str, float] = {}
# Peak memory (MB) reported by the page workers.
_peaks: dict[str, float] = {}


def _note_peak(name: str, mb: float) -> None:
    _peaks[name] = max(_peaks.get(name, 0.0), mb)


def _external_seconds() -> float:
    """Third-party work (external:…) done inside our handlers, not counted as theirs."""
    return sum(seconds for name, seconds in _timings.items() if name.startswith("external:"))


def _timed(handler):
    @functools.wraps(handler)
    def wrapper(*args, **kwargs):
        start, external = time.perf_counter(), _external_seconds()
        try:
            return handler(*args, **kwargs)
        finally:
            own = time.perf_counter() - start - (_external_seconds() - external)
            _timings[handler.__name__] = _timings.get(handler.__name__, 0.0) + own
    return wrapper


def _external(name: str, start: float) -> None:
    _timings[f"external:{name}"] = _timings.get(f"external:{name}", 0.0) + time.perf_counter() - start


def _write_timings() -> None:
    target = os.environ.get("COLUMN_TIMINGS")
    if target:
        Path(target).write_text(json.dumps(_timings, sort_keys=True), encoding="utf-8")
        # Peak memory of each kind of process apart (this one, a page worker, the largest
        # Pagefind service), so the benchmark can say which is the peak.
        peaks = {"self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                 "worker_mb": _peaks.get("worker_mb", 0.0),
                 "pagefind_mb": search_index.peak_mb(),
                 "text_rules_mb": text_rules_peak_mb(),
                 "ahead_mb": _peaks.get("ahead_mb", 0.0)}
        Path(target + ".rss.json").write_text(json.dumps(peaks, sort_keys=True), encoding="utf-8")


def _root(config) -> Path:
    return Path(config.config_file_path).parent


def _data_dir(config) -> Path:
    return _root(config) / "data"


def on_startup(command, dirty):
    # `mkdocs serve` injects a live-reload script into every page: no CSP there.
    _state["command"] = command
    _state["dirty"] = dirty
    if _previewing():
        logging.getLogger("mkdocs.commands.build").addFilter(_quiet_dirty_warning)


@_timed
def on_config(config):
    # Check before anything renders, so an editor's mistake stops the build with every
    # problem listed in Chinese instead of a traceback halfway through. The one pipeline
    # (campaign/check.py) decides, exactly as `./column check` does: errors stop the build,
    # warnings are logged so that the --strict builds of CI and publishing fail while
    # `mkdocs serve` still previews.
    # The dataset lives for the whole build. check_project reads it with the cycle collector
    # paused; freezing it then spares every later collection a walk over all records and
    # their line maps (hundreds of thousands of objects at province scale). unfreeze() first
    # so that `mkdocs serve` can free the previous build's dataset.
    gc.unfreeze()
    rendering.set_directory_urls(config.use_directory_urls)  # HTML pages link to final addresses
    if _previewing():  # the last save's search indexing would compete with this rebuild
        preview.cancel()
    # The preview reuses, between its builds, what unchanged records give (action states,
    # item pages), looked up by content digests (campaign/site/pages/base.py).
    pages.reuse_between_builds(_previewing())
    _build_aside(config)
    # The first Pagefind service loads its word lists meanwhile, on the core the check
    # leaves idle until its text rules fork.
    _warm_search_index(config)
    # A full build runs the check's text rules (most of a check without a cache) in a forked
    # process meanwhile, and takes their verdict later (_complete_check): the build still
    # fails with every problem listed together.
    report = check_project(_root(config), as_of_from_environment(), content_dir=Path(config.docs_dir),
                           texts_apart=_state.get("command") == "build" and not _previewing(),
                           threads=_known_threads())
    if report.errors or report.dataset is None:
        report.complete()  # every problem of the run together
    gc.freeze()
    for problem in report.warnings:
        log.warning(problem.render())
    if report.errors or report.dataset is None:
        _stop_search_index()  # no build: MkDocs calls no on_build_error for on_config
        raise PluginError(report.render_errors())
    _state["check_pending"] = report if report.pending is not None else None
    dataset = report.dataset
    _state["dataset"] = dataset
    config.extra["as_of"] = dataset.as_of.isoformat()
    config.extra["as_of_label"] = zh_date(dataset.as_of)
    config.extra["portal"] = portal.footer(dataset.site)
    config.extra["site_meta"] = portal.site_meta(dataset.site)
    _resolve_history(config)
    _bundle_styles(config)
    return config


def _bundle_styles(config) -> None:
    # Our stylesheets go out as one file, named by its content hash (the server caches it
    # for a year): one request blocking the first paint instead of seven. The order of
    # extra_css is kept, so print rules still come last.
    docs = Path(config.docs_dir)
    sources = [s for s in config.extra_css if isinstance(s, str) and s.endswith(".css") and (docs / s).is_file()]
    if not sources:
        return
    text = "".join(f"/* {s} */\n" + (docs / s).read_text(encoding="utf-8").rstrip() + "\n" for s in sources)
    name = output.bundle_name(text)
    config.extra_css = [name if s == sources[0] else s for s in config.extra_css if s not in sources[1:]]
    _state["styles"] = (name, text, sources)


# --- Building into a temporary folder ---------------------------------------------------------
# A failed build must never delete or half-write the site that is being served: MkDocs
# cleans site_dir first and writes into it page by page. So the build goes into a sibling
# folder, which replaces site_dir only when the build has succeeded (strict warnings
# included); on failure it is removed and site_dir is untouched. `mkdocs serve` builds
# into its own temporary folder and is left alone.


def _build_aside(config) -> None:
    _state.pop("final_site_dir", None)
    if _state.get("command") == "serve":
        return
    final = Path(config.site_dir)
    building = _sibling(final, "new")
    shutil.rmtree(building, ignore_errors=True)  # left by a killed build
    _state["final_site_dir"] = str(final)
    config.site_dir = str(building)


def _sibling(site_dir: Path, kind: str) -> Path:
    # ".building-*": the prefix `./column publish` already clears after a crash.
    return site_dir.parent / f".building-{site_dir.name}.{kind}"


def _strict_will_fail(config) -> bool:
    # MkDocs counts warnings and aborts a --strict build after on_post_build.
    from mkdocs.utils import CountHandler

    if not config.strict:
        return False
    handlers = logging.getLogger("mkdocs").handlers
    return any(isinstance(h, CountHandler) and h.get_counts() for h in handlers)


def _swap_in(config) -> None:
    final = _state.pop("final_site_dir", None)
    if final is None:
        return
    building, final_path = Path(config.site_dir), Path(final)
    config.site_dir = final  # gh-deploy and later plugins read the real folder
    if _strict_will_fail(config):
        shutil.rmtree(building, ignore_errors=True)
        return
    old = _sibling(final_path, "old")
    shutil.rmtree(old, ignore_errors=True)
    if final_path.exists() or final_path.is_symlink():
        os.replace(final_path, old)
    os.replace(building, final_path)
    shutil.rmtree(old, ignore_errors=True)


def _complete_check() -> None:
    """The text rules' verdict (run apart since on_config): their warnings logged (a --strict
    build then fails), their errors fail the build with every error of the run."""
    report = _state.pop("check_pending", None)
    if report is None:
        return
    logged = set(report.warnings)
    report.complete()
    for problem in report.warnings:
        if problem not in logged:
            log.warning(problem.render())
    if report.errors:
        raise PluginError(report.render_errors())


def on_build_error(error):
    pending = _state.pop("check_pending", None)
    if pending is not None:
        pending.abandon()
    preview.abandon()
    child = _state.pop("downloads_apart", None)
    if child is not None:
        child.close()
    _stop_render_ahead()
    _stop_page_workers()
    _close_page_store()
    _state.pop("worker_pages", None)
    # The build failed after on_config: drop the half-written folder, keep the old site.
    _stop_search_index()
    final = _state.pop("final_site_dir", None)
    if final is not None:
        shutil.rmtree(_sibling(Path(final), "new"), ignore_errors=True)


def _resolve_history(config) -> None:
    # The version and the 变更记录 come from git in the project folder; an export without
    # git still builds and says so (版本未知, 变更记录不可用).
    run = history.subprocess_runner(Path(config.config_file_path).parent)
    version = history.version(run)
    _state["history"] = history.task_history(run)
    _state["version"] = version
    config.extra["version"] = version.label


@_timed
def on_files(files: Files, config) -> Files:
    # Generated pages are virtual files: content/ is never written, so `mkdocs serve`
    # does not loop on its own output. Pages not named in the nav (item pages, full lists,
    # pagination) are marked so; validation.nav.omitted_files then warns only about a
    # hand-written page someone forgot to link. The pipeline has already refused any
    # content/ file with a generated page's name.
    dataset = _state["dataset"]
    # mkdocs-guide.yml builds the editors' guide as a site of its own (extra.editors_guide):
    # only its pages there, and no guide page in the public column.
    guide = _is_guide(config)
    in_nav = set(nav_paths(config.nav))
    generated = sorted(guide_pages.build(dataset) if guide else pages.build_all(dataset), key=lambda page: page.src_uri)
    _state["pages"] = {page.src_uri: page for page in generated}
    # A full build renders each generated page as MkDocs reads it (on_page_read_source), not
    # all of them here, before the first page: the rendering then overlaps Pagefind's
    # indexing of the pages before it. The preview needs every page's content now, to tell
    # which ones changed.
    rendered_now = _previewing() or _state.get("command") != "build"
    _close_page_store()
    if not rendered_now:
        _state["page_store"] = page_store.PageStore(Path(config.site_dir).parent)
        _state["stored_pages"] = {}
    if not rendered_now and _page_workers() > 1:
        # The second core renders generated pages from the last one back while this one
        # makes the downloads and reads the first pages (campaign/site/render_ahead.py).
        _state["render_ahead"] = render_ahead.start(
            [page.src_uri for page in generated], [functools.partial(_rendered, page) for page in generated],
            Path(config.site_dir).parent, threads=_known_threads())
    for page in generated:
        inclusion = InclusionLevel.INCLUDED if page.src_uri in in_nav else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, page.src_uri, content=page.content if rendered_now else "",
                                    inclusion=inclusion))
    if "styles" in _state:
        name, text, sources = _state["styles"]
        for source in sources:  # in the bundle: not served apart
            bundled = files.get_file_from_path(source)
            if bundled is not None:
                files.remove(bundled)
        files.append(File.generated(config, name, content=text))
    if not guide:
        _add_downloads(files, config)
        files.append(File.generated(config, search_page.DIRECT, content=search_page.direct_index(dataset)))
    if _previewing():
        _plan_preview(files, config)
    # The text rules (run apart since on_config, on the other core): a build that forks no
    # page processes (one core, or a large build process) takes their verdict before the
    # pages are read, while it holds the least (their cache parts are merged then), and an
    # error stops it before any page. A smaller one reads its pages meanwhile (Pagefind, the
    # longest chain of work, starts on the first page) and takes it in on_post_build, still
    # before the site is swapped in.
    if _page_workers() < 2:
        _complete_check()
    return files


def _known_threads() -> int:
    # This one and the search index's readers: a forked child never touches the index.
    index = _state.get("search_index")
    return 1 + (index.reader_threads() if index else 0)


def _rendered(page) -> bytes:
    """In the child ahead: a generated page's content."""
    content = page.content.encode("utf-8")
    page.release()
    return content


def _stop_render_ahead() -> None:
    for kind in ("render_ahead", "markdown_ahead"):
        ahead = _state.pop(kind, None)
        if ahead is not None:
            ahead.close()
            log.debug("提前完成的页面（%s）：%d 个", kind, ahead.taken)
            _note_peak("ahead_mb", ahead.peak_kib / 1024)
    _state.pop("sanitized_ahead", None)


def _close_page_store() -> None:
    store = _state.pop("page_store", None)
    _state.pop("stored_pages", None)
    if store is not None:
        store.close()


def _is_guide(config) -> bool:
    return bool(config.extra.get("editors_guide"))


def _add_downloads(files: Files, config) -> None:
    # Open data, feeds and calendars are virtual files too: MkDocs copies them into site/
    # and --strict checks every link to them from the pages. The pipeline has refused any
    # content/ file in their place (routes.is_generated_file).
    if _streams_search_index(config) and _page_workers() > 1:
        # Made by a forked child meanwhile (campaign/site/apart.py), taken at on_nav: the
        # pages are read, and Pagefind starts, that much earlier.
        _state["downloads_apart"] = apart.start(functools.partial(_write_downloads, config),
                                                threads=_known_threads())
        if _state["downloads_apart"] is not None:
            return
    _add_downloads_here(files, config)


def _add_downloads_here(files: Files, config) -> None:
    written = _state.get("command") == "build"  # the preview compares them in memory
    outputs = _downloads(config)
    for path in list(outputs):
        content = outputs.pop(path)
        files.append(_written_file(config, path, content) if written else File.generated(config, path, content=content))


def _downloads(config) -> dict[str, str | bytes]:
    dataset = _state["dataset"]
    # Bulletins and year-end reports as GB/T 9704 Word files, in the manifest with their hashes.
    docs = documents.document_files(dataset)
    return {
        **opendata.download_files(dataset, _state["version"].commit, documents=docs),
        **docs,
        **feeds.feed_files(dataset, config.site_url or "http://localhost/", config.use_directory_urls),
    }


def _write_downloads(config) -> bytes:
    """In the child apart: every download written into the site folder; their paths."""
    outputs = _downloads(config)
    for path, content in outputs.items():
        _write_into_site(config, path, content)
    return json.dumps(list(outputs), ensure_ascii=False).encode("utf-8")


def _take_downloads(files: Files, config) -> None:
    """The downloads the child apart wrote (made here instead if it could not)."""
    child = _state.pop("downloads_apart", None)
    if child is None:
        return
    answer = child.result()
    _note_peak("ahead_mb", child.peak_kib / 1024)
    if answer is None:
        _add_downloads_here(files, config)
        return
    for path in json.loads(answer):
        files.append(_file_in_site(config, path, Path(config.site_dir, *path.split("/"))))


def _written_file(config, path: str, content: str | bytes) -> File:
    """A download written into the site folder now and given to MkDocs by its path there
    (MkDocs skips copying a file onto itself): a build does not hold the open data, feeds
    and documents (hundreds of MB at province scale) in memory until its end."""
    return _file_in_site(config, path, _write_into_site(config, path, content))


def _write_into_site(config, path: str, content: str | bytes) -> Path:
    target = Path(config.site_dir, *path.split("/"))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return target


def _file_in_site(config, path: str, target: Path) -> File:
    """MkDocs' file for a download already written at target."""
    file = File.generated(config, path, abs_src_path=str(target))
    if Path(file.abs_dest_path) != target:  # not where MkDocs puts it: let MkDocs write it
        content = target.read_bytes()
        target.unlink()
        file = File.generated(config, path, content=content)
    return file


@_timed
def on_page_read_source(page, config):
    generated = _generated(page)
    if generated is None:
        return None
    ahead = _state.get("render_ahead")
    content = ahead.take(page.file.src_uri) if ahead is not None else None
    return generated.content if content is None else content.decode("utf-8")


@_timed
def on_page_markdown(markdown: str, page, config, files) -> str:
    # MkDocs' theme environment does not autoescape, and Material prints the front matter
    # title and description raw into <title>, <h1> and <meta>: make them HTML-safe text
    # here, once for every page, so no record can inject markup through them.
    for key in ("title", "description"):
        if isinstance(page.meta.get(key), str):
            page.meta[key] = html.escape(page.meta[key], quote=True)
    # Policy pages are editors' Markdown; the 政务公开 block on top comes from their
    # front matter, rendered by the core so that every policy page carries it.
    # Reference pages (统计口径, 开放数据) rank below the citizen pages in search.
    generated = _generated(page)
    if generated is not None and generated.search_weight:
        page.meta.setdefault("search_weight", generated.search_weight)
    decorated = policies.decorate(_state["dataset"], page.file.src_uri, markdown)
    markdown = markdown if decorated is None else decorated
    with_history = history_pages.decorate(_state["dataset"], _state["history"], _record(page), markdown,
                                          page.file.src_uri)
    markdown = markdown if with_history is None else with_history
    if generated is not None and generated.html:
        # Written as HTML by its template: MkDocs takes it as is, no Markdown pass.
        page.render = functools.partial(_render_html, page)
    elif generated is None and "markdown_ahead" in _state:
        page.render = functools.partial(_render_markdown, page)
    return markdown


# --- Markdown pages converted ahead ----------------------------------------------------------
# Converting the policies' Markdown is most of MkDocs' reading pass at the long-text scales:
# a forked child (campaign/site/render_ahead.py) converts the hand-written pages from the
# last one back, as MkDocs would (its own events and Page.render), and the sanitizer's pass
# over the result with it; the build takes a page's result only if it was made from the very
# Markdown MkDocs now holds for the page (a digest of it), else converts it here.


def _start_markdown_ahead(config, files) -> None:
    if not (_streams_search_index(config) and _page_workers() > 1):
        return
    written = [file for file in files.documentation_pages(inclusion=InclusionLevel.is_included)
               if file.src_uri not in _state["pages"] and file.page is not None]
    ahead = render_ahead.start(
        [file.src_uri for file in written], [functools.partial(_converted, file, config, files) for file in written],
        Path(config.site_dir).parent, threads=_known_threads())
    if ahead is not None:
        _state["markdown_ahead"], _state["sanitized_ahead"] = ahead, {}


def _markdown_digest(markdown: str) -> bytes:
    return hashlib.blake2b(markdown.encode("utf-8"), digest_size=16).digest()


def _converted(file, config, files) -> bytes:
    """In the child ahead: a hand-written page read and converted as MkDocs' reading pass
    does it (up to on_page_content), with the sanitizer's result on it."""
    config._current_page = page = file.page
    page = config.plugins.on_pre_page(page, config=config, files=files)
    page.read_source(config)
    page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
    Page.render(page, config, files)
    links = None if page.links_to_anchors is None else {f.src_uri: v for f, v in page.links_to_anchors.items()}
    return pickle.dumps((_markdown_digest(page.markdown), page.content, page.toc, page._title_from_render,
                         page.present_anchor_ids, links, sanitizer.sanitize(page.content)))


def _render_markdown(page, config, files) -> None:
    """Page.render, with the child's result when it was made from this page's Markdown."""
    ahead = _state.get("markdown_ahead")
    payload = ahead.take(page.file.src_uri) if ahead is not None else None
    if payload is not None:
        # From our own forked child, through a file only it and this process hold.
        digest, content, toc, title, anchors, links, sanitized = pickle.loads(payload)
        if digest == _markdown_digest(page.markdown):
            page.content, page.toc, page._title_from_render, page.present_anchor_ids = content, toc, title, anchors
            if links is not None:
                page.links_to_anchors = {files.get_file_from_path(uri): v for uri, v in links.items()}
            _state["sanitized_ahead"][page.file.src_uri] = (content, sanitized)
            del page.render  # rendered once: the page no longer holds this function
            return
    del page.render
    Page.render(page, config, files)


def _render_html(page, config, files) -> None:
    """Page.render for a generated HTML page: its content, table of contents and anchors
    (the ids as one string: MkDocs only asks whether an anchor is there, and a province's
    pages hold hundreds of thousands of them until the build ends)."""
    page.content = page.markdown
    page.toc = get_toc(html_pages.toc_tokens(page.markdown))
    page.present_anchor_ids = html_pages.AnchorIds(html_pages.anchor_ids(page.markdown))
    del page.render  # rendered once: the page no longer holds this function


def _generated(page):
    """The GeneratedPage behind a MkDocs page (None for hand-written pages)."""
    return _state["pages"].get(page.file.src_uri)


def _record(page):
    return _record_of(page.file.src_uri)


def _record_of(src_uri: str):
    """The record a page shows: from its generated page, or a policy page's own record."""
    generated = _state["pages"].get(src_uri)
    if generated is not None:
        return generated.record
    return _state["dataset"].policy_by_src.get(src_uri)


def _feeds(page):
    generated = _generated(page)
    if generated is not None and generated.feeds:
        return list(generated.feeds)
    if _state["dataset"].policy_by_src.get(page.file.src_uri) is not None:
        return list(feeds.POLICIES)
    return list(feeds.DEFAULT)


# last: the sanitizer sees what every plugin made, and Pagefind gets the final content
@event_priority(-100)
@_timed
def on_page_content(html_content: str, page, config, files) -> str:
    # Editors' Markdown may carry raw HTML: reduce it to the tags and attributes our own
    # Markdown needs (the check has already refused scripts, frames and handlers with file
    # and line). Generated pages print every record value escaped and are left as they are.
    if page.file.generated_by is None:
        ahead = _state.get("sanitized_ahead", {}).pop(page.file.src_uri, None)
        html_content = ahead[1] if ahead is not None and ahead[0] == html_content else sanitizer.sanitize(html_content)
    # Cells of wide tables carry their column's name, for the card layout on phones; the
    # complaint line is a tap-to-call link wherever it appears.
    site = _state["dataset"].site
    html_content = contact.link_number(html_content, site.hotline, contact.hotline_href(site))
    html_content = responsive.label_tables(html_content)
    # Pagefind gets each page as its content is final, while MkDocs reads and converts the
    # next ones, rather than after the theme's template: it works on the second core from
    # the first page on (page workers, forked after every page is read, index nothing).
    if _streams_search_index(config):
        _index_for_search(page.file.dest_uri, _search_document(page, config, html_content), config)
    generated = _generated(page)
    if generated is not None:
        # A self-check of the generator, not of editors' input: a page that shows
        # sample-derived values must carry the 示例 mark (--strict fails otherwise).
        problem = missing_mark(generated, html_content)
        if problem:
            log.warning(problem)
    store = _state.get("page_store")
    if store is not None:
        # MkDocs holds every page's content until the templates render: a build keeps it
        # on disk meanwhile (campaign/site/page_store.py; on_page_context takes it back).
        # What the page was made from is not read again (the title comes from the front
        # matter or the rendered h1), and a generated page renders again if asked.
        _state["stored_pages"][page.file.src_uri] = store.put(html_content)
        page.markdown = ""
        if generated is not None:
            generated.release()
        return ""
    return html_content


@_timed
def on_pre_page(page, config, files):
    # The page date is the data date, so sitemap.xml and the mtime inside sitemap.xml.gz
    # (both written before pages render) never carry the build time.
    page.update_date = _state["dataset"].as_of.isoformat()
    return page


@event_priority(100)  # first: the page's content is back before anything reads it
@_timed
def on_page_context(context, page, config, nav):
    where = _state.get("stored_pages", {}).get(page.file.src_uri)
    if where is not None and not _built_by_worker(page):
        page.content = _state["page_store"].take(where)
    # Feeds for <head> and the page's 订阅 links.
    page.meta["feeds"] = [] if _is_guide(config) else _feeds(page)
    # The portal's article meta tags come from the record behind the page (or from
    # front matter of pages built elsewhere); the theme override only prints them.
    generated = _generated(page)
    article = ((generated.article if generated is not None else None)
               or portal.article_for(_state["dataset"], _record(page)) or portal.article_from_front_matter(page.meta))
    page.meta["gov_meta"] = portal.article_meta(article, page.canonical_url or "")
    _attach_edit_url(page, config)
    return context


def _attach_edit_url(page, config) -> None:
    # With repo_url and edit_uri configured (the county's git server), a generated item
    # page's "edit" link opens the data file an editor changes (data/actions/a01.yml),
    # not a Markdown file that does not exist. Without them no page has an edit link.
    generated = _generated(page)
    if generated is None or not (config.repo_url and config.edit_uri):
        return
    if generated.edit_path is None:
        page.edit_url = None
        return
    docs_depth = len(Path(config.docs_dir).resolve().relative_to(_root(config).resolve()).parts)
    base = config.repo_url.rstrip("/") + "/" + config.edit_uri.strip("/") + "/"
    page.edit_url = urljoin(base, "../" * docs_depth + generated.edit_path)


def on_serve(server, config, builder):
    # Editing data/*.yml must rebuild the preview just like editing content/.
    server.watch(str(_data_dir(config)))
    return server


# last: the CSP hashes the inline scripts of the final HTML, after every plugin
@event_priority(-100)
@_timed
def on_post_page(output_html: str, page, config) -> str:
    if "page_order" in _state and not _state.get("page_worker"):
        number = _state["page_order"][1].get(page.file.src_uri)
        if number is not None:
            _decide_page(number + 1)  # the next one, now
    if _built_by_worker(page):
        return output_html  # blank: MkDocs writes nothing over the worker's file
    # Each page's Content-Security-Policy gets the hashes of its own inline code, on the
    # HTML MkDocs is about to write (no second pass reading and rewriting every file).
    final = output.apply_csp(output.tidy_theme_markup(output_html), enforce=_state.get("command") != "serve")
    if page.file.src_uri in _state.get("stored_pages", {}):
        page.content = ""  # written: back out of memory
    return final


# last, for the same reason as on_post_page
@event_priority(-100)
@_timed
def on_post_template(output_content: str, template_name: str, config) -> str:
    # 404.html is rendered as a static template, not a page: it gets its policy here (and no
    # search entry: it has no data-pagefind-body, so Pagefind would skip it).
    return output.apply_csp(output.tidy_theme_markup(output_content), enforce=_state.get("command") != "serve")


# --- Pages on more cores ----------------------------------------------------------------------
# Filling the theme's template is a large part of a build, and MkDocs does it page after page
# on one core. A plain `mkdocs build` forks a worker (campaign/site/parallel.py) as the first
# theme template renders, after every page is read (and sent to Pagefind) and every on_env
# has run: it builds pages with MkDocs' own _build_page (same env, nav, files and config) and
# writes them, taking the next page nobody has; the parent, going through MkDocs' loop, takes
# each page unless the worker has it, deciding one page ahead (MkDocs picks a page's template
# before any event of that page: the parent gives the worker's pages a blank one, so MkDocs
# writes nothing over them). Which process built a page does not change it: the site is the
# one-process build's byte for byte. Both run at a lower priority than the Pagefind service
# still indexing (TEMPLATE_NICENESS): its single thread is then the longest path to the end,
# and the two page processes share out the rest between them.
# COLUMN_WORKERS=n sets the number of processes (default in _page_workers).


def _page_workers() -> int:
    value = os.environ.get("COLUMN_WORKERS", "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            raise PluginError(f"环境变量 COLUMN_WORKERS 应为正整数（生成页面的进程数），现为“{value}”")
        return int(value)
    # Pagefind has every page before the templates render (it is fed as MkDocs reads them),
    # so a second core is free for a worker then: short ×10 4.8–5.2 s with one, 5.2–5.7 s
    # without. But a forked worker counts (and, as it runs, copies pages of) the memory of
    # the process it was forked from: none from a build process past WORKER_MEMORY_MB.
    if usable_cpus() < 2 or resident_mb() > WORKER_MEMORY_MB:
        return 1
    return 2


WORKER_MEMORY_MB = 512
TEMPLATE_NICENESS = 5


@event_priority(-100)  # the final navigation and files, after any plugin's
def on_nav(nav, config, files):
    _take_downloads(files, config)
    _state["page_build"] = (nav, files)
    _start_markdown_ahead(config, files)
    return nav


def on_pre_template(template, template_name: str, config):
    # The first theme template (404.html) renders after on_env, every page read and sent to
    # Pagefind: the env is final, and the only threads running are the search index's.
    inputs = _state.pop("page_build", None)
    if inputs is not None and _streams_search_index(config) and _page_workers() > 1:
        _start_page_workers(template.environment, config, *inputs)
    return template


def _start_page_workers(env, config, nav, files) -> None:
    from mkdocs.commands.build import _build_page  # MkDocs' own page step (pinned 1.6.1)

    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)  # build()'s list

    def build(index: int) -> None:
        file = doc_files[index]
        _build_page(file.page, config, doc_files, nav, env, excluded=file.inclusion.is_excluded())

    # The search index's reader threads may run on (the last part writing): a worker never
    # touches the index, so they are no reason not to fork.
    threads = _known_threads()
    if threading.active_count() > threads:
        return  # parallel.start would refuse: no lower priority for a build left on one core
    # Up to TEMPLATE_NICENESS, not by it again in a process that builds more than once. The
    # worker inherits it; the Pagefind services keep theirs.
    os.nice(max(0, TEMPLATE_NICENESS - os.nice(0)))
    pool = parallel.start(_page_workers(), len(doc_files), build, setup=_become_page_worker,
                          finish=lambda: None, timings=_worker_figures, loggers=("mkdocs",), threads=threads)
    if pool is None:
        return
    _state["page_workers"] = pool
    _state["worker_pages"] = set()
    _state["page_order"] = (doc_files, {file.src_uri: number for number, file in enumerate(doc_files)},
                            env.from_string(""))
    logging.getLogger("mkdocs.commands.build").addFilter(_quiet_skipped_page)
    _decide_page(0)


def _decide_page(number: int) -> None:
    """Before MkDocs builds page `number`: the parent's, or a worker's (then blank here)."""
    doc_files, _, blank = _state["page_order"]
    pool = _state.get("page_workers")
    if pool is None or number >= len(doc_files) or pool.take(number):
        return
    file = doc_files[number]
    file.page.meta["template"] = blank  # MkDocs takes a Template as well as a name
    _state["worker_pages"].add(file.src_uri)


def _become_page_worker(number: int) -> None:
    _state["page_worker"] = number
    # The parent's search index (its services, pipes and threads): the parent's alone. Every
    # page went to it before the fork.
    _state.pop("search_index", None)
    _timings.clear()  # the parent has counted everything up to the fork


def _worker_figures() -> dict[str, float]:
    # What a worker hands back at its end: its handlers' seconds and its peaks ("peak:…").
    return {**_timings, "peak:worker_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _quiet_skipped_page(record) -> bool:
    # MkDocs reports each blank page at INFO; the workers' pages are blank here by design.
    message = record.getMessage()
    return not (message.startswith("Page skipped: '") and message.split("'")[1] in _state.get("worker_pages", ()))


def _built_by_worker(page) -> bool:
    return page.file.src_uri in _state.get("worker_pages", ()) and not _state.get("page_worker")


def _finish_page_workers() -> None:
    _state.pop("page_order", None)
    pool = _state.pop("page_workers", None)
    if pool is None:
        return
    start = time.perf_counter()
    try:
        for name, value in pool.finish().items():
            if name.startswith("peak:"):
                _note_peak(name[5:], value)
            else:
                _timings[name] = _timings.get(name, 0.0) + value
    except parallel.WorkerError as error:
        raise PluginError(str(error)) from None
    finally:
        _external("page-workers", start)


def _stop_page_workers() -> None:
    _state.pop("page_order", None)
    pool = _state.pop("page_workers", None)
    if pool is not None:
        pool.kill()


# --- Search index ------------------------------------------------------------------------------
# The full-text index for the search page, into site/pagefind/ (chunked: a visitor fetches
# only the parts a query needs). It replaces the theme's search indexing, so the benchmark
# counts it apart from our own code. A full `mkdocs build` hands Pagefind each page as it is
# final (campaign/site/search_index.py), so it indexes on the second core while the next
# pages render; a dirty build or `mkdocs serve` (which may write only some pages) runs
# Pagefind over the finished folder instead.


def _streams_search_index(config) -> bool:
    return _state.get("command") == "build" and not _state.get("dirty") and not _is_guide(config)


def _search_document(page, config, content: str) -> str:
    """What Pagefind reads of the finished page (search_index.searchable_html), made before
    the theme's template: its language and its data-pagefind-body element as
    overrides/main.html and Material's partials/content.html print it (the h1 the theme adds
    to a page whose content has none; the theme's other parts there print no text here: no
    tags, source-file, feedback or comments plugins). tests/test_search_index.py proves the
    index equal to `pagefind --site` over the finished folder."""
    search_meta = page.meta or {}
    title = None if "<h1" in content else (page.title or config.site_name)
    return search_index.search_document(config.theme["language"], content, title,
                                        exclude=bool(search_meta.get("search_exclude")),
                                        weight=search_meta.get("search_weight"))


def _index_for_search(path: str, final_html: str, config) -> None:
    if not _streams_search_index(config):
        return
    start = time.perf_counter()
    _search_index(config).add(path, final_html)
    _external("pagefind", start)


def _search_index(config) -> search_index.StreamingIndex:
    index = _state.get("search_index")
    if index is None:
        try:
            index = _state["search_index"] = search_index.StreamingIndex(
                Path(config.site_dir) / "pagefind", _search_part_bytes())
        except search_index.SearchIndexError as error:
            raise PluginError(str(error)) from None
    return index


def _warm_search_index(config) -> None:
    # The first Pagefind service starts before the check, while the second core has nothing
    # else to do, and loads its word lists then, not when the first page comes.
    if _streams_search_index(config):
        _stop_search_index()  # a previous build's, in the same process
        try:
            _search_index(config).warm(config.theme["language"])
        except search_index.SearchIndexError as error:
            raise PluginError(str(error)) from None


def _search_part_bytes() -> int:
    # Page bytes per part of the index (campaign/site/search_index.py), which bounds
    # Pagefind's memory: a province runner with little memory may lower it.
    value = os.environ.get("COLUMN_SEARCH_PART_BYTES", "")
    if not value:
        return search_index.PART_BYTES
    if not value.isdigit() or int(value) < 1:
        raise PluginError(f"环境变量 COLUMN_SEARCH_PART_BYTES 应为正整数（每部分搜索索引的页面字节数），现为“{value}”")
    return int(value)


def _stop_search_index() -> None:
    index = _state.pop("search_index", None)
    if index is not None:
        index.close()


def _pagefind_command(config) -> list[str]:
    return [sys.executable, "-m", "pagefind", "--site", str(config.site_dir), "--silent"]


def _pagefind(config) -> None:
    if _is_guide(config):
        return
    if _previewing():  # the refreshed page must not wait for the index
        preview.index_later(_pagefind_command(config), config.site_dir,
                            parts_list=search_index.PARTS_LIST)
        return
    start = time.perf_counter()
    if _streams_search_index(config):
        _write_search_index(config)
        _external("pagefind", start)
        return
    result = subprocess.run(_pagefind_command(config), capture_output=True, text=True)
    _external("pagefind", start)
    if result.returncode != 0:
        raise PluginError("生成搜索索引（Pagefind）失败：" + (result.stderr or result.stdout).strip())
    search_index.mark_single_part(Path(config.site_dir) / "pagefind")


def _write_search_index(config) -> None:
    """Write the index (after any page workers ended): with any other HTML file in the folder
    that has a searchable element (none today), as `pagefind --site` would, and the list of
    parts the search page merges."""
    site_dir = Path(config.site_dir)
    index = _state.get("search_index")
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir).as_posix()
        if relative.startswith("pagefind/") or (index and index.added(relative)):
            continue
        text = path.read_text(encoding="utf-8")
        # Pagefind reads only elements marked data-pagefind-body once a page has one (every
        # page of ours has): a file without it (the theme's 404 page) adds nothing.
        if "data-pagefind-body" in text:
            _index_for_search(relative, text, config)
            index = _state["search_index"]
    index = _state.pop("search_index", None)
    try:
        if index is not None:
            index.write()
        search_index.write_parts_list(site_dir / "pagefind")
    except search_index.SearchIndexError as error:
        raise PluginError(str(error)) from None


# last: every page is written before Pagefind indexes them, and the finished folder then
# replaces site_dir
@event_priority(-100)
def on_post_build(config):
    _complete_check()
    _finish_page_workers()
    if _previewing():
        _finish_preview()
    _pagefind(config)
    _close_page_store()
    _state.pop("worker_pages", None)
    # Last event of a build: hand the benchmark our own time, if it asked.
    _write_timings()
    _timings.clear()
    _peaks.clear()
    _swap_in(config)


# --- Fast preview: `./column preview` (`mkdocs serve --dirty`) --------------------------------
# A rebuild renders only the pages whose inputs changed since this process last wrote them
# and rewrites only the downloads whose bytes changed (campaign/site/preview.py decides;
# never from timestamps). Everything else is exactly what a full build does.


def _previewing() -> bool:
    return _state.get("command") == "serve" and bool(_state.get("dirty"))


def _quiet_dirty_warning(record) -> bool:
    # MkDocs warns on every dirty build that links may be inaccurate; ours decides what to
    # rebuild from the pages' inputs, so the warning is noise (and would fail --strict).
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def _site_inputs(files: Files, config) -> tuple:
    """What every page shows: a change here rebuilds every page. The set of files is in it
    because MkDocs rewrites a link to a file only when that file exists (and the menu,
    prev/next links and 404 page come from the set of pages)."""
    present = sorted((f.src_uri, f.dest_uri, f.inclusion.value) for f in files if InclusionLevel.is_in_serve(f.inclusion))
    return (Path(config.config_file_path).read_bytes(), config.site_url, config.use_directory_urls, dict(config.extra),
            [str(s) for s in config.extra_css], [str(s) for s in config.extra_javascript], repr(config.nav), present,
            preview.folder_fingerprint(config.theme.custom_dir), _state["dataset"].site, _state["dataset"].as_of)


def _page_inputs(file: File) -> tuple:
    """What one page is made from besides the site-wide inputs: its source and what the
    handlers below add to it (policy header, change history, article meta, feeds, edit link)."""
    dataset, src = _state["dataset"], file.src_uri
    generated = _state["pages"].get(src)
    record = _record_of(src)
    facts = None if generated is None else (generated.article, generated.feeds, generated.edit_path, generated.search_weight)
    return (file.content_bytes, facts, policies.decorate(dataset, src, ""),
            history_pages.decorate(dataset, _state["history"], record, "", src), portal.article_for(dataset, record))


@_timed
def _plan_preview(files: Files, config) -> None:
    plan = preview.Plan(str(config.site_dir), preview.fingerprint(_site_inputs(files, config)), _outputs(files))
    for file in files:
        if not InclusionLevel.is_in_serve(file.inclusion):
            continue
        if file.is_documentation_page():
            modified = plan.page(file.abs_dest_path, _page_inputs(file))
        elif file.abs_src_path is None:  # a virtual file: open data, feeds, .docx, stylesheet bundle
            modified = plan.file(file.abs_dest_path, file.content_bytes)
        else:  # the theme's and content/'s own files keep MkDocs' rule (copied when newer)
            continue
        file.is_modified = functools.partial(bool, modified)  # what MkDocs' dirty build asks
    _state["preview"] = (plan, files)


def on_env(env, config, files):
    _stop_render_ahead()  # every page is read
    # A page the preview does not render again keeps the date MkDocs gave it on creation
    # (the clock); sitemap.xml lists every page's date: give them the data date, as
    # on_pre_page does for the rendered ones.
    # MkDocs makes a new theme environment for every build, which compiles the theme's
    # templates again: keep their bytecode between rebuilds (Jinja checks each template's
    # source against it, so an edited override is compiled afresh), in memory for the
    # preview, on disk between builds.
    if _previewing():
        as_of = _state["dataset"].as_of.isoformat()
        for file in files.documentation_pages(inclusion=InclusionLevel.is_in_serve):
            if file.page is not None:
                file.page.update_date = as_of
        env.bytecode_cache = _THEME_BYTECODE
    else:  # compiled once per machine (Jinja's per-user cache folder, checked against each source)
        env.bytecode_cache = rendering.disk_bytecode_cache()
    theme_cache.install(env)  # Material's navigation rendered once per distinct markup
    index = _state.get("search_index")
    if index is not None:
        # Every page has been read (and sent): the last part writes while the templates render.
        index.seal()
    return env


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    def __init__(self):
        self.buckets: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        data = self.buckets.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket) -> None:
        self.buckets[bucket.key] = bucket.bytecode_to_string()


_THEME_BYTECODE = _MemoryBytecodeCache()


def _outputs(files: Files) -> list[str]:
    """Every file MkDocs writes for these files (as `mkdocs serve` includes them)."""
    return [f.abs_dest_path for f in files if InclusionLevel.is_in_serve(f.inclusion)]


def _finish_preview() -> None:
    plan, files = _state.pop("preview")
    plan.finish(_outputs(files))
    log.info("预览：重新生成 %d 个文件，%d 个未变", plan.rebuilt, plan.skipped)


def on_shutdown():
    preview.cancel()
