"""Open data: every record type downloadable as JSON and CSV, with schema, manifest and docs."""
from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from pydantic import BaseModel

from campaign.records import models as m
from campaign.exports import opendata
from campaign.check import load
from support import ROOT

# Record types the site holds: each must be exported (directly or as a split-out table).
# Site/Column/OutboundLink are the portal's configuration; Units/Cleanup only wrap lists.
NOT_RECORDS = {m.Record, m.SampleMixin, m.Site, m.Column, m.OutboundLink, m.WorkCalendar, m.InputLimits, m.Units, m.Cleanup}


def record_models() -> list[type[BaseModel]]:
    found = [v for v in vars(m).values()
             if isinstance(v, type) and issubclass(v, m.Record) and v not in NOT_RECORDS]
    return sorted(found, key=lambda c: c.__name__)


@pytest.fixture(scope="module")
def dataset():
    return load(ROOT / "data", ROOT / "content")


def test_every_record_type_is_exported(dataset):
    exported = {t.spec.model for t in opendata.record_tables(dataset)}
    nested_only = {m.Person, m.LeadershipOffice, m.Rectification, m.Attachment}  # columns of their parent
    editorial = {m.ProofreadAllow}  # reviewed proofreading exceptions: about the text, not open data
    for model in record_models():
        assert model in exported or model in nested_only | editorial, f"{model.__name__} is not exported"


def test_every_field_of_every_model_is_a_column(dataset):
    for table in opendata.all_tables(dataset):
        keys = {c.key for c in table.columns}
        for name, info in table.spec.model.model_fields.items():
            if name in table.spec.split or name in opendata.EDITORIAL_FIELDS:
                continue
            nested = opendata._nested_model(info.annotation)
            if nested is None:
                assert name in keys, (table.spec.name, name)
            else:
                for sub in nested.model_fields:
                    assert f"{name}.{sub}" in keys, (table.spec.name, name, sub)


def test_csv_is_excel_friendly_and_flat(dataset):
    files = opendata.download_files(dataset)
    raw = files["opendata/tasks.csv"]
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM for Excel/WPS"
    assert b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0]["action"] == "a01" and rows[0]["id"] == "a01-t1"
    assert rows[0]["deadline"]  # the deadline as the plan words it
    cases = list(csv.DictReader(io.StringIO(files["opendata/cases.csv"].decode("utf-8-sig"))))
    exposed = next(r for r in cases if r["kind"] == "问题曝光")
    assert exposed["rectification.status"] in ("已整改", "整改中", "未整改")
    leadership = list(csv.DictReader(io.StringIO(files["opendata/leadership.csv"].decode("utf-8-sig"))))
    assert "夏志文，副县长" in leadership[0]["deputies"] and opendata.LIST_SEPARATOR in leadership[0]["deputies"]
    for path, content in files.items():
        if path.endswith(".csv"):
            text = content.decode("utf-8-sig")
            header = next(csv.reader(io.StringIO(text)))
            assert all(len(r) == len(header) for r in csv.reader(io.StringIO(text))), path


def test_json_records_match_their_schema(dataset):
    files = opendata.download_files(dataset)
    for table in opendata.all_tables(dataset):
        name = table.spec.name
        doc = json.loads(files[f"opendata/{name}.json"])
        schema = json.loads(files[f"opendata/schemas/{name}.schema.json"])
        jsonschema.Draft202012Validator.check_schema(schema)
        assert doc["count"] == len(doc["records"]) and doc["as_of"] == "2018-09-30"
        assert doc["derived"] is table.spec.derived
        for record in doc["records"]:
            jsonschema.validate(record, schema)
            assert set(record) == set(schema["properties"]), name  # every column, no stray key
        assert schema["properties"], name
        # Chinese titles travel from the models into the schema.
        assert all("title" in p or "$ref" in p for p in schema["properties"].values()), name


