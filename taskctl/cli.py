"""The taskctl command line: parse options, call the core, hand records to :mod:`taskctl.output`."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from taskctl import __version__, cli_text
from taskctl.errors import TaskctlError
from taskctl.output import FORMATS, Column

if TYPE_CHECKING:
    from pathlib import Path

cli_text.install()
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
            click.echo("错误：" + " ".join(exc.message.splitlines()), err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            _quiet_stdout()
            ctx.exit(0)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # anything else is our bug: exit 1, traceback on request
            if _debug(ctx):
                raise
            click.echo(
                f"内部错误：{type(exc).__name__}: {exc}（加 --debug 或设置 TASKCTL_DEBUG=1 可看详细信息）",
                err=True,
            )
            ctx.exit(1)


def _quiet_stdout() -> None:
    """The reader went away (``| head``): that is success, and the final flush must not fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests); nothing to flush
        pass


def _debug(ctx: click.Context) -> bool:
    root = ctx.find_root()
    return bool((root.params or {}).get("debug")) or os.environ.get("TASKCTL_DEBUG", "") not in (
        "",
        "0",
    )


class PathType(click.Path):
    """``click.Path`` that gives a :class:`pathlib.Path`, importing :mod:`pathlib` only when a
    path is actually given: ``taskctl --help`` does not pay for it."""

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        from pathlib import Path

        return Path(os.fsdecode(super().convert(value, param, ctx)))


# Options shared by every command, declared once.
def file_option(func: F) -> F:
    return click.option(
        "-f",
        "--file",
        "file",
        metavar="PATH",
        type=PathType(dir_okay=False),
        help="任务清单文件（默认：$TASKCTL_FILE，或 ./data/tasks.yaml，或随包附带的 2023 年清单）。",
    )(func)


