"""Valid markup (issue 15): the W3C Nu HTML checker finds no error on any page of the built
site. The checker is vnu.jar from the npm package vnu-jar (pinned in .ci/run; needs java);
VNU_JAR names another copy."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from support import ROOT

VNU_JAR = Path(os.environ.get("VNU_JAR", ROOT / ".cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar"))


def test_nu_checker_finds_no_error(built_site):
    if not shutil.which("java") or not VNU_JAR.is_file():
        pytest.skip("the Nu checker needs java and vnu.jar "
                    "(apt-get install default-jre-headless; npm install --prefix .cache/vnu vnu-jar@26.9.27)")
    result = subprocess.run(["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--skip-non-html",
                             str(built_site)], capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors = [f"{m.get('url', '').rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m.get("type") == "error"]
    assert errors == [], "\n".join(errors[:20])
    assert result.returncode == 0
