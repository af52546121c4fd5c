"""Atom feeds and iCalendar files: follow the column without visiting it.

Dates come from the records (report submitted, case date, policy published); entry ids
and calendar UIDs are built from record ids, so a rebuild never makes a reader's feed
reader or calendar see "new" items. Nothing here reads the clock.

Calendar dates are whole days (all-day DATE values): a deadline "2018年6月30日" means that
calendar day in Asia/Shanghai, and a DATE value shows on that same day for every reader
wherever they are, whereas a timed value would drift to 6月29日 for a reader west of
China. The calendars still declare Asia/Shanghai (VTIMEZONE and X-WR-TIMEZONE) for
clients that add events to them, and DTSTAMP is the data date at 00:00 Asia/Shanghai,
written in UTC as RFC 5545 requires.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from urllib.parse import quote, urlsplit

from campaign import routes
from campaign.records.dates import zh_date, zh_month_of
from campaign.records.loading import Dataset

ATOM_NS = "http://www.w3.org/2005/Atom"
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")  # no DST since 1991
ALL_LIMIT = 100  # newest entries in the all-updates feed; the complete record is the open data


@dataclass(frozen=True)
class FeedLink:
    """A feed or calendar a page points to (head <link rel="alternate"> and a visible link)."""

    path: str     # under the site root, e.g. feeds/all.xml
    title: str
    type: str     # MIME type

    @property
    def is_calendar(self) -> bool:
        return self.type == "text/calendar"


ATOM = "application/atom+xml"
ICAL = "text/calendar"
ALL_FEED = FeedLink("feeds/all.xml", "全部更新（Atom）", ATOM)
CASES_FEED = FeedLink("feeds/cases.xml", "典型案例（Atom）", ATOM)
POLICIES_FEED = FeedLink("feeds/policies.xml", "政策文件与解读（Atom）", ATOM)
TASKS_CALENDAR = FeedLink("calendars/tasks.ics", "全部任务截止日期（日历）", ICAL)
PUBLICITY_CALENDAR = FeedLink("calendars/publicity.ics", "政策宣传周日程（日历）", ICAL)


def action_feed(action_id: str) -> FeedLink:
    return FeedLink(f"feeds/actions/{action_id}.xml", "本行动进展（Atom）", ATOM)


def action_calendar(action_id: str) -> FeedLink:
    return FeedLink(f"calendars/actions/{action_id}.ics", "本行动任务截止日期（日历）", ICAL)


def catalog(d: Dataset, per_action: bool = True) -> list[tuple[FeedLink, str]]:
    """Every feed and calendar with a line on what it holds (for the open-data page);
    without the per-action ones when per_action is False (they are listed on their own pages)."""
    items = [
        (ALL_FEED, "月度进展报告、典型案例、政策文件与解读、满意度测评的全部更新"),
        (CASES_FEED, "先进经验和问题曝光案例"),
        (POLICIES_FEED, "政策文件和解读，按公开日期"),
        (TASKS_CALENDAR, "所有专项行动任务的完成时限，每个任务一个全天事件"),
        (PUBLICITY_CALENDAR, "政策宣传周的起止日期和每日活动"),
    ]
    for action in d.action_list if per_action else ():
        items.append((FeedLink(action_feed(action.id).path, f"{action.name}：进展（Atom）", ATOM), "本行动的月度进展报告"))
        items.append((FeedLink(action_calendar(action.id).path, f"{action.name}：任务截止日期（日历）", ICAL),
                      "本行动各任务的完成时限"))
    return items


# The feeds a page offers: the site-wide feed everywhere (DEFAULT), plus the ones about it.
# Page builders give each page its set; the adapter prints them in <head> and on the page.
DEFAULT = (ALL_FEED,)
ACTIONS = (ALL_FEED, TASKS_CALENDAR)
CASES = (ALL_FEED, CASES_FEED)
POLICIES = (ALL_FEED, POLICIES_FEED)
PUBLICITY = (ALL_FEED, PUBLICITY_CALENDAR)
EVERYTHING = (ALL_FEED, CASES_FEED, POLICIES_FEED, TASKS_CALENDAR, PUBLICITY_CALENDAR)


def for_action(action_id: str) -> tuple[FeedLink, ...]:
    return (ALL_FEED, action_feed(action_id), action_calendar(action_id))


# --- URLs and ids ----------------------------------------------------------------------------


class Urls:
    """Absolute URLs from site_url and stable ids scoped to the column's address."""

    def __init__(self, site_url: str, campaign_start: date, directory_urls: bool = True):
        self.base = site_url if site_url.endswith("/") else site_url + "/"
        parts = urlsplit(self.base)
        self.host = parts.hostname or "localhost"
        self.scope = parts.path.strip("/")
        self.tag_date = campaign_start.isoformat()
        self.directory_urls = directory_urls

    def page(self, src_uri: str) -> str:
        return self.base + routes.url(src_uri, self.directory_urls)

    def file(self, path: str) -> str:
        return self.base + path

    def tag(self, *parts: str) -> str:
        """RFC 4151 tag URI: unique to this column, independent of build time."""
        specific = "/".join(p for p in (self.scope, *parts) if p)
        return f"tag:{self.host},{self.tag_date}:{specific}"

    def uid(self, *parts: str) -> str:
        scope = self.scope.replace("/", "-")
        return "-".join(p for p in (*parts, scope) if p) + "@" + self.host


