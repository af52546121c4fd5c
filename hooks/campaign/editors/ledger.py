"""The monthly progress ledger (台账): a spreadsheet of task progress turned into reports.

One row per task of an action in a month. Report-level columns (报送日期, 进展情况 …) are
filled once per report, on any of its rows, so merged cells work; empty 行动编号 and
报送月份 continue the report of the row above. Every generated report is validated with
the same model and cross-checks as the build, in memory, before anything is written.
"""
from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from campaign.records import models as m
from campaign.records.dates import Month
from campaign.records.fielddocs import field_docs
from campaign.check import check_project
from campaign.records.loading import Dataset, Located
from campaign.records.messages import explain
from campaign.records.problems import ColumnError, Problems
from campaign.editors.scaffold import INTRO, yaml_file
from campaign.records.yamlsource import Source, parse_yaml

SHEET = "台账"
HELP_SHEET = "说明"


@dataclass(frozen=True)
class Column:
    key: str  # field name in Report or TaskProgress; "" for reference-only columns
    header: str
    per_report: bool
    required: bool


def _title(model, name: str) -> str:
    return model.model_fields[name].title


# Headers come from the model titles, so the template follows the models.
COLUMNS = [
    Column("action", _title(m.Report, "action"), True, True),
    Column("month", _title(m.Report, "month"), True, True),
    Column("submitted", _title(m.Report, "submitted"), True, True),
    Column("task", _title(m.TaskProgress, "task"), False, True),
    Column("", "任务名称（仅供核对，不导入）", False, False),
    Column("percent", _title(m.TaskProgress, "percent"), False, True),
    Column("note", "任务" + _title(m.TaskProgress, "note"), False, False),
    Column("progress", _title(m.Report, "progress"), True, True),
    Column("problems", _title(m.Report, "problems"), True, False),
    Column("next_steps", _title(m.Report, "next_steps"), True, False),
]
BY_HEADER = {c.header: c for c in COLUMNS}
REPORT_TEXT = ("progress", "problems", "next_steps")


