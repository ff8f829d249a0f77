"""The Word attachment itself (.docx): paragraphs above the table are the preamble (附件, 标题),
then every table's rows in order.

A cell merged down several rows (``w:vMerge``) applies to each row it spans, as a merged
责任领导 does; a cell merged across columns (``w:gridSpan``) counts once, at its first column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from taskctl.errors import DataFileError
from taskctl.importers.table import Row, cell


def _root(tc: Any) -> Any:
    while tc.vMerge == "continue":
        try:
            tc = tc._tc_above
        except (ValueError, IndexError):  # a "continue" in the first row: nothing above it
            break
    return tc


def _table_rows(table: Any, start: int) -> list[Row]:
    from docx.table import _Cell

    rows = []
    for number, row in enumerate(table.rows, start):
        cells: list[tuple[str, ...]] = [("",)] * row.grid_cols_before
        for tc in row._tr.tc_lst:
            root = _root(tc)
            cells.append(cell(_Cell(root, table).text))
            cells.extend([("",)] * (tc.grid_span - 1))
        rows.append(Row(tuple(cells), number))
    return rows


def read_docx(path: Path) -> list[Row]:
    """Rows numbered in document order (paragraphs and table rows) for error messages."""
    from zipfile import BadZipFile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except FileNotFoundError:
        raise DataFileError(path, "文件不存在") from None
    except (BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError):
        raise DataFileError(
            path, "不是有效的 .docx 文件（已损坏，或是改了扩展名的其他文件）"
        ) from None
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
