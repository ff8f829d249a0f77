"""Commands that query the list: list, dept, show, leaders, depts, sections."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from taskctl.cli.options import (
    as_of_date,
    complete_names,
    file_option,
    format_option,
    load_list,
    load_states,
    name_filter_options,
    nothing_matches,
    parse_id_specs,
    progress_view_options,
    read_entries,
    tracking_filter_options,
    with_light_rule,
)
from taskctl.output import Column

if TYPE_CHECKING:
    from pathlib import Path


def _role_label(role: str | None) -> str:
    # taskctl.query (and with it the model and dataclasses) is not imported for --help
    from taskctl.query import ROLE_LABELS

    return ROLE_LABELS.get(role or "", role or "")


TRACKING_COLUMNS = [
    Column("status", "状态"),
    Column("progress", "进度", render=lambda v: "" if v is None else f"{v}%", numeric=True),
    Column("updated", "最近更新"),
    Column("light", "灯"),
]
TASK_COLUMNS = [
    Column("id", "序号", numeric=True),
    Column("section", "部分"),
    Column("text", "年度任务目标"),
    Column("leaders", "责任领导"),
    Column("lead_departments", "牵头部门"),
    Column("departments", "责任部门"),
    *TRACKING_COLUMNS,
]
DEPT_COLUMNS = [
    TASK_COLUMNS[0],
    Column("role", "角色", render=_role_label),
    Column("via", "经由", render=lambda v: v or ""),
    *TASK_COLUMNS[1:],
]


@click.command("list")
@name_filter_options
@tracking_filter_options
@format_option
@file_option
@progress_view_options
@with_light_rule
def list_command(
    leaders: tuple[str, ...],
    depts: tuple[str, ...],
    sections: tuple[str, ...],
    ids: tuple[str, ...],
    grep: tuple[str, ...],
    statuses: tuple[str, ...],
    lights: tuple[str, ...],
    stale: bool,
    fmt: str,
    file: Path | None,
    progress_path: Path | None,
    as_of: str | None,
    stale_days: int,
) -> None:
    """列出任务及其进度，可按责任领导、部门、部分、序号、文字、状态、灯筛选。

    不同选项之间是“且”，同一选项写多次是“或”。--stale 只列久未填报的任务。--dept 只匹配直接列名的部门；要包括通过“各镇街道”等统称承担的任务，用 taskctl dept。状态 是最近一次填报的状态（没有填报的为 未启动），灯 按下面的规则计算。

    \b
    示例：
      taskctl list --leader 于德忱
      taskctl list --leader ydc          # 拼音首字母，同上
      taskctl list --leader 张辉 --leader 张健 --section 三
      taskctl list --dept 住建局 --grep 改造 --format csv
      taskctl list --id 7,9-11
      taskctl list --light 红 --as-of 2023-06-30
      taskctl list --stale --dept 住建局 --as-of 2023-07-02
    """
    from taskctl.output import emit
    from taskctl.query import filter_tasks

    tasklist = load_list(file)
    tasks = filter_tasks(
        tasklist,
        leaders=leaders,
        departments=depts,
        sections=sections,
        grep=grep,
        ids=set(parse_id_specs(ids)),
    )
    states = load_states(
        tasklist, file, progress_path, as_of, stale_days, statuses, lights, tasks=tasks, stale=stale
    )
    records = [{**task.to_record(), **states[task.id]} for task in tasks if task.id in states]
    if not records:
        nothing_matches()
        return
    columns = TASK_COLUMNS
    if any(task.deadline_phrase for task in tasks):  # a list that writes 完成时限 in words
        phrases = {task.id: task.deadline_phrase for task in tasks}
        for record in records:
            record["deadline_written"] = phrases[record["id"]] or record["deadline"]
        columns = [*TASK_COLUMNS[:6], Column("deadline_written", "完成时限"), *TASK_COLUMNS[6:]]
    emit(records, columns, fmt)


@click.command("dept")
@click.argument("name", shell_complete=complete_names("department"))
@click.option(
    "--role",
    type=click.Choice(["all", "lead", "support"]),
    default="all",
    show_default=True,
    help="lead：作为牵头部门；support：作为责任部门；all：两者。",
)
@click.option(
    "--direct", is_flag=True, help="只列直接列名的任务，不含通过统称（如 各镇街道）承担的。"
)
@click.option(
    "--include-open-groups",
    "open_groups",
    is_flag=True,
    help="也列出写着 groups 中未列出所指单位的统称（如 各有关部门）的任务，“经由”写明统称。",
)
@tracking_filter_options
@format_option
@file_option
@progress_view_options
@with_light_rule
def dept_command(
    name: str,
    role: str,
    direct: bool,
    open_groups: bool,
    statuses: tuple[str, ...],
    lights: tuple[str, ...],
    stale: bool,
    fmt: str,
    file: Path | None,
    progress_path: Path | None,
    as_of: str | None,
    stale_days: int,
) -> None:
    """列出一个部门牵头或负责的全部任务，包括通过统称承担的。

    富家镇 会得到每一项写着“各镇街道”的任务，“经由”一列写明通过哪个统称。

    \b
    示例：
      taskctl dept 住建局
      taskctl dept zjj                   # 拼音首字母，同上
      taskctl dept 富家镇 --role support --direct
      taskctl dept 住建 --format json
      taskctl dept 住建局 --light 红 --as-of 2023-06-30
      taskctl dept 住建局 --role support --include-open-groups
    """
    from taskctl.output import emit
    from taskctl.query import department_tasks, open_group_tasks, resolve_department

    tasklist = load_list(file)
    resolved = resolve_department(tasklist, name)
    rows = department_tasks(tasklist, resolved, role=role, direct=direct)
    unsure = [] if direct else open_group_tasks(tasklist, role, {row.task.id for row in rows})
    if open_groups:
        rows = sorted([*rows, *unsure], key=lambda row: row.role != "lead")
    states = load_states(
        tasklist,
        file,
        progress_path,
        as_of,
        stale_days,
        statuses,
        lights,
        tasks=[row.task for row in rows],
        stale=stale,
        unit=resolved,  # the unit's own part of each task, not the task's
    )
    rows = [row for row in rows if row.task.id in states]
    if unsure and not open_groups:
        words = "、".join(dict.fromkeys(row.via or "" for row in unsure))
        click.echo(
            f"另有 {len(unsure)} 项任务写的是统称（{words}），groups 中没有列出所指单位，"
            "未计入；加 --include-open-groups 可一并列出",
            err=True,
        )
    if not rows:
        nothing_matches()
        return
    lead = sum(r.role == "lead" for r in rows)
    emit(
        [{**row.to_record(), **states[row.task.id]} for row in rows],
        DEPT_COLUMNS,
        fmt,
        title=f"{resolved}：牵头 {lead} 项，责任 {len(rows) - lead} 项",
    )


def history_line(entry: Any) -> str:
    percent = "" if entry.progress is None else f" {entry.progress}%"
    note = f" {entry.note}" if entry.note else ""
    note += f"；存在问题：{entry.problem}" if entry.problem else ""
    note += f"；下一步措施：{entry.next_step}" if entry.next_step else ""
    by = f"（{entry.by}）" if entry.by else ""
    status = entry.status
    if entry.is_event:
        from taskctl.review import describe

        status = describe(entry)
    if entry.evidence:
        note += f"；佐证材料：{'、'.join(file for file, _, _ in entry.evidence)}"
    part = f" {entry.target}" if entry.part else ""  # a report on a 分项
    return f"{entry.date.isoformat()}{part} {status}{percent}{note}{by}"


SHOW_FIELDS = [
    Column("id", "序号"),
    Column("section_heading", "部分"),
    Column("text", "年度任务目标"),
    Column("leaders", "责任领导"),
    Column("lead_departments", "牵头部门"),
    Column("departments", "责任部门"),
    Column("deadline", "完成时限"),
    Column("status", "状态"),
    Column("progress", "进度", render=lambda v: "" if v is None else f"{v}%"),
    Column("time_progress", "序时进度", render=lambda v: f"{v:.1f}%"),
    Column("updated", "最近更新"),
    Column("light", "灯"),
    Column("units", "各单位", render=lambda v: "\n".join(v or []) or "（无）"),
    Column("history", "进度记录", render=lambda v: "\n".join(v or []) or "（无）"),
]


def unit_line(part: Any) -> str:
    """One unit's own part of a task, as ``show`` lists it."""
    from taskctl.names import normalize

    words = [f"{part.unit}（{part.role}）", part.status]
    if part.progress is not None:
        words.append(f"{part.progress}%")
    words.append(f"{part.light}灯")
    words.append(part.updated.isoformat() if part.updated else "从未填报")
    if part.flag is not None:
        words.append(part.flag.word)
    text = " ".join(words) + (f" {part.note}" if part.note else "")
    latest = part.latest
    if latest is not None and normalize(latest.by) != part.unit:  # the office's finding
        text += f"（{latest.by or '督查室'}）"
    return text