def output_option(func: F) -> F:
    """``-o/--output FILE`` for commands that write a file or, without it, standard output."""
    return click.option(
        "-o",
        "--output",
        type=PathType(dir_okay=False),
        help="写入此文件；不给时输出到标准输出。",
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


def complete_names(kind: str) -> Callable[..., list[Any]]:
    """A ``shell_complete`` callback offering the ``kind`` names (``leader``, ``department``,
    ``section``) of the list in use, by Chinese prefix or pinyin."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        from taskctl.cli_complete import complete_kind

        return complete_kind(ctx, kind, incomplete)

    return complete


def complete_words(*words: str) -> Callable[..., list[Any]]:
    """A ``shell_complete`` callback offering fixed words (e.g. statuses), by prefix or pinyin."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        from taskctl.cli_complete import complete_fixed

        return complete_fixed(words, incomplete)

    return complete


# Spelled out here so that registering the options imports nothing; tests check they agree with
# taskctl.progress and taskctl.tracking.
STATUS_WORDS = ("未启动", "序时推进", "滞后", "已完成", "not-started", "on-track", "behind", "done")
LIGHT_WORDS = ("红", "黄", "绿", "red", "yellow", "green")


def name_filter_options(func: F) -> F:
    func = click.option(
        "--grep", "grep", multiple=True, metavar="TEXT", help="年度任务目标中含有此文字。"
    )(func)
    func = click.option(
        "--id", "ids", multiple=True, metavar="7,9-11", help="序号，如 7 或 7,9-11。"
    )(func)
    func = click.option(
        "--section",
        "sections",
        multiple=True,
        metavar="SECTION",
        help="部分编号（一 或 1）或标题中的词（可写拼音）。",
        shell_complete=complete_names("section"),
    )(func)
    func = click.option(
        "--dept",
        "depts",
        multiple=True,
        metavar="NAME",
        help="牵头部门或责任部门（直接列名的，可写拼音）。",
        shell_complete=complete_names("department"),
    )(func)
    func = click.option(
        "--leader",
        "leaders",
        multiple=True,
        metavar="NAME",
        help="责任领导（可写名字的一部分或拼音）。",
        shell_complete=complete_names("leader"),
    )(func)
    return func


def progress_option(func: F | None = None, *, log_only: bool = False) -> Any:
    """``--progress PATH`` (also ``--log``): the progress log; ``update`` keeps only ``--log``
    because its ``--progress`` is the percentage."""

    def decorate(f: F) -> F:
        names = ["--log"] if log_only else ["--progress", "--log"]
        return click.option(
            *names,
            "progress_path",
            metavar="PATH",
            type=PathType(),
            help="进度台账：.jsonl 文件或存放多个 .jsonl 的文件夹（默认：$TASKCTL_PROGRESS，"
            "或清单旁的 progress.jsonl；用随包清单时为 ./data/progress.jsonl）。",
        )(f)

    return decorate(func) if func is not None else decorate


def as_of_option(func: F) -> F:
    return click.option(
        "--as-of",
        "as_of",
        metavar="DATE",
        help="按哪一天计算序时进度和灯（YYYY-MM-DD，默认今天），便于复现报表。",
    )(func)


def stale_days_option(func: F) -> F:
    return click.option(
        "--stale-days",
        type=click.IntRange(min=1),
        metavar="DAYS",
        default=14,
        show_default=True,
        help="超过多少天未填报算“久未填报”（黄灯）。",
    )(func)


def progress_view_options(func: F) -> F:
    """The options of every command that shows computed progress: the log, the day, staleness."""
    return progress_option(as_of_option(stale_days_option(func)))


def tracking_filter_options(func: F) -> F:
    func = click.option(
        "--light",
        "lights",
        multiple=True,
        metavar="LIGHT",
        shell_complete=complete_words(*LIGHT_WORDS),
        help="只列此灯的任务：红、黄、绿（red、yellow、green）。",
    )(func)
    return click.option(
        "--status",
        "statuses",
        multiple=True,
        metavar="STATUS",
        shell_complete=complete_words(*STATUS_WORDS),
        help="只列最近填报为此状态的：未启动、序时推进、滞后、已完成（或 not-started、on-track、behind、done）。",
    )(func)


LIGHT_RULE = """\b
灯的规则：序时进度 = 截至 --as-of 已过天数 / 任务周期天数（自清单年度 1 月 1 日起，
至 完成时限，未写的以年度末为限）。
  红：填报为滞后，或 进度 低于序时进度，或已过完成时限仍未完成；
  黄：未启动，或 --stale-days 天（默认 14）以上未填报，或距完成时限 30 天以内；
  绿：其余（已完成的任务为绿）。"""


def with_light_rule(func: F) -> F:
    """Append the light rule to a command's help (list, dept, stats, report share it)."""
    import inspect

    func.__doc__ = inspect.cleandoc(func.__doc__ or "") + "\n\n" + LIGHT_RULE
    return func


def load_list(file: Path | None) -> Any:
    import gc

    from taskctl.loader import load

    tasklist = load(file)
    if _STANDALONE:
        # A taskctl process answers one question and exits, and neither the list nor what
        # the queries and reports build from it makes reference cycles: the collector would
        # only rescan them (a third of a 100 000-task report's time). Memory is freed by
        # reference counting as usual.
        gc.freeze()
        gc.disable()
    return tasklist


def nothing_matches(what: str = "任务") -> None:
    click.echo(f"没有符合条件的{what}", err=True)


def _names(value: Any) -> str:
    return "、".join(value or [])


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
    Column("role", "角色", render=lambda v: _role_label(v)),
    Column("via", "经由", render=lambda v: v or ""),
    *TASK_COLUMNS[1:],
]


