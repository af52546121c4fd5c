"""Open data: every record type as JSON and CSV, its JSON Schema, and a manifest.

One table per record type. Lists of records inside a record (an action's tasks, a report's
task progress ...) become tables of their own that carry the key of the enclosing record,
so every CSV is flat. Column names, titles and descriptions come from the record models
(models.py Field(title=, description=)): the open-data page, the CSV columns and the
schemas cannot drift apart.

`download_files` returns {path under the site: bytes}; the adapter hands them to MkDocs.
Nothing here reads the clock: the data date (as_of) is the only date, so the bytes depend
on the data alone.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import types
import typing
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Union

from pydantic import BaseModel, Field

from campaign.records import models as m
from campaign.rules import schedule
from campaign.records.dates import Deadline, Month
from campaign.records.loading import Dataset
from campaign.exports.schemas import json_schema

FOLDER = "opendata"
LIST_SEPARATOR = "；"   # between items of a list in one CSV cell
PART_SEPARATOR = "，"   # between the fields of one item (e.g. 姓名，职务)


@dataclass(frozen=True)
class Parent:
    """A key column copied from the enclosing record into a split-out table."""

    column: str
    table: str
    model: type[BaseModel]
    field: str


@dataclass(frozen=True)
class TableSpec:
    name: str                       # file stem: opendata/<name>.json / .csv
    title: str
    description: str
    model: type[BaseModel]
    split: tuple[str, ...] = ()     # list fields exported as tables of their own
    parents: tuple[Parent, ...] = ()
    derived: bool = False


@dataclass(frozen=True)
class Column:
    key: str          # CSV header and JSON key path (nested: rectification.status)
    title: str
    description: str
    kind: str         # reader-facing type, e.g. 日期（年-月-日）


@dataclass
class Table:
    spec: TableSpec
    records: list[dict[str, Any]]   # JSON-ready, parent keys first

    @property
    def columns(self) -> list[Column]:
        return table_columns(self.spec)


_ACTION = Parent("action", "actions", m.Action, "id")

SPECS: list[TableSpec] = [
    TableSpec("units", "责任单位", "方案涉及的各单位。", m.Unit),
    TableSpec("leadership", "领导小组", "专项督查领导小组及其办公室（方案原文）。", m.Leadership),
    TableSpec("plan", "督查方案", "督查方案的名称、目的、目标和组织保障；措施和督查方式见下两表。", m.Plan,
              split=("measures", "methods")),
    TableSpec("measures", "方案工作措施", "方案中的每项工作措施及其时限、责任单位。", m.Measure),
    TableSpec("methods", "督查方式", "方案规定的五种督查方式。", m.SupervisionMethod),
    TableSpec("actions", "专项行动", "十二大专项行动；任务见 tasks 表。", m.Action, split=("tasks",)),
    TableSpec("tasks", "专项行动任务", "每个专项行动的任务、时限和权重；时限调整见 task_deadline_changes 表。", m.Task,
              parents=(_ACTION,), split=("deadline_changes",)),
    TableSpec("task_deadline_changes", "任务时限调整记录", "公开后调整完成时限的记录：调整日期、原时限和说明。", m.DeadlineChange,
              parents=(Parent("task", "tasks", m.Task, "id"),)),
    TableSpec("reports", "月度进展报告", "各专项行动每月报送的进展；任务进度见 report_tasks 表，更正见 report_corrections 表。",
              m.Report, split=("tasks", "corrections")),
    TableSpec("report_corrections", "月度报告的更正记录", "报送后更正已公开进度的记录：更正日期、任务、原进度和说明。", m.Correction,
              parents=(Parent("action", "reports", m.Report, "action"), Parent("month", "reports", m.Report, "month"))),
    TableSpec("report_tasks", "月度报告中的任务进度", "每份月度报告中各任务的完成进度。", m.TaskProgress,
              parents=(Parent("action", "reports", m.Report, "action"),
                       Parent("month", "reports", m.Report, "month"))),
    TableSpec("cases", "典型案例", "先进经验和问题曝光案例。", m.Case),
    TableSpec("policies", "政策文件与解读", "政策文件及解读的政务公开信息（不含正文）。", m.PolicyDoc),
    TableSpec("publicity_weeks", "政策宣传周", "政策宣传周活动；每日日程见 publicity_events 表。", m.PublicityWeek,
              split=("events",)),
    TableSpec("publicity_events", "政策宣传周日程", "政策宣传周每天的活动和报道。", m.PublicityEvent,
              parents=(Parent("week", "publicity_weeks", m.PublicityWeek, "year"),)),
    TableSpec("surveys", "满意度测评", "县统计局每季度的营商环境满意度测评；分项得分见 survey_dimensions 表。", m.Survey,
              split=("dimensions",)),
    TableSpec("survey_dimensions", "满意度测评分项得分", "每次测评各维度的得分。", m.SurveyDimension,
              parents=(Parent("quarter", "surveys", m.Survey, "quarter"), Parent("unit", "surveys", m.Survey, "unit"))),
    TableSpec("cleanup", "规范性文件清理", "规范性文件清理结果清单。", m.CleanupEntry),
    TableSpec("schedule_settings", "统计口径设置", "月报截止日、滞后阈值、临期天数及其依据（data/site.yml 的 schedule）。", m.ScheduleSettings),
    TableSpec("bulletins", "月度通报印发记录", "每期月度通报的印发日期、期号、印发单位和按语。", m.Bulletin),
]


def record_tables(d: Dataset) -> list[Table]:
    """The editors' records, one table per record type, in a fixed order."""
    items: dict[str, list[tuple[tuple, BaseModel]]] = {
        "units": [((), u) for u in d.unit_list],
        "leadership": [((), d.leadership)],
        "plan": [((), d.plan)],
        "measures": [((), x) for x in d.plan.measures],
        "methods": [((), x) for x in d.plan.methods],
        "actions": [((), a) for a in d.action_list],
        "tasks": [((a.id,), t) for a in d.action_list for t in a.tasks],
        "task_deadline_changes": [((t.id,), c) for a in d.action_list for t in a.tasks for c in t.deadline_changes],
        "reports": [((), r) for r in d.reports],
        "report_tasks": [((r.action, r.month), t) for r in d.reports for t in r.tasks],
        "report_corrections": [((r.action, r.month), c) for r in d.reports for c in r.corrections],
        "cases": [((), c) for c in d.cases],
        "policies": [((), p.doc) for p in d.policies],
        "publicity_weeks": [((), w) for w in d.publicity_weeks],
        "publicity_events": [((w.year,), e) for w in d.publicity_weeks for e in sorted(w.events, key=lambda e: e.date)],
        "surveys": [((), s) for s in d.surveys],
        "survey_dimensions": [((s.quarter, s.unit), x) for s in d.surveys for x in s.dimensions],
        "cleanup": [((), e) for e in d.cleanup],
        "schedule_settings": [((), d.site.schedule)],
        "bulletins": [((), b) for b in d.bulletins if b.issued <= d.as_of],
    }
    return [Table(spec, [_record(spec, keys, rec) for keys, rec in items[spec.name]]) for spec in SPECS]


