"""The taskctl command line: parse options, call the core, hand records to :mod:`taskctl.output`."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Callable

import click

from taskctl import __version__
from taskctl.errors import TaskctlError
from taskctl.output import FORMATS, Column

F = Callable[..., Any]
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class TaskctlGroup(click.Group):
    """Translates core errors once: one line on stderr and the error's exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TaskctlError as exc:
            if _debug(ctx):
                raise
            click.echo(f"错误：{exc.message}", err=True)
            ctx.exit(exc.exit_code)
        except (
            click.ClickException,
            click.exceptions.Exit,
            click.Abort,
            BrokenPipeError,
            KeyboardInterrupt,
        ):
            raise
        except Exception as exc:  # anything else is our bug: exit 1, traceback on request
            if _debug(ctx):
                raise
            click.echo(
                f"内部错误：{type(exc).__name__}: {exc}（加 --debug 或设置 TASKCTL_DEBUG=1 可看详细信息）",
                err=True,
            )
            ctx.exit(1)


def _debug(ctx: click.Context) -> bool:
    root = ctx.find_root()
    return bool((root.params or {}).get("debug")) or os.environ.get("TASKCTL_DEBUG", "") not in (
        "",
        "0",
    )


# Options shared by every command, declared once.
def file_option(func: F) -> F:
    return click.option(
        "-f",
        "--file",
        "file",
        metavar="PATH",
        type=click.Path(dir_okay=False, path_type=Path),
        help="任务清单文件（默认：$TASKCTL_FILE，或 ./data/tasks.yaml，或随包附带的 2023 年清单）。",
    )(func)


def format_option(func: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="auto",
        show_default=True,
        help="输出格式；auto：终端里显示表格，管道里输出制表符分隔的行。",
    )(func)


def name_filter_options(func: F) -> F:
    func = click.option(
        "--grep", "grep", multiple=True, metavar="TEXT", help="年度任务目标中含有此文字。"
    )(func)
    func = click.option(
        "--id", "ids", multiple=True, metavar="序号", help="序号，如 7 或 7,9-11。"
    )(func)
    func = click.option(
        "--section",
        "sections",
        multiple=True,
        metavar="部分",
        help="部分编号（一 或 1）或标题中的词。",
    )(func)
    func = click.option(
        "--dept", "depts", multiple=True, metavar="NAME", help="牵头部门或责任部门（直接列名的）。"
    )(func)
    func = click.option(
        "--leader", "leaders", multiple=True, metavar="NAME", help="责任领导（可写名字的一部分）。"
    )(func)
    return func


def load_list(file: Path | None) -> Any:
    import gc

    from taskctl.loader import load

    tasklist = load(file)
    if _STANDALONE:  # kept until exit and free of cycles: spare it the collector's rescans
        gc.freeze()
    return tasklist


def nothing_matches(what: str = "任务") -> None:
    click.echo(f"没有符合条件的{what}", err=True)


def _names(value: Any) -> str:
    return "、".join(value or [])


TASK_COLUMNS = [
    Column("id", "序号", numeric=True),
    Column("section", "部分"),
    Column("text", "年度任务目标"),
    Column("leaders", "责任领导"),
    Column("lead_departments", "牵头部门"),
    Column("departments", "责任部门"),
]
ROLE_LABELS = {"lead": "牵头", "support": "责任"}
DEPT_COLUMNS = [
    TASK_COLUMNS[0],
    Column("role", "角色", render=lambda v: ROLE_LABELS.get(v, v or "")),
    Column("via", "经由", render=lambda v: v or ""),
    *TASK_COLUMNS[1:],
]


@click.group(cls=TaskctlGroup, context_settings=CONTEXT)
@click.version_option(
    __version__, "-V", "--version", prog_name="taskctl", message="%(prog)s %(version)s"
)
@click.option("--debug", is_flag=True, help="出错时显示完整的调用栈（也可设置 TASKCTL_DEBUG=1）。")
def cli(debug: bool) -> None:
    """taskctl：《政府工作报告》工作任务分解清单的命令行台账。

    按责任领导、部门、部分查询任务，输出表格或供脚本使用的 TSV/CSV/JSON。

    \b
    示例：
      taskctl list --leader 于德忱
      taskctl dept 住建局
      taskctl list --section 九 --format json
    """


