"""The Excel reader's guards and sheet reading, each at its edge (issue 27's survivors).

A 台账 in .xlsx is checked before openpyxl sees it (unpacked size, cell count, merged area, formula
cells with no cached value); these tests put files exactly at each documented limit and one past
it, and read sheets whose rows and merges come in the order real programs write them.
"""

from __future__ import annotations

import io
import struct
import warnings
import zipfile

import openpyxl
import pytest
from openpyxl.styles import Font

from taskctl.errors import DataFileError
from taskctl.importers.xlsx import (
    _column_number,
    _inspect,
    read_xlsx_checked,
    sheet_rows,
)

# The limits docs/reliability.md promises for a list read by `import`, written out here so that
# a change to the code's constants shows as a change of the promise.
MAX_UNPACKED = 256 * 1024 * 1024  # bytes a workbook may unpack to
MAX_CELLS = 2_000_000  # cells its sheets may hold
MAX_MERGED_AREA = 200_000  # cells its merged ranges may cover in all
HEADINGS = ["序号", "年度任务目标", "责任领导", "牵头部门", "责任部门"]


def _package(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return out.getvalue()


def _claiming(size: int) -> bytes:
    """A package whose one member (not a sheet) claims to unpack to ``size`` bytes: the
    central directory's word is what the guard adds up, before anything is unpacked."""
    raw = bytearray(_package({"docProps/custom.xml": b"<Properties/>"}))
    at = raw.index(b"PK\x01\x02")  # the central directory entry
    raw[at + 24 : at + 28] = struct.pack("<I", size)  # its uncompressed size
    return bytes(raw)


def _sheet(body: bytes) -> bytes:
    return _package(
        {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData/>" + body + b"</worksheet>"}
    )


def _refusal(raw: bytes, tmp_path) -> str:
    with pytest.raises(DataFileError) as caught:
        _inspect(raw, tmp_path / "台账.xlsx")
    return str(caught.value)


def _texts(row) -> tuple[str, ...]:
    return tuple("\n".join(lines) for lines in row.cells)


def test_column_letters_count_as_excel_counts_them():
    assert [_column_number(x) for x in (b"A", b"Z", b"AA", b"AZ", b"BA", b"XFD", b"ab")] == [
        1, 26, 27, 52, 53, 16384, 28,
    ]  # fmt: skip


def test_a_package_unpacking_to_exactly_the_limit_is_read_one_byte_more_is_not(tmp_path):
    assert _inspect(_claiming(MAX_UNPACKED), tmp_path / "台账.xlsx") == []
    assert _refusal(_claiming(MAX_UNPACKED + 1), tmp_path) == (
        f"{tmp_path / '台账.xlsx'}：解压后过大，不像一份台账；请检查文件"
    )


def test_a_sheet_of_exactly_the_cell_limit_is_read_one_cell_more_is_not(tmp_path):
    assert _inspect(_sheet(b"<c/>" * MAX_CELLS), tmp_path / "台账.xlsx") == []
    assert _refusal(_sheet(b"<c/>" * (MAX_CELLS + 1)), tmp_path).endswith(
        "单元格过多，不像一份台账；请检查文件"
    )


@pytest.mark.parametrize(
    ("merges", "refused"),
    [
        ([b"A1:A200000"], False),  # one column, 200 000 rows: exactly the limit
        ([b"A1:A200001"], True),
        ([b"A200001:A1"], True),  # written bottom-up, it covers as much
        ([b"A1:B100000"], False),
        ([b"B1:A100001"], True),  # columns right to left
        ([b"A1:A199999", b"C5"], False),  # a one-cell merge counts one cell
        ([b"A1:A199999", b"C5", b"D7"], True),
    ],
)  # fmt: skip
def test_merged_ranges_may_cover_up_to_the_limit_in_all(tmp_path, merges, refused):
    body = (
        b"<mergeCells>" + b"".join(b'<mergeCell ref="%s"/>' % m for m in merges) + b"</mergeCells>"
    )
    if refused:
        assert _refusal(_sheet(body), tmp_path).endswith(
            "合并单元格的范围过大，不像一份台账；请检查文件"
        )
    else:
        assert _inspect(_sheet(body), tmp_path / "台账.xlsx") == []


def test_a_formula_cell_is_uncached_only_without_a_value_excel_would_show(tmp_path):
    cells = (
        b'<row r="2"><c r="B2"><f>1+1</f><v>2</v></c>'  # cached: 2
        b'<c r="C2" t="str"><f>IF(1,"","x")</f><v></v></c>'  # Excel's formula giving ""
        b'<c r="D2" t="str"><f>IF(1,"","x")</f></c>'  # never calculated
        b'<c r="E2"><f>1+1</f><v></v></c>'  # openpyxl's: empty value, not text
        b'<c r="F2"><f>1+1</f></c></row>'
    )
    assert _inspect(_sheet(b"<sheetData>" + cells + b"</sheetData>"), tmp_path / "台账.xlsx") == [
        "D2",
        "E2",
        "F2",
    ]


def _formula_book(path, count: int) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADINGS)
    for n in range(1, count + 1):
        sheet.append([n, f"第{n}项任务", "于德忱", "发改局", None])
        sheet[f"E{n + 1}"] = '=IF(1,"各有关部门","")'  # no cached value: written by a program
    book.save(path)


@pytest.mark.parametrize("count", [10, 11])
def test_the_warning_names_at_most_ten_uncached_cells(tmp_path, count):
    source = tmp_path / "台账.xlsx"
    _formula_book(source, count)
    _, messages = read_xlsx_checked(source)
    shown = "、".join(f"E{n}" for n in range(2, 12))
    assert messages == [
        f"{source}：单元格 {shown}{'…' if count > 10 else ''} 是没有计算结果的公式（{count} 个），"
        "已按空白导入；请在 Excel/WPS 中打开、保存后再导入"
    ]


def test_openpyxl_s_complaints_about_a_wps_sheet_are_not_passed_on(tmp_path):
    """WPS and Excel keep data validations in an extension openpyxl does not read; it warns
    "Data Validation extension is not supported", which means nothing to a clerk."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADINGS)
    sheet.append([1, "地区生产总值同比增长7%", "于德忱", "发改局", "各有关部门"])
    plain = io.BytesIO()
    book.save(plain)
    members = {}
    with zipfile.ZipFile(plain) as package:
        for name in package.namelist():
            members[name] = package.read(name)
    members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"].replace(
        b"</worksheet>",
        b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}"/></extLst></worksheet>',
    )
    source = tmp_path / "台账.xlsx"
    source.write_bytes(_package(members))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rows, messages = read_xlsx_checked(source)
    assert [str(w.message) for w in caught] == []
    assert messages == []
    assert _texts(rows[1]) == (
        "1", "地区生产总值同比增长7%", "于德忱", "发改局", "各有关部门",
    )  # fmt: skip


def test_sheet_rows_come_in_sheet_order_whatever_order_the_cells_were_made_in():
    """A program may write a sheet's cells in any order; the rows and columns read are the
    sheet's, top to bottom and left to right (row and column numbers far apart, as a 台账 with
    blank rows and a far 备注 column has)."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row, column, text in [
        (100, 33, "备注"),
        (9, 9, "牵头部门"),
        (1, 1, "序号"),
        (50, 17, "责任部门"),
        (33, 2, "年度任务目标"),
    ]:
        sheet.cell(row=row, column=column, value=text)
    rows = sheet_rows(sheet)
    assert [row.line for row in rows] == [1, 9, 33, 50, 100]
    assert _texts(rows[0]) == ("序号", "", "", "", "")
    assert _texts(rows[4]) == ("", "", "", "", "备注")
    assert _texts(rows[2]) == ("", "年度任务目标", "", "", "")


