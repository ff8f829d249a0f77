"""A 台账 kept in Excel (.xlsx): the first sheet with a recognisable heading row.

A merged range spanning several rows (one 责任领导 for a block of tasks) applies to each row; a
range spanning columns (a section heading across the table) stays one cell.

The work is bounded by what the file holds, not by what it claims: only cells that exist are
read (a lone cell at ``XFD1048576`` is one cell, not a grid of 17 billion), the unpacked size
and the area of merged ranges are checked before openpyxl sees the file, and a damaged file
(truncated XML, bad attributes, a shared-string index out of range) is an input error.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from pathlib import Path
from typing import Any

from taskctl.errors import DataFileError, TaskctlError
from taskctl.importers.table import Row, cell, find_columns

MAX_UNPACKED = 256 << 20  # bytes a workbook may unpack to
MAX_MERGED_AREA = 200_000  # cells a workbook's merged ranges may cover in all
MAX_GRID = 20_000_000  # rows × columns actually holding text
MAX_CELLS = 2_000_000  # cells a workbook's sheets may hold (a 100 000-task list has ~1 million)
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Za-z]+)(\d+)(?::([A-Za-z]+)(\d+))?\"")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb"\br=\"([A-Za-z]+\d+)\"")
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")
_DAMAGED = "不是有效的 .xlsx 文件（已损坏，或是改了扩展名的其他文件）"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat(" ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


def _inspect(raw: bytes, path: Path, max_cells: int = MAX_CELLS) -> list[str]:
    """Check the package before openpyxl reads it; the cells (``B5``) holding a formula with no
    cached result (a file written by a program and never calculated) are returned. A sheet of
    more than ``max_cells`` cells (each one costs openpyxl hundreds of bytes) is refused."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            members = package.infolist()
            if sum(m.file_size for m in members) > MAX_UNPACKED:
                raise DataFileError(path, "解压后过大，不像一份台账；请检查文件")
            area = cells = 0
            uncached: list[str] = []
            for member in members:
                if not member.filename.startswith("xl/worksheets/"):
                    continue
                xml = package.read(member)
                # <c …>, <c/>, <c> and their prefixed forms (<x:c …>); cheap, never a list
                cells += sum(
                    xml.count(mark + end) for mark in (b"<c", b":c") for end in (b" ", b"/", b">")
                )
                if cells > max_cells:
                    raise DataFileError(path, "单元格过多，不像一份台账；请检查文件")
                for a, r1, b, r2 in _MERGE.findall(xml):
                    rows = abs(int(r2 or r1) - int(r1)) + 1
                    cols = abs(_column_number(b or a) - _column_number(a)) + 1
                    area += rows * cols
                for attributes, body in _CELL.findall(xml):
                    # No cached value: no <v>, or an empty one on a cell not typed as text
                    # (openpyxl writes <v></v>; a formula giving "" is t="str" in Excel's).
                    if (
                        body
                        and b"<f" in body
                        and not _VALUE.search(body)
                        and not (b't="str"' in attributes and b"<v" in body)
                    ):
                        ref = _REF.search(attributes)
                        if ref:
                            uncached.append(ref.group(1).decode("ascii"))
            if area > MAX_MERGED_AREA:
                raise DataFileError(path, "合并单元格的范围过大，不像一份台账；请检查文件")
            return uncached
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        raise DataFileError(path, _DAMAGED) from None
    except RuntimeError:  # an encrypted member
        raise DataFileError(path, "文件已加密；请在 Excel/WPS 中取消密码后另存再导入") from None


def sheet_rows(sheet: Any, path: object = None) -> list[Row]:
    """The rows of a worksheet that hold any text, vertical merges filled down and marked, bold
    rows marked.

    Only the cells the file holds are visited; rows and columns with no text are dropped
    (``Row.line`` keeps the sheet's row number), so a stray far cell costs nothing.
    """
    import bisect

    cells: dict[tuple[int, int], str] = {}
    bold: dict[int, bool] = {}
    for (r, c), item in sheet._cells.items():
        text = _text(item.value)
        if text:
            cells[r, c] = text
            if text.strip():
                bold[r] = bold.get(r, True) and item.font is not None and bool(item.font.b)
    held = sorted({r for r, _ in cells})
    merged_below: dict[int, set[int]] = {}
    for merged in sheet.merged_cells.ranges:
        top = cells.get((merged.min_row, merged.min_col))
        if top is None:
            continue
        start = bisect.bisect_right(held, merged.min_row)
        for r in held[start : bisect.bisect_right(held, merged.max_row)]:
            cells[r, merged.min_col] = top
            merged_below.setdefault(r, set()).add(merged.min_col)
    rows = sorted({r for r, _ in cells})
    columns = sorted({c for _, c in cells})
    if len(rows) * len(columns) > MAX_GRID:
        raise DataFileError(
            path or sheet.title,
            f"工作表「{sheet.title}」过大（有文字的行数 × 列数超过上限），不像一份台账",
        )
    index = {c: i for i, c in enumerate(columns)}
    grid = {r: [""] * len(columns) for r in rows}
    for (r, c), text in cells.items():
        grid[r][index[c]] = text
    return [
        Row(
            tuple(cell(v) for v in grid[r]),
            r,
            frozenset(index[c] for c in merged_below.get(r, ())),
            bold.get(r, False),
        )
        for r in rows
    ]


def read_xlsx_checked(path: Path) -> tuple[list[Row], list[str]]:
    """The rows of the sheet holding the list, and warnings (formula cells with no cached
    value, which import as empty cells)."""
    import warnings

    import openpyxl

    from taskctl.fsutil import read_regular

    raw = read_regular(path)
    uncached = _inspect(raw, path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "extension not supported" and the like
            workbook = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
            try:
                sheets = [(sheet.title, sheet_rows(sheet, path)) for sheet in workbook.worksheets]
            finally:
                workbook.close()
    except TaskctlError:
        raise
    except MemoryError:
        raise DataFileError(path, "文件过大，无法读取") from None
    except Exception:  # openpyxl and lxml raise many kinds for a damaged file
        raise DataFileError(path, _DAMAGED) from None
    chosen = next((rows for _, rows in sheets if any(find_columns(row) for row in rows)), None)
    if chosen is None:
        chosen = sheets[0][1] if sheets else []
    messages = []
    if uncached:
        shown = "、".join(uncached[:10]) + ("…" if len(uncached) > 10 else "")
        messages.append(
            f"{path}：单元格 {shown} 是没有计算结果的公式（{len(uncached)} 个），已按空白导入；"
            "请在 Excel/WPS 中打开、保存后再导入"
        )
    return chosen, messages