def letter(index: int) -> str:
    """Spreadsheet column letter of a 0-based index: 0 → A, 26 → AA."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(65 + rest) + text
    return text


# --- Reading ------------------------------------------------------------------------------------


@dataclass
class Table:
    name: str  # how messages name it: 'ledger.xlsx 工作表「台账」' or 'ledger.csv'
    rows: list[tuple[int, list[Any]]]  # (row number as the editor sees it, cells); empty rows left out
    sheet: str | None = None  # the worksheet read, for the success message (None for CSV)


class LedgerError(ColumnError):
    def __init__(self, problems: Problems):
        self.problems = problems
        super().__init__(problems.render())


# The header is looked for in the first rows; cells right of the last header are not read.
HEADER_ROWS = 10
MAX_COLUMNS = 200


def read_table(path: Path, sheet: str | None = None) -> Table:
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path, sheet)
    problems = Problems()
    if path.suffix.lower() == ".csv":
        if sheet:
            problems.add(path.name, None, "", f"CSV 文件没有工作表，不能用 --sheet「{sheet}」；请去掉 --sheet，或导入 .xlsx 文件。")
            raise LedgerError(problems)
        return _read_csv(path)
    problems.add(path.name, None, "", "只能导入 .xlsx 或 .csv 文件（.xls 请先在 Excel/WPS 中另存为 .xlsx）。")
    raise LedgerError(problems)


def _read_xlsx(path: Path, wanted: str | None = None) -> Table:
    """The ledger sheet of a workbook, read as a stream (read-only mode): only rows that the
    file holds are parsed, and only as many columns as the header has, so a stray formatted
    cell at XFD1048576 costs nothing."""
    import openpyxl  # imported here: only the ledger commands need it

    problems = Problems()
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or mislabelled file
        problems.add(path.name, None, "", "无法打开这个 .xlsx 文件：文件可能已损坏，或并非 Excel 文件。请用 Excel/WPS 重新另存为 .xlsx。")
        raise LedgerError(problems) from None
    try:
        names = book.sheetnames
        name = wanted or SHEET
        listed = "、".join(f"「{n}」" for n in names)
        if name not in names:
            if wanted:
                message = f"工作簿中没有名为「{wanted}」的工作表（--sheet 指定的）。现有工作表：{listed}。"
            else:
                message = (f"工作簿中没有名为「{SHEET}」的工作表（现有工作表：{listed}）。请把要导入的工作表改名为「{SHEET}」，"
                           f"或用 --sheet 指定工作表名，如 ./column import {path.name} --sheet {names[0]}。")
            problems.add(path.name, None, "", message)
            raise LedgerError(problems)
        sheet = book[name]
        if not hasattr(sheet, "iter_rows"):  # a chart sheet
            problems.add(path.name, None, "", f"工作表「{name}」是图表，不是表格，不能导入。")
            raise LedgerError(problems)
        try:
            sheet.reset_dimensions()  # the stored extent may claim A1:XFD1048576: do not trust it
            rows = _sheet_rows(sheet)
        except LedgerError:
            raise
        except Exception:
            problems.add(path.name, None, "", f"无法读取工作表「{name}」：文件可能已损坏。请用 Excel/WPS 重新另存为 .xlsx。")
            raise LedgerError(problems) from None
    finally:
        book.close()
    return Table(f"{path.name} 工作表「{name}」", rows, name)


def _sheet_rows(sheet) -> list[tuple[int, list[Any]]]:
    width = 0
    for cells in sheet.iter_rows(min_row=1, max_row=HEADER_ROWS):
        filled = [index for index, cell in enumerate(cells[:MAX_COLUMNS], 1) if cell.value not in (None, "")]
        width = max([width, *filled])
    if width == 0:
        return []
    rows = []
    gap = None  # openpyxl fills rows missing from the file with one shared empty tuple
    for number, cells in enumerate(sheet.iter_rows(min_row=1, max_col=width), 1):
        if cells is gap:
            continue
        if any(cell.value not in (None, "") for cell in cells):
            rows.append((number, [_percent_cell(cell) for cell in cells]))
        else:
            gap = cells
    return rows


def _percent_cell(cell) -> Any:
    """A cell formatted as a percentage holds 0.85 for 85%: the ledger wants 85."""
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (getattr(cell, "number_format", "") or ""):
        return round(value * 100, 6)
    return value


def _read_csv(path: Path) -> Table:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves CSV as GBK
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        problems = Problems()
        problems.add(path.name, None, "", "无法识别这个 CSV 文件的编码。请在 Excel/WPS 中另存为“CSV UTF-8（逗号分隔）”。")
        raise LedgerError(problems)
    rows = [(number, list(values)) for number, values in enumerate(csv.reader(io.StringIO(text)), 1)
            if any(v.strip() for v in values)]
    return Table(path.name, rows)


# --- From rows to reports -------------------------------------------------------------------------


@dataclass
class _Group:
    first_row: int
    raw: dict[str, Any] = field(default_factory=dict)
    lines: dict[tuple, int] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class ImportedReport:
    report: m.Report
    path: str  # data/reports/<month>/<action>.yml
    rows: tuple[int, int]


def parse(table: Table, dataset: Dataset) -> list[ImportedReport]:
    """Reports from a ledger table, validated alone and against the dataset; or LedgerError."""
    problems = Problems()

    def add(row: int | None, column: int | None, message: str) -> None:
        where = "" if column is None else f"「{headers[column]}」列（{letter(column)} 列）："
        problems.add(table.name, row, "", where + message)

    header_at = next((i for i, (_, cells) in enumerate(table.rows[:10])
                      if _text(cells) and {"行动编号", "任务编号"} <= set(_text(cells))), None)
    if header_at is None:
        expected = "、".join(c.header for c in COLUMNS)
        problems.add(table.name, None, "", f"找不到表头行（应有这些列：{expected}）。请用 ./column export-template 导出的模板填写。")
        raise LedgerError(problems)
    header_row, header_cells = table.rows[header_at]
    headers = [str(h).strip() if h is not None else "" for h in header_cells]
    position: dict[str, int] = {}
    for index, header in enumerate(headers):
        if not header:
            continue
        column = BY_HEADER.get(header)
        if column is None:
            allowed = "、".join(c.header for c in COLUMNS)
            problems.add(table.name, header_row, "", f"{letter(index)} 列：不认识列名「{header}」。可用的列名：{allowed}。")
        elif column.key:
            position[column.key] = index
    for column in COLUMNS:
        if column.required and column.key not in position:
            problems.add(table.name, header_row, "", f"缺少「{column.header}」列，请从模板复制表头。")
    if problems:
        raise LedgerError(problems)
    column_of = dict(position)

    groups: dict[tuple[str, str], _Group] = {}
    current: _Group | None = None
    for row, cells in table.rows[header_at + 1:]:
        values = {key: _cell(cells, index, key) for key, index in position.items()}
        if all(v in ("", None) for v in values.values()):
            continue
        action, month = values.get("action", ""), values.get("month", "")
        if not action and not month:
            if current is None:
                add(row, column_of["action"], "第一条数据的行动编号和报送月份不能为空（为空表示“同上一行”）。")
                continue
            group = current
        elif not action or not month:
            missing = "action" if not action else "month"
            add(row, column_of[missing], "行动编号和报送月份要么都填，要么都空着（都空表示“同上一行”）。")
            continue
        else:
            group = groups.setdefault((str(action), str(month)), _Group(row))
            group.raw.setdefault("action", action)
            group.raw.setdefault("month", month)
            group.lines.setdefault((), row)
            group.lines.setdefault(("action",), row)
            group.lines.setdefault(("month",), row)
        current = group
        group.rows.append(row)
        for key in ("submitted",) + REPORT_TEXT:
            value = values.get(key, "")
            if value in ("", None):
                continue
            if key in group.raw and group.raw[key] != value:
                first = group.lines[(key,)]
                add(row, column_of[key], f"与第 {first} 行填写的不一致。同一份报告的这一列只填一次，或每行填得完全相同。")
                continue
            group.raw[key] = value
            group.lines.setdefault((key,), row)
        tasks = group.raw.setdefault("tasks", [])
        index = len(tasks)
        item = {"task": values.get("task", "")}
        if values.get("percent", "") not in ("", None):
            item["percent"] = values["percent"]
        if values.get("note"):
            item["note"] = values["note"]
        tasks.append(item)
        for key in ("", "task", "percent", "note"):
            group.lines[("tasks", index) + ((key,) if key else ())] = row
    if not groups and not problems:
        problems.add(table.name, None, "", "台账里没有数据行：请在表头下面每个任务填一行。")
    for group in groups.values():
        for key in REPORT_TEXT[1:]:
            group.raw.setdefault(key, "")
        group.raw.setdefault("progress", "")

    imported: list[ImportedReport] = []
    where: dict[int, Located] = {}
    for group in groups.values():
        source = Source(table.name, group.raw, group.lines)
        try:
            report = m.Report.model_validate(group.raw)
        except ValidationError as err:
            for detail in err.errors(include_url=False):
                loc, message = explain(detail, m.Report)
                key = next((p for p in reversed(loc) if isinstance(p, str) and p in column_of), None)
                add(source.line_of(loc), column_of.get(key), message)
            continue
        where[id(report)] = Located(source)
        for index, item in enumerate(report.tasks):
            where[id(item)] = Located(source, ("tasks", index))
        imported.append(ImportedReport(report, f"data/reports/{report.month}/{report.action}.yml",
                                       (min(group.rows), max(group.rows))))
    # Cross-check the reports that are valid alone too, so one run reports everything.
    _cross_check(dataset, imported, where, table.name, column_of, add)
    if problems:
        raise LedgerError(problems)
    return imported


def _cross_check(dataset: Dataset, imported: list[ImportedReport], where: dict, name: str, column_of: dict,
                 add) -> None:
    """The build's cross-checks on the dataset with the ledger's reports in place."""
    from campaign.records.validation import check_references

    keys = {(i.report.action, i.report.month) for i in imported}
    kept = [r for r in dataset.reports if (r.action, r.month) not in keys]
    combined = replace(dataset, reports=sorted(kept + [i.report for i in imported], key=lambda r: (r.action, r.month)),
                       where={**dataset.where, **where})
    found = Problems()
    check_references(combined, found)
    for problem in found.items:
        if problem.file == name:  # the rest of the data was valid before the import
            add(problem.line, column_of.get(problem.field), problem.message)


# --- Writing reports --------------------------------------------------------------------------------


def report_text(item: ImportedReport, ledger_name: str) -> str:
    r = item.report
    values = {
        "action": r.action,
        "month": r.month,
        "submitted": r.submitted,
        "tasks": [{k: v for k, v in {"task": t.task, "percent": t.percent, "note": t.note}.items() if v != ""}
                  for t in r.tasks],
        "progress": r.progress,
        "problems": r.problems,
        "next_steps": r.next_steps,
    }
    first, last = item.rows
    rows = f"第 {first} 行" if first == last else f"第 {first}–{last} 行"
    intro = [f"由台账 {ledger_name} {rows}导入；以后修改请改台账后重新导入，或直接改本文件。", *INTRO[:1]]
    return yaml_file(item.path, "report", intro, m.Report, values).text


def write_reports(root: Path, items: list[ImportedReport], ledger_name: str, replace_existing: bool,
                  as_of_override: str | None = None, dataset: Dataset | None = None) -> tuple[list[str], list[str]]:
    """Write every report, then reload all data; on any problem restore the files as they were.

    Returns (written, replaced): every path written, and those that held a report before.
    A file holding another action's or another month's report is never overwritten, even with
    replace_existing: that report would be lost.
    """
    root = Path(root)
    existing = [i for i in items if (root / i.path).exists()]
    problems = Problems()
    for item in existing:
        held = _report_key(root / item.path, item.path, dataset)
        wanted = (item.report.action, item.report.month)
        if held != wanted:
            what = f"行动「{held[0]}」{held[1]} 的报告" if held else "一份无法读取的报告"
            problems.add(item.path, None, "",
                         f"这个文件里是{what}，不是台账中行动「{wanted[0]}」{wanted[1]} 的报告，不会被覆盖（加 --replace 也不会）。"
                         f"请先把它移到与其 month（报送月份）相同的文件夹 data/reports/<月份>/ 中，运行 ./column check，再导入。")
        elif not replace_existing:
            problems.add(item.path, None, "", "这份报告已经存在。如要用台账内容覆盖，请加 --replace 重新导入。")
    if problems:
        raise LedgerError(problems)
    backup = {i.path: ((root / i.path).read_bytes() if (root / i.path).exists() else None) for i in items}
    try:
        for item in items:
            _atomic_write(root / item.path, report_text(item, ledger_name))
        check_project(root, as_of_override).raise_for_errors()
    except BaseException:
        for path, content in backup.items():
            target = root / path
            if content is None:
                target.unlink(missing_ok=True)
            else:
                _atomic_write(target, content.decode("utf-8"))
        raise
    return [i.path for i in items], [i.path for i in existing]


def _report_key(path: Path, display: str, dataset: Dataset | None) -> tuple[str, str] | None:
    """(action, month) of the report a file holds: from the loaded dataset, else the file."""
    if dataset is not None:
        for report in dataset.reports:
            if dataset.locate(report).file == display:
                return report.action, report.month
    try:
        source = parse_yaml(path.read_text(encoding="utf-8-sig"), display, Problems())
        if source is not None and isinstance(source.data, dict):
            report = m.Report.model_validate(source.data)
            return report.action, report.month
    except Exception:  # unreadable or invalid: treated as not the ledger's report
        return None
    return None


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


# --- Template -----------------------------------------------------------------------------------------


def template_rows(dataset: Dataset, month: str | None) -> list[list[Any]]:
    """Pre-filled rows for month: every task of every action, last month's percent."""
    if not month:
        return []
    rows = []
    for action in dataset.action_list:
        earlier = [r for r in dataset.reports if r.action == action.id and r.month < month]
        previous = {t.task: t.percent for t in earlier[-1].tasks} if earlier else {}
        for task in action.tasks:
            percent = previous.get(task.id, 0)
            cells = {"action": action.id, "month": month, "task": task.id,
                     "percent": int(percent) if float(percent).is_integer() else percent}
            rows.append([cells.get(c.key, "") if c.key else task.name for c in COLUMNS])
    return rows


