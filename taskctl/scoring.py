"""考评: each unit's score over a period by the office's rules, every point traceable.

A unit starts at the rules' 基础分 and gains or loses points for events the log already
records (docs/scoring.md has the default, its sources and a worked example):

* 迟报 / 未报: its reply to a collection round that falls in the period
  (:func:`taskctl.collect.reply_statuses`; a round nobody replied to was not collected and
  counts for no one);
* 超期未完成: its own part of a task is past its effective 完成时限 and not 已完成 at the
  period's end; else 滞后: the part is 滞后 or 红 then (:attr:`TaskState.parts`); neither
  while its 已完成 waits for the office's review (待审核);
* 退回 / 销号: the office's review events dated in the period (:mod:`taskctl.review`); with
  ``办结审核: false`` a part reported 已完成 in the period counts as 销号.

Each event's points may differ by role (牵头 — 主牵头 included — or 责任). The total is kept
between the 上限 and 下限; units are ranked by competition ranking (1, 2, 2, 4). Nothing
counts activity as merit: the number of reports earns nothing.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from taskctl.errors import InputError
from taskctl.model import TaskList

SETTING = "考评规则"
LEAD, SUPPORT = "牵头", "责任"
LATE, MISSING, BEHIND, OVERDUE, RETURNED, CLOSED = (
    "迟报",
    "未报",
    "滞后",
    "超期未完成",
    "退回",
    "销号",
)
EVENTS = (LATE, MISSING, BEHIND, OVERDUE, RETURNED, CLOSED)
BASE, CAP, FLOOR = "基础分", "上限", "下限"

DEFAULT_RULES: dict[str, Any] = {
    BASE: 100,
    CAP: 100,
    FLOOR: 0,
    LATE: -0.1,
    MISSING: -0.5,
    BEHIND: {LEAD: -1, SUPPORT: -0.5},
    OVERDUE: {LEAD: -2, SUPPORT: -1},
    RETURNED: -2,
    CLOSED: {LEAD: 2, SUPPORT: 1},
}


@dataclass(frozen=True)
class Rules:
    """Points per event and role (``points[event][role]``), the base, cap and floor."""

    base: float
    cap: float | None
    floor: float | None
    points: Mapping[str, Mapping[str, float]]

    def of(self, event: str, role: str) -> float:
        return self.points[event][SUPPORT if role == SUPPORT else LEAD]


def _number(value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{SETTING}「{key}」应为数，得到「{value}」")
    return float(value)


def parse_rules(raw: Any = None) -> Rules:
    """The rules from the list's ``考评规则`` (or a ``--rules`` file's mapping): the default
    with the keys given replaced. An unknown key or a bad value is refused, naming the key."""
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise InputError(f"{SETTING}应为键值对（如 迟报: -0.1），得到「{raw}」")
    for key in raw:
        if key not in DEFAULT_RULES:
            raise InputError(f"{SETTING}中有未知的项「{key}」（可写：{'、'.join(DEFAULT_RULES)}）")
    merged = {**DEFAULT_RULES, **raw}
    points: dict[str, dict[str, float]] = {}
    for event in EVENTS:
        value = merged[event]
        if isinstance(value, Mapping):
            for role in value:
                if role not in (LEAD, SUPPORT):
                    raise InputError(
                        f"{SETTING}「{event}」中有未知的角色「{role}」（可写：牵头、责任）"
                    )
            default = DEFAULT_RULES[event]
            both = default if isinstance(default, Mapping) else {LEAD: default, SUPPORT: default}
            points[event] = {
                role: _number(value.get(role, both[role]), f"{event}.{role}")
                for role in (LEAD, SUPPORT)
            }
        else:
            number = _number(value, event)
            points[event] = {LEAD: number, SUPPORT: number}
    bounds = {
        key: None if merged[key] is None else _number(merged[key], key) for key in (CAP, FLOOR)
    }
    cap, floor = bounds[CAP], bounds[FLOOR]
    if cap is not None and floor is not None and floor > cap:
        raise InputError(f"{SETTING}「{FLOOR}」{floor:g} 高于「{CAP}」{cap:g}")
    return Rules(_number(merged[BASE], BASE), cap, floor, points)


def list_rules(tasklist: TaskList) -> Rules:
    settings = tasklist.settings if isinstance(tasklist.settings, Mapping) else {}
    return parse_rules(settings.get(SETTING))


@dataclass(frozen=True)
class Item:
    """One scored event: the task (序号; ``None`` for a reply round), its date, why, points."""

    id: int | None
    date: _dt.date
    reason: str
    points: float
    event: str

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "date": self.date.isoformat(),
            "reason": self.reason,
            "points": _plain(self.points),
        }


@dataclass
class Score:
    unit: str
    base: float
    items: list[Item] = field(default_factory=list)
    rank: int = 0
    capped: str = ""  # 上限 or 下限 when the bound applied

    @property
    def raw(self) -> float:
        return round(self.base + sum(item.points for item in self.items), 2)

    def score_with(self, rules: Rules) -> float:
        raw = self.raw
        if rules.cap is not None and raw > rules.cap:
            self.capped = CAP
            return rules.cap
        if rules.floor is not None and raw < rules.floor:
            self.capped = FLOOR
            return rules.floor
        return raw

    def count(self, event: str) -> int:
        return sum(1 for item in self.items if item.event == event)


@dataclass(frozen=True)
class Ranking:
    scores: list[tuple[Score, float]]  # (score, its points), best first

    def records(self) -> list[dict[str, Any]]:
        rows = []
        for score, points in self.scores:
            row: dict[str, Any] = {
                "unit": score.unit,
                "rank": score.rank,
                "score": _plain(points),
                "base": _plain(score.base),
            }
            row.update({KEYS[event]: score.count(event) for event in EVENTS})
            row["items"] = [item.to_record() for item in score.items]
            if score.capped:
                row["capped"] = score.capped
            rows.append(row)
        return rows


KEYS = {
    LATE: "late",
    MISSING: "missing",
    BEHIND: "behind",
    OVERDUE: "overdue",
    RETURNED: "returned",
    CLOSED: "closed",
}


def _plain(number: float) -> float | int:
    """A whole number as an int (100, not 100.0) in records and JSON."""
    return int(number) if float(number).is_integer() else number


def _role(role: str) -> str:
    from taskctl.units import SUPPORT as SUPPORT_ROLE

    return SUPPORT if role == SUPPORT_ROLE else LEAD


def rounds(tasklist: TaskList, start: _dt.date, end: _dt.date) -> list[Any]:
    """The collection rounds (:class:`taskctl.period.Period`) ending in ``start``–``end``: the
    list's 报送周期, else ISO weeks."""
    from taskctl.period import Cadence, parse_cadence

    cadence = parse_cadence(tasklist.settings) or Cadence("week")
    found = []
    period = cadence.round_of(end)
    while period.end >= start:
        if period.end <= end:
            found.append(period)
        period = cadence.previous(period)
    return found[::-1]


