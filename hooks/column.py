"""MkDocs adapter: the only module that imports mkdocs.

It hands MkDocs what the domain core (hooks/campaign) produces: data loaded and checked
on config, generated pages as virtual files, policy metadata on policy pages, and a
rebuild when data/ changes under `mkdocs serve`.
"""
from __future__ import annotations

import functools
import gc
import html
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files


from campaign.exports import feeds, history, opendata
from campaign.rules import freshness
from campaign.site import contact, output, pages, portal, responsive
from campaign.records.dates import zh_date
from campaign.records.loading import as_of_from_environment, load
from campaign.site.pages import history as history_pages
from campaign.site.pages import policies
from campaign.site.pages import search as search_page
from campaign.rules import publicity_checks
from campaign.records.problems import DataError

log = logging.getLogger("mkdocs.hooks.column")

_state: dict = {}

# Seconds spent in our own handlers per event, for benchmarks/run.py (COLUMN_TIMINGS=file).
_timings: dict[str, float] = {}


def _timed(handler):
    @functools.wraps(handler)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return handler(*args, **kwargs)
        finally:
            _timings[handler.__name__] = _timings.get(handler.__name__, 0.0) + time.perf_counter() - start
    return wrapper


def _write_timings() -> None:
    target = os.environ.get("COLUMN_TIMINGS")
    if target:
        Path(target).write_text(json.dumps(_timings, sort_keys=True), encoding="utf-8")


def _data_dir(config) -> Path:
    return Path(config.config_file_path).parent / "data"


def on_startup(command, dirty):
    # `mkdocs serve` injects a live-reload script into every page: no CSP there.
    _state["command"] = command


@_timed
def on_config(config):
    # Load and validate before anything renders, so an editor's mistake stops the build
    # with every problem listed in Chinese instead of a traceback halfway through.
    # The dataset lives for the whole build. Loading it with the cycle collector paused
    # and then freezing it spares every later collection a walk over all records and their
    # line maps (hundreds of thousands of objects at province scale). unfreeze() first so
    # that `mkdocs serve` can free the previous build's dataset.
    gc.unfreeze()
    gc.disable()
    try:
        dataset = load(_data_dir(config), Path(config.docs_dir), as_of_from_environment())
    except DataError as err:
        raise PluginError(str(err)) from None
    finally:
        gc.enable()
    gc.freeze()
    _state["dataset"] = dataset
    # Blank columns stop the build; stale ones warn so that --strict counts them.
    blank, stale = freshness.check(dataset)
    if blank:
        raise PluginError(blank.render())
    for message in stale:
        log.warning(message)
    # Late publication (§26, 20 working days) and drafts from `./column new` still carrying
    # 【待填写】 are warnings: logged here so the --strict builds of CI and publishing fail,
    # while `mkdocs serve` still previews.
    warnings = list(sorted(publicity_checks.warnings(dataset).items))
    warnings += dataset.drafts
    for problem in warnings:
        log.warning(problem.render())
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
    # does not loop on its own output.
    dataset = _state["dataset"]
    clashes = []
    # mkdocs-guide.yml builds the editors' guide as a site of its own (extra.editors_guide):
    # only its pages there, and no guide page in the public column.
    guide = _is_guide(config)
    for page in pages.build_guide(dataset) if guide else pages.build_all(dataset):
        if files.get_file_from_path(page.src_uri) is not None:
            clashes.append(page.src_uri)
            continue
        files.append(File.generated(config, page.src_uri, content=page.content))
    if clashes:
        listed = "、".join(f"content/{c}" for c in clashes)
        raise PluginError(f"以下文件与自动生成的页面同名，请删除或改名：{listed}（这些页面由 data/ 中的数据生成，不需要手写）。")
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
    return files


def _is_guide(config) -> bool:
    return bool(config.extra.get("editors_guide"))


def _add_downloads(files: Files, config) -> None:
    # Open data, feeds and calendars are virtual files too: MkDocs copies them into site/
    # and --strict checks every link to them from the pages.
    dataset = _state["dataset"]
    outputs = {
        **opendata.download_files(dataset, _state["version"].commit),
        **feeds.feed_files(dataset, config.site_url or "http://localhost/", config.use_directory_urls),
    }
    clashes = [path for path in outputs if files.get_file_from_path(path) is not None]
    if clashes:
        listed = "、".join(f"content/{c}" for c in clashes)
        raise PluginError(f"以下文件与自动生成的开放数据、订阅或日历文件同名，请删除或改名：{listed}。")
    for path, content in outputs.items():
        files.append(File.generated(config, path, content=content))


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
    if page.file.src_uri == "method.md" or page.file.src_uri.startswith("opendata/"):
        page.meta.setdefault("search_weight", "0.3")
    decorated = policies.decorate(_state["dataset"], page.file.src_uri, markdown)
    markdown = markdown if decorated is None else decorated
    with_history = history_pages.decorate(_state["dataset"], _state["history"], page.file.src_uri, markdown)
    return markdown if with_history is None else with_history


@_timed
def on_page_content(html_content: str, page, config, files) -> str:
    # Cells of wide tables carry their column's name, for the card layout on phones; the
    # complaint line is a tap-to-call link wherever it appears.
    site = _state["dataset"].site
    html_content = contact.link_number(html_content, site.hotline, contact.hotline_href(site))
    return responsive.label_tables(html_content)


@_timed
def on_pre_page(page, config, files):
    # The page date is the data date, so sitemap.xml and the mtime inside sitemap.xml.gz
    # (both written before pages render) never carry the build time.
    page.update_date = _state["dataset"].as_of.isoformat()
    return page


@_timed
def on_page_context(context, page, config, nav):
    # Feeds for <head> and the page's 订阅 links.
    page.meta["feeds"] = [] if _is_guide(config) else feeds.links_for_page(page.file.src_uri, _state["dataset"])
    # The portal's article meta tags come from the record behind the page (or from
    # front matter of pages built elsewhere); the theme override only prints them.
    article = portal.article_for(_state["dataset"], page.file.src_uri) or portal.article_from_front_matter(page.meta)
    page.meta["gov_meta"] = portal.article_meta(article, page.canonical_url or "")
    return context


def on_serve(server, config, builder):
    # Editing data/*.yml must rebuild the preview just like editing content/.
    server.watch(str(_data_dir(config)))
    return server


@_timed
def on_post_page(output_html: str, page, config) -> str:
    # Each page's Content-Security-Policy gets the hashes of its own inline code, on the
    # HTML MkDocs is about to write (no second pass reading and rewriting every file).
    return output.apply_csp(output.tidy_theme_markup(output_html), enforce=_state.get("command") != "serve")


@_timed
def on_post_template(output_content: str, template_name: str, config) -> str:
    # 404.html is rendered as a static template, not a page: it gets its policy here.
    return output.apply_csp(output.tidy_theme_markup(output_content), enforce=_state.get("command") != "serve")


def _pagefind(config) -> None:
    # The full-text index for the search page: Pagefind over the pages just written, into
    # site/pagefind/ (chunked: a visitor fetches only the parts a query needs). It replaces
    # the theme's search indexing, so the benchmark counts it apart from our own code.
    if _is_guide(config):
        return
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(config.site_dir), "--silent"],
                            capture_output=True, text=True)
    _timings["external:pagefind"] = time.perf_counter() - start
    if result.returncode != 0:
        raise PluginError("生成搜索索引（Pagefind）失败：" + (result.stderr or result.stdout).strip())


def on_post_build(config):
    _pagefind(config)
    # Last event of a build: hand the benchmark our own time, if it asked.
    _write_timings()
    _timings.clear()