def help_rows() -> list[list[str]]:
    """The 说明 sheet: what each column means (from the models) and how to fill the ledger."""
    docs = {d.name: d for d in field_docs(m.Report) + field_docs(m.TaskProgress)}
    rows = [["列名", "对应字段", "是否必填", "填写说明"]]
    for column in COLUMNS:
        if not column.key:
            rows.append([column.header, "—", "否", "导出模板时填好的任务名称，仅供核对；导入时不读取。"])
            continue
        doc = docs[column.key]
        scope = "每份报告填一次（可合并单元格）" if column.per_report else "每个任务一行"
        rows.append([column.header, column.key, "是" if column.required else "否", f"{doc.line()}。{scope}。"])
    rows += [[], ["填写规则"]]
    rows += [[line] for line in GUIDE_LINES]
    return rows


GUIDE_LINES = [
    "1. 每个专项行动每月一份报告；报告中的每个任务占一行。",
    "2. 行动编号、报送月份都空着，表示与上一行属于同一份报告（合并单元格也可以）。",
    "3. 报送日期、进展情况、存在问题、下一步措施每份报告填一次（填在该报告的任一行；多行都填时必须相同）。",
    "4. 日期写成 2018-10-05，或用 Excel 的日期格式；月份写成 2018-09；完成进度填 0 到 100 的数字（85 或 85%）。",
    "5. 导入：./column import 台账.xlsx（或 .csv）。有任何错误时一个文件也不会写入，错误信息会指出工作表、行和列。",
    "6. 已有的报告不会被覆盖；确需用台账内容覆盖同一行动同一月份的报告时加 --replace，导入后会列出被覆盖的文件。",
    "7. 另存为 CSV 时请选“CSV UTF-8（逗号分隔）”；普通 CSV（GBK 编码）也能读取。",
    "8. 默认导入名为“台账”的工作表；要导入别的工作表，加 --sheet 工作表名。",
]


