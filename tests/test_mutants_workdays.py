"""Tests for the mutants of taskctl/workdays.py that survived issue 27's run."""

from __future__ import annotations

import datetime as dt

from taskctl import workdays
from taskctl.period import parse_cadence, parse_period


def test_past_the_calendar_saturday_and_sunday_are_days_off(monkeypatch):
    monkeypatch.setattr(workdays, "_warned", set())
    year = workdays.covered_years()[1] + 3
    heard: list[str] = []
    week = parse_period(week=f"{year}-W20")
    days = [week.start + dt.timedelta(days=n) for n in range(7)]
    assert [workdays.is_workday(d, heard.append) for d in days] == [True] * 5 + [False] * 2
    # a week's form is due on its Friday; 每周日 moves to the next Monday
    assert week.default_due(heard.append) == week.start + dt.timedelta(days=4)
    assert parse_cadence({"报送周期": "每周日"}).due(week) == week.end + dt.timedelta(days=1)
    assert len(heard) == 1


def test_a_due_date_on_a_sunday_moves_to_monday():
    assert workdays.on_or_after(dt.date(2023, 6, 18)) == dt.date(2023, 6, 19)
    assert workdays.on_or_after(dt.date(2023, 6, 17)) == dt.date(2023, 6, 19)
    assert workdays.on_or_after(dt.date(2023, 6, 19)) == dt.date(2023, 6, 19)


def test_a_week_whose_only_working_day_is_its_monday_is_due_that_monday():
    # 2024-W40: Monday 30 September, then the National Day holiday to Sunday 6 October
    week = parse_period(week="2024-W40")
    assert week.default_due() == dt.date(2024, 9, 30)
