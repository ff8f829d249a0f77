"""Turn rows of cells into a task list, finding the columns by their headings."""

from __future__ import annotations

import re
from dataclasses import dataclass
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
}
SECTION_HEADING = re.compile(
    r"^\s*([一二三四五六七八九十百零〇]+)\s*[、.．]\s*(.*?)\s*(?:[（(]\s*(\d+)\s*项\s*[）)])?\s*$"
)
YEAR = re.compile(r"((?:19|20)\d\d)\s*年")


@dataclass(frozen=True)
class Row:
    """A table row: each cell is the list of its lines; ``line`` is where it starts in the file."""

    cells: tuple[tuple[str, ...], ...]
    line: int | None = None

    def text(self, index: int) -> str:
        return "\n".join(self.cells[index]) if index < len(self.cells) else ""


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


def _names(lines: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(line for line in lines if line.strip())


def build(rows: list[Row], path: object) -> TaskList:
    """Build the list: preamble rows (附件, 标题), the heading row, section rows and task rows."""
    preamble: list[str] = []
    columns: dict[str, int] | None = None
    sections: list[tuple[str, str, int | None, list[Task]]] = []
    for row in rows:
        if columns is None:
            columns = find_columns(row)
            if columns is None and len(row.cells) == 1:
                preamble.append(row.text(0))
            elif columns is None:
                raise DataFileError(
                    path,
                    "在表头行之前遇到多列的行；找不到含「序号」「年度任务目标」的表头",
                    row.line,
                )
            continue
        if (
            len([c for c in row.cells if any(line.strip() for line in c)]) <= 1
            and not row.text(columns["id"]).strip().isdigit()
        ):
            text = " ".join(row.text(i) for i in range(len(row.cells))).strip()
            match = SECTION_HEADING.match(text)
            if not match:
                raise DataFileError(
                    path, f"无法识别的单列行「{text}」：部分标题应形如「一、…（6项）」", row.line
                )
            declared = int(match.group(3)) if match.group(3) else None
            sections.append((match.group(1), match.group(2), declared, []))
            continue
        raw_id = row.text(columns["id"]).strip()
        if not raw_id.isdigit():
            raise DataFileError(path, f"序号应为数字，得到「{raw_id}」", row.line)
        if not sections:
            sections.append(("一", "", None, []))
        numeral = sections[-1][0]
        fields: dict[str, Any] = {
            role: _names(row.cells[index]) if index < len(row.cells) else ()
            for role, index in columns.items()
            if role in ("leaders", "lead_departments", "departments")
        }
        sections[-1][3].append(
            Task(id=int(raw_id), text=row.text(columns["text"]), section=numeral, **fields)
        )
    if columns is None:
        raise DataFileError(path, "找不到表头行（应含「序号」与「年度任务目标」）")
    title = next((p for p in reversed(preamble) if p.strip()), "")
    attachment = preamble[0] if len(preamble) > 1 else ""
    year_match = YEAR.search(title)
    return TaskList(
        title=title,
        attachment=attachment,
        year=int(year_match.group(1)) if year_match else None,
        sections=tuple(Section(n, t, d, tuple(ts)) for n, t, d, ts in sections),
        source=str(path),
    )
