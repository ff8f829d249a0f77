"""Commands for data quality and office formats: validate, import, export."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from taskctl.cli.options import (
    FormatChoice,
    PathType,
    as_of_date,
    check_output,
    dry_run_option,
    file_option,
    force_option,
    format_option,
    ledger_option,
    load_list,
    log_exists,
    name_filter_options,
    output_option,
    parse_id_specs,
    progress_view_options,
    read_entries,
    warn_list_errors,
)
from taskctl.output import Column

if TYPE_CHECKING:
    from pathlib import Path

FINDING_COLUMNS = [
    Column("severity", "级别", render=lambda v: {"error": "错误", "warning": "警告"}.get(v, v)),
    Column("where", "位置"),
    Column("field", "字段"),
    Column("message", "问题"),
]


def _load_for_validation(source: Path | None, file: Path | None) -> Any:
    """An import source as read, or the list file with repeated 序号 let through to be reported."""
    if source is not None:
        from taskctl.importers import read_list

        return read_list(source)
    from taskctl.loader import from_data, resolve_path
    from taskctl.yamlio import decode_utf8, load_yaml, read_bytes

    path = resolve_path(file)
    return from_data(load_yaml(decode_utf8(read_bytes(path), path), path), path, check_ids=False)


def _log_references(file: Path | None, progress_path: Path | None) -> list[Any]:
    """Every 序号 the progress log names, with the file and line that names it."""
    from taskctl.validate import Reference

    if not log_exists(file, progress_path, quiet=True):
        return []
    return [
        Reference(entry.id, f"{entry.source} 第 {entry.line} 行", entry.date)
        for entry in read_entries(file, progress_path)
    ]


@click.command("validate")
@click.argument("source", required=False, type=PathType(dir_okay=False))
@click.option("--strict", is_flag=True, help="警告也算不通过（退出码 1）。")
@format_option
@file_option
@ledger_option
def validate_command(
    source: Path | None, strict: bool, fmt: str, file: Path | None, progress_path: Path | None
) -> None:
    """检查清单的瑕疵：项数不符、责任领导或牵头部门为空、序号问题、名称写法不一等。

    不给 SOURCE 时检查当前清单（--file）及其进度台账（填报了清单中没有的序号为错误）；
    给出 .docx/.xlsx/.csv/.txt 等文件时，检查导入前的原件。有错误时退出码为 1，只有警告时为 0（--strict 时警告也为 1）。

    \b
    示例：
      taskctl validate
      taskctl validate --format json
      taskctl validate 2024年任务清单.docx --strict
    """
    from taskctl.output import emit
    from taskctl.validate import ERROR, failed, validate

    tasklist = _load_for_validation(source, file)
    findings = validate(
        tasklist, [] if source is not None else _log_references(file, progress_path)
    )
    errors = sum(f.severity == ERROR for f in findings)
    if findings:
        emit([f.to_record() for f in findings], FINDING_COLUMNS, fmt)
        click.echo(f"共 {errors} 个错误，{len(findings) - errors} 个警告", err=True)
    else:
        click.echo("未发现问题", err=True)
    if failed(findings, strict):
        raise click.exceptions.Exit(1)


@click.command("import")
@click.argument("source", type=PathType(dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=PathType(dir_okay=False),
    default="data/tasks.yaml",
    show_default=True,
    help="写入的 YAML 文件。",
)
@force_option("覆盖已存在的输出文件。")
@dry_run_option("读取并检查原件，显示将写入什么，不写入。")
@click.option(
    "--groups-from",
    type=PathType(dir_okay=False),
    metavar="YAML",
    help="从已有的清单文件沿用 groups（统称所指的单位）。",
)
@click.option(
    "--columns",
    metavar="MAP",
    help="手工指定列：如 任务=重点工作,牵头部门=主要责任单位（其余列仍按标题识别）。",
)
@click.option(
    "--table",
    "table",
    type=click.IntRange(min=1),
    metavar="N",
    help="Word 文件有几张表格时，只导入第 N 张。",
)
@click.option("--list-tables", is_flag=True, help="列出 Word 文件中的表格，不导入。")
@click.option(
    "--first-unit-leads",
    is_flag=True,
    help="按「列第一位的为牵头单位」：责任单位中的第一个记为牵头部门（记入清单）。",
)
@click.option(
    "--year",
    type=click.IntRange(1900, 2099),
    metavar="YYYY",
    help="清单的年度（清单中没写年度时用；不给时取今年，并在摘要中说明）。",
)
def import_command(
    source: Path,
    output: Path,
    force: bool,
    dry_run: bool,
    groups_from: Path | None,
    columns: str | None,
    table: int | None,
    list_tables: bool,
    first_unit_leads: bool,
    year: int | None,
) -> None:
    """把 Word 附件、Excel/CSV 台账或导出的文本转换为 tasks.yaml（原文照录）。

    \b
    按列标题的含义找列（不计标题中的空格）：
      任务列含 任务/工作/事项/目标/实事/项目/内容/措施；含“领导”的为责任领导；
      牵头单位/主要责任单位为牵头部门；责任单位/配合单位为责任部门；
      完成时限/完成时间/时间节点为完成时限；其余各列（责任人、备注…）原样保留。
      任务列也看各格：几种反复出现的短值（A类/B类）是分类，月度计划是推进安排，都原样保留；
      摘要中每列写明角色和理由。清单中没有年度时取今年（或 --year）。
    也读段落形式的清单；自动识别 UTF-8、UTF-8 BOM、GB18030/GBK 编码。
    可导入 .txt .docx .xlsx .csv .tsv .md .json .yaml。详见 docs/import.md。

    \b
    示例：
      taskctl import 2023-task-list.txt -o data/tasks.yaml
      taskctl import 2024年任务清单.docx --force --groups-from data/tasks.yaml
      taskctl import 分解表.docx --list-tables
      taskctl import 分解表.docx --table 2 -o 民生实事.yaml
      taskctl import 台账.csv --columns 任务=重点工作,牵头部门=主要责任单位
      taskctl import 镇清单.docx --first-unit-leads
      taskctl import 2024年任务清单.docx --dry-run
      taskctl import 台账.csv --year 2024
    """
    from pathlib import Path

    from taskctl.errors import DataFileError, InputError
    from taskctl.filenames import LIST_SUFFIXES, choose_format
    from taskctl.importers import read_source
    from taskctl.importers.plan import prepare_import
    from taskctl.validate import ERROR, validate

    if list_tables:
        _list_tables(source)
        return
    if not source.exists():
        raise DataFileError(source, "文件不存在")
    choose_format(output, None, LIST_SUFFIXES, "yaml", "import")
    if output.exists() and not force:
        raise InputError(f"{output} 已存在；要覆盖请加 --force")
    # A new office starts here, in an empty folder: the default data/ is made for it (once the
    # source has been read); a folder the user named must exist.
    make_folder = not output.parent.is_dir() and output == Path("data", "tasks.yaml")
    if not output.parent.is_dir() and not make_folder:
        raise InputError(f"{output.parent} 文件夹不存在")
    result = read_source(
        source, columns=columns, table=table, first_unit_leads=first_unit_leads, year=year
    )
    plan = prepare_import(result.tasklist, source, output, groups_from)
    tasklist = plan.tasklist
    if dry_run:
        click.echo(plan.text, nl=False)
    else:
        if make_folder:
            output.parent.mkdir()
        plan.write()
    for message in result.warnings:
        click.echo(f"警告：{message}", err=True)
    if result.encoding:
        click.echo(f"编码：{result.encoding}", err=True)
    if result.summary is not None:
        for line in result.summary.lines():
            click.echo(line, err=True)
    for message in plan.notes:
        click.echo(message.replace("已备份为", "将备份为") if dry_run else message, err=True)
    counts = f"{len(tasklist.tasks)} 项任务（{len(tasklist.sections)} 个部分）→ {output}"
    if dry_run:
        click.echo(f"（试运行）将导入 {counts}，未写入任何内容；标准输出为将写入的内容", err=True)
    else:
        click.echo(f"已导入 {counts}", err=True)
    findings = validate(tasklist)
    if findings:
        errors = sum(f.severity == ERROR for f in findings)
        click.echo(
            f"检查发现 {errors} 个错误，{len(findings) - errors} 个警告；"
            f"用 taskctl validate {source if dry_run else '--file ' + str(output)} 查看",
            err=True,
        )


def _list_tables(source: Path) -> None:
    """The tables of a Word file: number, the paragraph above, the first row, rows."""
    from taskctl.errors import InputError
    from taskctl.importers.docx import list_tables
    from taskctl.output import emit

    if source.suffix.lower() != ".docx":
        raise InputError(f"{source}：--list-tables 只用于 Word（.docx）文件")
    rows = [
        {
            "number": info.number,
            "caption": info.caption,
            "headings": "/".join(info.headings),
            "rows": info.rows,
        }
        for info in list_tables(source)
    ]
    if not rows:
        click.echo("没有表格（段落形式的清单可直接导入）", err=True)
        return
    emit(
        rows,
        [
            Column("number", "表格", numeric=True),
            Column("caption", "表格上方的文字"),
            Column("headings", "第一行"),
            Column("rows", "行数", numeric=True),
        ],
    )


def _progress_parts(
    tasklist: Any, file: Path | None, progress_path: Path | None, as_of: str | None, stale_days: int
) -> tuple[list[Any], list[Any]]:
    """The 状态/进度/最近更新/灯/进展情况 columns and the log's entries, once a log exists."""
    from taskctl.export import status_columns
    from taskctl.tracking import task_states

    if not log_exists(file, progress_path):
        return [], []
    entries = read_entries(file, progress_path)
    states = task_states(tasklist, entries, as_of_date(as_of), stale_days=stale_days)
    return status_columns(states), entries


