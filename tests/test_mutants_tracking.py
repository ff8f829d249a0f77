"""Tests for the mutants of taskctl/tracking.py that survived issue 27's runs: the reasons a
light gives, a state made directly, the bounds of 序时容差, a 节点目标 on the 完成时限."""

from __future__ import annotations

import datetime as dt

import pytest

from taskctl.errors import InputError
from taskctl.model import Section, Task, TaskList
from taskctl.progress import Entry
from taskctl.tracking import TaskState, planned_progress, task_states
from taskctl.units import TaskUnits

D = dt.date


DEADLINE = D(2023, 12, 21)


def one_task(deadline=DEADLINE, **extra):
    task = Task(
        1,
        "新建5G基站200个",
        ("张辉",),
        ("住建局",),
        departments=("财政局",),
        section="一",
        deadline=deadline,
        extra=extra,
    )
    return TaskList(title="测试清单", sections=(Section("一", "城市建设", 1, (task,)),), year=2023)


def test_a_task_due_within_30_days_says_how_many_are_left():
    tasklist = one_task()
    (state,) = task_states(tasklist, [Entry(1, D(2023, 12, 1), "序时推进", 95)], D(2023, 12, 1))
    assert (state.light, state.reason, state.days_left) == ("黄", "距完成时限 20 天", 20)
    (state,) = task_states(tasklist, [Entry(1, D(2023, 11, 20), "序时推进", 95)], D(2023, 11, 20))
    assert (state.light, state.reason) == ("绿", "")


@pytest.mark.parametrize(
    ("entry", "as_of"),
    [
        (Entry(1, D(2023, 12, 1), "序时推进", 95), D(2023, 12, 1)),
        (Entry(1, D(2023, 6, 1), "滞后", 30, "资金未到位"), D(2023, 6, 10)),
        (Entry(1, D(2023, 3, 1), "序时推进", 10), D(2023, 6, 10)),
        (None, D(2023, 2, 1)),
    ],
)
def test_a_state_made_directly_applies_the_rule_as_task_states_does(entry, as_of):
    tasklist = one_task()
    (task,) = tasklist.tasks
    (state,) = task_states(tasklist, [entry] if entry else [], as_of)
    units = TaskUnits(("住建局",), ("财政局",))
    reports = {(entry.by, 0): entry} if entry else {}
    made = TaskState(
        task, as_of, task.deadline, state.time_progress, entry, reports=reports, units=units
    )
    fields = ("status", "progress", "light", "reason", "behind", "stale", "days_left", "note")
    assert [getattr(made, f) for f in fields] == [getattr(state, f) for f in fields]
    # its units' parts too: the office's own reports stand for the 牵头 unit only
    lead, support = made.parts
    assert (lead.unit, lead.role, lead.light) == ("住建局", "主牵头", state.light)
    assert (support.unit, support.role, support.status, support.progress) == (
        "财政局",
        "责任",
        "未启动",
        None,
    )


@pytest.mark.parametrize("tolerance", [0.5, 100])
def test_a_tolerance_from_0_to_100_is_accepted(tolerance):
    tasklist = one_task()
    # 序时进度 on 1 June (152 of 355 days) is 42.8%
    (state,) = task_states(tasklist, [Entry(1, D(2023, 6, 1), "序时推进", 42)], D(2023, 6, 1))
    assert state.light == "黄"
    (state,) = task_states(
        tasklist, [Entry(1, D(2023, 6, 1), "序时推进", 42)], D(2023, 6, 1), tolerance=tolerance
    )
    expected = "黄" if tolerance == 100 else "红"
    assert state.light == expected


@pytest.mark.parametrize("tolerance", [-0.5, 100.5])
def test_a_tolerance_outside_0_to_100_is_refused(tolerance):
    with pytest.raises(InputError) as caught:
        task_states(one_task(), [], D(2023, 6, 1), tolerance=tolerance)
    assert str(caught.value) == f"序时容差应为 0 到 100 之间的数（百分点），得到 {tolerance}"


def test_a_milestone_on_the_deadline_is_the_planned_progress_there():
    targets = [(D(2023, 6, 30), 50.0), (D(2023, 12, 31), 90.0)]
    start, deadline = D(2023, 1, 1), D(2023, 12, 31)
    assert planned_progress(start, deadline, deadline, targets) == 90.0
    assert planned_progress(start, deadline, D(2023, 6, 30), targets) == 50.0
    assert planned_progress(start, deadline, D(2024, 1, 1), targets) == 100.0