def write_template(dataset: Dataset, xlsx_path: Path, csv_path: Path, month: str | None) -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    headers = [c.header for c in COLUMNS]
    rows = template_rows(dataset, month)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for index, header in enumerate(headers):
        cell = sheet.cell(row=1, column=index + 1)
        cell.font = Font(bold=True)
        sheet.column_dimensions[letter(index)].width = 12 if len(header) < 6 else 24
    sheet.freeze_panes = "A2"
    _add_validations(sheet, dataset)
    guide = book.create_sheet(HELP_SHEET)
    for row in help_rows():
        guide.append(row)
    for cell in guide[1]:
        cell.font = Font(bold=True)
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["D"].width = 80
    for row in guide.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    book.save(xlsx_path)
    with open(csv_path, "w", encoding="utf-8-sig", newline="") as handle:  # BOM: Excel reads UTF-8
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)


def _add_validations(sheet, dataset: Dataset) -> None:
    """Drop-downs and ranges in Excel/WPS, so many mistakes cannot be typed at all."""
    from openpyxl.worksheet.datavalidation import DataValidation

    index = {c.key: i for i, c in enumerate(COLUMNS) if c.key}
    rows = "2:2000"
    ids = ",".join(a.id for a in dataset.action_list)
    checks = []
    if ids and len(ids) < 250:  # Excel's limit for an inline list
        checks.append(("action", DataValidation(type="list", formula1=f'"{ids}"', allow_blank=True,
                                                error="请从下拉列表中选择行动编号。", errorTitle="行动编号")))
    checks.append(("percent", DataValidation(type="decimal", operator="between", formula1="0", formula2="100",
                                             allow_blank=True, error="完成进度填 0 到 100 的数字。", errorTitle="完成进度")))
    for key, validation in checks:
        column = letter(index[key])
        first, last = rows.split(":")
        validation.add(f"{column}{first}:{column}{last}")
        sheet.add_data_validation(validation)