# Editorial fields (reviewed proofreading exceptions) are about the text, not open data.
EDITORIAL_FIELDS = frozenset({"proofread_allow"})


def _record(spec: TableSpec, keys: tuple, record: BaseModel) -> dict[str, Any]:
    row = {parent.column: key for parent, key in zip(spec.parents, keys)}
    row.update(record.model_dump(mode="json", exclude=set(spec.split) | EDITORIAL_FIELDS))
    return row


# --- Derived facts ---------------------------------------------------------------------------
# Computed by the schedule (hooks/campaign/schedule.py), never typed: the same statuses,
# roll-ups and 缺报 the pages show, exported with the date they hold for.

TASK_STATUSES = schedule.TASK_STATUSES


class TaskFact(BaseModel):
    action: str = Field(title="行动编号")
    task: str = Field(title="任务编号")
    due: date = Field(title="完成时限对应日期", description="把方案写法（如“2018年7月中旬前”）按统计口径折算成的日期")
    latest_percent: float | None = Field(title="最新进度（%）", description="数据截至日期前最近一次报送的进度；从未报送为空")
    latest_month: str | None = Field(title="最新进度所属月份", description="最新进度出自哪个月的报告（年-月）")
    expected_percent: float = Field(title="序时进度（%）", description="已过天数 ÷ 计划天数 × 100，保留一位小数")
    status: Literal[TASK_STATUSES] = Field(  # type: ignore[valid-type]
        title="任务状态", description="按数据截至日期计算，规则见“统计口径”页：" + "、".join(TASK_STATUSES))
    completed_late: bool = Field(title="逾期完成", description="已完成，但完成时限所在月份或之后的报告仍不足 100%")
    period_end: date = Field(title="统计时点", description="状态和序时进度按这一天计算：数据截至日期已到报送截止日的最近一个月份的最后一天")
    as_of: date = Field(title="数据截至日期", description="本行数值按这一天已报送的报告计算")
    sample: bool = Field(title="示例数据", description="由示例专项行动或示例进展报告计算得出时为 true")


