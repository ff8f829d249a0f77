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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from taskctl.errors import InputError
from taskctl.model import Task, TaskList
from taskctl.names import normalize
from taskctl.progress import (
    BEHIND,
    DONE,
    NOT_STARTED,
    ON_TRACK,
    STATUSES,
    Entry,
    Reports,
    reports_of,
)
from taskctl.units import FIRST, SUPPORT, TaskUnits, UnitIndex

if TYPE_CHECKING:
    from taskctl.review import Flag, TaskReview
from taskctl.units import rule as unit_rule

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
    # Per unit (see taskctl.units): each 填报人's latest report as of ``as_of``, the task's
    # units, and for a unit's own part its name and role (empty for the task's state).
    reports: Mapping[str, Entry] = field(default_factory=dict)
    units: TaskUnits | None = None
    unit: str = ""
    role: str = ""
    # 办结审核 (see taskctl.review): the flags of the units' parts, the effective 完成时限
    review: TaskReview | None = None
    original_deadline: _dt.date | None = None  # the list's, when a 延期 was approved

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

    @property
    def parts(self) -> tuple[TaskState, ...]:
        """The state of each unit's own part: 牵头 units in the list's order, then 责任 units
        (a unit's own reports; a 牵头 unit's also the office's findings since its last one)."""
        held: tuple[TaskState, ...] | None = self.__dict__.get("_parts")
        if held is None:
            held = self.__dict__["_parts"] = _parts(self)
        return held

    def part(self, unit: str) -> TaskState | None:
        """The part of the unit ``unit`` (normalized name), if it is one of the task's units."""
        return next((p for p in self.parts if p.unit == unit), None)

    @property
    def flag(self) -> Flag | None:
        """Where the part stands in the review (待审核, 退回, 回访, 已销号); for the task, its
        most pressing 牵头 part's (退回, then 回访, then 待审核; 已销号 when all are)."""
        review = self.review
        if review is None or not review.flags:
            return None
        if self.unit:
            return review.flags.get(self.unit)
        flags = [f for p in self.lead_parts if (f := review.flags.get(p.unit)) is not None]
        if not self.lead_parts:
            flags = list(review.flags.values())
        from taskctl.review import CLOSED, PENDING, REOPEN, RETURN

        for word in (RETURN, REOPEN, PENDING):
            found = next((f for f in flags if f.word == word), None)
            if found is not None:
                return found
        return flags[0] if flags and self.status == DONE and flags[0].word == CLOSED else None

    @property
    def review_word(self) -> str:
        flag = self.flag
        return flag.word if flag is not None else ""

    @property
    def lead_parts(self) -> tuple[TaskState, ...]:
        return tuple(p for p in self.parts if p.role != SUPPORT)

    @property
    def behind_units(self) -> tuple[str, ...]:
        """The 牵头 units whose own part is behind (红): the units a lagging task is named with.
        A task with no 牵头 unit that can answer (none listed, or only 各有关部门) has none."""
        return tuple(p.unit for p in self.lead_parts if p.behind)

    @property
    def disputed(self) -> bool:
        """待协调: one 牵头 unit reports 已完成 while another is 滞后 or has not started."""
        statuses = {p.status for p in self.lead_parts}
        return DONE in statuses and bool(statuses & {BEHIND, NOT_STARTED})

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

    def unit_records(self) -> list[dict[str, Any]]:
        """Each unit's own part with the stable English keys (``units`` in ``--format json``)."""
        return [
            {
                "unit": p.unit,
                "role": p.role,
                "status": p.status,
                "progress": p.progress,
                "updated": p.updated.isoformat() if p.updated else None,
                "light": p.light,
                "note": p.note,
            }
            for p in self.parts
        ]


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


_LIGHT_RANK = {RED: 0, YELLOW: 1, GREEN: 2}
_STATUS_RANK = {BEHIND: 0, NOT_STARTED: 1, ON_TRACK: 2, DONE: 3}


def _weakness(values: Mapping[str, Any]) -> tuple[int, int, int, int]:
    """Sort key of a unit's part, least advanced first: worst light, not 已完成, lowest 进度."""
    progress = values["progress"]
    return (
        _LIGHT_RANK[values["light"]],
        values["status"] == DONE,
        -1 if progress is None else progress,
        _STATUS_RANK[values["status"]],
    )