# --- Cell values ---------------------------------------------------------------------------------------


def _text(cells: list[Any]) -> list[str]:
    return [str(c).strip() for c in cells if c not in (None, "")]


# Excel stores a date as days since 1899-12-30 (43371 is 2018-09-28); a date cell that lost
# its date format, or a CSV saved from it, shows that number. Read as a date in 2000–2099.
EXCEL_EPOCH = date(1899, 12, 30)
SERIAL_RANGE = ((date(2000, 1, 1) - EXCEL_EPOCH).days, (date(2099, 12, 31) - EXCEL_EPOCH).days)
DATE_KEYS = ("submitted", "month")


def excel_serial_date(value: Any) -> date | None:
    """The date an Excel date serial stands for, or None when value is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"\d{5}(\.\d+)?", text):
            return None
        value = float(text)
    if not isinstance(value, (int, float)):
        return None
    if not SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]:
        return None
    return EXCEL_EPOCH + timedelta(days=int(value))


def _cell(cells: list[Any], index: int, key: str) -> Any:
    value = cells[index] if index < len(cells) else None
    if value is None:
        return ""
    if key in DATE_KEYS and (serial := excel_serial_date(value)) is not None:
        value = serial
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return str(Month.of(value)) if key == "month" else value.isoformat()
    if key == "percent":
        if isinstance(value, str) and value.strip().endswith("%"):
            return value.strip()[:-1].strip()
        return value.strip() if isinstance(value, str) else value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
