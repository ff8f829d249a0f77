"""Commands for progress: update, history, stats, report."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from taskctl.cli.options import (
    STATUS_WORDS,
    as_of_date,
    check_output,
    complete_words,
    file_option,
    format_option,
    load_list,
    log_named,
    log_path,
    nothing_matches,
    output_option,
    parse_id_specs,
    progress_option,
    progress_view_options,
    read_entries,
    with_light_rule,
)
from taskctl.output import Column

if TYPE_CHECKING:
    from pathlib import Path


@click.command("update")
@click.argument("ids", metavar="序号…", nargs=-1, required=True)
@click.option(
    "--status",
    required=True,
    metavar="STATUS",
    shell_complete=complete_words(*STATUS_WORDS),
    help="未启动、序时推进、滞后、已完成（或 not-started、on-track、behind、done）。",
)
@click.option("--progress", "percent", metavar="N", help="进度，0 到 100 的整数（可不填）。")
@click.option("--note", default="", metavar="TEXT", help="说明：本期进展、存在问题等。")
@click.option("--by", default="", metavar="NAME", help="填报人或填报单位。")
@click.option("--date", "date", metavar="YYYY-MM-DD", help="填报日期（默认今天）。")
@file_option
@progress_option(log_only=True)
def update_command(
    ids: tuple[str, ...],
    status: str,
    percent: str | None,
    note: str,
    by: str,
    date: str | None,
    file: Path | None,
    progress_path: Path | None,
) -> None:
    """填报一项或多项任务的进度（追加到进度台账，不改动清单）。

    每条记录一次写入，写入时加锁并落盘；任何一项不合格（序号不存在、状态不认识、
    进度超出 0–100、日期不存在、文件夹不可写）则一条也不写，退出码 2。
    进度台账是文件夹时，写入 文件夹/填报人.jsonl（须写 --by）。

    \b
    示例：
      taskctl update 7 --status 序时推进 --progress 40 --note 已开工 --by 住建局
      taskctl update 7,9-11 --status done --date 2023-06-30
      taskctl update 12 --status 滞后 --note 资金未到位 --log data/progress/发改局.jsonl
    """
    from taskctl.progress import append, check_log_target, make_entries, target_file

    if percent is not None and ("/" in percent or "\\" in percent or percent.endswith(".jsonl")):
        from taskctl.errors import InputError

        raise InputError(
            f"update 的 --progress 是进度百分比（0–100），得到「{percent}」；指定进度台账请用 --log"
        )
    tasklist = load_list(file)
    entries = make_entries(
        tasklist, parse_id_specs(ids), status, progress=percent, note=note, by=by, date=date
    )
    explicit = log_named(progress_path)
    path = log_path(file, progress_path)
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


HISTORY_COLUMNS = [
    Column("date", "日期"),
    Column("status", "状态"),
    Column("progress", "进度", render=lambda v: "" if v is None else f"{v}%", numeric=True),
    Column("note", "说明"),
    Column("by", "填报人"),
    Column("recorded_at", "记录时间"),
]


@click.command("history")
@click.argument("task_id", metavar="序号", type=int)
@format_option
@file_option
@progress_option
def history_command(task_id: int, fmt: str, file: Path | None, progress_path: Path | None) -> None:
    """按日期列出一项任务的历次填报（同一日期以最后记录的为准）。

    \b
    示例：
      taskctl history 7
      taskctl history 7 --format json
    """
    from taskctl.output import emit
    from taskctl.progress import history

    tasklist = load_list(file)
    task = tasklist.task(task_id)
    entries = history(read_entries(file, progress_path), task.id)
    if not entries:
        nothing_matches(f"填报记录（序号 {task.id} 尚未填报，状态为 未启动）")
        return
    emit([e.to_record() for e in entries], HISTORY_COLUMNS, fmt, title=f"序号 {task.id} 填报记录")


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
    states = task_states(
        tasklist, read_entries(file, progress_path), as_of_date(as_of), stale_days=stale_days
    )
    rows, total = group_stats(states, by, tasklist)
    records = [row.to_record() for row in [*rows, total]]
    with_bar = choose_format(fmt, sys.stdout) == "table"
    if with_bar:
        glyphs = bar_glyphs(sys.stdout)
        for record in records:
            record["bar"] = light_bar(record, glyphs)
    emit(records, stats_columns(by, with_bar), fmt)


@click.command("report")
@click.option("--week", metavar="2023-W23", help="统计这一 ISO 周（周一至周日）。")
@click.option("--since", metavar="DATE", help="统计区间起点（YYYY-MM-DD）。")
@click.option("--until", metavar="DATE", help="统计区间终点（YYYY-MM-DD）。")
@click.option("--leader", metavar="NAME", help="只含这位责任领导的任务。")
@click.option("--dept", metavar="NAME", help="只含这个部门牵头或负责的任务（含通过统称承担的）。")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "text", "json", "html"]),
    default="markdown",
    show_default=True,
    help="markdown 可直接贴入简报；html 为独立网页（含按部分、按责任领导的图表）。",
)
@output_option
@file_option
@progress_view_options
@with_light_rule
def report_command(
    week: str | None,
    since: str | None,
    until: str | None,
    leader: str | None,
    dept: str | None,
    fmt: str,
    output: Path | None,
    force: bool,
    file: Path | None,
    progress_path: Path | None,
    as_of: str | None,
    stale_days: int,
) -> None:
    """生成进度周报：总体情况、本期变化、红灯任务、久未填报（按牵头部门催办）。

    统计区间默认为截至 --as-of（默认今天）的 7 天；给了 --week 或 --until 而没有 --as-of 时，
    按区间最后一天计算。

    \b
    示例：
      taskctl report --week 2023-W26
      taskctl report --since 2023-06-01 --until 2023-06-30 --leader 于德忱
      taskctl report --dept 住建局 --format text
      taskctl report --week 2023-W26 --format html -o 周报.html
    """
    from taskctl.errors import InputError
    from taskctl.progress import parse_date
    from taskctl.query import department_tasks, filter_tasks, resolve_department, resolve_leader
    from taskctl.report import build_report, render, window

    if leader and dept:
        raise InputError("--leader 与 --dept 只能选一个")
    if output is not None:
        check_output(output, force, file, progress_path)
    tasklist = load_list(file)
    first, last, day = window(
        None if as_of is None else parse_date(as_of, "--as-of 日期"),
        week,
        None if since is None else parse_date(since, "--since 日期"),
        None if until is None else parse_date(until, "--until 日期"),
    )
    tasks, scope = None, "全部任务"
    if leader:
        name = resolve_leader(tasklist, leader)
        tasks, scope = filter_tasks(tasklist, leaders=[name]), f"责任领导 {name}"
    elif dept:
        name = resolve_department(tasklist, dept)
        tasks = [row.task for row in department_tasks(tasklist, name)]
        scope = f"部门 {name}"
    report = build_report(
        tasklist,
        read_entries(file, progress_path),
        since=first,
        until=last,
        as_of=day,
        tasks=tasks,
        scope=scope,
        stale_days=stale_days,
    )
    from taskctl.output import safe_text

    text = safe_text(render(report, fmt), fmt)
    if output is None:
        click.echo(text, nl=False)
        return
    from taskctl.fsutil import atomic_write

    atomic_write(output, text.encode("utf-8"), lock=False)
    click.echo(f"已写入 {output}", err=True)
