"""序时进度, the status rules and the light rule at its boundaries."""

from __future__ import annotations

import datetime as dt

import pytest

from taskctl.errors import InputError
from taskctl.model import Section, Task, TaskList
from taskctl.progress import Entry
from taskctl.tracking import group_stats, parse_light, task_states, time_progress

D = dt.date
# 1 January to 10 April 2023 is 100 days (both counted); 19 February is day 50.
DEADLINE = D(2023, 4, 10)
MIDWAY = D(2023, 2, 19)


def make_list(*deadlines: dt.date | None) -> TaskList:
    tasks = tuple(
        Task(
            id=i,
            text=f"任务{i}",
            leaders=("甲" if i % 2 else "乙",),
            lead_departments=("A局",),
            section="一",
            deadline=deadline,
        )
        for i, deadline in enumerate(deadlines, start=1)
    )
    return TaskList(
        title="测试清单", sections=(Section("一", "测试", len(tasks), tasks),), year=2023
    )


def state(*entries: Entry, as_of: dt.date = MIDWAY, deadline: dt.date | None = DEADLINE):
    (result,) = task_states(make_list(deadline), list(entries), as_of)
    return result


def entry(status: str, progress: int | None = None, date: dt.date = MIDWAY) -> Entry:
    return Entry(1, date, status, progress)


def test_time_progress_counts_both_ends():
    assert time_progress(D(2023, 1, 1), DEADLINE, MIDWAY) == 50.0
    assert time_progress(D(2023, 1, 1), DEADLINE, D(2023, 1, 1)) == 1.0
    assert time_progress(D(2023, 1, 1), DEADLINE, DEADLINE) == 100.0
    assert time_progress(D(2023, 1, 1), DEADLINE, D(2024, 1, 1)) == 100.0
    assert time_progress(D(2023, 1, 1), DEADLINE, D(2022, 12, 1)) == 0.0


def test_default_deadline_is_end_of_list_year():
    s = state(as_of=D(2023, 7, 2), deadline=None)
    assert s.deadline == D(2023, 12, 31)
    assert round(s.time_progress, 1) == 50.1


def test_no_entry_is_not_started_and_yellow_early_in_the_year():
    s = state(as_of=D(2023, 1, 5))  # 序时进度 5%: within the 10 points of the default rule
    assert (s.status, s.progress, s.updated, s.light) == ("未启动", None, None, "黄")
    assert (
        s.reason
        == "未启动；从未填报（按进度 0% 计）略低于序时进度 5.0%（容差 10 个百分点内）；从未填报"
    )


def test_silence_is_judged_as_an_honest_not_started_at_zero():
    silent = state()
    honest = state(entry("未启动", 0))
    assert (silent.light, honest.light) == ("红", "红")
    assert silent.reason == "从未填报（按进度 0% 计）低于序时进度 50.0%"
    assert state(entry("未启动")).reason == "未填进度（按进度 0% 计）低于序时进度 50.0%"


@pytest.mark.parametrize(
    ("progress", "light"),
    # 序时进度 50%, the default 序时容差 10 points: 40–49 is 黄, under 40 红
    [(50, "绿"), (49, "黄"), (40, "黄"), (39, "红"), (100, "绿"), (0, "红")],
)
def test_progress_against_time_progress_boundary(progress, light):
    s = state(entry("序时推进", progress))
    assert s.time_progress == 50.0
    assert s.light == light
    assert s.behind is (light == "红")


@pytest.mark.parametrize(
    ("tolerance", "progress", "light"),
    [(0, 49, "红"), (0, 50, "绿"), (5, 45, "黄"), (5, 44, "红"), (25, 30, "黄")],
)
def test_the_list_sets_its_own_tolerance(tolerance, progress, light):
    import dataclasses

    tasklist = dataclasses.replace(make_list(DEADLINE), tolerance=tolerance)
    (s,) = task_states(tasklist, [entry("序时推进", progress)], MIDWAY)
    assert s.light == light


