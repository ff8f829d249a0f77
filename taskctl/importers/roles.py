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
LABELS = {**KEYS, PERSON: "责任人（原样保留）", EXTRA: "原样保留"}
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

_TASK_WORDS = ("任务", "工作", "事项", "目标", "实事", "项目", "内容", "措施")
# Task-like headings that describe a task rather than state it: kept verbatim, never the task.
_NOT_TASK = ("要求", "标准", "成效", "进展", "进度", "备注", "说明", "情况")
_LEAD_WORDS = ("主要责任单位", "牵头责任单位", "主责单位", "主办单位", "责任主体", "主要责任部门")


def key(heading: str) -> str:
    """The heading with every space removed, for comparing."""
    return re.sub(r"\s+", "", heading)


def classify(heading: str) -> str | None:
    """The role of a column headed ``heading``; None when the heading names no known role."""
    h = key(heading)
    if not h or len(h) > 14:
        return None
    if h in ("序号", "编号", "序", "序列号") or h.startswith("序号"):
        return ID
    if "领导" in h:
        return LEADERS
    if "责任人" in h or h in ("联系人", "负责人"):
        return PERSON
    if h in _LEAD_WORDS or ("牵头" in h and re.search("单位|部门|处室|科室", h)) or h == "牵头":
        return LEAD
    if re.search("单位|部门", h):
        return UNITS
    if re.search("时限|时间|节点|期限", h):
        return DEADLINE
    if re.search("类别|领域|部分|板块|分类", h):
        return SECTION
    if any(word in h for word in _TASK_WORDS) and not any(word in h for word in _NOT_TASK):
        return TEXT
    return None


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


def assign(headings: list[str], manual: Mapping[str, str] | None = None) -> dict[int, str] | None:
    """Role of each column (index → role), or None when ``headings`` is not a heading row.

    A heading row has a task column and at least one more recognised column. Of several
    task-like columns, one whose heading has 名称 is the title and the first other one the
    text; without 名称, the first is the title and the second the text; any further ones are
    kept verbatim. Several 单位/部门 columns are all 责任部门 (their names are joined, left to
    right); any other role claimed twice keeps its first column, the second is kept verbatim.
    """
    manual = manual or {}
    roles: dict[int, str] = {}
    for index, heading in enumerate(headings):
        if key(heading) in manual:
            roles[index] = manual[key(heading)]
    if manual and not set(manual) <= {key(h) for h in headings}:
        return None
    tasks = []
    for index, heading in enumerate(headings):
        if index in roles or not key(heading):
            continue
        role = classify(heading)
        if role == TEXT:
            tasks.append(index)
        elif role is not None:
            roles[index] = role
    if TEXT not in roles.values():
        named = [i for i in tasks if "名称" in key(headings[i])]
        if len(tasks) >= 2:
            title = named[0] if named else tasks[0]
            text = next(i for i in tasks if i != title)
            roles[title], roles[text] = TITLE, TEXT
        elif tasks:
            roles[tasks[0]] = TEXT
    for index in tasks:
        roles.setdefault(index, EXTRA)
    if TEXT not in roles.values() or len([r for r in roles.values() if r != EXTRA]) < 2:
        return None
    seen: set[str] = set()
    for index in sorted(roles):
        if roles[index] in seen and roles[index] not in (EXTRA, PERSON, UNITS):
            roles[index] = EXTRA
        seen.add(roles[index])
    for index, heading in enumerate(headings):
        if key(heading) and index not in roles:
            roles[index] = EXTRA
    return roles
