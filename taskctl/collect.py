"""Replies back into the progress log (回收): read filled forms, check every row, append.

A reply is a workbook written by :mod:`taskctl.forms` (identified by its hidden sheet or its
document properties, whatever program saved it last), or any table (.xlsx or .csv) with 序号 and
状态 columns whose unit is given. Every row of every file is checked before anything is written;
a file with any bad row is refused whole, and the others still go in. A reply already in the
log (same unit, period and content) is not written again; a different later reply of the same
unit for the same period supersedes the earlier one (see docs/formats.md, 进度台账).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from taskctl.errors import DataFileError, InputError, TaskctlError
from taskctl.forms import FILL_HEADINGS, FORM_SHEET, META_SHEET, is_blanket, units
from taskctl.model import TaskList
from taskctl.period import Period, period_from_label
from taskctl.progress import STATUSES, Entry, check_entries, effective, parse_status

SUFFIXES = (".xlsx", ".xlsm", ".csv")
# Heading → field, first match wins; 上期… columns of a form are reference, never read.
COLUMNS = {
    "id": ("序号",),
    "status": ("本期状态", "状态", "完成状态", "进展状态"),
    "progress": ("本期进度", "进度", "完成进度", "进度（%）", "进度(%)", "完成比例"),
    "note": ("进展情况", "工作进展", "完成情况", "进展"),
    "problem": ("存在问题", "问题"),
    "next_step": ("下一步措施", "下一步计划", "下一步工作"),
    "evidence": ("佐证材料", "佐证材料名称", "附件"),
}
FILL_FIELDS = ("status", "progress", "note", "problem", "next_step")
STATUS_CHOICES = "、".join(STATUSES)


@dataclass
class Reply:
    """One file read back: who, which period, the entries it gives, or why it is refused."""

    path: Path
    unit: str = ""
    period: Period | None = None
    form_id: str = ""
    tasks: int = 0  # rows (tasks) in the file
    entries: list[Entry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    bad_rows: int = 0
    reply_id: str = ""
    duplicate: bool = False  # the same reply is already in the log (or earlier in this batch)
    contact: str = ""
    carried: list[str] = field(default_factory=list)  # rows kept from the unit's earlier reply
    ours: bool = False  # a file taskctl wrote that is not a form (an exported 台账)
    # 佐证材料 named in the reply and found beside it: name → file (copied when written)
    files: dict[str, Path] = field(default_factory=dict)

    @property
    def refused(self) -> bool:
        return bool(self.problems)

    @property
    def outcome(self) -> str:
        if self.refused:
            return "退回"
        if self.duplicate:
            return "已收录过，未重复写入"
        if not self.entries:
            return "未填写任何行"
        return "收录"


@dataclass
class Collection:
    """The result of one collect run; nothing is written until :func:`write` is called."""

    period: Period
    replies: list[Reply]
    owed: list[str]  # 未报送: units holding tasks that have not replied for this period
    reported: list[str]
    skipped: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> list[Reply]:
        return [r for r in self.replies if not r.refused and not r.duplicate and r.entries]

    @property
    def refused(self) -> list[Reply]:
        return [r for r in self.replies if r.refused]

    def to_records(self) -> list[dict[str, Any]]:
        """One row per file with stable English keys (the summary table / --format json)."""
        return [
            {
                "file": r.path.name,
                "unit": r.unit,
                "period": r.period.label if r.period else "",
                "tasks": r.tasks,
                "filled": len(r.entries),
                "refused_rows": r.bad_rows,
                "outcome": r.outcome,
                "problems": list(r.problems),
            }
            for r in self.replies
        ]


def reply_files(paths: Sequence[Path]) -> tuple[list[Path], list[str]]:
    """The reply files among ``paths`` (folders read one level deep) and what was skipped."""
    files: list[Path] = []
    skipped: list[str] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.iterdir()):
                if child.name.startswith(("~$", ".")) or not child.is_file():
                    continue
                if child.suffix.lower() in SUFFIXES:
                    files.append(child)
                else:
                    skipped.append(f"{child}：不是 .xlsx 或 .csv 表格，已跳过")
        elif path.is_file():
            files.append(path)
        else:
            raise DataFileError(path, "不存在；请写回收文件夹或回复文件的路径")
    if not files:
        raise InputError("没有找到回复文件（.xlsx 或 .csv）；请检查回收文件夹")
    return list(dict.fromkeys(files)), skipped


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()[:10]
    return str(value).strip()


MAX_REPLY_BYTES = 16 << 20  # a reply read whole: a unit's form is tens of KB
MAX_REPLY_CELLS = 200_000  # cells of a reply's sheets, or fields of a CSV
MAX_COLUMNS = 64  # columns read of a row: a form has 12, a unit's own table a few more

Rows = list[tuple[int, list[Any]]]  # (row number in the sheet, cell values) of rows with a value


def _read_table(path: Path, name: str) -> tuple[Rows, dict[str, str], str]:
    """(rows holding a value, identity of a taskctl form or {}, 填报人/联系电话 text).

    Bounded by what the file holds (a reply is read whole, at most :data:`MAX_REPLY_BYTES`;
    only cells that exist are visited; the package is checked before openpyxl sees it, as
    ``import`` checks it). A number Excel shows as a percentage (``100%`` typed is stored as
    1) is read as the percentage shown."""
    from taskctl.fsutil import read_regular

    try:
        raw = read_regular(path, MAX_REPLY_BYTES)
    except DataFileError as exc:
        raise DataFileError(name, _reason(exc)) from None
    if path.suffix.lower() == ".csv":
        import csv
        import io

        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - gb18030 decodes any bytes
            raise DataFileError(name, "无法识别的编码；请另存为 UTF-8 的 CSV 或 .xlsx")
        if text.count(",") + text.count("\n") > MAX_REPLY_CELLS:
            raise DataFileError(name, "单元格过多，不像一份填报表；请检查文件")
        try:
            rows = [
                (number, row[:MAX_COLUMNS])
                for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), 1)
                if any(row)
            ]
        except csv.Error as exc:
            raise DataFileError(name, f"不是可读的 CSV 表格（{exc}）；请另存为 .xlsx") from None
        return rows, {}, ""

    import io
    import warnings

    import openpyxl

    from taskctl.importers.xlsx import _DAMAGED, _inspect

    try:
        uncached = _inspect(raw, path, MAX_REPLY_CELLS)
    except DataFileError as exc:
        message = _reason(exc).replace("台账", "填报表")
        if message == _DAMAGED:
            message = "无法作为 .xlsx 打开（BadZipFile）；请用 Excel/WPS 另存为 .xlsx"
        raise DataFileError(name, message) from None
    if uncached:
        shown = "、".join(uncached[:10]) + ("…" if len(uncached) > 10 else "")
        raise DataFileError(
            name,
            f"单元格 {shown} 是没有计算结果的公式，读不出所填的值；"
            "请在 Excel/WPS 中打开、保存后再报送",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "extension not supported" and the like
            book = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    except MemoryError:
        raise DataFileError(name, "文件过大，无法读取") from None
    except Exception as exc:  # whatever a damaged file makes openpyxl raise: refuse the file
        raise DataFileError(
            name, f"无法作为 .xlsx 打开（{type(exc).__name__}）；请用 Excel/WPS 另存为 .xlsx"
        ) from None
    meta: dict[str, str] = {}
    if META_SHEET in book.sheetnames:
        for key, value, *_ in book[META_SHEET].iter_rows(values_only=True, max_col=2, max_row=64):
            if key:
                meta[str(key)] = _cell_text(value)
    if "表单编号" not in meta:
        for prop in getattr(book, "custom_doc_props", []) or []:
            prop_name = str(getattr(prop, "name", ""))
            if prop_name.startswith("taskctl."):
                value = _cell_text(getattr(prop, "value", ""))
                # a property cannot be empty: forms writes an empty value as -
                meta[prop_name.removeprefix("taskctl.")] = "" if value == "-" else value
    if FORM_SHEET in book.sheetnames:
        sheet = book[FORM_SHEET]
    else:
        visible = [s for s in book.worksheets if s.sheet_state == "visible"]
        sheet = visible[0] if visible else book.worksheets[0]
    rows = _sheet_rows(sheet)
    contact = ""
    if meta:
        from taskctl.forms import CONTACT_CELLS

        parts = [
            f"{label} {_cell_text(sheet[ref].value)}"
            for label, ref in CONTACT_CELLS.items()
            if _cell_text(sheet[ref].value)
        ]
        contact = "，".join(parts)
    return rows, meta, contact


def _reason(exc: TaskctlError) -> str:
    """What is wrong with the file, without the file's name (which may hold a ： itself)."""
    if isinstance(exc, DataFileError):
        return exc.reason
    return exc.message  # names no file