def test_the_rules_in_the_offices_words():
    from taskctl.tracking import DEFAULT_RULE, LightRule

    assert DEFAULT_RULE.describe() == "低于序时进度为黄，落后超过 10 个百分点为红"
    assert LightRule("百分点", 1, 30).describe() == (
        "落后序时进度超过 1 个百分点为黄，落后超过 30 个百分点为红"
    )
    assert LightRule("比例", 80, 60).describe() == "进度不足序时进度的 80% 为黄，不足 60% 为红"


def test_under_the_share_rule_nothing_is_behind_before_the_year_starts():
    tasklist = one_task()
    share = {"亮灯规则": {"方式": "比例", "黄": 80, "红": 60}}
    tasklist = TaskList(title=tasklist.title, sections=tasklist.sections, year=2023, settings=share)
    early = Entry(1, D(2022, 12, 20), "序时推进", 0)
    (state,) = task_states(tasklist, [early], D(2022, 12, 25))
    assert (state.time_progress, state.light, state.reason) == (0.0, "绿", "")


OPEN_ITEM = """\
标题: 2023年重点工作任务清单
年度: 2023
sections:
- 编号: 一
  标题: 城乡建设
  任务:
  - 序号: 5
    年度任务目标: 开展“万人助万企”活动；优化营商环境
    责任领导: [王强]
    牵头部门: [各有关部门]
    完成时限: 2023-09-30
    分项:
    - 年度任务目标: 开展“万人助万企”活动
    - 年度任务目标: 优化营商环境
"""


def test_a_subitem_nobody_named_answers_for_takes_the_reports_on_it_only():
    from taskctl.loader import loads

    tasklist = loads(OPEN_ITEM)
    entries = [
        Entry(5, D(2023, 6, 20), "序时推进", 70, by="督查室", part=1),
        Entry(5, D(2023, 6, 21), "滞后", 10, "资金未到位", "督查室", part=2),
    ]
    (state,) = task_states(tasklist, entries, D(2023, 6, 25))
    assert [(s.subitem, s.status, s.progress, s.light) for s in state.subitems] == [
        (1, "序时推进", 70, "绿"),
        (2, "滞后", 10, "红"),
    ]
    assert (state.status, state.progress, state.light) == ("滞后", 10, "红")
    # a report on the whole item counts for each 分项 until a later one on it
    entries.append(Entry(5, D(2023, 6, 22), "序时推进", 75, by="督查室"))
    (state,) = task_states(tasklist, entries, D(2023, 6, 25))
    assert [(s.subitem, s.status, s.progress) for s in state.subitems] == [
        (1, "序时推进", 75),
        (2, "序时推进", 75),
    ]


