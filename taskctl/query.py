"""Queries over a task list: filters, a department's tasks, and the directories of names."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from taskctl.errors import InputError, NameLookupError
from taskctl.model import Section, Task, TaskList
from taskctl.names import normalize, resolve

ROLES = ("lead", "support")
ROLE_LABELS = {"lead": "牵头", "support": "责任"}
_NUMERALS = "一二三四五六七八九十百零〇"


# Every pass below is linear in the number of tasks: a merged list of a whole city has 100 000
# of them but only hundreds of distinct names, so names are deduplicated before normalizing.


def _unique(names: Iterable[str]) -> list[str]:
    return [n for n in dict.fromkeys(map(normalize, dict.fromkeys(names))) if n]


def leader_names(tasklist: TaskList) -> list[str]:
    """Every leader, whitespace removed, in order of first appearance."""
    return _unique(n for t in tasklist.tasks for n in t.leaders)


def department_names(tasklist: TaskList, with_groups: bool = True) -> list[str]:
    """Every 牵头部门 and 责任部门 (and, by default, group names and their members)."""
    names = [n for t in tasklist.tasks for n in (*t.lead_departments, *t.departments)]
    if with_groups:
        for group, members in tasklist.groups.items():
            names.extend((group, *members))
    return _unique(names)


def _normalized_set(
    names: tuple[str, ...], memo: dict[tuple[str, ...], frozenset[str]]
) -> frozenset[str]:
    """The normalized names of a cell, remembered per cell value (cells repeat a lot)."""
    try:
        return memo[names]
    except KeyError:
        value = memo[names] = frozenset(map(normalize, names))
        return value


def resolve_leader(tasklist: TaskList, query: str) -> str:
    return resolve(query, leader_names(tasklist), "责任领导", "用 taskctl leaders 查看全部责任领导")


def resolve_department(tasklist: TaskList, query: str) -> str:
    return resolve(query, department_names(tasklist), "部门", "用 taskctl depts 查看全部部门")


def resolve_section(tasklist: TaskList, query: str) -> Section:
    """A section by its numeral (一), its position (1) or a unique part of its title."""
    wanted = normalize(query).strip("第部分")
    for index, section in enumerate(tasklist.sections, start=1):
        if wanted in (section.numeral, str(index)):
            return section
    if wanted and not wanted.isdigit() and not set(wanted) <= set(_NUMERALS):
        matches = [s for s in tasklist.sections if wanted in normalize(s.title)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            listed = "、".join(f"{s.numeral}（{s.title[:12]}…）" for s in matches)
            raise NameLookupError(f"「{query}」对应多个部分：{listed}；请写编号")
    if wanted and wanted.isascii() and not wanted.isdigit():
        spelled = _spelled_section(tasklist, wanted)
        if len(spelled) == 1:
            return spelled[0]
        if spelled:
            listed = "、".join(f"{s.numeral}（{s.title[:12]}…）" for s in spelled)
            raise NameLookupError(f"「{query}」对应多个部分：{listed}；请写编号")
    numerals = "、".join(s.numeral for s in tasklist.sections)
    raise NameLookupError(
        f"没有「{query}」这一部分；本清单的部分为 {numerals}（也可写 1–{len(tasklist.sections)}）"
    )


def resolve_sections(tasklist: TaskList, query: str) -> list[Section]:
    """The parts ``query`` names. In a list of nested parts (一、 > （一） > 1.) it may name any
    level: its numeral as written (``一``, ``（一）``, the joined ``一（一）``) or a part of a
    heading, giving every part under it. Otherwise as :func:`resolve_section`."""
    nested = [s for s in tasklist.sections if s.path]
    if not nested:
        return [resolve_section(tasklist, query)]
    from taskctl.importers.table import _level

    wanted = normalize(query)
    exact = [s for s in tasklist.sections if normalize(s.numeral) == wanted]
    if exact:
        return exact

    def levels(section: Section) -> list[tuple[str, str]]:
        found = []
        for heading in (*section.path, section.heading):
            level = _level(heading)
            if level is not None:
                found.append((level[1], normalize(level[2])))
        return found

    by_numeral = [s for s in tasklist.sections if any(wanted in pair for pair in levels(s))]
    if by_numeral:
        return by_numeral
    if not wanted.isdigit():
        by_title = [
            s
            for s in tasklist.sections
            if any(wanted in normalize(h) for h in (*s.path, s.heading))
        ]
        if by_title:
            return by_title
    return [resolve_section(tasklist, query)]


def _spells(wanted: str, numeral: str) -> bool:
    from taskctl.pinyin import EXACT, match

    found = match(wanted, numeral)
    return found is not None and found.rank == EXACT


def _spelled_section(tasklist: TaskList, wanted: str) -> list[Section]:
    """Sections whose numeral (``san``) or title (``jjxc``) the pinyin query spells."""
    from taskctl.pinyin import best_matches

    numerals = [s for s in tasklist.sections if _spells(wanted, s.numeral)]
    if numerals:
        return numerals
    by_title = {normalize(s.title): s for s in tasklist.sections}
    return [by_title[m.name] for m in best_matches(wanted, by_title)]


def parse_ids(spec: str) -> set[int]:
    """Parse a 序号 list such as ``7,9-11`` (full-width commas and dashes accepted)."""
    ids: set[int] = set()
    cleaned = spec.translate(str.maketrans("，、－—～~", ",,----"))
    for part in filter(None, (p.strip() for p in cleaned.split(","))):
        match = re.fullmatch(r"(\d+)\s*(?:-\s*(\d+))?", part)
        if not match:
            raise InputError(f"无法理解的序号「{part}」：应写成 7 或 9-11，多个用逗号分隔")
        low = int(match.group(1))
        high = int(match.group(2) or low)
        if high < low:
            raise InputError(f"序号范围「{part}」的起点大于终点")
        if high - low > 1_000_000:
            raise InputError(f"序号范围「{part}」过大")
        ids.update(range(low, high + 1))
    if not ids:
        raise InputError("序号不能为空：应写成 7 或 9-11，多个用逗号分隔")
    return ids


def filter_tasks(
    tasklist: TaskList,
    *,
    leaders: Sequence[str] = (),
    departments: Sequence[str] = (),
    sections: Sequence[str] = (),
    grep: Sequence[str] = (),
    ids: Iterable[int] = (),
) -> list[Task]:
    """Tasks matching every kind of filter given; several values of one kind match any of them.

    Leader and department names are resolved first (unknown or ambiguous names raise), and
    ``departments`` matches a 牵头部门 or 责任部门 named directly, not through a group.
    """
    leader_set = {resolve_leader(tasklist, q) for q in leaders}
    dept_set = {resolve_department(tasklist, q) for q in departments}
    section_set = {s.numeral for q in sections for s in resolve_sections(tasklist, q)}
    id_set = set(ids)
    needles = [normalize(g).casefold() for g in grep]
    memo: dict[tuple[str, ...], frozenset[str]] = {}
    result = []
    for task in tasklist.tasks:
        if leader_set and leader_set.isdisjoint(_normalized_set(task.leaders, memo)):
            continue
        if (
            dept_set
            and dept_set.isdisjoint(_normalized_set(task.lead_departments, memo))
            and dept_set.isdisjoint(_normalized_set(task.departments, memo))
        ):
            continue
        if section_set and task.section not in section_set:
            continue
        if id_set and task.id not in id_set:
            continue
        if needles and not any(n in normalize(task.text).casefold() for n in needles):
            continue
        result.append(task)
    return result


@dataclass(frozen=True)
class DepartmentTask:
    """A task held by a department: as 牵头 (``lead``) or 责任 (``support``), directly or via a group."""

    task: Task
    role: str
    via: str | None = None

    def to_record(self) -> dict[str, object]:
        return {**self.task.to_record(), "role": self.role, "via": self.via}


def _holding(
    names: Iterable[str], name: str, groups: dict[str, str]
) -> tuple[bool, str | None] | None:
    """(direct, via) when ``name`` holds one of ``names`` directly or through a group."""
    normalized = [normalize(n) for n in names]
    if name in normalized:
        return True, None
    for group in normalized:
        if group in groups:
            return False, groups[group]
    return None


def department_tasks(
    tasklist: TaskList, name: str, role: str = "all", direct: bool = False
) -> list[DepartmentTask]:
    """Every task the department holds, one row per task: 牵头 before 责任, direct before via group.

    ``name`` must already be resolved (see :func:`resolve_department`).
    """
    if role not in ("all", *ROLES):
        raise InputError(f"角色应为 lead、support 或 all，得到「{role}」")
    member_of = {
        normalize(group): group
        for group, members in tasklist.groups.items()
        if not direct and name in {normalize(m) for m in members}
    }
    rows = []
    memo: dict[tuple[str, ...], tuple[bool, str | None] | None] = {}
    lead, support = role in ("all", "lead"), role in ("all", "support")
    for task in tasklist.tasks:
        for wanted, this_role, names in (
            (lead, "lead", task.lead_departments),
            (support, "support", task.departments),
        ):
            if not wanted:
                continue
            held = memo.get(names, _UNSEEN)
            if held is _UNSEEN:
                held = memo[names] = _holding(names, name, member_of)
            if held:
                rows.append(DepartmentTask(task, this_role, held[1]))
                break
    return rows


_UNSEEN: Any = object()
_OPEN_GROUP = re.compile(r"^各.+")


def open_groups(tasklist: TaskList) -> set[str]:
    """Blanket words (各有关部门, 各镇街道…) the list uses that ``groups:`` does not spell out:
    no department can be said to hold their tasks, nor be said not to."""
    defined = {normalize(g) for g in tasklist.groups}
    return {
        name
        for name in department_names(tasklist, with_groups=False)
        if _OPEN_GROUP.match(name) and name not in defined
    }


def open_group_tasks(
    tasklist: TaskList, role: str = "all", exclude: Iterable[int] = ()
) -> list[DepartmentTask]:
    """Tasks (not in ``exclude``) whose 牵头部门 or 责任部门, as ``role`` says, name an open group
    (see :func:`open_groups`); ``via`` is the group."""
    words = open_groups(tasklist)
    skip = set(exclude)
    rows: list[DepartmentTask] = []
    if not words:
        return rows
    for task in tasklist.tasks:
        if task.id in skip:
            continue
        for wanted, this_role, names in (
            (role in ("all", "lead"), "lead", task.lead_departments),
            (role in ("all", "support"), "support", task.departments),
        ):
            group = next((n for n in map(normalize, names) if n in words), None) if wanted else None
            if group is not None:
                rows.append(DepartmentTask(task, this_role, group))
                break
    return rows


@dataclass(frozen=True)
class DepartmentCount:
    name: str
    lead: int
    support: int
    via_group: int

    def to_record(self) -> dict[str, object]:
        return {
            "name": self.name,
            "lead": self.lead,
            "support": self.support,
            "via_group": self.via_group,
        }


def leader_directory(tasklist: TaskList) -> list[tuple[str, int]]:
    """(leader, number of tasks) for every leader, most tasks first."""
    counts = {name: 0 for name in leader_names(tasklist)}
    for task in tasklist.tasks:
        for name in {normalize(n) for n in task.leaders if normalize(n)}:
            counts[name] += 1
    return sorted(counts.items(), key=lambda item: -item[1])


def department_directory(tasklist: TaskList) -> list[DepartmentCount]:
    """Counts for every department: as 牵头, as 责任 named directly, and as 责任 through a group."""
    members = {normalize(g): {normalize(m) for m in ms} for g, ms in tasklist.groups.items()}
    names = department_names(tasklist)
    counts = {name: [0, 0, 0] for name in names}
    memo: dict[tuple[str, ...], frozenset[str]] = {}
    via_memo: dict[frozenset[str], set[str]] = {}
    for task in tasklist.tasks:
        supports = _normalized_set(task.departments, memo)
        try:
            via = via_memo[supports]
        except KeyError:
            via = via_memo[supports] = (
                set().union(*(members.get(g, ()) for g in supports)) - supports
            )
        for column, held in enumerate(
            (_normalized_set(task.lead_departments, memo), supports, via)
        ):
            for name in held:
                if name in counts:
                    counts[name][column] += 1
    rows = [DepartmentCount(name, *counts[name]) for name in names]
    rows.sort(key=lambda r: (-(r.lead + r.support + r.via_group), -r.lead))
    return rows
