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
from operator import attrgetter
from typing import Any

from taskctl.errors import InputError
from taskctl.importers.csv import GUARD, GUARDED
from taskctl.importers.table import DEADLINE_NOTE, FIRST_UNIT_LEADS, ROWS_KEY, WRITTEN_SUFFIX
from taskctl.model import Section, Task, TaskList

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
    values: Mapping[int, Any]
    lights: Mapping[int, str] = field(default_factory=dict)
    suffix: str = ""  # after a number in text formats ("%"); Excel keeps the number and shows it
    width: int = 0  # widest the Excel column grows to (0: as the table's other columns)
    records: Mapping[int, Any] | None = None  # what JSON writes instead of ``values``
    optional: bool = False  # left out when empty for every task exported
    # 办结审核 per unit (unit → 已销号/待审核/退回 → count): a table on the 统计 sheet
    unit_counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)

    def text(self, task_id: int) -> str:
        """The cell as text formats write it: dates ISO, numbers with the suffix."""
        value = self.values.get(task_id)
        if value is None or value == "":
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return f"{value}{self.suffix}"
        return _text(value)


def status_columns(states: Sequence[Any]) -> list[ExtraColumn]:
    """The 台账's progress columns from :class:`taskctl.tracking.TaskState`s: 状态, 进度 (a
    number), 最近更新 (a date), 灯 (the cell coloured by light) and 进展情况 (the latest
    report's 说明)."""
    keys = {"红": "red", "黄": "yellow", "绿": "green"}
    lights = {s.task.id: keys[s.light] for s in states}

    def column(key: str, heading: str, get: Callable[[Any], Any], **more: Any) -> ExtraColumn:
        return ExtraColumn(key, heading, {s.task.id: get(s) for s in states}, **more)

    columns = [
        column("status", "状态", lambda s: s.status),
        column("progress", "进度", lambda s: s.progress, suffix="%"),
        column("updated", "最近更新", lambda s: s.updated),
        column("light", "灯", lambda s: s.light, lights=lights),
        column("note", "进展情况", lambda s: s.note, width=30),
    ]
    # 存在问题 and 下一步措施 once some unit has written them (older logs have neither)
    for key, heading in (("problem", "存在问题"), ("next_step", "下一步措施")):
        if any(getattr(s, key) for s in states):
            columns.append(column(key, heading, attrgetter(key), width=24))
    # Each 牵头 unit's own part where a task has several: in the task's row, where the 台账 is
    # read and printed (one row per task); JSON has every unit's part as records.
    if any(len(s.lead_parts) > 1 for s in states):
        columns.append(
            ExtraColumn(
                "units",
                "各牵头单位",
                {s.task.id: _unit_lines(s) for s in states},
                width=24,
                records={s.task.id: s.unit_records() for s in states},
                optional=True,
            )
        )
    review, counts = _review_column(states)
    if review is not None:
        columns.append(review)
    if counts:  # on the 灯 column, there whenever progress is: the 统计 sheet's per-unit table
        columns[3] = replace(columns[3], unit_counts=counts)
    return columns


def _unit_lines(state: Any) -> str:
    """Each 牵头 unit's part, a line each, where a task has several (else empty)."""
    if len(state.lead_parts) < 2:
        return ""
    lines = []
    for part in state.lead_parts:
        words = [part.unit, part.status]
        if part.progress is not None:
            words.append(f"{part.progress}%")
        lines.append(" ".join(words) + f" {part.light}灯")
    return "\n".join(lines)


REVIEW_WORDS = ("已销号", "待审核", "退回")