def test_two_findings_of_the_office_at_one_moment_give_one_state_in_any_order():
    # the office as "" (no --by) and as 督查室, one date, one 记录时间 (hypothesis found it in
    # test_units.py::test_any_round_in_any_order_and_through_the_file_gives_one_state)
    at = dt.datetime(2023, 6, 20, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    plain = Entry(1, D(2023, 6, 20), "序时推进", 50, by="", recorded_at=at)
    named = Entry(1, D(2023, 6, 20), "滞后", 20, "资金未到位", "督查室", at)
    tasklist = one_task()
    seen = set()
    for entries in ([plain, named], [named, plain]):
        (state,) = task_states(tasklist, entries, D(2023, 6, 25))
        seen.add((state.status, state.progress, state.note))
        seen.add(tuple((p.unit, p.status, p.progress) for p in state.parts))
    assert len(seen) == 2


def _april_task(settings=None, **extra):
    task = Task(
        1,
        "新建5G基站200个",
        ("张辉",),
        ("住建局",),
        section="一",
        deadline=D(2023, 4, 10),
        extra=extra,
    )
    sections = (Section("一", "城市建设", 1, (task,)),)
    return TaskList(title="测试清单", sections=sections, year=2023, settings=settings or {})


@pytest.mark.parametrize(
    ("red_after", "as_of", "light", "run"),
    [
        # the week ending Sunday 1 January 2023 (2022-W52) is the year's first period end
        (2, D(2023, 1, 3), "红", 1),
        (3, D(2023, 1, 3), "黄", 1),
        (3, D(2023, 1, 10), "红", 2),
    ],
)
def test_yellow_periods_in_a_row_count_from_the_first_week_end_of_the_year(
    red_after, as_of, light, run
):
    rule = {"方式": "百分点", "黄": 0, "红": 30, "连续黄灯转红": red_after}
    (state,) = task_states(_april_task({"亮灯规则": rule}), [], as_of)
    assert (state.light, state.yellow_run) == (light, run)
    if light == "红":
        assert state.reason == f"连续 {red_after} 期黄灯"


def test_milestones_on_the_first_and_last_day_and_level_ones_are_accepted():
    targets = {D(2023, 1, 1): 0.5, D(2023, 2, 28): 20, D(2023, 3, 31): 20, D(2023, 4, 10): 100}
    tasklist = _april_task(**{"节点目标": targets})
    (state,) = task_states(tasklist, [Entry(1, D(2023, 3, 10), "序时推进", 20)], D(2023, 3, 10))
    assert (state.time_progress, state.light, state.reason) == (20.0, "绿", "")
    (state,) = task_states(tasklist, [], D(2023, 1, 1))
    assert state.time_progress == 0.5
    (state,) = task_states(_april_task(**{"节点目标": {D(2023, 2, 1): 0}}), [], D(2023, 2, 1))
    assert state.time_progress == 0.0


@pytest.mark.parametrize("value", [100.5, -0.5])
def test_a_milestone_outside_0_to_100_is_refused(value):
    tasklist = _april_task(**{"节点目标": {D(2023, 3, 1): value}})
    with pytest.raises(InputError) as caught:
        task_states(tasklist, [], D(2023, 3, 10))
    assert (
        str(caught.value) == f"序号 1 的 节点目标 在 2023-03-01 的目标「{value}」应为 0 到 100 的数"
    )


def _row(group, tasks, on_track, red, green, overdue=0):
    return {
        "group": group,
        "tasks": tasks,
        "not_started": 0,
        "on_track": on_track,
        "behind": 0,
        "done": 0,
        "red": red,
        "yellow": 0,
        "green": green,
        "completion_rate": 0.0,
        "overdue": overdue,
    }


def test_stats_by_dept_count_each_lead_units_part_weakest_first_the_total_each_task_once():
    from test_mutants_units import LIST

    from taskctl.loader import loads
    from taskctl.tracking import group_states, group_stats

    # 3 was due on 10 June: overdue, 红
    tasklist = loads(
        LIST.replace(
            "    牵头部门: [财政局]\n", "    牵头部门: [财政局]\n    完成时限: 2023-06-10\n"
        )
    )
    on = D(2023, 6, 20)
    entries = [
        Entry(1, on, "序时推进", 60, "", "住建局"),
        Entry(2, on, "序时推进", 60, "", "住建局"),
        Entry(2, on, "序时推进", 60, "", "自然资源局"),
        Entry(3, on, "序时推进", 60, "", "审计局"),  # 3 names 各有关部门: the office's finding
    ]
    states = task_states(tasklist, entries, D(2023, 6, 25))
    rows, total = group_stats(states, "dept", tasklist)
    assert [r.to_record() for r in rows] == [
        _row("财政局", 1, 1, 1, 0, 1),
        _row("住建局", 2, 2, 0, 2),
        _row("自然资源局", 1, 1, 0, 1),
    ]
    assert total.to_record() == _row("合计", 3, 3, 1, 2, 1)
    groups = group_states(states, "dept", tasklist)
    assert {name: [s.task.id for s in parts] for name, parts in groups.items()} == {
        "住建局": [1, 2],
        "自然资源局": [2],
        "财政局": [3],
    }
    rows, total = group_stats(states, "section", tasklist)
    assert [r.to_record() for r in rows] == [_row("一、城市建设", 3, 3, 1, 2, 1)]
    rows, total = group_stats([], "section", tasklist)
    assert (rows, total.to_record()) == ([], _row("合计", 0, 0, 0, 0))


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"方式": "百分点", "黄": 0, "红": 0}, ("百分点", 0.0, 0.0)),
        ({"方式": "百分点", "黄": 100, "红": 100}, ("百分点", 100.0, 100.0)),
        ({"方式": "比例", "黄": 100, "红": 0}, ("比例", 100.0, 0.0)),
        ({"方式": "百分点", "黄": 0, "红": 100.5}, "亮灯规则 的 红 应为 0 到 100 之间的数，得到「100.5」"),
        ({"方式": "百分点", "黄": 100.5, "红": 100}, "亮灯规则 的 黄 应为 0 到 100 之间的数，得到「100.5」"),
        ({"方式": "比例", "黄": 80, "红": -0.5}, "亮灯规则 的 红 应为 0 到 100 之间的数，得到「-0.5」"),
        ({"方式": "比例", "黄": -0.5, "红": 0}, "亮灯规则 的 黄 应为 0 到 100 之间的数，得到「-0.5」"),
    ],
)  # fmt: skip
def test_the_rules_bounds_are_0_and_100(rule, expected):
    from taskctl.tracking import parse_rule

    tasklist = TaskList(title="测试清单", sections=(), settings={"亮灯规则": rule})
    if isinstance(expected, str):
        with pytest.raises(InputError) as caught:
            parse_rule(tasklist)
        assert str(caught.value) == expected
    else:
        found = parse_rule(tasklist)
        assert (found.mode, found.yellow, found.red) == expected


