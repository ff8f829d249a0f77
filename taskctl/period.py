"""The period a collection round covers (an ISO week, a month, a quarter, or a since–until
span) and the office's cadence of rounds (``报送周期``), which gives each round its due date.

The cadence, as a list writes it at the top level (docs/progress.md has the worked example):

* ``每周`` / ``每周五`` (一 … 日): a round per ISO week, due on its last working day / on
  that weekday;
* ``每月`` / ``每月25日前`` (1–31): a round per month, due on its last working day / on that
  day (the month's last day when it has fewer);
* ``每季`` / ``季末后10个工作日``: a round per quarter, due on its last working day / on the
  N-th working day after it.

A due date that falls on a day off moves to the next working day (遇节假日顺延), on the
official calendar (:mod:`taskctl.workdays`).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from taskctl.errors import InputError

Warn = Callable[[str], None]
CADENCE_KEY = "报送周期"
WEEKDAYS = "一二三四五六日"
QUARTERS = "一二三四"


@dataclass(frozen=True)
class Period:
    """A round: ``label`` is what forms, file names and the log's ``期间`` carry."""

    label: str
    start: _dt.date
    end: _dt.date

    @property
    def title(self) -> str:
        """The period in the office's words: 2023年第26周（6月26日—7月2日）."""
        span = f"{_md(self.start)}—{_md(self.end)}"
        if re.fullmatch(r"\d{4}-W\d{2}", self.label):
            year, week = self.label.split("-W")
            return f"{year}年第{int(week)}周（{span}）"
        if re.fullmatch(r"\d{4}-\d{2}", self.label):
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == "quarter":
            return f"{self.start.year}年第{QUARTERS[(self.start.month - 1) // 3]}季度"
        return f"{self.start.year}年{span}"

    @property
    def kind(self) -> str:
        """``week``, ``month``, ``quarter`` or ``span``, from the label."""
        if re.fullmatch(r"\d{4}-W\d{2}", self.label):
            return "week"
        if re.fullmatch(r"\d{4}-\d{2}", self.label):
            return "month"
        if re.fullmatch(r"\d{4}Q[1-4]", self.label):
            return "quarter"
        return "span"

    def default_due(self, warn: Warn | None = None) -> _dt.date:
        """The reply deadline unless told: the period's last working day on the official
        calendar (a 调休 Sunday counts; a holiday Friday does not)."""
        from taskctl.workdays import last_workday

        return last_workday(self.start, self.end, warn)


