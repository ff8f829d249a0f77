"""Turn rows of cells into a task list, finding the columns by their headings.

The rules (each decided the way a careful clerk reads a list; docs/import.md is the reference):

* the heading row is the first row naming a task column and one more known column
  (:mod:`taskctl.importers.roles`); columns of no known role are kept verbatim on every task;
* a row of one cell is a part heading (一、 > （一） > 1. > an unnumbered, usually bold, row),
  or, when the cell is in the task column, more text of the item above;
* a row without a 序号 (a 序号 cell merged down, or left blank by a CSV saved from merged cells)
  continues the item above: one task, each row kept under ``分项``;
* a leader named in a part heading (…（牵头领导：王某某、李某）, or 王某某市长主抓…) leads that
  part's tasks whose own leader cell is empty;
* the columns' roles are settled by the cells too (a category of A类/B类 is not the task), and
  the summary says why each column plays its role;
* a rule written in a unit cell (…（列第一位者为工作牵头单位，下同）) applies to the list and is
  no part of the name; the year is the title's, a line's above the table, the file name's, or
  ``--year``'s, else this year (said in the summary).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from taskctl.errors import DataFileError, InputError
from taskctl.importers import roles as R
from taskctl.importers.deadlines import parse_phrase
from taskctl.importers.split import as_written, split_cell
from taskctl.model import DEADLINE_NOTE, ROWS_KEY, WRITTEN_SUFFIX, Section, Task, TaskList

# Kept for callers of the first importer: the headings of the 台安 layout and their aliases.
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("序号",),
    "text": ("年度任务目标", "任务", "工作任务", "任务内容"),
    "leaders": ("责任领导", "牵头领导", "分管领导"),
    "lead_departments": ("牵头部门", "牵头单位"),
    "departments": ("责任部门", "责任单位", "配合单位", "协同单位"),
    "deadline": ("完成时限", "完成时间"),
    "section": ("部分", "类别"),
}
NAME_ROLES = R.NAME_ROLES
FIRST_UNIT_LEADS = "列第一位的为牵头单位"
_N = "[一二三四五六七八九十百零〇]+"
# 一、标题（6项） and the other ways counties number their parts: （一）标题, 第一部分 标题.
SECTION_HEADING = re.compile(
    rf"^\s*(?:(?P<a>{_N})\s*[、.．]|[（(]\s*(?P<b>{_N})\s*[）)]\s*[、.．]?|第(?P<c>{_N})部分\s*[、.．：:]?)"
    r"\s*(?P<title>.*?)\s*(?:[（(]\s*(?P<declared>\d+)\s*项\s*[）)])?\s*$",
    re.DOTALL,
)
_DIGIT_HEADING = re.compile(
    r"^\s*(?P<d>\d{1,2})\s*[.．、]\s*(?P<title>\S.*?)\s*(?:[（(]\s*(?P<declared>\d+)\s*项\s*[）)])?\s*$",
    re.DOTALL,
)
_LEADER_NOTE = re.compile(
    r"[（(]\s*(?P<label>[^（）()：:]*领导)\s*[：:]\s*(?P<names>[^（）()]+?)\s*[）)]"
)
_LEADER_ROW = re.compile(r"^\s*(?P<label>[^：:]{0,8}领导)\s*[：:]\s*(?P<names>.+?)\s*$", re.DOTALL)
# A leader named in a free-form part heading: 王某某市长主抓重点工作, （二）李某某副县长分管.
# The name (2–4 characters, a common surname first, no character of a unit's name) stands
# at the start or after a separator, and a title follows it, then a verb such as 主抓 or 分管,
# a separator or the end: 深化市长热线改革 and 推行乡长负责制 name no one.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马胡朱郭何罗高林郑梁谢唐宋许邓冯韩曹曾彭萧肖蔡潘田董袁于余"
    "叶蒋杜苏魏程吕丁沈任姚卢钟姜崔谭廖范汪陆石戴贾韦夏邱侯邹熊孟秦毛闫薛尹段雷钱贺陶"
    "顾龚郝邵严赖武傅莫孔汤温康施牛樊葛邢乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿兰焦俞左柳祝"
    "舒阮柯纪梅裴霍骆蓝靳柴鲍喻祁蒲滕屈饶缪褚娄窦戚岑晏瞿佟臧闵苟邬卞姬仇栾隋刁寇桑甄"
    "虞敖巩佘邝"
)
_NOT_IN_NAME = set("办局委室站所部厅院处科股会市县区镇乡村街组队中心")
_TITLE = (
    r"(?:[省市县区旗镇乡]委)?(?:常委[、，]?)?(?:常务)?副?"
    r"(?:[省市县区旗州镇乡]长|书记|主任|主席|秘书长)"
)
_NAMED_LEADER = re.compile(
    rf"(?:^|(?<=[、，,；;（(）)：:\s和与及.．]))"
    rf"(?P<name>[{_SURNAMES}](?:[ \u3000]*[\u4e00-\u9fff]){{1,3}}?){_TITLE}"
    r"(?=主抓|分管|牵头|负责(?!制)|主管|领衔|联系|包抓|挂帅|督办|领办|同志|[、，,和与及）)\s]|$)"
)
# 市税务局（列第一位者为工作牵头单位或汇总单位，下同）: the list's rule, written in a cell.
_RULE_NOTE = re.compile(
    r"[（(](?P<rule>[^（）()]*(?:列|排|居)[在于]?(?:第一位|首位|第一个)[^（）()]*(?:牵头|汇总)"
    r"[^（）()]*)[）)]"
)
YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_DATE = re.compile(r"^\s*(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?\s*$")
_SEPARATED = re.compile("[、，,；;。．等各\n]")
_PART_NUMERAL = re.compile(rf"^\s*(?:{_N}\s*[、.．]?|[（(]\s*{_N}\s*[）)])\s*$")
_ANNEX = re.compile(r"^\s*附\s*件\s*[0-9一二三四五六七八九十]*\s*[：:]?\s*$")
_NOTE = re.compile(r"^\s*[（(【〔].*[）)】〕]\s*$", re.DOTALL)
_ID = re.compile(r"^\s*(\d+)\s*[.．、]?\s*$")
DIGITS = "零一二三四五六七八九"
RESERVED = ("序号", "年度任务目标", "责任领导", "牵头部门", "责任部门", "完成时限", DEADLINE_NOTE)


@dataclass(frozen=True)
class Row:
    """A table row: each cell is the list of its lines; ``line`` is where it starts in the file.

    ``merged`` holds the columns whose cell continues a cell merged down from the row above
    (Word's ``vMerge``, Excel's merged range); ``table`` numbers the file's tables from 1
    (0 for text outside a table); ``bold`` marks a row set in bold.
    """

    cells: tuple[tuple[str, ...], ...]
    line: int | None = None
    merged: frozenset[int] = frozenset()
    bold: bool = False
    table: int = 0

    def text(self, index: int | None) -> str:
        if index is None or index >= len(self.cells):
            return ""
        return "\n".join(self.cells[index])

    def filled(self) -> list[int]:
        """Indexes of the cells that hold any text."""
        return [i for i, cell in enumerate(self.cells) if any(line.strip() for line in cell)]


def cell(text: str) -> tuple[str, ...]:
    """A cell from its text (line breaks of any kind split it into lines)."""
    return tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


@dataclass(frozen=True)
class Options:
    """How to read a list: ``columns`` maps heading (spaces removed) → role by hand,
    ``first_unit_leads`` applies 列第一位的为牵头单位, ``table`` picks one table (from 1)."""

    columns: Mapping[str, str] | None = None
    first_unit_leads: bool = False
    table: int | None = None
    # The file keeps no merged cells (CSV): a blank under a filled cell may be a lost merge.
    merges_lost: bool = False
    # The list's year when the document names none (``import --year``); it wins over the document's.
    year: int | None = None


@dataclass(frozen=True)
class Summary:
    """What an import read: rows, tasks, parts, each heading's role, columns kept verbatim."""

    rows: int
    tasks: int
    sections: int
    columns: tuple[tuple[str, str], ...]
    extra: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    tables: tuple[int, ...] = ()
    # Why each column plays its role, in the order of ``columns``.
    reasons: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """The summary as the lines the CLI prints: one line per column, with its reason."""
        tables = f"（表格 {'、'.join(map(str, self.tables))}）" if len(self.tables) > 1 else ""
        out = [f"读取 {self.rows} 行{tables}：{self.tasks} 项任务，{self.sections} 个部分", "列："]
        reasons = self.reasons or ("",) * len(self.columns)
        for (heading, label), reason in zip(self.columns, reasons, strict=True):
            out.append(f"  {heading} → {label}" + (f"（{reason}）" if reason else ""))
        out += [f"注意：{w}" for w in self.warnings]
        return out