@click.command("show")
@click.argument("task_id", metavar="序号", type=int)
@format_option
@file_option
@progress_view_options
def show_command(
    task_id: int,
    fmt: str,
    file: Path | None,
    progress_path: Path | None,
    as_of: str | None,
    stale_days: int,
) -> None:
    """显示一项任务的全部字段、当前进度和历次填报。

    \b
    示例：
      taskctl show 91
      taskctl show 7 --format json
    """
    from taskctl.output import emit_record
    from taskctl.progress import history
    from taskctl.tracking import task_states

    tasklist = load_list(file)
    task = tasklist.task(task_id)
    section = next(s for s in tasklist.sections if s.numeral == task.section)
    log = read_entries(file, progress_path)
    (state,) = task_states(tasklist, log, as_of_date(as_of), stale_days=stale_days, tasks=[task])
    entries = history(log, task.id)
    record = {
        **task.to_record(),
        "section_heading": section.full_heading,
        **state.to_record(),
        "units": state.unit_records(),
        "history": [entry.to_record() for entry in entries],
    }
    review_columns = _review_fields(record, state, entries, fmt)
    fields = list(SHOW_FIELDS)
    if task.deadline_phrase:
        record["deadline_phrase"] = task.deadline_phrase
        if fmt != "json":
            record["deadline"] = f"{record['deadline']}（{task.deadline_phrase}）"
    if task.title:  # 项目名称 beside 主要内容
        record["title"] = task.title
        fields.insert(2, Column("title", "任务名称"))
    kept = task.kept_columns()
    rows = task.rows()
    if fmt == "json":
        record["extra"] = {key: _plain(value) for key, value in kept.items()}
        record["rows"] = [{"id": number, **row} for number, row in rows]
        if state.subitems:
            record["parts"] = state.subitem_records()
    else:
        at = fields.index(SHOW_FIELDS[6]) + 1  # after 完成时限
        for n, (key, value) in enumerate(kept.items()):
            record[f"kept_{n}"] = _plain(value)
            fields.insert(at + n, Column(f"kept_{n}", key))
        if rows:
            record["rows"] = [_row_line(number, row) for number, row in rows]
            for n, sub in enumerate(state.subitems):  # each 分项's own state after its text
                record["rows"][n] += "：" + _state_words(sub)
            fields.insert(at + len(kept), Column("rows", "分项"))
        record["history"] = [history_line(entry) for entry in entries]
        shown = [p for p in state.parts if p.role != "责任" or p.latest is not None]
        record["units"] = [unit_line(part) for part in shown]
        if len(shown) < len(state.parts):  # a blanket 各镇街道 names a dozen: say how many
            record["units"].append(f"其余 {len(state.parts) - len(shown)} 个责任单位未填报")
    at = fields.index(SHOW_FIELDS[-1])  # before 进度记录
    fields[at:at] = review_columns
    emit_record(record, fields, fmt)


