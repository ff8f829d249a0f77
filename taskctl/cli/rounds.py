"""Commands of the weekly collection round: forms (填报表 out) and collect (回收 in)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from taskctl.cli.options import (
    PathType,
    by_option,
    dir_option,
    dry_run_option,
    file_option,
    force_option,
    format_option,
    ledger_option,
    load_list,
    log_path,
    period_of,
    period_options,
    role_option,
    unit_option,
    warn,
)
from taskctl.output import Column

if TYPE_CHECKING:
    from pathlib import Path


def _shown(path: Path) -> str:
    from pathlib import Path

    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@click.command("forms")
@period_options
@dir_option("写入此文件夹（没有则新建），每个单位一个 期间_单位.xlsx。", required=True)
@unit_option("只为这个单位生成（可写多次，可写拼音）。")
@role_option
@click.option(
    "--due",
    metavar="DATE",
    help="报送期限（YYYY-MM-DD；默认按清单的 报送周期，未写的为期间最后一个工作日，按法定节假日和调休）。",
)
@force_option("覆盖文件夹中已有的同名填报表。")
@dry_run_option("只列出将写入的填报表，不写入。")
@format_option
@file_option
@ledger_option
def forms_command(
    week: str | None,
    month: str | None,
    since: str | None,
    until: str | None,
    folder: Path,
    units: tuple[str, ...],
    role: str,
    due: str | None,
    force: bool,
    dry_run: bool,
    fmt: str,
    file: Path | None,
    progress_path: Path | None,
) -> None:
    """为每个有任务的单位生成本期填报表（Excel），发各单位填写后回收。

    每份表列出该单位的任务（序号、年度任务目标、责任领导、角色、完成时限）和上期的
    状态、进度、进展情况；单位填写 本期状态（下拉选择）、本期进度（0–100 的整数）、
    进展情况、存在问题、下一步措施，以及表头的 填报人、联系电话。其余各格锁定
    （工作表保护，无密码）。A4 横向打印，每页重复表头。标准输出每份表一行：单位、
    文件、任务数、报送期限（--format json 为 unit、path、tasks、due）。期间须在清单年度内。

    \b
    示例：
      taskctl forms --week 2023-W26 --dir 填报/
      taskctl forms --month 2023-06 --role all --dir 填报/
      taskctl forms --week 2023-W26 --unit 住建局 --due 2023-06-30 --dir 填报/
      taskctl forms --week 2023-W26 --dir 填报/ --dry-run
    """
    from taskctl.forms import build_forms, write_forms
    from taskctl.progress import parse_date, read_log

    period = period_of(week, month, since, until)
    tasklist = load_list(file)
    entries = read_log(log_path(file, progress_path), warn)
    forms = build_forms(
        tasklist,
        entries,
        period,
        role=role,
        only=units,
        due=parse_date(due, "--due 日期") if due else None,
        warn=warn,
    )
    written = write_forms(forms, folder, force=force, dry_run=dry_run)
    from taskctl.output import emit

    records = [
        {
            "unit": form.unit,
            "path": _shown(path),
            "tasks": len(form.rows),
            "due": form.due.isoformat(),
        }
        for form, path in zip(forms, written, strict=True)
    ]
    emit(records, FORM_COLUMNS, fmt)
    tasks = sum(len(form.rows) for form in forms)
    said = f"{period.label} 填报表 {len(written)} 份（{tasks} 项任务）→ {_shown(folder)}"
    if dry_run:
        click.echo(f"（试运行）将生成 {said}，未写入任何内容", err=True)
    else:
        click.echo(f"已生成 {said}", err=True)


FORM_COLUMNS = [
    Column("unit", "单位"),
    Column("path", "文件"),
    Column("tasks", "任务数", numeric=True),
    Column("due", "报送期限"),
]
SUMMARY_COLUMNS = [
    Column("unit", "单位"),
    Column("tasks", "任务数", numeric=True),
    Column("filled", "已填", numeric=True),
    Column("refused_rows", "退回行", numeric=True),
    Column("outcome", "结果"),
    Column("file", "文件"),
]


@click.command("collect")
@click.argument("paths", metavar="文件或文件夹…", nargs=-1, required=True, type=PathType())
@period_options
@by_option("不是 taskctl 填报表的表格（有 序号、状态 两列）由哪个单位填报。")
@role_option
@click.option(
    "--received",
    metavar="DATE",
    help="收到回复的日期（YYYY-MM-DD，默认今天）；晚于报送期限的为迟报。",
)
@dry_run_option("只检查并显示将写入什么，不写入进度台账。")
@click.option(
    "--withdraw",
    is_flag=True,
    help="撤回这些文件的退回记录（误收的文件、已另行处理的），不再列入通报；不读文件本身。",
)
@format_option
@file_option
@ledger_option
def collect_command(
    paths: tuple[Path, ...],
    week: str | None,
    month: str | None,
    since: str | None,
    until: str | None,
    by: str | None,
    role: str,
    received: str | None,
    dry_run: bool,
    withdraw: bool,
    fmt: str,
    file: Path | None,
    progress_path: Path | None,
) -> None:
    """回收各单位报回的填报表，逐行检查后追加到进度台账，并列出未报送的单位。

    每一行都先检查（状态、进度 0–100、任务确属该单位、是本清单本期的表），有任何
    一行不对，整份文件退回：每个问题一行（文件、行、错在哪里、应当怎样），其他
    文件照常收录。空行视为未报；taskctl 导出的清单台账跳过。同一份回复收两次不重复
    写入；同一单位同一期间更正后再报的，以后报的为准（先报的仍留在台账中，标为已被
    更正；更正时空着的行沿用先报的内容）。每条记录记下收到日期（今天，或 --received；
    更正后再报的沿用第一次收到的日期），晚于报送期限的为迟报。--withdraw 撤回所列文件
    的退回记录。标准输出为各单位汇总和未报送单位；有退回的文件时退出码为 1。

    \b
    示例：
      taskctl collect 回收/
      taskctl collect 回收/ --dry-run
      taskctl collect 交通局报送.xlsx --by 交通局 --week 2023-W26
      taskctl collect 回收/ --received 2023-07-03
      taskctl collect 回收/台账.xlsx --withdraw --week 2023-W26
    """
    from pathlib import Path

    from taskctl.collect import collect, write
    from taskctl.progress import parse_date, read_all
    from taskctl.progress.entry import now

    period = period_of(week, month, since, until, required=False)
    log = log_path(file, progress_path)
    if withdraw:
        from taskctl.collect import withdraw as withdraw_refusals

        count = withdraw_refusals(
            log, [p.name for p in paths], period.label if period else None, now()
        )
        click.echo(f"已撤回 {count} 条退回记录", err=True)
        return
    tasklist = load_list(file)
    result = collect(
        list(paths),
        tasklist,
        read_all(log, warn),
        period=period,
        by=by,
        role=role,
        now=now(),
        base=Path.cwd(),
        received=parse_date(received, "--received 日期") if received else None,
    )
    for message in result.skipped:
        warn(message)
    from taskctl.output import printable

    written = 0 if dry_run else write(result, log)
    _summary(result, fmt)
    for reply in result.refused:  # a reply's text, shown: no escape sequence reaches the screen
        for problem in reply.problems:
            click.echo(printable(f"退回：{problem}"), err=True)
    for reply in result.accepted:
        if reply.carried:
            carried = "、".join(str(i) for i in reply.carried)
            click.echo(
                printable(
                    f"沿用：{_shown(reply.path)} 未填序号 {carried}，沿用 {reply.unit} 本期先前回复的内容"
                ),
                err=True,
            )
    entries = sum(len(r.entries) for r in result.accepted)
    if dry_run:
        click.echo(f"（试运行）将写入 {entries} 条填报记录，未写入任何内容", err=True)
        for reply in result.accepted:
            for entry in reply.entries:
                progress = "" if entry.progress is None else f" {entry.progress}%"
                line = f"  {entry.by} 序号 {entry.id}：{entry.status}{progress} {entry.note}"
                click.echo(printable(line.rstrip()), err=True)
    else:
        click.echo(f"已写入 {written} 条填报记录 → {_shown(log)}", err=True)
    if result.refused:
        click.get_current_context().exit(1)


def _summary(result: Any, fmt: str) -> None:
    import sys

    from taskctl.output import choose_format, emit

    records = result.to_records()
    if choose_format(fmt, sys.stdout) == "json":
        import json

        document = {
            "period": result.period.label,
            "replies": records,
            "reported": result.reported,
            "owed": result.owed,
        }
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    emit(records, SUMMARY_COLUMNS, fmt, title=f"{result.period.label} 回收情况")
    owed = "、".join(result.owed) if result.owed else "无"
    click.echo(f"已报送（{len(result.reported)}）：{'、'.join(result.reported) or '无'}")
    click.echo(f"未报送（{len(result.owed)}）：{owed}")
