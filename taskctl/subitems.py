"""分项: the rows of an item published over several rows, each a reportable part of its own.

An item whose 序号 the document merges down over several rows keeps each row under ``分项``
(see :meth:`taskctl.model.Task.rows`). Each row is a part numbered under the item (5.1, 5.2)
with its own text, units and 完成时限: a cell the row leaves blank (a merged cell keeps its
text in the top row only) is the item's. Units report on a part with ``update 5.2``; the
item's state is its least advanced part's (see docs/progress.md, 分项).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Sequence

from taskctl.errors import InputError
from taskctl.model import ListFacts, Task, TaskList

_TARGET = re.compile(r"\s*(\d+)\s*[.．]\s*(\d+)\s*")


def subitems(task: Task, year: int | None) -> tuple[Task, ...]:
    """Each 分项 of ``task`` as a task of its own (the item's 序号, its row's text, names and
    完成时限, else the item's); empty for an item in one row."""
    rows = task.rows()
    if not rows:
        return ()
    from taskctl.importers.split import split_cell

    def names(row: object, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        text = str(row.get(key, "") or "").strip()  # type: ignore[attr-defined]
        return split_cell(text) if text else default

    parts = []
    for _, row in rows:
        text = " ".join(str(row.get("年度任务目标", "") or "").split()) or task.text
        parts.append(
            Task(
                id=task.id,
                text=text,
                leaders=names(row, "责任领导", task.leaders),
                lead_departments=names(row, "牵头部门", task.lead_departments),
                departments=names(row, "责任部门", task.departments),
                section=task.section,
                deadline=_deadline(str(row.get("完成时限", "") or ""), year) or task.deadline,
                by_status=task.by_status,
            )
        )
    return tuple(parts)


def _deadline(text: str, year: int | None) -> _dt.date | None:
    if not text.strip():
        return None
    from taskctl.importers.deadlines import parse_phrase

    return parse_phrase(text.strip(), year)


def part_count(held: TaskList | ListFacts, task_id: int) -> int:
    """How many 分项 the item ``task_id`` has (0: it is one row)."""
    if isinstance(held, ListFacts):
        return held.part_count(task_id)
    return len(held.task(task_id).rows())


def require_part(held: TaskList | ListFacts, task_id: int, part: int) -> None:
    """:class:`InputError` unless ``part`` is 0 (the whole item) or one of the item's 分项."""
    if not part:
        return
    count = part_count(held, task_id)
    if not count:
        raise InputError(f"序号 {task_id} 没有分项（它在清单中只有一行）；请写 {task_id}")
    if part > count:
        raise InputError(f"序号 {task_id} 没有分项 {part}（有 1–{count}）")


def split_targets(specs: Iterable[str]) -> tuple[list[str], list[tuple[int, int]]]:
    """``update`` arguments: the pieces naming a 分项 (5.2) as (序号, 分项) pairs, and the
    others (7, 9-11) left for the 序号 parser. ``5.1,5.2,7`` gives ``["7"]`` and
    ``[(5, 1), (5, 2)]``."""
    plain: list[str] = []
    parts: list[tuple[int, int]] = []
    for spec in specs:
        rest = []
        for piece in re.split("[,，、]", spec):
            match = _TARGET.fullmatch(piece)
            if match:
                parts.append((int(match[1]), int(match[2])))
            elif piece.strip():
                rest.append(piece)
        if rest:
            plain.append(",".join(rest))
    for task_id, part in parts:
        if part < 1:
            raise InputError(f"分项「{task_id}.{part}」应从 1 数起（{task_id}.1、{task_id}.2…）")
    return plain, parts


def target_text(targets: Sequence[tuple[int, int]]) -> str:
    """5、5.2、7: what an update reports on, as the office writes it."""
    return "、".join(f"{i}.{p}" if p else str(i) for i, p in targets)
