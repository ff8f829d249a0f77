"""The Word attachment itself (.docx): paragraphs above the table are the preamble (附件, 标题),
then every table's rows in order, each row knowing its table (附件1, 附件2 … may each be one).

A cell merged down several rows (``w:vMerge``) applies to each row it spans, as a merged
责任领导 does, and is marked as merged (a 序号 merged down makes one item of several rows); a
cell merged across columns (``w:gridSpan``) counts once, at its first column. A document with
no table is read as a list written in paragraphs (:mod:`taskctl.importers.paragraphs`).
Spans are capped by the table's own grid (a crafted ``gridSpan=3000000`` costs nothing), and a
damaged file is an input error.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
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


def _bold(paragraphs: Any) -> bool:
    """Every run with text is bold (directly or by its paragraph style)."""
    runs = [r for p in paragraphs for r in p.runs if r.text.strip()]
    return bool(runs) and all(
        r.bold or (r.bold is None and p.style is not None and p.style.font.bold)
        for p in paragraphs
        for r in p.runs
        if r.text.strip()
    )


def _table_rows(table: Any, start: int, index: int) -> list[Row]:
    from docx.table import _Cell

    # python-docx raises for a table without its w:tblGrid: the file is damaged
    width = min(max(len(table._tbl.tblGrid.gridCol_lst), 1), MAX_COLUMNS)
    rows = []
    memo: dict[Any, Any] = {}
    for number, row in enumerate(table.rows, start):
        cells: list[tuple[str, ...]] = [("",)] * min(max(row.grid_cols_before, 0), width)
        merged: set[int] = set()
        paragraphs = []
        for tc in row._tr.tc_lst[:MAX_COLUMNS]:
            root = _root(tc, memo)
            if root is not tc:
                merged.add(len(cells))
            found = _Cell(root, table)
            paragraphs.extend(found.paragraphs)
            cells.append(cell(found.text))
            cells.extend([("",)] * min(max(tc.grid_span - 1, 0), width))
        rows.append(Row(tuple(cells), number, frozenset(merged), _bold(paragraphs), index))
    return rows


@dataclass(frozen=True)
class TableInfo:
    """One table of a Word file: its number, the paragraph above it, its first row, its size."""

    number: int
    caption: str
    headings: tuple[str, ...]
    rows: int


def list_tables(path: Path) -> list[TableInfo]:
    """The tables of a Word file, for ``import --list-tables``."""
    document = _open(path)
    try:
        return _tables(document)
    except TaskctlError:
        raise
    except Exception:  # as in read_docx: a bad attribute surfaces only when read
        raise DataFileError(path, _DAMAGED) from None


def _tables(document: Any) -> list[TableInfo]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    found: list[TableInfo] = []
    caption = ""
    for tag, child in _blocks(document):
        if tag == "p":
            text = Paragraph(child, document).text.strip()
            caption = text or caption
        elif tag == "tbl":
            number = len(found) + 1
            rows = _table_rows(Table(child, document), 1, number)
            first = next((r for r in rows if len(r.filled()) > 1), rows[0] if rows else None)
            headings = (
                tuple(" ".join(first.text(i).split()) for i in first.filled()) if first else ()
            )
            found.append(TableInfo(number, caption, headings, len(rows)))
            caption = ""
    return found


def _blocks(document: Any) -> Iterator[tuple[str, Any]]:
    """(name, element) of each element of the body (p, tbl, sectPr …), in order; not the XML
    comments and processing instructions a document generator may leave between them."""
    from lxml import etree

    for child in document.element.body.iterchildren(etree.Element):
        yield etree.QName(child).localname, child


def _open(path: Path) -> Any:
    from zipfile import BadZipFile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    from taskctl.fsutil import read_regular

    raw = read_regular(path)
    _check_package(raw, path)
    try:
        return docx.Document(io.BytesIO(raw))
    except (BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError):
        raise DataFileError(path, _DAMAGED) from None
    except Exception:  # lxml and python-docx raise many kinds for a damaged part
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


def read_docx(path: Path) -> list[Row]:
    """Rows numbered in document order (paragraphs and table rows) for error messages."""
    document = _open(path)
    try:
        return _rows(document, path)
    except TaskctlError:
        raise
    except Exception:  # a bad attribute (gridSpan="x") surfaces only when read
        raise DataFileError(path, _DAMAGED) from None


def _rows(document: Any, path: Path) -> list[Row]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    rows: list[Row] = []
    paragraphs: list[tuple[str, int, bool]] = []
    tables = 0
    for number, (tag, child) in enumerate(_blocks(document), 1):
        line = len(rows) + 1  # the next row's number, in or above a table
        if tag == "tbl":
            tables += 1
            rows.extend(_table_rows(Table(child, document), line, tables))
        elif tag == "p":
            paragraph = Paragraph(child, document)
            text = paragraph.text
            if not tables:
                paragraphs.append((text, number, _bold([paragraph])))
                if text.strip():
                    rows.append(Row((cell(text),), line))
    if not tables:
        from taskctl.importers.paragraphs import paragraph_rows

        rows = paragraph_rows(paragraphs)
        if not any(len(row.cells) > 1 for row in rows):
            raise DataFileError(
                path, "Word 文件中既没有表格，也没有编号的任务段落（如「1.任务……」）"
            )
    return rows
