"""The task list as frozen dataclasses: a :class:`TaskList` of :class:`Section` of :class:`Task`.

Fields hold the document's text verbatim (names keep their padding, e.g. ``张  辉``); use
:func:`taskctl.names.normalize` to compare names.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from taskctl.names import normalize

# The key under which a task's name (项目名称 beside 主要内容) is kept, in the YAML and in extra.
TITLE_KEY = "任务名称"
# 完成时限 as the document wrote it (6月底前, 长期坚持) beside the date it gives.
DEADLINE_NOTE = "完成时限说明"
# The rows of an item the document spreads over several rows (a 序号 merged down), as written.
ROWS_KEY = "分项"
# Top-level keys of a list that hold the office's own rules (see TaskList.settings), in the
# order a saved list writes them. Each is read and checked where it is used.
SETTINGS_KEYS: tuple[str, ...] = (
    "多单位汇总",
    "亮灯规则",
    "报送周期",
    "办结审核",
    "考评规则",
    "通报",
)
# ``责任部门原文`` and the like: a name cell as written, where splitting it changed it.
WRITTEN_SUFFIX = "原文"


@dataclass(frozen=True)
class Task:
    """One row of the list: 序号, 年度任务目标, 责任领导, 牵头部门, 责任部门."""

    id: int
    text: str
    leaders: tuple[str, ...] = ()
    lead_departments: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    section: str = ""
    deadline: _dt.date | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    by_status: bool = False  # 按状态判定: an indicator (增长7%) whose 进度 percentage means nothing

    def to_record(self) -> dict[str, Any]:
        """The task as a JSON-ready dict with the stable English keys documented in the README."""
        return {
            "id": self.id,
            "section": self.section,
            "text": self.text,
            "leaders": [normalize(name) for name in self.leaders],
            "lead_departments": list(self.lead_departments),
            "departments": list(self.departments),
        }

    @property
    def deadline_phrase(self) -> str:
        """The 完成时限 as the document wrote it, when that was not a plain date."""
        return str(self.extra.get(DEADLINE_NOTE, "") or "")

    def kept_columns(self) -> dict[str, Any]:
        """The source's other columns kept verbatim on this task (责任人, 备注 …), in order."""
        internal = (TITLE_KEY, DEADLINE_NOTE, ROWS_KEY)
        return {
            str(key): value
            for key, value in self.extra.items()
            if key not in internal and not str(key).endswith(WRITTEN_SUFFIX)
        }

    def rows(self) -> list[tuple[str, Mapping[str, Any]]]:
        """The rows of an item spread over several rows, numbered under it (5.1, 5.2 …)."""
        rows = self.extra.get(ROWS_KEY)
        if not isinstance(rows, list):
            return []
        return [
            (f"{self.id}.{n}", row) for n, row in enumerate(rows, 1) if isinstance(row, Mapping)
        ]

    @property
    def title(self) -> str:
        """The 项目名称 of a list that gives each task a name and a text (see docs/import.md)."""
        return str(self.extra.get(TITLE_KEY, "") or "")


@dataclass(frozen=True)
class Section:
    """A heading row such as ``一、全县经济社会发展主要预期指标（6项）`` and its tasks.

    In a list with nested parts (一、 > （一） > 1.) only the innermost parts hold tasks: their
    ``numeral`` joins the numerals of every level (``一（一）``), ``path`` holds the headings of
    the enclosing levels as written and ``written`` the part's own heading as written.
    """

    numeral: str
    title: str
    declared: int | None
    tasks: tuple[Task, ...] = ()
    path: tuple[str, ...] = ()
    written: str = ""

    @property
    def heading(self) -> str:
        """The heading as printed in the document."""
        if self.written:
            return self.written
        count = "" if self.declared is None else f"（{self.declared}项）"
        return f"{self.numeral}、{self.title}{count}"

    @property
    def full_heading(self) -> str:
        """The headings of every level down to this part, joined by ` > `."""
        return " > ".join((*self.path, self.heading))

    def to_record(self) -> dict[str, Any]:
        return {
            "numeral": self.numeral,
            "title": self.title,
            "declared": self.declared,
            "actual": len(self.tasks),
        }


