"""What every command shares: the options (declared once), completion callbacks, and the few
helpers that turn options into calls of the core (load the list, read the log, say "nothing
matches").

This module imports no command module and nothing heavy: the root group and every command
module import it, so it is paid for by every run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import click

from taskctl.cli import state

if TYPE_CHECKING:
    import datetime as _dt
    from pathlib import Path

F = Callable[..., Any]

STALE_DAYS = (
    14  # taskctl.tracking.STALE_DAYS, spelled here so --help imports no core; a test checks
)
TOLERANCE = 10  # taskctl.tracking.TOLERANCE (序时容差), likewise


class PathType(click.Path):
    """``click.Path`` that gives a :class:`pathlib.Path`, importing :mod:`pathlib` only when a
    path is actually given: ``taskctl --help`` does not pay for it."""

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        from pathlib import Path

        return Path(os.fsdecode(super().convert(value, param, ctx)))


class LogPathType(PathType):
    """A progress log path: ``进度/`` names a folder, and must be one (not a new file 进度)."""

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        from taskctl.progress import named_path

        return named_path(
            os.fsdecode(super().convert(value, param, ctx))
            + (os.sep if isinstance(value, str) and value.endswith(("/", os.sep)) else "")
        )


DOCUMENT_SUFFIXES = (
    ".docx",
    ".doc",
    ".xlsx",
    ".xls",
    ".csv",
    ".md",
    ".txt",
    ".json",
    ".html",
    ".pdf",
    ".wps",
)


class FolderPath(PathType):
    """A folder to write files into (``forms --dir``, ``remind --dir``): a name that does not exist
    yet and ends like a document (``催办.docx``) is a mistake, not a folder to create."""

    def __init__(self) -> None:
        super().__init__(file_okay=False)

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        path = super().convert(value, param, ctx)
        if path.suffix.lower() in DOCUMENT_SUFFIXES and not path.exists():
            self.fail(
                f"「{path}」像是文件名；这里要写一个文件夹（没有则新建），如 --dir {path.stem}/",
                param,
                ctx,
            )
        return path


# Old spellings -------------------------------------------------------------------------------
# One vocabulary across the commands (docs/queries.md, 选项一览): a renamed option keeps its old
# spelling, hidden from --help, and a run that uses it says so in one line on stderr.

RENAMED = "taskctl.renamed"  # ctx.meta: the new option's name → the values its old spellings got


def notice(old: str, new: str) -> None:
    """The one line on stderr for an old spelling (once per run, however often it is used)."""
    ctx = click.get_current_context(silent=True)
    said: set[str] = ctx.meta.setdefault("taskctl.noticed", set()) if ctx is not None else set()
    if old not in said:
        said.add(old)
        click.echo(f"提示：{old} 已改名为 {new}，请改用新写法", err=True)


class Option(click.Option):
    """An option that also takes what its old spellings were given (see :func:`renamed`): the
    new spelling wins when both are written; a repeatable option takes both."""

    def process_value(self, ctx: click.Context, value: Any) -> Any:
        old = ctx.meta.get(RENAMED, {}).get(self.name)
        if old:
            from click.core import ParameterSource

            given = ctx.get_parameter_source(self.name or "") == ParameterSource.COMMANDLINE
            if self.multiple:
                value = (*(value if given else ()), *old)
            elif not given:
                value = old[-1]
        return super().process_value(ctx, value)


def renamed(old: str, new: str, name: str) -> Callable[[F], F]:
    """A hidden ``old`` spelling of the option ``new`` (declared with ``cls=Option``, parameter
    ``name``): its values go to ``new``, with one :func:`notice`. Eager, so that it is read before
    the new option wherever it stands on the command line."""

    def remember(ctx: click.Context, param: click.Parameter, values: Sequence[str]) -> None:
        if values:
            notice(old, new)
            ctx.meta.setdefault(RENAMED, {}).setdefault(name, []).extend(values)

    def decorate(func: F) -> F:
        return click.option(
            old,
            "old_" + old.lstrip("-").replace("-", "_") + "_" + name,
            multiple=True,
            hidden=True,
            expose_value=False,
            is_eager=True,
            callback=remember,
        )(func)

    return decorate


class FormatChoice(click.Choice):
    """``--format``'s choice, taking ``text`` (the old name of ``plain``) with a notice."""

    OLD = {"text": "plain"}

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        if value in self.OLD and value not in self.choices:
            notice(f"--format {value}", f"--format {self.OLD[value]}")
            value = self.OLD[value]
        return super().convert(value, param, ctx)