def score_units(
    tasklist: TaskList,
    entries: Sequence[Any],
    start: _dt.date,
    end: _dt.date,
    *,
    as_of: _dt.date | None = None,
    rules: Rules | None = None,
    warn: Any = None,
) -> Ranking:
    """Each unit's score over ``start``–``end`` (states as of ``as_of``, default ``end``),
    ranked. Units holding no part of any task are not scored."""
    from taskctl import review
    from taskctl.collect import LATE as LATE_REPLY
    from taskctl.collect import MISSING as MISSING_REPLY
    from taskctl.collect import reply_statuses
    from taskctl.progress import DONE, effective
    from taskctl.tracking import task_states

    rules = rules or list_rules(tasklist)
    day = as_of or end
    entries = effective(entries)
    states = task_states(tasklist, entries, day, warn=warn)
    scores: dict[str, Score] = {}
    roles: dict[tuple[int, str], str] = {}

    def add(unit: str, event: str, role: str, task: int | None, date: _dt.date, why: str) -> None:
        score = scores.get(unit)
        if score is None:
            return
        points = rules.of(event, role)
        if points:
            score.items.append(Item(task, date, f"{why}", points, event))

    for state in states:
        for part in state.parts:
            scores.setdefault(part.unit, Score(part.unit, rules.base))
            roles[state.task.id, part.unit] = _role(part.role)
    reviewed = review.enabled(tasklist)
    for state in states:
        for part in state.parts:
            role = roles[state.task.id, part.unit]
            if part.review_word == review.PENDING:
                pass  # reported 已完成, waiting for the office: not the unit's delay
            elif part.overdue:
                why = f"{role}任务超过完成时限 {part.deadline.isoformat()} 未完成"
                add(part.unit, OVERDUE, role, state.task.id, part.deadline, why)
            elif part.behind:
                why = f"{role}任务期末{part.light}灯：{part.reason or part.status}"
                add(part.unit, BEHIND, role, state.task.id, day, why)
            if not reviewed and part.status == DONE and part.updated is not None:
                if start <= part.updated <= end:
                    why = f"{role}任务已完成（未设办结审核，按填报计）"
                    add(part.unit, CLOSED, role, state.task.id, part.updated, why)
    for unit, events in review.review_events(entries, tasklist).items():
        for event in events:
            if not start <= event.date <= day or event.kind not in (review.APPROVE, review.RETURN):
                continue
            role = roles.get((event.task_id, unit), LEAD)
            kind = CLOSED if event.kind == review.APPROVE else RETURNED
            note = f"：{event.note}" if event.note else ""
            add(unit, kind, role, event.task_id, event.date, f"{role}任务{event.kind}{note}")
    collected = {e.period for e in entries if e.reply}
    for period in rounds(tasklist, start, end):
        if period.label not in collected:
            continue  # a round nobody replied to was not collected
        for status in reply_statuses(tasklist, entries, period, as_of=day, warn=warn):
            if status.due > day:
                continue
            if status.status == LATE_REPLY and status.received is not None:
                why = f"{period.label} 迟报（{status.due.isoformat()} 前应报，{status.received.isoformat()} 报送）"
                add(status.unit, LATE, LEAD, None, status.received, why)
            elif status.status == MISSING_REPLY:
                why = f"{period.label} 未报（{status.due.isoformat()} 前应报）"
                add(status.unit, MISSING, LEAD, None, status.due, why)
    for score in scores.values():
        score.items.sort(key=lambda item: (item.date, item.id or 0, item.reason))
    return rank(list(scores.values()), rules)