def _sheet_rows(sheet: Any) -> Rows:
    """The rows of ``sheet`` that hold a value, from the cells the file holds (a lone cell at
    XFD1048576 is one cell, not a grid), the first :data:`MAX_COLUMNS` columns."""
    held: dict[int, dict[int, Any]] = {}
    for (r, c), item in getattr(sheet, "_cells", {}).items():
        value = item.value
        if value is None or c > MAX_COLUMNS:
            continue
        if (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and "%" in str(item.number_format or "")
        ):
            value = _percent_text(value)
        held.setdefault(r, {})[c] = value
    return [
        (r, [cells.get(c) for c in range(1, max(cells) + 1)]) for r, cells in sorted(held.items())
    ]


def _percent_text(value: float) -> str:
    """A number formatted as a percentage, as Excel shows it: 1 → 100%, 0.355 → 35.5%."""
    shown = round(value * 100, 9)
    return f"{int(shown)}%" if float(shown).is_integer() else f"{shown}%"


def _heading(value: Any) -> str:
    return re.sub(r"\s+", "", _cell_text(value))


def _find_columns(rows: Rows) -> tuple[int, dict[str, int]] | None:
    """(header row index, field → column index) of the first row naming 序号 and 状态."""
    for index, (_, row) in enumerate(rows[:30]):
        headings = [_heading(v) for v in row]
        found: dict[str, int] = {}
        for name, choices in COLUMNS.items():
            for choice in choices:
                if choice in headings:
                    found[name] = headings.index(choice)
                    break
        if "id" in found and "status" in found:
            return index, found
    return None


