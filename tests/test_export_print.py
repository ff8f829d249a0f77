"""The 台账 that prints: page setup read back with openpyxl, then rendered by LibreOffice to
check that every page is A4 landscape and shows every column under the repeated header."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from taskctl.export import LIGHT_FILLS, export, status_columns
from taskctl.loader import load
from taskctl.progress import read_log
from taskctl.tracking import task_states
from tests.conftest import BUNDLED, ROOT
from tests.office import MM, pages, to_pdf

SAMPLE = ROOT / "examples" / "sample-progress.jsonl"
HEADINGS = [
    "序号", "部分", "年度任务目标", "责任领导", "牵头部门", "责任部门", "完成时限",
    "状态", "进度", "最近更新", "灯", "进展情况", "各牵头单位",
]  # fmt: skip


@pytest.fixture(scope="module")
def ledger() -> bytes:
    tasklist = load(BUNDLED)
    states = task_states(tasklist, read_log(SAMPLE), dt.date(2023, 7, 2))
    return export(tasklist, "xlsx", None, status_columns(states))


@pytest.fixture(scope="module")
def sheet(ledger):
    return openpyxl.load_workbook(io.BytesIO(ledger))["台账"]


def test_prints_a4_landscape_one_page_wide_with_titles(sheet):
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize) == ("landscape", 9)
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$3"
    assert sheet.print_options.horizontalCentered
    assert "&P" in sheet.oddFooter.center.text


def test_title_centred_header_and_cells_boxed(sheet):
    assert sheet["A2"].alignment.horizontal == "center"
    assert "A2:M2" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[3]] == HEADINGS
    for row in (3, 4, 105):
        for cell in sheet[row]:
            assert cell.border.left.style == cell.border.bottom.style == "thin", cell.coordinate


def test_numbers_and_dates_are_stored_as_such(sheet):
    first = {h: sheet.cell(4, col).value for col, h in enumerate(HEADINGS, 1)}
    assert first["序号"] == 1
    assert first["进度"] == 60 and sheet["I4"].number_format == '0"%"'
    assert first["最近更新"] == dt.datetime(2023, 6, 28)
    assert sheet["J4"].number_format == "yyyy-mm-dd"
    # no 完成时限 in the list: the year end, greyed
    assert first["完成时限"] == dt.datetime(2023, 12, 31)
    assert sheet["G4"].font.color.rgb == "00808080"
    assert first["进展情况"] == "上半年预计增长7.2%"
    never = [sheet.cell(r, 9).value for r in range(4, 106) if sheet.cell(r, 8).value == "未启动"]
    assert never and set(never) == {None}


def test_the_light_cell_is_coloured(sheet):
    colours = {"绿": LIGHT_FILLS["green"], "黄": LIGHT_FILLS["yellow"], "红": LIGHT_FILLS["red"]}
    for row in range(4, 106):
        cell = sheet.cell(row, 11)
        assert cell.fill.fgColor.rgb == "00" + colours[cell.value]


def test_rows_are_tall_enough_for_their_wrapped_text(sheet):
    heights = [sheet.row_dimensions[r].height for r in range(4, 106)]
    assert all(h >= 18 for h in heights)
    # the longest 年度任务目标 needs more lines than the shortest
    texts = {r: len(sheet.cell(r, 3).value) for r in range(4, 106)}
    longest, shortest = max(texts, key=texts.get), min(texts, key=texts.get)
    assert sheet.row_dimensions[longest].height > sheet.row_dimensions[shortest].height


def test_every_printed_page_shows_every_column(ledger, tmp_path, office_profile):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(ledger)
    rendered = pages(to_pdf(path, office_profile))
    ledger_pages = [p for p in rendered if "工作任务分解清单" in p.text]
    assert 4 <= len(ledger_pages) <= 12  # was 16 pages, columns split across them
    for page in ledger_pages:
        assert (round(page.width / MM), round(page.height / MM)) == (297, 210)
        text = page.text
        for heading in HEADINGS:
            assert heading in text
        assert max(w.x1 for w in page.words) <= page.width - 0.4 * 25.4 * MM + 1
    ids = [w.text for p in ledger_pages for w in p.words if w.text.isdigit() and w.x0 < 60]
    assert "1" in ids and "102" in ids


def test_history_sheet_lists_every_report_for_audit():
    tasklist = load(BUNDLED)
    entries = read_log(SAMPLE)
    book = openpyxl.load_workbook(io.BytesIO(export(tasklist, "xlsx", None, (), entries)))
    assert book.sheetnames == ["台账", "统计", "填报记录"]
    sheet = book["填报记录"]
    assert [c.value for c in sheet[2]] == [
        "序号", "年度任务目标", "日期", "状态", "进度", "说明", "填报人", "记录时间",
    ]  # fmt: skip
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert len(rows) == len(entries)
    dates = [r[2] for r in rows]
    assert dates == sorted(dates) and isinstance(dates[0], dt.datetime)
    first = rows[0]
    assert first[:6] == [12, "完成经开区基础设施一期项目和污水处理厂提标改造", dt.datetime(2023, 5, 10),
                         "序时推进", 20, "完成初步设计"]  # fmt: skip
    assert sheet.print_title_rows == "$1:$2"
    # a filtered export carries only its tasks' reports
    one = export(tasklist, "xlsx", [tasklist.task(2)], (), entries)
    kept = openpyxl.load_workbook(io.BytesIO(one))["填报记录"]
    assert {r[0].value for r in kept.iter_rows(min_row=3)} == {2}
