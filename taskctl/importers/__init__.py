"""Read a task list from the formats offices exchange and build the model.

Each table reader turns its file into :class:`~taskctl.importers.table.Row` objects (a table row
of cells, each cell a list of lines); :func:`~taskctl.importers.table.build_table` maps the
columns by their headings and makes the :class:`~taskctl.model.TaskList`. JSON and YAML are read
as documents.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from taskctl.errors import DataFileError, InputError
from taskctl.model import TaskList

if TYPE_CHECKING:
    from taskctl.importers.table import Summary

KINDS = {
    ".txt": "文本",
    ".text": "文本",
    ".tsv": "TSV",
    ".csv": "CSV",
    ".docx": "Word",
    ".xlsx": "Excel",
    ".xlsm": "Excel",
    ".md": "Markdown",
    ".markdown": "Markdown",
    ".json": "JSON",
    ".yaml": "YAML",
    ".yml": "YAML",
}


@dataclass(frozen=True)
class ImportResult:
    """The list read, what kind of file it was, its text encoding, the columns left out (none:
    every column is mapped or kept verbatim) and the summary of what was read (tables only)."""

    tasklist: TaskList
    kind: str
    encoding: str | None = None
    ignored: tuple[str, ...] = ()
    summary: Summary | None = None
    warnings: tuple[str, ...] = ()


def read_source(
    path: str | os.PathLike[str],
    *,
    columns: str | Mapping[str, str] | None = None,
    table: int | None = None,
    first_unit_leads: bool = False,
    year: int | None = None,
) -> ImportResult:
    """Read a list from any supported file, choosing the reader by extension.

    ``columns`` maps headings to roles by hand (``任务=重点工作,牵头部门=主要责任单位``, or a
    mapping of heading → role), ``table`` picks one table of a Word file (from 1) and
    ``first_unit_leads`` applies the published rule 列第一位的为牵头单位 (recorded in the list)
    and ``year`` is the list's year (when the document names none, this year is taken, and the
    summary says so).
    """
    from taskctl.importers.roles import key, parse_columns_option
    from taskctl.importers.table import Options, build_table

    if isinstance(columns, str):
        columns = parse_columns_option(columns)
    elif columns is not None:
        columns = {key(h): r for h, r in columns.items()}
    options = Options(columns=columns, first_unit_leads=first_unit_leads, table=table, year=year)

    file = Path(path)
    suffix = file.suffix.lower()
    if suffix == "":
        suffix = ".txt"
    kind = KINDS.get(suffix)
    if suffix in (".doc", ".xls", ".wps", ".et"):
        raise InputError(
            f"{file}：旧版 {suffix} 文件无法直接读取；请在 Word/Excel/WPS 中另存为 .docx 或 .xlsx"
        )
    if kind is None:
        known = "、".join(sorted(set(KINDS)))
        raise InputError(f"{file}：不认识的文件类型「{suffix}」；可导入 {known}")
    if not file.exists():
        raise DataFileError(file, "文件不存在")
    if file.is_dir():
        raise DataFileError(file, "这是一个文件夹，不是文件")
    if not file.is_file():
        raise DataFileError(file, "不是普通文件（管道、设备等），不能读取")
    encoding: str | None = None
    warnings: list[str] = []
    if kind == "文本":
        from taskctl.importers.text import read_text

        rows, encoding = read_text(file)
    elif kind in ("CSV", "TSV"):
        from taskctl.importers.csv import read_csv

        rows, encoding = read_csv(file)
    elif kind == "Markdown":
        from taskctl.importers.markdown import read_markdown

        rows, encoding = read_markdown(file)
    elif kind == "Word":
        from taskctl.importers.docx import read_docx

        rows = read_docx(file)
    elif kind == "Excel":
        from taskctl.importers.xlsx import read_xlsx_checked

        rows, warnings = read_xlsx_checked(file)
    elif kind == "JSON":
        from taskctl.importers.jsondoc import read_json

        tasklist, encoding = read_json(file)
        return ImportResult(tasklist, kind, encoding)
    else:
        from taskctl.loader import load

        return ImportResult(load(file), kind, "UTF-8")
    if kind in ("CSV", "TSV"):
        options = dataclasses.replace(options, merges_lost=True)
    built = build_table(rows, file, options)
    return ImportResult(
        built.tasklist, kind, encoding, tuple(built.ignored), built.summary, tuple(warnings)
    )


def read_list(path: str | os.PathLike[str]) -> TaskList:
    """Read a list from any supported file (see :func:`read_source`)."""
    return read_source(path).tasklist