def _newer(entry: Entry | None, other: Entry | None) -> Entry | None:
    """The later report of two (by 日期, then 记录时间); either may be missing."""
    if entry is None or other is None:
        return entry or other
    if other.date != entry.date:
        return entry if entry.date > other.date else other
    mine = entry.recorded_at or _EARLIEST
    theirs = other.recorded_at or _EARLIEST
    return entry if mine >= theirs else other


_EARLIEST = _dt.datetime.min.replace(tzinfo=_dt.timezone.utc)


def _sources(
    reports: Mapping[str, Entry], units: TaskUnits
) -> tuple[dict[str, Entry], Entry | None]:
    """The reports of the task's own units (by normalized name) and the office's latest finding
    (the latest report of a 填报人 who is none of the task's units)."""
    own: dict[str, Entry] = {}
    office: Entry | None = None
    everyone = units.all
    for by, entry in reports.items():
        name = normalize(by)
        if name in everyone:
            own[name] = _newer(entry, own.get(name)) or entry
        else:
            office = _newer(entry, office)
    return own, office


def _parts(state: TaskState) -> tuple[TaskState, ...]:
    units = state.units
    if units is None:
        return ()
    own, office = _sources(
        state.review.reports if state.review is not None else state.reports, units
    )
    parts = []
    for unit in units.all:
        entry = own.get(unit)
        role = units.role(unit)
        if role != SUPPORT:
            entry = _newer(entry, office)
        values = _fields(
            state.task,
            state.as_of,
            state.deadline,
            state.time_progress,
            entry,
            state.stale_days,
            state.tolerance,
        )
        values.update(
            reports=state.reports,
            units=units,
            unit=unit,
            role=role,
            review=state.review,
            original_deadline=state.original_deadline,
        )
        part = object.__new__(TaskState)
        object.__setattr__(part, "__dict__", values)
        parts.append(part)
    return tuple(parts)


