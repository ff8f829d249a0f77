"""分项 as reportable parts (issue 19): an item published over several rows has a part per row,
each with its own text, units and 完成时限; units report on a part (``update 5.2``), forms list
the parts a unit owns, and the item is as far as its least advanced part."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taskctl.cli import cli
from taskctl.errors import DataFileError
from taskctl.loader import load
from taskctl.progress import Entry, LogView, merge, read_log, read_view
from taskctl.tracking import task_states

CST = dt.timezone(dt.timedelta(hours=8))
AS_OF = dt.date(2023, 6, 25)

# Item 5 as a county's table publishes it: one 序号 merged over two rows, the 牵头 cell merged
# too (so 5.2 has none of its own: the item's), 配合 and 完成时限 per row.
LIST = """\
标题: 2023年重点工作任务清单
年度: 2023
sections:
- 编号: 一
  标题: 城乡建设
  任务:
  - 序号: 4
    年度任务目标: 改造老旧小区12个
    牵头部门:
    - 住建局
  - 序号: 5
    年度任务目标: |-
      建成区级企业服务中心
      开展“万人助万企”活动
    责任领导:
    - 王强
    牵头部门:
    - 发改局
    - 工信局
    责任部门:
    - 工业园
    - 商务局
    完成时限: 2023-09-30
    分项:
    - 年度任务目标: 建成区级企业服务中心
      牵头部门: 发改局
      责任部门: 工业园
      完成时限: 9月底前
    - 年度任务目标: 开展“万人助万企”活动
      责任部门: 商务局
      完成时限: 6月底前
