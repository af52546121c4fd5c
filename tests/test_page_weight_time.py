"""Page weight along the time axis (issue 18): two and a half years of monthly reports and
a long publicity week keep every generated page bounded.

Core level, no MkDocs build: benchmarks/generate.py's long profile at ×1 with 30 months of
reports, and the generated pages' HTML. An action page shows its newest reports and
links a paginated archive of all of them; the publicity week continues on numbered pages.
(tests/test_page_weight.py builds the HTML at scale, in the slow ring.)
"""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from support import ROOT, copy_project

from campaign import routes
from campaign.check import check_project
from campaign.site import pages
from campaign.site.pages import actions as action_pages
from campaign.site.pages import publicity
from campaign.site.sample_marks import check_sample_marks

MONTHS = 30
# The generated HTML of a page's content (its tables with their phone labels), without
# MkDocs' chrome (some 17 KB) and the 变更记录 the adapter appends to an action page: 32 KB
# of it stays under 60 KB of page.
CONTENT_LIMIT = 32_000


@pytest.fixture(scope="module")
def long_pages(tmp_path_factory):
    out = tmp_path_factory.mktemp("long") / "x1"
    gen = subprocess.run([sys.executable, "benchmarks/generate.py", "--scale", "1", "--profile", "long",
                          "--months", str(MONTHS), "--out", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert gen.returncode == 0, gen.stdout + gen.stderr
    d = check_project(out).raise_for_errors()
    return d, {p.src_uri: p for p in pages.build_all(d)}


def test_every_generated_page_stays_bounded(long_pages):
    d, by_src = long_pages
    assert all(len(d.reports_by_action[a]) == MONTHS for a in d.actions)
    sizes = sorted(((len(p.content.encode("utf-8")), src) for src, p in by_src.items()), reverse=True)
    assert sizes[0][0] <= CONTENT_LIMIT, sizes[:5]


def test_action_page_shows_recent_reports_and_links_its_archive(long_pages):
    d, by_src = long_pages
    action = d.actions["a01"]
    page = by_src[routes.action_src("a01")].content
    assert page.count("<h3 id=") == action_pages.RECENT
    assert '<a href="../a01-reports/">月度进展存档</a>' in page
    assert '<h3 id="2020年10月">' in page and '<h3 id="2020年4月">' not in page  # the newest six, newest first
    # The archive: every report once, over numbered pages that link each other, each the action's.
    archive = [by_src[routes.page_src(routes.action_reports_src("a01"), n)] for n in (1, 2, 3)]
    assert routes.page_src(routes.action_reports_src("a01"), 4) not in by_src
    months = [m for p in archive for m in re.findall(r'<h3 id="[^"]+">(\d{4}年\d{1,2}月)', p.content)]
    assert len(months) == MONTHS == len(set(months)) and months[0] == "2020年10月" and months[-1] == "2018年5月"
    assert all(p.record is action and p.sample == action.sample for p in archive)
    assert '<a href="../a01-reports-2/">2</a>' in archive[0].content
    assert '<a href="../a01-reports/">上一页</a>' in archive[1].content
    assert '返回：<a href="../a01/">示例：企业开办便利化行动</a>' in archive[1].content
    assert not check_sample_marks(by_src.values())


def test_action_page_without_many_reports_has_no_archive():
    d = check_project(ROOT).raise_for_errors()
    by_src = {p.src_uri: p for p in pages.build_all(d)}
    assert len(d.reports_by_action["a01"]) <= action_pages.RECENT
    assert routes.action_reports_src("a01") not in by_src
    assert "月度进展存档" not in by_src[routes.action_src("a01")].content


def test_publicity_week_paginates_a_long_schedule(tmp_path):
    project = copy_project(tmp_path)
    path = project / "data/publicity/2018.yml"
    week = yaml.safe_load(path.read_text(encoding="utf-8"))
    events = [{"date": f"2018-04-{13 + i % 8}", "channel": "县政府门户网站", "title": f"示例：政策解读第{i + 1}期",
               "units": ["xxzx"], "sample": True} for i in range(3 * publicity.ROWS_PER_PAGE)]
    week["events"] = events + week["events"][:1]  # the one with a report (policy:…)
    path.write_text(yaml.safe_dump(week, allow_unicode=True, sort_keys=False), encoding="utf-8")
    d = check_project(project).raise_for_errors()
    by_src = {p.src_uri: p for p in publicity.build(d)}
    numbered = [routes.page_src(routes.week_src(2018), n) for n in range(1, 5)]
    assert [src for src in by_src if src.startswith("publicity/2018")] == numbered
    shown = [t for src in numbered for t in re.findall(r"<strong>(示例：[^<]+)</strong>", by_src[src].content)]
    assert sorted(shown) == sorted(e["title"] for e in week["events"])  # each event once
    first, second = by_src[numbered[0]], by_src[numbered[1]]
    assert "宣传渠道" in first.content and "宣传渠道" not in second.content
    assert '<a href="../2018-2/">下一页</a>' in first.content
    assert '返回：<a href="../2018/">紫阳县优化提升营商环境政策宣传周（2018年）</a>' in second.content
    assert all(by_src[src].record is d.publicity_weeks[0] for src in numbered)
    assert max(len(by_src[src].content.encode("utf-8")) for src in numbered) <= CONTENT_LIMIT
    assert not check_sample_marks(by_src.values())


def test_search_finds_each_month_once_on_the_action_page_or_its_archive(long_pages):
    # The archive's first page repeats the months the action page shows: search skips them
    # there (data-pagefind-ignore), so a recent month is found on the action page only.
    _, by_src = long_pages
    months = re.compile(r'<h3 id="([^"]+)"')
    shown = months.findall(by_src["actions/a01.md"].content)
    first = by_src[routes.action_reports_src("a01")].content
    ignored = first[first.index("<div data-pagefind-ignore>"):first.index("</div>", first.index("<div data-pagefind-ignore>"))]
    assert len(shown) == action_pages.RECENT
    assert months.findall(ignored) == shown
    assert months.findall(first)[len(shown):]  # the older months of page 1 stay searchable
    later = [page.content for src, page in by_src.items() if src.startswith("actions/a01-reports-")]
    assert later and not any("data-pagefind-ignore" in content for content in later)
