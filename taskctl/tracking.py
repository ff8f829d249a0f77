"""序时进度, lights (红/黄/绿) and the group statistics built on the progress log.

The rule, as supervision offices apply it (also in docs/progress.md and ``taskctl list --help``):

* 序时进度 = days of the task's period elapsed at the as-of date / days in the period, where the
  period runs from 1 January of the list's year to the task's 完成时限 (both days counted); a
  task with 节点目标 (targets by date) follows them instead, straight between two of them.
* The list's ``亮灯规则`` (:class:`LightRule`) says how far below 序时进度 is 黄 and how far
  红: in points (``百分点``: more than 黄 points below is 黄, more than 红 points 红) or as a
  share of 序时进度 (``比例``: below 黄 % of it is 黄, below 红 % 红). Without one (or with the
  old ``序时容差: N``) any gap is 黄 and more than 10 (N) points 红.
* A task is **behind** when its last report says 滞后, or its 进度 is 红 by that rule, or it is
  past its 完成时限 and not 已完成. Silence is never better than an honest report: a task
  never reported, or reported 未启动 without a 进度, is measured as 0 %. A task marked
  按状态判定 (an indicator such as 增长7%) is judged by its 状态 alone.
* With a ``报送周期`` (:mod:`taskctl.period`), a task not reported since the start of a round
  whose due date has passed is **逾期未报**.
* 红: behind (including overdue), or 逾期未报, or 黄 for the ``连续黄灯转红``-th period end in a
  row. 黄: 进度 黄 by the rule, or 未启动, or no report for ``stale_days`` days or more, or
  完成时限 within 30 days. 绿: the rest. A task reported 已完成 is 绿.
* Each unit answers for its own part (:mod:`taskctl.units`): the rule is applied to each unit's
  own reports, and the task's state is derived from its 牵头 units' parts by the list's
  ``多单位汇总`` rule (see :func:`task_states`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator, Mapping, Sequence
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
    LogView,
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
RULE_KEY = "亮灯规则"
CADENCE_KEY = "报送周期"  # taskctl.period.CADENCE_KEY, spelled here: list need not import it
MILESTONES_KEY = "节点目标"
POINTS, SHARE = MODES = ("百分点", "比例")
RULE_KEYS = ("方式", "黄", "红", "连续黄灯转红")


@dataclass(frozen=True)
class LightRule:
    """How far below 序时进度 a 进度 is 黄 and how far 红 (the list's ``亮灯规则``).

    ``百分点``: the gap is 序时进度 − 进度 in points; more than ``yellow`` is 黄, more than
    ``red`` is 红 (``yellow`` ≤ ``red``). ``比例``: 进度 as a percentage of 序时进度; below
    ``yellow`` is 黄, below ``red`` is 红 (``red`` ≤ ``yellow``). ``red_after``: the N-th
    period end in a row at which a task is 黄 turns it 红 (``None``: never). The default is
    the old rule, ``序时容差: 10``: any gap 黄, more than 10 points 红."""

    mode: str = POINTS
    yellow: float = 0.0
    red: float = TOLERANCE
    red_after: int | None = None
    stale_days: int = STALE_DAYS

    def judge(self, planned: float, progress: float) -> tuple[bool, bool]:
        """(红, 黄) for a 进度 against 序时进度 ``planned`` by this rule."""
        if self.mode == POINTS:
            gap = planned - progress
            return gap > self.red, self.yellow < gap <= self.red
        if planned <= 0:
            return False, False
        share = 100.0 * progress / planned
        return share < self.red, self.red <= share < self.yellow

    @property
    def tolerance(self) -> float:
        """The old 序时容差: points below 序时进度 that stay 黄 (百分点 only)."""
        return self.red

    def describe(self) -> str:
        """The rule in the office's words (for help and reports)."""
        if self.mode == POINTS:
            yellow = (
                "低于序时进度" if self.yellow == 0 else f"落后序时进度超过 {self.yellow:g} 个百分点"
            )
            text = f"{yellow}为黄，落后超过 {self.red:g} 个百分点为红"
        else:
            text = f"进度不足序时进度的 {self.yellow:g}% 为黄，不足 {self.red:g}% 为红"
        if self.red_after:
            text += f"；连续 {self.red_after} 期黄灯转红"
        return text


DEFAULT_RULE = LightRule()


def _number(value: Any, key: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise InputError(f"{RULE_KEY} 的 {key} 应为 {low:g} 到 {high:g} 之间的数，得到「{value}」")
    return float(value)


def parse_rule(tasklist: TaskList) -> LightRule:
    """The list's light rule: its ``亮灯规则``, or its ``序时容差: N`` (百分点, any gap 黄, more
    than N 红), or :data:`DEFAULT_RULE`. A wrong key or value is an :class:`InputError`
    naming it."""
    raw = tasklist.settings.get(RULE_KEY)
    if raw is None:
        if tasklist.tolerance is None:
            return DEFAULT_RULE
        return LightRule(red=float(tasklist.tolerance))
    if tasklist.tolerance is not None:
        raise InputError(f"清单同时写了 序时容差 和 {RULE_KEY}：请只写 {RULE_KEY}")
    if not isinstance(raw, Mapping):
        raise InputError(
            f"{RULE_KEY} 应为 方式、黄、红（可加 连续黄灯转红）几项，如 {{方式: 百分点, 黄: 10, 红: 30}}"
        )
    unknown = [str(key) for key in raw if key not in RULE_KEYS]
    if unknown:
        raise InputError(f"{RULE_KEY} 中的「{unknown[0]}」不认识：只能写 {'、'.join(RULE_KEYS)}")
    mode = raw.get("方式", POINTS)
    if mode not in MODES:
        raise InputError(f"{RULE_KEY} 的 方式 应为 百分点 或 比例，得到「{mode}」")
    for key in ("黄", "红"):
        if key not in raw:
            raise InputError(f"{RULE_KEY} 缺少 {key}（{mode}）")
    yellow = _number(raw["黄"], "黄", 0, 100)
    red = _number(raw["红"], "红", 0, 100)
    if mode == POINTS and yellow > red:
        raise InputError(f"{RULE_KEY} 按百分点时 黄（{yellow:g}）不应大于 红（{red:g}）")
    if mode == SHARE and red > yellow:
        raise InputError(f"{RULE_KEY} 按比例时 红（{red:g}）不应大于 黄（{yellow:g}）")
    after = raw.get("连续黄灯转红")
    if after is not None and (isinstance(after, bool) or not isinstance(after, int) or after < 1):
        raise InputError(f"{RULE_KEY} 的 连续黄灯转红 应为正整数（期数），得到「{after}」")
    return LightRule(mode, yellow, red, after)


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


def milestones(task: Task, start: _dt.date, deadline: _dt.date) -> list[tuple[_dt.date, float]]:
    """The task's ``节点目标`` (date → percent) in date order, checked: dates from ``start`` to
    ``deadline``, percentages 0–100 that never fall. Empty when the task has none."""
    raw = task.extra.get(MILESTONES_KEY)
    if raw is None:
        return []
    where = f"序号 {task.id} 的 {MILESTONES_KEY}"
    if not isinstance(raw, Mapping) or not raw:
        raise InputError(f"{where} 应为 日期: 百分比 的对照，如 {{2023-06-30: 50}}")
    points: list[tuple[_dt.date, float]] = []
    for key, value in raw.items():
        day = key if isinstance(key, _dt.date) else None
        if day is None:
            try:
                day = _dt.date.fromisoformat(str(key).strip())
            except ValueError:
                raise InputError(f"{where} 的日期「{key}」应写成 2023-06-30") from None
        if not start <= day <= deadline:
            raise InputError(f"{where} 的日期 {day} 不在 {start} 至完成时限 {deadline} 之间")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            raise InputError(f"{where} 在 {day} 的目标「{value}」应为 0 到 100 的数")
        points.append((day, float(value)))
    points.sort()
    for (day, value), (_, earlier) in zip(points[1:], points, strict=False):
        if value < earlier:
            raise InputError(f"{where} 在 {day} 的目标 {value:g} 低于之前的 {earlier:g}")
    return points


def planned_progress(
    start: _dt.date,
    deadline: _dt.date,
    as_of: _dt.date,
    targets: Sequence[tuple[_dt.date, float]] = (),
) -> float:
    """序时进度 with 节点目标: straight from 0 (the day before ``start``) through each target
    to 100 at ``deadline``; without targets, :func:`time_progress`."""
    if not targets:
        return time_progress(start, deadline, as_of)
    points = [(start - _dt.timedelta(days=1), 0.0), *targets]
    if targets[-1][0] < deadline:
        points.append((deadline, 100.0))
    if as_of <= points[0][0]:
        return 0.0
    for (day, value), (next_day, next_value) in zip(points, points[1:], strict=False):
        if as_of <= next_day:
            share = (as_of - day).days / (next_day - day).days
            return value + (next_value - value) * share
    return 100.0


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
    """A task (or a unit's part of it) as of a date: what was last reported and what the
    rule makes of it. ``due``: the latest reporting round whose due date had passed at
    ``as_of`` (start of the round, due date), when the list has a ``报送周期``;
    ``yellow_run``: at how many period ends in a row just before ``as_of`` it was 黄."""

    task: Task
    as_of: _dt.date
    deadline: _dt.date
    time_progress: float
    latest: Entry | None
    rule: LightRule = DEFAULT_RULE
    due: tuple[_dt.date, _dt.date] | None = None
    yellow_run: int = 0
    # Per unit (see taskctl.units): each 填报人's latest report on each 分项 (0: the whole
    # item) as of ``as_of``, the task's units, and for a unit's own part its name and role
    # (empty for the task's state); for a 分项 (see taskctl.subitems) its number.
    reports: Mapping[tuple[str, int], Entry] = field(default_factory=dict)
    units: TaskUnits | None = None
    unit: str = ""
    role: str = ""
    subitem: int = 0
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
    below_time = _Derived[bool]()  # 红 by the rule's gap to 序时进度
    slightly_below = _Derived[bool]()  # 黄 by the rule's gap to 序时进度
    behind = _Derived[bool]()
    days_since_report = _Derived["int | None"]()
    stale = _Derived[bool]()  # no report for stale_days days or more (or never), not 已完成
    due_soon = _Derived[bool]()
    unreported = _Derived[bool]()  # 逾期未报: nothing since a round whose due date has passed
    yellow_too_long = _Derived[bool]()  # 黄 the 连续黄灯转红-th period end in a row
    base_light = _Derived[str]()  # the light before 连续黄灯转红
    light = _Derived[str]()

    @property
    def stale_days(self) -> int:
        return self.rule.stale_days

    @property
    def tolerance(self) -> float:
        return self.rule.tolerance

    def _measured(self) -> str:
        """The 进度 the rule measured, as the reason names it (ends where 低于… follows)."""
        if self.progress is None:
            return f"{'从未填报' if self.latest is None else '未填进度'}（按进度 0% 计）"
        return f"进度 {self.progress}% "

    @property
    def reason(self) -> str:
        """Why the light is what it is, in the office's words."""
        reasons = []
        rule = self.rule
        if self.overdue:
            reasons.append(f"已超过完成时限 {self.deadline.isoformat()}")
        if self.unreported and self.due is not None:
            reasons.append(f"逾期未报（本期 {self.due[1].isoformat()} 前应报）")
        if self.status == BEHIND:
            reasons.append("填报为滞后")
        if self.below_time and not (self.overdue and self.progress is None):
            if rule.mode == POINTS:
                reasons.append(f"{self._measured()}低于序时进度 {self.time_progress:.1f}%")
            else:
                reasons.append(
                    f"{self._measured()}不足序时进度 {self.time_progress:.1f}% 的 {rule.red:g}%"
                )
        if self.yellow_too_long:
            reasons.append(f"连续 {rule.red_after} 期黄灯")
        if reasons:
            return "；".join(reasons)
        if self.status == DONE:
            return ""
        if self.status == NOT_STARTED:
            reasons.append("未启动")
        if self.slightly_below:
            if rule.mode == SHARE:
                reasons.append(
                    f"{self._measured()}不足序时进度 {self.time_progress:.1f}% 的 {rule.yellow:g}%"
                )
            elif rule.yellow == 0:
                reasons.append(
                    f"{self._measured()}略低于序时进度 {self.time_progress:.1f}%"
                    f"（容差 {rule.red:g} 个百分点内）"
                )
            else:
                reasons.append(
                    f"{self._measured()}落后序时进度 {self.time_progress:.1f}% "
                    f"超过 {rule.yellow:g} 个百分点"
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

    @property
    def subitems(self) -> tuple[TaskState, ...]:
        """The state of each 分项 of an item published over several rows (5.1, 5.2 …), each
        derived from its own units' reports as a task's is; empty for an item in one row."""
        held: tuple[TaskState, ...] = self.__dict__.get("_subitems", ())
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
        if self._one_lead():  # its part is the task's state: nothing to build
            return self.units.leads if self.behind else ()  # type: ignore[union-attr]
        return tuple(p.unit for p in self.lead_parts if p.behind)

    def _one_lead(self) -> bool:
        """A task's state (not a part) with a single 牵头 unit: that unit's part is the state
        itself (the same report, the same rule), so it need not be built again."""
        return (
            not self.unit
            and self.units is not None
            and len(self.units.leads) == 1
            and not self.subitems  # an item's: as far as the least advanced 分项 of its own
        )

    @property
    def disputed(self) -> bool:
        """待协调: one 牵头 unit reports 已完成 while another is 滞后 or has not started."""
        if self.units is None or len(self.units.leads) < 2:
            return False
        parts = self.lead_parts
        claimed = any(p.status == DONE or p.review_word == "待审核" for p in parts)
        return claimed and any(
            p.status in (BEHIND, NOT_STARTED) and p.review_word != "待审核" for p in parts
        )

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

    def subitem_records(self) -> list[dict[str, Any]]:
        """Each 分项 with the stable English keys (``parts`` in ``--format json``)."""
        return [
            {
                "part": f"{s.task.id}.{s.subitem}",
                "text": s.task.text,
                "status": s.status,
                "progress": s.progress,
                "light": s.light,
                "deadline": s.deadline.isoformat(),
                "units": s.unit_records(),
            }
            for s in self.subitems
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
            state.rule,
            state.due,
            state.yellow_run,
        )
    )


def _fields(
    task: Task,
    as_of: _dt.date,
    deadline: _dt.date,
    time_progress: float,
    latest: Entry | None,
    rule: LightRule = DEFAULT_RULE,
    due: tuple[_dt.date, _dt.date] | None = None,
    yellow_run: int = 0,
) -> dict[str, Any]:
    """The light rule, whole: a :class:`TaskState`'s fields and the values the rule derives
    from them (see the module docstring), the whole ``__dict__`` of the state. A pure function
    of its arguments: ``latest`` may be a task's latest entry or a unit's for its part.
    ``due`` is (start, due date) of the latest round past its due date; ``yellow_run`` how
    many period ends in a row just before ``as_of`` it was 黄 (see :func:`yellow_run`)."""
    if latest is None:
        status, progress, updated, note, problem, next_step = NOT_STARTED, None, None, "", "", ""
    else:
        status, progress, updated = latest.status, latest.progress, latest.date
        note, problem, next_step = latest.note, latest.problem, latest.next_step
    days_left = (deadline - as_of).days
    done = status == DONE
    overdue = not done and days_left < 0
    # silence is never better than an honest 未启动 0%
    measured = 0 if progress is None and status == NOT_STARTED else progress
    if done or measured is None or task.by_status:
        below_time = slightly_below = False
    else:
        below_time, slightly_below = rule.judge(time_progress, measured)
    behind = status == BEHIND or overdue or below_time
    since = None if updated is None else (as_of - updated).days
    stale = not done and (since is None or since >= rule.stale_days)
    due_soon = not done and 0 <= days_left <= DUE_SOON_DAYS
    unreported = due is not None and not done and (updated is None or updated < due[0])
    if behind or unreported:
        base = RED
    elif done:
        base = GREEN
    elif status == NOT_STARTED or slightly_below or stale or due_soon:
        base = YELLOW
    else:
        base = GREEN
    too_long = base == YELLOW and bool(rule.red_after) and yellow_run + 1 >= (rule.red_after or 0)
    return {
        "task": task,
        "as_of": as_of,
        "deadline": deadline,
        "time_progress": time_progress,
        "latest": latest,
        "rule": rule,
        "due": due,
        "yellow_run": yellow_run,
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
        "unreported": unreported,
        "yellow_too_long": too_long,
        "base_light": base,
        "light": RED if too_long else base,
    }


def period_ends(
    tasklist: TaskList, as_of: _dt.date, count: int, cadence: Any = None
) -> list[_dt.date]:
    """The last days of up to ``count`` rounds of the cadence (ISO weeks without one) that
    ended before ``as_of``, latest first, none before the list's year."""
    from taskctl.period import Cadence

    rounds = cadence or Cadence("week")
    first = _dt.date(tasklist.year or as_of.year, 1, 1)
    ends: list[_dt.date] = []
    period = rounds.round_of(as_of)
    while len(ends) < count:
        period = rounds.previous(period)
        if period.end < first:
            break
        ends.append(period.end)
    return ends


def yellow_run(
    task: Task,
    deadline: _dt.date,
    start: _dt.date,
    ends: Sequence[_dt.date],
    latest_at: Any,
    rule: LightRule,
    due_at: Any = None,
) -> int:
    """At how many of ``ends`` (period ends, latest first) in a row the task (or a unit's part)
    was 黄 by the rule (before 连续黄灯转红). ``latest_at(day)`` gives its latest entry as of
    ``day`` (``None``: none); ``due_at(day)`` the round past due then, as :func:`_fields`
    takes it."""
    targets = milestones(task, start, deadline)
    run = 0
    for end in ends:
        planned = planned_progress(start, deadline, end, targets)
        due = None if due_at is None else due_at(end)
        if _fields(task, end, deadline, planned, latest_at(end), rule, due)["light"] != YELLOW:
            break
        run += 1
    return run


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


_EARLIEST = _dt.datetime.min.replace(tzinfo=_dt.timezone.utc)


def _newer(entry: Entry | None, other: Entry | None) -> Entry | None:
    """The later report of two (by 日期, then 记录时间); either may be missing."""
    if entry is None or other is None:
        return entry or other
    return entry if _stamp(entry) >= _stamp(other) else other


def _stamp(entry: Entry) -> tuple[Any, ...]:
    """What orders reports: 日期, 记录时间, then, for two of one moment (the office written
    as "" and as 督查室), what they say: no answer depends on the order they come in."""
    progress = -1 if entry.progress is None else entry.progress
    moment = entry.recorded_at or _EARLIEST
    said = (entry.status, progress, entry.note, entry.problem, entry.next_step)
    return (entry.date, moment, entry.by, *said)


def _sources(
    reports: Mapping[tuple[str, int], Entry],
    units: TaskUnits,
    subitem: int = 0,
    item: TaskUnits | None = None,
) -> tuple[dict[str, Entry], Entry | None]:
    """The reports of the task's own units (by normalized name) and the office's latest finding
    (the latest report of a 填报人 who is none of the task's units).

    For the 分项 ``subitem`` of an item whose units are ``item``: its own reports and those on
    the whole item (the later of the two counts), a whole-item report of a unit of another
    分项 left out."""
    own: dict[str, Entry] = {}
    office: Entry | None = None
    everyone = units.all
    for (by, on), entry in reports.items():
        if on != subitem and on:
            continue
        name = normalize(by)
        if name in everyone:
            own[name] = _newer(entry, own.get(name)) or entry
        elif not on and item is not None and name in item.all:
            continue
        else:
            office = _newer(entry, office)
    return own, office


Held = Mapping[tuple[str, int], Entry]  # a task's latest report per (填报人, 分项)
Pick = Callable[[Held], "Entry | None"]


def _pick(
    units: TaskUnits, unit: str | None, subitem: int = 0, item: TaskUnits | None = None
) -> Pick:
    """From a task's latest report per (填报人, 分项), the entry that stands for ``unit``'s
    part: its own, or for a 牵头 unit the office's finding when later; ``None``: the latest of
    anyone (a task no named unit can answer for). For the 分项 ``subitem`` of an item whose
    units are ``item``: the reports on it and on the whole item, as :func:`_sources` keeps
    them."""
    if unit is None:

        def anyone(held: Held) -> Entry | None:
            latest = None
            for (_, on), entry in held.items():
                if not on or on == subitem:
                    latest = _newer(entry, latest)
            return latest

        return anyone
    lead = units.role(unit) != SUPPORT

    def mine(held: Held) -> Entry | None:
        if not held:
            return None
        own, office = _sources(held, units, subitem, item)
        return _newer(own.get(unit), office) if lead else own.get(unit)

    return mine


def _parts(state: TaskState) -> tuple[TaskState, ...]:
    units = state.units
    if units is None:
        return ()
    context = state.__dict__.get("_context")
    item = state.__dict__.get("_item")
    subitems = state.subitems
    base = state.review.reports if state.review is not None else state.reports
    parts = []
    for unit in units.all:
        role = units.role(unit)
        mine = [p for p in (s.part(unit) for s in subitems) if p is not None]
        if mine:  # an item's unit: its least advanced 分项
            part = object.__new__(TaskState)
            values = dict(min(mine, key=lambda p: _weakness(p.__dict__)).__dict__)
            values.update(task=state.task, unit=unit, role=role, subitem=0, _parts=())
            values["review"] = state.review  # the item's: its flag on any 分项
            object.__setattr__(part, "__dict__", values)
            parts.append(part)
            continue
        pick = _pick(units, unit, state.subitem, item)
        if context is not None:
            judge, *rest = context
            values = dict(judge(state.task, *rest, pick))
        else:  # a state made directly: no earlier periods to look at
            values = _fields(
                state.task,
                state.as_of,
                state.deadline,
                state.time_progress,
                pick(base),
                state.rule,
                state.due,
            )
        values.update(
            reports=state.reports,
            units=units,
            unit=unit,
            role=role,
            review=state.review,
            original_deadline=state.original_deadline,
            subitem=state.subitem,
        )
        part = object.__new__(TaskState)
        object.__setattr__(part, "__dict__", values)
        parts.append(part)
    return tuple(parts)


def task_states(
    tasklist: TaskList,
    entries: Sequence[Entry] | LogView,
    as_of: _dt.date,
    *,
    stale_days: int | None = None,
    tasks: Sequence[Task] | None = None,
    tolerance: float | None = None,
    reports: Mapping[int, Mapping[tuple[str, int], Entry]] | None = None,
    rule: LightRule | None = None,
    history: Any = None,
    warn: Any = None,
) -> list[TaskState]:
    """The state of each task (default: all) at ``as_of``; entries dated later are ignored.

    Each unit answers for its own part (:attr:`TaskState.parts`: the light rule applied to the
    unit's own reports); the task's state is derived from its 牵头 units' parts by the list's
    多单位汇总 rule (:mod:`taskctl.units`): by default the least advanced 牵头 unit's (worst
    light, then lowest 进度; 已完成 only when every 牵头 unit is), or with
    ``多单位汇总: 主牵头单位`` the first-listed one's. 责任 units' reports are kept and shown but
    set the task's state under neither rule. A task with no 牵头 unit that can answer takes
    its latest report of anyone. An item published over several rows is as far as its least
    advanced 分项 (:attr:`TaskState.subitems`), each derived so, the rule applied to each
    分项's units' parts as to a task's.

    ``rule`` defaults to the list's (:func:`parse_rule`); ``tolerance`` (序时容差, points) and
    ``stale_days`` override it as the options of old did. ``reports``: each task's latest
    report per 填报人 as of ``as_of`` when the caller has them already
    (:meth:`taskctl.progress.LogView.reports`); ``entries`` is then not read, and
    ``history(day)`` gives them as of an earlier day when the rule has 连续黄灯转红 (default:
    from ``entries``). ``entries`` may be a :class:`taskctl.progress.LogView`: both are then
    taken from it, for the chosen tasks only. ``warn`` hears, once, that the official calendar
    ends before a due date."""
    from dataclasses import replace

    if isinstance(entries, LogView):  # the log as the reports ask it: the chosen tasks only
        log = entries
        if reports is None:
            reports = log.reports(as_of, None if tasks is None else [t.id for t in tasks])
        if history is None:
            history = log.reports
        entries = ()
    if stale_days is not None and stale_days < 1:
        raise InputError(f"--stale-days 应为正整数，得到 {stale_days}")
    get = (reports_of(entries, as_of) if reports is None else reports).get
    if rule is None:
        rule = parse_rule(tasklist)
    if tolerance is not None:
        if not 0 <= tolerance <= 100:
            raise InputError(f"序时容差应为 0 到 100 之间的数（百分点），得到 {tolerance}")
        rule = replace(rule, mode=POINTS, yellow=0.0, red=float(tolerance))
    if stale_days is not None:
        rule = replace(rule, stale_days=stale_days)
    cadence = None
    if CADENCE_KEY in tasklist.settings:  # the rounds' module only when the list has them
        from taskctl.period import parse_cadence

        cadence = parse_cadence(tasklist.settings)
    first = _dt.date(tasklist.year or as_of.year, 1, 1)

    def due_at(day: _dt.date) -> tuple[_dt.date, _dt.date] | None:
        if cadence is None:
            return None
        passed = cadence.last_due(day, first, warn)
        return None if passed is None else (passed[0].start, passed[1])

    due = due_at(as_of)
    ends: list[_dt.date] = []
    earlier: dict[_dt.date, Mapping[int, Held]] = {}
    if rule.red_after and rule.red_after > 1:
        ends = period_ends(tasklist, as_of, rule.red_after - 1, cadence)

    nothing: dict[tuple[str, int], Entry] = {}

    def reports_at(day: _dt.date) -> Mapping[int, Held]:
        held = earlier.get(day)
        if held is None:
            held = earlier[day] = history(day) if history is not None else reports_of(entries, day)
        return held

    def judge(
        task: Task,
        held: Held,
        deadline: _dt.date,
        start: _dt.date,
        share: float,
        pick: Pick,
    ) -> dict[str, Any]:
        """The rule applied to the part of ``task`` whose entry ``pick`` chooses."""
        entry = pick(held)
        values = _fields(task, as_of, deadline, share, entry, rule, due)
        if ends and values["light"] == YELLOW:
            run = yellow_run(
                task,
                deadline,
                start,
                ends,
                lambda day: pick(reports_at(day).get(task.id) or nothing),
                rule,
                due_at,
            )
            if run:
                values = _fields(task, as_of, deadline, share, entry, rule, due, run)
        return values

    first_only = unit_rule(tasklist) == FIRST
    review_on: bool | None = None  # read from the list when a task has something to review
    index = UnitIndex(tasklist)
    default = tasklist.default_deadline() or _dt.date(as_of.year, 12, 31)
    elapsed: dict[tuple[_dt.date, _dt.date], float] = {}  # a list has few distinct periods

    def planned(start: _dt.date, deadline: _dt.date, targets: Any) -> float:
        """序时进度 at ``as_of``: by the 节点目标 when the task has them, else a straight line."""
        if targets:
            return planned_progress(start, deadline, as_of, targets)
        share = elapsed.get((start, deadline))
        if share is None:
            share = elapsed[start, deadline] = time_progress(start, deadline, as_of)
        return share

    states: list[TaskState] = []
    append = states.append
    new, set_dict, fields = object.__new__, object.__setattr__, _fields
    blanks: dict[_dt.date, dict[str, Any]] = {}

    def assess(
        task: Task,
        units: TaskUnits,
        held: Held,
        reported: Held,
        review: TaskReview | None,
        extended: _dt.date | None,
        subitem: int = 0,
        item: TaskUnits | None = None,
    ) -> dict[str, Any]:
        """The values of a task (or of the 分项 ``subitem`` of an item whose units are
        ``item``) by the rule: its 牵头 units' parts by the 多单位汇总 rule. ``held``: the
        reports as the review makes them count (``reported``: as written); ``extended``: the
        完成时限 of an approved 延期."""
        deadline = task.deadline or default
        start = period_start(tasklist, deadline)
        targets = milestones(task, start, deadline) if (MILESTONES_KEY in task.extra) else None
        share = planned(start, deadline, targets)
        original = None
        # a 延期 approved: the task's new 完成时限, and each 分项's that was due before it
        if extended is not None and (not subitem or extended > deadline):
            original, deadline = deadline, extended
            share = planned(start, deadline, targets)
        context = (judge, held, deadline, start, share)
        leads = units.leads
        if not held and not targets and not ends:  # never reported: it follows from 完成时限
            blank = blanks.get(deadline)
            if blank is None:
                blank = blanks[deadline] = fields(task, as_of, deadline, share, None, rule, due)
            values = blank.copy()
            values["task"] = task
        elif not leads:  # nobody named can answer: the latest report of anyone
            values = judge(task, *context[1:], _pick(units, None, subitem, item))
        elif len(leads) == 1 or first_only:
            values = judge(task, *context[1:], _pick(units, leads[0], subitem, item))
        else:
            values = min(
                (judge(task, *context[1:], _pick(units, unit, subitem, item)) for unit in leads),
                key=_weakness,
            )
        values["reports"] = reported
        values["units"] = units
        values["unit"] = values["role"] = ""
        values["subitem"] = subitem
        values["review"] = review
        values["original_deadline"] = original
        values["_context"] = context
        if item is not None:
            values["_item"] = item
        return values

    for task in tasklist.tasks if tasks is None else tasks:
        units = index.of(task)
        held = get(task.id)
        if held is None:
            held = nothing
        reported, review = held, None
        if isinstance(held, Reports):  # a unit's 已完成 or a review event: 办结审核
            from taskctl.review import enabled, task_review

            if review_on is None:
                review_on = enabled(tasklist)
            review = task_review(held, units.all, task.deadline or default, review_on)
            held = review.reports
        extended = review.deadline if review is not None else None
        if task.extra and task.rows():
            subitems = tuple(
                _subitem_states(
                    tasklist, task, (held, reported, review, extended), index, assess, review_on
                )
            )
            # the least advanced 分项's values (of two as far, the one due first), its 完成时限
            # and 序时进度 included: the light's grounds; a unit of no 分项 is judged on the
            # whole item against the same
            weakest = min(subitems, key=lambda sub: (_weakness(sub.__dict__), sub.deadline))
            values = {**weakest.__dict__, "task": task, "subitem": 0, "units": units}
            values["review"] = review  # the item's: each unit's flag on any 分项
            values.pop("_parts", None)
            values.pop("_item", None)
            values["_subitems"] = subitems
        else:
            values = assess(task, units, held, reported, review, extended)
        state = new(TaskState)  # as TaskState(...) would, without the frozen __setattr__s
        set_dict(state, "__dict__", values)
        append(state)
    return states


def _subitem_states(
    tasklist: TaskList,
    item: Task,
    reports: tuple[Held, Held, TaskReview | None, _dt.date | None],
    index: UnitIndex,
    assess: Callable[..., dict[str, Any]],
    review_on: bool | None,
) -> Iterator[TaskState]:
    """Each 分项's state (see :func:`task_states`): its own units' reports, and theirs and the
    office's on the whole item, judged by ``assess`` as a task is (``reports``: as they
    count, as written, the item's review and its approved 延期). Each 分项's review flags its
    own units' 已完成 on it or on the whole item."""
    from dataclasses import replace

    from taskctl.subitems import subitems

    held, reported, review, extended = reports
    units = index.of(item)
    for number, task in enumerate(subitems(item, tasklist.year), 1):
        own = index.of(task)
        mine = review
        if review is not None and isinstance(reported, Reports):
            from taskctl.review import task_review

            wanted = (0, number)
            part = Reports({k: e for k, e in reported.items() if k[1] in wanted})
            part.events = reported.events
            part.earlier = {k: e for k, e in reported.earlier.items() if k[1] in wanted}
            # its flags only: the 延期 are the item's
            flags = task_review(part, own.all, _dt.date.max, bool(review_on)).flags
            mine = replace(review, flags=flags)
        values = assess(task, own, held, reported, mine, extended, number, units)
        state = object.__new__(TaskState)
        object.__setattr__(state, "__dict__", values)
        yield state


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
    entries: Sequence[Entry] | LogView,
    as_of: _dt.date,
    *,
    stale_days: int | None = None,
    statuses: Sequence[str] = (),
    lights: Sequence[str] = (),
    tasks: Sequence[Task] | None = None,
    stale: bool = False,
    reports: Mapping[int, Mapping[tuple[str, int], Entry]] | None = None,
    history: Any = None,
    unit: str | None = None,
) -> dict[int, dict[str, Any]]:
    """The progress fields of each task (default: all) that passes the 状态/灯 filters, keyed by
    序号: what a listing joins to each task's record. A query passes the tasks it selected, so
    that a leader's 26 tasks do not cost the rule for all 100 000. ``stale``: only the tasks
    not reported for ``stale_days`` days or more (久未填报). ``reports``, ``history``: as for
    :func:`task_states`. ``unit``: that unit's own part of each task it answers for (the
    task's state where it does not: a task it holds through 各有关部门)."""
    states = task_states(
        tasklist,
        entries,
        as_of,
        stale_days=stale_days,
        tasks=tasks,
        reports=reports,
        history=history,
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
        if state._one_lead():  # the one 牵头 unit's part is the task's state
            yield state.units.leads[0], state  # type: ignore[union-attr]
            continue
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