# --- Atom ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    day: date
    url: str
    summary: str
    category: str
    sample: bool = False


def _titled(title: str, sample: bool) -> str:
    """Sample records say so in feed readers and calendars too (most titles already do)."""
    return f"【示例】{title}" if sample and "示例" not in title else title


def _stamp(day: date) -> str:
    return datetime.combine(day, time(0, 0), SHANGHAI).isoformat()


def atom(urls: Urls, link: FeedLink, title: str, author: str, entries: list[Entry], empty_day: date,
         alternate: str, limit: int | None = None) -> bytes:
    """A valid Atom 1.0 document; newest first, ties by id, updated = newest entry.

    Written as text, line by line in ElementTree's indented form: a feed per action makes
    thousands of feeds at province scale, and building element trees was most of their cost."""
    entries = sorted(entries, key=lambda e: (e.day, e.id), reverse=True)[:limit]
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM_NS}" xml:lang="zh-CN">',
        _element(1, "id", urls.tag("feeds", posixpath.splitext(link.path.removeprefix("feeds/"))[0])),
        _element(1, "title", title),
        _element(1, "updated", _stamp(entries[0].day if entries else empty_day)),
        "  <author>", _element(2, "name", author), "  </author>",
        _element(1, "link", rel="self", type=ATOM, href=urls.file(link.path)),
        _element(1, "link", rel="alternate", type="text/html", href=alternate),
    ]
    for entry in entries:
        lines += [
            "  <entry>",
            _element(2, "id", entry.id),
            _element(2, "title", _titled(entry.title, entry.sample)),
            _element(2, "published", _stamp(entry.day)),
            _element(2, "updated", _stamp(entry.day)),
            _element(2, "link", rel="alternate", type="text/html", href=entry.url),
            _element(2, "category", term=entry.category),
            _element(2, "summary", entry.summary, type="text"),
            "  </entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


# Characters XML 1.0 cannot carry at all, even escaped. The check refuses control
# characters in editors' input; this keeps every feed well-formed whatever gets through.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value: str) -> str:
    if _XML_INVALID.search(value):
        value = _XML_INVALID.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml_attribute(value: str) -> str:
    return (_xml_text(value).replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
            .replace("\t", "&#09;"))


def _element(depth: int, tag: str, text: str | None = None, **attributes: str) -> str:
    """One indented element on its line; empty ones self-closed as ElementTree writes them."""
    attrs = "".join(f' {name}="{_xml_attribute(value)}"' for name, value in attributes.items())
    if text:
        return f"{'  ' * depth}<{tag}{attrs}>{_xml_text(text)}</{tag}>"
    return f"{'  ' * depth}<{tag}{attrs} />"


def _report_entries(d: Dataset, urls: Urls, action_id: str | None = None) -> list[Entry]:
    """Reports as the site shows them, each linked to where it is read: its heading on the
    action's page for the recent months, on the archive page holding it for the older."""
    out = []
    for aid in d.actions if action_id is None else (action_id,):
        action = d.actions[aid]
        for rank, r in enumerate(routes.shown_reports(d.reports_by_action.get(aid, ()), d.as_of)):
            url = urls.page(routes.report_src(aid, rank)) + "#" + quote(routes.report_anchor(r.month), safe="")
            out.append(Entry(urls.tag("report", aid, r.month), f"{action.name}：{zh_month_of(r.month)}进展",
                             r.submitted, url, r.progress, "月度进展", r.sample))
    return out


def _case_entries(d: Dataset, urls: Urls) -> list[Entry]:
    return [Entry(urls.tag("case", c.id), c.title, c.date, urls.page(routes.case_src(c.id)), c.summary,
                  f"典型案例·{c.kind}", c.sample) for c in d.cases]


def _policy_entries(d: Dataset, urls: Urls) -> list[Entry]:
    out = []
    for p in d.policies:
        doc = p.doc
        summary = doc.description or "，".join(x for x in (doc.doc_no, f"{zh_date(doc.published)}公开") if x)
        out.append(Entry(urls.tag("policy", doc.id), doc.title, doc.published, urls.page(p.src_uri), summary,
                         f"政策{doc.doc_type}", doc.sample))
    return out


def _survey_entries(d: Dataset, urls: Urls) -> list[Entry]:
    return [Entry(urls.tag("survey", s.quarter, s.unit), f"{s.quarter[:4]}年第{s.quarter[-1]}季度营商环境满意度测评结果",
                  s.published, urls.page(routes.survey_src(s.quarter)), f"总体满意度 {s.overall:g} 分，样本量 {s.sample_size}。",
                  "满意度测评", s.sample) for s in d.surveys]


# --- iCalendar -------------------------------------------------------------------------------

VTIMEZONE = [
    "BEGIN:VTIMEZONE", "TZID:Asia/Shanghai",
    "BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:+0800", "TZOFFSETTO:+0800", "TZNAME:CST",
    "END:STANDARD", "END:VTIMEZONE",
]


def ical_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11); control characters other than line breaks
    and tabs are not allowed there and are dropped."""
    value = _XML_INVALID.sub("", value).replace("\x7f", "")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return re.sub(r"\r\n|\r|\n", "\\\\n", value)


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (§3.1)."""
    data = line.encode("utf-8")
    out, start, limit = [], 0, 75
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a continuation byte: end before its character
            end -= 1
        out.append(data[start:end].decode("utf-8"))
        start, limit = end, 74  # the continuation's leading space counts too
    out.append(data[start:].decode("utf-8"))
    return "\r\n ".join(out)


