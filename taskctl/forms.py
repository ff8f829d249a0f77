"""Fill-in workbooks (填报表): one per unit and period, sent out by the 督查室 and read back by
:mod:`taskctl.collect`.

Each workbook has a sheet ``填报`` (title, 填报人/联系电话, one row per task with last period's
状态/进度/进展情况 as reference and the columns to fill) and a hidden sheet ``_taskctl`` holding
what identifies it (list, unit, period, form id) as plain cells, which survive a save by Excel,
WPS or LibreOffice; the same values also ride as custom document properties.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from taskctl.errors import DataFileError, InputError
from taskctl.model import Task, TaskList
from taskctl.period import Period
from taskctl.progress import STATUSES, Entry

if TYPE_CHECKING:
    from taskctl.tracking import TaskState

FORM_SHEET = "填报"
META_SHEET = "_taskctl"
FORM_VERSION = "1"
ROLE_CHOICES = ("lead", "support", "all")
ROLE_TITLES = {"lead": "牵头任务", "support": "配合任务", "all": "牵头及配合任务"}
REFERENCE_HEADINGS = (
    "序号",
    "年度任务目标",
    "责任领导",
    "角色",
    "完成时限",
    "上期状态",
    "上期进度",
    "上期进展情况",
)
# 佐证材料: the names of the files sent with the reply (see collect and taskctl.review)
FILL_HEADINGS = ("本期状态", "本期进度", "进展情况", "存在问题", "下一步措施", "佐证材料")
HEADINGS = REFERENCE_HEADINGS + FILL_HEADINGS
WIDTHS = (5, 30, 8, 7, 10, 8, 6, 16, 10, 7, 22, 14, 14, 12)
TITLE_ROW, NOTE_ROW, CONTACT_ROW, HEADER_ROW = 1, 2, 3, 4
CONTACT_CELLS = {"填报人": "C3", "联系电话": "H3"}
FILL_COLOUR, REFERENCE_COLOUR, HEADER_COLOUR = "FFF2CC", "F2F2F2", "D9D9D9"


@dataclass(frozen=True)
class FormRow:
    """One task on a unit's form: its role there and what was last reported."""

    task: Task
    role: str
    via: str | None
    last: Entry | None
    deadline: _dt.date | None = None  # 完成时限, the list's default when the task has none
    returned: str = ""  # the office's 退回/回访 of the unit's 已完成, with the reason
    part: int = 0  # a 分项 of the item (5.2 → 2; ``task`` is then the 分项's own)

    @property
    def target(self) -> str:
        """序号 as the form writes it: 5, or 5.2 for a 分项."""
        return f"{self.task.id}.{self.part}" if self.part else str(self.task.id)

    @property
    def role_label(self) -> str:
        label = "牵头" if self.role == "lead" else "配合"
        return f"{label}（{self.via}）" if self.via else label


@dataclass(frozen=True)
class Form:
    """One unit's form for one period."""

    list_title: str
    year: int | None
    unit: str
    period: Period
    role: str
    due: _dt.date
    rows: tuple[FormRow, ...]

    @property
    def form_id(self) -> str:
        """Derived from list, unit, period and role: the same form written again has the same id."""
        key = "|".join((self.list_title, str(self.year or ""), self.unit, self.period.label))
        return hashlib.sha1(f"{key}|{self.role}".encode()).hexdigest()[:10]

    @property
    def file_name(self) -> str:
        return f"{self.period.label}_{safe_name(self.unit)}.xlsx"

    def meta(self) -> dict[str, str]:
        """What the hidden sheet and the document properties carry."""
        return {
            "表单编号": self.form_id,
            "清单": self.list_title,
            "年度": str(self.year or ""),
            "单位": self.unit,
            "期间": self.period.label,
            "起": self.period.start.isoformat(),
            "止": self.period.end.isoformat(),
            "角色": self.role,
            "报送期限": self.due.isoformat(),
            "序号": ",".join(row.target for row in self.rows),
            "格式版本": FORM_VERSION,
        }


def safe_name(name: str) -> str:
    """A unit name usable in a file name on Windows as well (see :func:`unit_part`)."""
    from taskctl.filenames import unit_part

    return unit_part(name)