def test_a_merged_leader_cell_fills_down_and_is_marked_as_filled():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADINGS)
    sheet.append([1, "城市更新改造", "于德忱", "住建局", ""])
    sheet.append([2, "老旧小区改造", None, "住建局", ""])
    sheet.merge_cells("C2:C3")
    rows = sheet_rows(sheet)
    assert _texts(rows[2]) == ("2", "老旧小区改造", "于德忱", "住建局", "")
    assert rows[2].merged == frozenset({2})  # filled from the merge, not written in the row
    assert rows[1].merged == frozenset()


def test_a_row_is_bold_when_every_cell_with_text_is_bold_blank_cells_aside():
    """A section heading typed in bold, with a cell of spaces left beside it, is still a
    heading row."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADINGS)
    sheet.append(["一、经济发展", " ", None, None, None])
    sheet["A2"].font = Font(bold=True)
    sheet.append([1, "地区生产总值同比增长7%", "于德忱", "发改局", ""])
    sheet["B3"].font = Font(bold=True)
    rows = sheet_rows(sheet)
    assert [row.bold for row in rows] == [False, True, False]


def test_a_sheet_exactly_as_large_as_the_grid_limit_is_read(monkeypatch):
    """The grid limit (rows × columns holding text; 20 million, too many to build in a test) is
    tried at a small stand-in: a sheet of exactly that many cells is read, a larger one is not."""
    import taskctl.importers.xlsx as xlsx

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "清单"
    sheet.append(["序号", "年度任务目标", "牵头部门"])
    sheet.append([1, "地区生产总值同比增长7%", "发改局"])
    monkeypatch.setattr(xlsx, "MAX_GRID", 6)
    assert len(sheet_rows(sheet)) == 2
    monkeypatch.setattr(xlsx, "MAX_GRID", 5)
    with pytest.raises(DataFileError) as caught:
        sheet_rows(sheet, "台账.xlsx")
    assert str(caught.value) == (
        "台账.xlsx：工作表「清单」过大（有文字的行数 × 列数超过上限），不像一份台账"
    )


def test_a_workbook_with_no_heading_row_is_read_from_its_first_sheet(tmp_path):
    """No sheet has a row naming 序号/年度任务目标: the first sheet is the one read (and import
    then says what it is missing), not the second."""
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["本表由县政府督查室汇总"])
    book.create_sheet("附表").append(["附件：重点项目清单"])
    source = tmp_path / "台账.xlsx"
    book.save(source)
    rows, messages = read_xlsx_checked(source)
    assert [_texts(row) for row in rows] == [("本表由县政府督查室汇总",)]
    assert messages == []
