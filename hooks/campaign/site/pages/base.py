"""What every page builder shares: the page record and the common template context."""
from __future__ import annotations

import functools
from typing import Any, Callable, Sequence

from campaign.records.dates import zh_date
from campaign.records.digest import digest_of, parts_digest
from campaign.records.loading import Dataset
from campaign.rules import schedule
from campaign.site import rendering
from campaign.routes import action_src, bulletin_src, case_src, unit_src, yearend_src
from campaign.site.rendering import is_html, render


# Search weight of reference pages (统计口径, 开放数据): below the pages citizens look for.
REFERENCE_WEIGHT = "0.3"


class GeneratedPage:
    """One generated page and what it shows.

    `record` is the record an item page is about (an Action, Case, Survey, PublicityWeek …),
    None for index and list pages; the adapter reads the page's article meta tags, its feed
    links and its change history from it, and `edit_path` is the data file an editor
    changes. `sample` says the page shows figures, lists, names or procedures computed from
    or written for sample data (site/sample_marks.py then requires the visible 示例 mark).
    The content is rendered on first use of `content`, so the check pipeline can list
    every page's path without rendering any. It is front matter and then HTML when `html`
    is true (MkDocs takes it as the page's content, no Markdown pass: site/html_pages.py),
    else front matter and Markdown.
    """

    __slots__ = ("src_uri", "record", "article", "feeds", "edit_path", "sample", "search_weight", "html", "_render",
                 "_content")

    def __init__(self, src_uri: str, render: Callable[[], str] | str, sample: bool = False, *, record: Any = None,
                 feeds: Sequence[Any] = (), edit_path: str | None = None, article: Any = None, html: bool = False):
        self.src_uri = src_uri  # path as if under content/, e.g. actions/a01.md
        self.html = html
        self.sample = sample
        self.record = record
        # Article facts for the portal's meta tags when the page is no single record's
        # (a document compiled from many, like the cleanup list); else from the record.
        self.article = article
        self.feeds = tuple(feeds)
        self.edit_path = edit_path
        # Pagefind's ranking weight; reference pages (REFERENCE_WEIGHT) rank below citizen pages.
        self.search_weight: str | None = None
        self._render = render
        self._content: str | None = render if isinstance(render, str) else None

    @property
    def content(self) -> str:
        if self._content is None:
            self._content = self._render()
        return self._content

    def release(self) -> None:
        """Forget the rendered content (a build has handed it over); `content` renders it again."""
        if not isinstance(self._render, str):
            self._content = None

    def __repr__(self) -> str:
        return f"GeneratedPage({self.src_uri!r})"


# --- Reuse between builds (the preview) ----------------------------------------------------------
# After a save the preview builds every page again to learn which ones changed. A builder
# that can name everything a page shows (`inputs`: content digests of its records, the
# derived facts it prints, and the shared context it reads: site, units, data date) lets
# that page's content come from the previous build when those inputs are the same; pages
# that aggregate across records (home, bulletins, lists, unit pages) name no inputs and are
# always rendered. Templates and code do not change within a process (the template
# environment never reloads), so they are not part of the key.

_between_builds = {"on": False}
# (src_uri, template) -> (fingerprint of its inputs, content); a policy page's 政务公开 block
# is kept under the page's own src_uri and its template
_contents: dict[tuple[str, str], tuple[bytes, str]] = {}


def reuse_between_builds(on: bool) -> None:
    """Keep generated pages' content between builds of this process (turned on for the preview)."""
    _between_builds["on"] = on
    if not on:
        _contents.clear()
    schedule.reuse_between_builds(on)


def shared_inputs(dataset: Dataset) -> tuple:
    """What the shared template context shows on an item page: the site settings, unit names,
    the data date and the link style; once per build."""
    return dataset.once(("pages.shared_inputs",), lambda: (
        digest_of(dataset, dataset.site), tuple(digest_of(dataset, u) for u in dataset.unit_list), dataset.as_of,
        rendering.directory_urls()))


def _fingerprint(parts: tuple) -> bytes:
    return parts_digest(parts).digest()


def _reused(src_uri: str, template: str, inputs: Callable[[], tuple], render_now: Callable[[], str]) -> str:
    key = _fingerprint((src_uri, template, *inputs()))
    kept = _contents.get((src_uri, template))
    if kept is not None and kept[0] == key:
        return kept[1]
    content = render_now()
    _contents[(src_uri, template)] = (key, content)
    return content


def render_page(dataset: Dataset, src_uri: str, template: str, *, record: Any = None, feeds: Sequence[Any] = (),
                article: Any = None, shows_sample: Any = False, inputs: Callable[[], tuple] | None = None,
                **context: Any) -> GeneratedPage:
    """The page at src_uri: `template` rendered with the shared context when first read.

    An item page names its record; its edit path is the data file the record came from.
    shows_sample declares that the page shows sample-derived data (it must carry the 示例 mark).
    `inputs` (called when the content is first read) names everything the page shows, for
    reusing its content between preview builds; shared_inputs(dataset) must be among them.
    """
    edit_path = dataset.locate(record).file if record is not None and id(record) in dataset.where else None
    page = _render_page(dataset, src_uri, template, shows_sample, record, feeds, edit_path, article, context)
    if inputs is not None and _between_builds["on"]:
        page._render = functools.partial(_reused, src_uri, template, inputs, page._render)
    return page


def _render_page(dataset: Dataset, src_uri: str, template: str, shows_sample: Any, record: Any, feeds: Sequence[Any],
                 edit_path: str | None, article: Any, context: dict) -> GeneratedPage:
    return GeneratedPage(src_uri, functools.partial(
        render,
        template,
        here=src_uri,
        d=dataset,
        site=dataset.site,
        as_of=dataset.as_of,
        as_of_label=zh_date(dataset.as_of),
        units=dataset.units,
        actions=dataset.actions,
        unit_src=unit_src,
        action_src=action_src,
        case_src=case_src,
        bulletin_src=bulletin_src,
        yearend_src=yearend_src,
        task_of=dataset.tasks,
        **context,
    ), bool(shows_sample), record=record, feeds=feeds, edit_path=edit_path, article=article, html=is_html(template))