def _review_column(
    states: Sequence[Any],
) -> tuple[ExtraColumn | None, dict[str, dict[str, int]]]:
    """办结审核 (see taskctl.review): a column with each unit's flag in the task's cell, when
    some part is 待审核, 退回 or 回访 (a 台账 of parts all 销号 says 已完成 in 状态 already), and
    per unit the counts of 已销号, 待审核 and 退回."""
    cells: dict[int, str] = {}
    counts: dict[str, dict[str, int]] = {}
    open_parts = 0  # 待审核, 退回, 回访
    for state in states:
        if state.review is None or not state.review.flags:
            continue
        words = []
        for part in state.parts:
            flag = part.flag
            if flag is None:
                continue
            words.append(f"{part.unit} {flag.word}" + (f"：{flag.reason}" if flag.reason else ""))
            open_parts += flag.word != REVIEW_WORDS[0]
            if flag.word in REVIEW_WORDS:
                held = counts.setdefault(part.unit, dict.fromkeys(REVIEW_WORDS, 0))
                held[flag.word] += 1
        cells[state.task.id] = "\n".join(words)
    if not open_parts:
        return None, counts
    return ExtraColumn("review", "办结审核", cells, width=20), counts


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


def _deadline_cell(task: Task) -> Any:
    """The 完成时限 as the document wrote it (6月底前), else the date."""
    note = task.extra.get(DEADLINE_NOTE)
    return note if note else task.deadline if task.deadline is not None else ""


# Kept by import to reproduce the document, not columns of their own.
_INTERNAL = (DEADLINE_NOTE, ROWS_KEY)


def _extra_keys(tasklist: TaskList, taken: Iterable[str] = ()) -> list[str]:
    keys: dict[str, None] = {}
    skip = {*_INTERNAL, *taken}
    for task in tasklist.tasks:
        keys.update(
            (str(k), None)
            for k in task.extra
            if k not in skip and not str(k).endswith(WRITTEN_SUFFIX)
        )
    return list(keys)


def _names_cell(task: Task, key: str, attr: str, rules: Sequence[str]) -> str:
    """A name column as the document wrote it: the cell as written where splitting changed
    it, else one name a line (the lead unit first under 列第一位的为牵头单位)."""
    written = task.extra.get(key + WRITTEN_SUFFIX)
    if isinstance(written, str):
        return written
    names = list(getattr(task, attr))
    if attr == "departments" and FIRST_UNIT_LEADS in rules:
        names = [*task.lead_departments, *names]
    return "\n".join(names)


def _source_table(
    tasklist: TaskList, extra_columns: Sequence[ExtraColumn], typed: bool = False
) -> tuple[list[str], list[list[Any]]]:
    """The list under the source's own headings, in the source's order (a 部分 column added
    after 序号 when the source had part rows instead), then any other kept values."""
    columns = list(tasklist.columns)
    keys = [key for _, key in columns]
    if "部分" not in keys:
        at = keys.index("序号") + 1 if "序号" in keys else 0
        columns.insert(at, ("部分", "部分"))
    attrs = {"责任领导": "leaders", "牵头部门": "lead_departments", "责任部门": "departments"}
    units = [k for _, k in columns].count("责任部门")
    extras = _extra_keys(tasklist, [k for _, k in columns])
    headings = [h for h, _ in columns] + extras + [c.heading for c in extra_columns]
    rows = []
    for section in tasklist.sections:
        for task in section.tasks:
            row: list[Any] = []
            seen_units = 0
            for _, key in columns:
                if key == "序号":
                    row.append(task.id)
                elif key == "年度任务目标":
                    row.append(task.text)
                elif key == "部分":
                    row.append(section.full_heading)
                elif key == "完成时限":
                    row.append(_deadline_cell(task))
                elif key in attrs:
                    first = key != "责任部门" or seen_units == 0
                    seen_units += key == "责任部门"
                    if key == "责任部门" and units > 1 and not first:
                        row.append("")
                    else:
                        row.append(_names_cell(task, key, attrs[key], tasklist.rules))
                else:
                    row.append(_text(task.extra.get(key)))
            row += [_text(task.extra.get(key)) for key in extras]
            row += [
                column.values.get(task.id) if typed else column.text(task.id)
                for column in extra_columns
            ]
            parts = task.rows()
            if not parts:
                rows.append(row)
                continue
            # An item the document spread over several rows goes back as those rows, the 序号
            # on the first only (as a merged cell saved to CSV reads back).
            for number, (_, record) in enumerate(parts):
                line = list(row) if number == 0 else [""] * len(row)
                for index, (_, key) in enumerate(columns):
                    if key == "部分":
                        line[index] = section.full_heading
                    elif key != "序号":
                        line[index] = _text(record.get(key, ""))
                rows.append(line)
    return headings, rows


