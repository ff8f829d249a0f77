"""Commands for progress: update, history, stats, report."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from taskctl.cli.options import (
    STATUS_WORDS,
    FormatChoice,
    as_of_date,
    by_option,
    check_output,
    complete_words,
    core_format,
    dir_option,
    dry_run_option,
    file_option,
    force_option,
    format_option,
    group_by_option,
    ledger_option,
    load_facts,
    load_list,
    log_named,
    log_path,
    name_filter_options,
    nothing_matches,
    output_option,
    parse_id_specs,
    progress_view_options,
    read_entries,
    read_view,
    report_period,
    tracking_filter_options,
    unit_option,
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
@by_option("填报人或填报单位。")
@click.option("--date", "date", metavar="YYYY-MM-DD", help="填报日期（默认今天）。")
@click.option(
    "--allow-date", is_flag=True, help="允许晚于今天或不在清单年度内的日期（补录、预填时用）。"
)
@click.option(
    "--evidence",
    "evidence",
    multiple=True,
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="佐证材料（可写多次）：复制到进度台账旁的 佐证材料/ 文件夹，记下文件名、大小和 sha256。",
)
@click.option(
    "--extend",
    metavar="YYYY-MM-DD",
    help="申请延期：新的完成时限（用 --note 写明理由；经 review --approve 批准后生效）。",
)
@click.option(
    "--revoke",
    metavar="编号",
    help="撤销一条填报记录（编号见 history --all；记录仍保留在台账中，标为已撤销）。",
)
@file_option
@ledger_option(log_only=True)
def update_command(
    ids: tuple[str, ...],
    status: str | None,
    percent: str | None,
    note: str,
    problem: str,
    next_step: str,
    by: str | None,
    date: str | None,
    allow_date: bool,
    evidence: tuple[str, ...],
    extend: str | None,
    revoke: str | None,
    file: Path | None,
    progress_path: Path | None,
) -> None:
    """填报一项或多项任务的进度（追加到进度台账，不改动清单）。

    每条记录一次写入，写入时加锁并落盘；任何一项不合格（序号不存在、状态不认识、
    进度超出 0–100、日期不存在或晚于今天或不在清单年度内、已完成而进度不足 100、
    进度下降而未写 --note、文件夹不可写、佐证材料不存在或读不出）则一条也不写，退出码 2。
    进度台账是文件夹时，写入 文件夹/填报人.jsonl（须写 --by）。
    单位填报的已完成是办结申请，经督查室 review --approve 销号后才算完成（清单写
    办结审核: false 的除外）；--extend 申请延期，批准后以新的完成时限计。

    \b
    示例：
      taskctl update 7 --status 序时推进 --progress 40 --note 已开工 --by 住建局
      taskctl update 12 --status 滞后 --note 主体完工 --problem 资金未到位 --next 争取专项债
      taskctl update 7,9-11 --status done --date 2023-06-30
      taskctl update 5.2 --status 序时推进 --progress 50 --by 工信局   （分项 5.2）
      taskctl update 7 --status 已完成 --evidence 验收报告.pdf --by 住建局
      taskctl update 7 --extend 2023-12-31 --note 土地报批未完成 --by 住建局
      taskctl update --revoke 2ececed98a --note 误报 --by 督查室
    """
    from taskctl.errors import InputError
    from taskctl.progress import append, check_log_target, make_entries, target_file

    if revoke is not None:
        if ids or status or percent or problem or next_step or evidence or extend:
            raise InputError(
                "--revoke 只与 --note（撤销原因）、--by 同用；请不要同时写序号、状态等"
            )
        _revoke(revoke, note, by or "", file, progress_path)
        return
    if not ids:
        raise InputError("请写要填报的序号，如 taskctl update 7 --status 序时推进")
    if extend is not None:
        if status or percent or problem or next_step:
            raise InputError(
                "--extend 申请延期只与 --note（理由）、--by、--date、--evidence 同用；进度请另行填报"
            )
        _extend(ids, extend, note, by or "", date, allow_date, file, progress_path, evidence)
        return
    if not status:
        raise InputError("请用 --status 写明状态：未启动、序时推进、滞后、已完成 之一")
    if percent is not None and ("/" in percent or "\\" in percent or percent.endswith(".jsonl")):
        from taskctl.errors import InputError

        raise InputError(
            f"update 的 --progress 是进度百分比（0–100），得到「{percent}」；指定进度台账请用 --ledger"
        )
    from taskctl.progress import argument_text
    from taskctl.subitems import require_part, split_targets
    from taskctl.units import resolve_reporter

    path = log_path(file, progress_path)
    facts = load_facts(file)  # 年度, 序号 and units: a city's list need not be loaded for them
    plain, parts = split_targets(ids)  # 5.2: a 分项
    wanted: list[Any] = [*parse_id_specs(plain), *parts]
    for task_id, part in parts:
        require_part(facts, task_id, part)
    by = resolve_reporter(argument_text(by or "", "--by 填报人"), wanted, facts)
    entries = make_entries(
        facts,
        wanted,
        status,
        progress=percent,
        note=note,
        by=by,
        date=date,
        problem=problem,
        next_step=next_step,
        # with a note, a lower 进度 is explained: the log need not be read at all
        previous=_previous(path, wanted, None if note else percent, by),
        allow_date=allow_date,
    )
    explicit = log_named(progress_path)
    from pathlib import Path

    default_folder = Path.cwd() / "data"
    existed = check_log_target(target_file(path, entries[0].by))
    if evidence:
        entries = _with_evidence(path, entries, evidence)
    target = append(path, entries, create_folder=not explicit and path.parent == default_folder)
    try:
        target = target.relative_to(Path.cwd())
    except ValueError:
        pass
    if not existed:
        click.echo(f"新建进度台账 {target}", err=True)
    listed = "、".join(e.target for e in entries)
    click.echo(
        f"已填报 序号 {listed}：{entries[0].status}（{entries[0].date.isoformat()}）→ {target}",
        err=True,
    )


def _with_evidence(path: Path, entries: list[Any], files: tuple[str, ...]) -> list[Any]:
    """The entries with their 佐证材料 copied beside the ledger (all files read first: one
    that cannot be read refuses the update before anything is written)."""
    from dataclasses import replace

    from taskctl.review import read_evidence, store_evidence

    read = read_evidence(files)
    return [
        replace(entry, evidence=store_evidence(path, read, entry.id, entry.by)) for entry in entries
    ]


def _extend(
    ids: tuple[str, ...],
    extend: str,
    note: str,
    by: str,
    date: str | None,
    allow_date: bool,
    file: Path | None,
    progress_path: Path | None,
    evidence: tuple[str, ...],
) -> None:
    """A 延期 request: one record per task with the new 完成时限, reviewed later."""
    from taskctl.errors import InputError
    from taskctl.progress import Entry, append, check_entries, parse_date
    from taskctl.progress.entry import now
    from taskctl.units import resolve_reporter

    if not note.strip():
        raise InputError("申请延期须用 --note 写明理由")
    new_deadline = parse_date(extend, "--extend 新的完成时限")
    path = log_path(file, progress_path)
    facts = load_facts(file)
    wanted = parse_id_specs(ids)
    for task_id in wanted:
        facts.require(task_id)
    by = resolve_reporter(by, wanted, facts)
    moment = now()
    day = parse_date(date) if date else moment.date()
    entries = [
        Entry(task_id, day, "", note=note.strip(), by=by, recorded_at=moment,
              extend=new_deadline.isoformat())
        for task_id in wanted
    ]  # fmt: skip
    problems = check_entries(facts, entries, today=moment.date(), allow_date=allow_date)
    if problems:
        raise InputError("；".join(problems[:3]))
    if evidence:
        entries = _with_evidence(path, entries, evidence)
    target = _shown(append(path, entries, create_folder=False))
    listed = "、".join(str(e.id) for e in entries)
    click.echo(
        f"已申请延期 序号 {listed}：完成时限改为 {new_deadline.isoformat()}，待督查室审核 → {target}",
        err=True,
    )


def _shown(path: Path) -> Path:
    """A written file as ``update`` names it: relative to the current folder when inside it."""
    from pathlib import Path

    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


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


def _previous(path: Path, ids: list[Any], percent: str | None, by: str) -> list[Any]:
    """What the log says about these tasks, for the 进度 check of the unit ``by`` (not the whole
    log: ``update`` must stay as fast with a long log as with an empty one)."""
    if percent is None:
        return []
    from taskctl.progress import entries_about

    return entries_about(path, ids, by=by)


HISTORY_COLUMNS = [
    Column("date", "日期"),
    Column("part", "分项"),
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
@ledger_option
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
            record = _history_record(entry, fmt)
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
    records = [_history_record(e, fmt) for e in entries]
    emit(records, _present(records, HISTORY_COLUMNS), fmt, title=f"序号 {task.id} 填报记录")


def _history_record(entry: Any, fmt: str) -> dict[str, Any]:
    """An entry as ``history`` lists it: a review event's 状态 says what it was (in JSON its
    ``review`` and ``extend`` do, and ``status`` stays empty)."""
    record = entry.to_record()
    if entry.is_event and fmt != "json":
        from taskctl.review import describe

        record["status"] = describe(entry)
    return record


OPTIONAL_COLUMNS = ("part", "problem", "next_step")


def _present(records: list[dict[str, Any]], columns: list[Column]) -> list[Column]:
    """分项, 存在问题 and 下一步措施 only when an entry has them (older logs have none)."""
    return [
        c for c in columns if c.key not in OPTIONAL_COLUMNS or any(r.get(c.key) for r in records)
    ]


def _submissions(
    tasklist: Any, view: Any, week: str | None, month: str | None, log: Path, as_of: Any = None
) -> tuple[Any, list[dict[str, Any]], list[Any]]:
    """(period, 已报, 未报) when replies to a collection round of this week or month are in
    the log (or files of it were sent back), the files sent back by units that have not
    reported since, and each unit's reply status (按时/迟报/未报) as of ``as_of``."""
    if not (week or month):
        return None, [], []
    from taskctl.collect import refusals
    from taskctl.period import parse_period

    period = parse_period(week=week) if week else parse_period(month=month)
    sent_back = refusals(log, period.label)
    replies = view.replies(period.label)  # the log's entries are merged: none revoked
    if not sent_back and not replies:
        return None, [], []
    from taskctl.collect import reply_statuses, submissions

    reported, owed = submissions(tasklist, replies, period)
    refused = [
        {"file": r.get("文件", ""), "unit": r.get("单位", ""), "problems": list(r.get("问题", []))}
        for r in sent_back
        if r.get("单位") not in reported
    ]
    statuses = reply_statuses(tasklist, replies, period, as_of=as_of or period.end, warn=warn)
    return (period.label, reported, owed), refused, statuses


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
@group_by_option
@name_filter_options
@tracking_filter_options
@format_option
@file_option
@progress_view_options
@with_light_rule
def stats_command(
    group_by: str,
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
    """按组统计各状态、各灯的任务数、完成率和超期数，最弱的组排在最前（排名）。

    排序：红灯占比高的在前，其次完成率低的在前，再次黄灯占比高的在前。
    一项任务有两位责任领导（或两个牵头部门）时在两组各计一次，合计行只计一次。
    筛选选项与 taskctl list 相同，只统计符合条件的任务。

    \b
    示例：
      taskctl stats --group-by leader --as-of 2023-06-30
      taskctl stats --group-by dept --format csv
      taskctl stats --section 三 --light 红 --as-of 2023-06-30
    """
    from taskctl.output import choose_format, emit
    from taskctl.query import filter_tasks
    from taskctl.tracking import filter_states, group_stats, task_states

    tasklist = load_list(file)
    tasks = None
    if any((leaders, depts, sections, ids, grep)):
        tasks = filter_tasks(
            tasklist,
            leaders=leaders,
            departments=depts,
            sections=sections,
            grep=grep,
            ids=set(parse_id_specs(ids)),
        )
    day = as_of_date(as_of)
    view = read_view(file, progress_path)
    states = task_states(tasklist, view, day, stale_days=stale_days, tasks=tasks)
    states = [s for s in filter_states(states, statuses, lights) if s.stale or not stale]
    if not states:
        nothing_matches()
        return
    rows, total = group_stats(states, group_by, tasklist)
    records = [row.to_record() for row in [*rows, total]]
    with_bar = choose_format(fmt, sys.stdout) == "table"
    if with_bar:
        glyphs = bar_glyphs(sys.stdout)
        for record in records:
            record["bar"] = light_bar(record, glyphs)
    emit(records, stats_columns(group_by, with_bar), fmt)


@click.command("report")
@click.option("--week", metavar="2023-W23", help="周报：这一 ISO 周（周一至周日）。")
@click.option("--month", metavar="2023-06", help="月报：这个月。")
@click.option("--quarter", metavar="2023Q2", help="季度通报：这个季度。")
@click.option("--year", metavar="2023", help="年度总结：这一年，另按牵头部门、责任领导排名。")
@click.option(
    "--since", metavar="DATE", help="统计区间起点（YYYY-MM-DD）；期号按区间最后一天所在的周计。"
)
@click.option("--until", metavar="DATE", help="统计区间终点（YYYY-MM-DD）。")
@name_filter_options
@tracking_filter_options
@click.option(
    "--format",
    "fmt",
    type=FormatChoice(["markdown", "plain", "json", "html", "docx"]),
    default=None,
    help="默认按 -o 的扩展名（.md .txt .json .html .docx），否则 markdown；markdown 可直接贴入"
    "简报，plain 为对齐的文字，html 为独立网页，docx 为按公文格式（GB/T 9704）排版的 Word 通报。",
)
@click.option("--brief", is_flag=True, help="专报：给领导的一页（总体情况的数字和红灯任务）。")
@click.option(
    "--issue",
    type=click.IntRange(min=1),
    metavar="N",
    help="期号（第N期）；默认按年度和周期计：第k周的周报为第k期，第m月的月报为第m期。",
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
    leaders: tuple[str, ...],
    depts: tuple[str, ...],
    sections: tuple[str, ...],
    ids: tuple[str, ...],
    grep: tuple[str, ...],
    statuses: tuple[str, ...],
    lights: tuple[str, ...],
    stale: bool,
    fmt: str | None,
    brief: bool,
    issue: int | None,
    output: Path | None,
    force: bool,
    file: Path | None,
    progress_path: Path | None,
    as_of: str | None,
    stale_days: int,
) -> None:
    """生成督查通报（周报、月报、季度通报、年度总结），或给领导的一页专报。

    通报：刊头与期号、主送，总体情况、进展较好、存在问题、下步要求，落款与成文日期，附件为
    滞后任务清单和报送情况。--brief 为专报：总体情况的数字和红灯任务，一页。

    统计区间默认为截至 --as-of（默认今天）的 7 天；给了 --week、--month、--quarter、--year
    或 --until 而没有 --as-of 时，按区间最后一天计算（周期尚未结束的按今天）。-o 的扩展名决定格式（.xls、.doc、.pdf
    等写不了的扩展名、与 --format 矛盾的扩展名都报错）。筛选选项与 taskctl list 相同（--dept
    含通过统称承担的任务），通报只含符合条件的任务。

    \b
    示例：
      taskctl report --week 2023-W26
      taskctl report --month 2023-06 -o 6月通报.docx
      taskctl report --year 2023 --format plain
      taskctl report --since 2023-06-01 --until 2023-06-30 --leader 于德忱
      taskctl report --week 2023-W26 --section 三 --dept 住建局
      taskctl report --week 2023-W26 -o 周报.html
      taskctl report --week 2023-W26 --brief -o 专报.docx
    """
    from taskctl.errors import InputError
    from taskctl.filenames import REPORT_SUFFIXES, choose_format
    from taskctl.output import is_terminal
    from taskctl.report import build_report, render

    suffixes = {suffix: name.replace("text", "plain") for suffix, name in REPORT_SUFFIXES.items()}
    fmt = choose_format(output, fmt, suffixes, "markdown", "report")
    if fmt == "docx" and output is None and is_terminal(sys.stdout):
        raise InputError("docx 是二进制文件，不能显示在终端；请用 -o 指定文件，如 -o 周报.docx")
    if output is not None:
        check_output(output, force, file, progress_path)
    first, last, day, kind = report_period(as_of, week, month, quarter, year, since, until)
    tasklist = load_list(file)
    log = read_view(file, progress_path)
    tasks, scope = _report_scope(
        tasklist, log, day, stale_days, leaders, depts, sections, ids, grep, statuses, lights, stale
    )
    if tasks == []:
        nothing_matches()
        return
    # a reply counts as received by the report date: --as-of, else today (a late reply to a
    # week now past is 迟报, not 未报)
    from taskctl.progress.entry import now

    replied_by = day if as_of is not None else now().date()
    held, refused, reply_statuses = _submissions(
        tasklist, log, week, month, log_path(file, progress_path), replied_by
    )
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
        reply_status=reply_statuses,
        detail=fmt == "json",
        issue=issue,
    )
    warn_list_errors(tasklist, None if tasks is None else [t.id for t in tasks])
    if fmt == "docx":
        from taskctl.report_docx import render_docx

        data = render_docx(report, brief)
    else:
        from taskctl.output import safe_text

        data = safe_text(render(report, core_format(fmt), brief), core_format(fmt)).encode("utf-8")
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    from taskctl.fsutil import atomic_write

    atomic_write(output, data, lock=False)
    click.echo(f"已写入 {output}", err=True)


