"""Atom feeds and iCalendar files: valid, stable, dated from the records, linked from pages."""
from __future__ import annotations

import posixpath
import re
import subprocess
import sys
from pathlib import Path
from datetime import date, datetime, timezone
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree as ET

import feedparser
import icalendar

import pytest

from campaign import routes
from campaign.exports import feeds
from campaign.check import check_project, load
from campaign.site import pages
from support import ROOT, run_build

A = "{http://www.w3.org/2005/Atom}"
SITE_URL = "http://www.zyx.gov.cn/zt/yshj/"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")


@pytest.fixture(scope="module")
def dataset():
    return load(ROOT / "data", ROOT / "content")


def site_path(site: Path, url: str) -> Path:
    """The built file an absolute URL of the column points to."""
    assert url.startswith(SITE_URL), url
    rel = url[len(SITE_URL):].split("#")[0]
    target = site / rel
    return target / "index.html" if rel == "" or rel.endswith("/") else target


# --- Atom ------------------------------------------------------------------------------------


def test_atom_feeds_are_valid(built_site: Path):
    paths = sorted((built_site / "feeds").rglob("*.xml"))
    assert {p.relative_to(built_site).as_posix() for p in paths} >= {
        "feeds/all.xml", "feeds/cases.xml", "feeds/policies.xml", "feeds/actions/a01.xml"}
    seen_ids: dict[str, str] = {}
    for path in paths:
        root = ET.parse(path).getroot()
        assert root.tag == f"{A}feed", path
        for required in ("id", "title", "updated"):
            assert len(root.findall(f"{A}{required}")) == 1, (path, required)
            assert root.find(f"{A}{required}").text.strip()
        assert root.find(f"{A}author/{A}name").text.strip()
        self_link = [l for l in root.findall(f"{A}link") if l.get("rel") == "self"]
        assert len(self_link) == 1
        assert site_path(built_site, self_link[0].get("href")) == path
        entries = root.findall(f"{A}entry")
        ids = [e.find(f"{A}id").text for e in entries]
        assert len(ids) == len(set(ids)), path
        updated = [e.find(f"{A}updated").text for e in entries]
        for entry in entries:
            for required in ("id", "title", "updated"):
                assert len(entry.findall(f"{A}{required}")) == 1, (path, required)
            assert RFC3339.match(entry.find(f"{A}updated").text)
            assert entry.find(f"{A}id").text.startswith("tag:www.zyx.gov.cn,")
            link = entry.find(f"{A}link[@rel='alternate']")
            assert site_path(built_site, link.get("href")).exists(), link.get("href")
            entry_id = entry.find(f"{A}id").text
            # The same record keeps the same id in every feed it appears in.
            title = entry.find(f"{A}title").text
            assert seen_ids.setdefault(entry_id, title) == title
        assert RFC3339.match(root.find(f"{A}updated").text)
        if updated:
            assert root.find(f"{A}updated").text == max(updated)
            assert updated == sorted(updated, reverse=True)


def test_report_entries_link_their_heading(built_site: Path):
    # Each monthly report's entry opens the page at that report, not at the page's top.
    for path in sorted((built_site / "feeds").rglob("*.xml")):
        for entry in feedparser.parse(path.read_bytes()).entries:
            if "/report/" not in entry.id:
                continue
            month = entry.id.rsplit("/", 1)[1]
            page, fragment = entry.link.split("#")
            assert unquote(fragment) == routes.report_anchor(month) == f"{int(month[:4])}年{int(month[5:])}月"
            assert f'id="{unquote(fragment)}"' in site_path(built_site, page).read_text(encoding="utf-8"), entry.link


# --- Reports moved to an action's archive ---------------------------------------------------

MONTHS = 30  # five years' worth would do too: enough that most reports leave the action page