def is_blanket(name: str, tasklist: TaskList) -> bool:
    """A 统称 such as 各镇街道 or 各有关部门: not a unit that can reply."""
    from taskctl.names import normalize

    groups = {normalize(g) for g in tasklist.groups}
    return name in groups or name.startswith("各")


def units(tasklist: TaskList, role: str = "lead") -> list[str]:
    """Every unit that holds tasks in ``role`` (through groups such as 各镇街道 too), in the
    order the list names them; 统称 themselves are not units."""
    from taskctl.query import department_names, department_tasks

    _check_role(role)
    return [
        name
        for name in department_names(tasklist, with_groups=True)
        if not is_blanket(name, tasklist) and department_tasks(tasklist, name, role)
    ]


def _check_role(role: str) -> None:
    if role not in ROLE_CHOICES:
        raise InputError(f"--role 应为 lead（牵头）、support（配合）或 all，得到「{role}」")


def last_reports(
    tasklist: TaskList,
    entries: Iterable[Entry],
    before: _dt.date,
    tasks: Sequence[Task] | None = None,
) -> dict[int, TaskState]:
    """Each task's state the day before ``before`` (last period's): its :attr:`parts` hold
    each unit's own last report, what the unit's form shows as 上期."""
    from taskctl.tracking import task_states

    kept = [entry for entry in entries if not entry.revokes]
    day = before - _dt.timedelta(days=1)
    return {s.task.id: s for s in task_states(tasklist, kept, day, tasks=tasks)}


def _deadline(state: TaskState, listed: _dt.date) -> _dt.date:
    """The 完成时限 in force: an approved 延期's (see taskctl.review), else the list's."""
    return state.deadline if state.original_deadline is not None else listed


def _returned(part: TaskState | None) -> str:
    """What the unit's form says of a 已完成 the office sent back: 退回 (or 回访), the date and
    the reason."""
    flag = part.flag if part is not None else None
    if flag is None or flag.word not in ("退回", "回访") or flag.review is None:
        return ""
    return f"【{flag.word} {flag.review.date.isoformat()}：{flag.reason}】"


def build_forms(
    tasklist: TaskList,
    entries: Sequence[Entry],
    period: Period,
    *,
    role: str = "lead",
    only: Sequence[str] = (),
    due: _dt.date | None = None,
    warn: Any = None,
) -> list[Form]:
    """One form per unit holding tasks in ``role`` (or per unit of ``only``, names resolved).

    ``due`` defaults to :func:`due_date` of the period. A period wholly outside the list's
    year is refused, as ``update`` refuses such dates."""
    from taskctl.query import department_tasks, resolve_department
    from taskctl.tracking import deadline_of

    _check_role(role)
    check_year(tasklist, period)
    if due is None:
        due = due_date(tasklist, period, warn)
    names = [resolve_department(tasklist, q) for q in only] if only else units(tasklist, role)
    last = last_reports(tasklist, entries, period.start)
    forms = []
    for name in dict.fromkeys(names):
        held = department_tasks(tasklist, name, role)
        if not held:
            if only:
                raise InputError(f"{name} 没有{ROLE_TITLES[role]}，无需填报（可换 --role all）")
            continue
        rows = tuple(
            row
            for h in held
            for row in _subitem_rows(tasklist, h, name, role, last[h.task.id], period)
            or (
                FormRow(
                    h.task,
                    h.role,
                    h.via,
                    (last[h.task.id].part(name) or last[h.task.id]).latest,
                    _deadline(last[h.task.id], deadline_of(h.task, tasklist, period.end)),
                    _returned(last[h.task.id].part(name)),
                ),
            )
        )
        forms.append(
            Form(
                tasklist.title,
                tasklist.year,
                name,
                period,
                role,
                due,
                rows,
            )
        )
    return forms


def _subitem_rows(
    tasklist: TaskList, held: Any, name: str, role: str, last: TaskState, period: Period
) -> tuple[FormRow, ...]:
    """The 分项 of an item over several rows that the unit ``name`` answers for in ``role``,
    one row each (5.1, 5.2); none for an item in one row, or whose 分项 all name others."""
    if not last.subitems:
        return ()
    from taskctl.tracking import deadline_of
    from taskctl.units import UnitIndex

    index = UnitIndex(tasklist)
    rows = []
    for state in last.subitems:
        units = index.of(state.task)
        mine = "lead" if name in units.leads else "support" if name in units.supports else ""
        if mine and role in (mine, "all"):
            own = state.part(name)
            deadline = _deadline(state, deadline_of(state.task, tasklist, period.end))
            latest = (own or state).latest
            returned = _returned(own)
            rows.append(
                FormRow(state.task, mine, held.via, latest, deadline, returned, state.subitem)
            )
    return tuple(rows)