def core_format(fmt: str) -> str:
    """The core's name for a format: ``plain`` is what :mod:`taskctl.report` and
    :mod:`taskctl.remind` call ``text``."""
    return "text" if fmt == "plain" else fmt


# The options ----------------------------------------------------------------------------------


def file_option(func: F) -> F:
    func = click.option(
        "--file",
        "file",
        cls=Option,
        metavar="PATH",
        type=PathType(dir_okay=False),
        help="任务清单文件（默认：$TASKCTL_FILE，或 ./data/tasks.yaml，或随包附带的 2023 年清单）。",
    )(func)
    return renamed("-f", "--file", "file")(func)


def force_option(help: str) -> Callable[[F], F]:
    """``--force``: replace what exists (no short form: ``-f`` was ``--file``)."""
    return click.option("--force", is_flag=True, help=help)


def dry_run_option(help: str) -> Callable[[F], F]:
    """``--dry-run``: show what would be written, write nothing."""
    return click.option("--dry-run", "dry_run", is_flag=True, help=help)


def dir_option(help: str, required: bool = False) -> Callable[[F], F]:
    """``--dir DIR``: a folder of one file per unit (old ``-o/--output`` there: a notice)."""

    def decorate(func: F) -> F:
        func = click.option(
            "--dir",
            "folder",
            cls=Option,
            required=required,
            metavar="DIR",
            type=FolderPath(),
            help=help,
        )(func)
        return renamed("-o", "--dir", "folder")(renamed("--output", "--dir", "folder")(func))

    return decorate


def unit_option(help: str) -> Callable[[F], F]:
    """``--unit NAME`` (repeatable): the units a per-unit command is for (old ``--dept``)."""

    def decorate(func: F) -> F:
        func = click.option(
            "--unit",
            "units",
            cls=Option,
            multiple=True,
            metavar="NAME",
            help=help,
            shell_complete=complete_names("department"),
        )(func)
        return renamed("--dept", "--unit", "units")(func)

    return decorate


def by_option(help: str) -> Callable[[F], F]:
    """``--by NAME``: the unit (or person) that reports, who writes the record."""
    return click.option(
        "--by", "by", metavar="NAME", help=help, shell_complete=complete_names("department")
    )


def group_by_option(func: F) -> F:
    """``--group-by section|leader|dept``: how rows are grouped (old ``stats --by``)."""
    func = click.option(
        "--group-by",
        "group_by",
        cls=Option,
        type=click.Choice(["section", "leader", "dept"]),
        default="section",
        show_default=True,
        help="按部分、责任领导或牵头部门分组。",
    )(func)
    return renamed("--by", "--group-by", "group_by")(func)


def output_option(func: F) -> F:
    """``-o/--output FILE`` for commands that write a file or, without it, standard output,
    and ``--force`` to replace an existing file (see :func:`check_output`)."""
    func = force_option("-o 的文件已存在时覆盖它（正在读取的清单和进度台账永不覆盖）。")(func)
    return click.option(
        "-o",
        "--output",
        type=PathType(dir_okay=False),
        help="写入此文件（已存在时须加 --force）；不给时输出到标准输出。",
    )(func)


FORMATS = ("auto", "table", "plain", "tsv", "csv", "markdown", "json")  # as taskctl.output


def format_option(func: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=FormatChoice(FORMATS),
        default="auto",
        show_default=True,
        help="输出格式；auto：终端里显示表格，管道里输出制表符分隔的行。",
    )(func)


# Completion callbacks ------------------------------------------------------------------------


def _file_given(ctx: click.Context) -> Path | None:
    """The --file given earlier on the command line, in this command or its parents."""
    while ctx is not None:
        file = (ctx.params or {}).get("file")
        if file:
            from pathlib import Path

            return Path(file)
        ctx = ctx.parent  # type: ignore[assignment]
    return None


def _items(found: Sequence[Any]) -> list[Any]:
    from click.shell_completion import CompletionItem

    return [CompletionItem(c.value, help=c.note.replace("\n", " ") or None) for c in found]


def complete_kind(ctx: click.Context, kind: str, incomplete: str) -> list[Any]:
    """Names of ``kind`` in the list in use; any error gives no completions, never a traceback."""
    from taskctl.completion import candidates, complete
    from taskctl.loader import load

    try:
        return _items(complete(candidates(load(_file_given(ctx)), kind), incomplete))
    except Exception:
        return []


def complete_fixed(words: Sequence[str], incomplete: str) -> list[Any]:
    """A fixed list of words (such as statuses), by prefix, part or pinyin."""
    from taskctl.completion import Candidate, complete

    try:
        return _items(complete([Candidate(w, (w,)) for w in words], incomplete))
    except Exception:
        return []


