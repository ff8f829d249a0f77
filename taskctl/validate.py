"""Checks of a task list for the flaws an official list tends to have, before leaders see them.

Severity: an **错误** makes a listing or a report wrong (a section's count that contradicts its
tasks, a task nobody leads, a cell that holds the task text instead of a name, a 序号 that is
repeated or a progress entry for a task that does not exist); a **警告** is worth a look but
may be intended (a gap or a step back in the 序号, two spellings that look like one name, a
blanket word such as 各有关部门 that ``groups:`` does not spell out).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from taskctl.model import Section, Task, TaskList
from taskctl.names import normalize

ERROR = "error"
WARNING = "warning"
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告"}
NAME_FIELDS = (
    ("leaders", "责任领导"),
    ("lead_departments", "牵头部门"),
    ("departments", "责任部门"),
)
# Words that turn one name into a variant of another: 生态环境(分)局, 各(有关)部门.
FILLERS = ("有关", "相关", "所属", "分", "县", "全县")
_GROUP_WORD = re.compile(r"^各.+")


@dataclass(frozen=True)
class Reference:
    """A place outside the list that names a 序号 (a progress entry): ``where`` says where."""

    task_id: int
    where: str
    date: _dt.date | None = None


@dataclass(frozen=True)
class Finding:
    """One flaw: severity, a stable code, where it is (序号 or 部分), the field, what is wrong."""

    severity: str
    code: str
    where: str
    field: str
    message: str
    ids: tuple[int, ...] = ()

    def to_record(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "code": self.code,
            "where": self.where,
            "ids": list(self.ids),
            "field": self.field,
            "message": self.message,
        }


def _ids_text(ids: Sequence[int], limit: int) -> str:
    shown = "、".join(str(i) for i in ids[:limit])
    return f"序号 {shown}{'…' if len(ids) > limit else ''}"


_DECLARED = re.compile(r"[（(]\s*(\d+)\s*项\s*[）)]\s*$")


def check_counts(tasklist: TaskList) -> list[Finding]:
    """A part whose heading's （N项） differs from its tasks; an enclosing level of nested
    parts counts the tasks of every part under it."""
    findings = [
        Finding(
            ERROR,
            "count-mismatch",
            f"第{section.numeral}部分",
            "项数",
            f"标题写 {section.declared} 项，实际列出 {len(section.tasks)} 项",
            tuple(t.id for t in section.tasks),
        )
        for section in tasklist.sections
        if section.declared is not None and section.declared != len(section.tasks)
    ]
    under: dict[tuple[str, ...], list[int]] = {}
    for section in tasklist.sections:
        for depth in range(1, len(section.path) + 1):
            under.setdefault(section.path[:depth], []).extend(t.id for t in section.tasks)
    for path, ids in under.items():
        match = _DECLARED.search(path[-1])
        if match and int(match.group(1)) != len(ids):
            findings.append(
                Finding(
                    ERROR,
                    "count-mismatch",
                    path[-1],
                    "项数",
                    f"标题写 {match.group(1)} 项，其下各部分共列出 {len(ids)} 项",
                    tuple(ids),
                )
            )
    return findings


def check_parts(tasklist: TaskList) -> list[Finding]:
    """The same number twice at one level of parts (two （一） under 一、)."""
    seen: dict[str, Section] = {}
    findings = []
    for section in tasklist.sections:
        first = seen.get(section.numeral)
        if first is not None:
            findings.append(
                Finding(
                    ERROR,
                    "duplicate-section",
                    f"第{section.numeral}部分",
                    "编号",
                    f"编号重复：「{section.full_heading}」与「{first.full_heading}」",
                    tuple(t.id for t in section.tasks),
                )
            )
        seen.setdefault(section.numeral, section)
    return findings


def check_columns(tasklist: TaskList) -> list[Finding]:
    """One note for the list when it has no 责任领导 column or no separate 牵头单位 column:
    normal in many published lists, so not an error on every row."""
    if not tasklist.columns:
        return []
    keys = {key for _, key in tasklist.columns}
    findings = []
    if "责任领导" not in keys and not any(t.leaders for t in tasklist.tasks):
        findings.append(
            Finding(WARNING, "no-leader-column", "清单", "责任领导", "清单没有责任领导列")
        )
    if "牵头部门" not in keys and not tasklist.rules:
        findings.append(
            Finding(
                WARNING,
                "no-lead-column",
                "清单",
                "牵头部门",
                "清单没有单独的牵头单位列；若清单注明「列第一位的为牵头单位」，"
                "导入时加 --first-unit-leads",
            )
        )
    return findings


def _absent(tasklist: TaskList) -> set[str]:
    """Name fields the list has no column for (checked once by :func:`check_columns`)."""
    if not tasklist.columns:
        return set()
    keys = {key for _, key in tasklist.columns}
    absent = set()
    if "责任领导" not in keys and not any(t.leaders for t in tasklist.tasks):
        absent.add("leaders")
    if "牵头部门" not in keys and not tasklist.rules:
        absent.add("lead_departments")
    return absent


def _repeats_text(name: str, task: Task) -> bool:
    """A name cell holding the task text (or a long stretch of it) rather than a name."""
    cell, text = normalize(name), normalize(task.text)
    return bool(cell) and (cell == text or (len(cell) >= 8 and cell in text))


def check_cells(tasklist: TaskList) -> list[Finding]:
    findings = []
    absent = _absent(tasklist)
    for task in tasklist.tasks:
        where = f"序号 {task.id}"
        for attr, label in NAME_FIELDS:
            names = getattr(task, attr)
            if (
                attr != "departments"
                and attr not in absent
                and not any(normalize(n) for n in names)
            ):
                findings.append(Finding(ERROR, "empty", where, label, f"{label}为空", (task.id,)))
            for name in names:
                if _repeats_text(name, task):
                    findings.append(
                        Finding(
                            ERROR,
                            "repeats-text",
                            where,
                            label,
                            f"单元格重复了年度任务目标（「{name[:20]}{'…' if len(name) > 20 else ''}」），"
                            f"应为{label}",
                            (task.id,),
                        )
                    )
    return findings


def check_ids(tasklist: TaskList) -> list[Finding]:
    """Repeated 序号 (错误), a gap or a step back in the numbering (警告)."""
    findings = []
    seen: set[int] = set()
    previous: int | None = None
    for task in tasklist.tasks:
        where = f"序号 {task.id}"
        if task.id in seen:
            findings.append(Finding(ERROR, "duplicate-id", where, "序号", "序号重复", (task.id,)))
        elif previous is not None and task.id < previous:
            findings.append(
                Finding(
                    WARNING,
                    "id-order",
                    where,
                    "序号",
                    f"排在序号 {previous} 之后，顺序颠倒",
                    (task.id,),
                )
            )
        elif previous is not None and task.id > previous + 1:
            missing = (
                f"{previous + 1}" if task.id == previous + 2 else f"{previous + 1}–{task.id - 1}"
            )
            findings.append(
                Finding(
                    WARNING,
                    "id-gap",
                    where,
                    "序号",
                    f"缺少序号 {missing}（上一项为 {previous}）",
                    (task.id,),
                )
            )
        seen.add(task.id)
        previous = task.id if previous is None else max(previous, task.id)
    first = min(seen) if seen else 1
    if first != 1:
        findings.insert(
            0,
            Finding(
                WARNING,
                "id-gap",
                f"序号 {first}",
                "序号",
                f"序号不从 1 开始（缺少 1–{first - 1}）",
                (first,),
            ),
        )
    return findings


def _occurrences(tasklist: TaskList) -> dict[str, tuple[str, list[int]]]:
    """Each department name (normalized): its first spelling and the 序号 that use it.

    Linear in the number of tasks: names are normalized once per distinct spelling, and the
    序号 of each name are gathered in a dict (ordered, no repeats) rather than searched in a list.
    """
    found: dict[str, tuple[str, dict[int, None]]] = {}
    keys: dict[str, str] = {}
    for task in tasklist.tasks:
        for name in (*task.lead_departments, *task.departments):
            key = keys.get(name)
            if key is None:
                key = keys[name] = normalize(name)
            if key and not _repeats_text(name, task):
                found.setdefault(key, (name, {}))[1][task.id] = None
    return {key: (spelling, list(ids)) for key, (spelling, ids) in found.items()}


def _core(name: str) -> str:
    for filler in FILLERS:
        name = name.replace(filler, "")
    return name


def check_variants(tasklist: TaskList) -> list[Finding]:
    """Two department names that differ only by a filler word (有关, 分, 县…)."""
    names = _occurrences(tasklist)
    groups = {normalize(g) for g in tasklist.groups}
    members = {normalize(m) for ms in tasklist.groups.values() for m in ms}
    by_core: dict[str, list[str]] = {}
    for name in [*names, *(n for n in (*groups, *members) if n not in names)]:
        by_core.setdefault(_core(name), []).append(name)
    findings = []
    for spellings in by_core.values():
        if len(spellings) < 2:
            continue
        used = sorted((n for n in spellings if n in names), key=lambda n: -len(names[n][1]))
        if not used:
            continue
        ids = sorted({i for n in used for i in names[n][1]})
        described = "、".join(
            [f"「{names[n][0]}」（{len(names[n][1])} 项）" for n in used]
            + [f"「{n}」（groups）" for n in spellings if n not in names]
        )
        # Point at the odd spellings: all but the most used one (all of them on a tie).
        top = len(names[used[0]][1])
        tied = sum(len(names[n][1]) == top for n in used) > 1
        odd = sorted({i for n in (used if tied else used[1:]) for i in names[n][1]}) or ids
        findings.append(
            Finding(
                WARNING,
                "variant",
                _ids_text(odd, 5),
                "部门",
                f"疑似同一名称的不同写法：{described}；请统一",
                tuple(ids),
            )
        )
    return findings


def check_groups(tasklist: TaskList) -> list[Finding]:
    """Blanket words (各…) that ``groups:`` does not spell out."""
    defined = {normalize(g) for g in tasklist.groups}
    findings = []
    for name, (spelling, ids) in _occurrences(tasklist).items():
        if _GROUP_WORD.match(name) and name not in defined:
            findings.append(
                Finding(
                    WARNING,
                    "undefined-group",
                    _ids_text(ids, 5),
                    "部门",
                    f"统称「{spelling}」（{len(ids)} 项）在 groups 中没有列出所指单位",
                    tuple(ids),
                )
            )
    return findings


def check_references(
    tasklist: TaskList, references: Iterable[Reference], today: _dt.date | None = None
) -> list[Finding]:
    """Progress entries (or any other references) to a 序号 the list does not have, dated
    after today (错误: every view ignores them until then), or outside the list's 年度 (警告)."""
    known = {task.id for task in tasklist.tasks}
    today = today or _dt.date.today()
    findings = []
    for ref in references:
        where = f"序号 {ref.task_id}"
        if ref.task_id not in known:
            findings.append(
                Finding(
                    ERROR,
                    "unknown-id",
                    where,
                    "进度",
                    f"{ref.where}的记录所指的序号不在清单中",
                    (ref.task_id,),
                )
            )
        elif ref.date is not None and ref.date > today:
            findings.append(
                Finding(
                    ERROR,
                    "future-date",
                    where,
                    "日期",
                    f"{ref.where}的记录日期 {ref.date.isoformat()} 晚于今天，"
                    "在那天之前各种统计都不会计入",
                    (ref.task_id,),
                )
            )
        elif ref.date is not None and tasklist.year and ref.date.year != tasklist.year:
            findings.append(
                Finding(
                    WARNING,
                    "date-outside-year",
                    where,
                    "日期",
                    f"{ref.where}的记录日期 {ref.date.isoformat()} 不在清单年度 {tasklist.year} 年内",
                    (ref.task_id,),
                )
            )
    return findings


