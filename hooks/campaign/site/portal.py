"""What the county portal requires of every page: the identity footer and the government
meta tags in <head>.

The values come from data/site.yml (validated in models.Site); this module only derives
what the templates print: registry links, the meta tag list of each page. Templates print,
they do not compute.
"""
from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass
from typing import Any
from datetime import date

from campaign.records import models as m
from campaign.records.dates import zh_month_of
from campaign.records.loading import Dataset, PolicyPage
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


def article_for(d: Dataset, record: Any) -> Article | None:
    """The article facts of the record an item page shows (None for index and list pages).

    A new kind of item page adds a branch here (or carries `article_*` front matter, which
    the adapter reads through `article_from_front_matter`).
    """
    office = d.leadership.office.name
    if isinstance(record, m.Case):
        words = [record.kind] + ([record.category] if record.category else []) + [record.source]
        return Article(record.title, record.date, office, words, record.summary)
    if isinstance(record, PolicyPage):
        doc = record.doc
        words = doc.keywords or [doc.topic]
        return Article(doc.title, doc.published, _unit_name(d, doc.publisher, d.site.sponsor), words,
                       doc.description or doc.title)
    if isinstance(record, m.Survey):
        return Article(f"{record.quarter} 营商环境满意度测评", record.published,
                       _unit_name(d, record.unit, d.site.sponsor), ["满意度测评", "营商环境"],
                       record.notes or record.method)
    if isinstance(record, m.Bulletin):
        office = d.units.get(record.office)
        return Article(f"{zh_month_of(record.month)}专项行动进展通报（{record.number}）", record.issued,
                       office.name if office else d.leadership.office.name, ["月度通报", "专项督查", "营商环境"],
                       record.comment or f"{zh_month_of(record.month)}各专项行动进展、完成、逾期和缺报情况通报。")
    if isinstance(record, m.PublicityWeek):
        return Article(record.title, record.start, d.site.sponsor, ["政策宣传周", "营商环境"], record.intro)
    if isinstance(record, m.Action):
        submitted = [r.submitted for r in d.reports_by_action.get(record.id, [])]
        published = max(submitted) if submitted else record.start
        return Article(record.name, published, _unit_name(d, record.lead_unit, d.site.sponsor),
                       ["专项行动", "营商环境"], record.goal)
    return None


def cleanup_article(d: Dataset) -> Article | None:
    """The cleanup list is one document compiled from its entries: dated by the newest."""
    if not d.cleanup:
        return None
    counts = Counter(entry.decision for entry in d.cleanup)
    summary = "、".join(f"{decision} {counts[decision]} 件" for decision in ("保留", "修改", "废止") if counts[decision])
    return Article("规范性文件清理结果", max(entry.date for entry in d.cleanup), d.site.sponsor,
                   ["规范性文件清理", "营商环境"], f"清理规范性文件 {len(d.cleanup)} 件：{summary}。")


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