def complete_names(kind: str) -> Callable[..., list[Any]]:
    """A ``shell_complete`` callback offering the ``kind`` names (``leader``, ``department``,
    ``section``) of the list in use, by Chinese prefix or pinyin."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        return complete_kind(ctx, kind, incomplete)

    return complete


def complete_words(*words: str) -> Callable[..., list[Any]]:
    """A ``shell_complete`` callback offering fixed words (e.g. statuses), by prefix or pinyin."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
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


def ledger_option(func: F | None = None, *, log_only: bool = False) -> Any:
    """``--ledger PATH``: the progress ledger. Old ``--log`` keeps working, and so does old
    ``--progress PATH`` except in ``update`` (``log_only``), where ``--progress`` is the
    percentage."""

    def decorate(f: F) -> F:
        f = click.option(
            "--ledger",
            "progress_path",
            cls=Option,
            metavar="PATH",
            type=LogPathType(),
            help="进度台账：.jsonl 文件或存放多个 .jsonl 的文件夹（默认：$TASKCTL_PROGRESS，"
            "或清单旁的 progress.jsonl；用随包清单时为 ./data/progress.jsonl）。",
        )(f)
        f = renamed("--log", "--ledger", "progress_path")(f)
        return f if log_only else renamed("--progress", "--ledger", "progress_path")(f)

    return decorate(func) if func is not None else decorate


progress_option = ledger_option  # the name it had before --ledger


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
        default=STALE_DAYS,
        show_default=True,
        help="超过多少天未填报算“久未填报”（黄灯）。",
    )(func)


def progress_view_options(func: F) -> F:
    """The options of every command that shows computed progress: the log, the day, staleness."""
    return ledger_option(as_of_option(stale_days_option(func)))


def tracking_filter_options(func: F) -> F:
    func = click.option(
        "--stale",
        is_flag=True,
        help="只列久未填报的任务（--stale-days 天以上未填报，或从未填报；已完成的除外）。",
    )(func)
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


LIGHT_RULE = f"""\b
灯的规则（详见 docs/progress.md）：序时进度 = 截至 --as-of 已过天数 / 任务周期天数（自清单
年度 1 月 1 日起，至 完成时限，未写的以年度末为限）；任务写了 节点目标 的按各节点连线。
从未填报、或填 未启动 而未填进度的，进度按 0% 计（不填报不会比如实填报 0% 更好）。
  红：填报为滞后；或 进度 落后序时进度超过红灯线；或已过完成时限仍未完成；或清单写了
      报送周期 而本期报送期限已过仍未填报（逾期未报）；或连续若干期黄灯（连续黄灯转红）；
  黄：进度 落后序时进度超过黄灯线；或未启动；或 --stale-days 天（默认 {STALE_DAYS}）以上
      未填报；或距完成时限 30 天以内；
  绿：其余（已完成的任务为绿）。
黄灯线、红灯线按清单顶层的 亮灯规则：
  亮灯规则: {{方式: 百分点, 黄: 10, 红: 30, 连续黄灯转红: 2}}  落后超过 10 个百分点黄、超过 30 红；
  亮灯规则: {{方式: 比例, 黄: 80, 红: 60}}  进度不足序时进度的 80% 黄、不足 60% 红。
未写时（或写 序时容差: N）：低于序时进度即黄，落后超过 {TOLERANCE}（N）个百分点为红。
任务写了 按状态判定: true 的（增长7% 之类指标）只看填报的状态，不比较进度。"""


def with_light_rule(func: F) -> F:
    """Append the light rule to a command's help (list, dept, stats, report share it)."""
    import inspect

    func.__doc__ = inspect.cleandoc(func.__doc__ or "") + "\n\n" + LIGHT_RULE
    return func


# From options to the core --------------------------------------------------------------------


def load_list(file: Path | None) -> Any:
    import gc

    from taskctl.loader import load

    tasklist = load(file)
    if state.STANDALONE:
        # A taskctl process answers one question and exits, and neither the list nor what
        # the queries and reports build from it makes reference cycles: the collector would
        # only rescan them (a third of a 100 000-task report's time). Memory is freed by
        # reference counting as usual.
        gc.freeze()
        gc.disable()
    return tasklist


def load_facts(file: Path | None) -> Any:
    """The list's 年度 and 序号 (:func:`taskctl.loader.load_facts`): what ``update`` needs."""
    from taskctl.loader import load_facts as facts

    return facts(file)