@dataclass
class Built:
    """What :func:`build_table` made; ``ignored`` stays empty (no column is dropped)."""

    tasklist: TaskList
    ignored: list[str] = field(default_factory=list)
    summary: Summary | None = None


def _heading_key(text: str) -> str:
    return re.sub(r"\s+", "", text)


def find_columns(row: Row, manual: Mapping[str, str] | None = None) -> dict[int, str] | None:
    """Column index → role when ``row`` is a heading row (see :func:`roles.assign`)."""
    if len(row.filled()) < 2:
        return None
    return R.assign([row.text(i) for i in range(len(row.cells))], manual)


def numeral(number: int) -> str:
    """Chinese numeral for 1–99 (一, 十, 十一, 二十三)."""
    tens, ones = divmod(number, 10)
    if number < 10:
        return DIGITS[number]
    return f"{'' if tens == 1 else DIGITS[tens]}十{DIGITS[ones] if ones else ''}"


def parse_deadline(text: str) -> _dt.date | None:
    """2023-06-30, 2023/6/30, 2023.6.30 or 2023年6月30日 as a date; None for anything else."""
    match = _DATE.match(text)
    if not match:
        return None
    try:
        return _dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _unknown_layout(rows: list[Row], path: object) -> DataFileError:
    candidates = [r for r in rows if len(r.filled()) >= 2]
    found = (
        "、".join(f"「{candidates[0].text(i).strip()}」" for i in candidates[0].filled())
        if candidates
        else "（没有多列的行）"
    )
    return DataFileError(
        path,
        f"找不到可识别的表头（至少要有任务一列和另一可识别的列）。找到的列标题：{found}。"
        "任务列的标题含 任务/工作/事项/目标/实事/项目/内容/措施；其他列如 序号、责任领导、"
        "牵头单位、责任单位、完成时限；也可用 --columns 任务=原表列标题 指定",
        candidates[0].line if candidates else None,
    )