def _report_scope(
    tasklist: Any,
    log: Any,
    day: Any,
    stale_days: int,
    leaders: tuple[str, ...],
    depts: tuple[str, ...],
    sections: tuple[str, ...],
    ids: tuple[str, ...],
    grep: tuple[str, ...],
    statuses: tuple[str, ...],
    lights: tuple[str, ...],
    stale: bool,
) -> tuple[list[Any] | None, str]:
    """The tasks a report covers (``None``: all) and the words saying which. The filters are
    list's, except that ``--dept`` takes in the tasks a unit holds through a group."""
    if not any((leaders, depts, sections, ids, grep, statuses, lights, stale)):
        return None, "全部任务"
    from taskctl.query import (
        department_tasks,
        filter_tasks,
        resolve_department,
        resolve_leader,
        resolve_sections,
    )
    from taskctl.tracking import filter_states, task_states

    tasks = filter_tasks(
        tasklist, leaders=leaders, sections=sections, grep=grep, ids=set(parse_id_specs(ids))
    )
    words = []
    if leaders:
        words.append("责任领导 " + "、".join(resolve_leader(tasklist, n) for n in leaders))
    if depts:
        names = [resolve_department(tasklist, n) for n in depts]
        held = {row.task.id for name in names for row in department_tasks(tasklist, name)}
        tasks = [task for task in tasks if task.id in held]
        words.append("部门 " + "、".join(names))
    if sections:
        numerals = [s.numeral for n in sections for s in resolve_sections(tasklist, n)]
        words.append("部分 " + "、".join(dict.fromkeys(numerals)))
    if ids:
        words.append("序号 " + ",".join(ids))
    if grep:
        words.append("含 " + "、".join(grep))
    if statuses or lights or stale:
        states = task_states(tasklist, log, day, stale_days=stale_days, tasks=tasks)
        kept = {s.task.id for s in filter_states(states, statuses, lights) if s.stale or not stale}
        tasks = [task for task in tasks if task.id in kept]
        words += [f"状态 {'、'.join(statuses)}"] * bool(statuses)
        words += [f"灯 {'、'.join(lights)}"] * bool(lights)
        words += ["久未填报"] * stale
    return tasks, "，".join(words)