def _row_ids(tasklist: TaskList) -> list[int]:
    """The task of each row :func:`table` gives: one row a task, or under its own headings
    (``columns``) one a row of an item the document spread over several rows."""
    ids = []
    for section in tasklist.sections:
        for task in section.tasks:
            ids += [task.id] * max(len(task.rows()) if tasklist.columns else 0, 1)
    return ids


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "\n".join(str(v) for v in value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return str(value)


def table(
    tasklist: TaskList, extra_columns: Sequence[ExtraColumn] = (), typed: bool = False
) -> tuple[list[str], list[list[Any]]]:
    """Headings and rows (one per task): 序号 is an int, 完成时限 a date or text, names one a line;
    extra columns as text, or (``typed``) as the numbers and dates they hold.

    A list imported from another layout is written under its own headings (see
    :func:`_source_table`); other columns it kept follow the list's own.
    """
    if tasklist.columns:
        return _source_table(tasklist, extra_columns, typed)
    headings = ["序号", "部分", "年度任务目标", "责任领导", "牵头部门", "责任部门", "完成时限"]
    extras = _extra_keys(tasklist)
    headings += extras + [column.heading for column in extra_columns]
    rows = []
    for section in tasklist.sections:
        for task in section.tasks:
            deadline = _deadline_cell(task)
            rows.append(
                [
                    task.id,
                    section.full_heading,
                    task.text,
                    "\n".join(task.leaders),
                    "\n".join(task.lead_departments),
                    "\n".join(task.departments),
                    deadline,
                    *(_text(task.extra.get(key)) for key in extras),
                    *(
                        column.values.get(task.id) if typed else column.text(task.id)
                        for column in extra_columns
                    ),
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


def _json_section(section: Section) -> dict[str, Any]:
    record: dict[str, Any] = {
        "numeral": section.numeral,
        "title": section.title,
        "declared": section.declared,
    }
    if section.path:
        record["path"] = list(section.path)
    if section.written:
        record["written"] = section.written
    return record


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
            held = column.values if column.records is None else column.records
            record[column.key] = _json_value(held.get(task.id))
        tasks.append(record)
    document: dict[str, Any] = {
        "title": tasklist.title,
        "attachment": tasklist.attachment,
        "year": tasklist.year,
        "groups": {name: list(members) for name, members in tasklist.groups.items()},
        "sections": [_json_section(s) for s in tasklist.sections],
        "tasks": tasks,
    }
    if tasklist.columns:  # the source's headings, so a list read back keeps them
        document["columns"] = [list(pair) for pair in tasklist.columns]
    if tasklist.rules:
        document["rules"] = list(tasklist.rules)
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


def to_xlsx(
    tasklist: TaskList, extra_columns: Sequence[ExtraColumn] = (), history: Sequence[Any] = ()
) -> bytes:
    """The 台账, laid out to print: A4 landscape, every column fitted to the page width, the
    title and header rows repeated on each page, thin borders, wrapped text in rows tall enough
    for it, page numbers in the footer. 序号 and 进度 are numbers, dates are dates; a
    coloured light fills its cell. With progress columns (a 台账 of where things stand) an
    empty 完成时限 shows the list's year end, in grey. A second sheet 统计 has the counts; with
    ``history`` (progress entries) a third, 填报记录, lists every report for audit."""
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    headings, rows = table(tasklist, extra_columns, typed=True)
    ids = _row_ids(tasklist)  # each row's task: a list imported without 序号 has no such column
    for row, task_id in zip(rows, ids, strict=True):
        for heading, value in zip(headings, row, strict=True):
            if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
                raise InputError(
                    f"序号 {task_id} 的 {heading} 含有控制字符，Excel 无法保存；请先在清单中删去"
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
    middle = Alignment(wrap_text=True, vertical="top", horizontal="center")
    bold = Font(bold=True)
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    preamble = [p for p in (tasklist.attachment, tasklist.title) if p]
    for number, text in enumerate(preamble, 1):
        cell = _set(sheet, number, 1, text)
        if text == tasklist.title:
            cell.font = Font(bold=True, size=16)
            cell.alignment = Alignment(horizontal="center", vertical="center")
            sheet.row_dimensions[number].height = 30
            if len(headings) > 1:
                sheet.merge_cells(
                    start_row=number, start_column=1, end_row=number, end_column=len(headings)
                )
        else:
            cell.font = Font(bold=True, size=12)
    header = len(preamble) + 1
    for col, heading in enumerate(headings, 1):
        c = _set(sheet, header, col, heading)
        c.font = bold
        c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        c.fill = PatternFill("solid", fgColor="D9D9D9")
        c.border = box
    first_extra = len(headings) - len(extra_columns) + 1
    by_col = {first_extra + i: column for i, column in enumerate(extra_columns)}
    deadline_heading = next((h for h, k in tasklist.columns if k == "完成时限"), "完成时限")
    deadline_col = headings.index(deadline_heading) + 1 if deadline_heading in headings else 0
    default = tasklist.default_deadline() if extra_columns else None
    for r, (row, task_id) in enumerate(zip(rows, ids, strict=True), header + 1):
        for col, value in enumerate(row, 1):
            column = by_col.get(col)
            if col == deadline_col and value == "" and default is not None:
                value = default
            c = _set(sheet, r, col, value)
            c.border = box
            c.alignment = wrap
            if isinstance(value, _dt.date):
                c.number_format = "yyyy-mm-dd"
                c.alignment = middle
                if col == deadline_col and value is default:
                    c.font = Font(color="808080")
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                c.alignment = middle
                if column is not None and column.suffix:
                    c.number_format = f'0"{column.suffix}"'
            light = column.lights.get(task_id) if column else None
            if light in LIGHT_FILLS:
                c.fill = PatternFill("solid", fgColor=LIGHT_FILLS[light])
                c.alignment = middle
    sheet.freeze_panes = sheet.cell(header + 1, 1)
    last = get_column_letter(len(headings))
    sheet.auto_filter.ref = f"A{header}:{last}{header + max(len(rows), 1)}"
    source = {key: heading for heading, key in reversed(tasklist.columns)}  # own headings
    limits = {
        source.get("年度任务目标", "年度任务目标"): 42,
        "部分": 20,
        source.get("完成时限", "完成时限"): 10,
        "最近更新": 10,
    }
    limits.update({c.heading: c.width for c in extra_columns if c.width})
    widths = []
    for col, heading in enumerate(headings, 1):
        widest = _width([heading, *(_text(row[col - 1]) for row in rows)])
        width = max(6, min(widest, limits.get(heading, 14)) + 2)
        sheet.column_dimensions[get_column_letter(col)].width = width
        widths.append(width)
    # a heading written over two lines in its cell (责任⏎单位) keeps its lines, and shows them
    sheet.row_dimensions[header].height = (
        ROW_LINE_PT * max(_lines(h, w) for h, w in zip(headings, widths, strict=True)) + 4
    )
    for r, row in enumerate(rows, header + 1):
        sheet.row_dimensions[r].height = (
            ROW_LINE_PT
            * max(_lines(_text(value), width) for value, width in zip(row, widths, strict=True))
            + 4
        )
    _print_setup(sheet, header)
    _stats_sheet(workbook.create_sheet("统计"), tasklist, extra_columns, bold)
    if history:
        _history_sheet(workbook.create_sheet("填报记录"), tasklist, history, box)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _print_setup(sheet: Any, header: int) -> None:
    """A4 landscape, one page wide, rows 1..``header`` repeated on every page, page numbers."""
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties

    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, footer=0.3)
    sheet.print_options.horizontalCentered = True
    sheet.print_title_rows = f"1:{header}"
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


HISTORY_HEADINGS = ["序号", "年度任务目标", "日期", "状态", "进度", "说明", "填报人", "记录时间"]


def _history_sheet(sheet: Any, tasklist: TaskList, history: Sequence[Any], box: Any) -> None:
    """Every progress report, oldest first, for audit: dates as dates, 进度 as a number."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    texts = {task.id: task.text for task in tasklist.tasks}
    sheet.cell(1, 1, "填报记录").font = Font(bold=True, size=14)
    for col, heading in enumerate(HISTORY_HEADINGS, 1):
        c = sheet.cell(2, col, heading)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="D9D9D9")
        c.border = box
        c.alignment = Alignment(horizontal="center", vertical="center")
    order = sorted(history, key=lambda e: (e.date, e.recorded_at is not None, e.recorded_at or 0))
    for r, entry in enumerate(order, 3):
        recorded = entry.recorded_at.replace(tzinfo=None) if entry.recorded_at else None
        values = [
            entry.id,
            texts.get(entry.id, ""),
            entry.date,
            entry.status,
            entry.progress,
            entry.note,
            entry.by,
            recorded,
        ]
        for col, value in enumerate(values, 1):
            c = _set(sheet, r, col, value)
            c.border = box
            c.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(r, 3).number_format = "yyyy-mm-dd"
        sheet.cell(r, 5).number_format = '0"%"'
        sheet.cell(r, 8).number_format = "yyyy-mm-dd hh:mm:ss"
    for col, width in enumerate([6, 40, 11, 9, 6, 30, 10, 19], 1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "A3"
    sheet.auto_filter.ref = f"A2:H{max(len(order), 1) + 2}"
    _print_setup(sheet, 2)


ROW_LINE_PT = 14.5  # one line of 11 pt 宋体/等线 in a wrapped cell


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapped cell ``width`` characters wide."""
    from wcwidth import wcswidth

    room = max(width - 1.5, 1)
    count = 0
    for line in text.split("\n") or [""]:
        shown = wcswidth(line)
        shown = len(line) * 2 if shown < 0 else shown
        count += max(1, -(-int(shown) // int(room)))
    return count


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
    reviewed = next((c.unit_counts for c in extra_columns if c.unit_counts), {})
    if reviewed:
        row += 2
        for col, heading in enumerate(["单位", *REVIEW_WORDS], 1):
            sheet.cell(row, col, heading).font = bold
        for unit, held in reviewed.items():
            row += 1
            for col, value in enumerate([unit, *(held[w] for w in REVIEW_WORDS)], 1):
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
    history: Sequence[Any] = (),
) -> bytes:
    """The list (or the view of ``tasks``) as the bytes of a file in ``fmt``; ``history``
    (progress entries) adds the 填报记录 sheet to xlsx, for the tasks exported."""
    if fmt not in WRITERS:
        raise InputError(f"不支持的导出格式「{fmt}」；可用：{'、'.join(FORMATS)}")
    shown = view(tasklist, tasks)
    ids = {task.id for task in shown.tasks}
    extra_columns = [
        c for c in extra_columns if not c.optional or any(c.values.get(i) for i in ids)
    ]
    if fmt == "xlsx" and history:
        return to_xlsx(shown, extra_columns, [e for e in history if e.id in ids])
    return WRITERS[fmt](shown, extra_columns)