def task_states(
    tasklist: TaskList,
    entries: Sequence[Entry],
    as_of: _dt.date,
    *,
    stale_days: int = STALE_DAYS,
    tasks: Sequence[Task] | None = None,
    tolerance: float | None = None,
    reports: Mapping[int, Mapping[str, Entry]] | None = None,
) -> list[TaskState]:
    """The state of each task (default: all) at ``as_of``; entries dated later are ignored.

    Each unit answers for its own part (:attr:`TaskState.parts`); the task's state is derived
    from its 牵头 units' parts by the list's 多单位汇总 rule (:mod:`taskctl.units`): by default
    the least advanced 牵头 unit's (worst light, then lowest 进度; 已完成 only when every 牵头
    unit is), or with ``多单位汇总: 主牵头单位`` the first-listed one's. 责任 units' reports are
    kept and shown but set the task's state under neither rule. A task with no 牵头 unit that
    can answer takes its latest report of anyone.

    ``tolerance`` (序时容差, points) defaults to the list's own, else :data:`TOLERANCE`.
    ``reports``: each task's latest report per 填报人 as of ``as_of`` when the caller has them
    already (:meth:`taskctl.progress.LogView.reports`); ``entries`` is then not read."""
    if stale_days < 1:
        raise InputError(f"--stale-days 应为正整数，得到 {stale_days}")
    get = (reports_of(entries, as_of) if reports is None else reports).get
    if tolerance is None:
        tolerance = TOLERANCE if tasklist.tolerance is None else tasklist.tolerance
    if not 0 <= tolerance <= 100:
        raise InputError(f"序时容差应为 0 到 100 之间的数（百分点），得到 {tolerance}")
    first_only = unit_rule(tasklist) == FIRST
    review_on: bool | None = None  # read from the list when a task has something to review
    index = UnitIndex(tasklist)
    default = tasklist.default_deadline() or _dt.date(as_of.year, 12, 31)
    elapsed: dict[_dt.date, float] = {}  # 序时进度 per 完成时限: a list has few distinct ones
    states: list[TaskState] = []
    append = states.append
    new, set_dict, fields = object.__new__, object.__setattr__, _fields
    blanks: dict[_dt.date, dict[str, Any]] = {}
    nothing: dict[str, Entry] = {}
    for task in tasklist.tasks if tasks is None else tasks:
        deadline = task.deadline or default
        share = elapsed.get(deadline)
        if share is None:
            share = elapsed[deadline] = time_progress(
                period_start(tasklist, deadline), deadline, as_of
            )
        state = new(TaskState)  # as TaskState(...) would, without the frozen __setattr__s
        # derived at once: every caller reads the light of every state it asked for
        units = index.of(task)
        held = get(task.id)
        if held is None:
            held = nothing
        reported, review, original = held, None, None
        if isinstance(held, Reports):
            from taskctl.review import enabled, task_review

            if review_on is None:
                review_on = enabled(tasklist)
            review = task_review(held, units.all, deadline, review_on)
            held = review.reports
            if review.deadline is not None:
                original, deadline = deadline, review.deadline
                share = elapsed.get(deadline)
                if share is None:
                    share = elapsed[deadline] = time_progress(
                        period_start(tasklist, original), deadline, as_of
                    )
        values = None
        if held:
            leads = units.leads
            own, office = _sources(held, units)
            if not leads:  # nobody named can answer: the latest report of anyone
                latest = None
                for entry in held.values():
                    latest = _newer(entry, latest)
                values = fields(task, as_of, deadline, share, latest, stale_days, tolerance)
            elif len(leads) == 1 or first_only:
                latest = _newer(own.get(leads[0]), office)
                if latest is not None:
                    values = fields(task, as_of, deadline, share, latest, stale_days, tolerance)
            else:
                values = min(
                    (
                        fields(
                            task,
                            as_of,
                            deadline,
                            share,
                            _newer(own.get(unit), office),
                            stale_days,
                            tolerance,
                        )
                        for unit in leads
                    ),
                    key=_weakness,
                )
        if values is None:  # never reported: everything but the task follows from the 完成时限
            blank = blanks.get(deadline)
            if blank is None:
                blank = blanks[deadline] = fields(
                    task, as_of, deadline, share, None, stale_days, tolerance
                )
            values = blank.copy()
            values["task"] = task
        values["reports"] = reported
        values["units"] = units
        values["unit"] = values["role"] = ""
        values["review"] = review
        values["original_deadline"] = original
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
    reports: Mapping[int, Mapping[str, Entry]] | None = None,
    unit: str | None = None,
) -> dict[int, dict[str, Any]]:
    """The progress fields of each task (default: all) that passes the 状态/灯 filters, keyed by
    序号: what a listing joins to each task's record. A query passes the tasks it selected, so
    that a leader's 26 tasks do not cost the rule for all 100 000. ``stale``: only the tasks
    not reported for ``stale_days`` days or more (久未填报). ``reports``: as for
    :func:`task_states`. ``unit``: that unit's own part of each task it answers for (the
    task's state where it does not: a task it holds through 各有关部门)."""
    states = task_states(
        tasklist, entries, as_of, stale_days=stale_days, tasks=tasks, reports=reports
    )
    if unit is not None:
        states = [s.part(unit) or s for s in states]
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
    By 牵头部门 each unit's row counts its own part of each task it leads (see
    :func:`dept_rows`); the total counts each task's state once.
    """
    if by not in GROUPINGS:
        raise InputError(f"--by 应为 section、leader 或 dept，得到「{by}」")
    if by == "dept":
        return _dept_stats(states, tasklist)
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


def dept_rows(states: Sequence[TaskState]) -> Iterator[tuple[str, TaskState]]:
    """(牵头部门, state) for each task and each of its 牵头 units, with that unit's own part;
    a task with no 牵头 unit that can answer (none, or only 各有关部门) under the names as
    written, with the task's state."""
    for state in states:
        parts = state.lead_parts
        if parts:
            for part in parts:
                yield part.unit, part
        else:
            names = [normalize(n) for n in state.task.lead_departments if normalize(n)]
            for name in dict.fromkeys(names) or ["（未填写）"]:
                yield name, state


def _dept_stats(
    states: Sequence[TaskState], tasklist: TaskList
) -> tuple[list[GroupStats], GroupStats]:
    at = {name: index for index, name in enumerate(STATUSES)}
    at.update({name: 4 + index for index, name in enumerate(LIGHTS)})
    counts: dict[str, list[int]] = {}
    total = [0] * 8
    for state in states:
        total[at[state.status]] += 1
        total[at[state.light]] += 1
        total[7] += state.overdue
    for name, part in dept_rows(states):
        row = counts.setdefault(name, [0] * 8)
        row[at[part.status]] += 1
        row[at[part.light]] += 1
        row[7] += part.overdue
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
    appearance; a task with two leaders (or two 牵头部门) is in both groups, by 牵头部门 with
    each unit's own part (see :func:`dept_rows`)."""
    if by not in GROUPINGS:
        raise InputError(f"--by 应为 section、leader 或 dept，得到「{by}」")
    groups: dict[str, list[TaskState]] = {}
    if by == "dept":
        for name, part in dept_rows(states):
            groups.setdefault(name, []).append(part)
        return groups
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
