"""Sample marks follow the data, enforced: a page declaring sample-derived content without
the visible 示例 mark is reported (and --strict fails on the warning)."""
from __future__ import annotations

from pathlib import Path

from campaign.check import load
from campaign.site import pages
from campaign.site.pages.base import GeneratedPage
from campaign.site.sample_marks import MARK_CLASS, check_sample_marks

ROOT = Path(__file__).resolve().parent.parent


def test_default_pages_carry_their_marks_and_a_planted_one_is_caught():
    d = load(ROOT / "data", ROOT / "content")
    built = {p.src_uri: p for p in pages.build_all(d)}
    assert check_sample_marks(built.values()) == []
    # Pages built from sample data declare it: counts per unit, bulletins, the hotline procedure.
    for src in ("cases/units.md", "units/index.md", "bulletins/2018-08.md", "hotline.md", "index.md", "method.md"):
        assert built[src].sample, src
    units = built["cases/units.md"]
    planted = GeneratedPage(units.src_uri, units.content.replace(MARK_CLASS, "badge"), units.sample)
    problems = check_sample_marks([planted])
    assert len(problems) == 1 and "cases/units.md" in problems[0] and "示例" in problems[0]
    # Unit full names are not in the plan: marked where shown.
    assert MARK_CLASS in built["units/zjj.md"].content


def test_derived_open_data_rows_say_sample():
    from campaign.exports import opendata

    d = load(ROOT / "data", ROOT / "content")
    tasks, actions = opendata.derived_tables(d)
    assert all(row["sample"] is True for row in tasks.records + actions.records)
    assert {row["period_end"] for row in actions.records} == {"2018-08-31"}
