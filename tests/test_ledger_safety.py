"""./column import never loses a report, says which sheet and files it used (issue 13)."""
from __future__ import annotations

import csv
import resource
import shutil
import time
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import PatternFill

from campaign.editors import ledger
from campaign.check import load
from support import run_cli
from support import HEADERS, make_xlsx, snapshot

A01 = ["a01", "2018-09", "2018-09-28", "a01-t1", "", 100, "", "九月进展", "", ""]
A01_T2 = [None, None, None, "a01-t2", "", 90, "", None, None, None]
A02 = ["a02", "2018-09", "2018-09-29", "a02-t1", "", 60, "", "a02 九月进展", "", ""]


def book_with(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


# --- Misfiled reports are never overwritten ------------------------------------------------------


def test_import_refuses_while_a_report_is_misfiled(project, tmp_path):
    # August's a01 report moved into September's folder: check fails, and the import stops
    # before writing, even with --replace (that would erase August).
    (project / "data/reports/2018-09").mkdir()
    shutil.move(project / "data/reports/2018-08/a01.yml", project / "data/reports/2018-09/a01.yml")
    before = snapshot(project)
    checked = run_cli(project, "check")
    assert checked.returncode == 1 and "报送月份却是 2018-08" in checked.stderr
    ledger_file = make_xlsx(tmp_path / "台账.xlsx", [A01, A01_T2])
    result = run_cli(project, "import", str(ledger_file), "--replace")
    assert result.returncode == 1
    assert "现有数据有问题" in result.stderr and "data/reports/2018-09/a01.yml" in result.stderr
    assert snapshot(project) == before


def test_write_reports_never_overwrites_another_months_report(project, tmp_path):
    dataset = load(project / "data", project / "content")
    items = ledger.parse(ledger.read_table(make_xlsx(tmp_path / "台账.xlsx", [A01, A01_T2])), dataset)
    # The file the import would write holds August's report (put there after the check).
    (project / "data/reports/2018-09").mkdir()
    august = (project / "data/reports/2018-08/a01.yml").read_bytes()
    (project / "data/reports/2018-09/a01.yml").write_bytes(august)
    for data in (dataset, None):  # from the loaded data, or from the file itself
        with pytest.raises(ledger.LedgerError) as caught:
            ledger.write_reports(project, items, "台账.xlsx", True, None, data)
        text = str(caught.value)
        assert "data/reports/2018-09/a01.yml：这个文件里是行动「a01」2018-08 的报告" in text
        assert "不会被覆盖（加 --replace 也不会）" in text
        assert (project / "data/reports/2018-09/a01.yml").read_bytes() == august


def test_replace_lists_exactly_the_files_it_replaced(project, tmp_path):
    first = run_cli(project, "import", str(make_xlsx(tmp_path / "one.xlsx", [A01, A01_T2])))
    assert first.returncode == 0, first.stderr
    assert "data/reports/2018-09/a01.yml（新建）" in first.stdout and "覆盖" not in first.stdout
    both = make_xlsx(tmp_path / "two.xlsx", [A01, A01_T2, A02])
    refused = run_cli(project, "import", str(both))
    assert refused.returncode == 1 and "data/reports/2018-09/a01.yml：这份报告已经存在" in refused.stderr
    assert not (project / "data/reports/2018-09/a02.yml").exists()
    replaced = run_cli(project, "import", str(both), "--replace")
    assert replaced.returncode == 0, replaced.stderr
    out = replaced.stdout
    assert "已从 two.xlsx 工作表「台账」导入 2 份月度报告" in out
    assert "data/reports/2018-09/a01.yml（覆盖了原有的报告）" in out
    assert "data/reports/2018-09/a02.yml（新建）" in out
    assert "其中 1 份覆盖了原有的同月报告（--replace）：data/reports/2018-09/a01.yml。" in out


# --- Which sheet ------------------------------------------------------------------------------------


def test_workbook_without_the_ledger_sheet_is_refused(project, tmp_path):
    path = book_with(tmp_path / "八月.xlsx", {"8月": [HEADERS, A01], "说明": [["说明"]]})
    before = snapshot(project)
    result = run_cli(project, "import", str(path))
    assert result.returncode == 1
    assert "工作簿中没有名为「台账」的工作表（现有工作表：「8月」、「说明」）" in result.stderr
    assert "--sheet 8月" in result.stderr
    assert snapshot(project) == before

    wrong = run_cli(project, "import", str(path), "--sheet", "9月")
    assert wrong.returncode == 1 and "没有名为「9月」的工作表（--sheet 指定的）" in wrong.stderr

    chosen = run_cli(project, "import", str(path), "--sheet", "8月")
    assert chosen.returncode == 0, chosen.stderr
    assert "已从 八月.xlsx 工作表「8月」导入 1 份月度报告" in chosen.stdout


def test_ledger_sheet_is_taken_even_when_not_first(project, tmp_path):
    path = book_with(tmp_path / "book.xlsx", {"8月": [HEADERS, ["a01", "2018-08", "x"]], "台账": [HEADERS, A01]})
    result = run_cli(project, "import", str(path))
    assert result.returncode == 0, result.stderr
    assert "工作表「台账」" in result.stdout


def test_sheet_option_with_csv_is_refused(project, tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_text(",".join(HEADERS) + "\n", encoding="utf-8")
    result = run_cli(project, "import", str(path), "--sheet", "台账")
    assert result.returncode == 1 and "CSV 文件没有工作表" in result.stderr


# --- Excel date serials -----------------------------------------------------------------------------


def test_excel_date_serials_are_read_as_dates(project, tmp_path):
    assert str(ledger.excel_serial_date(43371)) == "2018-09-28"
    assert str(ledger.excel_serial_date("43371")) == "2018-09-28"
    assert ledger.excel_serial_date(12) is None and ledger.excel_serial_date("2018-09-28") is None
    serial = list(A01)
    serial[2] = 43371  # a date cell that lost its date format
    result = run_cli(project, "import", str(make_xlsx(tmp_path / "台账.xlsx", [serial, A01_T2])))
    assert result.returncode == 0, result.stderr
    assert "submitted: 2018-09-28" in (project / "data/reports/2018-09/a01.yml").read_text(encoding="utf-8")

    path = tmp_path / "ledger.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerow(["a05", "43344", "43371", "a05-t1", "", "70", "", "九月推进", "", ""])
    result = run_cli(project, "import", str(path))
    assert result.returncode == 0, result.stderr
    text = (project / "data/reports/2018-09/a05.yml").read_text(encoding="utf-8")
    assert "month: 2018-09" in text and "submitted: 2018-09-28" in text


def test_a_number_that_is_no_date_is_refused_in_chinese(project, tmp_path):
    bad = list(A01)
    bad[2] = 12
    result = run_cli(project, "import", str(make_xlsx(tmp_path / "台账.xlsx", [bad])))
    assert result.returncode == 1
    assert "「报送日期」列（C 列）" in result.stderr and "不是日期" in result.stderr


# --- Only the used range ------------------------------------------------------------------------------


def test_a_formatted_cell_far_away_costs_nothing(project, tmp_path):
    path = make_xlsx(tmp_path / "台账.xlsx", [A01, A01_T2])
    book = openpyxl.load_workbook(path)
    sheet = book["台账"]
    sheet["XFD1048576"].fill = PatternFill("solid", fgColor="FFFF00")
    sheet["XFD1048576"].number_format = "0%"
    book.save(path)
    assert openpyxl.load_workbook(path, read_only=True)["台账"].max_row == 1048576

    memory_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    table = ledger.read_table(path)
    elapsed = time.perf_counter() - started
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - memory_before) / 1024
    assert [number for number, _ in table.rows] == [1, 2, 3]
    assert all(len(cells) == len(HEADERS) for _, cells in table.rows)
    assert elapsed < 5, f"reading took {elapsed:.1f} s"  # was 127 s before streaming
    assert grown_mb < 100, f"reading grew memory by {grown_mb:.0f} MB"

    result = run_cli(project, "import", str(path))
    assert result.returncode == 0, result.stderr
