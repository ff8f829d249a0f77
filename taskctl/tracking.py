"""序时进度, lights (红/黄/绿) and the group statistics built on the progress log.

The rule, as supervision offices apply it (also in the README and ``taskctl list --help``):

* 序时进度 = days of the task's period elapsed at the as-of date / days in the period, where the
  period runs from 1 January of the list's year to the task's 完成时限 (both days counted).
* A task is **behind** when its last report says 滞后, or its recorded 进度 is more than the
  list's 序时容差 (default 10 points) below 序时进度, or it is past its 完成时限 and not 已完成.
  A task marked 按状态判定 (an indicator such as 增长7%) is judged by its 状态 alone: its 进度
  is not compared with 序时进度.
* 红: behind (including overdue). 黄: 进度 below 序时进度 but within the 序时容差, or 未启动, or
  no report for ``stale_days`` days or more, or 完成时限 within 30 days. 绿: the rest. A task
  reported 已完成 is 绿.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from taskctl.errors import InputError
from taskctl.model import Task, TaskList
from taskctl.names import normalize
from taskctl.progress import BEHIND, DONE, NOT_STARTED, STATUSES, Entry, latest_of

RED, YELLOW, GREEN = LIGHTS = ("红", "黄", "绿")
LIGHT_ALIASES = {"red": RED, "yellow": YELLOW, "green": GREEN}
STALE_DAYS = 14
DUE_SOON_DAYS = 30
TOLERANCE = 10.0  # 序时容差: points below 序时进度 that are 黄, not 红, unless the list sets one
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


T = TypeVar("T")


class _Derived(Generic[T]):
    """A value the rule derives for a :class:`TaskState`. :func:`task_states` puts them all in
    each state's ``__dict__`` as it makes it (a frozen dataclass allows it); a state made
    directly gets them from :func:`_assess` at the first use."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> T:
        if instance is None:
            return self  # type: ignore[return-value]
        _assess(instance)
        value: T = instance.__dict__[self.name]
        return value


@dataclass(frozen=True)
class TaskState:
    """A task as of a date: what was last reported and what the rule makes of it."""

    task: Task
    as_of: _dt.date
    deadline: _dt.date
    time_progress: float
    latest: Entry | None
    stale_days: int = STALE_DAYS
    tolerance: float = TOLERANCE

    status = _Derived[str]()
    progress = _Derived["int | None"]()
    updated = _Derived["_dt.date | None"]()
    note = _Derived[str]()
    problem = _Derived[str]()
    next_step = _Derived[str]()
    days_left = _Derived[int]()
    overdue = _Derived[bool]()
    below_time = _Derived[bool]()  # more than the tolerance below 序时进度: 红
    slightly_below = _Derived[bool]()  # below 序时进度 within the tolerance: 黄
    behind = _Derived[bool]()
    days_since_report = _Derived["int | None"]()
    stale = _Derived[bool]()  # no report for stale_days days or more (or never), not 已完成
    due_soon = _Derived[bool]()
    light = _Derived[str]()

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
        if self.slightly_below:
            reasons.append(
                f"进度 {self.progress}% 略低于序时进度 {self.time_progress:.1f}%"
                f"（容差 {self.tolerance:g} 个百分点内）"
            )
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
            "problem": self.problem,
            "next_step": self.next_step,
        }


def _assess(state: TaskState) -> None:
    """Apply the rule (see the module docstring) to one task; store every derived value."""
    state.__dict__.update(
        _fields(
            state.task,
            state.as_of,
            state.deadline,
            state.time_progress,
            state.latest,
            state.stale_days,
            state.tolerance,
        )
    )


