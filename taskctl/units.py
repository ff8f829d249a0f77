"""Each responsible unit of a task, with its role, and the rule that makes a task's state of its
units' states.

A task's units are its 牵头部门 (the first-listed is the 主牵头单位, who leads and sums up) and
its 责任部门 (配合), each group such as 各镇街道 expanded into the units ``groups:`` lists. A
unit named both as 牵头 and as 责任 counts once, as 牵头. A 统称 whose units the list does not
name (各有关部门) is no unit: nobody can answer for it.

Every report belongs to one unit (its 填报人). A report whose 填报人 is none of the task's units
(the office's own ``update``, or an old log's person) is the office's finding for the whole task:
it stands for every 牵头单位 until that unit reports again. See docs/progress.md, 多单位任务.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from taskctl.errors import DataFileError, NameLookupError
from taskctl.model import ListFacts, Task, TaskList
from taskctl.names import normalize

LEAD_FIRST, LEAD, SUPPORT = "主牵头", "牵头", "责任"
OFFICE = "督查室"  # how the office names itself in ``update --by`` (or gives no --by)
RULE_KEY = "多单位汇总"
WEAKEST, FIRST = "最弱牵头单位", "主牵头单位"
RULES = (WEAKEST, FIRST)


@dataclass(frozen=True)
class TaskUnits:
    """The units that answer for one task: 牵头 in the list's order, then 责任."""

    leads: tuple[str, ...]
    supports: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        return self.leads + self.supports

    def role(self, unit: str) -> str:
        """主牵头, 牵头 or 责任; empty for a name that is none of the task's units."""
        if self.leads and unit == self.leads[0]:
            return LEAD_FIRST
        if unit in self.leads:
            return LEAD
        return SUPPORT if unit in self.supports else ""


class UnitIndex:
    """The units of every task of a list, worked out once per distinct pair of name tuples
    (a city's list repeats a few hundred)."""

    def __init__(self, tasklist: TaskList) -> None:
        self._groups = {
            normalize(group): tuple(normalize(m) for m in members)
            for group, members in tasklist.groups.items()
        }
        self._memo: dict[tuple[tuple[str, ...], tuple[str, ...]], TaskUnits] = {}

    def _expand(self, names: Iterable[str]) -> list[str]:
        units: list[str] = []
        for name in map(normalize, names):
            members = self._groups.get(name)
            if members is not None:
                units.extend(members)
            elif name and not name.startswith("各"):
                units.append(name)
        return list(dict.fromkeys(units))

    def names_open_group(self, task: Task) -> bool:
        """Whether the task names a 统称 that ``groups:`` does not spell out (各有关部门)."""
        return any(
            n.startswith("各") and n not in self._groups
            for n in map(normalize, task.lead_departments + task.departments)
        )

    def of(self, task: Task) -> TaskUnits:
        key = (task.lead_departments, task.departments)
        held = self._memo.get(key)
        if held is None:
            leads = self._expand(task.lead_departments)
            supports = [u for u in self._expand(task.departments) if u not in leads]
            held = self._memo[key] = TaskUnits(tuple(leads), tuple(supports))
        return held


def list_facts(tasklist: TaskList) -> ListFacts:
    """The list's :class:`ListFacts`, each task's units included (what ``update --by`` checks)."""
    index = UnitIndex(tasklist)
    lines = []
    names: set[str] = set()
    for task in tasklist.tasks:
        found = index.of(task)
        names.update(found.all)
        open_group = "1" if index.names_open_group(task) else ""
        lines.append(
            f"\n{task.id}\t{US.join(found.leads)}{RS}{US.join(found.supports)}{RS}{open_group}"
        )
        if task.rows():
            from taskctl.subitems import subitems

            for part in map(index.of, subitems(task, tasklist.year)):
                names.update(part.all)
                lines.append(f"{GS}{US.join(part.leads)}{RS}{US.join(part.supports)}")
    blob = ("".join(lines) + "\n").encode()
    ids = [task.id for task in tasklist.tasks]
    return ListFacts.of(tasklist.year, ids, blob, tuple(sorted(names)))