@click.group(cls=TaskctlGroup, context_settings=CONTEXT, invoke_without_command=True)
@click.version_option(
    __version__,
    "-V",
    "--version",
    prog_name="taskctl",
    message="%(prog)s %(version)s",
    help="显示版本号并退出。",
)
@click.option("--debug", is_flag=True, help="出错时显示完整的调用栈（也可设置 TASKCTL_DEBUG=1）。")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """taskctl：《政府工作报告》工作任务分解清单的命令行台账。

    按责任领导、部门、部分查询任务，输出表格或供脚本使用的 TSV/CSV/JSON。

    \b
    示例：
      taskctl list --leader 于德忱
      taskctl dept 住建局
      taskctl list --section 九 --format json
    """
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@cli.command("list")
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
    fmt: str,
    file: Path | None,
    progress_path: Path | None,
    as_of: str | None,
    stale_days: int,
) -> None:
    """列出任务及其进度，可按责任领导、部门、部分、序号、文字、状态、灯筛选。

    不同选项之间是“且”，同一选项写多次是“或”。--dept 只匹配直接列名的部门；要包括通过“各镇街道”等统称承担的任务，用 taskctl dept。状态 是最近一次填报的状态（没有填报的为 未启动），灯 按下面的规则计算。

    \b
    示例：
      taskctl list --leader 于德忱
      taskctl list --leader ydc          # 拼音首字母，同上
      taskctl list --leader 张辉 --leader 张健 --section 三
      taskctl list --dept 住建局 --grep 改造 --format csv
      taskctl list --id 7,9-11
      taskctl list --light 红 --as-of 2023-06-30
    """
    from taskctl.cli_progress import load_states
    from taskctl.output import emit
    from taskctl.query import filter_tasks, parse_ids

    tasklist = load_list(file)
    id_set: set[int] = set()
    for spec in ids:
        id_set |= parse_ids(spec)
    tasks = filter_tasks(
        tasklist, leaders=leaders, departments=depts, sections=sections, grep=grep, ids=id_set
    )
    states = load_states(
        tasklist, file, progress_path, as_of, stale_days, statuses, lights, tasks=tasks
    )
    records = [{**task.to_record(), **states[task.id]} for task in tasks if task.id in states]
    if not records:
        nothing_matches()
        return
    emit(records, TASK_COLUMNS, fmt)


@cli.command("dept")
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
@tracking_filter_options
@format_option
@file_option
@progress_view_options
@with_light_rule
def dept_command(
    name: str,
    role: str,
    direct: bool,
    statuses: tuple[str, ...],
    lights: tuple[str, ...],
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
    """
    from taskctl.cli_progress import load_states
    from taskctl.output import emit
    from taskctl.query import department_tasks, resolve_department

    tasklist = load_list(file)
    resolved = resolve_department(tasklist, name)
    rows = department_tasks(tasklist, resolved, role=role, direct=direct)
    states = load_states(
        tasklist,
        file,
        progress_path,
        as_of,
        stale_days,
        statuses,
        lights,
        tasks=[row.task for row in rows],
    )
    rows = [row for row in rows if row.task.id in states]
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
    Column("history", "进度记录", render=lambda v: "\n".join(v or []) or "（无）"),
]


@cli.command("show")
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
    from taskctl.cli_progress import task_history
    from taskctl.output import emit_record

    tasklist = load_list(file)
    task = tasklist.task(task_id)
    section = next(s for s in tasklist.sections if s.numeral == task.section)
    state, entries = task_history(tasklist, task, file, progress_path, as_of, stale_days)
    record = {
        **task.to_record(),
        "section_heading": section.heading,
        **state.to_record(),
        "history": [entry.to_record() for entry in entries],
    }
    if fmt != "json":
        from taskctl.cli_progress import history_line

        record["history"] = [history_line(entry) for entry in entries]
    emit_record(record, SHOW_FIELDS, fmt)


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


_STANDALONE = False  # True in a taskctl process (not when the CLI is invoked in-process)


def main() -> None:
    """Console-script entry point."""
    global _STANDALONE
    _STANDALONE = True
    cli.main(prog_name="taskctl")


# Importing these modules registers their commands on ``cli``.
from taskctl import cli_complete, cli_data, cli_progress  # noqa: E402,F401

if __name__ == "__main__":  # pragma: no cover
    main()
