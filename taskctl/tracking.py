"""序时进度, lights (红/黄/绿) and the group statistics built on the progress log.

The rule, as supervision offices apply it (also in the README and ``taskctl list --help``):

* 序时进度 = days of the task's period elapsed at the as-of date / days in the period, where the
  period runs from 1 January of the list's year to the task's 完成时限 (both days counted).
* A task is **behind** when its last report says 滞后, or its recorded 进度 is below 序时进度,
  or it is past its 完成时限 and not 已完成.
* 红: behind (including overdue). 黄: 未启动, or no report for ``stale_days`` days or more, or
  完成时限 within 30 days. 绿: the rest. A task reported 已完成 is 绿.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from taskctl.errors import InputError
from taskctl.model import Task, TaskList
from taskctl.names import normalize
from taskctl.progress import BEHIND, DONE, NOT_STARTED, STATUSES, Entry

RED, YELLOW, GREEN = LIGHTS = ("红", "黄", "绿")
LIGHT_ALIASES = {"red": RED, "yellow": YELLOW, "green": GREEN}
STALE_DAYS = 14
DUE_SOON_DAYS = 30
GROUPINGS = {"section": "部分", "leader": "责任领导", "dept": "牵头部门"}


def parse_light(text: str) -> str:
    """红/黄/绿 or red/yellow/green (also 红灯…) to the Chinese light."""
    cleaned = text.strip().rstrip("灯")
    if cleaned in LIGHTS:
        return cleaned
    if cleaned.lower() in LIGHT_ALIASES:
        return LIGHT_ALIASES[cleaned.lower()]
    raise InputError(f"未知的灯「{text}」：应为 红（red）、黄（yellow）、绿（green）之一")


def deadline_of(task: Task, tasklist: TaskList, as_of: _dt.date) -> _dt.date:
    """The task's 完成时限, else the list's default (end of its year)."""
    return task.deadline or tasklist.default_deadline() or _dt.date(as_of.year, 12, 31)


def period_start(tasklist: TaskList, deadline: _dt.date) -> _dt.date:
    return _dt.date(tasklist.year or deadline.year, 1, 1)


def time_progress(start: _dt.date, deadline: _dt.date, as_of: _dt.date) -> float:
    """序时进度 in percent: the share of the period ``start``..``deadline`` elapsed at ``as_of``."""
    total = (deadline - start).days + 1
    elapsed = (as_of - start).days + 1
    if total <= 0 or elapsed >= total:
        return 100.0
    return max(0.0, 100.0 * elapsed / total)


@dataclass(frozen=True)
class TaskState:
    """A task as of a date: what was last reported and what the rule makes of it."""

    task: Task
    as_of: _dt.date
    deadline: _dt.date
    time_progress: float
    latest: Entry | None
    stale_days: int = STALE_DAYS

    @property
    def status(self) -> str:
        return self.latest.status if self.latest else NOT_STARTED

    @property
    def progress(self) -> int | None:
        return self.latest.progress if self.latest else None

    @property
    def updated(self) -> _dt.date | None:
        return self.latest.date if self.latest else None

    @property
    def note(self) -> str:
        return self.latest.note if self.latest else ""

    @property
    def days_left(self) -> int:
        return (self.deadline - self.as_of).days

    @property
    def overdue(self) -> bool:
        return self.status != DONE and self.days_left < 0

    @property
    def below_time(self) -> bool:
        return (
            self.status != DONE and self.progress is not None and self.progress < self.time_progress
        )

    @property
    def behind(self) -> bool:
        return self.status == BEHIND or self.overdue or self.below_time

    @property
    def days_since_report(self) -> int | None:
        return None if self.updated is None else (self.as_of - self.updated).days

    @property
    def stale(self) -> bool:
        """No report for ``stale_days`` days or more (or never), and not 已完成."""
        if self.status == DONE:
            return False
        since = self.days_since_report
        return since is None or since >= self.stale_days

    @property
    def due_soon(self) -> bool:
        return self.status != DONE and 0 <= self.days_left <= DUE_SOON_DAYS

    @property
    def light(self) -> str:
        if self.behind:
            return RED
        if self.status == DONE:
            return GREEN
        if self.status == NOT_STARTED or self.stale or self.due_soon:
            return YELLOW
        return GREEN

    @property
    def reason(self) -> str:
        """Why the light is what it is, in the office's words."""
        reasons = []
        if self.overdue:
            reasons.append(f"已超过完成时限 {self.deadline.isoformat()}")
        if self.status == BEHIND:
            reasons.append("填报为滞后")
        if self.below_time:
            reasons.append(f"进度 {self.progress}% 低于序时进度 {self.time_progress:.1f}%")
        if reasons:
            return "；".join(reasons)
        if self.status == DONE:
            return ""
        if self.status == NOT_STARTED:
            reasons.append("未启动")
        if self.stale:
            since = self.days_since_report
            reasons.append("从未填报" if since is None else f"{since} 天未填报")
        if self.due_soon:
            reasons.append(f"距完成时限 {self.days_left} 天")
        return "；".join(reasons)

    def to_record(self) -> dict[str, Any]:
        """Progress fields with the stable English keys (merged into a task's record)."""
        return {
            "status": self.status,
            "progress": self.progress,
            "updated": self.updated.isoformat() if self.updated else None,
            "light": self.light,
            "time_progress": round(self.time_progress, 1),
            "deadline": self.deadline.isoformat(),
            "behind": self.behind,
            "overdue": self.overdue,
            "stale": self.stale,
            "note": self.note,
        }