class ActionFact(BaseModel):
    action: str = Field(title="行动编号")
    status: Literal[TASK_STATUSES] = Field(  # type: ignore[valid-type]
        title="行动状态", description="由各任务状态汇总，规则见“统计口径”页")
    weighted_percent: float = Field(title="加权进度（%）", description="各任务最新进度按权重加权平均，保留一位小数；未报送的任务按 0 计")
    expected_percent: float = Field(title="序时进度（%）", description="各任务序时进度按权重加权平均，保留一位小数")
    reported_months: list[str] = Field(title="已报送月份", description="数据截至日期前已报送月度进展的月份（年-月）")
    missing_months: list[str] = Field(title="缺报月份", description="报送期限（次月几日见 site.yml 的 schedule.report_due_day）已过而没有报告的月份")
    late_months: list[str] = Field(title="迟报月份", description="报告晚于报送期限的月份")
    period_end: date = Field(title="统计时点", description="状态和序时进度按这一天计算")
    as_of: date = Field(title="数据截至日期", description="本行数值按这一天已报送的报告计算")
    sample: bool = Field(title="示例数据", description="由示例专项行动或示例进展报告计算得出时为 true")


DERIVED_SPECS = [
    TableSpec("task_status", "任务状态（计算所得）", "每个任务截至数据日期的最新进度和状态，由月度报告计算得出，不是人工填写。",
              TaskFact, derived=True),
    TableSpec("action_progress", "行动进度与缺报（计算所得）", "每个专项行动截至数据日期的加权进度、状态、缺报和迟报月份，由任务和月度报告计算得出。",
              ActionFact, derived=True),
]


def derived_tables(d: Dataset) -> list[Table]:
    """Facts computed from the records as of d.as_of, marked derived in every export."""
    derived = schedule.derive_once(d)
    reported: dict[str, set[str]] = {a: set() for a in d.actions}
    for report in d.reports:
        if report.submitted <= d.as_of:
            reported[report.action].add(report.month)
    # Plain dicts in the models' field order: the models define the columns and schemas,
    # and validating thousands of facts we computed ourselves would only cost time.
    as_of = d.as_of.isoformat()
    sample = {a.id: a.sample or any(r.sample for r in d.reports_by_action.get(a.id, [])) for a in d.action_list}
    tasks = [{"action": t.action_id, "task": t.task_id, "due": t.due.isoformat(), "latest_percent": t.percent,
              "latest_month": t.report_month, "expected_percent": round(t.expected, 1), "status": t.status,
              "completed_late": t.completed_late, "period_end": t.period_end.isoformat(), "as_of": as_of,
              "sample": sample[t.action_id]}
             for a in derived.actions.values() for t in a.tasks]
    actions = [{"action": a.action_id, "status": a.status, "weighted_percent": round(a.progress, 1),
                "expected_percent": round(a.expected, 1), "reported_months": sorted(reported[a.action_id]),
                "missing_months": [x.month for x in a.missing], "late_months": [x.month for x in a.late],
                "period_end": a.period_end.isoformat(), "as_of": as_of, "sample": sample[a.action_id]}
               for a in derived.actions.values()]
    return [Table(DERIVED_SPECS[0], tasks), Table(DERIVED_SPECS[1], actions)]


# --- Columns and schemas ---------------------------------------------------------------------


