"""Each unit answers for its own part (issue 19): a task with several 牵头 units has one state
per unit, the task's state is derived by the list's rule, and no answer depends on the order in
which reports were recorded or collected."""

from __future__ import annotations

import datetime as dt
import json
from itertools import permutations

import pytest
from conftest import BUNDLED
from hypothesis import given, settings
from hypothesis import strategies as st

from taskctl.cli import cli
from taskctl.errors import TaskctlError
from taskctl.loader import load, loads
from taskctl.progress import Entry, LogView, merge, read_log, read_view
from taskctl.tracking import group_stats, task_states

CST = dt.timezone(dt.timedelta(hours=8))
AS_OF = dt.date(2023, 7, 2)


def report(task, unit, status, progress, day=30, hour=9, note=""):
    return Entry(
        task,
        dt.date(2023, 6, day),
        status,
        progress,
        note,
        unit,
        dt.datetime(2023, 6, day, hour, tzinfo=CST),
    )


# 31 names five 牵头部门: 农业农村局 (主牵头), 生态环境局, 住建局, 水利局, 动监局
ROUND = [
    report(31, "住建局", "序时推进", 80, hour=9),
    report(31, "水利局", "滞后", 20, hour=10, note="资金未到位"),
    report(31, "农业农村局", "序时推进", 60, hour=11),
    report(31, "生态环境局", "序时推进", 70, day=29),
    report(31, "动监局", "序时推进", 55, day=28),
]


def state_of(entries, task_id=31, tasklist=None):
    tasklist = tasklist or load(BUNDLED)
    (state,) = task_states(tasklist, entries, AS_OF, tasks=[tasklist.task(task_id)])
    return state


def summary(state):
    return (
        state.status,
        state.progress,
        state.light,
        [(p.unit, p.role, p.status, p.progress, p.light) for p in state.parts],
    )


def test_each_unit_has_its_own_part_and_the_task_is_its_least_advanced_lead():
    state = state_of(ROUND)
    assert [(p.unit, p.role, p.status, p.progress, p.light) for p in state.parts] == [
        ("农业农村局", "主牵头", "序时推进", 60, "绿"),
        ("生态环境局", "牵头", "序时推进", 70, "绿"),
        ("住建局", "牵头", "序时推进", 80, "绿"),
        ("水利局", "牵头", "滞后", 20, "红"),
        ("动监局", "牵头", "序时推进", 55, "绿"),
    ]
    # the least advanced 牵头 unit: the worst light first (水利局's 红)
    assert (state.status, state.progress, state.light) == ("滞后", 20, "红")
    assert state.behind_units == ("水利局",)
    assert not state.disputed


def test_every_recording_order_gives_the_same_state():
    expected = summary(state_of(ROUND))
    for order in permutations(ROUND):
        assert summary(state_of(list(order))) == expected
        assert summary(state_of(merge(order))) == expected


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                ["农业农村局", "生态环境局", "住建局", "水利局", "动监局", "", "督查室"]
            ),
            st.sampled_from(["未启动", "序时推进", "滞后", "已完成"]),
            st.integers(0, 100),
            st.integers(20, 30),
            st.integers(0, 23),
        ),
        min_size=1,
        max_size=8,
        unique_by=lambda r: (r[0], r[3], r[4]),
    ),
    st.randoms(use_true_random=False),
)
def test_any_round_in_any_order_and_through_the_file_gives_one_state(tmp_path_factory, rows, rnd):
    entries = [
        report(31, unit, status, 100 if status == "已完成" else progress, day, hour)
        for unit, status, progress, day, hour in rows
    ]
    expected = summary(state_of(entries))
    shuffled = list(entries)
    rnd.shuffle(shuffled)
    assert summary(state_of(shuffled)) == expected
    log = tmp_path_factory.mktemp("log") / "progress.jsonl"
    log.write_bytes(b"".join(e.to_line() for e in shuffled))
    # through the file: every entry read, and the parse cache's records (cold, then warm)
    assert summary(_via(LogView(read_log(log)))) == expected
    for _ in range(2):
        assert summary(_via(read_view(log))) == expected


def _via(view):
    tasklist = load(BUNDLED)
    (state,) = task_states(
        tasklist, (), AS_OF, tasks=[tasklist.task(31)], reports=view.reports(AS_OF)
    )
    return state


def test_two_units_on_one_day_are_both_kept_and_a_units_second_report_corrects_its_first():
    first = report(28, "财政局", "序时推进", 50, hour=9)
    other = report(28, "交通局", "滞后", 10, hour=10)
    fixed = report(28, "财政局", "序时推进", 55, hour=11, note="更正")
    kept = merge([fixed, other, first])
    assert sorted((e.by, e.progress) for e in kept) == [("交通局", 10), ("财政局", 55)]
    state = state_of([first, other, fixed], task_id=28)
    assert [(p.unit, p.progress) for p in state.lead_parts] == [("财政局", 55), ("交通局", 10)]


