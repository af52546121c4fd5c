"""Atom feeds and iCalendar files: valid, stable, dated from the records, linked from pages."""
from __future__ import annotations

import posixpath
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from campaign.exports import feeds
from campaign.check import load
from conftest import ROOT

A = "{http://www.w3.org/2005/Atom}"
SITE_URL = "http://www.zyx.gov.cn/zt/yshj/"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")


@pytest.fixture(scope="module")
def dataset():
    return load(ROOT / "data", ROOT / "content")


def site_path(site: Path, url: str) -> Path:
    """The built file an absolute URL of the column points to."""
    assert url.startswith(SITE_URL), url
    rel = url[len(SITE_URL):]
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

CONTENT_LINE = re.compile(r'^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)*):(.*)$')


def parse_ical(raw: bytes) -> list[dict]:
    """A strict reader for what RFC 5545 requires of these files; returns the components.

    Checks: CRLF line ends only, physical lines at most 75 octets, folding with one
    leading space, content-line syntax, BEGIN/END nesting.
    """
    assert raw.endswith(b"\r\n")
    assert raw.count(b"\n") == raw.count(b"\r\n"), "bare LF"
    physical = raw[:-2].split(b"\r\n")
    for line in physical:
        assert len(line) <= 75, line
        line.decode("utf-8")  # no UTF-8 sequence split by folding
    logical: list[str] = []
    for line in physical:
        text = line.decode("utf-8")
        if text.startswith((" ", "\t")):
            assert logical, "continuation before first line"
            logical[-1] += text[1:]
        else:
            logical.append(text)
    stack: list[dict] = []
    components: list[dict] = []
    for text in logical:
        match = CONTENT_LINE.match(text)
        assert match, f"not a content line: {text!r}"
        name, params, value = match.group(1).upper(), match.group(2), match.group(3)
        if name == "BEGIN":
            stack.append({"name": value, "props": []})
        elif name == "END":
            assert stack and stack[-1]["name"] == value, f"END:{value} does not close {stack[-1:]}"
            components.append(stack.pop())
        else:
            assert stack, text
            stack[-1]["props"].append((name, params, value))
    assert not stack
    assert components[-1]["name"] == "VCALENDAR"
    return components


def props(component: dict, name: str) -> list[tuple[str, str]]:
    return [(p, v) for n, p, v in component["props"] if n == name]


def test_calendars_are_valid_rfc5545(built_site: Path, dataset):
    paths = sorted((built_site / "calendars").rglob("*.ics"))
    assert {p.relative_to(built_site).as_posix() for p in paths} >= {
        "calendars/tasks.ics", "calendars/publicity.ics", "calendars/actions/a01.ics"}
    for path in paths:
        components = parse_ical(path.read_bytes())
        calendar = components[-1]
        assert props(calendar, "VERSION") == [("", "2.0")]
        assert len(props(calendar, "PRODID")) == 1
        zones = [c for c in components if c["name"] == "VTIMEZONE"]
        assert [props(z, "TZID")[0][1] for z in zones] == ["Asia/Shanghai"]
        events = [c for c in components if c["name"] == "VEVENT"]
        assert events, path
        uids = [props(e, "UID")[0][1] for e in events]
        assert len(uids) == len(set(uids)), path
        for event in events:
            for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
                assert len(props(event, required)) == 1, (path, required)
            # DTSTAMP is the data date at 00:00 Asia/Shanghai, in UTC: never the build time.
            assert props(event, "DTSTAMP")[0][1] == "20180929T160000Z"
            (start_params, start), = props(event, "DTSTART")
            (end_params, end), = props(event, "DTEND")
            assert start_params == end_params == ";VALUE=DATE"
            assert re.fullmatch(r"\d{8}", start) and re.fullmatch(r"\d{8}", end) and end > start
            for name in ("SUMMARY", "DESCRIPTION"):
                for _, value in props(event, name):
                    assert not re.search(r"(?<!\\)[;,]", value), value
            assert props(event, "URL")[0][1].startswith(SITE_URL)


def test_task_deadlines_in_calendars(built_site: Path, dataset):
    components = parse_ical((built_site / "calendars" / "tasks.ics").read_bytes())
    events = {props(e, "UID")[0][1]: e for e in components if e["name"] == "VEVENT"}
    assert len(events) == len(dataset.tasks)
    action, task = dataset.tasks["a01-t1"]
    uid = "task-a01-t1-deadline-zt-yshj@www.zyx.gov.cn"
    assert props(events[uid], "DTSTART")[0][1] == task.deadline.due.strftime("%Y%m%d")
    # The per-action calendar uses the same UID, so subscribing to both shows one event.
    per_action = parse_ical((built_site / "calendars" / "actions" / "a01.ics").read_bytes())
    assert uid in [props(e, "UID")[0][1] for e in per_action if e["name"] == "VEVENT"]
    publicity = parse_ical((built_site / "calendars" / "publicity.ics").read_bytes())
    week = [e for e in publicity if e["name"] == "VEVENT" and props(e, "UID")[0][1].startswith("publicity-2018-zt")]
    assert props(week[0], "DTSTART")[0][1] == "20180413" and props(week[0], "DTEND")[0][1] == "20180421"


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
