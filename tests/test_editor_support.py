"""JSON Schemas, VS Code settings, the generated field guide and the CI configurations."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
import yaml
from pydantic import BaseModel

from campaign.records import models as m
from campaign.editors.cli import vscode_schema_map
from campaign.records.fielddocs import field_docs, nested_models
from campaign.records.kinds import KINDS
from campaign.check import load
from campaign.editors import guide_pages as guide
from support import run_cli
from support import ROOT, copy_project


def all_record_models() -> set[type[BaseModel]]:
    return {v for v in vars(m).values()
            if isinstance(v, type) and issubclass(v, BaseModel) and v.__module__ == m.__name__
            and v not in (m.Record, m.SampleMixin)}


def test_committed_schemas_equal_fresh_ones(tmp_path):
    checked = run_cli(ROOT, "schemas", "--check")
    assert checked.returncode == 0, checked.stderr
    fresh = run_cli(ROOT, "schemas", "--out", str(tmp_path))
    assert fresh.returncode == 0, fresh.stderr
    committed = sorted(p.name for p in (ROOT / "schemas").glob("*.json"))
    assert committed == sorted(p.name for p in tmp_path.glob("*.json"))
    for name in committed:
        assert (ROOT / "schemas" / name).read_text(encoding="utf-8") == (tmp_path / name).read_text(encoding="utf-8"), name


def test_stale_schema_is_reported(project):
    (project / "schemas").mkdir()
    result = run_cli(project, "schemas", "--check")
    assert result.returncode == 1 and "请运行 ./column schemas 重新生成" in result.stderr
    assert run_cli(project, "schemas").returncode == 0
    assert run_cli(project, "schemas", "--check").returncode == 0
    settings = json.loads((project / ".vscode/settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"] == vscode_schema_map()


def test_deadline_schema_accepts_text():
    # Editors write deadlines as text; the schema must not demand the parsed object.
    schema = json.loads((ROOT / "schemas/action.json").read_text(encoding="utf-8"))
    task = schema["$defs"]["Task"]["properties"]["deadline"]
    assert task["type"] == "string" and "$ref" not in task


def test_vscode_settings_map_every_data_file_to_a_schema():
    settings = json.loads((ROOT / ".vscode/settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    assert mapping == vscode_schema_map()
    covered = set()
    for schema, globs in mapping.items():
        assert (ROOT / schema).is_file(), schema
        for pattern in globs:
            matched = set(ROOT.glob(pattern))
            assert matched, pattern
            covered |= matched
    assert set((ROOT / "data").rglob("*.yml")) <= covered


def test_every_model_is_documented_in_the_guide():
    reachable = set()
    for model in (kind.model for kind in KINDS):
        reachable |= {model, *nested_models(model)}
    assert all_record_models() <= reachable
    assert all(model.model_config.get("title") for model in all_record_models())  # titles live on the models


def test_every_field_appears_in_the_generated_field_page():
    dataset = load(ROOT / "data", ROOT / "content")
    pages = {page.src_uri: page.content for page in guide.build(dataset)}
    for schema_name, model in ((kind.name, kind.model) for kind in KINDS):
        sections = re.split(r"^#{1,3} ", pages[guide.kind_src(schema_name)], flags=re.M)
        for inner in [model, *nested_models(model)]:
            anchor = schema_name if inner is model else f"{schema_name}-{inner.__name__.lower()}"
            section = next(s for s in sections if "{#" + anchor + "}" in s.splitlines()[0])
            for doc in field_docs(inner):
                assert f"| <code>{doc.name}</code> | {doc.title}" in section.replace("\\", ""), (anchor, doc.name)


def test_guide_is_not_in_the_public_site(built_site):
    # Internal material (git workflow, the tool, server paths) stays out of the column:
    # no page, menu entry, search entry or sitemap line.
    assert not (built_site / "guide").exists()
    for name in ("index.html", "sitemap.xml", "search/direct.json"):
        text = (built_site / name).read_text(encoding="utf-8")
        assert "guide/" not in text and "编辑指南" not in text, name


@pytest.fixture(scope="module")
def guide_site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("guide"))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs-guide.yml"],
                            cwd=project, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site-guide"


def test_guide_is_a_site_of_its_own(guide_site):
    built_site = guide_site
    index = (built_site / "guide/index.html").read_text(encoding="utf-8")
    assert "编辑指南" in index and 'href="fields/"' in index
    assert not (built_site / "actions").exists() and not (built_site / "opendata").exists()
    fields = (built_site / "guide/fields/index.html").read_text(encoding="utf-8")
    for anchor in ("deadlines", "ledger"):
        assert f'id="{anchor}"' in fields, anchor
    for kind in ("report", "case", "policy", "survey"):
        assert f'href="{kind}/"' in fields, kind
    report = (built_site / "guide/fields/report/index.html").read_text(encoding="utf-8")
    assert 'id="report-taskprogress"' in report
    for name in m.Report.model_fields:
        assert f"<code>{name}</code>" in report
    assert 'href="../../drafts/#report"' in report
    drafts = (built_site / "guide/drafts/index.html").read_text(encoding="utf-8")
    assert "./column new report" in drafts and "yaml-language-server" in drafts
    for page in ("workflow", "commands", "ledger", "errors", "publishing"):
        assert (built_site / f"guide/{page}/index.html").is_file(), page


def _gitlab_jobs():
    return yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))


def test_gitlab_ci_checks_merge_requests_and_publishes_main():
    config = _gitlab_jobs()
    check, publish = config["check"], config["publish"]
    script = "\n".join(check["script"])
    for command in ("./column check", "mkdocs build --strict", ".ci/run"):
        assert command in script
    assert " -q" not in script.replace("pip install -q", "")
    assert "merge_request_event" in check["rules"][0]["if"]
    assert "$CI_DEFAULT_BRANCH" in publish["rules"][0]["if"]
    assert any("./column publish" in line for line in publish["script"])


def test_gitea_workflow_checks_pull_requests_and_publishes_main():
    config = yaml.safe_load((ROOT / ".gitea/workflows/column.yml").read_text(encoding="utf-8"))
    triggers = config[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    check = "\n".join(step.get("run", "") for step in config["jobs"]["check"]["steps"])
    for command in ("./column check", "mkdocs build --strict", ".ci/run"):
        assert command in check
    assert "pull_request" in config["jobs"]["check"]["if"]
    publish = "\n".join(step.get("run", "") for step in config["jobs"]["publish"]["steps"])
    assert "./column publish" in publish and "refs/heads/main" in config["jobs"]["publish"]["if"]