def test_the_first_listed_rule_takes_the_main_lead_units_report():
    text = BUNDLED.read_text(encoding="utf-8").replace(
        "groups:", "多单位汇总: 主牵头单位\ngroups:", 1
    )
    tasklist = loads(text)
    state = state_of(ROUND, tasklist=tasklist)
    assert (state.status, state.progress, state.light) == ("序时推进", 60, "绿")
    assert state.behind_units == ("水利局",)  # still named where it is behind


def test_a_wrong_rule_is_one_error_naming_the_key():
    text = BUNDLED.read_text(encoding="utf-8").replace("groups:", "多单位汇总: 随便\ngroups:", 1)
    with pytest.raises(TaskctlError, match="多单位汇总 应为 最弱牵头单位"):
        state_of(ROUND, tasklist=loads(text))


def test_support_units_are_shown_but_do_not_set_the_tasks_state():
    # 8: 发改局 leads, 经开区 supports
    state = state_of([report(8, "经开区", "已完成", 100)], task_id=8)
    assert (state.status, state.light) == ("未启动", "红")  # 发改局 silent: 0% at 序时 50%
    assert state.part("经开区").review_word == "待审核"  # its 已完成 waits for the office


def test_the_offices_finding_stands_for_the_lead_units_until_they_report_again():
    office = report(28, "", "滞后", 10, day=25, note="督查发现")
    later = report(28, "财政局", "序时推进", 60, day=28)
    state = state_of([office, later], task_id=28)
    assert [(p.unit, p.status) for p in state.lead_parts] == [
        ("财政局", "序时推进"),
        ("交通局", "滞后"),
    ]
    assert (state.status, state.behind_units) == ("滞后", ("交通局",))


def test_a_single_unit_task_reads_an_old_log_as_before():
    """For a task with one 牵头 unit, the state is the latest report of the unit or the office,
    as before units were told apart."""
    old = [
        report(2, "工信局", "序时推进", 40, day=5),
        report(2, "", "滞后", 30, day=12),
        report(2, "张三", "序时推进", 35, day=20),
    ]
    state = state_of(old, task_id=2)
    assert (state.status, state.progress, state.updated) == ("序时推进", 35, dt.date(2023, 6, 20))


def test_disagreeing_lead_units_are_to_be_coordinated():
    state = state_of(
        [report(28, "财政局", "已完成", 100), report(28, "交通局", "滞后", 30)], task_id=28
    )
    assert state.disputed
    assert (state.status, state.behind_units) == ("滞后", ("交通局",))


def test_stats_by_dept_counts_each_units_own_part():
    tasklist = load(BUNDLED)
    states = task_states(tasklist, ROUND, AS_OF, tasks=[tasklist.task(31)])
    rows, total = group_stats(states, "dept", tasklist)
    by_name = {row.name: row for row in rows}
    assert by_name["住建局"].statuses["序时推进"] == 1
    assert by_name["水利局"].statuses["滞后"] == 1
    assert by_name["生态环境局"].statuses["序时推进"] == 1
    assert total.tasks == 1 and total.statuses["滞后"] == 1


@pytest.fixture
def ledger(tmp_path):
    log = tmp_path / "progress.jsonl"
    log.write_bytes(b"".join(e.to_line() for e in ROUND))
    return log


def test_show_lists_each_unit(runner, ledger):
    args = ["show", "31", "--as-of", "2023-07-02", "--ledger", str(ledger), "--file", str(BUNDLED)]
    record = json.loads(runner.invoke(cli, [*args, "--format", "json"]).stdout)
    assert (record["status"], record["progress"], record["light"]) == ("滞后", 20, "红")
    assert record["units"][3] == {
        "unit": "水利局",
        "role": "牵头",
        "status": "滞后",
        "progress": 20,
        "updated": "2023-06-30",
        "light": "红",
        "note": "资金未到位",
        "review": None,
    }
    text = runner.invoke(cli, [*args, "--format", "tsv"]).stdout
    assert (
        "各单位\t农业农村局（主牵头） 序时推进 60% 绿灯 2023-06-30 生态环境局（牵头） 序时推进 70%"
        in text
    )