def warn(message: str) -> None:
    from taskctl.output import printable

    click.echo(f"警告：{printable(message)}", err=True)


def error(message: str) -> None:
    """The one line an error gets on stderr (control characters from the data escaped)."""
    from taskctl.output import printable

    click.echo(f"错误：{printable(message)}", err=True)


def nothing_matches(what: str = "任务") -> None:
    click.echo(f"没有符合条件的{what}", err=True)


def log_path(file: Path | None, progress_path: Path | None) -> Path:
    from taskctl.progress import resolve_progress_path

    return resolve_progress_path(progress_path, file)


def log_named(progress_path: Path | None) -> bool:
    """Whether the user named the log (``--ledger`` or ``$TASKCTL_PROGRESS``)."""
    from taskctl.progress import ENV_PROGRESS

    return progress_path is not None or bool(os.environ.get(ENV_PROGRESS))


def log_exists(file: Path | None, progress_path: Path | None, *, quiet: bool = False) -> bool:
    """Whether the log to read exists. A log the user named that does not exist is an error
    (a typo must not show zero progress); the bundled list read without a log says so once,
    and so does a list named by --file with no log beside it (unless ``quiet``: a command that
    shows no progress)."""
    from taskctl.errors import DataFileError

    path = log_path(file, progress_path)
    if path.exists():
        return True
    if log_named(progress_path):
        raise DataFileError(
            path,
            "进度台账不存在；请检查 --ledger 或 TASKCTL_PROGRESS 的拼写"
            "（新台账由 taskctl update 建立）",
        )
    from taskctl.loader import ENV_FILE, bundled_path, resolve_path

    ctx = click.get_current_context(silent=True)
    said = ctx.find_root().meta if ctx is not None else {}
    by_default = file is None and not os.environ.get(ENV_FILE)
    if by_default and resolve_path(file) == bundled_path() and not said.get("taskctl.bundled_note"):
        said["taskctl.bundled_note"] = True
        from pathlib import Path

        shown = os.path.relpath(path) if path.is_relative_to(Path.cwd()) else path
        click.echo(
            f"提示：当前文件夹没有 data/tasks.yaml，用的是随包附带的清单；进度台账 {shown} "
            "不存在，进度均按未填报计",
            err=True,
        )
    elif not quiet and not by_default and resolve_path(file).resolve() != bundled_path():
        # a list named by --file or TASKCTL_FILE: a copy in another folder
        _say_once(
            said,
            "taskctl.no_ledger",
            f"提示：清单旁没有进度台账 {_shown_path(path)}，进度均按未填报计；"
            "台账在别处时请用 --ledger 指定",
        )
    return False


def warn_list_errors(tasklist: Any, ids: Any = None) -> None:
    """Before official output (a 通报, a 催办 notice, a 台账): the list's own errors in the
    tasks ``ids`` (all when None) that would be printed in it as they stand (a task sentence
    in 责任领导, an empty 牵头部门, a repeated 序号), said once per command; ``validate``
    lists them all."""
    from taskctl.validate import ERROR, Finding, check_cells

    shown = None if ids is None else set(ids)
    seen: set[int] = set()
    repeated = []  # check_ids' 序号重复 alone: its order and gap warnings cost a big list a second
    for task in tasklist.tasks:
        if task.id in seen:
            repeated.append(
                Finding(ERROR, "duplicate-id", f"序号 {task.id}", "序号", "序号重复", (task.id,))
            )
        seen.add(task.id)
    errors = [
        f
        for f in (*repeated, *check_cells(tasklist))
        if f.severity == ERROR and (shown is None or shown.intersection(f.ids))
    ]
    if not errors:
        return
    ctx = click.get_current_context(silent=True)
    said = ctx.find_root().meta if ctx is not None else {}
    if said.get("taskctl.list_errors"):
        return
    said["taskctl.list_errors"] = True
    first, more = errors[0], " 等" if len(errors) > 1 else ""
    warn(
        f"清单有 {len(errors)} 处错误将照录在输出中（{first.where} 的 {first.field}{more}）；"
        "请先用 taskctl validate 核对改正"
    )


def _say_once(said: dict[str, Any], key: str, message: str) -> None:
    if not said.get(key):
        said[key] = True
        click.echo(message, err=True)


def _shown_path(path: Path) -> str:
    from pathlib import Path

    return os.path.relpath(path) if path.absolute().is_relative_to(Path.cwd()) else str(path)