def rank(scores: list[Score], rules: Rules) -> Ranking:
    """Competition ranking (1, 2, 2, 4): ties share a rank, the next rank skips; tied units
    keep their order (the list's)."""
    valued = sorted(((s, s.score_with(rules)) for s in scores), key=lambda pair: -pair[1])
    for index, (score, points) in enumerate(valued):
        if index and points == valued[index - 1][1]:
            score.rank = valued[index - 1][0].rank
        else:
            score.rank = index + 1
    return Ranking(valued)


# --- xlsx ----------------------------------------------------------------------------------------

SHEET_HEADINGS = [
    "名次", "单位", "得分", "基础分", "迟报", "未报", "滞后", "超期", "退回", "销号", "说明"
]  # fmt: skip


def to_xlsx(ranking: Ranking, title: str, explain: bool = True) -> bytes:
    """A printable 考评 workbook: the ranking, and each unit's items (明细) for tracing."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    from taskctl.export import _print_setup

    book = Workbook()
    sheet = book.active
    sheet.title = "考评"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(SHEET_HEADINGS))
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(SHEET_HEADINGS)
    for record in ranking.records():
        note = f"按{record['capped']}计" if "capped" in record else ""
        sheet.append(
            [record["rank"], record["unit"], record["score"], record["base"]]
            + [record[KEYS[event]] for event in EVENTS]
            + [note]
        )
    widths = [6, 18, 8, 8, 6, 6, 6, 6, 6, 6, 10]
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[chr(64 + index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.border = box
            cell.alignment = Alignment(horizontal="center", vertical="center")
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    _print_setup(sheet, 2)
    if explain:
        detail = book.create_sheet("明细")
        detail.append(["单位", "序号", "日期", "事由", "分值"])
        for record in ranking.records():
            for item in record["items"]:
                detail.append(
                    [record["unit"], item["id"], item["date"], item["reason"], item["points"]]
                )
        for letter, width in zip("ABCDE", (18, 6, 12, 70, 8), strict=True):
            detail.column_dimensions[letter].width = width
        for row in detail.iter_rows():
            for cell in row:
                cell.border = box
                cell.alignment = Alignment(vertical="center", wrap_text=cell.column == 4)
        for cell in detail[1]:
            cell.font = Font(bold=True)
        _print_setup(detail, 1)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def read_rules(path: Any) -> Rules:
    """The rules of a ``--rules`` YAML file: its mapping, or the mapping under ``考评规则``."""
    from pathlib import Path

    from taskctl.errors import DataFileError
    from taskctl.fsutil import read_regular
    from taskctl.yamlio import load_yaml

    path = Path(path)
    try:
        text = read_regular(path).decode("utf-8-sig")
    except OSError as exc:
        raise DataFileError(path, f"无法读取：{exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise DataFileError(path, "不是 UTF-8 编码的文本") from None
    raw = load_yaml(text, path)
    if isinstance(raw, Mapping) and set(raw) == {SETTING}:
        raw = raw[SETTING]
    try:
        return parse_rules(raw)
    except InputError as exc:
        raise DataFileError(path, str(exc)) from None
