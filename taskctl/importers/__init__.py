"""Read a task list from the formats offices exchange and build the model.

Each reader turns its file into :class:`~taskctl.importers.table.Row` objects (a table row of
cells, each cell a list of lines); :func:`~taskctl.importers.table.build` maps the columns by
their headings and makes the :class:`~taskctl.model.TaskList`.
"""

from __future__ import annotations

import os
from pathlib import Path

from taskctl.errors import InputError
from taskctl.model import TaskList


def read_list(path: str | os.PathLike[str]) -> TaskList:
    """Read a list from a TAB-cell text export (``.txt``), choosing the reader by extension."""
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix in ("", ".txt", ".text", ".tsv"):
        from taskctl.importers.text import read_text

        return read_text(file)
    raise InputError(f"{file}：不认识的文件类型「{suffix}」；可导入 .txt（Word 表格导出的文本）")