@dataclass
class _Part:
    level: int
    own: str  # the numeral as it reads at its level (一, （一）, 1); "" when unnumbered
    numeral: str
    title: str
    declared: int | None
    written: str
    path: tuple[str, ...]
    leaders: tuple[str, ...]
    text: str = ""
    tasks: list[Task] = field(default_factory=list)
    children: int = 0
    unnumbered: int = 0


@dataclass
class _Item:
    id: int
    rows: list[Row]
    part: _Part


def _level(text: str) -> tuple[int, str, str, str, int | None] | None:
    """(level, numeral, numeral as styled, title, declared) of a heading row's text."""
    match = SECTION_HEADING.match(text)
    if match:
        declared = int(match["declared"]) if match["declared"] else None
        if match["b"]:
            return 2, match["b"], f"（{match['b']}）", match["title"], declared
        own = match["a"] or match["c"]
        return 1, own, own, match["title"], declared
    match = _DIGIT_HEADING.match(text)
    if match:
        declared = int(match["declared"]) if match["declared"] else None
        return 3, match["d"], match["d"], match["title"], declared
    return None


def _heading_leaders(text: str) -> tuple[str, ...]:
    match = _LEADER_NOTE.search(text) or _LEADER_ROW.match(text)
    return split_cell(match["names"]) if match else named_leaders(text)