def _exported(rows: Rows, tasklist: TaskList) -> bool:
    """Whether a table is the list as ``export`` writes it (the office's own 台账, left in the
    reply folder): a heading row that begins with the export's own headings."""
    from taskctl.export import table

    headings = [_heading(h) for h in table(tasklist)[0][:5]]
    return any([_heading(v) for v in row[: len(headings)]] == headings for _, row in rows[:30])


def _reply_id(unit: str, period: Period, form_id: str, content: list[tuple[Any, ...]]) -> str:
    data = json.dumps([unit, period.label, form_id, content], ensure_ascii=False)
    return hashlib.sha1(data.encode("utf-8")).hexdigest()[:10]


def read_reply(
    path: Path,
    tasklist: TaskList,
    *,
    period: Period | None = None,
    by: str | None = None,
    previous: Sequence[Entry] = (),
    today: _dt.date,
    recorded_at: _dt.datetime,
    shown: str | None = None,
    received: _dt.date | None = None,
) -> Reply:
    """Read and check one reply; the problems found are in ``Reply.problems`` (one line each,
    naming file, row, what is wrong and what would be right)."""
    from taskctl.query import department_tasks, resolve_department

    name = shown or str(path)
    reply = Reply(path)

    bad_rows: set[int | None] = set()

    def problem(message: str, row: int | None = None) -> None:
        where = name if row is None else f"{name} 第 {row} 行"
        reply.problems.append(f"{where}：{message}")
        bad_rows.add(row)

    try:
        rows, meta, contact = _read_table(path, name)
    except TaskctlError as exc:
        reply.problems.append(exc.message)
        return reply
    reply.contact = contact
    if not meta and _exported(rows, tasklist):
        reply.ours = True
        return reply
    if meta:
        reply.form_id = meta.get("表单编号", "")
        title, year = meta.get("清单", ""), meta.get("年度", "")
        if title != tasklist.title or year != str(tasklist.year or ""):
            problem(
                f"这是「{title}」（{year or '未写年度'}）的填报表，不是本清单"
                f"「{tasklist.title}」（{tasklist.year or '未写年度'}）的；请核对是否发错了文件"
            )
            return reply
        try:
            form_period = period_from_label(meta.get("期间", ""))
        except InputError as exc:
            problem(f"填报表的期间无法识别（{exc.message}）")
            return reply
        if period is not None and form_period.label != period.label:
            problem(
                f"这是 {form_period.label} 的填报表，本次回收的是 {period.label}；"
                "请让该单位填写本期的表，或按该期另行回收"
            )
            return reply
        period = form_period
        unit = meta.get("单位", "")
        if by and by != unit:
            problem(f"这是 {unit} 的填报表，与 --by {by} 不符")
            return reply
    else:
        if not by:
            problem(
                "不是 taskctl 生成的填报表：请用 --by 写明填报单位（表中须有 序号 和 状态 两列）"
            )
            return reply
        if period is None:
            problem("不是 taskctl 生成的填报表：请用 --week/--month/--since 写明填报期间")
            return reply
        try:
            unit = resolve_department(tasklist, by)
        except TaskctlError as exc:
            problem(exc.message)
            return reply
    reply.unit, reply.period = unit, period
    located = _find_columns(rows)
    if located is None:
        problem("找不到表头：表中须有「序号」和「状态」（或「本期状态」）两列")
        return reply
    header, columns = located
    held = {h.task.id for h in department_tasks(tasklist, unit, "all")}
    if not held:
        problem(f"{unit} 在本清单中没有任务；请核对单位名称")
        return reply
    held_text = "、".join(str(i) for i in sorted(held)[:12]) + ("…" if len(held) > 12 else "")
    known = {task.id for task in tasklist.tasks}
    date = min(period.end, today)
    if tasklist.year and period.start.year <= tasklist.year < date.year:
        # the list year's last ISO week (2025-W01 for a 2024 list) ends in the next year
        date = _dt.date(tasklist.year, 12, 31)
    # the unit's earlier reply for this period is what this one replaces, not what it follows
    label = period.label
    earlier = [e for e in previous if e.reply and e.period == label and e.by == unit]
    previous = [e for e in previous if not (e.reply and e.period == label and e.by == unit)]
    candidates: list[tuple[int, Entry]] = []
    content: list[tuple[Any, ...]] = []
    seen: dict[tuple[int, int], int] = {}
    for number, row in rows[header + 1 :]:
        values = {f: _cell_text(row[c]) if c < len(row) else "" for f, c in columns.items()}
        if not any(values.values()):
            continue
        if values["id"]:
            reply.tasks += 1
        filled = [f for f in FILL_FIELDS if values.get(f)]
        if not filled:
            continue  # 未报: a blank row is not an update
        before = len(reply.problems)
        task_id: int | None = None
        part = 0
        written = re.fullmatch(r"(\d+)(?:[.．](\d+))?", values["id"])
        if not values["id"]:
            problem("填写了内容但没有序号；请补上该任务的序号", number)
        elif not written:
            problem(f"序号「{values['id']}」应为整数（分项写 5.2）", number)
        else:
            task_id, part = int(written[1]), int(written[2] or 0)
            shown = values["id"].replace("．", ".")
            if task_id not in known:
                problem(f"序号 {task_id} 不在本清单中", number)
                task_id = None
            elif task_id not in held:
                problem(f"序号 {task_id} 不是 {unit} 的任务（{unit} 的任务为 {held_text}）", number)
                task_id = None
            elif part and (bad := _not_its_part(tasklist, task_id, part, unit)):
                problem(bad, number)
                task_id = None
            elif (task_id, part) in seen:
                problem(
                    f"序号 {shown} 在第 {seen[task_id, part]} 行已填过；每项任务只填一行", number
                )
            else:
                seen[task_id, part] = number
        status = ""
        heading = "本期状态" if meta else "状态"
        if not values["status"]:
            problem(f"{heading} 未填：应为 {STATUS_CHOICES} 之一", number)
        else:
            try:
                status = parse_status(values["status"])
            except InputError:
                problem(
                    f"{heading}「{values['status']}」不认识：应为 {STATUS_CHOICES} 之一", number
                )
        percent: int | None = None
        raw = values.get("progress", "")
        if raw:
            cleaned = raw.rstrip("%％").strip()
            try:
                value = float(cleaned)
            except ValueError:
                value = None
            if value is None or not value.is_integer():
                problem(f"{'本期进度' if meta else '进度'}「{raw}」应为 0 到 100 的整数", number)
            elif not 0 <= value <= 100:
                problem(
                    f"{'本期进度' if meta else '进度'} {raw} 超出范围：应为 0 到 100 的整数", number
                )
            else:
                percent = int(value)
        if len(reply.problems) > before or task_id is None or not status:
            continue
        entry = Entry(
            task_id,
            date,
            status,
            percent,
            values.get("note", ""),
            unit,
            recorded_at,
            problem=values.get("problem", ""),
            next_step=values.get("next_step", ""),
            period=period.label,
            origin=f"{path.name} 第 {number} 行",
            part=part,
            received=(received or today).isoformat(),
            evidence=_named_evidence(values.get("evidence", ""), path, reply),
        )
        for message in check_entries(
            tasklist,
            [entry],
            previous,
            today=today,
            note_option=FILL_HEADINGS[2],
            date_hint="该期间不在清单年度内，请按本年度的期间回收",
        ):
            problem(message, number)
        if len(reply.problems) == before:
            candidates.append((number, entry))
            said: tuple[Any, ...] = (task_id, status, percent, entry.note, entry.problem)
            said += (entry.next_step,)
            if part:  # a 分项: older replies keep their ids
                said += (part,)
            if entry.evidence:  # replies without 佐证材料 keep the id they always had
                said += (tuple(name for name, _, _ in entry.evidence),)
            content.append(said)
    reply.bad_rows = len(bad_rows)
    if reply.problems:
        return reply
    reply.reply_id = _reply_id(unit, period, reply.form_id, sorted(content))
    reply.entries = [_with_reply(e, reply.reply_id) for _, e in candidates]
    if reply.entries:
        # A correction replaces the unit's earlier reply as a whole: a row it leaves blank
        # keeps what the earlier reply said for it, rather than falling back to last week.
        from dataclasses import replace

        given = {(e.id, e.part) for e in reply.entries}
        for old in sorted(earlier, key=lambda e: (e.id, e.part)):
            if (old.id, old.part) not in given and old.id in held:
                given.add((old.id, old.part))
                reply.carried.append(old.target)
                reply.entries.append(
                    replace(
                        old,
                        date=date,
                        recorded_at=recorded_at,
                        reply=reply.reply_id,
                        origin=f"沿用 {old.origin or '本期先前的回复'}",
                    )
                )
    return reply


