"""Turn rows of cells into a task list, finding the columns by their headings."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

from taskctl.errors import DataFileError
from taskctl.model import Section, Task, TaskList

# The first heading of each tuple is the document's own; the others are what other counties use.
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("序号",),
    "text": ("年度任务目标", "任务", "工作任务", "任务内容"),
    "leaders": ("责任领导", "牵头领导", "分管领导"),
    "lead_departments": ("牵头部门", "牵头单位"),
    "departments": ("责任部门", "责任单位", "配合单位", "协同单位"),
    "deadline": ("完成时限", "完成时间"),
    "section": ("部分", "类别"),
}
NAME_ROLES = ("leaders", "lead_departments", "departments")
# A 完成时限 that is not a date (长期坚持, 6月底前…) is kept verbatim under this key.
DEADLINE_NOTE = "完成时限说明"
_N = "[一二三四五六七八九十百零〇]+"
# 一、标题（6项） and the other ways counties number their parts: （一）标题, 第一部分 标题.
SECTION_HEADING = re.compile(
    rf"^\s*(?:(?P<a>{_N})\s*[、.．]|[（(]\s*(?P<b>{_N})\s*[）)]\s*[、.．]?|第(?P<c>{_N})部分\s*[、.．：:]?)"
    r"\s*(?P<title>.*?)\s*(?:[（(]\s*(?P<declared>\d+)\s*项\s*[）)])?\s*$"
)
YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_DATE = re.compile(r"^\s*(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?\s*$")
# What separates several names in one cell besides a line break.
_NAME_SEPARATOR = re.compile("、")
DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class Row:
    """A table row: each cell is the list of its lines; ``line`` is where it starts in the file."""

    cells: tuple[tuple[str, ...], ...]
    line: int | None = None

    def text(self, index: int) -> str:
        return "\n".join(self.cells[index]) if index < len(self.cells) else ""

    def filled(self) -> list[int]:
        """Indexes of the cells that hold any text."""
        return [i for i, cell in enumerate(self.cells) if any(line.strip() for line in cell)]


def cell(text: str) -> tuple[str, ...]:
    """A cell from its text (line breaks of any kind split it into lines)."""
    return tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


@dataclass
class Built:
    """What :func:`build_table` made, with the headings it left out."""

    tasklist: TaskList
    ignored: list[str] = field(default_factory=list)


def _heading_key(text: str) -> str:
    return re.sub(r"\s+", "", text)


def find_columns(row: Row) -> dict[str, int] | None:
    """Map column roles to indexes when ``row`` is a heading row (it has 序号 and a task column)."""
    found: dict[str, int] = {}
    for index, _ in enumerate(row.cells):
        heading = _heading_key(row.text(index))
        for role, names in COLUMNS.items():
            if heading in names and role not in found:
                found[role] = index
    return found if "id" in found and "text" in found else None


def parse_heading(text: str) -> tuple[str, str, int | None] | None:
    """(numeral, title, declared count) of a section heading, None when ``text`` is not one."""
    match = SECTION_HEADING.match(text)
    if not match:
        return None
    declared = match.group("declared")
    numeral = match.group("a") or match.group("b") or match.group("c")
    return numeral, match.group("title"), int(declared) if declared else None


def numeral(number: int) -> str:
    """Chinese numeral for 1–99 (一, 十, 十一, 二十三)."""
    tens, ones = divmod(number, 10)
    if number < 10:
        return DIGITS[number]
    return f"{'' if tens == 1 else DIGITS[tens]}十{DIGITS[ones] if ones else ''}"


def parse_deadline(text: str) -> _dt.date | None:
    """2023-06-30, 2023/6/30, 2023.6.30 or 2023年6月30日 as a date; None for anything else."""
    match = _DATE.match(text)
    if not match:
        return None
    try:
        return _dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def split_names(lines: tuple[str, ...]) -> tuple[str, ...]:
    """Names in a cell: one per line (as in the Word document) or separated by 、."""
    names: list[str] = []
    for line in lines:
        names.extend(part for part in _NAME_SEPARATOR.split(line) if part.strip())
    return tuple(names)


def _unknown_layout(rows: list[Row], path: object) -> DataFileError:
    candidates = [r for r in rows if len(r.filled()) >= 2]
    found = (
        "、".join(f"「{candidates[0].text(i).strip()}」" for i in candidates[0].filled())
        if candidates
        else "（没有多列的行）"
    )
    known = "；".join("/".join(names) for names in COLUMNS.values())
    return DataFileError(
        path,
        f"找不到可识别的表头（至少要有「序号」和任务一列）。找到的列标题：{found}。"
        f"可识别的列标题：{known}",
        candidates[0].line if candidates else None,
    )


def build(rows: list[Row], path: object) -> TaskList:
    """Build the list; see :func:`build_table`."""
    return build_table(rows, path).tasklist


def build_table(rows: list[Row], path: object) -> Built:
    """Build the list from preamble rows (附件, 标题), the heading row, section rows and task rows.

    Without section heading rows, a 部分/类别 column groups the tasks (in order of first
    appearance); a heading that repeats (a table continued on the next page) is skipped.
    """
    preamble: list[str] = []
    columns: dict[str, int] | None = None
    heading_row: Row | None = None
    sections: list[tuple[str, str, int | None, list[Task]]] = []
    by_category: dict[str, tuple[str, str, int | None, list[Task]]] = {}
    for row in rows:
        filled = row.filled()
        if columns is None:
            columns = find_columns(row)
            if columns is not None:
                heading_row = row
            elif len(filled) == 1:
                preamble.append(row.text(filled[0]).strip())
            continue
        if not filled or find_columns(row) == columns:
            continue
        if len(filled) == 1 and not row.text(columns["id"]).strip().isdecimal():
            text = row.text(filled[0]).strip()
            heading = parse_heading(text)
            if heading is None:
                raise DataFileError(
                    path, f"无法识别的单列行「{text}」：部分标题应形如「一、…（6项）」", row.line
                )
            sections.append((*heading, []))
            continue
        raw_id = row.text(columns["id"]).strip()
        if not raw_id.isdecimal() or len(raw_id) > 9:
            raise DataFileError(path, f"序号应为数字，得到「{raw_id}」", row.line)
        target = _target(row, columns, sections, by_category)
        fields: dict[str, Any] = {
            role: split_names(row.cells[index]) if index < len(row.cells) else ()
            for role, index in columns.items()
            if role in NAME_ROLES
        }
        deadline_text = row.text(columns["deadline"]).strip() if "deadline" in columns else ""
        deadline = parse_deadline(deadline_text) if deadline_text else None
        extra = {DEADLINE_NOTE: deadline_text} if deadline_text and deadline is None else {}
        target[3].append(
            Task(
                id=int(raw_id),
                text=row.text(columns["text"]),
                section=target[0],
                deadline=deadline,
                extra=extra,
                **fields,
            )
        )
    if columns is None or heading_row is None:
        raise _unknown_layout(rows, path)
    sections = list(by_category.values()) + sections
    ignored = [
        heading_row.text(i).strip() for i in heading_row.filled() if i not in columns.values()
    ]
    title = next((p for p in reversed(preamble) if p), "")
    attachment = preamble[0] if len(preamble) > 1 else ""
    year_match = YEAR.search(title)
    tasklist = TaskList(
        title=title,
        attachment=attachment,
        year=int(year_match.group(1)) if year_match else None,
        sections=tuple(Section(n, t, d, tuple(ts)) for n, t, d, ts in sections),
        source=str(path),
    )
    return Built(tasklist, ignored)


def _target(
    row: Row,
    columns: dict[str, int],
    sections: list[tuple[str, str, int | None, list[Task]]],
    by_category: dict[str, tuple[str, str, int | None, list[Task]]],
) -> tuple[str, str, int | None, list[Task]]:
    """The section a task row belongs to: the last heading row, else its 部分/类别 cell."""
    if sections:
        return sections[-1]
    category = row.text(columns["section"]).strip() if "section" in columns else ""
    if category not in by_category:
        heading = parse_heading(category)
        if heading is not None:
            by_category[category] = (*heading, [])
        else:
            by_category[category] = (numeral(len(by_category) + 1), category, None, [])
    return by_category[category]
