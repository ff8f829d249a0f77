"""Working days on China's official calendar (chinese-calendar), and Monday–Friday past it."""

from __future__ import annotations

import datetime as dt

from taskctl import workdays
from taskctl.period import parse_period

D = dt.date


def test_dragon_boat_2023():
    # 端午: 22–24 June off; Sunday 25 June a 调休 working day
    assert [workdays.is_workday(D(2023, 6, d)) for d in range(21, 27)] == [
        True, False, False, False, True, True
    ]  # fmt: skip
    assert parse_period(week="2023-W25").default_due() == D(2023, 6, 25)
    assert workdays.on_or_after(D(2023, 6, 23)) == D(2023, 6, 25)


def test_national_day_2023():
    # 中秋国庆: 29 September – 6 October off; Saturday 7 and Sunday 8 October working days
    days = [D(2023, 9, 28) + dt.timedelta(days=n) for n in range(12)]
    assert [d for d in days if workdays.is_workday(d)] == [
        D(2023, 9, 28), D(2023, 10, 7), D(2023, 10, 8), D(2023, 10, 9)
    ]  # fmt: skip
    assert parse_period(week="2023-W39").default_due() == D(2023, 9, 28)
    assert parse_period(week="2023-W40").default_due() == D(2023, 10, 8)
    assert parse_period(month="2023-09").default_due() == D(2023, 9, 28)
    assert workdays.after(D(2023, 9, 30), 1) == D(2023, 10, 7)


def test_past_the_calendar_monday_to_friday_said_once(monkeypatch):
    monkeypatch.setattr(workdays, "_warned", set())
    heard: list[str] = []
    last = workdays.covered_years()[1]
    year = last + 3
    assert workdays.is_workday(D(year, 1, 1), heard.append) is (D(year, 1, 1).weekday() < 5)
    for n in range(10):
        workdays.is_workday(D(year, 2, 1) + dt.timedelta(days=n), heard.append)
    assert heard == [f"法定节假日数据只到 {last} 年，{year} 年的工作日按周一至周五计算（不含调休）"]


def test_calendar_covers_the_lists_years():
    first, last = workdays.covered_years()
    assert first <= 2023 <= last