"""


@pytest.fixture
def listed(tmp_path):
    path = tmp_path / "tasks.yaml"
    path.write_text(LIST, encoding="utf-8")
    return path


def report(unit, status, progress, part=0, day=20, hour=9, task=5):
    return Entry(
        task,
        dt.date(2023, 6, day),
        status,
        progress,
        "",
        unit,
        dt.datetime(2023, 6, day, hour, tzinfo=CST),
        part=part,
    )


def state_of(path, entries):
    tasklist = load(path)
    (state,) = task_states(tasklist, entries, AS_OF, tasks=[tasklist.task(5)])
    return state


def summary(state):
    return (
        state.status,
        state.progress,
        state.light,
        [(s.subitem, s.status, s.progress, s.light) for s in state.subitems],
        [(p.unit, p.status, p.progress, p.light) for p in state.parts],
    )


def test_each_subitem_has_its_own_text_units_and_deadline(listed):
    state = state_of(listed, [])
    one, two = state.subitems
    assert (one.task.text, one.units.leads, one.units.supports, one.deadline) == (
        "建成区级企业服务中心",
        ("发改局",),
        ("工业园",),
        dt.date(2023, 9, 30),
    )
    # no 牵头 cell of its own: the item's
    assert (two.task.text, two.units.leads, two.units.supports, two.deadline) == (
        "开展“万人助万企”活动",
        ("发改局", "工信局"),
        ("商务局",),
        dt.date(2023, 6, 30),
    )


def test_a_subitem_reported_on_its_own(listed):
    state = state_of(listed, [report("发改局", "序时推进", 70, part=1)])
    assert summary(state) == (
        "未启动",  # 5.2 has not been reported: the item is as far as it
        None,
        "红",  # silence is measured as 0%: 5.2 is due 6-30, 序时进度 97.2%
        [(1, "序时推进", 70, "绿"), (2, "未启动", None, "红")],
        [
            ("发改局", "未启动", None, "红"),  # its least advanced 分项: 5.2
            ("工信局", "未启动", None, "红"),
            ("工业园", "未启动", None, "红"),  # 5.1's 配合 unit: silent too (序时进度 64.5%)
            ("商务局", "未启动", None, "红"),
        ],
    )
    both = state_of(
        listed,
        [
            report("发改局", "序时推进", 70, part=1),
            report("发改局", "序时推进", 90, part=2),
            report("工信局", "滞后", 30, part=2, hour=10),
        ],
    )
    assert summary(both)[:4] == (
        "滞后",
        30,
        "红",
        [(1, "序时推进", 70, "绿"), (2, "滞后", 30, "红")],
    )
    assert [s.behind_units for s in both.subitems] == [(), ("工信局",)]


def test_a_whole_item_report_counts_for_each_subitem_until_it_reports_on_its_own(listed):
    whole = report("发改局", "序时推进", 60, day=10)
    office = report("县政府督查室", "滞后", 10, day=12)
    state = state_of(listed, [whole])
    # 发改局 answers for 5.1 and, through the item's 牵头 cell, for 5.2
    assert [[(p.unit, p.status, p.progress) for p in s.parts] for s in state.subitems] == [
        [("发改局", "序时推进", 60), ("工业园", "未启动", None)],
        [("发改局", "序时推进", 60), ("工信局", "未启动", None), ("商务局", "未启动", None)],
    ]
    later = state_of(listed, [whole, report("发改局", "序时推进", 80, part=1, day=15)])
    assert [s.part("发改局").progress for s in later.subitems] == [80, 60]
    # 工信局 is no unit of 5.1: its report on the whole item is 5.2's, not an office finding
    other = state_of(listed, [report("工信局", "滞后", 10, day=10)])
    assert other.subitems[0].latest is None
    assert other.subitems[1].part("工信局").status == "滞后"
    # the office's finding for the whole item stands for every 分项 until a unit reports again
    found = state_of(listed, [whole, office])
    assert [(s.status, s.progress) for s in found.subitems] == [("滞后", 10), ("滞后", 10)]


REPORTS = [
    report("发改局", "序时推进", 70, part=1, hour=9),
    report("发改局", "序时推进", 90, part=2, hour=9),
    report("工信局", "滞后", 30, part=2, hour=10),
    report("工业园", "已完成", 100, part=1, hour=11),
    report("县政府督查室", "序时推进", 50, day=18),
    report("工信局", "序时推进", 40, part=2, hour=12),  # corrects its 30 of the same day
]


@settings(max_examples=40, deadline=None)
@given(st.permutations(REPORTS), st.integers(1, len(REPORTS)))
def test_the_item_state_is_the_same_in_every_order_of_reports(tmp_path_factory, order, count):
    path = tmp_path_factory.mktemp("list") / "tasks.yaml"
    path.write_text(LIST, encoding="utf-8")
    chosen = [r for r in order if r in REPORTS[:count]]
    expected = summary(state_of(path, REPORTS[:count]))
    assert summary(state_of(path, chosen)) == expected
    assert summary(state_of(path, merge(chosen))) == expected
    # through the file and the parse cache, twice (the second read comes from the cache)
    log = path.parent / "progress.jsonl"
    log.write_bytes(b"".join(e.to_line() for e in chosen))
    tasklist = load(path)
    for _ in range(2):
        view = read_view(log)
        (state,) = task_states(
            tasklist, (), AS_OF, tasks=[tasklist.task(5)], reports=view.reports(AS_OF)
        )
        assert summary(state) == expected
    # and the item is as far as its least advanced 分项
    state = state_of(path, chosen)
    weakest = min(state.subitems, key=lambda s: ({"红": 0, "黄": 1, "绿": 2}[s.light], s.progress))
    assert (state.status, state.progress, state.light) == (
        weakest.status,
        weakest.progress,
        weakest.light,
    )


def test_the_log_line_and_old_lines(tmp_path):
    entry = report("工信局", "滞后", 30, part=2)
    line = json.loads(entry.to_line())
    assert list(line)[:3] == ["序号", "分项", "日期"] and line["分项"] == 2
    assert entry.target == "5.2"
    # a line without 分项 (every log so far) is the whole item, with the id it always had
    old = Entry(5, dt.date(2023, 6, 30), "序时推进", 40, "已开工", "发改局",
                dt.datetime(2023, 6, 30, 9, tzinfo=CST))  # fmt: skip
    assert (old.part, old.uid, "分项" not in json.loads(old.to_line())) == (0, "b367fccefe", True)
    log = tmp_path / "p.jsonl"
    log.write_bytes(old.to_line() + entry.to_line())
    for _ in range(2):  # parsed, then from the cache
        assert [(e.id, e.part) for e in read_view(log).entries] == [(5, 2), (5, 0)]  # by 日期
    # a unit's report on 5.2 and on the whole item of the same day are both kept
    same_day = report("工信局", "序时推进", 50)
    assert len(merge([entry, same_day])) == 2
    assert LogView.of([entry, same_day]).reports(AS_OF)[5].keys() == {("工信局", 2), ("工信局", 0)}
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"序号": 5, "分项": "二", "日期": "2023-06-20", "状态": "滞后"}\n')
    with pytest.raises(DataFileError, match="分项应为正整数"):
        read_log(bad)


def run(runner, listed, *args):
    log = listed.parent / "progress.jsonl"
    common = ["--file", str(listed), "--ledger", str(log), "--date", "2023-06-20"]
    return runner.invoke(cli, [*args, *common])


def test_update_a_subitem(runner, listed):
    done = run(
        runner, listed, "update", "5.2", "--status", "滞后", "--progress", "30", "--by", "gxj"
    )
    assert done.exit_code == 0, done.stderr
    assert done.stderr.endswith("已填报 序号 5.2：滞后（2023-06-20）→ progress.jsonl\n")
    both = run(runner, listed, "update", "5.1,5.2", "--status", "序时推进", "--by", "发改局")
    assert both.exit_code == 0, both.stderr
    lines = [json.loads(x) for x in (listed.parent / "progress.jsonl").read_text().splitlines()]
    assert [(x["序号"], x["分项"], x["填报人"]) for x in lines] == [
        (5, 2, "工信局"),
        (5, 1, "发改局"),
        (5, 2, "发改局"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["5.3"], "错误：序号 5 没有分项 3（有 1–2）\n"),
        (["4.1"], "错误：序号 4 没有分项（它在清单中只有一行）；请写 4\n"),
        (["5.0"], "错误：分项「5.0」应从 1 数起（5.1、5.2…）\n"),
        (
            ["5.1", "--by", "工信局"],
            "错误：「工信局」不是序号 5.1 的责任单位；最接近的是 工业园、发改局（其单位：发改局、工业园）；"
            "督查室自己填报时不写 --by 或写 --by 督查室\n",
        ),
        (
            ["5.1,5.2", "--by", "商务局"],
            "错误：「商务局」不是序号 5.1 的责任单位；最接近的是 发改局（其单位：发改局、工业园）；"
            "督查室自己填报时不写 --by 或写 --by 督查室\n",
        ),
        (["9.1"], "错误：没有序号为 9 的任务（本清单序号为 4–5）\n"),
    ],
)
def test_update_refuses_a_subitem_the_item_has_not_or_a_unit_that_does_not_own_it(
    runner, listed, args, message
):
    result = run(runner, listed, "update", *args, "--status", "滞后")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)
    assert not (listed.parent / "progress.jsonl").exists()


def test_show_lists_each_subitem_state(runner, listed):
    run(
        runner,
        listed,
        "update",
        "5.1",
        "--status",
        "序时推进",
        "--progress",
        "70",
        "--by",
        "发改局",
    )
    run(runner, listed, "update", "5.2", "--status", "滞后", "--progress", "30", "--by", "工信局")
    log = listed.parent / "progress.jsonl"
    common = ["--file", str(listed), "--ledger", str(log), "--as-of", "2023-06-25"]
    shown = runner.invoke(cli, ["show", "5", "--format", "tsv", *common])
    assert shown.exit_code == 0, shown.stderr
    lines = dict(line.split("\t", 1) for line in shown.stdout.splitlines())
    assert lines["分项"] == (
        "5.1 建成区级企业服务中心（牵头部门：发改局；责任部门：工业园；完成时限：9月底前）："
        "序时推进 70% 绿灯、"
        # 发改局 leads 5.2 too (the item's 牵头 cell) and has not reported on it: silence is
        # measured as 0%, its part the least advanced
        "5.2 开展“万人助万企”活动（责任部门：商务局；完成时限：6月底前）：未启动 红灯（发改局、工信局）"
    )
    assert (lines["状态"], lines["进度"], lines["灯"]) == ("未启动", "", "红")
    assert lines["进度记录"] == (
        "2023-06-20 5.1 序时推进 70%（发改局） 2023-06-20 5.2 滞后 30%（工信局）"
    )
    data = json.loads(runner.invoke(cli, ["show", "5", "--format", "json", *common]).stdout)
    assert [(p["part"], p["status"], p["progress"], p["light"]) for p in data["parts"]] == [
        ("5.1", "序时推进", 70, "绿"),
        ("5.2", "未启动", None, "红"),
    ]
    assert data["parts"][1]["units"][:2] == [
        {"unit": "发改局", "role": "主牵头", "status": "未启动", "progress": None,
         "updated": None, "light": "红", "note": ""},
        {"unit": "工信局", "role": "牵头", "status": "滞后", "progress": 30,
         "updated": "2023-06-20", "light": "红", "note": ""},
    ]  # fmt: skip
    assert set(data["parts"][0]) == {
        "part",
        "text",
        "status",
        "progress",
        "light",
        "deadline",
        "units",
    }
    assert [h.get("part") for h in data["history"]] == ["5.1", "5.2"]
    listed_history = runner.invoke(cli, ["history", "5", "--format", "tsv", *common[:4]])
    assert [line.split("\t")[:4] for line in listed_history.stdout.splitlines()] == [
        ["2023-06-20", "5.1", "序时推进", "70%"],
        ["2023-06-20", "5.2", "滞后", "30%"],
    ]
    single = json.loads(runner.invoke(cli, ["show", "4", "--format", "json", *common]).stdout)
    assert "parts" not in single


def test_a_form_lists_the_subitems_a_unit_owns_and_collect_reads_them_back(runner, listed):
    from tests.replies import fill

    out = listed.parent / "forms"
    log = listed.parent / "progress.jsonl"
    common = ["--file", str(listed), "--ledger", str(log)]
    made = runner.invoke(cli, ["forms", "--week", "2023-W26", "--dir", str(out), *common])
    assert made.exit_code == 0, made.stderr
    import openpyxl

    def ids(name):
        sheet = openpyxl.load_workbook(out / f"2023-W26_{name}.xlsx")["填报"]
        return [(r[0].value, r[1].value, r[3].value) for r in sheet.iter_rows(min_row=5)]

    assert ids("发改局") == [
        ("5.1", "建成区级企业服务中心", "牵头"),
        ("5.2", "开展“万人助万企”活动", "牵头"),
    ]
    assert ids("工信局") == [("5.2", "开展“万人助万企”活动", "牵头")]
    assert ids("住建局") == [(4, "改造老旧小区12个", "牵头")]
    form = out / "2023-W26_发改局.xlsx"
    fill(form, {"5.1": ("序时推进", 70, "已封顶"), "5.2": ("滞后", 20, "企业未报名")})
    got = runner.invoke(cli, ["collect", str(form), "--week", "2023-W26", *common])
    assert got.exit_code == 0, got.stderr
    lines = [json.loads(x) for x in log.read_text().splitlines()]
    assert [(x["序号"], x["分项"], x["状态"], x["进度"], x["填报人"]) for x in lines] == [
        (5, 1, "序时推进", 70, "发改局"),
        (5, 2, "滞后", 20, "发改局"),
    ]
    assert lines[0]["来源"] == "2023-W26_发改局.xlsx 第 5 行"


def test_collect_refuses_a_subitem_the_unit_does_not_own(runner, listed):
    from tests.replies import fill

    out = listed.parent / "forms"
    log = listed.parent / "progress.jsonl"
    common = ["--file", str(listed), "--ledger", str(log)]
    runner.invoke(cli, ["forms", "--week", "2023-W26", "--dir", str(out), *common])
    form = out / "2023-W26_工信局.xlsx"
    import openpyxl

    book = openpyxl.load_workbook(form)
    book["填报"]["A5"] = "5.1"  # 5.1 is 发改局's alone
    book.save(form)
    fill(form, {"5.1": ("滞后", 20, "x")})
    got = runner.invoke(cli, ["collect", str(form), "--week", "2023-W26", *common])
    assert got.exit_code == 1, got.stderr
    assert "分项 5.1 不是 工信局 的（其单位：发改局、工业园）" in got.stdout + got.stderr
    assert not log.exists() or not log.read_text()


def test_list_facts_carry_each_subitems_units(listed):
    from taskctl.units import list_facts

    facts = list_facts(load(listed))
    assert facts.part_count(5) == 2 and facts.part_count(4) == 0
    assert facts.units_of(5, 1) == (("发改局",), ("工业园",), False)
    assert facts.units_of(5, 2) == (("发改局", "工信局"), ("商务局",), False)
    assert facts.units_of(5) == (("发改局", "工信局"), ("工业园", "商务局"), False)
    # kept beside the parse cache: one task's line read from the units file, 分项 included
    from taskctl.loader import load_facts

    load_facts(listed)  # parses and keeps the facts
    kept = load_facts(listed)
    assert kept.reader is not None and not kept.units
    assert kept.part_count(5) == 2 and kept.part_count(4) == 0
    assert kept.units_of(5, 1) == (("发改局",), ("工业园",), False)
    assert kept.units_of(5, 2) == (("发改局", "工信局"), ("商务局",), False)


def test_the_drop_check_compares_a_subitem_with_itself(runner, listed):
    first = run(
        runner,
        listed,
        "update",
        "5.1",
        "--status",
        "序时推进",
        "--progress",
        "80",
        "--by",
        "发改局",
    )
    assert first.exit_code == 0, first.stderr
    # 30% on 5.2 is no drop from 80% on 5.1
    other = run(
        runner, listed, "update", "5.2", "--status", "滞后", "--progress", "30", "--by", "发改局"
    )
    assert other.exit_code == 0, other.stderr
    drop = run(
        runner, listed, "update", "5.2", "--status", "滞后", "--progress", "20", "--by", "发改局"
    )
    assert (drop.exit_code, drop.stderr) == (
        2,
        "错误：序号 5.2 的进度由 30%（2023-06-20）降为 20%：进度下降须用 --note 写明原因\n",
    )


def ruled(tmp_path, rule):
    """The list with a 亮灯规则 of its own (a top-level key before the sections)."""
    path = tmp_path / "tasks.yaml"
    path.write_text(LIST.replace("sections:", f"亮灯规则: {rule}\nsections:"), encoding="utf-8")
    return path


def test_the_lists_light_rule_judges_each_subitem_and_its_units(tmp_path):
    # 5.1 (due 9-30) at 55% on 6-20, 序时进度 64.5% on 6-25: 9.5 points behind, which the
    # default rule (any gap 黄, more than 10 红) and 百分点 黄 5 红 30 both make 黄; 比例 黄 90
    # 红 85 makes 55/64.5 = 85.3% 黄 and 黄 90 红 86 makes it 红
    entries = [report("发改局", "序时推进", 55, part=1)]

    def first(rule):
        state = state_of(ruled(tmp_path, rule), entries)
        one = state.subitems[0]
        return one.light, one.part("发改局").light, state.part("工业园").light

    assert first("{方式: 百分点, 黄: 5, 红: 30}") == ("黄", "黄", "红")
    assert first("{方式: 比例, 黄: 90, 红: 85}") == ("黄", "黄", "红")
    assert first("{方式: 比例, 黄: 90, 红: 86}") == ("红", "红", "红")


def test_yellow_for_periods_in_a_row_turns_a_subitem_red(tmp_path):
    # 5.1 reported 55% on 6-10: at the end of the week before (6-18, 序时进度 61.9%) and now
    # (6-25, 64.5%) 黄, so with 连续黄灯转红: 2 its part, and the 分项, are 红
    entries = [report("发改局", "序时推进", 55, part=1, day=10)]
    plain = state_of(ruled(tmp_path, "{方式: 百分点, 黄: 5, 红: 30}"), entries)
    assert (plain.subitems[0].light, plain.subitems[0].part("发改局").light) == ("黄", "黄")
    state = state_of(ruled(tmp_path, "{方式: 百分点, 黄: 5, 红: 30, 连续黄灯转红: 2}"), entries)
    one = state.subitems[0]
    mine = one.part("发改局")
    assert (one.light, one.yellow_run, mine.light, mine.yellow_run) == ("红", 1, "红", 1)
    assert mine.reason == "连续 2 期黄灯"
    # the item's unit 发改局 is as far as its least advanced 分项 (5.2, never reported)
    assert state.part("发改局").subitem == 0


def test_yellow_runs_of_a_subitem_through_the_commands(runner, tmp_path):
    listed = ruled(tmp_path, "{方式: 百分点, 黄: 5, 红: 30, 连续黄灯转红: 2}")
    log = tmp_path / "progress.jsonl"
    common = ["--file", str(listed), "--ledger", str(log)]
    done = runner.invoke(
        cli,
        ["update", "5.1", "--status", "序时推进", "--progress", "55", "--by", "发改局"]
        + ["--date", "2023-06-10", *common],
    )
    assert done.exit_code == 0, done.stderr
    for _ in range(2):  # cold, then from the cache
        shown = runner.invoke(
            cli, ["show", "5", "--format", "json", "--as-of", "2023-06-25", *common]
        )
        assert shown.exit_code == 0, shown.stderr
        data = json.loads(shown.stdout)
        assert [(p["part"], p["light"]) for p in data["parts"]] == [("5.1", "红"), ("5.2", "红")]
        assert data["parts"][0]["units"][0]["light"] == "红"


def test_collect_finishes_a_killed_write_and_keeps_a_blank_subitem_of_a_correction(runner, listed):
    import os

    from tests.replies import fill

    out = listed.parent / "forms"
    log = listed.parent / "progress.jsonl"
    common = ["--file", str(listed), "--ledger", str(log)]
    runner.invoke(cli, ["forms", "--week", "2023-W26", "--dir", str(out), *common])
    form = out / "2023-W26_发改局.xlsx"
    first = fill(form, {"5.1": ("序时推进", 70, "已封顶"), "5.2": ("滞后", 20, "企业未报名")})
    os.utime(first, (1_000, 1_000))
    got = runner.invoke(cli, ["collect", str(first), "--week", "2023-W26", *common])
    assert got.exit_code == 0, got.stderr
    # a run killed after the reply's first row: the next run writes 5.2, the row it missed
    lines = log.read_text(encoding="utf-8").splitlines()
    log.write_text(lines[0] + "\n", encoding="utf-8")
    again = runner.invoke(cli, ["collect", str(first), "--week", "2023-W26", *common])
    assert again.exit_code == 0, again.stderr
    rows = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    assert [(x["序号"], x["分项"], x["进度"], x["回执"]) for x in rows] == [
        (5, 1, 70, rows[0]["回执"]),
        (5, 2, 20, rows[0]["回执"]),
    ]
    # a correction that leaves 5.2 blank keeps the first reply's 5.2
    fixed = form.with_name("2023-W26_发改局（更正）.xlsx")
    fill(form, {"5.1": ("序时推进", 75, "已封顶"), "5.2": ("", "", "")}, out=fixed)
    os.utime(fixed, (2_000, 2_000))
    done = runner.invoke(cli, ["collect", str(fixed), "--week", "2023-W26", *common])
    assert done.exit_code == 0, done.stderr
    assert "未填序号 5.2，沿用 发改局 本期先前回复的内容" in done.stderr
    counted = {
        (e.id, e.part): (e.status, e.progress) for e in read_log(log) if e.reply and not e.revokes
    }
    assert counted[5, 1] == ("序时推进", 75) and counted[5, 2] == ("滞后", 20)


def test_a_subitems_done_waits_for_the_review_of_that_subitem(runner, listed):
    log = listed.parent / "progress.jsonl"
    common = ["--file", str(listed), "--ledger", str(log)]

    def update(target, status, progress, day):
        done = runner.invoke(
            cli,
            ["update", target, "--status", status, "--progress", str(progress), "--by", "发改局"]
            + ["--date", f"2023-06-{day}", *common],
        )
        assert done.exit_code == 0, done.stderr

    def parts():
        tasklist = load(listed)
        (state,) = task_states(tasklist, read_log(log), AS_OF, tasks=[tasklist.task(5)])
        mine = [s.part("发改局") for s in state.subitems]
        return [(p.status, p.progress, p.review_word) for p in mine], state.part("发改局").flag

    def approve(day):
        done = runner.invoke(
            cli, ["review", "5", "--approve", "--unit", "发改局", "--date", day, *common]
        )
        assert done.exit_code == 0, done.stderr
        return done.stderr

    update("5.2", "序时推进", 90, 10)  # the log's order is not the requests' order
    update("5.1", "序时推进", 70, 10)
    update("5.2", "已完成", 100, 21)
    update("5.1", "已完成", 100, 20)
    # 已完成 is a request on its 分项 alone: each shows its last report until reviewed
    shown, flag = parts()
    assert shown == [("序时推进", 70, "待审核"), ("序时推进", 90, "待审核")]
    assert (flag.word, flag.request.part) == ("待审核", 1)  # the older request
    assert "2023-06-20 申请" in approve("2023-06-22")
    shown, flag = parts()
    assert shown == [("已完成", 100, "已销号"), ("序时推进", 90, "待审核")]
    assert (flag.word, flag.request.part) == ("待审核", 2)
    assert "2023-06-21 申请" in approve("2023-06-23")
    assert parts()[0] == [("已完成", 100, "已销号"), ("已完成", 100, "已销号")]


def test_an_items_one_lead_unit_answers_for_its_own_subitems_only(tmp_path):
    from taskctl.tracking import dept_rows

    # the item names 发改局 alone; its second row names 商务局 as 牵头 of 5.2
    text = LIST.replace("    - 发改局\n    - 工信局\n", "    - 发改局\n").replace(
        "    - 年度任务目标: 开展“万人助万企”活动\n      责任部门: 商务局\n",
        "    - 年度任务目标: 开展“万人助万企”活动\n      牵头部门: 商务局\n",
    )
    path = tmp_path / "tasks.yaml"
    path.write_text(text, encoding="utf-8")
    state = state_of(path, [report("发改局", "序时推进", 70, part=1)])
    # 5.2 (商务局's, silent) makes the item 红; 发改局's own part is 5.1, on track
    assert (state.light, [s.light for s in state.subitems]) == ("红", ["绿", "红"])
    assert state.units.leads == ("发改局",)
    assert state.behind_units == ()
    assert [(name, part.light) for name, part in dept_rows([state])] == [("发改局", "绿")]
