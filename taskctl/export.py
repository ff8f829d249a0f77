"""Write the list, or a filtered view of it, as YAML, CSV, Excel, Markdown or JSON.

Every format reads back with ``taskctl import`` to the same tasks and sections; the title and
attachment also ride along in Excel, Markdown, JSON and YAML, ``groups`` only in JSON and YAML. CSV and Excel cells that a spreadsheet would run as a formula are kept as
text: CSV gets a leading ``'``, Excel a text cell with the quote-prefix style. ``tasks.yaml``
is never touched by the guard.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from taskctl.errors import InputError
from taskctl.importers.csv import GUARD, GUARDED
from taskctl.importers.table import DEADLINE_NOTE
from taskctl.model import Task, TaskList

FORMATS = ("yaml", "csv", "xlsx", "markdown", "json")
SUFFIXES = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
}
LIGHT_FILLS = {"green": "C6EFCE", "yellow": "FFEB9C", "red": "FFC7CE"}
LIGHT_LABELS = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}


@dataclass(frozen=True)
class ExtraColumn:
    """A per-task column added after the list's own (the seam for 进度 status columns).

    ``values`` maps 序号 to the cell text; ``lights`` maps 序号 to ``green``/``yellow``/``red``,
    which colours the cell in Excel and adds per-light counts to the 统计 sheet.
    """

    key: str
    heading: str
    values: Mapping[int, str]
    lights: Mapping[int, str] = field(default_factory=dict)


def view(tasklist: TaskList, tasks: Iterable[Task] | None = None) -> TaskList:
    """The list restricted to ``tasks`` (all when None); sections left empty are dropped."""
    if tasks is None:
        return tasklist
    wanted = {task.id for task in tasks}
    sections = tuple(
        replace(section, tasks=kept)
        for section in tasklist.sections
        if (kept := tuple(t for t in section.tasks if t.id in wanted))
    )
    return replace(tasklist, sections=sections)


def guard(text: str) -> str:
    """Text a spreadsheet would run (= + - @ TAB CR at the start) gets a leading ``'``."""
    return GUARD + text if text[:1] in GUARDED else text


def _deadline(task: Task) -> str:
    if task.deadline is not None:
        return task.deadline.isoformat()
    return str(task.extra.get(DEADLINE_NOTE, "") or "")