@dataclass(frozen=True)
class TaskList:
    """The whole list: title, sections in order, and the ``groups`` map of blanket assignees."""

    title: str
    sections: tuple[Section, ...]
    groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    attachment: str = ""
    year: int | None = None
    source: str = ""
    tolerance: float | None = None  # 序时容差 in points; None: the default of the light rule
    # The source's own column headings in order, each with the key it maps to (序号,
    # 年度任务目标, 责任领导 … or itself for a column kept verbatim); empty for lists in the
    # 台安 layout and lists imported before headings were recorded.
    columns: tuple[tuple[str, str], ...] = ()
    # Published rules the list follows, as written (列第一位的为牵头单位).
    rules: tuple[str, ...] = ()
    # The office's own rules, as written under the top-level keys of SETTINGS_KEYS (亮灯规则,
    # 多单位汇总 …): plain YAML values, each parsed and checked by the module it concerns.
    settings: Mapping[str, Any] = field(default_factory=dict)

    @property
    def tasks(self) -> tuple[Task, ...]:
        return tuple(task for section in self.sections for task in section.tasks)

    def task(self, task_id: int) -> Task:
        """The task with this 序号; :class:`UnknownTaskError` when there is none."""
        for task in self.tasks:
            if task.id == task_id:
                return task
        ids = [t.id for t in self.tasks]
        raise _unknown(task_id, (min(ids), max(ids)) if ids else None)

    def require(self, task_id: int) -> None:
        """:class:`UnknownTaskError` unless the list has this 序号."""
        self.task(task_id)

    def default_deadline(self) -> _dt.date | None:
        """The list's default deadline: the end of its year."""
        return _dt.date(self.year, 12, 31) if self.year else None


def _unknown(task_id: int, span: tuple[int, int] | None) -> Exception:
    from taskctl.errors import UnknownTaskError

    shown = f"本清单序号为 {span[0]}–{span[1]}" if span else "清单为空"
    return UnknownTaskError(f"没有序号为 {task_id} 的任务（{shown}）")


class ListFacts:
    """What recording progress needs of a list, and nothing more: its 年度 and which 序号 it
    has (as sorted runs ``(first, last)``). Small enough to keep beside the parse cache, so
    ``update`` on a 100 000-task list need not load the list (see :mod:`taskctl.cache`).
    A plain class: a dataclass would cost every command's start-up its creation."""

    __slots__ = ("year", "runs", "units", "names", "reader")

    def __init__(
        self,
        year: int | None,
        runs: tuple[tuple[int, int], ...],
        units: bytes = b"",
        names: tuple[str, ...] = (),
    ) -> None:
        self.year = year
        self.runs = runs
        # Each task's units (see :class:`taskctl.units.TaskUnits`) as lines
        # ``\n序号\t牵头…\x1e责任…\x1e统称`` then, for each 分项, ``\x1d牵头…\x1e责任…``:
        # one bytes object, cheap to keep and to search; or, for facts kept beside the parse
        # cache, ``reader(序号)`` gives one task's line.
        self.units = units
        self.names = names  # every unit of the list, sorted
        self.reader: Any = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ListFacts):
            return NotImplemented
        return (self.year, self.runs, self.names) == (other.year, other.runs, other.names)

    def __hash__(self) -> int:
        return hash((self.year, self.runs))

    def __repr__(self) -> str:
        return f"ListFacts(year={self.year!r}, runs={self.runs!r})"

    def _line(self, task_id: int) -> list[str] | None:
        self.require(task_id)
        if self.reader is not None:
            line = self.reader(task_id)
            if line is None:
                return None
            return line.decode().split("\t", 1)[1].split("\x1d")
        start = self.units.find(b"\n%d\t" % task_id)
        if start < 0:
            return None
        start = self.units.index(b"\t", start) + 1
        return self.units[start : self.units.index(b"\n", start)].decode().split("\x1d")

    def part_count(self, task_id: int) -> int:
        """How many 分项 the task has (see :mod:`taskctl.subitems`); 0 for a task in one row."""
        line = self._line(task_id)
        return 0 if line is None else len(line) - 1

    def units_of(
        self, task_id: int, part: int = 0
    ) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
        """The task's (or its 分项 ``part``'s) 牵头 and 责任 units (as
        :meth:`taskctl.units.UnitIndex.of` gives them), and whether the task also names a 统称
        the list does not spell out (各有关部门)."""
        line = self._line(task_id)
        if line is None:
            return (), (), True
        leads, supports, open_group = line[0].split("\x1e")
        if part:
            leads, supports = line[part].split("\x1e")
        return (
            tuple(leads.split("\x1f")) if leads else (),
            tuple(supports.split("\x1f")) if supports else (),
            bool(open_group),
        )

    @classmethod
    def of(
        cls, year: int | None, ids: list[int], units: bytes = b"", names: tuple[str, ...] = ()
    ) -> ListFacts:
        runs: list[tuple[int, int]] = []
        for task_id in sorted(set(ids)):
            if runs and runs[-1][1] == task_id - 1:
                runs[-1] = (runs[-1][0], task_id)
            else:
                runs.append((task_id, task_id))
        return cls(year, tuple(runs), units, names)

    def require(self, task_id: int) -> None:
        """:class:`UnknownTaskError` unless the list has this 序号 (as :meth:`TaskList.task`)."""
        import bisect

        at = bisect.bisect_right(self.runs, (task_id, float("inf"))) - 1
        if at < 0 or not self.runs[at][0] <= task_id <= self.runs[at][1]:
            span = (self.runs[0][0], self.runs[-1][1]) if self.runs else None
            raise _unknown(task_id, span)