def _fields(
    task: Task,
    as_of: _dt.date,
    deadline: _dt.date,
    time_progress: float,
    latest: Entry | None,
    stale_days: int,
    tolerance: float,
) -> dict[str, Any]:
    """A :class:`TaskState`'s fields and the values the rule derives from them (see the module
    docstring): the whole ``__dict__`` of the state."""
    if latest is None:
        status, progress, updated, note, problem, next_step = NOT_STARTED, None, None, "", "", ""
    else:
        status, progress, updated = latest.status, latest.progress, latest.date
        note, problem, next_step = latest.note, latest.problem, latest.next_step
    days_left = (deadline - as_of).days
    done = status == DONE
    overdue = not done and days_left < 0
    gap = None if done or progress is None or task.by_status else time_progress - progress
    below_time = gap is not None and gap > tolerance
    slightly_below = gap is not None and 0 < gap <= tolerance
    behind = status == BEHIND or overdue or below_time
    since = None if updated is None else (as_of - updated).days
    stale = not done and (since is None or since >= stale_days)
    due_soon = not done and 0 <= days_left <= DUE_SOON_DAYS
    if behind:
        light = RED
    elif done:
        light = GREEN
    elif status == NOT_STARTED or slightly_below or stale or due_soon:
        light = YELLOW
    else:
        light = GREEN
    return {
        "task": task,
        "as_of": as_of,
        "deadline": deadline,
        "time_progress": time_progress,
        "latest": latest,
        "stale_days": stale_days,
        "tolerance": tolerance,
        "status": status,
        "progress": progress,
        "updated": updated,
        "note": note,
        "problem": problem,
        "next_step": next_step,
        "days_left": days_left,
        "overdue": overdue,
        "below_time": below_time,
        "slightly_below": slightly_below,
        "behind": behind,
        "days_since_report": since,
        "stale": stale,
        "due_soon": due_soon,
        "light": light,
    }


def task_states(
    tasklist: TaskList,
    entries: Sequence[Entry],
    as_of: _dt.date,
    *,
    stale_days: int = STALE_DAYS,
    tasks: Sequence[Task] | None = None,
    tolerance: float | None = None,
    latest: Mapping[int, Entry] | None = None,
) -> list[TaskState]:
    """The state of each task (default: all) at ``as_of``; entries dated later are ignored.

    ``tolerance`` (序时容差, points) defaults to the list's own, else :data:`TOLERANCE`.
    ``latest``: each task's latest entry as of ``as_of`` when the caller has it already
    (:meth:`taskctl.progress.LogView.latest`); ``entries`` is then not read."""
    if stale_days < 1:
        raise InputError(f"--stale-days 应为正整数，得到 {stale_days}")
    get = (latest_of(entries, as_of) if latest is None else latest).get
    if tolerance is None:
        tolerance = TOLERANCE if tasklist.tolerance is None else tasklist.tolerance
    if not 0 <= tolerance <= 100:
        raise InputError(f"序时容差应为 0 到 100 之间的数（百分点），得到 {tolerance}")
    default = tasklist.default_deadline() or _dt.date(as_of.year, 12, 31)
    elapsed: dict[_dt.date, float] = {}  # 序时进度 per 完成时限: a list has few distinct ones
    states: list[TaskState] = []
    append = states.append
    new, set_dict, fields = object.__new__, object.__setattr__, _fields
    blanks: dict[_dt.date, dict[str, Any]] = {}
    for task in tasklist.tasks if tasks is None else tasks:
        deadline = task.deadline or default
        share = elapsed.get(deadline)
        if share is None:
            share = elapsed[deadline] = time_progress(
                period_start(tasklist, deadline), deadline, as_of
            )
        state = new(TaskState)  # as TaskState(...) would, without the frozen __setattr__s
        # derived at once: every caller reads the light of every state it asked for
        entry = get(task.id)
        if entry is not None:
            values = fields(task, as_of, deadline, share, entry, stale_days, tolerance)
        else:  # never reported: everything but the task follows from the 完成时限
            blank = blanks.get(deadline)
            if blank is None:
                blank = blanks[deadline] = fields(
                    task, as_of, deadline, share, None, stale_days, tolerance
                )
            values = blank.copy()
            values["task"] = task
        set_dict(state, "__dict__", values)
        append(state)
    return states


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


