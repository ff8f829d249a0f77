"""Tests for the mutants of taskctl/period.py that survived issue 27's full run: the rounds of
each cadence, their due dates, the grammar's bounds, the labels a form carries."""

from __future__ import annotations

import datetime as dt

import pytest

from taskctl.errors import InputError
from taskctl.model import Section, Task, TaskList
from taskctl.period import parse_cadence, parse_period, period_from_label
from taskctl.progress import Entry
from taskctl.tracking import task_states

D = dt.date


def cadence(text):
    return parse_cadence({"报送周期": text})


def test_each_month_falls_in_its_quarter():
    quarterly = cadence("每季")
    quarters = {month: quarterly.round_of(D(2023, month, 15)) for month in range(1, 13)}
    labels = [quarters[month].label for month in range(1, 13)]
    assert labels == ["2023Q1"] * 3 + ["2023Q2"] * 3 + ["2023Q3"] * 3 + ["2023Q4"] * 3
    spans = {(p.label, p.start, p.end) for p in quarters.values()}
    assert sorted(spans) == [
        ("2023Q1", D(2023, 1, 1), D(2023, 3, 31)),
        ("2023Q2", D(2023, 4, 1), D(2023, 6, 30)),
        ("2023Q3", D(2023, 7, 1), D(2023, 9, 30)),
        ("2023Q4", D(2023, 10, 1), D(2023, 12, 31)),
    ]
    assert quarters[12].title == "2023年第四季度"
    assert quarterly.previous(quarters[1]).label == "2022Q4"
    assert period_from_label("2023Q4") == quarters[10]


def test_a_period_of_another_kind_is_due_on_its_last_working_day():
    monthly = cadence("每月25日前")
    june = parse_period(month="2023-06")
    assert monthly.due_of(june) == D(2023, 6, 25)  # 调休 Sunday, a working day
    # a week's form under a monthly cadence: the week's last working day (Sunday 25th)
    assert monthly.due_of(parse_period(week="2023-W25")) == D(2023, 6, 25)
    assert monthly.due_of(parse_period(week="2023-W24")) == D(2023, 6, 16)
    weekly = cadence("每周三")
    assert weekly.due_of(parse_period(week="2023-W24")) == D(2023, 6, 14)
    assert weekly.due_of(june) == D(2023, 6, 30)


def test_sunday_may_be_written_天():
    w24 = parse_period(week="2023-W24")
    assert cadence("每周天") == cadence("每周日").__class__("week", 6, "每周天")
    # Sunday 18 June is a day off: due the next working day, Monday 19th
    assert cadence("每周天").due(w24) == cadence("每周日").due(w24) == D(2023, 6, 19)


@pytest.mark.parametrize(
    ("text", "month", "due"),
    [
        ("每月1日前", "2023-03", D(2023, 3, 1)),
        ("每月1号", "2023-04", D(2023, 4, 3)),  # 1 April is a Saturday
        ("每月31日前", "2023-05", D(2023, 5, 31)),
        ("每月31日前", "2023-06", D(2023, 6, 30)),  # June has 30 days
    ],
)
def test_month_days_1_to_31_are_accepted(text, month, due):
    assert cadence(text).due(parse_period(month=month)) == due


@pytest.mark.parametrize("text", ["每月0日前", "每月00日前"])
def test_day_0_of_a_month_is_refused(text):
    with pytest.raises(InputError) as caught:
        cadence(text)
    assert str(caught.value).startswith(f"报送周期「{text}」无法识别")


def test_the_first_round_of_the_year_is_overdue_once_due():
    monthly = cadence("每月25日前")
    january = parse_period(month="2023-01")
    # as of 1 February: February is not due yet, January (starting on 1 January) was, on
    # Saturday 28th (a 调休 working day after the 春节 holiday of the 25th)
    assert monthly.last_due(D(2023, 2, 1), D(2023, 1, 1)) == (january, D(2023, 1, 28))
    assert monthly.last_due(D(2023, 1, 29), D(2023, 1, 1)) == (january, D(2023, 1, 28))
    assert monthly.last_due(D(2023, 1, 28), D(2023, 1, 1)) is None


def _one_task_list(settings, year=2023):
    task = Task(
        1, "新建5G基站200个", ("张辉",), ("住建局",), section="一", deadline=D(year, 12, 31)
    )
    return TaskList(
        title="测试清单",
        sections=(Section("一", "城市建设", 1, (task,)),),
        year=year,
        settings=settings,
    )


def test_a_unit_silent_since_december_is_overdue_for_january():
    tasklist = _one_task_list({"报送周期": "每月25日前"})
    entries = [Entry(1, D(2022, 12, 20), "序时推进", 5)]
    (state,) = task_states(tasklist, entries, D(2023, 2, 1))
    assert (state.light, state.unreported) == ("红", True)
    assert "逾期未报（本期 2023-01-28 前应报）" in state.reason


def test_after_a_long_spring_festival_the_last_round_due_is_three_weeks_back():
    # 每周日, 2026: W07 (9–15 February) and W08 fall in the 春节 holiday of 15–23 February
    # and are both due Tuesday 24th; W06 was due Monday 9th (Sunday 8th was a day off)
    sunday = cadence("每周日")
    w06 = parse_period(week="2026-W06")
    assert sunday.last_due(D(2026, 2, 24), D(2026, 1, 1)) == (w06, D(2026, 2, 9))
    assert sunday.last_due(D(2026, 2, 25), D(2026, 1, 1))[1] == D(2026, 2, 24)
    tasklist = _one_task_list({"报送周期": "每周日"}, 2026)
    entries = [Entry(1, D(2026, 1, 30), "序时推进", 10)]
    (state,) = task_states(tasklist, entries, D(2026, 2, 24))
    assert (state.light, state.unreported) == ("红", True)
    assert state.reason == "逾期未报（本期 2026-02-09 前应报）"


def test_a_late_quarterly_due_date_still_counts_two_quarters_on():
    # 季末后99个工作日: Q1 is due 22 August, Q2 22 November, Q3 in February
    late = cadence("季末后99个工作日")
    q1 = parse_period(since=D(2023, 1, 1), until=D(2023, 3, 31))
    assert late.last_due(D(2023, 10, 1), D(2023, 1, 1)) == (
        late.round_of(q1.start),
        D(2023, 8, 22),
    )
    assert late.last_due(D(2023, 8, 22), D(2023, 1, 1)) is None
    tasklist = _one_task_list({"报送周期": "季末后99个工作日"})
    entries = [Entry(1, D(2022, 12, 20), "序时推进", 5)]
    (state,) = task_states(tasklist, entries, D(2023, 10, 1))
    assert (state.light, state.unreported) == ("红", True)
    assert state.reason == "逾期未报（本期 2023-08-22 前应报）；进度 5% 低于序时进度 75.1%"


@pytest.mark.parametrize(
    "label", [" 2023-W26 ", "2023-06\n", "\t2023Q2", " 2023-06-01~2023-06-15 "]
)
def test_a_label_with_spaces_around_is_read(label):
    assert period_from_label(label) == period_from_label(label.strip())