def _strip_optional(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _strip_optional(args[0])
    if typing.get_origin(annotation) is typing.Annotated:
        return _strip_optional(typing.get_args(annotation)[0])
    return annotation


def _kind(annotation: Any) -> str:
    """What a reader finds in the column, in words."""
    inner = _strip_optional(annotation)
    origin = typing.get_origin(inner)
    if origin is list:
        item = _strip_optional(typing.get_args(inner)[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            parts = "、".join(f"{info.title}（{name}）" for name, info in item.model_fields.items())
            return f"列表：每项含{parts}；CSV 中各字段以“{PART_SEPARATOR}”分隔，各项以“{LIST_SEPARATOR}”分隔"
        return f"列表（CSV 中以“{LIST_SEPARATOR}”分隔）"
    if origin is Literal:
        return "取值之一：" + "、".join(str(v) for v in typing.get_args(inner))
    if inner is bool:
        return "是否（true 或 false）"
    if inner is int:
        return "整数"
    if inner is float:
        return "数字"
    if inner is date:
        return "日期（年-月-日）"
    if inner is Deadline:
        return "文本（方案写法的期限，如“2018年6月底前”）"
    return "文本"


SLUG_PATTERN = m.SLUG_PATTERN


def _kind_of(info: Any) -> str:
    """_kind, plus the format and an example where the model gives them."""
    if any(getattr(v, "func", None) is m._to_month for v in info.metadata):
        return "年月（年-月，如 2018-06）"
    kind = _kind(info.annotation)
    if kind == "文本" and any(getattr(v, "pattern", None) == SLUG_PATTERN for v in info.metadata):
        return "编号（小写字母、数字和连字符）"
    examples = (info.json_schema_extra or {}).get("examples") if isinstance(info.json_schema_extra, dict) else None
    if examples and kind == "文本":
        kind += "，如" + "、".join(f"“{e}”" for e in examples[:2])
    return kind


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    inner = _strip_optional(annotation)
    return inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None


def table_columns(spec: TableSpec) -> list[Column]:
    """The flat columns of a table, documented from the models."""
    columns = []
    for parent in spec.parents:
        info = parent.model.model_fields[parent.field]
        columns.append(Column(parent.column, info.title or parent.column,
                              f"所属记录的{info.title}（对应 {parent.table} 表的 {parent.field}）", _kind_of(info)))
    columns.extend(_model_columns(spec.model, "", "", set(spec.split) | EDITORIAL_FIELDS))
    return columns


def _model_columns(model: type[BaseModel], prefix: str, title_prefix: str, skip: set[str]) -> list[Column]:
    columns = []
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        title = f"{title_prefix}{info.title or name}"
        nested = _nested_model(info.annotation)
        if nested is not None:
            columns.extend(_model_columns(nested, f"{prefix}{name}.", f"{title}·", set()))
            continue
        columns.append(Column(f"{prefix}{name}", title, info.description or "", _kind_of(info)))
    return columns


def table_schema(spec: TableSpec) -> dict[str, Any]:
    """JSON Schema of one exported record: the model's, less split-out lists, plus parent keys."""
    schema = json_schema(spec.model, mode="serialization")
    properties = {}
    for parent in spec.parents:
        key_schema = dict(json_schema(parent.model, mode="serialization")["properties"][parent.field])
        key_schema["description"] = f"所属记录的{key_schema.get('title', parent.field)}（对应 {parent.table} 表的 {parent.field}）"
        properties[parent.column] = key_schema
    for name, prop in schema.get("properties", {}).items():
        if name not in spec.split and name not in EDITORIAL_FIELDS:
            properties[name] = prop
    schema.get("$defs", {}).pop("ProofreadAllow", None)
    if "$defs" in schema and not schema["$defs"]:
        del schema["$defs"]
    schema["properties"] = properties
    required = [p.column for p in spec.parents] + [r for r in schema.get("required", []) if r not in spec.split]
    schema["required"] = required
    schema["title"] = f"{spec.title}（{spec.name}）的一条记录"
    schema["description"] = spec.description
    return schema


# --- Files -----------------------------------------------------------------------------------


# Text starting like a formula would run as one in Excel/WPS (CSV injection); such text
# gets a leading apostrophe in the CSV only. The JSON keeps the value as entered.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if type(value) is str:  # most cells: _plain would return it as it is
        return "'" + value if value.startswith(FORMULA_START) else value
    text = _plain(value)
    is_number = isinstance(value, (int, float))
    return "'" + text if not is_number and text.startswith(FORMULA_START) else text


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict):
        return PART_SEPARATOR.join(_plain(v) for v in value.values() if v not in (None, "", []))
    if isinstance(value, list):
        return LIST_SEPARATOR.join(_plain(v) for v in value)
    return str(value)


def _lookup_path(record: dict[str, Any], parts: list[str]) -> Any:
    value: Any = record
    for part in parts:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _none(_key: str) -> None:
    return None


def to_csv(table: Table) -> bytes:
    """UTF-8 with BOM and CRLF rows, so Excel and WPS open Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns = table.columns
    writer.writerow([c.key for c in columns])
    # A column's key ("a.b" reads a nested field) split once per table, not once per cell.
    flat = [c.key for c in columns if "." not in c.key]
    if len(flat) == len(columns):
        for record in table.records:
            get = record.get if isinstance(record, dict) else _none
            writer.writerow([_cell(get(key)) for key in flat])
    else:
        paths = [c.key.split(".") for c in columns]
        for record in table.records:
            writer.writerow([_cell(_lookup_path(record, path)) for path in paths])
    return buffer.getvalue().encode("utf-8-sig")


def _json_bytes(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def to_json(table: Table, as_of: date) -> bytes:
    """The table's header fields indented, then one record per line: readable and diffable,
    and written by json's C encoder (indent= falls back to the pure-Python one, which
    was most of the open-data time at province scale)."""
    head = json.dumps({
        "table": table.spec.name,
        "title": table.spec.title,
        "derived": table.spec.derived,
        "as_of": as_of.isoformat(),
        "schema": f"schemas/{table.spec.name}.schema.json",
        "count": len(table.records),
    }, ensure_ascii=False, indent=2)
    rows = ",\n".join("    " + json.dumps(r, ensure_ascii=False) for r in table.records)
    records = f'"records": [\n{rows}\n  ]' if rows else '"records": []'
    return (head[:-2] + f",\n  {records}\n}}\n").encode("utf-8")


def all_tables(d: Dataset) -> list[Table]:
    return record_tables(d) + derived_tables(d)


def tables_of(d: Dataset) -> list[Table]:
    """all_tables() once per build: the open-data pages and files show the same tables."""
    return d.once("opendata.tables", lambda: all_tables(d))


def _document_title(path: str) -> str:
    """bulletins/2018-08.docx → 2018年8月专项行动进展通报（Word）; reports/2018.docx → 2018年年终专项督查报告（Word）."""
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if path.startswith("bulletins/"):
        return f"{Month.parse(stem).zh}专项行动进展通报（Word）"
    return f"{stem}年年终专项督查报告（Word）"


def download_files(d: Dataset, version: str | None = None, tables: list[Table] | None = None,
                   documents: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """Every open-data file by its path under the site, manifest included (from `tables`,
    by default the tables the open-data pages show, computed once per build). `documents` ({path under the site: bytes}, the
    bulletins and reports as .docx) are listed in the manifest under "documents", with
    paths relative to the manifest like the files."""
    files: dict[str, bytes] = {}
    entries = []
    for table in tables_of(d) if tables is None else tables:
        name = table.spec.name
        outputs = {
            f"{name}.json": ("json", to_json(table, d.as_of), len(table.records)),
            f"{name}.csv": ("csv", to_csv(table), len(table.records)),
            f"schemas/{name}.schema.json": ("schema", _json_bytes(table_schema(table.spec)), None),
        }
        for path, (kind, content, count) in outputs.items():
            files[f"{FOLDER}/{path}"] = content
            entries.append({
                "path": path, "table": name, "title": table.spec.title, "format": kind,
                "derived": table.spec.derived, "records": count, "as_of": d.as_of.isoformat(),
                "bytes": len(content), "sha256": hashlib.sha256(content).hexdigest(),
            })
    manifest = {
        "title": f"{d.site.column_name} 开放数据清单",
        "as_of": d.as_of.isoformat(),
        "version": version,
        "files": sorted(entries, key=lambda e: e["path"]),
    }
    if documents:
        manifest["documents"] = [
            {"path": f"../{path}", "format": "docx", "title": _document_title(path), "as_of": d.as_of.isoformat(),
             "bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}
            for path, content in sorted(documents.items())]
    files[f"{FOLDER}/manifest.json"] = _json_bytes(manifest)
    return dict(sorted(files.items()))