def _state_words(state: Any) -> str:
    """状态 进度 灯 of a 分项, and the units behind it: 滞后 20% 红灯（工信局）."""
    words = [state.status]
    if state.progress is not None:
        words.append(f"{state.progress}%")
    words.append(f"{state.light}灯")
    behind = "、".join(state.behind_units)
    return " ".join(words) + (f"（{behind}）" if behind else "")


def _review_fields(record: dict[str, Any], state: Any, entries: Any, fmt: str) -> list[Column]:
    """办结审核 in ``show``: the effective and the list's 完成时限, each part's review, the
    延期 requests and the 佐证材料 (see taskctl.review)."""
    from taskctl.progress import evidence_records
    from taskctl.review import flag_text

    original = state.original_deadline or state.deadline
    evidence = [item for entry in entries for item in entry.evidence]
    review = state.review
    flags = review.flags if review is not None else {}
    extensions = review.extensions if review is not None else ()
    if fmt == "json":
        record["original_deadline"] = original.isoformat()
        record["review"] = state.review_word
        for unit in record["units"]:
            flag = flags.get(unit["unit"])
            unit["review"] = flag.to_record() if flag is not None else None
        record["extensions"] = [x.to_record() for x in extensions]
        record["evidence"] = evidence_records(evidence)
        return []
    if state.original_deadline is not None:
        record["deadline"] = (
            f"{record['deadline']}（已准予延期，原完成时限 {original.isoformat()}）"
        )
    lines = [f"{unit} {flag_text(flag)}" for unit, flag in flags.items()]
    for x in extensions:
        late = "，逾期申请" if x.late else ""
        lines.append(
            f"{x.request.by} {x.request.date.isoformat()} 申请延期至 {x.request.extend}"
            f"（{x.word}{late}）：{x.request.note}"
        )
    columns = []
    if lines:  # only where there is something: most tasks never see a review
        record["review"] = "\n".join(lines)
        columns.append(Column("review", "办结审核"))
    if evidence:
        record["evidence"] = "\n".join(
            f"{file}（{size} 字节，sha256 {digest[:12]}…）" if digest else f"{file}（未随附）"
            for file, size, digest in evidence
        )
        columns.append(Column("evidence", "佐证材料"))
    return columns


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return "\n".join(str(v) for v in value)
    return value if isinstance(value, (str, int, float)) else str(value)