@click.command("export")
@name_filter_options
@click.option(
    "--format",
    "fmt",
    type=FormatChoice(["yaml", "csv", "xlsx", "markdown", "json"]),
    default=None,
    help="导出格式（默认按 -o 的扩展名，否则 yaml）。",
)
@output_option
@file_option
@progress_view_options
def export_command(
    leaders: tuple[str, ...],
    depts: tuple[str, ...],
    sections: tuple[str, ...],
    ids: tuple[str, ...],
    grep: tuple[str, ...],
    fmt: str | None,
    output: Path | None,
    force: bool,
    file: Path | None,
    progress_path: Path | None,
    as_of: str | None,
    stale_days: int,
) -> None:
    """导出清单或筛选后的部分为 YAML、CSV、Excel 台账、Markdown 或 JSON。

    筛选选项与 taskctl list 相同。CSV 带 BOM，可直接用 Excel 打开；Excel 台账有加粗冻结的
    表头、自动筛选和“统计”工作表，按 A4 横向排版打印（各列排在一页宽内，每页重复标题和表头）。
    有进度台账时加上 状态、进度、最近更新、灯、进展情况 各列（Excel 中灯按颜色填充，未写完成时限
    的显示年度末），Excel 另有“填报记录”工作表列出全部填报，供核查。导出的文件可用 taskctl import 读回。-o 的扩展名决定格式（.xls、.doc、.pdf
    等写不了的扩展名、与 --format 矛盾的扩展名都报错）。

    \b
    示例：
      taskctl export -o 台账.xlsx
      taskctl export --leader 于德忱 --format csv -o 于德忱.csv
      taskctl export --section 四 --format markdown
    """
    import sys

    from taskctl.errors import InputError
    from taskctl.export import export
    from taskctl.filenames import EXPORT_SUFFIXES, choose_format
    from taskctl.fsutil import atomic_write
    from taskctl.output import is_terminal
    from taskctl.query import filter_tasks

    fmt = choose_format(output, fmt, EXPORT_SUFFIXES, "yaml", "export")
    if output is not None:
        check_output(output, force, file, progress_path)
    tasklist = load_list(file)
    filtered = any((leaders, depts, sections, ids, grep))
    tasks = filter_tasks(
        tasklist,
        leaders=leaders,
        departments=depts,
        sections=sections,
        grep=grep,
        ids=set(parse_id_specs(ids)),
    )
    if filtered and not tasks:
        click.echo("没有符合条件的任务", err=True)
        return
    extra, history = _progress_parts(tasklist, file, progress_path, as_of, stale_days)
    data = export(tasklist, fmt, tasks if filtered else None, extra, history)
    if output is None:
        if fmt == "xlsx" and is_terminal(sys.stdout):
            raise InputError("xlsx 是二进制文件，不能显示在终端；请用 -o 指定文件，如 -o 台账.xlsx")
        warn_list_errors(tasklist, [t.id for t in tasks] if filtered else None)
        if is_terminal(sys.stdout):  # shown, not kept: no control character reaches the screen
            from taskctl.output import safe_text

            data = safe_text(data.decode("utf-8"), fmt).encode("utf-8")
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    warn_list_errors(tasklist, [t.id for t in tasks] if filtered else None)
    # A file handed out, not shared state: replaced atomically, with no lock file left beside it.
    atomic_write(output, data, lock=False)
    click.echo(f"已导出 {len(tasks)} 项任务 → {output}", err=True)
