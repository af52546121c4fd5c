"""Fast first paint (issue 15): one fingerprinted stylesheet of our own, no script of ours
blocking the first paint, print styles by media query."""
from __future__ import annotations

import re

PAGES = ["index.html", "actions/a01/index.html", "policies/zzbf-2018-25/index.html", "publicity/index.html",
         "search/index.html", "404.html"]


def test_one_stylesheet_of_ours_and_no_blocking_script(built_site):
    for name in PAGES:
        html = (built_site / name).read_text(encoding="utf-8")
        head = html[:html.index("</head>")]
        sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', head)
        ours = [s for s in sheets if "assets/stylesheets/" not in s]
        assert len(ours) == 1 and re.search(r"assets/site\.[0-9a-f]{10}\.css$", ours[0]), (name, sheets)
        for attrs in re.findall(r"<script([^>]*)>", head):
            if "src=" in attrs:
                assert "defer" in attrs or "async" in attrs, (name, attrs)


def test_print_rules_only_by_media_query(built_site):
    bundle = next((built_site / "assets").glob("site.*.css")).read_text(encoding="utf-8")
    part = bundle[bundle.index("/* assets/print.css */"):]
    assert part.count("@media print") == 1
    # Outside @media print the print part holds comments only.
    outside = re.sub(r"@media print\s*\{.*\}\s*$", "", part, flags=re.S)
    assert not re.sub(r"/\*.*?\*/", "", outside, flags=re.S).strip()