def named_leaders(text: str) -> tuple[str, ...]:
    """Leaders a free-form heading names with their titles (王某某市长主抓…, 李某某副县长分管)."""
    found: list[str] = []
    for match in _NAMED_LEADER.finditer(text):
        name = match["name"]
        if not _NOT_IN_NAME & set(name[1:]) and name not in found:
            found.append(name)
    return tuple(found)


def _title(preamble: list[str], attachment: str) -> str:
    """The last line above the table that is neither 附件 nor a note in brackets; a title
    broken over two lines, the year in the first (2024年 / 市政府工作报告重点任务), is joined."""
    for at in range(len(preamble) - 1, -1, -1):
        line = preamble[at]
        if line and line != attachment and not _NOTE.match(line):
            before = preamble[at - 1] if at else ""
            if (
                not YEAR.search(line)
                and YEAR.search(before)
                and before != attachment
                and not _NOTE.match(before)
                and len(_heading_key(before)) <= 20
            ):
                return before + line
            return line
    return ""


def _select(rows: list[Row], path: object, options: Options) -> tuple[list[Row], tuple[int, ...]]:
    """The rows of the table(s) to read: one table by ``--table``, else every table that has the
    first table's headings (or none: a table continued without its heading row)."""
    tables = sorted({r.table for r in rows if r.table})
    if options.table is not None:
        if options.table not in tables:
            listed = f"1–{len(tables)}" if tables else "（没有表格）"
            raise InputError(f"{path}：没有第 {options.table} 张表格；本文件的表格为 {listed}")
        return [r for r in rows if r.table in (0, options.table)], (options.table,)
    if len(tables) < 2:
        return rows, tuple(tables)
    layouts: dict[int, tuple[str, ...] | None] = {}
    for number in tables:
        heading = next(
            (r for r in rows if r.table == number and find_columns(r, options.columns)), None
        )
        layouts[number] = None if heading is None else _layout(heading)
    first = layouts[tables[0]]
    differ = [n for n in tables if layouts[n] is not None and layouts[n] != first]
    if differ:
        described = "；".join(f"表格{n}：{'/'.join(layouts[n] or ('（无表头）',))}" for n in tables)
        raise DataFileError(
            path,
            f"有 {len(tables)} 张表格，表头不同（{described}）；请用 --table N 选一张导入，"
            "或用 --list-tables 查看",
        )
    return rows, tuple(tables)


def _layout(row: Row) -> tuple[str, ...]:
    return tuple(_heading_key(row.text(i)) for i in row.filled())


def build(rows: list[Row], path: object, options: Options | None = None) -> TaskList:
    """Build the list; see :func:`build_table`."""
    return build_table(rows, path, options).tasklist


def build_table(rows: list[Row], path: object, options: Options | None = None) -> Built:
    """Build the list from preamble rows (附件, 标题), the heading row, part rows and task rows."""
    return _Builder(path, options or Options()).run(rows)


