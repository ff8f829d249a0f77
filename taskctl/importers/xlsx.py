"""A 台账 kept in Excel (.xlsx): the first sheet with a recognisable heading row.

A merged range spanning several rows (one 责任领导 for a block of tasks) applies to each row; a
range spanning columns (a section heading across the table) stays one cell.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from taskctl.errors import DataFileError
from taskctl.importers.table import Row, cell, find_columns


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


def sheet_rows(sheet: Any) -> list[Row]:
    """The rows of a worksheet, vertical merges filled down and marked, bold rows marked."""
    grid: list[list[str]] = []
    bold: set[int] = set()
    for number, cells in enumerate(sheet.iter_rows(), 1):
        grid.append([_text(c.value) for c in cells])
        written = [c for c in cells if c.value is not None and str(c.value).strip()]
        if written and all(c.font is not None and c.font.b for c in written):
            bold.add(number)
    merged_below: dict[int, set[int]] = {}
    for merged in sheet.merged_cells.ranges:
        top = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(grid) else ""
        for r in range(merged.min_row, min(merged.max_row, len(grid)) + 1):
            grid[r - 1][merged.min_col - 1] = top
            if r > merged.min_row:
                merged_below.setdefault(r, set()).add(merged.min_col - 1)
    return [
        Row(
            tuple(cell(v) for v in values),
            number,
            frozenset(merged_below.get(number, ())),
            number in bold,
        )
        for number, values in enumerate(grid, 1)
    ]


def read_xlsx(path: Path) -> list[Row]:
    from zipfile import BadZipFile

    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, data_only=True)
    except FileNotFoundError:
        raise DataFileError(path, "文件不存在") from None
    except (BadZipFile, KeyError, ValueError, OSError):
        raise DataFileError(
            path, "不是有效的 .xlsx 文件（已损坏，或是改了扩展名的其他文件）"
        ) from None
    try:
        sheets = [sheet_rows(sheet) for sheet in workbook.worksheets]
    finally:
        workbook.close()
    for rows in sheets:
        if any(find_columns(row) for row in rows):
            return rows
    return sheets[0] if sheets else []