US, RS, GS = "\x1f", "\x1e", "\x1d"


def task_units(tasklist: TaskList, task: Task) -> TaskUnits:
    return UnitIndex(tasklist).of(task)


def rule(tasklist: TaskList) -> str:
    """The list's 多单位汇总 rule (default 最弱牵头单位); anything else is an error naming the key."""
    value = tasklist.settings.get(RULE_KEY, WEAKEST)
    if value not in RULES:
        raise DataFileError(
            tasklist.source or "任务清单",
            f"{RULE_KEY} 应为 {WEAKEST}（默认：任务进度看最慢的牵头单位）或 {FIRST}"
            f"（看列第一位的牵头单位），得到「{value}」",
        )
    return str(value)


def is_office(name: str) -> bool:
    """The office's own name for itself: none given, or one ending in 督查室 (县政府督查室)."""
    return not name.strip() or normalize(name).endswith(OFFICE)


def resolve_reporter(
    query: str, task_ids: Sequence[int | tuple[int, int]], held: TaskList | ListFacts
) -> str:
    """The 填报人 ``query`` (as typed: part of a name, pinyin) names for the tasks ``task_ids``
    (序号, or (序号, 分项) pairs for 5.2: that 分项's units): one of the units of every one of
    them, as the list writes it; the office (no name, or one ending in 督查室) as typed. A task that also names a 统称 the list does not spell out
    (各有关部门) may be answered by any unit of the list. Anything else is refused with the
    closest names."""
    query = query.strip()
    if is_office(query):
        return query
    from taskctl.names import resolve

    pairs = [(t, 0) if isinstance(t, int) else t for t in task_ids]
    if isinstance(held, ListFacts):
        found = [held.units_of(task_id, part) for task_id, part in pairs]
    else:
        index = UnitIndex(held)
        found = [_with_open(index, held.task(task_id), part, held.year) for task_id, part in pairs]
    named = [f for f in found if not f[2]] or found  # 各有关部门: any unit of the list may be one
    shared = [u for u in named[0][0] + named[0][1] if all(u in f[0] + f[1] for f in named[1:])]
    if all(f[2] for f in found):
        if _names_unit(held, normalize(query)):
            return normalize(query)
        shared = list(dict.fromkeys(shared + sorted(_every_unit(held))))
    if shared:
        try:
            return resolve(query, shared, "责任单位")
        except NameLookupError:
            pass
    import difflib

    close = difflib.get_close_matches(normalize(query), shared, n=3, cutoff=0.3)
    hint = f"；最接近的是 {'、'.join(close)}" if close else ""
    at = next((i for i, f in enumerate(found) if normalize(query) not in f[0] + f[1]), 0)
    mine = found[at][0] + found[at][1]
    listed = "、".join(mine[:6]) + ("…" if len(mine) > 6 else "")
    raise NameLookupError(
        f"「{query}」不是序号 {_target(pairs[at])} 的责任单位{hint}（其单位：{listed or '无'}）；"
        f"督查室自己填报时不写 --by 或写 --by {OFFICE}"
    )


def _with_open(
    index: UnitIndex, task: Task, part: int = 0, year: int | None = None
) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    found = index.of(task)
    if part:
        from taskctl.subitems import subitems

        found = index.of(subitems(task, year)[part - 1])
    return found.leads, found.supports, index.names_open_group(task)


def _target(pair: tuple[int, int]) -> str:
    return f"{pair[0]}.{pair[1]}" if pair[1] else str(pair[0])


def _names_unit(held: TaskList | ListFacts, name: str) -> bool:
    """Whether ``name`` is a unit of some task of the list."""
    return name in _every_unit(held)


def _every_unit(held: TaskList | ListFacts) -> set[str]:
    if isinstance(held, ListFacts):
        return set(held.names)
    index = UnitIndex(held)
    return {unit for task in held.tasks for unit in index.of(task).all}
