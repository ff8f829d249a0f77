"""The taskctl command line: the root group, the table of commands, and the one place where
errors become messages and exit codes.

Imports run one way: this module → the command modules (imported by name, only when a command
runs or shows its help) → :mod:`taskctl.cli.options` → the core. A command module never imports
another, and nothing in the core imports the command line.
"""

from __future__ import annotations

import errno
import importlib
import io
import os
import sys
from typing import Any

import click

from taskctl import __version__
from taskctl.cli import state, text

text.install()
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

# name → (module, function, one-line summary). The summary is what ``taskctl --help`` shows, so
# that listing the commands imports none of them; a test checks it is each command's own.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "list": (
        "queries",
        "list_command",
        "列出任务及其进度，可按责任领导、部门、部分、序号、文字、状态、灯筛选。",
    ),
    "dept": ("queries", "dept_command", "列出一个部门牵头或负责的全部任务，包括通过统称承担的。"),
    "show": ("queries", "show_command", "显示一项任务的全部字段、当前进度和历次填报。"),
    "leaders": ("queries", "leaders_command", "列出全部责任领导及其任务数。"),
    "depts": ("queries", "depts_command", "列出全部部门及其牵头、责任任务数（含通过统称承担的）。"),
    "sections": ("queries", "sections_command", "列出清单的各部分，及标题所写项数与实际项数。"),
    "update": (
        "progress",
        "update_command",
        "填报一项或多项任务的进度（追加到进度台账，不改动清单）。",
    ),
    "history": (
        "progress",
        "history_command",
        "按日期列出一项任务的历次填报（同一日期以最后记录的为准）。",
    ),
    "review": (
        "progress",
        "review_command",
        "督查室审核办结与延期申请：销号（--approve）、退回（--return）或回访（--reopen）。",
    ),
    "stats": (
        "progress",
        "stats_command",
        "按组统计各状态、各灯的任务数、完成率和超期数，最弱的组排在最前（排名）。",
    ),
    "report": (
        "progress",
        "report_command",
        "生成督查通报（周报、月报、季度通报、年度总结），或给领导的一页专报。",
    ),
    "score": (
        "scoring",
        "score_command",
        "考评：按督查室定的规则给各单位计分、排名，每一分都可追溯到记录。",
    ),
    "remind": (
        "progress",
        "remind_command",
        "给有滞后、超期、久未填报或临近完成时限任务的牵头部门各写一份催办通知。",
    ),
    "forms": (
        "rounds",
        "forms_command",
        "为每个有任务的单位生成本期填报表（Excel），发各单位填写后回收。",
    ),
    "collect": (
        "rounds",
        "collect_command",
        "回收各单位报回的填报表，逐行检查后追加到进度台账，并列出未报送的单位。",
    ),
    "validate": (
        "data",
        "validate_command",
        "检查清单的瑕疵：项数不符、责任领导或牵头部门为空、序号问题、名称写法不一等。",
    ),
    "import": (
        "data",
        "import_command",
        "把 Word 附件、Excel/CSV 台账或导出的文本转换为 tasks.yaml（原文照录）。",
    ),
    "export": (
        "data",
        "export_command",
        "导出清单或筛选后的部分为 YAML、CSV、Excel 台账、Markdown 或 JSON。",
    ),
    "completion": ("completion", "completion_command", "打印 bash、zsh 或 fish 的命令补全脚本。"),
}


class TaskctlGroup(click.Group):
    """Finds commands by name in :data:`COMMANDS` and imports them on first use (click's lazy
    group pattern); translates core errors once: one line on stderr and the error's exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module = importlib.import_module(f"taskctl.cli.{entry[0]}")
        command: click.Command = getattr(module, entry[1])
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            import difflib

            close = difflib.get_close_matches(name, list(COMMANDS), n=1, cutoff=0.6)
            hint = (
                f"是不是想写 taskctl {close[0]}？" if close else "用 taskctl --help 查看全部命令。"
            )
            ctx.fail(f"没有命令「{name}」；{hint}")
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from the table's summaries: ``taskctl --help`` imports no command."""
        rows = [(name, summary) for name, (_, _, summary) in COMMANDS.items()]
        with formatter.section(text.gettext("Commands")):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        from taskctl.cli import options  # neither is imported for --help
        from taskctl.errors import TaskctlError

        try:
            return super().invoke(ctx)
        except TaskctlError as exc:
            if _debug(ctx):
                raise
            options.error(" ".join(exc.message.splitlines()))
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            _quiet_stdout()
            ctx.exit(0)
        except OverflowError:  # date arithmetic at the ends of the calendar
            if _debug(ctx):
                raise
            options.error("日期超出可计算的范围（年份应在 1 到 9999 之间，且离两端至少一年）")
            ctx.exit(2)
        except OSError as exc:
            # Files are read and written through taskctl.fsutil, which names them; what gets
            # here is standard output: closed (>&-) or on a full disk (> /dev/full).
            if _debug(ctx):
                raise
            _quiet_stdout()
            options.error(f"无法写入标准输出（{exc.strerror or exc}），结果未能输出")
            ctx.exit(2)
        except (KeyboardInterrupt, click.Abort):
            # Ctrl-C: 130 as shells report it (128 + SIGINT), never 1, which means a problem found
            click.echo(f"\n{text.gettext('Aborted!')}", err=True)
            ctx.exit(130)
        except (click.ClickException, click.exceptions.Exit):
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


class _ClosedStream(io.TextIOBase):
    """Standing in for a standard stream that was closed (``>&-``): writing fails with EBADF,
    which the group reports in one line, instead of crashing on ``None``."""

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "标准输出已关闭")

    def writable(self) -> bool:
        return True


def _sane_streams() -> None:
    """Standard streams a run can always write to: a closed one stands in as
    :class:`_ClosedStream` (stderr: discarded), and text the console's encoding cannot show
    (a GBK console) becomes ``?`` rather than an exception."""
    if sys.stdout is None:
        sys.stdout = _ClosedStream()
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the process
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):
                pass


def main() -> None:
    """Console-script entry point."""
    state.STANDALONE = True
    _sane_streams()
    cli.main(prog_name="taskctl")


__all__ = ["COMMANDS", "cli", "main"]
