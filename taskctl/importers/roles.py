"""Which role a column plays, decided by its heading as a clerk would read it.

Headings are compared with all spaces removed (``目  标  任  务``). A column is recognised by a
word in its heading, not by an exact title; see :func:`classify` and docs/import.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from taskctl.errors import InputError
from taskctl.model import TITLE_KEY

ID = "id"
TEXT = "text"
TITLE = "title"
LEADERS = "leaders"
LEAD = "lead_departments"
UNITS = "departments"
DEADLINE = "deadline"
SECTION = "section"
PERSON = "person"
EXTRA = "extra"
NAME_ROLES = (LEADERS, LEAD, UNITS)

# The key each role fills in tasks.yaml; PERSON and EXTRA keep the column under its own heading.
KEYS = {
    ID: "序号",
    TEXT: "年度任务目标",
    TITLE: TITLE_KEY,
    LEADERS: "责任领导",
    LEAD: "牵头部门",
    UNITS: "责任部门",
    DEADLINE: "完成时限",
    SECTION: "部分",
}
# What the summary calls each role.
LABELS = {**KEYS, PERSON: "原样保留", EXTRA: "原样保留"}
# Names a user may give a role in ``--columns`` (role=heading).
ROLE_NAMES = {
    "序号": ID,
    "任务": TEXT,
    "年度任务目标": TEXT,
    "任务名称": TITLE,
    "名称": TITLE,
    "责任领导": LEADERS,
    "领导": LEADERS,
    "牵头部门": LEAD,
    "牵头单位": LEAD,
    "牵头": LEAD,
    "责任部门": UNITS,
    "责任单位": UNITS,
    "配合单位": UNITS,
    "完成时限": DEADLINE,
    "时限": DEADLINE,
    "部分": SECTION,
    "类别": SECTION,
    "责任人": PERSON,
    "保留": EXTRA,
}

_TASK_REASON = ("任务", "内容", "事项", "实事", "措施", "工作", "目标", "项目")
# Task-like headings that describe a task rather than state it: kept verbatim, never the task
# (unless joined to a task word: 内容与要求, 工作内容及标准 name the task and its requirement).
_NOT_TASK = ("要求", "标准", "成效", "进展", "进度", "备注", "说明", "情况")
# A schedule beside the task (月度工作计划, 一季度目标, 推进安排): the task only when nothing else is.
_PLAN = re.compile("计划|安排|季度|月度|半年|[0-9一二三四五六七八九十]+月")
_JOINERS = re.compile("[与及和、/]")
_LEAD_WORDS = ("主要责任单位", "牵头责任单位", "主责单位", "主办单位", "责任主体", "主要责任部门")
_UNIT_WORDS = ("单位", "部门", "科室", "处室", "股室", "站所")
_UNIT = re.compile("|".join(_UNIT_WORDS))
_LEAD_PREFIX = re.compile(f"^(?:主要责任|主责|主办|牵头责任)(?:{_UNIT.pattern})$")
# Tiers of task-like columns: a plain task heading, a plan beside it, a description of it.
TASK, PLAN, DESCRIBED = 0, 1, 2


def key(heading: str) -> str:
    """The heading with every space removed, for comparing."""
    return re.sub(r"\s+", "", heading)


def _said(h: str, word: str) -> str:
    return f"标题{'为' if h == word else '含'}“{word}”"


def task_tier(heading: str) -> tuple[int, str] | None:
    """(tier, reason) of a task-like heading: TASK, PLAN or DESCRIBED; None when not task-like."""
    h = key(heading)
    # the most telling word names the reason: 项目内容 is a task by its 内容
    word = next((w for w in _TASK_REASON if w in h), None)
    if word is None:
        return None
    head = _JOINERS.split(h)[0]
    described = next((w for w in _NOT_TASK if w in head), None)
    if described is not None or word not in head:
        return DESCRIBED, f"{_said(h, described or word)}，是说明，不作任务"
    plan = _PLAN.search(h)
    if plan:
        return PLAN, f"{_said(h, plan.group())}，是推进安排"
    return TASK, _said(h, word)


def explain(heading: str) -> tuple[str | None, str]:
    """The role of a column headed ``heading`` (None when it names no known role) and why."""
    h = key(heading)
    if not h or len(h) > 14:
        return None, "标题不对应已知的角色"
    if h in ("序号", "编号", "序", "序列号") or h.startswith("序号"):
        return ID, _said(h, "序号" if "序号" in h else h)
    if "领导" in h:
        return LEADERS, _said(h, "领导")
    if "责任人" in h or h in ("联系人", "负责人"):
        return PERSON, _said(h, "责任人" if "责任人" in h else h)
    if h in _LEAD_WORDS or _LEAD_PREFIX.match(h):
        return LEAD, _said(h, h)
    if ("牵头" in h and _UNIT.search(h)) or h == "牵头":
        return LEAD, _said(h, "牵头")
    unit = _UNIT.search(h)
    if unit:
        return UNITS, _said(h, unit.group())
    deadline = re.search("时限|时间|节点|期限", h)
    if deadline:
        return DEADLINE, _said(h, deadline.group())
    section = re.search("类别|领域|部分|板块|分类", h)
    if section:
        return SECTION, _said(h, section.group())
    tier = task_tier(h)
    if tier is not None and tier[0] != DESCRIBED:
        return TEXT, tier[1]
    return None, tier[1] if tier else "标题不对应已知的角色"


def classify(heading: str) -> str | None:
    """The role of a column headed ``heading``; None when the heading names no known role."""
    return explain(heading)[0]


def parse_columns_option(spec: str) -> dict[str, str]:
    """``任务=重点工作,牵头部门=主要责任单位`` as {heading key: role}."""
    mapping: dict[str, str] = {}
    cleaned = spec.replace("，", ",").replace("＝", "=")
    for part in filter(None, (p.strip() for p in cleaned.split(","))):
        name, sep, heading = part.partition("=")
        role = ROLE_NAMES.get(key(name))
        if not sep or not key(heading):
            raise InputError(
                f"无法理解的列对应「{part}」：应写成 角色=原表列标题，如 任务=重点工作"
            )
        if role is None:
            known = "、".join(ROLE_NAMES)
            raise InputError(f"不认识的角色「{name.strip()}」；可用：{known}")
        mapping[key(heading)] = role
    if not mapping:
        raise InputError("--columns 不能为空：应写成 角色=原表列标题，如 任务=重点工作")
    return mapping


def category_values(values: list[str]) -> list[str] | None:
    """The distinct values of a column of a few short values repeated (A类、B类): a category,
    never the task; None for any other column."""
    shown = [key(v) for v in values if key(v)]
    distinct = list(dict.fromkeys(shown))
    if (
        len(shown) >= 3
        and len(distinct) < len(shown)
        and len(distinct) <= 5
        and all(len(v) <= 6 for v in distinct)
    ):
        return distinct
    return None


def choose(
    headings: list[str],
    manual: Mapping[str, str] | None = None,
    cells: list[list[str]] | None = None,
) -> dict[int, tuple[str, str]] | None:
    """Role of each column and why (index → (role, reason)), or None when ``headings`` is not
    a heading row.

    A heading row has a task column and at least one more recognised column. ``cells`` (each
    column's values, when known) let the cells decide: a task-like column of a few short
    repeated values (目标类型: A类、B类) is a category, kept verbatim. Of the task-like columns,
    plain ones (重点工作、项目内容、内容与要求) come before a schedule beside them (月度工作计划,
    kept verbatim), and that before a description (工作要求), taken only when nothing else
    reads as the task. Of two task columns, one whose heading has 名称 is the title and the
    other the text; without 名称, the first is the title and the second the text; any further
    ones are kept verbatim. Several 单位/部门 columns are all 责任部门 (their names are joined,
    left to right); any other role claimed twice keeps its first column, the second is kept
    verbatim.
    """
    manual = manual or {}
    if manual and not set(manual) <= {key(h) for h in headings}:
        return None
    chosen: dict[int, tuple[str, str]] = {}
    for index, heading in enumerate(headings):
        if key(heading) in manual:
            chosen[index] = (manual[key(heading)], "按 --columns 指定")
    candidates: list[tuple[int, int, str]] = []
    for index, heading in enumerate(headings):
        if index in chosen or not key(heading):
            continue
        role, reason = explain(heading)
        tier = task_tier(heading)
        if tier is not None and role in (TEXT, None):
            plain = key(heading) in (KEYS[TEXT], KEYS[TITLE])  # taskctl's own export
            known = cells is not None and index < len(cells) and not plain
            values = category_values(cells[index]) if cells is not None and known else None
            if values is not None:
                shown = "、".join(values[:3]) + ("…" if len(values) > 3 else "")
                chosen[index] = (
                    EXTRA,
                    f"只有 {shown} {len(values)} 种短值反复出现，是分类，不作任务",
                )
            elif tier[0] != DESCRIBED or cells is not None:
                candidates.append((tier[0], index, tier[1]))
            else:
                chosen[index] = (EXTRA, tier[1])
        elif role is not None:
            chosen[index] = (role, reason)
        else:
            chosen[index] = (EXTRA, reason)
    if TEXT not in {role for role, _ in chosen.values()} and candidates:
        best = min(tier for tier, _, _ in candidates)
        tasks = [
            (i, why) for tier, i, why in sorted(candidates, key=lambda c: c[1]) if tier == best
        ]
        named = [i for i, _ in tasks if "名称" in key(headings[i])]
        why = dict(tasks)
        if best == DESCRIBED:
            why = {i: f"{w.split('，')[0]}，但另无任务列" for i, w in why.items()}
        if len(tasks) >= 2:
            title = named[0] if named else tasks[0][0]
            text = next(i for i, _ in tasks if i != title)
            chosen[title] = (
                TITLE,
                _said(key(headings[title]), "名称")
                if named
                else f"{why[title]}；两列像任务，第一列作名称",
            )
            chosen[text] = (TEXT, why[text])
        elif tasks:
            chosen[tasks[0][0]] = (TEXT, why[tasks[0][0]])
    by_hand = TEXT in manual.values()
    for rank, index, reason in candidates:
        if index not in chosen:
            more = "；已有任务名称和任务内容两列" if rank == TASK else ""
            chosen[index] = (EXTRA, reason + ("；任务列已由 --columns 指定" if by_hand else more))
    roles = {i: role for i, (role, _) in chosen.items()}
    if TEXT not in roles.values() or len([r for r in roles.values() if r != EXTRA]) < 2:
        return None
    first: dict[str, int] = {}
    for index in sorted(chosen):
        role = chosen[index][0]
        if role in first and role not in (EXTRA, PERSON, UNITS):
            owner = key(headings[first[role]])
            chosen[index] = (EXTRA, f"已有「{owner}」作{LABELS[role]}")
        first.setdefault(role, index)
    return dict(sorted(chosen.items()))


def assign(headings: list[str], manual: Mapping[str, str] | None = None) -> dict[int, str] | None:
    """Role of each column (index → role) by the headings alone (see :func:`choose`)."""
    chosen = choose(headings, manual)
    return None if chosen is None else {i: role for i, (role, _) in chosen.items()}