@dataclass(frozen=True)
class Event:
    uid: str
    start: date
    end: date          # inclusive last day
    summary: str
    description: str
    url: str
    category: str


def _ical_date(day: date) -> str:
    return day.strftime("%Y%m%d")


def icalendar(name: str, description: str, events: list[Event], as_of: date) -> bytes:
    stamp = datetime.combine(as_of, time(0, 0), SHANGHAI).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//ZYX//yshj column generator//ZH", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{ical_text(name)}", f"X-WR-CALDESC:{ical_text(description)}",
             "X-WR-TIMEZONE:Asia/Shanghai", *VTIMEZONE]
    for e in sorted(events, key=lambda e: (e.start, e.uid)):
        lines += [
            "BEGIN:VEVENT", f"UID:{e.uid}", f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_ical_date(e.start)}", f"DTEND;VALUE=DATE:{_ical_date(e.end + timedelta(days=1))}",
            f"SUMMARY:{ical_text(e.summary)}", f"DESCRIPTION:{ical_text(e.description)}", f"URL:{e.url}",
            f"CATEGORIES:{ical_text(e.category)}", "TRANSP:TRANSPARENT", "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("".join(fold(line) + "\r\n" for line in lines)).encode("utf-8")


def _task_events(d: Dataset, urls: Urls, action_id: str | None = None) -> list[Event]:
    out = []
    for action in d.action_list if action_id is None else [d.actions[action_id]]:
        lead = d.units[action.lead_unit].short
        for t in action.tasks:
            out.append(Event(
                urls.uid("task", t.id, "deadline"), t.deadline.due, t.deadline.due,
                _titled(f"截止：{t.name}", action.sample),
                f"{action.name}的任务「{t.name}」完成时限：{t.deadline.text}（按{zh_date(t.deadline.due)}计）。牵头单位：{lead}。",
                urls.page(routes.action_src(action.id)), "任务截止"))
    return out


