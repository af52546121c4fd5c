"""Lighthouse (mobile) on the four pages issue 15 names, served by nginx as the portal does.

Slow ring. Lighthouse 12.2.3 from npm (pinned in .ci/run, into .cache/lighthouse) drives
Debian's chromium. Accessibility, best practices and SEO do not depend on the machine and
must be 100. The performance score does: Lighthouse scales the main-thread time it sees
by four, so a machine busy with other work scores the same build 72 one run and 100 the
next. It is printed, not asserted (benchmarks/RESULTS.md holds the medians measured).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from support import ROOT

CHROMIUM = "/usr/bin/chromium"
LIGHTHOUSE = Path(os.environ.get("LIGHTHOUSE", ROOT / ".cache/lighthouse/node_modules/.bin/lighthouse"))
PAGES = ["", "actions/a01/", "policies/zzbf-2018-25/", "publicity/2018/"]
STEADY = ("accessibility", "best-practices", "seo")

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("path", PAGES, ids=["home", "action", "policy", "publicity"])
def test_lighthouse_mobile(site_url, tmp_path, path):
    if not LIGHTHOUSE.exists() or not shutil.which("node"):
        pytest.skip("Lighthouse is not installed (npm install --prefix .cache/lighthouse lighthouse@12.2.3)")
    report = tmp_path / "report.json"
    # Lighthouse's own trace recording fails now and then on a busy machine (NO_NAVSTART,
    # "Please run Lighthouse again"): that is retried, as it asks; any other failure is not.
    for _attempt in range(3):
        result = subprocess.run(
            [str(LIGHTHOUSE), site_url + path, "--quiet", "--output=json", f"--output-path={report}",
             "--form-factor=mobile", "--chrome-flags=--headless=new --no-sandbox"],
            env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True, timeout=300)
        if result.returncode == 0 or "Please run Lighthouse again" not in result.stderr:
            break
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(report.read_text(encoding="utf-8"))
    scores = {name: round(category["score"] * 100) for name, category in data["categories"].items()}
    audits = data["audits"]
    print(path or "home", scores, {m: round(audits[m]["numericValue"]) for m in
                                   ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time")})
    failed = sorted(name for name, audit in audits.items()
                    if audit.get("scoreDisplayMode") == "binary" and audit.get("score") == 0)
    assert {name: scores[name] for name in STEADY} == dict.fromkeys(STEADY, 100), failed
    # What no machine load changes: nothing blocks the first paint but the stylesheets,
    # and no layout shifts.
    assert audits["cumulative-layout-shift"]["numericValue"] < 0.01
    assert not [item["url"] for item in audits["render-blocking-resources"].get("details", {}).get("items", [])
                if item["url"].endswith(".js")]
