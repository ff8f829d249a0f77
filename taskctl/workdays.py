"""Working days on China's official calendar: 法定节假日 off, 调休 weekend days on.

The calendar is the State Council's, as kept by the ``chinese-calendar`` package (imported
here, when a due date is first asked for). Past the years it knows, Monday to Friday are the
working days: said once per year through the ``warn`` callback, never printed here.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable

Warn = Callable[[str], None]
_warned: set[int] = set()


def _official(day: _dt.date) -> bool | None:
    """Whether ``day`` is a working day on the official calendar; ``None`` past its data."""
    try:
        import chinese_calendar  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - a dependency; an install without it still runs
        return None
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


def covered_years() -> tuple[int, int] | None:
    """The first and last year the official calendar knows (``None`` when it is missing)."""
    try:
        from chinese_calendar import constants  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover
        return None
    years = {day.year for day in constants.holidays}
    return (min(years), max(years)) if years else None


def is_workday(day: _dt.date, warn: Warn | None = None) -> bool:
    """A working day: on the official calendar, else (past its data) Monday to Friday."""
    official = _official(day)
    if official is not None:
        return official
    if warn is not None and day.year not in _warned:
        _warned.add(day.year)
        span = covered_years()
        known = f"只到 {span[1]} 年" if span else "不可用"
        warn(f"法定节假日数据{known}，{day.year} 年的工作日按周一至周五计算（不含调休）")
    return day.weekday() < 5


def last_workday(start: _dt.date, end: _dt.date, warn: Warn | None = None) -> _dt.date:
    """The last working day of ``start``..``end``; ``end`` when none of them is one."""
    day = end
    while day >= start:
        if is_workday(day, warn):
            return day
        day -= _dt.timedelta(days=1)
    return end


def on_or_after(day: _dt.date, warn: Warn | None = None) -> _dt.date:
    """``day`` if it is a working day, else the next one (a due date on a holiday 顺延)."""
    while not is_workday(day, warn):
        day += _dt.timedelta(days=1)
    return day


def after(day: _dt.date, count: int, warn: Warn | None = None) -> _dt.date:
    """The ``count``-th working day after ``day`` (``day`` itself when ``count`` is 0)."""
    while count > 0:
        day += _dt.timedelta(days=1)
        if is_workday(day, warn):
            count -= 1
    return day
