"""The TAB-cell text export of a Word table, or a list written as paragraphs.

Each cell starts with a TAB; a line without a TAB continues the cell above; a blank line ends a
row. One-cell rows are the title and the section headings. Text in which no line starts with a
TAB but some line starts with a number (``1.任务……``) is a list written as paragraphs
(:mod:`taskctl.importers.paragraphs`).
"""

from __future__ import annotations

from pathlib import Path

from taskctl.errors import DataFileError
from taskctl.importers.table import Row, build
from taskctl.model import TaskList


def split_rows(text: str, path: object = "<文本>") -> list[Row]:
    """Split the export into rows of cells (each cell a tuple of its lines)."""
    lines = text.split("\n")
    if not any(line.startswith("\t") for line in lines):
        from taskctl.importers.paragraphs import paragraph_rows

        rows = paragraph_rows([(line.rstrip("\r"), n, False) for n, line in enumerate(lines, 1)])
        if any(len(row.cells) > 1 for row in rows):
            return rows
    rows = []
    cells: list[list[str]] = []
    start = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw[:-1] if raw.endswith("\r") else raw
        if line == "":
            if cells:
                rows.append(Row(tuple(tuple(c) for c in cells), start))
                cells = []
            continue
        if line.startswith("\t"):
            if not cells:
                start = number
            cells.append([line[1:]])
        elif cells:
            cells[-1].append(line)
        else:
            raise DataFileError(
                path, "行首缺少 TAB：每个单元格应以 TAB 开始，续行只能跟在单元格之后", number
            )
    if cells:
        rows.append(Row(tuple(tuple(c) for c in cells), start))
    return rows


def parse_text(text: str, path: object = "<文本>") -> TaskList:
    """Parse the TAB-cell export into a task list."""
    if "\x00" in text:  # UTF-16 or a binary file (.doc) saved as .txt
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DataFileError(path, "含有 NUL 字符，不是文本文件", line)
    return build(split_rows(text, path), path)


def read_text(path: Path) -> tuple[list[Row], str]:
    """The rows of a TAB-cell export and the encoding it was in."""
    from taskctl.importers.encoding import decode
    from taskctl.yamlio import read_bytes

    text, encoding = decode(read_bytes(path), path)
    return split_rows(text, path), encoding
