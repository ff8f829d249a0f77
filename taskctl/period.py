"""The period a collection round covers: an ISO week, a month, or a since–until span."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from taskctl.errors import InputError


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
        return f"{self.start.year}年{span}"

    def default_due(self) -> _dt.date:
        """The reply deadline unless told: the period's last working day (Friday for a week)."""
        due = self.end
        while due.weekday() >= 5 and due > self.start:
            due -= _dt.timedelta(days=1)
        return due


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
        from taskctl.report import parse_week

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


def period_from_label(label: str) -> Period:
    """The period a form or a log entry names by its label."""
    text = label.strip()
    if re.fullmatch(r"\d{4}-W\d{2}", text):
        return parse_period(week=text)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return parse_period(month=text)
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