class _Builder:
    def __init__(self, path: object, options: Options) -> None:
        self.path = path
        self.options = options
        self.parts: list[_Part] = []
        self.stack: list[_Part] = []
        self.by_category: dict[str, _Part] = {}
        self.by_path: dict[str, _Part] = {}
        self.items: list[_Item] = []
        self.warnings: list[str] = []
        self.year: int | None = None

    def run(self, rows: list[Row]) -> Built:
        rows, tables = _select(rows, self.path, self.options)
        preamble: list[str] = []
        heading: Row | None = None
        heading_layout: tuple[str, ...] = ()
        roles: dict[int, str] | None = None
        data: list[Row] = []
        for row in rows:
            if roles is None:
                filled = row.filled()
                roles = find_columns(row, self.options.columns)
                if roles is not None:
                    heading = row
                    heading_layout = _layout(row)
                elif len(filled) == 1:
                    preamble.append(row.text(filled[0]).strip())
                continue
            filled = row.filled()
            if filled and (len(filled) != len(heading_layout) or _layout(row) != heading_layout):
                data.append(row)
        if roles is None or heading is None:
            if self.options.columns:
                wanted = "、".join(f"「{h}」" for h in self.options.columns)
                raise DataFileError(self.path, f"找不到含有 {wanted} 的表头行；请核对 --columns")
            raise _unknown_layout(rows, self.path)
        attachment = next((p for p in preamble if _ANNEX.match(p)), "")
        title = _title(preamble, attachment)
        names = [heading.text(i) for i in range(len(heading.cells))]
        # each cell once: a cell merged down over an item's rows is not a value repeated
        cells = [
            [r.text(i) for r in data if len(r.filled()) >= 2 and i not in r.merged]
            for i in range(len(names))
        ]
        chosen = R.choose(names, self.options.columns, cells) or R.choose(
            names, self.options.columns
        )
        assert chosen is not None  # the heading row was found by the same rules
        roles = {i: role for i, (role, _) in chosen.items()}
        self.reasons = {i: why for i, (_, why) in chosen.items()}
        if (
            not self.options.first_unit_leads
            and any(FIRST_UNIT_LEADS in _heading_key(p) for p in preamble)
            and R.LEAD not in roles.values()
            and R.UNITS in roles.values()
        ):
            self.options = replace(self.options, first_unit_leads=True)
            self.warnings.append(
                f"清单注明「{FIRST_UNIT_LEADS}」：各项责任单位的第一个记为牵头部门"
            )
        self.roles = roles
        self.headings = {i: heading.text(i).strip() for i in roles}
        self.col = {role: i for i, role in sorted(roles.items(), reverse=True)}
        self.units = [i for i, role in sorted(roles.items()) if role == R.UNITS]
        self.year = self._year(title, preamble)
        rules = self._rules_in_cells(data)
        self._check_rule()
        for row in data:
            self._row(row)
        sections = self._sections()
        tasklist = TaskList(
            title=title,
            attachment=attachment,
            year=self.year,
            sections=sections,
            source=str(self.path),
            columns=self._columns(),
            rules=((FIRST_UNIT_LEADS,) if self.options.first_unit_leads else ()) + rules,
        )
        extra = tuple(
            _flat(self.headings[i]) for i, r in sorted(roles.items()) if r in (R.EXTRA, R.PERSON)
        )
        summary = Summary(
            rows=len(data),
            tasks=len(tasklist.tasks),
            sections=len(sections),
            columns=tuple((_flat(self.headings[i]), R.LABELS[r]) for i, r in sorted(roles.items())),
            extra=extra,
            warnings=tuple(self.warnings),
            tables=tables,
            reasons=tuple(self.reasons[i] for i in sorted(roles)),
        )
        return Built(tasklist, [], summary)

    def _year(self, title: str, preamble: list[str]) -> int:
        """The list's year: the title's, else a line above the table, else the file name's;
        ``--year`` wins; without any, this year (each choice but the title's is noted)."""
        found: int | None = None
        match = YEAR.search(title)
        if match:
            found = int(match.group(1))
        else:
            line = next((p for p in preamble if YEAR.search(p)), None)
            named = YEAR.search(Path(str(self.path)).name)
            if line is not None:
                found = int(YEAR.search(line).group(1))  # type: ignore[union-attr]
                source = f"「{_flat(line)}」"
            elif named:  # a CSV has no title row, but its file name often says
                found = int(named.group(1))
                source = "文件名"
            if found is not None and self.options.year is None:
                self.warnings.append(f"标题中没有年度，按{source}取 {found} 年")
        wanted = self.options.year
        if wanted is not None:
            if found is None:
                self.warnings.append(f"清单中没有年度，按 --year 取 {wanted} 年")
            elif found != wanted:
                self.warnings.append(f"清单写的是 {found} 年，按 --year 取 {wanted} 年")
            return wanted
        if found is None:
            found = _dt.date.today().year
            self.warnings.append(
                f"清单中没有年度，按今年（{found} 年）计；不对时用 --year YYYY 指定"
            )
        return found

    def _rules_in_cells(self, data: list[Row]) -> tuple[str, ...]:
        """A rule written inside a unit cell (市税务局（列第一位者为工作牵头单位或汇总单位，下同）):
        applied to the whole list and taken out of the name (the cell stays as written)."""
        columns = [*self.units, *([self.col[R.LEAD]] if R.LEAD in self.col else [])]
        for row in data:
            for index in columns:
                match = _RULE_NOTE.search(row.text(index))
                if match is None:
                    continue
                rule = re.sub(r"[，,；;]?\s*下同\s*$", "", match["rule"].strip())
                where = f"第 {row.line} 行" if row.line else "表中"
                said = f"{where}的{_flat(self.headings[index])}中注明「{_flat(rule)}」"
                if self.roles[index] == R.UNITS and R.LEAD not in self.col:
                    if not self.options.first_unit_leads:
                        self.options = replace(self.options, first_unit_leads=True)
                        self.warnings.append(
                            f"{said}：按「{FIRST_UNIT_LEADS}」，各项责任单位的第一个记为牵头部门"
                        )
                    return ()
                self.warnings.append(f"{said}：记入清单的规则，不作单位名称")
                return (rule,)
        return ()

    def _check_rule(self) -> None:
        if not self.options.first_unit_leads:
            return
        if R.LEAD in self.col:
            raise InputError(
                f"已有牵头单位列「{self.headings[self.col[R.LEAD]]}」，"
                "--first-unit-leads（列第一位的为牵头单位）只用于没有单独牵头单位列的清单"
            )
        if not self.units:
            raise InputError("没有责任单位列，--first-unit-leads（列第一位的为牵头单位）无从适用")

    def _columns(self) -> tuple[tuple[str, str], ...]:
        """The source's headings and their keys; none for the 台安 layout (each heading is
        its own key), so such a list is written exactly as before."""
        out = []
        for index, role in sorted(self.roles.items()):
            heading = self.headings[index]
            target = self._extra_key(index) if role in (R.EXTRA, R.PERSON) else R.KEYS[role]
            out.append((heading, target))
        plain = all(h == k and h in R.KEYS.values() for h, k in out)
        return () if plain else tuple(out)

    def _extra_key(self, index: int) -> str:
        heading = R.key(self.headings[index])
        reserved = (*RESERVED, *R.KEYS.values(), ROWS_KEY)
        return f"{heading}（原表列）" if heading in reserved or not heading else heading

    # Rows -------------------------------------------------------------------------------

    def _row(self, row: Row) -> None:
        filled = row.filled()
        id_col = self.col.get(R.ID)
        text_col = self.col[R.TEXT]
        values = {row.text(i).strip() for i in filled}
        if len(values) == 1 and (len(filled) == 1 or filled[0] != text_col):
            self._single(row, values.pop(), filled[0], id_col, text_col)
            return
        raw_id = row.text(id_col).strip()
        if (
            _PART_NUMERAL.match(raw_id)
            and set(filled) <= {id_col, text_col}
            and row.text(text_col).strip()
        ):  # 序号 一 and the part's title in the task column
            title = row.text(text_col).strip()
            joined = raw_id + ("" if raw_id[-1] in "、.．）)" else "、") + title
            level = _level(joined)
            if level is not None:
                self._open(row, joined, *level)
                return
        if id_col is not None and raw_id and id_col not in row.merged:
            match = _ID.match(raw_id)
            if not match:
                raise DataFileError(self.path, f"序号应为数字，得到「{raw_id}」", row.line)
            if int(match.group(1)) < 1:  # 序号 0: no list numbers from zero
                raise DataFileError(self.path, f"序号应为正整数，得到「{raw_id}」", row.line)
            self._new(int(match.group(1)), row)
        elif id_col is None:
            self._new(len(self.items) + 1, row)
        elif self.items:
            self._continue(row)
        else:
            raise DataFileError(self.path, "第一项任务没有序号", row.line)

    def _category(self, category: str) -> _Part:
        if " > " in category:  # the path of a nested part, as export writes it
            if category not in self.by_path:
                self.stack = []
                for piece in category.split(" > "):
                    level = _level(piece) or (4, "", "", piece, None)
                    self._open(Row(((piece,),)), piece, *level)
                self.by_path[category] = self.stack[-1]
                self.stack = []
            return self.by_path[category]
        if category not in self.by_category:
            heading = _level(category)
            if heading is not None:
                _, own, _, title, declared = heading
                part = _Part(1, own, own, title, declared, "", (), _heading_leaders(category))
            else:
                number = numeral(len(self.by_category) + 1)
                part = _Part(1, number, number, category, None, "", (), _heading_leaders(category))
            self.by_category[category] = part
        return self.by_category[category]

    def _single(self, row: Row, text: str, index: int, id_col: int | None, text_col: int) -> None:
        """A row of one cell: a part heading, or more of the item above."""
        level = _level(text)
        if level is not None and level[0] == 3 and index == text_col and self.items:
            level = None  # 1. 2. inside the task column: the item's own sub-points
        if level is not None:
            self._open(row, text, *level)
        elif _LEADER_ROW.match(text):
            self._open(row, text, 4, "", "", text, None)
        elif index == id_col and _ID.match(text):
            raise DataFileError(self.path, f"序号 {text.strip()} 这一行没有任务内容", row.line)
        elif row.bold or (index in (0, id_col) and index != text_col):
            self._open(row, text, 4, "", "", text, None)
        elif self.items:
            self._continue(row)
        else:
            raise DataFileError(
                self.path, f"无法识别的单列行「{text}」：部分标题应形如「一、…（6项）」", row.line
            )

    def _new(self, task_id: int, row: Row) -> None:
        if self.stack:
            part = self.stack[-1]
        else:
            category = row.text(self.col[R.SECTION]).strip() if R.SECTION in self.col else ""
            part = self._category(category)
        self.items.append(_Item(task_id, [row], part))

    def _continue(self, row: Row) -> None:
        self.items[-1].rows.append(row)

    def _open(
        self,
        row: Row,
        text: str,
        level: int,
        own: str,
        styled: str,
        title: str,
        declared: int | None,
    ) -> None:
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        if level == 4 and not own:
            if parent is not None:
                parent.unnumbered += 1
                count = parent.unnumbered
            else:
                count = sum(1 for p in self.parts if not p.path and not p.own) + 1
            styled = f"·{count}"
        if parent is None:
            number = own or styled
            path: tuple[str, ...] = ()
        else:
            parent.children += 1
            number = parent.numeral + styled
            path = (*parent.path, parent.text)
        leaders = _heading_leaders(text) or (parent.leaders if parent else ())
        part = _Part(level, own, number, title, declared, text, path, leaders, text)
        computed = f"{own}、{title}{'' if declared is None else f'（{declared}项）'}"
        if parent is None and level == 1 and text == computed:
            part.written = ""
        self.parts.append(part)
        self.stack.append(part)

    # Items → tasks ----------------------------------------------------------------------

    def _cell(self, row: Row, role: str) -> str:
        return row.text(self.col[role]) if role in self.col else ""

    def _split(self, row: Row, text: str) -> tuple[str, ...]:
        text = _RULE_NOTE.sub("", text)
        # A cell that repeats the task text is a slip of the document, not a list of names:
        # kept whole for validate to point out.
        if (
            _SEPARATED.search(text)
            and text.strip()
            and _heading_key(text) == _heading_key(self._cell(row, R.TEXT))
        ):
            return (text,)
        return split_cell(text)

    def _names(self, row: Row) -> dict[str, tuple[str, ...]]:
        found: dict[str, tuple[str, ...]] = {
            R.LEADERS: self._split(row, self._cell(row, R.LEADERS)),
            R.LEAD: self._split(row, self._cell(row, R.LEAD)),
        }
        units: list[str] = []
        for index in self.units:
            units.extend(self._split(row, row.text(index)))
        if self.options.first_unit_leads and units:
            found[R.LEAD], units = (units[0],), units[1:]
        found[R.UNITS] = tuple(units)
        return found

    def _task(self, item: _Item) -> Task:
        rows = item.rows
        first = rows[0]
        texts = _distinct(self._cell(r, R.TEXT) for r in rows)
        if not texts:
            raise DataFileError(self.path, f"序号 {item.id} 没有任务内容", first.line)
        names: dict[str, list[str]] = {role: [] for role in R.NAME_ROLES}
        for row in rows:
            for role, found in self._names(row).items():
                before = set(names[role])  # a later row adds only names not given already
                names[role].extend(n for n in found if n not in before)
        if not names[R.LEADERS]:
            names[R.LEADERS] = list(item.part.leaders)
        extra: dict[str, Any] = {}
        titles = _distinct(self._cell(r, R.TITLE).strip() for r in rows)
        if titles:
            extra[R.KEYS[R.TITLE]] = "\n".join(titles)
        phrases = _distinct(self._cell(r, R.DEADLINE).strip() for r in rows)
        dates = [parse_deadline(p) or parse_phrase(p, self.year) for p in phrases]
        deadline = max((d for d in dates if d), default=None)
        if phrases and not (len(phrases) == 1 and parse_deadline(phrases[0])):
            extra[DEADLINE_NOTE] = "\n".join(phrases)
            if any(d is None for d in dates):
                self.warnings.append(
                    f"序号 {item.id} 的完成时限「{_flat(phrases[0])}」换算不出日期，按年度末计"
                )
        for index, role in sorted(self.roles.items()):
            if role in (R.EXTRA, R.PERSON):
                kept = _distinct(r.text(index).strip() for r in rows)
                if kept:
                    extra[self._extra_key(index)] = "\n".join(kept)
        if len(rows) == 1:
            for role, index in self.col.items():
                if role not in R.NAME_ROLES or (role == R.UNITS and len(self.units) > 1):
                    continue
                text = first.text(index)
                if text.strip() and as_written(self._split(first, text), text) is not None:
                    extra[R.KEYS[role] + WRITTEN_SUFFIX] = text
        else:
            extra[ROWS_KEY] = [self._row_record(r) for r in rows]
        return Task(
            id=item.id,
            text="\n".join(texts),
            leaders=tuple(names[R.LEADERS]),
            lead_departments=tuple(names[R.LEAD]),
            departments=tuple(names[R.UNITS]),
            section=item.part.numeral,
            deadline=deadline,
            extra=extra,
        )

    def _row_record(self, row: Row) -> dict[str, str]:
        record: dict[str, str] = {}
        for index, role in sorted(self.roles.items()):
            if role in (R.ID, R.SECTION):
                continue
            text = row.text(index).strip("\n")
            if text.strip():
                key = self._extra_key(index) if role in (R.EXTRA, R.PERSON) else R.KEYS[role]
                record[key] = text if key not in record else f"{record[key]}\n{text}"
        return record

    def _warn_blank_cells(self) -> None:
        """A blank 责任领导 or 牵头单位 cell under a filled one: left blank, the rows named (a CSV
        saved from merged cells loses all but the top cell, but a blank may also be meant)."""
        if not self.options.merges_lost:
            return
        for role in (R.LEADERS, R.LEAD):
            if role not in self.col:
                continue
            blank: list[str] = []
            previous = ""
            for item in self.items:
                own = self._cell(item.rows[0], role).strip()
                if not own and previous and not (role == R.LEADERS and item.part.leaders):
                    blank.append(str(item.rows[0].line or item.id))
                previous = own or previous
            if blank:
                shown = "、".join(blank[:10]) + ("…" if len(blank) > 10 else "")
                self.warnings.append(
                    f"第 {shown} 行的{_flat(self.headings[self.col[role]])}为空而上一行有；"
                    "若原表是合并单元格（另存为 CSV 时只留第一格），请核对，或改用 .xlsx/.docx 导入"
                )

    def _sections(self) -> tuple[Section, ...]:
        self._warn_blank_cells()
        for item in self.items:
            item.part.tasks.append(self._task(item))
        if self.by_category or self.by_path:  # parts from a 部分/类别 column: as they come
            parts = list({id(item.part): item.part for item in self.items}.values())
        else:
            parts = [p for p in self.parts if p.tasks or not p.children]
        return tuple(
            Section(p.numeral, p.title, p.declared, tuple(p.tasks), p.path, p.written)
            for p in parts
        )


def _flat(text: str) -> str:
    return " ".join(text.split())


def _distinct(values: Any) -> list[str]:
    out: list[str] = []
    for value in values:
        if value.strip() and value not in out:
            out.append(value)
    return out