def check_output(output: Path, force: bool, file: Path | None, progress_path: Path | None) -> None:
    """Before anything is computed: ``-o`` must not be the list or the log this command reads
    (not even with ``--force``) and must not exist without ``--force``."""
    from taskctl.fsutil import check_output as check
    from taskctl.loader import resolve_path
    from taskctl.progress import log_files

    log = log_path(file, progress_path)
    check(output, force, [resolve_path(file), log, *log_files(log)])


def read_entries(file: Path | None, progress_path: Path | None) -> list[Any]:
    import gc

    from taskctl.progress import read_log

    if not log_exists(file, progress_path):
        return []
    entries = read_log(log_path(file, progress_path), warn)
    if state.STANDALONE:  # like the list: kept until exit, no cycles to look for
        gc.freeze()
    return entries


def read_view(file: Path | None, progress_path: Path | None) -> Any:
    """The log as a :class:`taskctl.progress.LogView` (what the reports ask of it)."""
    import gc

    from taskctl.progress import LogView
    from taskctl.progress import read_view as view

    if not log_exists(file, progress_path):
        return LogView([])
    log = view(log_path(file, progress_path), warn)
    if state.STANDALONE:
        gc.freeze()
    return log


def as_of_date(value: str | None) -> _dt.date:
    import datetime as _dt

    from taskctl.progress import parse_date

    return _dt.date.today() if value is None else parse_date(value, "--as-of 日期")


def load_states(
    tasklist: Any,
    file: Path | None,
    progress_path: Path | None,
    as_of: str | None,
    stale_days: int,
    statuses: Sequence[str] = (),
    lights: Sequence[str] = (),
    tasks: Sequence[Any] | None = None,
    stale: bool = False,
    unit: str | None = None,
) -> dict[int, dict[str, Any]]:
    """:func:`taskctl.tracking.state_records` for the log and day the options name."""
    from taskctl.tracking import state_records

    day = as_of_date(as_of)
    view = read_view(file, progress_path)
    return state_records(
        tasklist,
        view,  # its reports as of the day, and of earlier days for 连续黄灯转红
        day,
        stale_days=stale_days,
        statuses=statuses,
        lights=lights,
        tasks=tasks,
        stale=stale,
        unit=unit,
    )


def parse_id_specs(specs: Sequence[str]) -> list[int]:
    """``--id 7,9-11 --id 3`` (or ``update 7 9-11``) as sorted 序号, in the order given."""
    from taskctl.query import parse_ids

    ids: list[int] = []
    for spec in specs:
        ids.extend(sorted(parse_ids(spec)))
    return ids


def period_options(func: F) -> F:
    """``--week/--month/--since/--until``: the period of a collection round (forms, collect)."""
    for name, metavar, text in reversed(
        (
            ("--week", "2023-W26", "填报期间为这一 ISO 周（周一至周日）。"),
            ("--month", "2023-06", "填报期间为这一月。"),
            ("--since", "DATE", "填报期间起点（YYYY-MM-DD，与 --until 同用）。"),
            ("--until", "DATE", "填报期间终点（YYYY-MM-DD）。"),
        )
    ):
        func = click.option(name, metavar=metavar, help=text)(func)
    return func


def period_of(
    week: str | None, month: str | None, since: str | None, until: str | None, required: bool = True
) -> Any:
    """The :class:`taskctl.period.Period` the options name (``None`` when none and not required)."""
    from taskctl.period import parse_period
    from taskctl.progress import parse_date

    if not required and not (week or month or since or until):
        return None
    return parse_period(
        week,
        month,
        parse_date(since, "--since 日期") if since else None,
        parse_date(until, "--until 日期") if until else None,
    )


ROLE_WORDS = ("lead", "support", "all")  # taskctl.forms.ROLE_CHOICES


def role_option(func: F) -> F:
    return click.option(
        "--role",
        type=click.Choice(ROLE_WORDS),
        default="lead",
        show_default=True,
        help="哪些单位填报：lead 牵头单位（含经统称如 各镇街道 承担的），support 责任（配合）单位，all 两者。",
    )(func)


def report_period(
    as_of: str | None,
    week: str | None,
    month: str | None,
    quarter: str | None,
    year: str | None,
    since: str | None,
    until: str | None,
) -> Any:
    """The period ``--week``/``--month``/``--quarter``/``--year``/``--since``/``--until`` name,
    as report and score read them: (first day, last day, the as-of day, kind)."""
    from taskctl.progress import parse_date
    from taskctl.report import period

    return period(
        None if as_of is None else parse_date(as_of, "--as-of 日期"),
        week=week,
        month=month,
        quarter=quarter,
        year=year,
        since=None if since is None else parse_date(since, "--since 日期"),
        until=None if until is None else parse_date(until, "--until 日期"),
    )