@dataclass(frozen=True)
class Cadence:
    """The office's cadence of rounds (``报送周期``): what a round is and when it is due.

    ``kind`` is ``week``, ``month`` or ``quarter``; ``day`` the weekday (0 = Monday) of 每周X,
    the day of the month of 每月N日前, or the working days after the quarter of 季末后N个工作日;
    ``None``: the round's last working day."""

    kind: str
    day: int | None = None
    text: str = ""

    def round_of(self, day: _dt.date) -> Period:
        """The round that holds ``day``."""
        if self.kind == "week":
            year, week, _ = day.isocalendar()
            return parse_period(week=f"{year}-W{week:02d}")
        if self.kind == "month":
            return parse_period(month=f"{day.year}-{day.month:02d}")
        return quarter_period(day.year, (day.month - 1) // 3 + 1)

    def previous(self, period: Period) -> Period:
        return self.round_of(period.start - _dt.timedelta(days=1))

    def due(self, period: Period, warn: Warn | None = None) -> _dt.date:
        """The round's due date (see the module docstring)."""
        from taskctl import workdays

        if self.day is None:
            return period.default_due(warn)
        if self.kind == "week":
            return workdays.on_or_after(period.start + _dt.timedelta(days=self.day), warn)
        if self.kind == "month":
            last = period.end.day
            return workdays.on_or_after(period.start.replace(day=min(self.day, last)), warn)
        return workdays.after(period.end, self.day, warn)

    def due_of(self, period: Period, warn: Warn | None = None) -> _dt.date:
        """The due date of ``period``: the cadence's when the period is one of its rounds,
        else the period's last working day."""
        if period.kind == self.kind:
            return self.due(period, warn)
        return period.default_due(warn)

    def last_due(
        self, as_of: _dt.date, since: _dt.date, warn: Warn | None = None
    ) -> tuple[Period, _dt.date] | None:
        """The latest round starting on or after ``since`` whose due date is before ``as_of``
        (a reply for it is overdue on ``as_of`` when none came), with that date."""
        period = self.round_of(as_of)
        for _ in range(4):  # holidays, 99 work days: a round may fall due 3 rounds later
            if period.start < since:
                return None
            due = self.due(period, warn)
            if due < as_of:
                return period, due
            period = self.previous(period)
        return None


def parse_cadence(settings: Mapping[str, Any]) -> Cadence | None:
    """The list's ``报送周期`` (see the module docstring), ``None`` when it sets none."""
    raw = settings.get(CADENCE_KEY)
    if raw is None:
        return None
    text = re.sub(r"\s+", "", str(raw)) if isinstance(raw, str) else ""
    match = re.fullmatch(rf"每周([{WEEKDAYS}天])?", text)
    if match:
        day = None if match.group(1) is None else (WEEKDAYS + "天").index(match.group(1))
        return Cadence("week", None if day is None else min(day, 6), text)
    match = re.fullmatch(r"每月(?:(\d{1,2})[日号]前?)?", text)
    if match and (match.group(1) is None or 1 <= int(match.group(1)) <= 31):
        return Cadence("month", None if match.group(1) is None else int(match.group(1)), text)
    match = re.fullmatch(r"每季(?:度)?|季末后(\d{1,2})个工作日(?:内)?", text)
    if match:
        return Cadence("quarter", None if match.group(1) is None else int(match.group(1)), text)
    raise InputError(
        f"{CADENCE_KEY}「{raw}」无法识别：应写 每周、每周五、每月、每月25日前、每季 或 季末后10个工作日"
    )


def quarter_period(year: int, quarter: int) -> Period:
    start = _dt.date(year, 3 * quarter - 2, 1)
    following = _dt.date(year + quarter // 4, 3 * quarter % 12 + 1, 1)
    return Period(f"{year}Q{quarter}", start, following - _dt.timedelta(days=1))


def _md(day: _dt.date) -> str:
    return f"{day.month}月{day.day}日"


def parse_period(
    week: str | None = None,
    month: str | None = None,
    since: _dt.date | None = None,
    until: _dt.date | None = None,
) -> Period:
    """Exactly one of ``--week 2023-W26``, ``--month 2023-06`` or ``--since``/``--until``."""
    chosen = [name for name, value in (("--week", week), ("--month", month)) if value]
    if since or until:
        chosen.append("--since/--until")
    if len(chosen) != 1:
        raise InputError(
            "请用 --week 2023-W26、--month 2023-06 或 --since/--until 之一指明填报期间"
            + (f"（现写了 {'、'.join(chosen)}）" if chosen else "")
        )
    if week:
        start, end = parse_week(week)
        year, number, _ = start.isocalendar()
        return Period(f"{year}-W{number:02d}", start, end)
    if month:
        match = re.fullmatch(r"\s*(\d{4})[-/.年](\d{1,2})月?\s*", month)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise InputError(f"月份「{month}」应写成 2023-06")
        year, number = int(match.group(1)), int(match.group(2))
        start = _dt.date(year, number, 1)
        following = _dt.date(year + number // 12, number % 12 + 1, 1)
        return Period(f"{year}-{number:02d}", start, following - _dt.timedelta(days=1))
    if since is None or until is None:
        raise InputError("--since 与 --until 须同时写明，如 --since 2023-06-01 --until 2023-06-15")
    if since > until:
        raise InputError(f"填报期间的起点 {since} 晚于终点 {until}")
    return Period(f"{since.isoformat()}~{until.isoformat()}", since, until)


def parse_week(text: str) -> tuple[_dt.date, _dt.date]:
    """An ISO week such as ``2023-W23`` to its Monday and Sunday (``--week`` everywhere)."""
    match = re.fullmatch(r"\s*(\d{4})-?[Ww](\d{1,2})\s*", text)
    if not match:
        raise InputError(f"周「{text}」应写成 2023-W23（ISO 周）")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = _dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise InputError(f"{year} 年没有第 {week} 周") from None
    return monday, monday + _dt.timedelta(days=6)


def period_from_label(label: str) -> Period:
    """The period a form or a log entry names by its label."""
    text = label.strip()
    if re.fullmatch(r"\d{4}-W\d{2}", text):
        return parse_period(week=text)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return parse_period(month=text)
    if re.fullmatch(r"\d{4}Q[1-4]", text):
        return quarter_period(int(text[:4]), int(text[-1]))
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})~(\d{4}-\d{2}-\d{2})", text)
    if match:
        try:
            since, until = (_dt.date.fromisoformat(part) for part in match.groups())
        except ValueError:
            pass
        else:
            return parse_period(since=since, until=until)
    raise InputError(
        f"无法识别的填报期间「{label}」：应为 2023-W26、2023-06 或 2023-06-01~2023-06-15"
    )
