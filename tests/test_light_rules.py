"""The office's own rules: 亮灯规则 forms and errors, 节点目标, 报送周期 and its due dates on the
official calendar, 逾期未报 and 连续黄灯转红."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from taskctl.errors import InputError
from taskctl.model import Section, Task, TaskList
from taskctl.period import parse_cadence, parse_period
from taskctl.progress import Entry
from taskctl.tracking import LightRule, parse_rule, planned_progress, task_states

D = dt.date
# 1 January to 10 April 2023 is 100 days (both counted); 19 February is day 50.
DEADLINE = D(2023, 4, 10)
MIDWAY = D(2023, 2, 19)


def make_list(settings=None, tolerance=None, **extra) -> TaskList:
    task = Task(1, "任务1", ("甲",), ("A局",), section="一", deadline=DEADLINE, extra=extra)
    return TaskList(
        title="测试清单",
        sections=(Section("一", "测试", 1, (task,)),),
        year=2023,
        tolerance=tolerance,
        settings=settings or {},
    )


def light(progress, settings=None, as_of=MIDWAY, entries=None, **extra):
    tasklist = make_list(settings, **extra)
    if entries is None:
        entries = [Entry(1, as_of, "序时推进", progress)]
    (state,) = task_states(tasklist, entries, as_of)
    return state


# 百分点 (银川): 序时进度 50%; more than 10 points behind 黄, more than 30 红
YINCHUAN = {"亮灯规则": {"方式": "百分点", "黄": 10, "红": 30}}
# 比例 (武汉): below 80% of 序时进度 黄, below 60% 红
WUHAN = {"亮灯规则": {"方式": "比例", "黄": 80, "红": 60}}


@pytest.mark.parametrize(
    ("progress", "expected"),
    [(50, "绿"), (40, "绿"), (39, "黄"), (20, "黄"), (19, "红"), (0, "红")],
)
def test_points_rule(progress, expected):
    assert light(progress, YINCHUAN).light == expected


@pytest.mark.parametrize(
    ("progress", "expected"),
    [(50, "绿"), (40, "绿"), (39, "黄"), (30, "黄"), (29, "红"), (0, "红")],
)
def test_share_rule(progress, expected):
    # 80% of 50 is 40, 60% of 50 is 30
    assert light(progress, WUHAN).light == expected


def test_rule_reasons_name_the_rule():
    assert light(35, YINCHUAN).reason == "进度 35% 落后序时进度 50.0% 超过 10 个百分点"
    assert light(35, WUHAN).reason == "进度 35% 不足序时进度 50.0% 的 80%"
    assert light(25, WUHAN).reason == "进度 25% 不足序时进度 50.0% 的 60%"


def test_old_tolerance_is_the_points_rule_with_any_gap_yellow():
    assert parse_rule(make_list(tolerance=5)) == LightRule("百分点", 0, 5)
    assert parse_rule(make_list()) == LightRule("百分点", 0, 10)
    assert light(44, tolerance=5).light == "红"  # via the task list's tolerance field
    assert light(45, {"亮灯规则": {"方式": "百分点", "黄": 0, "红": 5}}).light == "黄"


def test_mode_defaults_to_points_and_red_after_is_read():
    rule = parse_rule(make_list({"亮灯规则": {"黄": 10, "红": 30, "连续黄灯转红": 2}}))
    assert rule == LightRule("百分点", 10, 30, 2)
    assert (
        rule.describe()
        == "落后序时进度超过 10 个百分点为黄，落后超过 30 个百分点为红；连续 2 期黄灯转红"
    )


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"方式": "百分点", "黄": 10, "红": 30, "橙": 20}, "亮灯规则 中的「橙」不认识：只能写 方式、黄、红、连续黄灯转红"),
        ({"方式": "倍数", "黄": 10, "红": 30}, "亮灯规则 的 方式 应为 百分点 或 比例，得到「倍数」"),
        ({"方式": "百分点", "红": 30}, "亮灯规则 缺少 黄（百分点）"),
        ({"方式": "百分点", "黄": "十", "红": 30}, "亮灯规则 的 黄 应为 0 到 100 之间的数，得到「十」"),
        ({"方式": "比例", "黄": 80, "红": 160}, "亮灯规则 的 红 应为 0 到 100 之间的数，得到「160」"),
        ({"方式": "百分点", "黄": 30, "红": 10}, "亮灯规则 按百分点时 黄（30）不应大于 红（10）"),
        ({"方式": "比例", "黄": 60, "红": 80}, "亮灯规则 按比例时 红（80）不应大于 黄（60）"),
        ({"黄": 10, "红": 30, "连续黄灯转红": 0}, "亮灯规则 的 连续黄灯转红 应为正整数（期数），得到「0」"),
        ({"黄": 10, "红": 30, "连续黄灯转红": True}, "亮灯规则 的 连续黄灯转红 应为正整数（期数），得到「True」"),
        ("红灯30", "亮灯规则 应为 方式、黄、红（可加 连续黄灯转红）几项，如 {方式: 百分点, 黄: 10, 红: 30}"),
    ],
)  # fmt: skip
def test_rule_errors_name_the_key(rule, message):
    with pytest.raises(InputError) as caught:
        parse_rule(make_list({"亮灯规则": rule}))
    assert str(caught.value) == message


def test_rule_and_old_tolerance_together_is_an_error():
    with pytest.raises(InputError, match="同时写了 序时容差 和 亮灯规则"):
        parse_rule(make_list(YINCHUAN, tolerance=5))


def test_silence_is_never_better_than_an_honest_report_under_every_rule():
    for settings in (None, YINCHUAN, WUHAN):
        for day in (D(2023, 1, 5), D(2023, 2, 1), MIDWAY, D(2023, 3, 31)):
            silent = light(None, settings, as_of=day, entries=[])
            honest = light(0, settings, as_of=day, entries=[Entry(1, day, "未启动", 0)])
            order = "绿黄红"
            assert order.index(silent.light) >= order.index(honest.light), (settings, day)


# 节点目标 -------------------------------------------------------------------------------------

TARGETS = {D(2023, 1, 31): 10, D(2023, 3, 31): 50}


def test_planned_progress_follows_the_targets():
    start = D(2023, 1, 1)
    assert planned_progress(start, DEADLINE, D(2023, 1, 31), list(TARGETS.items())) == 10
    # from 0 the day before 1 January: the first day is one 31st of the way to 10
    assert planned_progress(start, DEADLINE, start, list(TARGETS.items())) == 10 / 31
    assert planned_progress(start, DEADLINE, D(2023, 3, 31), list(TARGETS.items())) == 50
    # from 31 January (10) to 31 March (50): 19 of 59 days → 10 + 40 × 19 ÷ 59
    assert round(planned_progress(start, DEADLINE, MIDWAY, list(TARGETS.items())), 1) == 22.9
    # 5 of the 10 days from 31 March (50) to the 完成时限 (100)
    assert planned_progress(start, DEADLINE, D(2023, 4, 5), list(TARGETS.items())) == 75
    # after the last target, straight to 100 at the 完成时限
    assert planned_progress(start, DEADLINE, DEADLINE, list(TARGETS.items())) == 100
    assert planned_progress(start, DEADLINE, D(2022, 12, 31), list(TARGETS.items())) == 0


def test_milestones_change_the_light():
    plain = light(45)
    marked = light(45, **{"节点目标": TARGETS})
    assert (plain.light, round(plain.time_progress, 1)) == ("黄", 50.0)
    assert (marked.light, round(marked.time_progress, 1)) == ("绿", 22.9)
    written = light(45, **{"节点目标": {"2023-01-31": 10, "2023-03-31": 50}})
    assert written.time_progress == marked.time_progress


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        ([30], "序号 1 的 节点目标 应为 日期: 百分比 的对照，如 {2023-06-30: 50}"),
        ({"三月底": 30}, "序号 1 的 节点目标 的日期「三月底」应写成 2023-06-30"),
        ({D(2023, 5, 1): 30}, "序号 1 的 节点目标 的日期 2023-05-01 不在 2023-01-01 至完成时限 2023-04-10 之间"),
        ({D(2023, 3, 1): 130}, "序号 1 的 节点目标 在 2023-03-01 的目标「130」应为 0 到 100 的数"),
        ({D(2023, 3, 1): 30, D(2023, 2, 1): 50}, "序号 1 的 节点目标 在 2023-03-01 的目标 30 低于之前的 50"),
    ],
)  # fmt: skip
def test_milestone_errors(targets, message):
    with pytest.raises(InputError) as caught:
        light(45, **{"节点目标": targets})
    assert str(caught.value) == message


# 报送周期, 逾期未报, 连续黄灯转红 ------------------------------------------------------------------


def test_cadence_grammar_and_due_dates():
    june = parse_period(month="2023-06")
    w25 = parse_period(week="2023-W25")
    assert parse_cadence({"报送周期": "每月25日前"}).due(june) == D(2023, 6, 25)  # 调休 Sunday
    assert parse_cadence({"报送周期": "每月"}).due(june) == D(2023, 6, 30)
    assert parse_cadence({"报送周期": "每周五"}).due(w25) == D(2023, 6, 25)  # 23rd: 端午
    assert parse_cadence({"报送周期": "每周三"}).due(w25) == D(2023, 6, 21)
    assert parse_cadence({"报送周期": "每周"}).due(w25) == D(2023, 6, 25)
    q3 = parse_cadence({"报送周期": "季末后3个工作日"})
    # 30 September: the quarter ends in the 国庆 holiday; 7, 8 and 9 October are working days
    assert q3.due(q3.round_of(D(2023, 9, 1))) == D(2023, 10, 9)
    assert parse_cadence({"报送周期": "每季"}).due(q3.round_of(D(2023, 9, 1))) == D(2023, 9, 28)
    assert parse_cadence({}) is None


@pytest.mark.parametrize("text", ["每两周", "每月32日前", "周五", "季末后十个工作日", 5])
def test_cadence_errors_name_the_key(text):
    with pytest.raises(InputError) as caught:
        parse_cadence({"报送周期": text})
    assert str(caught.value).startswith(f"报送周期「{text}」无法识别：应写 每周、每周五")


def test_overdue_reply_is_red_with_its_reason():
    weekly = {"报送周期": "每周五"}
    # as of Monday 20 February: W07 (13–19 February) was due Friday 17th
    as_of = D(2023, 2, 20)
    reported = light(None, weekly, as_of, [Entry(1, D(2023, 2, 14), "序时推进", 60)])
    assert reported.light == "绿"
    silent = light(None, weekly, as_of, [Entry(1, D(2023, 2, 10), "序时推进", 60)])
    assert (silent.light, silent.unreported) == ("红", True)
    assert silent.reason == "逾期未报（本期 2023-02-17 前应报）"
    # a report on the round's first day counts for it
    first_day = light(None, weekly, as_of, [Entry(1, D(2023, 2, 13), "序时推进", 60)])
    assert (first_day.light, first_day.unreported) == ("绿", False)
    # on the due day itself it is not late yet
    on_time = light(None, weekly, D(2023, 2, 17), [Entry(1, D(2023, 2, 10), "序时推进", 60)])
    assert on_time.light == "绿"


def test_consecutive_yellow_turns_red():
    settings = {"亮灯规则": {"方式": "百分点", "黄": 0, "红": 30, "连续黄灯转红": 2}}
    # weekly periods: 45% reported on 10 February, 序时 50% on 19 February → 黄 by the gap;
    # at the end of the week before (12 February, 序时 43%) 45% was 绿
    entries = [Entry(1, D(2023, 2, 10), "序时推进", 45)]
    first = light(None, settings, D(2023, 2, 19), entries)
    assert (first.light, first.yellow_run) == ("黄", 0)
    # on 26 February (序时 57%) it is 黄 again, and was 黄 at the end of the week before
    entries.append(Entry(1, D(2023, 2, 24), "序时推进", 50))
    second = light(None, settings, D(2023, 2, 26), entries)
    assert (second.light, second.yellow_run, second.base_light) == ("红", 1, "黄")
    assert second.reason == "连续 2 期黄灯"
    without = light(None, {"亮灯规则": {"黄": 0, "红": 30}}, D(2023, 2, 26), entries)
    assert without.light == "黄"


def test_consecutive_yellow_follows_the_cadence():
    settings = {"亮灯规则": {"黄": 0, "红": 30, "连续黄灯转红": 2}, "报送周期": "每月"}
    entries = [Entry(1, D(2023, 1, 20), "序时推进", 20), Entry(1, D(2023, 2, 27), "序时推进", 50)]
    # end of January: 序时 31%, 20% → 黄; 19 February: 50% reported later, as of 19th still 20%
    state = light(None, settings, MIDWAY, entries)
    assert (state.light, state.yellow_run) == ("红", 1)


def test_rule_is_one_pure_function_for_a_unit_part_too():
    from taskctl.tracking import _fields

    task = make_list().tasks[0]
    rule = LightRule("比例", 80, 60)
    part = Entry(1, MIDWAY, "序时推进", 35, by="A局")
    values = _fields(task, MIDWAY, DEADLINE, 50.0, part, rule)
    assert (values["light"], values["slightly_below"]) == ("黄", True)
    silent = _fields(task, MIDWAY, DEADLINE, 50.0, None, rule, (D(2023, 2, 13), D(2023, 2, 17)))
    assert (silent["light"], silent["unreported"]) == ("红", True)
    assert dataclasses.replace(rule, red_after=2).red_after == 2


def test_the_cadence_key_is_spelled_alike_in_both_modules():
    from taskctl import period, tracking

    assert tracking.CADENCE_KEY == period.CADENCE_KEY


YAML = """\
标题: 2023年测试清单
年度: 2023
亮灯规则: {方式: 百分点, 黄: 0, 红: 30, 连续黄灯转红: 2}
sections:
- 编号: 一
  标题: 测试
  任务:
  - 序号: 1
    年度任务目标: 任务一
    牵头部门: [A局]
    完成时限: 2023-04-10
  - 序号: 2
    年度任务目标: 任务二
    牵头部门: [B局]
    完成时限: 2023-04-10
    节点目标: {2023-01-31: 10, 2023-03-31: 50}