def _not_its_part(tasklist: TaskList, task_id: int, part: int, unit: str) -> str:
    """Why ``unit`` may not answer for the 分项 ``part`` of ``task_id`` (empty when it may)."""
    from taskctl.subitems import require_part, subitems
    from taskctl.units import UnitIndex

    try:
        require_part(tasklist, task_id, part)
    except InputError as exc:
        return exc.message
    task = tasklist.task(task_id)
    units = UnitIndex(tasklist).of(subitems(task, tasklist.year)[part - 1])
    if unit in units.all:
        return ""
    return f"分项 {task_id}.{part} 不是 {unit} 的（其单位：{'、'.join(units.all) or '无'}）"


def _named_evidence(text: str, path: Path, reply: Reply) -> tuple[tuple[str, int, str], ...]:
    """The 佐证材料 a row names (separated by 、，；or lines), recorded by name; a file of that
    name beside the reply is remembered, to be copied into the evidence folder when the reply
    is written (see :func:`store_files`)."""
    names = [n.strip() for n in re.split(r"[、，,；;\n]+", text) if n.strip()]
    for name in names:
        beside = path.parent / name
        if Path(name).name == name and beside.is_file():
            reply.files[name] = beside
    return tuple((name, -1, "") for name in dict.fromkeys(names))