def test_within_tolerance_says_so():
    s = state(entry("序时推进", 45))
    assert (s.light, s.behind, s.below_time, s.slightly_below) == ("黄", False, False, True)
    assert s.reason == "进度 45% 略低于序时进度 50.0%（容差 10 个百分点内）"
    (red,) = task_states(make_list(DEADLINE), [entry("序时推进", 45)], MIDWAY, tolerance=0)
    assert red.reason == "进度 45% 低于序时进度 50.0%"


def test_tolerance_out_of_range_is_refused():
    with pytest.raises(InputError) as caught:
        task_states(make_list(DEADLINE), [], MIDWAY, tolerance=120)
    assert str(caught.value) == "序时容差应为 0 到 100 之间的数（百分点），得到 120"


def test_indicator_task_judged_by_status_alone():
    import dataclasses

    tasklist = make_list(DEADLINE)
    (task,) = tasklist.tasks
    marked = dataclasses.replace(
        tasklist,
        sections=(
            dataclasses.replace(
                tasklist.sections[0], tasks=(dataclasses.replace(task, by_status=True),)
            ),
        ),
    )
    (s,) = task_states(marked, [entry("序时推进", 5)], MIDWAY)
    assert (s.light, s.reason) == ("绿", "")
    (s,) = task_states(marked, [entry("滞后", 90)], MIDWAY)
    assert (s.light, s.reason) == ("红", "填报为滞后")


def test_reported_behind_is_red_even_ahead_of_time():
    s = state(entry("滞后", 90))
    assert (s.light, s.reason) == ("红", "填报为滞后")


def test_on_track_without_progress_is_judged_by_dates_only():
    assert state(entry("序时推进")).light == "绿"


def test_reported_not_started_is_yellow_while_within_the_rule():
    assert state(entry("未启动", date=D(2023, 1, 5)), as_of=D(2023, 1, 5)).light == "黄"


@pytest.mark.parametrize(("days_ago", "light"), [(13, "绿"), (14, "黄"), (40, "黄")])
def test_stale_boundary(days_ago, light):
    s = state(entry("序时推进", 60, MIDWAY - dt.timedelta(days=days_ago)))
    assert s.light == light
    assert s.stale is (light == "黄")


def test_stale_days_is_configurable():
    old = entry("序时推进", 60, MIDWAY - dt.timedelta(days=5))
    (s,) = task_states(make_list(DEADLINE), [old], MIDWAY, stale_days=5)
    assert s.light == "黄"
    with pytest.raises(InputError):
        task_states(make_list(DEADLINE), [old], MIDWAY, stale_days=0)


@pytest.mark.parametrize(("days_left", "light"), [(31, "绿"), (30, "黄"), (0, "黄"), (-1, "红")])
def test_deadline_boundary(days_left, light):
    as_of = D(2023, 12, 1)
    deadline = as_of + dt.timedelta(days=days_left)
    s = state(entry("序时推进", 100, as_of), as_of=as_of, deadline=deadline)
    assert s.light == light
    assert s.overdue is (days_left < 0)


def test_overdue_and_not_started_is_red():
    s = state(as_of=D(2023, 4, 11))
    assert (s.status, s.light, s.reason) == ("未启动", "红", "已超过完成时限 2023-04-10")


def test_done_is_green_even_past_deadline_and_long_silent():
    s = state(entry("已完成", 30, D(2023, 1, 5)), as_of=D(2023, 9, 1))
    assert (s.light, s.behind, s.stale, s.overdue) == ("绿", False, False, False)


def test_latest_report_at_as_of_wins_and_later_ones_are_ignored():
    early = entry("滞后", 10, D(2023, 2, 1))
    late = entry("序时推进", 60, D(2023, 2, 15))
    future = entry("已完成", 100, D(2023, 3, 1))
    s = state(early, late, future)
    assert (s.status, s.progress, s.updated) == ("序时推进", 60, D(2023, 2, 15))
    assert state(early, as_of=D(2023, 2, 1)).status == "滞后"


def test_parse_light_aliases():
    assert [parse_light(x) for x in ("红", "red", "黄灯", "GREEN")] == ["红", "红", "黄", "绿"]
    with pytest.raises(InputError, match="未知的灯「蓝」"):
        parse_light("蓝")


