"""What the county portal requires of every page: the identity footer and the government
meta tags in <head>.

The values come from data/site.yml (validated in models.Site); this module only derives
what the templates print: registry links, the meta tag list of each page. Templates print,
they do not compute.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

from campaign.records import models as m
from campaign.records.loading import Dataset
from campaign.site import contact

ICP_REGISTRY = "https://beian.miit.gov.cn/"
POLICE_REGISTRY = "http://www.beian.gov.cn/portal/registerSystemInfo?recordcode="
# The 党政机关网站标识 links to the site's identifier record; the image is local.
CONAC_RECORD = "https://bszs.conac.cn/sitename?method=show&id="
DESCRIPTION_CHARS = 120


def footer(site: m.Site) -> dict[str, object]:
    """Everything the footer partial prints, links already composed."""
    digits = m.POLICE_NUMBER.match(site.police_number).group(1)  # validated in models.Site
    return {
        "sponsor": site.sponsor,
        "organizer": site.organizer,
        "contact_phone": site.contact_phone,
        "site_id_code": site.site_id_code,
        "icp_number": site.icp_number,
        "icp_url": ICP_REGISTRY,
        "police_number": site.police_number,
        "police_url": POLICE_REGISTRY + digits,
        "conac_url": CONAC_RECORD + site.site_id_code,
        "sample": site.identity_sample,
        "hotline": site.hotline,
        "hotline_href": contact.hotline_href(site),
        "interaction_url": site.interaction_url,
        "service_hotline_url": site.service_hotline_url,
        "contact_sample": site.contact_sample,
        "archived": site.archived,
        "portal_name": site.portal_name,
        "portal_url": site.portal_url,
    }


def site_meta(site: m.Site) -> list[tuple[str, str]]:
    """The site-level government meta tags, same on every page."""
    return [
        ("SiteName", site.portal_name),
        ("SiteDomain", site.portal_domain),
        ("SiteIDCode", site.site_id_code),
        ("ColumnName", site.column_name),
        ("ColumnDescription", site.column_description),
        ("ColumnKeywords", ",".join(site.column_keywords)),
        ("ColumnType", site.column_type),
    ]


@dataclass(frozen=True)
class Article:
    """What an item page tells the portal's crawler about itself."""

    title: str
    published: date
    source: str
    keywords: list[str]
    description: str


def article_meta(article: Article | None, url: str) -> list[tuple[str, str]]:
    """Article-level meta tags; `url` is the page's absolute address."""
    if article is None:
        return []
    return [
        ("ArticleTitle", article.title),
        # Records carry dates only; the portal's format wants a time, so midnight it is.
        ("PubDate", f"{article.published.isoformat()} 00:00"),
        ("ContentSource", article.source),
        ("Keywords", ",".join(article.keywords)),
        ("Description", _shorten(article.description)),
        ("Url", url),
    ]


def _shorten(text: str) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= DESCRIPTION_CHARS else flat[: DESCRIPTION_CHARS - 1] + "…"


def _unit_name(d: Dataset, unit_id: str, fallback: str) -> str:
    unit = d.units.get(unit_id)
    return unit.name if unit else fallback


def article_for(d: Dataset, src_uri: str) -> Article | None:
    """The record behind an item page, or None for index and plain pages.

    New kinds of item page add a branch here (or carry `article_*` front matter, which the
    adapter reads through `article_from_front_matter`).
    """
    parts = src_uri.removesuffix(".md").split("/")
    if len(parts) != 2 or parts[1] == "index":
        return None
    section, key = parts
    office = d.leadership.office.name
    if section == "cases":
        case = d.case_by_id.get(key)
        if case:
            words = [case.kind] + ([case.category] if case.category else []) + [case.source]
            return Article(case.title, case.date, office, words, case.summary)
    if section == "policies":
        page = d.policy_by_src.get(src_uri)
        if page:
            doc = page.doc
            words = doc.keywords or [doc.topic]
            return Article(doc.title, doc.published, _unit_name(d, doc.publisher, d.site.sponsor), words,
                           doc.description or doc.title)
    if section == "surveys":
        survey = d.survey_by_quarter.get(key)
        if survey:
            return Article(f"{survey.quarter} 营商环境满意度测评", survey.published,
                           _unit_name(d, survey.unit, d.site.sponsor), ["满意度测评", "营商环境"],
                           survey.notes or survey.method)
    if section == "actions":
        action = d.actions.get(key)
        if action:
            submitted = [r.submitted for r in d.reports_by_action.get(key, [])]
            published = max(submitted) if submitted else action.start
            return Article(action.name, published, _unit_name(d, action.lead_unit, d.site.sponsor),
                           ["专项行动", "营商环境"], action.goal)
    return None


def article_from_front_matter(meta: dict) -> Article | None:
    """Pages made by other builders may state their article facts in front matter:
    article_date (YYYY-MM-DD), article_source, article_keywords, article_description."""
    published = meta.get("article_date")
    if not published:
        return None
    if isinstance(published, str):
        published = date.fromisoformat(published)
    # The adapter made the title HTML-safe already; the template escapes again on output.
    return Article(html.unescape(str(meta.get("title", ""))), published, str(meta.get("article_source", "")),
                   [str(k) for k in meta.get("article_keywords", [])], str(meta.get("article_description", "")))