def test_derived_facts_are_marked_and_dated(dataset):
    files = opendata.download_files(dataset)
    status = json.loads(files["opendata/task_status.json"])
    assert status["derived"] is True and status["as_of"] == "2018-09-30"
    by_task = {r["task"]: r for r in status["records"]}
    # a01-t1 reached 100 % in the sample reports: done; every row says which day it holds for.
    assert by_task["a01-t1"]["status"] == "已完成"
    assert all(r["as_of"] == "2018-09-30" for r in status["records"])
    progress = {r["action"]: r for r in json.loads(files["opendata/action_progress.json"])["records"]}
    assert 0 <= progress["a01"]["weighted_percent"] <= 100
    # The default data leaves a07's August report out on purpose: it shows as 缺报.
    assert "2018-08" in progress["a07"]["missing_months"]
    manifest = json.loads(files["opendata/manifest.json"])
    derived = {e["table"] for e in manifest["files"] if e["derived"]}
    assert derived == {"task_status", "action_progress"}


def test_manifest_lists_every_file_with_hash(built_site: Path):
    folder = built_site / "opendata"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["as_of"] == "2018-09-30"
    listed = {e["path"] for e in manifest["files"]}
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*")
               if p.is_file() and p.name not in ("manifest.json", "index.html")}
    assert listed == on_disk
    for entry in manifest["files"]:
        content = (folder / entry["path"]).read_bytes()
        assert entry["bytes"] == len(content)
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
        if entry["format"] in ("json", "csv"):
            assert isinstance(entry["records"], int)
    units = next(e for e in manifest["files"] if e["path"] == "units.json")
    assert units["records"] == len(json.loads((folder / "units.json").read_text(encoding="utf-8"))["records"]) > 10


def test_every_field_is_documented_on_the_open_data_page(built_site: Path, dataset):
    """Like Datasette's test_docs: a column nobody explains is a bug."""
    index = html.unescape((built_site / "opendata" / "index.html").read_text(encoding="utf-8"))
    pages = [index]
    for table in opendata.all_tables(dataset):
        assert f'href="tables/{table.spec.name}/"' in index, table.spec.name
        section = html.unescape((built_site / "opendata/tables" / table.spec.name / "index.html").read_text(encoding="utf-8"))
        section = re.sub(r'<span class="nowrap">([^<]*)</span>', r"\1", section)  # dates kept whole
        pages.append(section)
        for file in (f"{table.spec.name}.json", f"{table.spec.name}.csv", f"schemas/{table.spec.name}.schema.json"):
            assert f'href="../../{file}"' in section, file
        for column in table.columns:
            # Cells may carry their column's name (data-label, for the card layout on phones).
            row = re.search(r"<tr>\s*<td(?: data-label=\"[^\"]*\")?><code>" + re.escape(column.key) + r"</code></td>(.*?)</tr>",
                            section, re.S)
            assert row, f"{table.spec.name}.{column.key} is not documented"
            assert column.title in row.group(1), (table.spec.name, column.key)
            if column.description:
                assert column.description in row.group(1), (table.spec.name, column.key)
    # Every model field title reaches the pages (one source of truth: models.py).
    page = "".join(pages)
    for model in record_models():
        if model is m.ProofreadAllow:
            continue
        for name, info in model.model_fields.items():
            if name in opendata.EDITORIAL_FIELDS:
                continue
            assert info.title and info.title in page, f"{model.__name__}.{name}"


def test_open_data_page_is_in_nav_and_linked(built_site: Path):
    index = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="opendata/"' in index


def test_csv_cells_cannot_run_as_formulas(dataset):
    case = dataset.cases[0]
    original = case.summary
    try:
        case.summary = "=HYPERLINK(\"http://evil.example\",\"点我\")"
        # Tables made afresh: the build's (tables_of) are computed once per dataset.
        files = opendata.download_files(dataset, tables=opendata.all_tables(dataset))
    finally:
        case.summary = original
    rows = list(csv.DictReader(io.StringIO(files["opendata/cases.csv"].decode("utf-8-sig"))))
    assert rows[0]["summary"].startswith("'=HYPERLINK")
    assert json.loads(files["opendata/cases.json"])["records"][0]["summary"].startswith("=HYPERLINK")