def test_a_task_is_closed_only_when_each_of_its_lead_units_is(runner, tmp_path, monkeypatch):
    """Task 32 of the bundled list is led by 农业农村局, 自然资源局 and 妇联."""
    import json
    import shutil

    from conftest import BUNDLED

    from taskctl.cli import cli

    at = dt.datetime(2023, 7, 10, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    moments = iter(at + dt.timedelta(seconds=n) for n in range(1000))
    monkeypatch.setattr("taskctl.progress.entry.now", lambda: next(moments))
    (tmp_path / "data").mkdir()
    shutil.copy(BUNDLED, tmp_path / "data" / "tasks.yaml")
    monkeypatch.chdir(tmp_path)

    def run(*args):
        result = runner.invoke(cli, list(args))
        assert result.exit_code == 0, result.output
        return result

    def show():
        record = json.loads(run("show", "32", "--as-of", "2023-07-10", "--format", "json").stdout)
        return (
            record["status"],
            record["review"],
            [(u["review"] or {}).get("review", "") for u in record["units"][:3]],
        )

    units = ("农业农村局", "自然资源局", "妇联")
    for unit in units:
        run(
            "update",
            "32",
            "--status",
            "序时推进",
            "--progress",
            "60",
            "--by",
            unit,
            "--date",
            "2023-06-01",
        )
    done = ("update", "32", "--status", "已完成", "--progress", "100", "--by")
    run(*done, "农业农村局", "--date", "2023-07-01")
    run("review", "32", "--approve", "--date", "2023-07-02")
    assert show() == ("序时推进", "", ["已销号", "", ""])
    for unit in units[1:]:
        run(*done, unit, "--date", "2023-07-03")
    assert show() == ("序时推进", "待审核", ["已销号", "待审核", "待审核"])
    for unit in units[1:]:
        run("review", "32", "--approve", "--unit", unit, "--date", "2023-07-04")
    assert show() == ("已完成", "已销号", ["已销号", "已销号", "已销号"])


@pytest.mark.parametrize("settings", [{}, {"亮灯规则": {"方式": "比例", "黄": 80, "红": 60}}])
@pytest.mark.parametrize(
    ("progress", "light", "reason"),
    [
        (50, "绿", ""),
        (49, "黄", "进度 49% 略低于序时进度 50.0%（容差 5 个百分点内）"),
        (45, "黄", "进度 45% 略低于序时进度 50.0%（容差 5 个百分点内）"),
        (44, "红", "进度 44% 低于序时进度 50.0%"),
    ],
)
def test_the_tolerance_option_is_the_old_rule_whatever_the_list_says(
    settings, progress, light, reason
):
    tasklist = _april_task(settings)
    midway = D(2023, 2, 19)  # 序时进度 50%
    entries = [Entry(1, midway, "序时推进", progress)]
    (state,) = task_states(tasklist, entries, midway, tolerance=5)
    assert (state.light, state.reason) == (light, reason)


def test_an_approved_extension_moves_the_subitems_due_before_it_only(runner, tmp_path):
    import json

    from test_mutants_subitems import LIST as ITEM

    from taskctl.cli import cli

    listed = tmp_path / "tasks.yaml"
    listed.write_text(
        ITEM.replace('      完成时限: " "', "      完成时限: 6月底前"), encoding="utf-8"
    )
    common = ["--file", str(listed), "--ledger", str(tmp_path / "p.jsonl")]

    def run(*args):
        result = runner.invoke(cli, [*args, *common])
        assert result.exit_code == 0, result.output
        return result

    def deadlines():
        shown = run("show", "5", "--as-of", "2023-07-10", "--format", "json").stdout
        record = json.loads(shown)
        return record["deadline"], [(p["part"], p["deadline"]) for p in record["parts"]]

    run("update", "5", "--status", "序时推进", "--progress", "40", "--by", "发改局",
        "--date", "2023-06-20")  # fmt: skip
    assert deadlines() == ("2023-06-30", [("5.1", "2023-09-30"), ("5.2", "2023-06-30")])
    run("update", "5", "--extend", "2023-08-31", "--note", "资金延后到位", "--by", "发改局",
        "--date", "2023-07-02")  # fmt: skip
    run("review", "5", "--approve", "--date", "2023-07-03")
    # 5.2 was due before the new 完成时限: moved to it; 5.1 is due after it: kept (the item's
    # 完成时限 shown is its least advanced 分项's)
    assert deadlines() == ("2023-08-31", [("5.1", "2023-09-30"), ("5.2", "2023-08-31")])


def test_a_round_unreported_at_the_last_period_end_breaks_the_yellow_run():
    rule = {"方式": "百分点", "黄": 0, "红": 30, "连续黄灯转红": 2}
    tasklist = _april_task({"亮灯规则": rule, "报送周期": "每周五"})
    # on Sunday 12 February W06 (due Friday 10th) had no report since its start: 红 then
    entries = [Entry(1, D(2023, 1, 30), "序时推进", 30), Entry(1, D(2023, 2, 13), "序时推进", 40)]
    (state,) = task_states(tasklist, entries, D(2023, 2, 14))
    assert (state.light, state.yellow_run) == ("黄", 0)
    assert state.reason == "进度 40% 略低于序时进度 45.0%（容差 30 个百分点内）"


def test_the_share_rule_on_the_first_day_measures_against_1_percent():
    tasklist = _april_task({"亮灯规则": {"方式": "比例", "黄": 80, "红": 60}})
    (state,) = task_states(tasklist, [Entry(1, D(2023, 1, 1), "序时推进", 0)], D(2023, 1, 1))
    assert (state.time_progress, state.light) == (1.0, "红")
    assert state.reason == "进度 0% 不足序时进度 1.0% 的 60%"


def test_yellow_periods_in_a_row_count_back_into_the_lists_year_after_it():
    rule = {"方式": "百分点", "黄": 0, "红": 30, "连续黄灯转红": 2}
    task = Task(1, "新建5G基站200个", ("张辉",), ("住建局",), section="一", deadline=D(2024, 6, 30))
    sections = (Section("一", "城市建设", 1, (task,)),)
    tasklist = TaskList(title="测试清单", sections=sections, year=2023, settings={"亮灯规则": rule})
    (state,) = task_states(tasklist, [Entry(1, D(2023, 12, 28), "序时推进", 60)], D(2024, 1, 3))
    assert (state.light, state.yellow_run, state.reason) == ("红", 1, "连续 2 期黄灯")


def test_a_support_units_done_does_not_put_the_task_under_review():
    task = Task(
        1,
        "新建5G基站200个",
        ("张辉",),
        ("住建局",),
        ("财政局",),
        section="一",
        deadline=D(2023, 4, 10),
    )
    tasklist = TaskList(
        title="测试清单", sections=(Section("一", "城市建设", 1, (task,)),), year=2023
    )
    entries = [
        Entry(1, D(2023, 2, 10), "序时推进", 60, by="住建局"),
        Entry(1, D(2023, 2, 11), "已完成", 100, by="财政局"),
    ]
    (state,) = task_states(tasklist, entries, D(2023, 2, 12))
    assert (state.status, state.review_word) == ("序时推进", "")
    assert [(p.unit, p.review_word) for p in state.parts] == [("住建局", ""), ("财政局", "待审核")]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"方式": "比例", "黄": 80, "红": 80}, ("比例", 80.0, 80.0, None)),
        ({"黄": 0, "红": 30, "连续黄灯转红": 1}, ("百分点", 0.0, 30.0, 1)),
    ],
)
def test_equal_thresholds_and_one_period_are_accepted(rule, expected):
    from taskctl.tracking import parse_rule

    found = parse_rule(TaskList(title="测试清单", sections=(), settings={"亮灯规则": rule}))
    assert (found.mode, found.yellow, found.red, found.red_after) == expected


