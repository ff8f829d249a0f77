"""Commands for progress: update, history, stats, report."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from taskctl.cli.options import (
    STATUS_WORDS,
    FolderPath,
    as_of_date,
    check_output,
    complete_words,
    file_option,
    format_option,
    load_facts,
    load_list,
    log_named,
    log_path,
    nothing_matches,
    output_option,
    parse_id_specs,
    progress_option,
    progress_view_options,
    read_entries,
    read_latest,
    read_view,
    warn,
    warn_list_errors,
    with_light_rule,
)
from taskctl.output import Column

if TYPE_CHECKING:
    from pathlib import Path


@click.command("update")
@click.argument("ids", metavar="序号…", nargs=-1)
@click.option(
    "--status",
    metavar="STATUS",
    shell_complete=complete_words(*STATUS_WORDS),
    help="未启动、序时推进、滞后、已完成（或 not-started、on-track、behind、done）。",
)
@click.option("--progress", "percent", metavar="N", help="进度，0 到 100 的整数（可不填）。")
@click.option("--note", default="", metavar="TEXT", help="进展情况（进度下降时须写明原因）。")
@click.option("--problem", default="", metavar="TEXT", help="存在问题。")
@click.option("--next", "next_step", default="", metavar="TEXT", help="下一步措施。")
@click.option("--by", default="", metavar="NAME", help="填报人或填报单位。")
@click.option("--date", "date", metavar="YYYY-MM-DD", help="填报日期（默认今天）。")
@click.option(
    "--allow-date", is_flag=True, help="允许晚于今天或不在清单年度内的日期（补录、预填时用）。"
)
@click.option(
    "--revoke",
    metavar="编号",
    help="撤销一条填报记录（编号见 history --all；记录仍保留在台账中，标为已撤销）。",
)
@file_option
@progress_option(log_only=True)
def update_command(
    ids: tuple[str, ...],
    status: str | None,
    percent: str | None,
    note: str,
    problem: str,
    next_step: str,
    by: str,
    date: str | None,
    allow_date: bool,
    revoke: str | None,
    file: Path | None,
    progress_path: Path | None,
) -> None:
    """填报一项或多项任务的进度（追加到进度台账，不改动清单）。

    每条记录一次写入，写入时加锁并落盘；任何一项不合格（序号不存在、状态不认识、
    进度超出 0–100、日期不存在或晚于今天或不在清单年度内、已完成而进度不足 100、
    进度下降而未写 --note、文件夹不可写）则一条也不写，退出码 2。
    进度台账是文件夹时，写入 文件夹/填报人.jsonl（须写 --by）。

    \b
    示例：
      taskctl update 7 --status 序时推进 --progress 40 --note 已开工 --by 住建局
      taskctl update 12 --status 滞后 --note 主体完工 --problem 资金未到位 --next 争取专项债
      taskctl update 7,9-11 --status done --date 2023-06-30
      taskctl update --revoke 2ececed98a --note 误报 --by 督查室
    """
    from taskctl.errors import InputError
    from taskctl.progress import append, check_log_target, make_entries, target_file

    if revoke is not None:
        if ids or status or percent or problem or next_step:
            raise InputError(
                "--revoke 只与 --note（撤销原因）、--by 同用；请不要同时写序号、状态等"
            )
        _revoke(revoke, note, by, file, progress_path)
        return
    if not ids:
        raise InputError("请写要填报的序号，如 taskctl update 7 --status 序时推进")
    if not status:
        raise InputError("请用 --status 写明状态：未启动、序时推进、滞后、已完成 之一")
    if percent is not None and ("/" in percent or "\\" in percent or percent.endswith(".jsonl")):
        from taskctl.errors import InputError

        raise InputError(
            f"update 的 --progress 是进度百分比（0–100），得到「{percent}」；指定进度台账请用 --log"
        )
    path = log_path(file, progress_path)
    entries = make_entries(
        load_facts(file),  # 年度 and 序号: a city's list need not be loaded for them
        parse_id_specs(ids),
        status,
        progress=percent,
        note=note,
        by=by,
        date=date,
        problem=problem,
        next_step=next_step,
        # with a note, a lower 进度 is explained: the log need not be read at all
        previous=_previous(path, ids, None if note else percent),
        allow_date=allow_date,
    )
    explicit = log_named(progress_path)
    from pathlib import Path

    default_folder = Path.cwd() / "data"
    existed = check_log_target(target_file(path, entries[0].by))
    target = append(path, entries, create_folder=not explicit and path.parent == default_folder)
    try:
        target = target.relative_to(Path.cwd())
    except ValueError:
        pass
    if not existed:
        click.echo(f"新建进度台账 {target}", err=True)
    listed = "、".join(str(e.id) for e in entries)
    click.echo(
        f"已填报 序号 {listed}：{entries[0].status}（{entries[0].date.isoformat()}）→ {target}",
        err=True,
    )


def _revoke(wanted: str, note: str, by: str, file: Path | None, progress_path: Path | None) -> None:
    from taskctl.progress import append_revocation, find_entry, marks, read_all, revocation

    load_list(file)
    path = log_path(file, progress_path)
    everything = read_all(path, warn)
    target = find_entry(everything, wanted)
    if marks(everything).get(target.uid):
        from taskctl.errors import InputError

        raise InputError(
            f"记录 {target.uid} 已{marks(everything)[target.uid].lstrip('已')}，无需撤销"
        )
    written = append_revocation(path, target, revocation(target, by=by, note=note))
    click.echo(
        f"已撤销 记录 {target.uid}（序号 {target.id}，{target.date.isoformat()}，{target.status}）"
        f"→ {written}",
        err=True,
    )


def _previous(path: Path, ids: tuple[str, ...], percent: str | None) -> list[Any]:
    """What the log says about these tasks, for the 进度 check (not the whole log: ``update``
    must stay as fast with a long log as with an empty one)."""
    if percent is None:
        return []
    from taskctl.progress import entries_about

    return entries_about(path, parse_id_specs(ids))


HISTORY_COLUMNS = [
    Column("date", "日期"),
    Column("status", "状态"),
    Column("progress", "进度", render=lambda v: "" if v is None else f"{v}%", numeric=True),
    Column("note", "进展情况"),
    Column("problem", "存在问题"),
    Column("next_step", "下一步措施"),
    Column("by", "填报人"),
    Column("recorded_at", "记录时间"),
]
ALL_COLUMNS = [
    Column("entry_id", "编号"),
    *HISTORY_COLUMNS,
    Column("mark", "标记"),
]


@click.command("history")
@click.argument("task_id", metavar="序号", type=int)
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="列出全部记录及其编号，含已被更正、已撤销的（带标记）和撤销记录，按记录顺序。",
)
@format_option
@file_option
@progress_option
def history_command(
    task_id: int, show_all: bool, fmt: str, file: Path | None, progress_path: Path | None
) -> None:
    """按日期列出一项任务的历次填报（同一日期以最后记录的为准）。

    \b
    示例：
      taskctl history 7
      taskctl history 7 --all
      taskctl history 7 --format json
    """
    from taskctl.output import emit
    from taskctl.progress import history

    tasklist = load_list(file)
    task = tasklist.task(task_id)
    if show_all:
        from taskctl.progress import marks, read_all

        everything = read_all(log_path(file, progress_path), warn)
        gone = marks(everything)
        records = []
        for entry in everything:
            if entry.id != task.id:
                continue
            record = entry.to_record()
            if entry.revokes:
                record.update(status="撤销", mark=f"撤销 {entry.revokes}")
            else:
                record["mark"] = gone.get(entry.uid, "")
            records.append(record)
        if not records:
            nothing_matches(f"填报记录（序号 {task.id} 尚未填报，状态为 未启动）")
            return
        emit(records, _present(records, ALL_COLUMNS), fmt, title=f"序号 {task.id} 全部填报记录")
        return
    entries = history(read_entries(file, progress_path), task.id)
    if not entries:
        nothing_matches(f"填报记录（序号 {task.id} 尚未填报，状态为 未启动）")
        return
    records = [e.to_record() for e in entries]
    emit(records, _present(records, HISTORY_COLUMNS), fmt, title=f"序号 {task.id} 填报记录")


OPTIONAL_COLUMNS = ("problem", "next_step")


def _present(records: list[dict[str, Any]], columns: list[Column]) -> list[Column]:
    """存在问题 and 下一步措施 only when an entry has them (older logs have neither)."""
    return [
        c for c in columns if c.key not in OPTIONAL_COLUMNS or any(r.get(c.key) for r in records)
    ]


def _submissions(
    tasklist: Any, view: Any, week: str | None, month: str | None, log: Path
) -> tuple[Any, list[dict[str, Any]]]:
    """(period, 已报, 未报) when replies to a collection round of this week or month are in
    the log (or files of it were sent back), and the files sent back by units that have not
    reported since."""
    if not (week or month):
        return None, []
    from taskctl.collect import refusals
    from taskctl.period import parse_period

    period = parse_period(week=week) if week else parse_period(month=month)
    sent_back = refusals(log, period.label)
    replies = view.replies(period.label)  # the log's entries are merged: none revoked
    if not sent_back and not replies:
        return None, []
    from taskctl.collect import submissions

    reported, owed = submissions(tasklist, replies, period)
    refused = [
        {"file": r.get("文件", ""), "unit": r.get("单位", ""), "problems": list(r.get("问题", []))}
        for r in sent_back
        if r.get("单位") not in reported
    ]
    return (period.label, reported, owed), refused


BAR_WIDTH = 10


BAR_GLYPHS = "█▒░"
ASCII_GLYPHS = "#+."  # for a console whose encoding has no block glyphs (GBK on Windows)


def bar_glyphs(stream: Any) -> str:
    """The bar's three glyphs, in ASCII when the console cannot encode the block ones."""
    try:
        BAR_GLYPHS.encode(getattr(stream, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return ASCII_GLYPHS
    return BAR_GLYPHS


def light_bar(record: dict[str, Any], glyphs: str = BAR_GLYPHS) -> str:
    """A small bar of the group's lights: █ red, ▒ yellow, ░ green."""
    total = record["tasks"] or 1
    red = round(BAR_WIDTH * record["red"] / total)
    yellow = round(BAR_WIDTH * (record["red"] + record["yellow"]) / total) - red
    return glyphs[0] * red + glyphs[1] * yellow + glyphs[2] * (BAR_WIDTH - red - yellow)


def stats_columns(by: str, with_bar: bool) -> list[Column]:
    from taskctl.tracking import GROUPINGS

    columns = [
        Column("group", GROUPINGS[by]),
        Column("tasks", "任务数", numeric=True),
        Column("not_started", "未启动", numeric=True),
        Column("on_track", "序时推进", numeric=True),
        Column("behind", "滞后", numeric=True),
        Column("done", "已完成", numeric=True),
        Column("red", "红", numeric=True),
        Column("yellow", "黄", numeric=True),
        Column("green", "绿", numeric=True),
        Column("completion_rate", "完成率", render=lambda v: f"{v:.1f}%", numeric=True),
        Column("overdue", "超期", numeric=True),
    ]
    if with_bar:
        columns.append(Column("bar", "红/黄/绿"))
    return columns


@click.command("stats")
@click.option(
    "--by",
    type=click.Choice(["section", "leader", "dept"]),
    default="section",
    show_default=True,
    help="按部分、责任领导或牵头部门分组。",
)
@format_option
@file_option
@progress_view_options
@with_light_rule
def stats_command(
    by: str,
    fmt: str,
    file: Path | None,
    progress_path: Path | None,
    as_of: str | None,
    stale_days: int,
) -> None:
    """按组统计各状态、各灯的任务数、完成率和超期数，最弱的组排在最前（排名）。

    排序：红灯占比高的在前，其次完成率低的在前，再次黄灯占比高的在前。
    一项任务有两位责任领导（或两个牵头部门）时在两组各计一次，合计行只计一次。

    \b
    示例：
      taskctl stats --by leader --as-of 2023-06-30
      taskctl stats --by dept --format csv
    """
    from taskctl.output import choose_format, emit
    from taskctl.tracking import group_stats, task_states

    tasklist = load_list(file)
    day = as_of_date(as_of)
    latest = read_latest(file, progress_path, day)
    states = task_states(tasklist, (), day, stale_days=stale_days, latest=latest)
    rows, total = group_stats(states, by, tasklist)
    records = [row.to_record() for row in [*rows, total]]
    with_bar = choose_format(fmt, sys.stdout) == "table"
    if with_bar:
        glyphs = bar_glyphs(sys.stdout)
        for record in records:
            record["bar"] = light_bar(record, glyphs)
    emit(records, stats_columns(by, with_bar), fmt)


@click.command("report")
@click.option("--week", metavar="2023-W23", help="周报：这一 ISO 周（周一至周日）。")
@click.option("--month", metavar="2023-06", help="月报：这个月。")
@click.option("--quarter", metavar="2023Q2", help="季度通报：这个季度。")
@click.option("--year", metavar="2023", help="年度总结：这一年，另按牵头部门、责任领导排名。")
@click.option("--since", metavar="DATE", help="统计区间起点（YYYY-MM-DD），标题为 进度通报。")
@click.option("--until", metavar="DATE", help="统计区间终点（YYYY-MM-DD）。")
@click.option("--leader", metavar="NAME", help="只含这位责任领导的任务。")
@click.option("--dept", metavar="NAME", help="只含这个部门牵头或负责的任务（含通过统称承担的）。")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "text", "json", "html", "docx"]),
    default=None,
    help="默认按 -o 的扩展名（.md .txt .json .html .docx），否则 markdown；markdown 可直接贴入"
    "简报，html 为独立网页，docx 为按公文格式（GB/T 9704）排版的 Word 通报。",
)
@output_option
@file_option
@progress_view_options
@with_light_rule
def report_command(
    week: str | None,
    month: str | None,
    quarter: str | None,
    year: str | None,
    since: str | None,
    until: str | None,
    leader: str | None,
    dept: str | None,
    fmt: str | None,
    output: Path | None,
    force: bool,
    file: Path | None,
    progress_path: Path | None,
    as_of: str | None,
    stale_days: int,
) -> None:
    """生成进度通报（周报、月报、季度通报、年度总结）：总体情况、本期变化、红灯任务、久未填报。

    统计区间默认为截至 --as-of（默认今天）的 7 天；给了 --week、--month、--quarter、--year
    或 --until 而没有 --as-of 时，按区间最后一天计算（周期尚未结束的按今天）。-o 的扩展名决定格式（.xls、.doc、.pdf
    等写不了的扩展名、与 --format 矛盾的扩展名都报错）。

    \b
    示例：
      taskctl report --week 2023-W26
      taskctl report --month 2023-06 -o 6月通报.docx
      taskctl report --year 2023 --format text
      taskctl report --since 2023-06-01 --until 2023-06-30 --leader 于德忱
      taskctl report --week 2023-W26 -o 周报.html
    """
    from taskctl.errors import InputError
    from taskctl.filenames import REPORT_SUFFIXES, choose_format
    from taskctl.output import is_terminal
    from taskctl.progress import parse_date
    from taskctl.query import department_tasks, filter_tasks, resolve_department, resolve_leader
    from taskctl.report import build_report, period, render

    fmt = choose_format(output, fmt, REPORT_SUFFIXES, "markdown", "report")
    if leader and dept:
        raise InputError("--leader 与 --dept 只能选一个")
    if fmt == "docx" and output is None and is_terminal(sys.stdout):
        raise InputError("docx 是二进制文件，不能显示在终端；请用 -o 指定文件，如 -o 周报.docx")
    if output is not None:
        check_output(output, force, file, progress_path)
    first, last, day, kind = period(
        None if as_of is None else parse_date(as_of, "--as-of 日期"),
        week=week,
        month=month,
        quarter=quarter,
        year=year,
        since=None if since is None else parse_date(since, "--since 日期"),
        until=None if until is None else parse_date(until, "--until 日期"),
    )
    tasklist = load_list(file)
    tasks, scope = None, "全部任务"
    if leader:
        name = resolve_leader(tasklist, leader)
        tasks, scope = filter_tasks(tasklist, leaders=[name]), f"责任领导 {name}"
    elif dept:
        name = resolve_department(tasklist, dept)
        tasks = [row.task for row in department_tasks(tasklist, name)]
        scope = f"部门 {name}"
    log = read_view(file, progress_path)
    held, refused = _submissions(tasklist, log, week, month, log_path(file, progress_path))
    report = build_report(
        tasklist,
        log,
        since=first,
        until=last,
        as_of=day,
        tasks=tasks,
        scope=scope,
        stale_days=stale_days,
        kind=kind,
        submissions=held,
        refused=refused,
        detail=fmt == "json",
    )
    warn_list_errors(tasklist, None if tasks is None else [t.id for t in tasks])
    if fmt == "docx":
        from taskctl.report_docx import render_docx

        data = render_docx(report)
    else:
        from taskctl.output import safe_text

        data = safe_text(render(report, fmt), fmt).encode("utf-8")
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    from taskctl.fsutil import atomic_write

    atomic_write(output, data, lock=False)
    click.echo(f"已写入 {output}", err=True)