def check_year(tasklist: TaskList, period: Period) -> None:
    """:class:`InputError` when ``period`` has no day in the list's year."""
    year = tasklist.year
    if year and not period.start.year <= year <= period.end.year:
        raise InputError(
            f"填报期间 {period.label}（{period.start}—{period.end}）不在清单年度 {year} 年内；"
            "请核对期间或清单（--file）"
        )


def due_date(tasklist: TaskList, period: Period, warn: Any = None) -> _dt.date:
    """The reply due date of a round: by the list's ``报送周期`` when the period is one of its
    rounds (每周五, 每月25日前 …), else the period's last working day on the official
    calendar (see :mod:`taskctl.period`, :mod:`taskctl.workdays`)."""
    from taskctl.period import parse_cadence

    cadence = parse_cadence(tasklist.settings)
    if cadence is None:
        return period.default_due(warn)
    return cadence.due_of(period, warn)


def _date_text(day: _dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _lines(text: str, width: int) -> int:
    from wcwidth import wcswidth

    total = 0
    for part in str(text).split("\n"):
        size = wcswidth(part)
        total += max(1, -(-(size if size >= 0 else 2 * len(part)) // max(width - 1, 1)))
    return total


def form_xlsx(form: Form) -> bytes:
    """The workbook of one form (see the module docstring), A4 landscape, header on every page."""
    import io

    import openpyxl
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from taskctl.export import _set
    from taskctl.output import printable

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = FORM_SHEET
    last_col = get_column_letter(len(HEADINGS))
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
    open_cell = Protection(locked=False)
    fill = PatternFill("solid", fgColor=FILL_COLOUR)

    # A unit name starting with = stays text; a control character (from an imported name or a
    # note) is shown as \x07, which Excel can hold, rather than failing the whole round.
    title = printable(f"{form.unit}　{form.period.title}　工作任务进展填报表")
    _set(sheet, TITLE_ROW, 1, title).font = Font(bold=True, size=16)
    sheet.cell(TITLE_ROW, 1).alignment = Alignment(horizontal="center", vertical="center")
    sheet.merge_cells(f"A{TITLE_ROW}:{last_col}{TITLE_ROW}")
    sheet.row_dimensions[TITLE_ROW].height = 30
    note = (
        f"请于 {_date_text(form.due)} 前填好浅黄色各列，原表报回督查室（请勿增删行列、改动表名）。"
        f"灰色各列为上期情况，仅供参考。清单：{form.list_title}；"
        f"范围：{ROLE_TITLES[form.role]}（含经统称承担的）；表单编号 {form.form_id}。"
    )
    _set(sheet, NOTE_ROW, 1, printable(note)).alignment = Alignment(
        wrap_text=True, vertical="center"
    )
    sheet.merge_cells(f"A{NOTE_ROW}:{last_col}{NOTE_ROW}")
    sheet.row_dimensions[NOTE_ROW].height = 32
    for label, ref in CONTACT_CELLS.items():
        col = openpyxl.utils.cell.column_index_from_string(ref[0])
        label_cell = sheet.cell(CONTACT_ROW, col - 1, f"{label}：")
        label_cell.font = Font(bold=True)
        label_cell.alignment = Alignment(horizontal="right", vertical="center")
        target = sheet[ref]
        target.protection = open_cell
        target.fill = fill
        target.border = box
        sheet.merge_cells(f"{ref}:{get_column_letter(col + 1)}{CONTACT_ROW}")
    sheet.row_dimensions[CONTACT_ROW].height = 24

    for col, heading in enumerate(HEADINGS, 1):
        c = sheet.cell(HEADER_ROW, col, heading)
        c.font = Font(bold=True)
        c.alignment = centre
        c.border = box
        c.fill = PatternFill(
            "solid", fgColor=FILL_COLOUR if heading in FILL_HEADINGS else HEADER_COLOUR
        )
    first_fill = len(REFERENCE_HEADINGS) + 1
    grey = PatternFill("solid", fgColor=REFERENCE_COLOUR)
    for r, row in enumerate(form.rows, HEADER_ROW + 1):
        task, last = row.task, row.last
        values: list[Any] = [
            row.target if row.part else task.id,
            task.text,
            "\n".join(task.leaders),
            row.role_label,
            row.deadline.isoformat() if row.deadline else "",
            last.status if last else "",
            "" if last is None or last.progress is None else last.progress,
            "\n".join(t for t in (last.note if last else "", row.returned) if t),
        ]
        lines = 1
        for col, value in enumerate(values, 1):
            c = _set(sheet, r, col, printable(value) if isinstance(value, str) else value)
            c.alignment = centre if col in (1, 4, 5, 6, 7) else wrap
            c.border = box
            if col >= 6:
                c.fill = grey
            lines = max(lines, _lines(str(value), WIDTHS[col - 1]))
        for col in range(first_fill, len(HEADINGS) + 1):
            c = sheet.cell(r, col)
            c.protection = open_cell
            c.fill = fill
            c.border = box
            c.alignment = centre if col < first_fill + 2 else wrap
        sheet.row_dimensions[r].height = max(45, 15 * lines)
    last_row = HEADER_ROW + max(len(form.rows), 1)

    status = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUSES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="本期状态",
        error="请从下拉列表中选择：" + "、".join(STATUSES),
    )
    percent = DataValidation(
        type="whole",
        operator="between",
        formula1="0",
        formula2="100",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="本期进度",
        error="本期进度应为 0 到 100 的整数（不写 %）",
    )
    status_col, percent_col = get_column_letter(first_fill), get_column_letter(first_fill + 1)
    status.add(f"{status_col}{HEADER_ROW + 1}:{status_col}{last_row}")
    percent.add(f"{percent_col}{HEADER_ROW + 1}:{percent_col}{last_row}")
    sheet.add_data_validation(status)
    sheet.add_data_validation(percent)

    for col, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(col)].width = width + 2
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = f"{form.unit}　{form.period.label}　第 &P 页，共 &N 页"
    sheet.oddFooter.right.text = f"表单编号 {form.form_id}"
    protection = sheet.protection
    protection.sheet = True
    protection.formatRows = False  # rows may be made taller for long answers
    protection.formatColumns = False
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False

    meta = book.create_sheet(META_SHEET)
    for r, (key, value) in enumerate(form.meta().items(), 1):
        meta.cell(r, 1, key)
        meta.cell(r, 2, printable(value)).data_type = "s"
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    for key, value in form.meta().items():
        book.custom_doc_props.append(
            StringProperty(name=f"taskctl.{key}", value=printable(value) or "-")
        )
    book.properties.title = title
    book.properties.creator = "taskctl"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_forms(
    forms: Sequence[Form], folder: Path, *, force: bool = False, dry_run: bool = False
) -> list[Path]:
    """Write every form into ``folder`` (made when missing); nothing is written when a file is
    already there and ``force`` is not given. ``dry_run``: the same checks, and the files that
    would be written, but nothing written."""
    from taskctl.filenames import check_distinct
    from taskctl.fsutil import atomic_write

    if not forms:
        raise InputError("没有需要填报的单位（清单中无对应任务）")
    if folder.exists() and not folder.is_dir():
        raise DataFileError(folder, "不是文件夹；填报表写入文件夹，请写 --dir 文件夹/")
    targets = [folder / form.file_name for form in forms]
    check_distinct([(form.unit, target) for form, target in zip(forms, targets, strict=True)])
    taken = [t for t in targets if t.exists()]
    if taken and not force:
        shown = "、".join(t.name for t in taken[:3]) + ("等" if len(taken) > 3 else "")
        raise InputError(f"{folder} 中已有 {shown}（共 {len(taken)} 个）；覆盖请加 --force")
    if dry_run:
        return targets
    if not folder.exists():
        try:
            folder.mkdir(parents=True)
        except OSError as exc:
            raise DataFileError(folder, f"无法新建文件夹（{exc.strerror}）") from None
    for form, target in zip(forms, targets, strict=True):
        atomic_write(target, form_xlsx(form), lock=False)
    return targets