def check_rules(tasklist: TaskList) -> list[Finding]:
    """The office's rules as the list writes them: 亮灯规则, 报送周期, each task's 节点目标 (an
    error here would stop list, report and forms)."""
    from taskctl.errors import InputError
    from taskctl.period import parse_cadence
    from taskctl.tracking import deadline_of, milestones, parse_rule, period_start

    findings = []
    checks = (
        ("亮灯规则", lambda: parse_rule(tasklist)),
        ("报送周期", lambda: parse_cadence(tasklist.settings)),
    )
    for key, check in checks:
        try:
            check()
        except InputError as exc:
            findings.append(Finding(ERROR, "bad-rule", "清单", key, exc.message))
    day = _dt.date(tasklist.year or 2000, 12, 31)
    for task in tasklist.tasks:
        if "节点目标" not in task.extra:
            continue
        deadline = deadline_of(task, tasklist, day)
        try:
            milestones(task, period_start(tasklist, deadline), deadline)
        except InputError as exc:
            findings.append(
                Finding(
                    ERROR, "bad-milestones", f"序号 {task.id}", "节点目标", exc.message, (task.id,)
                )
            )
    return findings


def validate(
    tasklist: TaskList, references: Iterable[Reference] = (), today: _dt.date | None = None
) -> list[Finding]:
    """Every finding, in this order: columns, 项数, parts (编号 repeated at one level), 序号,
    cells, variant names, groups, references, the office's rules.

    Linear in the number of tasks and references (a 100 000-task list is checked in about the
    time it takes to load)."""
    return [
        *check_columns(tasklist),
        *check_counts(tasklist),
        *check_parts(tasklist),
        *check_ids(tasklist),
        *check_cells(tasklist),
        *check_variants(tasklist),
        *check_groups(tasklist),
        *check_references(tasklist, references, today),
        *check_rules(tasklist),
    ]


def failed(findings: Iterable[Finding], strict: bool = False) -> bool:
    """Whether the findings fail the check: any 错误, or with ``strict`` any finding at all."""
    return any(f.severity == ERROR or strict for f in findings)