@click.command("remind")
@click.option(
    "-o",
    "--output",
    type=FolderPath(),
    help="把各单位的催办通知写入这个文件夹（没有则新建）；不给时只列出要催办的单位。",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["docx", "markdown", "text"]),
    default="docx",
    show_default=True,
    help="通知的格式：docx 为按公文格式排版的 Word 文件，markdown、text 为文字。",
)
@click.option("--dept", metavar="NAME", help="只给这个牵头部门写通知。")
@click.option(
    "--reply-days",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="回复期限：统计日后第几天。",
)
@click.option("--force", is_flag=True, help="覆盖文件夹中已有的同名通知。")
@file_option
@progress_view_options
@with_light_rule
def remind_command(
    output: Path | None,
    fmt: str,
    dept: str | None,
    reply_days: int,
    force: bool,
    file: Path | None,
    progress_path: Path | None,
    as_of: str | None,
    stale_days: int,
) -> None:
    """给有滞后、超期、久未填报或临近完成时限任务的牵头部门各写一份催办通知。

    每项任务写明原文、催办原因（滞后、低于序时进度、已超期、N 天未填报、距完成时限 N 天）、
    最近一次填报和回复期限；没有需要催办任务的单位不写。标准输出每个单位一行：单位、任务数、文件。

    \b
    示例：
      taskctl remind --as-of 2023-07-02
      taskctl remind --as-of 2023-07-02 -o 催办/
      taskctl remind --dept 工信局 --format markdown -o 催办/
    """
    from taskctl.errors import InputError
    from taskctl.filenames import check_distinct
    from taskctl.query import resolve_department
    from taskctl.remind import file_name, notices, render, unlisted_groups

    tasklist = load_list(file)
    found = notices(
        tasklist,
        read_entries(file, progress_path),
        as_of_date(as_of),
        stale_days=stale_days,
        reply_days=reply_days,
    )
    if dept:
        name = resolve_department(tasklist, dept)
        found = [n for n in found if n.unit == name]
    found, dropped = unlisted_groups(tasklist, found)
    warn_list_errors(tasklist, [i.state.task.id for n in found for i in n.items])
    for notice in dropped:
        ids = "、".join(str(item.state.task.id) for item in notice.items)
        warn(
            f"序号 {ids} 的牵头部门「{notice.unit}」是统称，清单的 groups: 没有列出所指单位，"
            "不发催办通知；请在清单中写明单位"
        )
    if not found:
        click.echo("没有需要催办的任务", err=True)
        return
    if output is None:
        for notice in found:
            click.echo(f"{notice.unit}\t{len(notice.items)}")
        click.echo("用 -o 文件夹 写出各单位的催办通知", err=True)
        return
    if not output.parent.is_dir():
        raise InputError(f"{output.parent} 文件夹不存在")
    targets = [output / file_name(n.unit, fmt) for n in found]
    check_distinct([(n.unit, t) for n, t in zip(found, targets, strict=True)])
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise InputError(f"{existing[0]} 已存在（共 {len(existing)} 个）；加 --force 覆盖")
    output.mkdir(exist_ok=True)
    from taskctl.fsutil import atomic_write

    for notice, target in zip(found, targets, strict=True):
        atomic_write(target, render(notice, fmt), lock=False)
        click.echo(f"{notice.unit}\t{len(notice.items)}\t{target}")
    click.echo(f"已写入 {len(found)} 份催办通知 → {output}", err=True)