"""
LOG = (
    '{"序号": 1, "日期": "2023-02-10", "状态": "序时推进", "进度": 45, "说明": "", "填报人": "A局"}\n'
    '{"序号": 1, "日期": "2023-02-24", "状态": "序时推进", "进度": 50, "说明": "", "填报人": "A局"}\n'
    '{"序号": 2, "日期": "2023-02-24", "状态": "序时推进", "进度": 30, "说明": "", "填报人": "B局"}\n'
)


def test_the_commands_apply_the_lists_rules(runner, tmp_path):
    """list, stats and report read the list's 亮灯规则 (连续黄灯转红 from the log's earlier
    weeks) and each task's 节点目标."""
    from taskctl.cli import cli

    (tmp_path / "tasks.yaml").write_text(YAML, encoding="utf-8")
    (tmp_path / "progress.jsonl").write_text(LOG, encoding="utf-8")
    common = ["--file", str(tmp_path / "tasks.yaml"), "--as-of", "2023-02-26"]
    listed = runner.invoke(cli, ["list", *common, "--format", "tsv"])
    assert listed.exit_code == 0, listed.output
    # 1: 黄 on 19 and 26 February → 红; 2: 30% against the 节点目标's 27.6% → 绿
    assert [line.split("\t")[-1] for line in listed.stdout.splitlines()] == ["红", "绿"]
    stats = runner.invoke(cli, ["stats", *common, "--format", "json"])
    assert json.loads(stats.stdout)[-1]["red"] == 1
    report = runner.invoke(cli, ["report", *common, "--format", "json"])
    (red,) = json.loads(report.stdout)["red"]
    assert (red["id"], red["reason"]) == (1, "连续 2 期黄灯")
    shown = runner.invoke(cli, ["show", "2", *common, "--format", "json"])
    assert json.loads(shown.stdout)["time_progress"] == 27.6