def store_files(reply: Reply, ledger: Path) -> list[Entry]:
    """The reply's entries with each 佐证材料 found beside it copied beside the ledger and
    recorded with its size and sha256 (a file that cannot be read stays a name)."""
    from dataclasses import replace

    from taskctl.review import read_evidence, store_evidence

    if not reply.files:
        return reply.entries
    entries = []
    for entry in reply.entries:
        kept: list[tuple[str, int, str]] = []
        for name, size, digest in entry.evidence:
            source = reply.files.get(name)
            try:
                read = read_evidence([source]) if source is not None else []
            except TaskctlError:
                read = []
            kept += (
                store_evidence(ledger, read, entry.id, entry.by) if read else [(name, size, digest)]
            )
        entries.append(replace(entry, evidence=tuple(kept)))
    return entries


def _with_reply(entry: Entry, reply_id: str) -> Entry:
    from dataclasses import replace

    return replace(entry, reply=reply_id)


def collect(
    paths: Sequence[Path],
    tasklist: TaskList,
    log: Sequence[Entry],
    *,
    period: Period | None = None,
    by: str | None = None,
    role: str = "lead",
    now: _dt.datetime,
    base: Path | None = None,
    received: _dt.date | None = None,
) -> Collection:
    """Read and check every reply in ``paths``; see what would be written (nothing is yet).

    ``log`` is every record of the progress log so far (:func:`taskctl.progress.read_all`).
    Replies are taken in order of modification time, so a corrected reply counts over the
    first when both arrive in one run. ``received``: the day the replies came in (default:
    ``now``'s), kept in each entry as ``收到日期``; a unit's correction keeps the day its
    first reply for the period was received, so that on time stays on time.
    """
    if received is not None and received > now.date():
        raise InputError(f"--received {received} 晚于今天；收到日期不能是将来")
    files, skipped = reply_files(paths)
    files.sort(key=lambda p: (p.stat().st_mtime_ns, p.name))
    # (reply, 序号) pairs already in the log: a reply whose write was cut short by a kill
    # has only some of its rows there, and the rest are still to be written
    present = {(e.reply, e.id, e.part) for e in log if e.reply and not e.revokes}
    batch: set[str] = set()
    replies: list[Reply] = []
    current = effective(log)
    for index, path in enumerate(files):
        shown = _shown(path, base)
        reply = read_reply(
            path,
            tasklist,
            period=period,
            by=by,
            previous=current,
            today=now.date(),
            recorded_at=now + _dt.timedelta(microseconds=index),
            shown=shown,
            received=received or now.date(),
        )
        if reply.ours:
            skipped.append(f"{shown}：是 taskctl 导出的清单台账，不是填报表，已跳过")
            continue
        if reply.entries and reply.period is not None:
            first = first_received(log, reply.unit, reply.period.label)
            if first is not None and first < (received or now.date()):
                from dataclasses import replace

                reply.entries = [replace(e, received=first.isoformat()) for e in reply.entries]
        if not reply.refused and reply.entries:
            missing = [e for e in reply.entries if (e.reply, e.id, e.part) not in present]
            if reply.reply_id in batch or not missing:
                reply.duplicate = True
            else:
                reply.entries = missing
            batch.add(reply.reply_id)
        replies.append(reply)
    periods = {r.period.label: r.period for r in replies if r.period}
    if period is None:
        if len(periods) > 1:
            raise InputError(
                f"回复文件分属不同期间（{'、'.join(sorted(periods))}）；请用 --week/--month 指明本次回收的期间"
            )
        if not periods:
            raise InputError(
                "无法确定填报期间：" + "；".join(p for r in replies for p in r.problems[:1])
            )
        period = next(iter(periods.values()))
    reported, owed = submissions(tasklist, log, period, role, extra=replies)
    return Collection(period, replies, owed, reported, skipped)


