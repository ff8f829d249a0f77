"""The score command: 考评, each unit's score and rank over a period (taskctl.scoring)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from taskctl.cli.options import (
    FormatChoice,
    PathType,
    check_output,
    file_option,
    ledger_option,
    load_list,
    output_option,
    read_view,
    report_period,
    warn,
)

FORMATS = ("auto", "table", "plain", "tsv", "csv", "json")
SUFFIXES = {".xlsx": "xlsx", ".csv": "csv", ".tsv": "tsv", ".json": "json", ".txt": "plain"}


def _columns(explain: bool) -> list[Any]:
    from taskctl.output import Column

    if explain:
        return [
            Column("unit", "单位"),
            Column("id", "序号", render=lambda v: "" if v is None else str(v), numeric=True),
            Column("date", "日期"),
            Column("reason", "事由"),
            Column("points", "分值", render=lambda v: f"{v:+g}", numeric=True),
        ]

    return [
        Column("rank", "名次", numeric=True),
        Column("unit", "单位"),
        Column("score", "得分", render=lambda v: f"{v:g}", numeric=True),
        Column("base", "基础分", render=lambda v: f"{v:g}", numeric=True),
        Column("late", "迟报", numeric=True),
        Column("missing", "未报", numeric=True),
        Column("behind", "滞后", numeric=True),
        Column("overdue", "超期", numeric=True),
        Column("returned", "退回", numeric=True),
        Column("closed", "销号", numeric=True),
        Column("capped", "说明", render=lambda v: f"按{v}计" if v else ""),
    ]


def _title(kind: str, first: Any, last: Any) -> str:
    """The sheet's title: 2023年第二季度考评, 2023年度考评, 2023年6月考评, or the dates."""
    if kind == "quarter":
        return f"{first.year}年第{'一二三四'[(first.month - 1) // 3]}季度考评"
    if kind == "year":
        return f"{first.year}年度考评"
    if kind == "month":
        return f"{first.year}年{first.month}月考评"
    return f"{first.isoformat()} 至 {last.isoformat()} 考评"


@click.command("score")
@click.option("--week", metavar="2023-W26", help="考评期间为这一 ISO 周。")
@click.option("--month", metavar="2023-06", help="考评期间为这一月。")
@click.option("--quarter", metavar="2023Q2", help="考评期间为这一季度。")
@click.option("--year", metavar="2023", help="考评期间为这一年。")
@click.option("--since", metavar="DATE", help="考评期间起点（YYYY-MM-DD）。")
@click.option("--until", metavar="DATE", help="考评期间终点（YYYY-MM-DD）。")
@click.option(
    "--unit",
    "units",
    multiple=True,
    metavar="NAME",
    help="只显示这个单位（可写多次）；名次仍在全部单位中排。",
)
@click.option("--explain", is_flag=True, help="逐条列出加减分：序号、日期、事由、分值。")
@click.option(
    "--rules",
    metavar="FILE",
    type=PathType(dir_okay=False),
    help="考评规则的 YAML 文件（默认：清单的「考评规则」，未写的项按默认）。",
)
@click.option(
    "--format",
    "fmt",
    type=FormatChoice(FORMATS),
    default="auto",
    show_default=True,
    help="输出格式；auto：终端里显示表格，管道里输出制表符分隔的行。",
)
@output_option
@file_option
@ledger_option
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    help="按哪一天计算状态和报送情况（默认：期间最后一天，期间未结束时为今天）。",
)
def score_command(
    week: str | None,
    month: str | None,
    quarter: str | None,
    year: str | None,
    since: str | None,
    until: str | None,
    units: tuple[str, ...],
    explain: bool,
    rules: Path | None,
    fmt: str,
    output: Path | None,
    force: bool,
    file: Path | None,
    progress_path: Path | None,
    as_of: str | None,
) -> None:
    """考评：按督查室定的规则给各单位计分、排名，每一分都可追溯到记录。

    每个单位从基础分起，按期间内的事件加减分：迟报、未报（每轮报送），本单位承担部分期末
    滞后或红灯、超过完成时限未完成，办结被退回，销号（加分）；牵头与责任单位分值可不同。
    总分不超过上限、不低于下限（用到时在“说明”中写明）。同分并列，下一名次顺延（1、2、2、4）。
    没有任务的单位不排名；填报次数不计分。规则取清单的「考评规则」或 --rules 文件，未写的项
    按默认（见 docs/scoring.md）。-o 的扩展名决定格式：.xlsx 为可打印的考评表（另有明细页），
    .csv .tsv .json .txt 同 --format。

    \b
    示例：
      taskctl score --quarter 2023Q2
      taskctl score --year 2023 -o 考评.xlsx
      taskctl score --month 2023-06 --unit 住建局 --explain
      taskctl score --quarter 2023Q2 --rules 考评规则.yaml --format json
    """
    from taskctl.errors import InputError
    from taskctl.names import normalize
    from taskctl.scoring import list_rules, read_rules, score_units, to_xlsx

    if not any((week, month, quarter, year, since, until)):
        raise InputError(
            "请用 --quarter 2023Q2、--month 2023-06、--year 2023 或 --since/--until 指明考评期间"
        )
    first, last, day, kind = report_period(as_of, week, month, quarter, year, since, until)
    written = None
    if output is not None:
        written = SUFFIXES.get(output.suffix.lower())
        if written is None:
            raise InputError(f"-o {output}：扩展名应为 {'、'.join(SUFFIXES)} 之一")
        check_output(output, force, file, progress_path)
    tasklist = load_list(file)
    chosen = read_rules(rules) if rules is not None else list_rules(tasklist)
    view = read_view(file, progress_path)
    ranking = score_units(tasklist, view.entries, first, last, as_of=day, rules=chosen, warn=warn)
    records = ranking.records()
    if units:
        from taskctl.query import resolve_department

        wanted = {normalize(resolve_department(tasklist, name)) for name in units}
        records = [r for r in records if r["unit"] in wanted]
        if not records:
            raise InputError(f"{'、'.join(sorted(wanted))} 没有承担任务，不参与考评")
    if written == "xlsx":
        from taskctl.fsutil import atomic_write

        title = _title(kind, first, last)
        atomic_write(output, to_xlsx(ranking, title), lock=False)  # type: ignore[arg-type]
        click.echo(f"已写入 {output}", err=True)
        return
    rows = records
    if explain:
        rows = [{"unit": r["unit"], **item} for r in records for item in r["items"]]
    if fmt == "json" or written == "json":
        rows = records  # the JSON rows carry their items
    from taskctl.output import emit

    if output is None:
        emit(rows, _columns(explain and fmt != "json"), fmt)
        return
    import io

    from taskctl.fsutil import atomic_write

    buffer = io.StringIO()
    emit(rows, _columns(explain and written != "json"), written or fmt, buffer)
    atomic_write(output, buffer.getvalue().encode("utf-8"), lock=False)
    click.echo(f"已写入 {output}", err=True)