def test_validate_names_each_bad_rule():
    from taskctl.validate import check_rules

    tasklist = make_list(
        {"亮灯规则": {"黄": 10, "红": 30, "橙": 5}, "报送周期": "每两周"},
        **{"节点目标": {D(2023, 3, 1): 60, D(2023, 4, 1): 30}},
    )
    assert [(f.code, f.field, f.message) for f in check_rules(tasklist)] == [
        ("bad-rule", "亮灯规则", "亮灯规则 中的「橙」不认识：只能写 方式、黄、红、连续黄灯转红"),
        ("bad-rule", "报送周期", "报送周期「每两周」无法识别：应写 每周、每周五、每月、每月25日前、每季 或 季末后10个工作日"),
        ("bad-milestones", "节点目标", "序号 1 的 节点目标 在 2023-04-01 的目标 30 低于之前的 60"),
    ]  # fmt: skip
    assert check_rules(make_list(YINCHUAN, **{"节点目标": TARGETS})) == []


def test_remind_chases_a_task_yellow_too_long():
    from taskctl.remind import reasons

    settings = {"亮灯规则": {"方式": "百分点", "黄": 0, "红": 30, "连续黄灯转红": 2}}
    entries = [Entry(1, D(2023, 2, 10), "序时推进", 45), Entry(1, D(2023, 2, 24), "序时推进", 50)]
    state = light(None, settings, D(2023, 2, 26), entries)
    assert reasons(state) == ("连续 2 期黄灯",)