def test_a_milestone_date_written_with_spaces_is_read():
    tasklist = _april_task(**{"节点目标": {" 2023-03-31 ": 50}})
    (state,) = task_states(tasklist, [], D(2023, 3, 31))
    assert state.time_progress == 50.0


def test_an_items_parts_are_every_unit_of_its_subitems():
    from test_mutants_subitems import LIST as ITEM

    from taskctl.loader import loads

    entries = [
        Entry(5, D(2023, 6, 20), "序时推进", 60, by="工业园", part=1),
        Entry(5, D(2023, 6, 20), "滞后", 10, "资金未到位", "商务局", part=2),
    ]
    (state,) = task_states(loads(ITEM), entries, D(2023, 6, 25))
    assert [(p.unit, p.role, p.status) for p in state.parts] == [
        ("发改局", "主牵头", "未启动"),
        ("工信局", "牵头", "未启动"),
        ("工业园", "责任", "序时推进"),
        ("商务局", "责任", "滞后"),
    ]


def test_the_completion_rate_is_given_to_one_decimal():
    from taskctl.tracking import group_stats

    tasks = tuple(
        Task(n, f"任务{n}", ("张辉",), ("住建局",), section="一", deadline=D(2023, 12, 31))
        for n in (1, 2, 3)
    )
    tasklist = TaskList(
        title="测试清单", sections=(Section("一", "城市建设", 3, tasks),), year=2023
    )
    entries = [Entry(1, D(2023, 6, 20), "已完成", 100), Entry(2, D(2023, 6, 20), "序时推进", 60)]
    rows, total = group_stats(task_states(tasklist, entries, D(2023, 6, 25)), "section", tasklist)
    assert [r.to_record()["completion_rate"] for r in (*rows, total)] == [33.3, 33.3]


