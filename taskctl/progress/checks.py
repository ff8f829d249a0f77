"""What cannot be true in a new report: the checks ``update`` and ``collect`` make before
anything is written, and the entries ``update`` writes."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from typing import Any

from taskctl.errors import InputError
from taskctl.model import ListFacts, TaskList
from taskctl.progress import entry as _format
from taskctl.progress.entry import (
    _SURROGATE,
    BEHIND,
    DONE,
    MAX_TEXT,
    NOT_STARTED,
    Entry,
    parse_date,
    parse_progress,
    parse_status,
)
from taskctl.progress.store import (
    _order,
    effective,
    targets,
)


def check_entries(
    tasklist: TaskList | ListFacts,
    entries: Sequence[Entry],
    previous: Sequence[Entry] = (),
    *,
    today: _dt.date | None = None,
    allow_date: bool = False,
    note_option: str = "--note",
    date_hint: str = "确需如此请加 --allow-date",
) -> list[str]:
    """What cannot be true in ``entries`` (empty when all is well), one Chinese line each.

    A date after today or outside the list's year (unless ``allow_date``), 已完成 with a 进度
    below 100, 滞后 with 100, 未启动 with more than 0, a text over :data:`MAX_TEXT`
    characters, a 进度 lower than the same 填报人's last one for the task (in ``previous``: each
    unit answers for its own part) without a 进展情况.
    """
    today = today or _format.now().date()
    from taskctl.names import normalize

    last: dict[tuple[int, int, str], Entry] = {}  # each unit's own last report of each task
    for entry in effective(previous):
        key = (entry.id, entry.part, normalize(entry.by))
        held = last.get(key)
        if held is None or (entry.date, _order(entry)) >= (held.date, _order(held)):
            last[key] = entry
    problems = []
    for entry in entries:
        if not allow_date:
            if entry.date > today:
                problems.append(
                    f"日期 {entry.date.isoformat()} 晚于今天（{today.isoformat()}）；"
                    f"请核对日期，{date_hint}"
                )
            elif tasklist.year and entry.date.year != tasklist.year:
                problems.append(
                    f"日期 {entry.date.isoformat()} 不在清单年度 {tasklist.year} 年内；"
                    f"请核对日期，{date_hint}"
                )
        if entry.status == DONE and entry.progress is not None and entry.progress < 100:
            problems.append(
                f"序号 {entry.target} 填报为已完成，进度却为 {entry.progress}%：已完成的进度应为 100，"
                "未完成请填 序时推进 或 滞后"
            )
        if entry.status == BEHIND and entry.progress == 100:
            problems.append(
                f"序号 {entry.target} 填报为滞后，进度却为 100%：进度 100 请填 已完成（逾期完成的也是"
                "已完成），仍有未完成的工作请如实填写进度"
            )
        if entry.status == NOT_STARTED and entry.progress:
            problems.append(
                f"序号 {entry.target} 填报为未启动，进度却为 {entry.progress}%：未启动的进度应为 0 或"
                "不填，已开展工作请填 序时推进 或 滞后"
            )
        for label, text in (
            (note_option, entry.note),
            ("存在问题", entry.problem),
            ("下一步措施", entry.next_step),
        ):
            if len(text) > MAX_TEXT:
                problems.append(
                    f"序号 {entry.target} 的 {label} 有 {len(text)} 字，超过 {MAX_TEXT} 字的上限；"
                    "请精简，详细材料请作为佐证材料报送"
                )
        held = last.get((entry.id, entry.part, normalize(entry.by)))
        if (
            held is not None
            and held.progress is not None
            and entry.progress is not None
            and entry.progress < held.progress
            and held.date <= entry.date
            and not entry.note
        ):
            problems.append(
                f"序号 {entry.target} 的进度由 {held.progress}%（{held.date.isoformat()}）降为 "
                f"{entry.progress}%：进度下降须用 {note_option} 写明原因"
            )
    return list(dict.fromkeys(problems))


def argument_text(text: str, what: str) -> str:
    """Command-line text as typed. Bytes that were not UTF-8 reach Python as lone surrogates
    (``surrogateescape``); from a Chinese console they are GBK, so they are read as GB18030."""
    if not _SURROGATE.search(text):
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("gb18030")
    except UnicodeError:
        raise InputError(
            f"{what} 含有无法识别的字节（既不是 UTF-8 也不是 GBK）；请检查终端的编码"
        ) from None


def make_entries(
    tasklist: TaskList | ListFacts,
    ids: Iterable[int | tuple[int, int]],
    status: str,
    *,
    progress: Any = None,
    note: str = "",
    by: str = "",
    date: _dt.date | str | None = None,
    recorded_at: _dt.datetime | None = None,
    problem: str = "",
    next_step: str = "",
    previous: Sequence[Entry] = (),
    allow_date: bool = False,
) -> list[Entry]:
    """Validated entries for an update (every 序号 must be in the list, every 分项 — a
    (序号, 分项) pair in ``ids`` — in its item); nothing is written.

    What cannot be true is refused (see :func:`check_entries`; ``previous`` is the log so far).
    """
    status = parse_status(status)
    note, by = argument_text(note, "--note 说明"), argument_text(by, "--by 填报人")
    percent = None if progress is None else parse_progress(progress)
    if isinstance(date, str):
        date = parse_date(date)
    moment = recorded_at or _format.now()
    if date is None:
        date = moment.date()
    wanted = list(dict.fromkeys(targets(ids)))
    if not wanted:
        raise InputError("请至少写一个序号")
    from taskctl.subitems import require_part
    from taskctl.units import resolve_reporter

    for task_id, part in wanted:
        tasklist.require(task_id)
        require_part(tasklist, task_id, part)
    by = resolve_reporter(by, wanted, tasklist)
    entries = [
        Entry(
            task_id,
            date,
            status,
            percent,
            note.strip(),
            by.strip(),
            moment,
            problem=problem.strip(),
            next_step=next_step.strip(),
            part=part,
        )
        for task_id, part in wanted
    ]
    problems = check_entries(
        tasklist, entries, previous, today=moment.date(), allow_date=allow_date
    )
    if problems:
        raise InputError("；".join(problems[:3]) + ("……" if len(problems) > 3 else ""))
    return entries