def state_records(
    tasklist: TaskList,
    entries: Sequence[Entry],
    as_of: _dt.date,
    *,
    stale_days: int = STALE_DAYS,
    statuses: Sequence[str] = (),
    lights: Sequence[str] = (),
    tasks: Sequence[Task] | None = None,
    stale: bool = False,
    latest: Mapping[int, Entry] | None = None,
) -> dict[int, dict[str, Any]]:
    """The progress fields of each task (default: all) that passes the 状态/灯 filters, keyed by
    序号: what a listing joins to each task's record. A query passes the tasks it selected, so
    that a leader's 26 tasks do not cost the rule for all 100 000. ``stale``: only the tasks
    not reported for ``stale_days`` days or more (久未填报). ``latest``: as for
    :func:`task_states`."""
    states = task_states(
        tasklist, entries, as_of, stale_days=stale_days, tasks=tasks, latest=latest
    )
    return {
        s.task.id: s.to_record()
        for s in filter_states(states, statuses, lights)
        if s.stale or not stale
    }


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


def _group_keys(state: TaskState, by: str, tasklist: TaskList) -> list[str]:
    task = state.task
    which = (
        task.section
        if by == "section"
        else (task.leaders if by == "leader" else task.lead_departments)
    )
    return _keys_for(which, by, tasklist)


def _keys_for(which: Any, by: str, tasklist: TaskList) -> list[str]:
    """The groups of a task whose section (by section) or names (by leader or dept) are
    ``which``."""
    if by == "section":
        section = next(s for s in tasklist.sections if s.numeral == which)
        return [f"{section.numeral}、{section.title}"]
    names = which
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
    # Count the states per (group tuple, 状态, 灯, 逾期) in C (Counter over attrgetters), then
    # add each count to the rows of the tuple's groups: 4 状态, 3 灯, 逾期. Groups keep the
    # order of their first appearance.
    from collections import Counter
    from operator import attrgetter

    field = {"section": "task.section", "leader": "task.leaders", "dept": "task.lead_departments"}
    tally = Counter(map(attrgetter(field[by], "status", "light", "overdue"), states))
    at = {name: index for index, name in enumerate(STATUSES)}
    at.update({name: 4 + index for index, name in enumerate(LIGHTS)})
    counts: dict[str, list[int]] = {}
    rows_of = {}
    for key in dict.fromkeys(map(attrgetter(field[by]), states)):  # in order of appearance
        names = _keys_for(key, by, tasklist)
        rows_of[key] = [counts.setdefault(name, [0] * 8) for name in names]
    total = [0] * 8
    for (key, status, light, overdue), number in tally.items():
        for row in (total, *rows_of[key]):
            row[at[status]] += number
            row[at[light]] += number
            row[7] += overdue * number
    order = {name: index for index, name in enumerate(counts)}
    result = [_row(name, numbers) for name, numbers in counts.items()]
    result.sort(key=lambda row: (*weakness(row), order[row.name]))
    return result, _row("合计", total)


def _row(name: str, numbers: list[int]) -> GroupStats:
    return GroupStats(
        name=name,
        statuses=dict(zip(STATUSES, numbers[:4], strict=True)),
        lights=dict(zip(LIGHTS, numbers[4:7], strict=True)),
        overdue=numbers[7],
    )


def group_states(
    states: Sequence[TaskState], by: str, tasklist: TaskList
) -> dict[str, list[TaskState]]:
    """The states of each group (``section``, ``leader`` or ``dept``), groups in order of first
    appearance; a task with two leaders (or two 牵头部门) is in both groups."""
    if by not in GROUPINGS:
        raise InputError(f"--by 应为 section、leader 或 dept，得到「{by}」")
    groups: dict[str, list[TaskState]] = {}
    known: dict[Any, list[str]] = {}  # the keys of each distinct section or tuple of names
    for state in states:
        task = state.task
        which = (
            task.section
            if by == "section"
            else (task.leaders if by == "leader" else task.lead_departments)
        )
        keys = known.get(which)
        if keys is None:
            keys = known[which] = _group_keys(state, by, tasklist)
        for key in keys:
            groups.setdefault(key, []).append(state)
    return groups
