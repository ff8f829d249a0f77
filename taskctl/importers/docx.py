"""The Word attachment itself (.docx): paragraphs above the table are the preamble (附件, 标题),
then every table's rows in order.

A cell merged down several rows (``w:vMerge``) applies to each row it spans, as a merged
责任领导 does; a cell merged across columns (``w:gridSpan``) counts once, at its first column.
Spans are capped by the table's own grid (a crafted ``gridSpan=3000000`` costs nothing), and a
damaged file is an input error.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from taskctl.errors import DataFileError, TaskctlError
from taskctl.importers.table import Row, cell

MAX_COLUMNS = 64  # a list has 5–10 columns; a span or a grid wider than this is capped
_DAMAGED = "不是有效的 .docx 文件（已损坏，或是改了扩展名的其他文件）"


def _root(tc: Any, memo: dict[Any, Any]) -> Any:
    """The cell a ``vMerge="continue"`` cell continues; each step up is taken once per table
    (a column merged down thousands of rows would otherwise cost rows²)."""
    chain = []
    while tc.vMerge == "continue" and tc not in memo:
        chain.append(tc)
        try:
            tc = tc._tc_above
        except (ValueError, IndexError):  # a "continue" in the first row: nothing above it
            break
    root = memo.get(tc, tc)
    for link in chain:
        memo[link] = root
    return root


def _table_rows(table: Any, start: int) -> list[Row]:
    from docx.table import _Cell

    grid = table._tbl.tblGrid
    width = min(max(len(grid.gridCol_lst) if grid is not None else 0, 1), MAX_COLUMNS)
    rows = []
    memo: dict[Any, Any] = {}
    for number, row in enumerate(table.rows, start):
        cells: list[tuple[str, ...]] = [("",)] * min(max(row.grid_cols_before, 0), width)
        for tc in row._tr.tc_lst[:MAX_COLUMNS]:
            root = _root(tc, memo)
            cells.append(cell(_Cell(root, table).text))
            cells.extend([("",)] * min(max(tc.grid_span - 1, 0), width))
        rows.append(Row(tuple(cells), number))
    return rows


def read_docx(path: Path) -> list[Row]:
    """Rows numbered in document order (paragraphs and table rows) for error messages."""
    from zipfile import BadZipFile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    from taskctl.fsutil import read_regular

    raw = read_regular(path)
    _check_package(raw, path)
    try:
        document = docx.Document(io.BytesIO(raw))
    except (BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError):
        raise DataFileError(path, _DAMAGED) from None
    except Exception:  # lxml and python-docx raise many kinds for a damaged part
        raise DataFileError(path, _DAMAGED) from None
    try:
        return _rows(document, path)
    except TaskctlError:
        raise
    except Exception:  # a bad attribute (gridSpan="x") surfaces only when read
        raise DataFileError(path, _DAMAGED) from None


def _check_package(raw: bytes, path: Path) -> None:
    """The unpacked XML must be of a sane size before python-docx parses it."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            if sum(m.file_size for m in package.infolist()) > 256 << 20:
                raise DataFileError(path, "解压后过大，不像一份清单；请检查文件")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        raise DataFileError(path, _DAMAGED) from None


def _rows(document: Any, path: Path) -> list[Row]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    rows: list[Row] = []
    seen_table = False
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            seen_table = True
            rows.extend(_table_rows(Table(child, document), len(rows) + 1))
        elif tag == "p" and not seen_table:
            text = Paragraph(child, document).text
            if text.strip():
                rows.append(Row((cell(text),), len(rows) + 1))
    if not seen_table:
        raise DataFileError(path, "Word 文件中没有表格；清单应是一张表格")
    return rows