def test_dept_shows_the_units_own_part(runner, ledger):
    common = ["--as-of", "2023-07-02", "--ledger", str(ledger), "--file", str(BUNDLED)]
    mine = runner.invoke(cli, ["dept", "住建局", "--id", "31", *common, "--format", "json"])
    if mine.exit_code == 2:  # dept has no --id: filter the rows here
        mine = runner.invoke(cli, ["dept", "住建局", *common, "--format", "json"])
    row = next(r for r in json.loads(mine.stdout) if r["id"] == 31)
    assert (row["status"], row["progress"], row["light"]) == ("序时推进", 80, "绿")
    theirs = runner.invoke(cli, ["dept", "水利局", *common, "--format", "json"])
    row = next(r for r in json.loads(theirs.stdout) if r["id"] == 31)
    assert (row["status"], row["progress"], row["light"]) == ("滞后", 20, "红")


def test_remind_chases_a_unit_for_its_own_lag_only():
    from taskctl.remind import notices

    tasklist = load(BUNDLED)
    found = {n.unit: [i.state.task.id for i in n.items] for n in notices(tasklist, ROUND, AS_OF)}
    assert 31 in found["水利局"]
    assert 31 not in found.get("住建局", [])


def test_update_by_names_one_of_the_tasks_units(runner, tmp_path):
    log = tmp_path / "p.jsonl"
    common = ["--file", str(BUNDLED), "--ledger", str(log), "--date", "2023-06-30"]
    wrong = runner.invoke(cli, ["update", "28", "--status", "滞后", "--by", "交通居", *common])
    assert wrong.exit_code == 2
    assert wrong.stderr == (
        "错误：「交通居」不是序号 28 的责任单位；最接近的是 交通局（其单位：财政局、交通局、"
        "八角台街道、台东街道、桑林镇、高力房镇…）；督查室自己填报时不写 --by 或写 --by 督查室\n"
    )
    assert not log.exists()
    right = runner.invoke(cli, ["update", "28", "--status", "滞后", "--by", "jtj", *common])
    assert right.exit_code == 0, right.stderr
    office = runner.invoke(
        cli, ["update", "28", "--status", "滞后", "--by", "县政府督查室", *common]
    )
    assert office.exit_code == 0, office.stderr
    assert [json.loads(line)["填报人"] for line in log.read_text().splitlines()] == [
        "交通局",
        "县政府督查室",
    ]


def test_the_drop_check_compares_a_unit_with_itself(runner, tmp_path):
    log = tmp_path / "p.jsonl"
    common = ["--file", str(BUNDLED), "--ledger", str(log), "--date", "2023-06-30"]
    first = ["update", "28", "--status", "序时推进", "--progress", "80", "--by", "财政局"]
    assert runner.invoke(cli, [*first, *common]).exit_code == 0
    # 交通局's honest 20% is not a drop from 财政局's 80%
    other = ["update", "28", "--status", "滞后", "--progress", "20", "--by", "交通局"]
    assert runner.invoke(cli, [*other, *common]).exit_code == 0
    drop = ["update", "28", "--status", "序时推进", "--progress", "70", "--by", "财政局"]
    refused = runner.invoke(cli, [*drop, *common])
    assert refused.exit_code == 2
    assert "进度由 80%" in refused.stderr


def test_forms_show_each_unit_its_own_last_report(tmp_path):
    from taskctl.forms import build_forms
    from taskctl.period import parse_period

    tasklist = load(BUNDLED)
    period = parse_period(week="2023-W27")
    forms = {f.unit: f for f in build_forms(tasklist, ROUND, period, only=["住建局", "水利局"])}
    last = {
        unit: next(r.last for r in form.rows if r.task.id == 31) for unit, form in forms.items()
    }
    assert (last["住建局"].progress, last["水利局"].progress) == (80, 20)


def test_the_report_lists_disagreeing_lead_units_as_to_be_coordinated():
    import datetime as dt

    from taskctl.report import build_report, render_markdown

    tasklist = load(BUNDLED)
    entries = [report(28, "财政局", "已完成", 100), report(28, "交通局", "滞后", 30, hour=10)]
    monday, sunday = dt.date(2023, 6, 26), dt.date(2023, 7, 2)
    data = build_report(tasklist, entries, since=monday, until=sunday, as_of=sunday)
    assert [(d["id"], d["units"]) for d in data["disputed"]] == [
        (
            28,
            [
                {"unit": "财政局", "status": "已完成（待审核）", "progress": None},
                {"unit": "交通局", "status": "滞后", "progress": 30},
            ],
        )
    ]
    assert "待协调1项：序号28（财政局已完成（待审核），交通局滞后30%）。" in render_markdown(data)
    red = next(r for r in data["red"] if r["id"] == 28)
    assert red["units"] == ["交通局"]  # the unit behind is named, not its partner