def received_on(entry: Entry) -> _dt.date:
    """The day a reply's entry was received: its ``收到日期``, else (logs written before it was
    kept) the day it was recorded, else its date."""
    if entry.received:
        try:
            return _dt.date.fromisoformat(entry.received)
        except ValueError:
            pass
    if entry.recorded_at is not None:
        return entry.recorded_at.date()
    return entry.date


def first_received(log: Sequence[Entry], unit: str, period: str) -> _dt.date | None:
    """The day the first reply of ``unit`` for ``period`` in ``log`` was received."""
    days = [received_on(e) for e in log if e.reply and e.period == period and e.by == unit]
    return min(days) if days else None


ON_TIME, LATE, MISSING = REPLY_STATUSES = ("按时", "迟报", "未报")


@dataclass(frozen=True)
class ReplyStatus:
    """A unit's reply to a round: 按时 (received by the due date), 迟报 (after it) or 未报
    (none received by the report date). What 考评 counts."""

    unit: str
    status: str
    due: _dt.date
    received: _dt.date | None = None

    def to_record(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "status": self.status,
            "due": self.due.isoformat(),
            "received": self.received.isoformat() if self.received else None,
        }


def reply_statuses(
    tasklist: TaskList,
    log: Sequence[Entry],
    period: Period,
    *,
    as_of: _dt.date,
    due: _dt.date | None = None,
    role: str = "lead",
    warn: Any = None,
) -> list[ReplyStatus]:
    """Each unit's reply status for ``period`` as of ``as_of`` (the report date): the units
    holding tasks in ``role``, in the list's order, then any other unit that replied. ``due``
    defaults to the round's due date (:func:`taskctl.forms.due_date`: the list's 报送周期,
    else the period's last working day). ``log``: the entries (replies among them) so far."""
    from taskctl.forms import due_date

    if due is None:
        due = due_date(tasklist, period, warn)
    first: dict[str, _dt.date] = {}
    for entry in log:
        if entry.reply and entry.period == period.label and not entry.revokes:
            day = received_on(entry)
            if day <= as_of and (entry.by not in first or day < first[entry.by]):
                first[entry.by] = day
    owing = units(tasklist, role)
    names = owing + sorted(u for u in first if u not in owing and not is_blanket(u, tasklist))
    statuses = []
    for unit in names:
        got = first.get(unit)
        status = MISSING if got is None else (ON_TIME if got <= due else LATE)
        statuses.append(ReplyStatus(unit, status, due, got))
    return statuses