def test_group_stats_weakest_first_and_total_counts_each_task_once():
    tl = make_list(DEADLINE, DEADLINE, DEADLINE)
    entries = [Entry(1, MIDWAY, "滞后"), Entry(2, MIDWAY, "已完成"), Entry(3, MIDWAY, "已完成")]
    rows, total = group_stats(task_states(tl, entries, MIDWAY), "leader", tl)
    assert [r.to_record() for r in rows] == [
        {"group": "甲", "tasks": 2, "not_started": 0, "on_track": 0, "behind": 1, "done": 1,
         "red": 1, "yellow": 0, "green": 1, "completion_rate": 50.0, "overdue": 0},
        {"group": "乙", "tasks": 1, "not_started": 0, "on_track": 0, "behind": 0, "done": 1,
         "red": 0, "yellow": 0, "green": 1, "completion_rate": 100.0, "overdue": 0},
    ]  # fmt: skip
    assert (total.name, total.tasks, total.completion_rate) == ("合计", 3, 200 / 3)
    with pytest.raises(InputError):
        group_stats([], "town", tl)


def test_help_states_the_rule_with_the_core_defaults(runner):
    from taskctl.cli import cli, options
    from taskctl.tracking import STALE_DAYS, TOLERANCE

    assert (options.STALE_DAYS, options.TOLERANCE) == (STALE_DAYS, TOLERANCE)
    text = runner.invoke(cli, ["list", "--help"]).stdout
    assert "落后超过 10（N）个百分点为红" in text
    assert "亮灯规则: {方式: 比例, 黄: 80, 红: 60}" in text
    assert "按状态判定: true" in text


def test_the_stale_days_option_defaults_to_the_core_constant():
    from taskctl.cli import options
    from taskctl.tracking import STALE_DAYS

    (param,) = options.stale_days_option(lambda: None).__click_params__
    assert (param.opts, param.default) == (["--stale-days"], STALE_DAYS)


def test_a_later_date_wins_over_a_report_recorded_later_for_an_earlier_date():
    """Entries as a Python caller may pass them, not merged: the date decides, the recording
    time only breaks a tie on the same date."""
    at = dt.datetime(2023, 2, 10, 9, tzinfo=dt.timezone.utc)
    later_date = Entry(1, D(2023, 2, 10), "序时推进", 60, recorded_at=at)
    fixed_late = Entry(1, D(2023, 2, 5), "滞后", 10, recorded_at=at + dt.timedelta(days=5))
    for entries in ([later_date, fixed_late], [fixed_late, later_date]):
        assert state(*entries).status == "序时推进"
    again = Entry(1, D(2023, 2, 10), "已完成", 100, recorded_at=at + dt.timedelta(hours=1))
    for entries in ([later_date, again], [again, later_date]):
        assert state(*entries).status == "已完成"


def test_stale_days_of_one_is_accepted():
    with pytest.raises(InputError, match="--stale-days 应为正整数，得到 0"):
        task_states(make_list(DEADLINE), [], MIDWAY, stale_days=0)
    (today,) = task_states(make_list(DEADLINE), [entry("序时推进")], MIDWAY, stale_days=1)
    yesterday = entry("序时推进", date=MIDWAY - dt.timedelta(days=1))
    (old,) = task_states(make_list(DEADLINE), [yesterday], MIDWAY, stale_days=1)
    assert (today.stale, old.stale) == (False, True)


def test_parse_light_ignores_spaces_around():
    assert parse_light(" 红灯 ") == "红"
    assert parse_light("\tgreen\n") == "绿"


def test_a_blank_leader_cell_groups_as_not_filled():
    tasks = (Task(id=1, text="任务", leaders=(" ", "　"), lead_departments=("A局",), section="一"),)
    tasklist = TaskList(title="t", sections=(Section("一", "测试", 1, tasks),), year=2023)
    rows, _ = group_stats(task_states(tasklist, [], MIDWAY), "leader", tasklist)
    assert [row.name for row in rows] == ["（未填写）"]