@cli.command("list")
@name_filter_options
@format_option
@file_option
def list_command(
    leaders: tuple[str, ...],
    depts: tuple[str, ...],
    sections: tuple[str, ...],
    ids: tuple[str, ...],
    grep: tuple[str, ...],
    fmt: str,
    file: Path | None,
) -> None:
    """列出任务，可按责任领导、部门、部分、序号、文字筛选。

    不同选项之间是“且”，同一选项写多次是“或”。--dept 只匹配直接列名的部门；
    要包括通过“各镇街道”等统称承担的任务，用 taskctl dept。

    \b
    示例：
      taskctl list --leader 于德忱
      taskctl list --leader 张辉 --leader 张健 --section 三
      taskctl list --dept 住建局 --grep 改造 --format csv
      taskctl list --id 7,9-11
    """
    from taskctl.output import emit
    from taskctl.query import filter_tasks, parse_ids

    tasklist = load_list(file)
    id_set: set[int] = set()
    for spec in ids:
        id_set |= parse_ids(spec)
    tasks = filter_tasks(
        tasklist, leaders=leaders, departments=depts, sections=sections, grep=grep, ids=id_set
    )
    if not tasks:
        nothing_matches()
        return
    emit([task.to_record() for task in tasks], TASK_COLUMNS, fmt)


@cli.command("dept")
@click.argument("name")
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
@format_option
@file_option
def dept_command(name: str, role: str, direct: bool, fmt: str, file: Path | None) -> None:
    """列出一个部门牵头或负责的全部任务，包括通过统称承担的。

    富家镇 会得到每一项写着“各镇街道”的任务，“经由”一列写明通过哪个统称。

    \b
    示例：
      taskctl dept 住建局
      taskctl dept 富家镇 --role support --direct
      taskctl dept 住建 --format json
    """
    from taskctl.output import emit
    from taskctl.query import department_tasks, resolve_department

    tasklist = load_list(file)
    resolved = resolve_department(tasklist, name)
    rows = department_tasks(tasklist, resolved, role=role, direct=direct)
    if not rows:
        nothing_matches()
        return
    lead = sum(r.role == "lead" for r in rows)
    emit(
        [row.to_record() for row in rows],
        DEPT_COLUMNS,
        fmt,
        title=f"{resolved}：牵头 {lead} 项，责任 {len(rows) - lead} 项",
    )


SHOW_FIELDS = [
    Column("id", "序号"),
    Column("section_heading", "部分"),
    Column("text", "年度任务目标"),
    Column("leaders", "责任领导"),
    Column("lead_departments", "牵头部门"),
    Column("departments", "责任部门"),
    Column("deadline", "完成时限"),
]


@cli.command("show")
@click.argument("task_id", metavar="序号", type=int)
@format_option
@file_option
def show_command(task_id: int, fmt: str, file: Path | None) -> None:
    """显示一项任务的全部字段。

    \b
    示例：
      taskctl show 91
      taskctl show 7 --format json
    """
    from taskctl.output import emit_record

    tasklist = load_list(file)
    task = tasklist.task(task_id)
    section = next(s for s in tasklist.sections if s.numeral == task.section)
    deadline = task.deadline or tasklist.default_deadline()
    record = {
        **task.to_record(),
        "section_heading": section.heading,
        "deadline": deadline.isoformat() if deadline else None,
    }
    emit_record(record, SHOW_FIELDS, fmt, title=f"序号 {task.id}")


@cli.command("leaders")
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


@cli.command("depts")
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


@cli.command("sections")
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

    rows = [section.to_record() for section in load_list(file).sections]
    emit(
        rows,
        [
            Column("numeral", "编号"),
            Column("title", "标题"),
            Column("declared", "标题项数", numeric=True),
            Column("actual", "实际项数", numeric=True),
        ],
        fmt,
    )


@cli.command("import")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("data/tasks.yaml"),
    show_default=True,
    help="写入的 YAML 文件。",
)
@click.option("--force", is_flag=True, help="覆盖已存在的输出文件。")
@click.option(
    "--groups-from",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="YAML",
    help="从已有的清单文件沿用 groups（统称所指的单位）。",
)
def import_command(source: Path, output: Path, force: bool, groups_from: Path | None) -> None:
    """把 Word 表格导出的清单文本转换为 tasks.yaml（原文照录）。

    \b
    示例：
      taskctl import 2023-task-list.txt -o data/tasks.yaml
      taskctl import 2024.txt -o data/tasks.yaml --force --groups-from data/tasks.yaml
    """
    import dataclasses

    from taskctl.errors import InputError
    from taskctl.importers import read_list
    from taskctl.loader import load, save

    tasklist = read_list(source)
    if groups_from is not None:
        tasklist = dataclasses.replace(tasklist, groups=load(groups_from).groups)
    if output.exists() and not force:
        raise InputError(f"{output} 已存在；要覆盖请加 --force")
    if not output.parent.is_dir():
        raise InputError(f"{output.parent} 文件夹不存在")
    save(tasklist, output)
    click.echo(
        f"已导入 {len(tasklist.tasks)} 项任务（{len(tasklist.sections)} 个部分）→ {output}",
        err=True,
    )


_STANDALONE = False  # True in a taskctl process (not when the CLI is invoked in-process)


def main() -> None:
    """Console-script entry point."""
    global _STANDALONE
    _STANDALONE = True
    cli.main(prog_name="taskctl")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