def long_project(out: Path, months: int | None = MONTHS) -> Path:
    """benchmarks/generate.py's long profile at ×1: `months` monthly reports per action (None:
    the profile's own 24, whose surveys keep up, so a strict build passes)."""
    extra = ["--months", str(months)] if months else []
    gen = subprocess.run([sys.executable, "benchmarks/generate.py", "--scale", "1", "--profile", "long", *extra,
                          "--out", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert gen.returncode == 0, gen.stdout + gen.stderr
    return out


def archived_entries(feed: bytes) -> tuple[list, list]:
    """(entries linking the action page, entries linking an archive page) of a report feed."""
    entries = [e for e in feedparser.parse(feed).entries if "/report/" in e.id]
    on_page = [e for e in entries if "-reports" not in e.link]
    return on_page, [e for e in entries if "-reports" in e.link]


def test_archived_reports_link_the_archive_page_that_shows_them(tmp_path):
    d = check_project(long_project(tmp_path / "long")).raise_for_errors()
    by_src = {p.src_uri: p.content for p in pages.build_all(d)}
    files = feeds.feed_files(d, SITE_URL)
    for action_id in ("a01", "a02"):
        on_page, archived = archived_entries(files[feeds.action_feed(action_id).path])
        assert len(on_page) == routes.RECENT_REPORTS and len(archived) == MONTHS - routes.RECENT_REPORTS
        # The action page shows the newest months; its entries link there.
        assert {e.link.split("#")[0] for e in on_page} == {SITE_URL + f"actions/{action_id}/"}
        seen_pages = set()
        for entry in on_page + archived:
            month = entry.id.rsplit("/", 1)[1]
            url, fragment = entry.link.split("#")
            src = next(src for src in by_src if SITE_URL + routes.url(src) == url)
            seen_pages.add(src)
            # The page linked is the one that holds the report, with the heading the fragment names.
            anchor = unquote(fragment)
            assert re.search(rf'<h3 id="{re.escape(anchor)}">{re.escape(anchor)}\b', by_src[src]), (entry.link, src)
            assert unquote(fragment) == routes.report_anchor(month)
            # Not on page 1 of the archive when it has moved on: the numbered page that shows it.
            if entry in archived:
                assert all(f'<h3 id="{anchor}">' not in by_src[other] for other in by_src
                           if other.startswith(f"actions/{action_id}-reports") and other != src)
        assert {routes.page_src(routes.action_reports_src(action_id), n) for n in (2, 3)} <= seen_pages
    # The all-updates feed links the same places (its newest entries).
    everything = {e.id: e.link for e in feedparser.parse(files[feeds.ALL_FEED.path]).entries}
    per_action = {e.id: e.link for a in d.actions for e in feedparser.parse(files[feeds.action_feed(a).path]).entries}
    assert all(per_action[i] == link for i, link in everything.items() if "/report/" in i)


@pytest.mark.slow
def test_archived_report_links_resolve_in_the_built_site(tmp_path):
    # The same through a real build: every report entry's page exists and has the heading.
    project = long_project(tmp_path / "long", months=None)
    result = run_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    checked = 0
    for path in sorted((site / "feeds" / "actions").glob("*.xml")):
        for entry in feedparser.parse(path.read_bytes()).entries:
            url, fragment = entry.link.split("#")
            html = site_path(site, url).read_text(encoding="utf-8")
            assert f'<h3 id="{unquote(fragment)}"' in html, entry.link
            checked += "-reports-2/" in urlsplit(url).path
    assert checked >= routes.REPORTS_PER_ARCHIVE_PAGE  # a whole second archive page linked, at least


def test_feed_dates_come_from_the_records(built_site: Path, dataset):
    root = ET.parse(built_site / "feeds" / "actions" / "a01.xml").getroot()
    entries = {e.find(f"{A}id").text: e for e in root.findall(f"{A}entry")}
    june = entries["tag:www.zyx.gov.cn,2018-04-01:zt/yshj/report/a01/2018-06"]
    report = next(r for r in dataset.reports if r.action == "a01" and r.month == "2018-06")
    assert june.find(f"{A}updated").text == f"{report.submitted.isoformat()}T00:00:00+08:00"
    cases = ET.parse(built_site / "feeds" / "cases.xml").getroot()
    case_dates = sorted(c.date.isoformat() for c in dataset.cases)
    assert cases.find(f"{A}updated").text.startswith(case_dates[-1])
    policies = ET.parse(built_site / "feeds" / "policies.xml").getroot()
    for entry in policies.findall(f"{A}entry"):
        doc_id = entry.find(f"{A}id").text.rsplit("/", 1)[1]
        doc = next(p.doc for p in dataset.policies if p.doc.id == doc_id)
        assert entry.find(f"{A}updated").text.startswith(doc.published.isoformat())
    everything = (built_site / "feeds" / "all.xml").read_text(encoding="utf-8")
    # Nothing in the feed is after the data date (no build time sneaks in).
    for stamp in re.findall(r"<(?:updated|published)>(\d{4}-\d{2}-\d{2})", everything):
        assert stamp <= dataset.as_of.isoformat()


def test_entry_ids_do_not_depend_on_the_build(dataset):
    one = feeds.feed_files(dataset, SITE_URL)
    two = feeds.feed_files(dataset, SITE_URL.rstrip("/"))
    assert one == two


# --- iCalendar -------------------------------------------------------------------------------

def read_calendar(raw: bytes) -> icalendar.Calendar:
    """The calendar as an independent RFC 5545 parser (icalendar) reads it, after the
    byte-level rules a parser forgives: CRLF only, lines of at most 75 octets, folding
    that never splits a UTF-8 character."""
    assert raw.endswith(b"\r\n")
    assert raw.count(b"\n") == raw.count(b"\r\n"), "bare LF"
    for line in raw[:-2].split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")
    return icalendar.Calendar.from_ical(raw.decode("utf-8"))


def events_of(calendar: icalendar.Calendar) -> list:
    return list(calendar.walk("VEVENT"))


def test_calendars_are_valid_rfc5545(built_site: Path, dataset):
    paths = sorted((built_site / "calendars").rglob("*.ics"))
    assert {p.relative_to(built_site).as_posix() for p in paths} >= {
        "calendars/tasks.ics", "calendars/publicity.ics", "calendars/actions/a01.ics"}
    for path in paths:
        calendar = read_calendar(path.read_bytes())
        assert str(calendar["VERSION"]) == "2.0" and calendar.get("PRODID")
        assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
        events = events_of(calendar)
        assert events, path
        uids = [str(e["UID"]) for e in events]
        assert len(uids) == len(set(uids)), path
        for event in events:
            for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
                assert required in event, (path, required)
            # DTSTAMP is the data date at 00:00 Asia/Shanghai, in UTC: never the build time.
            assert event.decoded("DTSTAMP") == datetime(2018, 9, 29, 16, 0, tzinfo=timezone.utc)
            start, end = event.decoded("DTSTART"), event.decoded("DTEND")
            assert type(start) is date and type(end) is date and end > start
            assert str(event["URL"]).startswith(SITE_URL)
            assert "\\" not in str(event["SUMMARY"])  # escapes decoded: ,;\ came back as text


def test_task_deadlines_in_calendars(built_site: Path, dataset):
    events = {str(e["UID"]): e for e in events_of(read_calendar((built_site / "calendars" / "tasks.ics").read_bytes()))}
    assert len(events) == len(dataset.tasks)
    action, task = dataset.tasks["a01-t1"]
    uid = "task-a01-t1-deadline-zt-yshj@www.zyx.gov.cn"
    assert events[uid].decoded("DTSTART") == task.deadline.due
    # The per-action calendar uses the same UID, so subscribing to both shows one event.
    per_action = read_calendar((built_site / "calendars" / "actions" / "a01.ics").read_bytes())
    assert uid in [str(e["UID"]) for e in events_of(per_action)]
    publicity = read_calendar((built_site / "calendars" / "publicity.ics").read_bytes())
    week = [e for e in events_of(publicity) if str(e["UID"]).startswith("publicity-2018-zt")]
    assert week[0].decoded("DTSTART") == date(2018, 4, 13) and week[0].decoded("DTEND") == date(2018, 4, 21)


def test_feeds_read_by_feedparser(built_site: Path, dataset):
    # An independent reader of Atom, as feed readers use: well-formed, entries dated.
    for path in sorted((built_site / "feeds").rglob("*.xml")):
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10" and parsed.feed.title
        for entry in parsed.entries:
            assert entry.id and entry.title and entry.link.startswith(SITE_URL) and entry.updated_parsed


def test_folding_keeps_characters_whole():
    line = "DESCRIPTION:" + "营商环境" * 40
    folded = feeds.fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line
    assert feeds.ical_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


# --- Discovery on pages ----------------------------------------------------------------------


def alternates(html: str) -> dict[str, str]:
    return {m.group(2): m.group(1) for m in re.finditer(
        r'<link rel="alternate feed" type="([^"]+)" title="[^"]*" href="([^"]+)"', html)}


@pytest.mark.parametrize("page, expected", [
    ("actions/a01/index.html", {"feeds/all.xml", "feeds/actions/a01.xml", "calendars/actions/a01.ics"}),
    ("actions/index.html", {"feeds/all.xml", "calendars/tasks.ics"}),
    ("cases/index.html", {"feeds/all.xml", "feeds/cases.xml"}),
    ("policies/zzbf-2018-25/index.html", {"feeds/all.xml", "feeds/policies.xml"}),
    ("publicity/index.html", {"feeds/all.xml", "calendars/publicity.ics"}),
    ("index.html", {"feeds/all.xml", "feeds/cases.xml", "feeds/policies.xml", "calendars/tasks.ics"}),
])
def test_pages_link_their_feeds(built_site: Path, page: str, expected: set[str]):
    html = (built_site / page).read_text(encoding="utf-8")
    found = alternates(html)
    resolved = {posixpath.normpath(posixpath.join(posixpath.dirname(page), href)) for href in found}
    assert expected <= resolved, resolved
    for target in resolved:
        assert (built_site / target).is_file(), target
    # Visible links too, not only for feed readers.
    visible = re.search(r'<p class="feed-links">(.*?)</p>', html, re.S).group(1)
    for href in found:
        assert f'href="{href}"' in visible


def test_hostile_text_stays_text(dataset):
    case = dataset.cases[0]
    original = case.title
    hostile = '<script>alert(1)</script> ]]> & "引号", 分号; \\ 换行\n第二行'
    try:
        case.title = hostile
        files = feeds.feed_files(dataset, SITE_URL)
    finally:
        case.title = original
    root = ET.fromstring(files["feeds/cases.xml"])
    titles = [e.find(f"{A}title").text for e in root.findall(f"{A}entry")]
    assert any(hostile in t for t in titles)
    assert b"<script>" not in files["feeds/cases.xml"]