def _publicity_events(d: Dataset, urls: Urls) -> list[Event]:
    out = []
    for w in d.publicity_weeks:
        page = urls.page(routes.week_src(w.year))
        out.append(Event(urls.uid("publicity", str(w.year)), w.start, w.end, _titled(w.title, w.sample),
                         w.intro, page, "政策宣传周"))
        per_day: dict[date, int] = {}
        for e in sorted(w.events, key=lambda e: (e.date, e.title)):
            # Numbered within its day, so adding an event on another day keeps every UID.
            per_day[e.date] = per_day.get(e.date, 0) + 1
            out.append(Event(urls.uid("publicity", e.date.strftime("%Y%m%d"), str(per_day[e.date])), e.date, e.date,
                             _titled(e.title, e.sample), f"{e.channel}。{e.description}".rstrip("。") + "。",
                             page, "政策宣传周"))
    return out


# --- All files -------------------------------------------------------------------------------


def feed_files(d: Dataset, site_url: str, directory_urls: bool = True) -> dict[str, bytes]:
    """Every feed and calendar by its path under the site."""
    urls = Urls(site_url, d.site.campaign_start, directory_urls)
    author = d.site.sponsor
    column = d.site.column_name
    # Each action's entries once, for its own feed and (in action order) for the whole column's.
    by_action = {aid: _report_entries(d, urls, aid) for aid in d.actions}
    reports = [entry for entries in by_action.values() for entry in entries]
    cases = _case_entries(d, urls)
    policies = _policy_entries(d, urls)
    files = {
        ALL_FEED.path: atom(urls, ALL_FEED, f"{column}：全部更新", author,
                            reports + cases + policies + _survey_entries(d, urls), d.site.campaign_start, urls.page("index.md"),
                            limit=ALL_LIMIT),
        CASES_FEED.path: atom(urls, CASES_FEED, f"{column}：典型案例", author, cases, d.site.campaign_start,
                              urls.page("cases/index.md")),
        POLICIES_FEED.path: atom(urls, POLICIES_FEED, f"{column}：政策文件与解读", author, policies, d.site.campaign_start,
                                 urls.page("policies/index.md")),
        TASKS_CALENDAR.path: icalendar(f"{column}：任务截止日期", "各专项行动任务的完成时限", _task_events(d, urls), d.as_of),
        PUBLICITY_CALENDAR.path: icalendar(f"{column}：政策宣传周", "政策宣传周日程", _publicity_events(d, urls), d.as_of),
    }
    for action in d.action_list:
        files[action_feed(action.id).path] = atom(
            urls, action_feed(action.id), f"{action.name}：进展", author, by_action[action.id],
            action.start, urls.page(routes.action_src(action.id)))
        files[action_calendar(action.id).path] = icalendar(
            f"{action.name}：任务截止日期", f"{action.name}各任务的完成时限", _task_events(d, urls, action.id), d.as_of)
    return dict(sorted(files.items()))