def task_states(
    tasklist: TaskList,
    entries: Sequence[Entry],
    as_of: _dt.date,
    *,
    stale_days: int = STALE_DAYS,
    tasks: Sequence[Task] | None = None,
) -> list[TaskState]:
    """The state of each task (default: all) at ``as_of``; entries dated later are ignored."""
    if stale_days < 1:
        raise InputError(f"--stale-days 应为正整数，得到 {stale_days}")
    latest: dict[int, Entry] = {}
    for entry in entries:
        if entry.date > as_of:
            continue
        held = latest.get(entry.id)
        if held is None or (entry.date, _recorded(entry)) >= (held.date, _recorded(held)):
            latest[entry.id] = entry
    states = []
    for task in tasklist.tasks if tasks is None else tasks:
        deadline = deadline_of(task, tasklist, as_of)
        states.append(
            TaskState(
                task=task,
                as_of=as_of,
                deadline=deadline,
                time_progress=time_progress(period_start(tasklist, deadline), deadline, as_of),
                latest=latest.get(task.id),
                stale_days=stale_days,
            )
        )
    return states


def _recorded(entry: Entry) -> _dt.datetime:
    return entry.recorded_at or _dt.datetime.min.replace(tzinfo=_dt.timezone.utc)


def filter_states(
    states: Sequence[TaskState], statuses: Sequence[str] = (), lights: Sequence[str] = ()
) -> list[TaskState]:
    """States whose reported 状态 is one of ``statuses`` and whose 灯 is one of ``lights``."""
    from taskctl.progress import parse_status

    wanted_status = {parse_status(s) for s in statuses}
    wanted_light = {parse_light(light) for light in lights}
    return [
        s
        for s in states
        if (not wanted_status or s.status in wanted_status)
        and (not wanted_light or s.light in wanted_light)
    ]


@dataclass(frozen=True)
class GroupStats:
    """Counts for one group of tasks (a section, a leader, a department, or the total)."""

    name: str
    statuses: dict[str, int]
    lights: dict[str, int]
    overdue: int

    @property
    def tasks(self) -> int:
        return sum(self.statuses.values())

    @property
    def completion_rate(self) -> float:
        return 100.0 * self.statuses[DONE] / self.tasks if self.tasks else 0.0

    def to_record(self) -> dict[str, Any]:
        return {
            "group": self.name,
            "tasks": self.tasks,
            "not_started": self.statuses[NOT_STARTED],
            "on_track": self.statuses[STATUSES[1]],
            "behind": self.statuses[BEHIND],
            "done": self.statuses[DONE],
            "red": self.lights[RED],
            "yellow": self.lights[YELLOW],
            "green": self.lights[GREEN],
            "completion_rate": round(self.completion_rate, 1),
            "overdue": self.overdue,
        }


def _count(name: str, states: Sequence[TaskState]) -> GroupStats:
    return GroupStats(
        name=name,
        statuses={status: sum(s.status == status for s in states) for status in STATUSES},
        lights={light: sum(s.light == light for s in states) for light in LIGHTS},
        overdue=sum(s.overdue for s in states),
    )


def _group_keys(state: TaskState, by: str, tasklist: TaskList) -> list[str]:
    task = state.task
    if by == "section":
        section = next(s for s in tasklist.sections if s.numeral == task.section)
        return [f"{section.numeral}、{section.title}"]
    names = task.leaders if by == "leader" else task.lead_departments
    keys = [normalize(n) for n in names if normalize(n)]
    return list(dict.fromkeys(keys)) or ["（未填写）"]


def weakness(row: GroupStats) -> tuple[float, float, float]:
    """Sort key: most red first, then lowest completion rate, then most yellow."""
    total = row.tasks or 1
    return (-row.lights[RED] / total, row.completion_rate, -row.lights[YELLOW] / total)


def group_stats(
    states: Sequence[TaskState], by: str, tasklist: TaskList
) -> tuple[list[GroupStats], GroupStats]:
    """One row per group, weakest first (the 排名 offices publish), and the total row.

    A task with two leaders (or two 牵头部门) counts in both groups and once in the total.
    """
    if by not in GROUPINGS:
        raise InputError(f"--by 应为 section、leader 或 dept，得到「{by}」")
    groups: dict[str, list[TaskState]] = {}
    for state in states:
        for key in _group_keys(state, by, tasklist):
            groups.setdefault(key, []).append(state)
    order = {name: index for index, name in enumerate(groups)}
    rows = [_count(name, members) for name, members in groups.items()]
    rows.sort(key=lambda row: (*weakness(row), order[row.name]))
    return rows, _count("合计", states)