def test_a_lead_cell_nobody_can_answer_for_is_one_group_however_spaced():
    from taskctl.tracking import group_stats

    task = Task(1, "推进棚户区改造", ("张辉",), ("各 有关部门", "各有关部门"), section="一")
    tasklist = TaskList(
        title="测试清单", sections=(Section("一", "城市建设", 1, (task,)),), year=2023
    )
    rows, _ = group_stats(task_states(tasklist, [], D(2023, 6, 25)), "dept", tasklist)
    assert [(r.name, r.tasks) for r in rows] == [("各有关部门", 1)]


def test_a_units_done_on_the_whole_item_waits_for_review_on_each_of_its_subitems():
    from test_mutants_subitems import LIST as ITEM

    from taskctl.loader import loads

    entries = [
        Entry(5, D(2023, 6, 10), "序时推进", 60, by="发改局"),
        Entry(5, D(2023, 6, 20), "已完成", 100, by="发改局"),
    ]
    (state,) = task_states(loads(ITEM), entries, D(2023, 6, 25))
    assert (state.status, state.review_word) == ("未启动", "待审核")
    assert [
        (s.subitem, s.status, s.review_word, [(p.unit, p.review_word) for p in s.parts])
        for s in state.subitems
    ] == [
        (1, "序时推进", "待审核", [("发改局", "待审核"), ("工业园", "")]),
        (2, "未启动", "待审核", [("发改局", "待审核"), ("工信局", ""), ("商务局", "")]),
    ]


def test_a_task_due_on_new_years_day_seen_the_day_before_has_no_time_elapsed():
    # the list of 2023 looked at on 31 December 2022 (a list prepared ahead, --as-of)
    task = Task(
        1, "元旦前完成供暖检修", ("张辉",), ("住建局",), section="一", deadline=D(2023, 1, 1)
    )
    tasklist = TaskList(
        title="测试清单", sections=(Section("一", "城市建设", 1, (task,)),), year=2023
    )
    (state,) = task_states(tasklist, [], D(2022, 12, 31))
    assert state.time_progress == 0.0