def _row_line(number: str, row: Any) -> str:
    """One row of an item over several rows: 5.1 text（牵头部门：…；责任部门：…）."""
    text = " ".join(str(row.get("年度任务目标", "")).split())
    rest = "；".join(
        f"{key}：{' '.join(str(value).split())}"
        for key, value in row.items()
        if key != "年度任务目标"
    )
    return f"{number} {text}" + (f"（{rest}）" if rest else "")


@click.command("leaders")
@format_option
@file_option
def leaders_command(fmt: str, file: Path | None) -> None:
    """列出全部责任领导及其任务数。

    \b
    示例：
      taskctl leaders
      taskctl leaders --format json
    """
    from taskctl.output import emit
    from taskctl.query import leader_directory

    rows = [{"name": name, "tasks": count} for name, count in leader_directory(load_list(file))]
    emit(rows, [Column("name", "责任领导"), Column("tasks", "任务数", numeric=True)], fmt)


@click.command("depts")
@format_option
@file_option
def depts_command(fmt: str, file: Path | None) -> None:
    """列出全部部门及其牵头、责任任务数（含通过统称承担的）。

    \b
    示例：
      taskctl depts
      taskctl depts --format csv
    """
    from taskctl.output import emit
    from taskctl.query import department_directory

    rows = [row.to_record() for row in department_directory(load_list(file))]
    emit(
        rows,
        [
            Column("name", "部门"),
            Column("lead", "牵头", numeric=True),
            Column("support", "责任", numeric=True),
            Column("via_group", "经统称", numeric=True),
        ],
        fmt,
    )


@click.command("sections")
@format_option
@file_option
def sections_command(fmt: str, file: Path | None) -> None:
    """列出清单的各部分，及标题所写项数与实际项数。

    \b
    示例：
      taskctl sections
      taskctl sections --format markdown
    """
    from taskctl.output import emit

    sections = load_list(file).sections
    rows = [section.to_record() for section in sections]
    columns = [
        Column("numeral", "编号"),
        Column("title", "标题"),
        Column("declared", "标题项数", numeric=True),
        Column("actual", "实际项数", numeric=True),
    ]
    if any(section.path for section in sections):  # nested parts: where each one sits
        for row, section in zip(rows, sections, strict=True):
            row["path"] = " > ".join(section.path)
        columns.insert(0, Column("path", "上级"))
    emit(rows, columns, fmt)
