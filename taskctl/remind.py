"""催办 notices: one per 牵头部门 that has tasks to chase, each task with its text, why it is
listed, its last report and a date to reply by.

A task is chased when it is 滞后 (reported so, or below 序时进度 beyond the 序时容差), past its
完成时限, without a report for ``stale_days`` days (or never reported), or within
``due_days`` of its 完成时限; a task reported 已完成 never is. A unit with nothing to chase gets
no notice. The notice's text is :func:`blocks` (headings, paragraphs), rendered as Markdown or
text by :mod:`taskctl.report` and as a 公文 by :mod:`taskctl.report_docx`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass

from taskctl.model import TaskList
from taskctl.names import normalize
from taskctl.progress import BEHIND, DONE, Entry
from taskctl.report import Block
from taskctl.tracking import DUE_SOON_DAYS, STALE_DAYS, TaskState, dept_rows, task_states

REPLY_DAYS = 3
NOTICE_FORMATS = ("docx", "markdown", "text")
SUFFIXES = {"docx": ".docx", "markdown": ".md", "text": ".txt"}
NO_UNIT = "（未填写牵头部门）"


@dataclass(frozen=True)
class Item:
    """One task in a notice and why it is chased."""

    state: TaskState
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Notice:
    """The 催办 notice for one 牵头部门."""

    unit: str
    as_of: _dt.date
    reply_by: _dt.date
    items: tuple[Item, ...]
    title: str = ""


def reasons(state: TaskState, due_days: int = DUE_SOON_DAYS) -> tuple[str, ...]:
    """Why a task is chased, in the office's words; empty when it is not."""
    if state.status == DONE:
        return ()
    found = []
    flag = state.flag
    if flag is not None and flag.word in ("退回", "回访"):  # see taskctl.review
        found.append(f"办结申请已{flag.word}（{flag.review.date.isoformat()}）：{flag.reason}"
                     if flag.review is not None else f"办结申请已{flag.word}")  # fmt: skip
    if state.overdue:
        found.append(f"已超期（完成时限 {state.deadline.isoformat()}）")
    if state.status == BEHIND:
        found.append("滞后")
    if state.unreported and state.due is not None:
        found.append(f"逾期未报（{state.due[1].isoformat()} 前应报）")
    if state.below_time:
        shown = "未填进度，按 0% 计" if state.progress is None else f"进度 {state.progress}%"
        found.append(f"低于序时进度（{shown}，序时进度 {state.time_progress:.1f}%）")
    if state.yellow_too_long:
        found.append(f"连续 {state.rule.red_after} 期黄灯")
    if state.stale:
        since = state.days_since_report
        found.append("从未填报" if since is None else f"{since} 天未填报")
    if not state.overdue and 0 <= state.days_left <= due_days:
        found.append(f"距完成时限 {state.days_left} 天")
    return tuple(found)


def notices(
    tasklist: TaskList,
    entries: Sequence[Entry],
    as_of: _dt.date,
    *,
    stale_days: int = STALE_DAYS,
    due_days: int = DUE_SOON_DAYS,
    reply_days: int = REPLY_DAYS,
) -> list[Notice]:
    """One notice per 牵头部门 with tasks to chase, most tasks first; tasks in 序号 order within
    a notice. Each unit is chased for its own part only: of a task led by two units, each is
    chased when its own reports (or the office's findings since) give a reason."""
    by_unit: dict[str, list[Item]] = {}
    for unit, part in dept_rows(task_states(tasklist, entries, as_of, stale_days=stale_days)):
        why = reasons(part, due_days)
        if why:
            by_unit.setdefault(NO_UNIT if unit == "（未填写）" else unit, []).append(
                Item(part, why)
            )
    reply_by = as_of + _dt.timedelta(days=reply_days)
    order = {unit: index for index, unit in enumerate(by_unit)}
    found = [
        Notice(
            unit,
            as_of,
            reply_by,
            tuple(sorted(items, key=lambda item: item.state.task.id)),
            tasklist.title,
        )
        for unit, items in by_unit.items()
    ]
    found.sort(key=lambda n: (-len(n.items), order[n.unit]))
    return found


def unlisted_groups(
    tasklist: TaskList, found: Sequence[Notice]
) -> tuple[list[Notice], list[Notice]]:
    """(notices that can be sent, notices addressed to a 统称 such as 各有关镇街道 whose members
    ``groups:`` does not list): nobody receives a notice addressed to no one in particular."""
    from taskctl.forms import is_blanket

    listed = {normalize(g) for g, members in tasklist.groups.items() if members}
    kept, dropped = [], []
    for notice in found:
        if is_blanket(notice.unit, tasklist) and notice.unit not in listed:
            dropped.append(notice)
        else:
            kept.append(notice)
    return kept, dropped


def _last_report(state: TaskState) -> str:
    latest = state.latest
    flag = state.flag
    if flag is not None and flag.word in ("待审核", "退回", "回访"):
        latest = flag.request  # what the unit reported, not the state it counts as
    if latest is None:
        return "从未填报"
    parts = [latest.date.isoformat(), latest.status]
    if latest.progress is not None:
        parts.append(f"{latest.progress}%")
    text = " ".join(parts)
    if latest.note:
        text += f"，{latest.note}"
    if latest.by:
        text += f"（{latest.by}）"
    if flag is not None and latest is flag.request:
        text += f"，办结申请{flag.word}"
    return text


def _date(day: _dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def blocks(notice: Notice, sender: str = "督查室") -> list[Block]:
    """The notice as headings and paragraphs (see :func:`taskctl.report.outline`)."""
    out: list[Block] = [
        ("h1", "催办通知"),
        ("to", f"{notice.unit}："),
        (
            "p",
            f"截至 {_date(notice.as_of)}，{notice.title or '任务清单'}中由你单位牵头的以下 "
            f"{len(notice.items)} 项任务需要抓紧推进、及时填报进度。请于 {_date(notice.reply_by)}"
            f"前将进展情况、存在问题和下一步措施报{sender}。",
        ),
    ]
    for item in notice.items:
        state = item.state
        out.append(("h2", f"序号 {state.task.id}　{state.task.text}"))
        out.append(("p", f"催办原因：{'；'.join(item.reasons)}。"))
        out.append(("p", f"最近填报：{_last_report(state)}。"))
        out.append(("p", f"完成时限：{state.deadline.isoformat()}。"))
    out.append(("sign", sender))
    out.append(("sign", _date(notice.as_of)))
    return out


def render(notice: Notice, fmt: str, sender: str = "督查室") -> bytes:
    """The notice as the bytes of a file in one of :data:`NOTICE_FORMATS`."""
    from taskctl.errors import InputError

    content = blocks(notice, sender)
    if fmt == "docx":
        from taskctl.report_docx import blocks_docx

        return blocks_docx(content, f"催办通知（{notice.unit}）")
    if fmt == "markdown":
        from taskctl.report import blocks_markdown

        return blocks_markdown(content).encode("utf-8")
    if fmt == "text":
        from taskctl.report import blocks_text

        return blocks_text(content).encode("utf-8")
    raise InputError(f"催办通知的格式应为 {'、'.join(NOTICE_FORMATS)} 之一，得到「{fmt}」")


def file_name(unit: str, fmt: str) -> str:
    """A file name for the unit's notice: characters a file system refuses become ＿."""
    from taskctl.filenames import unit_part

    return f"催办通知-{unit_part(unit, '＿')}{SUFFIXES[fmt]}"