def _shown(path: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return str(path.relative_to(base))
        except ValueError:
            pass
    return str(path)


def submissions(
    tasklist: TaskList,
    log: Sequence[Entry],
    period: Period,
    role: str = "lead",
    *,
    extra: Sequence[Reply] = (),
) -> tuple[list[str], list[str]]:
    """(已报, 未报送) for a period: units holding tasks in ``role`` that have a reply in the log
    for it (or among ``extra`` accepted replies), and those that have not."""
    replied = {e.by for e in effective(log) if e.period == period.label and e.reply}
    replied |= {
        r.unit
        for r in extra
        if not r.refused and r.unit and r.period == period and (r.entries or r.duplicate)
    }
    owing = units(tasklist, role)
    reported = [u for u in owing if u in replied]
    reported += sorted(u for u in replied if u not in owing and not is_blanket(u, tasklist))
    return reported, [u for u in owing if u not in replied]


def write(collection: Collection, log_path: Path, now: _dt.datetime | None = None) -> int:
    """Append the accepted replies to the log, and each refused file with its problems to
    :func:`refusals_path` (so the report can name them); the number of entries written."""
    written = 0
    done: list[str] = []
    for reply in collection.accepted:
        try:
            written += _append_once(log_path, store_files(reply, log_path))
        except TaskctlError as exc:
            if not done:
                raise
            # each reply goes in whole or not at all: say which did, not "nothing was written"
            left = [r.unit for r in collection.accepted][len(done) :]
            raise DataFileError(
                log_path,
                f"写入 {reply.unit} 的回复时出错（{_reason(exc)}）。"
                f"已写入 {written} 条（{'、'.join(done)} 的回复）；{'、'.join(left)} 的回复"
                "未写入，问题解决后重新运行 collect 即可补上",
            ) from None
        done.append(reply.unit)
    if collection.refused:
        import json

        from taskctl.fsutil import append_record

        stamp = (now or _dt.datetime.now().astimezone()).isoformat(timespec="seconds")
        lines = [
            json.dumps(
                {
                    "期间": (reply.period or collection.period).label,
                    "单位": reply.unit,
                    "文件": reply.path.name,
                    "问题": reply.problems,
                    "记录时间": stamp,
                },
                ensure_ascii=False,
            )
            + "\n"
            for reply in collection.refused
        ]
        from taskctl.progress.store import ready_folder

        ready_folder(refusals_path(log_path))  # as the ledger's own folder is checked
        append_record(refusals_path(log_path), "".join(lines).encode("utf-8"))
    return written


def _append_once(log_path: Path, entries: Sequence[Entry]) -> int:
    """Append the entries of one reply that its file does not hold yet, deciding under the
    file's lock: a second collect of the same folder running at the same time writes nothing
    twice. The number written."""
    from taskctl.fsutil import locked
    from taskctl.progress import append, target_file

    target = target_file(log_path, entries[0].by)
    with locked(target):
        held = _reply_rows(target, {e.reply for e in entries})
        fresh = [e for e in entries if (e.reply, e.id, e.part) not in held]
        if fresh:
            append(log_path, fresh, held=True)
    return len(fresh)


def _reply_rows(target: Path, ids: set[str]) -> set[tuple[str, int, int]]:
    """The (回执, 序号, 分项) of the rows of ``ids`` in the log file ``target``: only the lines
    that name one are parsed."""
    from taskctl.fsutil import read_regular

    if not target.is_file():
        return set()
    data = read_regular(target)
    found: set[tuple[str, int, int]] = set()
    for reply_id in ids:
        needle = reply_id.encode("ascii")
        start = data.find(needle)
        while start >= 0:
            begin = data.rfind(b"\n", 0, start) + 1
            end = data.find(b"\n", start)
            end = len(data) if end < 0 else end
            try:
                record = json.loads(data[begin:end])
            except ValueError:
                record = None  # a torn line: its row is not there
            if (
                isinstance(record, dict)
                and record.get("回执") == reply_id
                and not record.get("撤销")
            ):
                task_id = record.get("序号")
                part = record.get("分项", 0)
                if isinstance(task_id, int) and isinstance(part, int):
                    found.add((reply_id, task_id, part))
            start = data.find(needle, end)
    return found


def refusals_path(log_path: Path) -> Path:
    """Where refused replies are recorded: beside the log file (``progress.退回.ndjson``), or
    in the log folder (``退回记录.ndjson``); never ``*.jsonl``, which a log folder reads."""
    if log_path.is_dir():
        return log_path / "退回记录.ndjson"
    return log_path.with_name(log_path.stem + ".退回.ndjson")


def withdraw(log_path: Path, names: Sequence[str], period: str | None, now: _dt.datetime) -> int:
    """Withdraw the recorded refusals of the files ``names`` (for ``period``, or in every period
    they were refused in): a record saying so is appended, nothing is erased. The number of
    refusals withdrawn; an :class:`InputError` when a name has none."""
    import json

    from taskctl.fsutil import append_record

    path = refusals_path(log_path)
    held = _refusal_records(path)
    lines = []
    for name in names:
        found = [
            key
            for key, record in held.items()
            if key[1] == name and not record.get("撤回") and period in (None, key[0])
        ]
        if not found:
            where = f" {period} 的" if period else ""
            raise InputError(f"{name} 没有{where}退回记录可以撤回；报告中所列的文件名才有")
        stamp = now.isoformat(timespec="seconds")
        lines += [
            json.dumps(
                {"期间": key[0], "文件": name, "撤回": True, "记录时间": stamp}, ensure_ascii=False
            )
            + "\n"
            for key in found
        ]
    append_record(path, "".join(lines).encode("utf-8"))
    return len(lines)


def _refusal_records(path: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """(期间, 文件) → the latest record of the refusals file (a refusal or its withdrawal)."""
    import json

    if not path.is_file():
        return {}
    from taskctl.fsutil import read_regular

    found: dict[tuple[str, str], dict[str, Any]] = {}
    for line in read_regular(path).decode("utf-8", "replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue  # a torn last line
        if isinstance(record, dict):
            found[(str(record.get("期间", "")), str(record.get("文件", "")))] = record
    return found


def refusals(log_path: Path, period: str) -> list[dict[str, Any]]:
    """The refused replies recorded for ``period``, latest per file (a file refused again after
    correction counts once, a withdrawn refusal not at all); a file later accepted is left out
    by the caller."""
    return [
        record
        for (when, _), record in _refusal_records(refusals_path(log_path)).items()
        if when == period and not record.get("撤回")
    ]