@click.command("remind")
@dir_option("把各单位的催办通知写入这个文件夹（没有则新建）；不给时只列出要催办的单位。")
@click.option(
    "--format",
    "fmt",
    type=FormatChoice(["docx", "markdown", "plain"]),
    default="docx",
    show_default=True,
    help="通知的格式：docx 为按公文格式排版的 Word 文件，markdown、plain 为文字。",
)
@unit_option("只给这个牵头部门写通知（可写多次，可写拼音）。")
@click.option(
    "--reply-days",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="回复期限：统计日后第几天。",
)
@force_option("覆盖文件夹中已有的同名通知。")
@dry_run_option("只列出将写入的文件，不写入。")
@file_option
@progress_view_options
@with_light_rule
def remind_command(
    folder: Path | None,
    fmt: str,
    units: tuple[str, ...],
    reply_days: int,
    force: bool,
    dry_run: bool,
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
      taskctl remind --as-of 2023-07-02 --dir 催办/
      taskctl remind --unit 工信局 --format markdown --dir 催办/
      taskctl remind --as-of 2023-07-02 --dir 催办/ --dry-run
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
    if units:
        names = {resolve_department(tasklist, unit) for unit in units}
        found = [n for n in found if n.unit in names]
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
    if folder is None:
        for notice in found:
            click.echo(f"{notice.unit}\t{len(notice.items)}")
        click.echo("用 --dir 文件夹 写出各单位的催办通知", err=True)
        return
    if not folder.parent.is_dir():
        raise InputError(f"{folder.parent} 文件夹不存在")
    fmt = core_format(fmt)
    targets = [folder / file_name(n.unit, fmt) for n in found]
    check_distinct([(n.unit, t) for n, t in zip(found, targets, strict=True)])
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise InputError(f"{existing[0]} 已存在（共 {len(existing)} 个）；加 --force 覆盖")
    if dry_run:
        for notice, target in zip(found, targets, strict=True):
            click.echo(f"{notice.unit}\t{len(notice.items)}\t{target}")
        click.echo(f"（试运行）将写入 {len(found)} 份催办通知 → {folder}，未写入任何内容", err=True)
        return
    folder.mkdir(exist_ok=True)
    from taskctl.fsutil import atomic_write

    for notice, target in zip(found, targets, strict=True):
        atomic_write(target, render(notice, fmt), lock=False)
        click.echo(f"{notice.unit}\t{len(notice.items)}\t{target}")
    click.echo(f"已写入 {len(found)} 份催办通知 → {folder}", err=True)


@click.command("review")
@click.argument("task_id", metavar="序号", type=int)
@click.option("--approve", is_flag=True, help="销号：批准办结（或批准延期申请）。")
@click.option("--return", "returned", metavar="REASON", help="退回：写明原因，办结申请不予通过。")
@click.option("--reopen", metavar="REASON", help="回访：已销号的任务重新打开，写明原因。")
@unit_option("审核哪个单位的申请（几个单位都有待审核的申请时须写）。")
@click.option("--date", "date", metavar="YYYY-MM-DD", help="审核日期（默认今天）。")
@by_option("审核人（默认 督查室）。")
@file_option
@ledger_option(log_only=True)
def review_command(
    task_id: int,
    approve: bool,
    returned: str | None,
    reopen: str | None,
    units: tuple[str, ...],
    date: str | None,
    by: str | None,
    file: Path | None,
    progress_path: Path | None,
) -> None:
    """督查室审核办结与延期申请：销号（--approve）、退回（--return）或回访（--reopen）。

    单位填报的已完成是办结申请（待审核），--approve 销号后才计为已完成，--return 退回后
    恢复到申请前的状态并注明原因；--reopen 把已销号的任务重新打开。延期申请（update
    --extend）同样用 --approve 批准、--return 不予批准。每次审核追加一条记录，history 可查。
    没有待审核的申请时退出码 2，不写入任何内容。

    \b
    示例：
      taskctl review 7 --approve --by 督查室
      taskctl review 7 --return "佐证材料不足，缺竣工验收报告" --unit 住建局
      taskctl review 7 --reopen "回访发现问题反弹" --date 2023-12-20
    """
    from taskctl.errors import InputError
    from taskctl.progress import append, parse_date
    from taskctl.progress.entry import now
    from taskctl.review import (
        APPROVE,
        DENY,
        GRANT,
        REOPEN,
        RETURN,
        choose,
        closed,
        pending,
        review_entry,
    )
    from taskctl.tracking import task_states
    from taskctl.units import OFFICE

    chosen = [name for name, given in (("--approve", approve), ("--return", returned),
                                      ("--reopen", reopen)) if given]  # fmt: skip
    if len(chosen) != 1:
        raise InputError("请写 --approve、--return 原因、--reopen 原因 三者之一")
    if len(units) > 1:
        raise InputError("--unit 一次只写一个单位")
    tasklist = load_list(file)
    task = tasklist.task(task_id)
    moment = now()
    day = parse_date(date, "--date 审核日期") if date else moment.date()
    if day > moment.date():
        raise InputError(f"审核日期 {day.isoformat()} 晚于今天（{moment.date().isoformat()}）")
    log = read_entries(file, progress_path)
    (state,) = task_states(tasklist, log, day, tasks=[task])
    review = state.review
    unit = units[0] if units else None
    if review is None:
        from taskctl.review import TaskReview

        review = TaskReview(state.reports)
    if reopen is not None:
        target = choose(closed(review, state.reports, state.units.all if state.units else ()),
                        unit, "已销号（已完成）的部分", task.id)  # fmt: skip
        kind, reason = REOPEN, reopen
    else:
        unit_of = {u: u for u in (state.units.all if state.units else ())}
        target = choose(pending(review, unit_of), unit, "待审核的申请", task.id)
        if target.request.extend:
            kind = GRANT if approve else DENY
        else:
            kind = APPROVE if approve else RETURN
        reason = returned or ""
    entry = review_entry(
        target, kind, reason=reason, by=(by or OFFICE).strip(), date=day, recorded_at=moment
    )
    written = _shown(append(log_path(file, progress_path), [entry]))
    what = "延期申请" if target.request.extend else "办结"
    because = f"：{entry.note}" if entry.note else ""
    click.echo(
        f"已{kind} 序号 {task.id} {target.unit} 的{what}（{target.request.date.isoformat()} "
        f"申请）{because} → {written}",
        err=True,
    )