def _extra_keys(tasklist: TaskList) -> list[str]:
    keys: dict[str, None] = {}
    for task in tasklist.tasks:
        keys.update((str(k), None) for k in task.extra if k != DEADLINE_NOTE)
    return list(keys)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "\n".join(str(v) for v in value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return str(value)


def table(
    tasklist: TaskList, extra_columns: Sequence[ExtraColumn] = ()
) -> tuple[list[str], list[list[Any]]]:
    """Headings and rows (one per task): 序号 is an int, 完成时限 a date or text, names one a line."""
    headings = ["序号", "部分", "年度任务目标", "责任领导", "牵头部门", "责任部门", "完成时限"]
    extras = _extra_keys(tasklist)
    headings += extras + [column.heading for column in extra_columns]
    rows = []
    for section in tasklist.sections:
        for task in section.tasks:
            deadline: Any = task.deadline if task.deadline is not None else _deadline(task)
            rows.append(
                [
                    task.id,
                    section.heading,
                    task.text,
                    "\n".join(task.leaders),
                    "\n".join(task.lead_departments),
                    "\n".join(task.departments),
                    deadline,
                    *(_text(task.extra.get(key)) for key in extras),
                    *(column.values.get(task.id, "") for column in extra_columns),
                ]
            )
    return headings, rows


def to_csv(tasklist: TaskList, extra_columns: Sequence[ExtraColumn] = ()) -> bytes:
    """UTF-8 with BOM and CRLF, as Excel expects; formula-like cells guarded."""
    headings, rows = table(tasklist, extra_columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([guard(heading) for heading in headings])
    for row in rows:
        writer.writerow([guard(_text(value)) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_markdown(tasklist: TaskList, extra_columns: Sequence[ExtraColumn] = ()) -> bytes:
    """A pipe table that reads back exactly (see :mod:`taskctl.importers.markdown`)."""
    from taskctl.importers.markdown import escape

    headings, rows = table(tasklist, extra_columns)
    lines = []
    if tasklist.attachment:
        lines += [tasklist.attachment, ""]
    if tasklist.title:
        lines += [f"# {tasklist.title}", ""]
    lines.append("| " + " | ".join(headings) + " |")
    lines.append("|" + "|".join("---" for _ in headings) + "|")
    for row in rows:
        lines.append("| " + " | ".join(escape(_text(value)) for value in row) + " |")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _json_value(value: Any) -> Any:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    return value


def to_json(tasklist: TaskList, extra_columns: Sequence[ExtraColumn] = ()) -> bytes:
    """The document with English keys: title, attachment, year, groups, sections, tasks."""
    tasks = []
    for task in tasklist.tasks:
        record: dict[str, Any] = {
            "id": task.id,
            "section": task.section,
            "text": task.text,
            "leaders": list(task.leaders),
            "lead_departments": list(task.lead_departments),
            "departments": list(task.departments),
            "deadline": task.deadline.isoformat() if task.deadline else None,
            "extra": _json_value(dict(task.extra)),
        }
        for column in extra_columns:
            record[column.key] = column.values.get(task.id)
        tasks.append(record)
    document = {
        "title": tasklist.title,
        "attachment": tasklist.attachment,
        "year": tasklist.year,
        "groups": {name: list(members) for name, members in tasklist.groups.items()},
        "sections": [
            {"numeral": s.numeral, "title": s.title, "declared": s.declared}
            for s in tasklist.sections
        ],
        "tasks": tasks,
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def to_yaml(tasklist: TaskList, extra_columns: Sequence[ExtraColumn] = ()) -> bytes:
    """The ``tasks.yaml`` text (extra columns are not part of the list and are left out)."""
    from taskctl.loader import dumps

    return dumps(tasklist).encode("utf-8")


def _width(values: Iterable[str]) -> int:
    from wcwidth import wcswidth

    widest = 0
    for value in values:
        for line in value.split("\n"):
            widest = max(widest, wcswidth(line) if wcswidth(line) >= 0 else len(line) * 2)
    return widest


def to_xlsx(tasklist: TaskList, extra_columns: Sequence[ExtraColumn] = ()) -> bytes:
    """The 台账: title rows, a bold frozen header with autofilter, wrapped cells sized for
    Chinese text, status cells coloured by light; a second sheet 统计 with counts."""
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    headings, rows = table(tasklist, extra_columns)
    for row in rows:
        for heading, value in zip(headings, row, strict=True):
            if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
                raise InputError(
                    f"序号 {row[0]} 的 {heading} 含有控制字符，Excel 无法保存；请先在清单中删去"
                )
    for label, value in (
        ("附件", tasklist.attachment),
        ("标题", tasklist.title),
        *(("列标题", h) for h in headings),
    ):
        if ILLEGAL_CHARACTERS_RE.search(value):
            raise InputError(f"清单的{label}含有控制字符，Excel 无法保存；请先在清单中删去")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "台账"
    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    preamble = [p for p in (tasklist.attachment, tasklist.title) if p]
    for number, text in enumerate(preamble, 1):
        _set(sheet, number, 1, text).font = Font(
            bold=True, size=14 if text == tasklist.title else 11
        )
        if text == tasklist.title and len(headings) > 1:
            sheet.merge_cells(
                start_row=number, start_column=1, end_row=number, end_column=len(headings)
            )
    header = len(preamble) + 1
    for col, heading in enumerate(headings, 1):
        c = _set(sheet, header, col, heading)
        c.font = bold
        c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        c.fill = PatternFill("solid", fgColor="D9D9D9")
    light_columns = {
        len(headings) - len(extra_columns) + i: column
        for i, column in enumerate(extra_columns, 1)
        if column.lights
    }
    for r, row in enumerate(rows, header + 1):
        for col, value in enumerate(row, 1):
            c = _set(sheet, r, col, value)
            c.alignment = wrap
            if isinstance(value, _dt.date):
                c.number_format = "yyyy-mm-dd"
            column = light_columns.get(col)
            light = column.lights.get(int(row[0])) if column else None
            if light in LIGHT_FILLS:
                c.fill = PatternFill("solid", fgColor=LIGHT_FILLS[light])
    sheet.freeze_panes = sheet.cell(header + 1, 1)
    last = get_column_letter(len(headings))
    sheet.auto_filter.ref = f"A{header}:{last}{header + max(len(rows), 1)}"
    limits = {"年度任务目标": 60, "部分": 30}
    for col, heading in enumerate(headings, 1):
        widest = _width([heading, *(_text(row[col - 1]) for row in rows)])
        sheet.column_dimensions[get_column_letter(col)].width = max(
            6, min(widest, limits.get(heading, 24)) + 2
        )
    _stats_sheet(workbook.create_sheet("统计"), tasklist, extra_columns, bold)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _set(sheet: Any, row: int, col: int, value: Any) -> Any:
    """Write a cell; text a spreadsheet would run is stored as text with the quote prefix."""
    c = sheet.cell(row, col, value)
    if isinstance(value, str) and value[:1] in GUARDED:
        c.data_type = "s"
        c.quotePrefix = True
    return c


def _stats_sheet(
    sheet: Any, tasklist: TaskList, extra_columns: Sequence[ExtraColumn], bold: Any
) -> None:
    """Per-leader and per-department counts, with per-light counts when a column has lights."""
    from taskctl.names import normalize
    from taskctl.query import department_directory, leader_directory

    lights = next((column.lights for column in extra_columns if column.lights), {})
    light_keys = [k for k in LIGHT_FILLS if k in set(lights.values())]

    def by_light(name: str, fields: tuple[str, ...]) -> list[int]:
        """Tasks naming ``name`` directly in one of ``fields``, per light."""
        held = [
            t
            for t in tasklist.tasks
            if name in {normalize(x) for f in fields for x in getattr(t, f)}
        ]
        return [sum(1 for t in held if lights.get(t.id) == key) for key in light_keys]

    row = 1
    for col, heading in enumerate(
        ["责任领导", "任务数", *(LIGHT_LABELS[k] for k in light_keys)], 1
    ):
        sheet.cell(row, col, heading).font = bold
    for name, count in leader_directory(tasklist):
        row += 1
        counts = by_light(name, ("leaders",))
        for col, value in enumerate([name, count, *counts], 1):
            _set(sheet, row, col, value)
    row += 2
    headings = ["部门", "牵头", "责任", "经统称", *(LIGHT_LABELS[k] for k in light_keys)]
    for col, heading in enumerate(headings, 1):
        sheet.cell(row, col, heading).font = bold
    for dept in department_directory(tasklist):
        row += 1
        counts = by_light(dept.name, ("lead_departments", "departments"))
        values = [dept.name, dept.lead, dept.support, dept.via_group, *counts]
        for col, value in enumerate(values, 1):
            _set(sheet, row, col, value)
    sheet.column_dimensions["A"].width = 24


WRITERS: dict[str, Callable[[TaskList, Sequence[ExtraColumn]], bytes]] = {
    "yaml": to_yaml,
    "csv": to_csv,
    "xlsx": to_xlsx,
    "markdown": to_markdown,
    "json": to_json,
}


def export(
    tasklist: TaskList,
    fmt: str,
    tasks: Iterable[Task] | None = None,
    extra_columns: Sequence[ExtraColumn] = (),
) -> bytes:
    """The list (or the view of ``tasks``) as the bytes of a file in ``fmt``."""
    if fmt not in WRITERS:
        raise InputError(f"不支持的导出格式「{fmt}」；可用：{'、'.join(FORMATS)}")
    return WRITERS[fmt](view(tasklist, tasks), extra_columns)
