"""Column freshness as of the data date: stale warns (fails --strict), blank fails,
an archived campaign is exempt and says 已归档 on every page."""
from __future__ import annotations

import shutil
from datetime import date

from campaign.rules import freshness
from campaign.check import load
from support import ROOT, check_run, run_build


def _dataset(as_of: str | None = None):
    return load(ROOT / "data", ROOT / "content", as_of)


def test_default_data_is_fresh():
    problems, warnings = freshness.check(_dataset())
    assert not problems and not warnings


def test_columns_go_stale_by_cadence():
    d = _dataset("2018-11-30")
    states = {s.column.id: s for s in freshness.column_states(d)}
    assert states["progress"].newest == date(2018, 9, 5) and states["progress"].stale  # 月度: > 45 days
    assert not states["surveys"].stale  # 季度: 2018-09-30 is 61 days old
    assert not states["cases"].stale    # 不定期 never goes stale, only blank
    _, warnings = freshness.check(d)
    assert any("专项行动进展" in w.render() and "data/site.yml" in w.render() and "2018年9月5日" in w.render() for w in warnings.items)


def test_stale_column_fails_strict_build(project):
    result = check_run(project, env={"AS_OF": "2018-12-31"})
    assert result.returncode != 0
    assert "专项行动进展" in result.stderr and "已超过 45 天" in result.stderr


def test_blank_column_fails_build(project):
    shutil.rmtree(project / "data" / "surveys")
    result = check_run(project)
    assert result.returncode != 0
    assert "data/site.yml" in result.stderr and "满意度测评" in result.stderr and "空白栏目" in result.stderr


def test_unknown_column_fails_build(project):
    path = project / "data" / "site.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("{id: cleanup,", "{id: cleanupx,"), encoding="utf-8")
    result = check_run(project)
    assert result.returncode != 0 and "cleanupx" in result.stderr


def test_archived_campaign_is_exempt_and_says_so(project):
    path = project / "data" / "site.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("archived: false", "archived: true"), encoding="utf-8")
    result = run_build(project, env={"AS_OF": "2019-12-31"})
    assert result.returncode == 0, result.stderr
    for page in (project / "site").rglob("*.html"):
        if page.name != "404.html":
            assert "已归档" in page.read_text(encoding="utf-8"), page
