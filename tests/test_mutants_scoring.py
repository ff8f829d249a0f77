"""Tests prompted by the mutants of taskctl/scoring.py that survived issue 27's full run: the
default rules' points, the bounds, the ranking and the 考评 workbook, through ``score``."""

from __future__ import annotations

from taskctl.cli import cli

# 办结审核 off: a part reported 已完成 in the period counts as 销号. Task 1 is past its
# 完成时限 with nothing done; task 2 is done by both units in June.
LIST = """\
标题: 考评测试清单
年度: 2023
办结审核: false
sections:
- 编号: 一
  标题: 测试
  任务:
  - 序号: 1
    年度任务目标: 新建5G基站200个
    牵头部门: [住建局]
    责任部门: [财政局]
    完成时限: 2023-05-31
  - 序号: 2
    年度任务目标: 推进棚户区改造
    牵头部门: [住建局]
    责任部门: [财政局]
    完成时限: 2023-12-31
"""
LOG = """\
{"序号": 2, "日期": "2023-06-10", "状态": "已完成", "进度": 100, "说明": "竣工", "填报人": "住建局"}
{"序号": 2, "日期": "2023-06-12", "状态": "已完成", "进度": 100, "说明": "拨付到位", "填报人": "财政局"}
"""


PERIODS = ("--quarter", "--since", "--month")


def score(
    runner, tmp_path, *args: str, rules: str | None = None, tasks: str = LIST, log: str = LOG
):
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "tasks.yaml").write_text(tasks, encoding="utf-8")
    (data / "progress.jsonl").write_text(log, encoding="utf-8")
    if rules is not None:
        (tmp_path / "rules.yaml").write_text(rules, encoding="utf-8")
        args = (*args, "--rules", "rules.yaml")
    if not any(a.startswith("--") and a in PERIODS for a in args):
        args = ("--quarter", "2023Q2", *args)
    result = runner.invoke(cli, ["score", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_default_points_differ_by_role(runner, tmp_path):
    assert score(runner, tmp_path, "--explain", "--format", "tsv") == (
        "住建局\t1\t2023-05-31\t牵头任务超过完成时限 2023-05-31 未完成\t-2\n"
        "住建局\t2\t2023-06-10\t牵头任务已完成（未设办结审核，按填报计）\t+2\n"
        "财政局\t1\t2023-05-31\t责任任务超过完成时限 2023-05-31 未完成\t-1\n"
        "财政局\t2\t2023-06-12\t责任任务已完成（未设办结审核，按填报计）\t+1\n"
    )


def test_the_default_floor_is_zero(runner, tmp_path):
    rules = "基础分: 0.5\n销号: 0\n超期未完成: {责任: 0}\n"
    assert score(runner, tmp_path, "--format", "csv", rules=rules).splitlines() == [
        "名次,单位,得分,基础分,迟报,未报,滞后,超期,退回,销号,说明",
        "1,财政局,0.5,0.5,0,0,0,0,0,0,",
        "2,住建局,0,0.5,0,0,0,1,0,0,按下限计",
    ]


def test_a_score_at_a_bound_is_not_said_to_be_held_there(runner, tmp_path):
    assert score(runner, tmp_path, "--format", "csv").splitlines()[1:] == [
        "1,住建局,100,100,0,0,0,1,0,1,",
        "1,财政局,100,100,0,0,0,1,0,1,",
    ]
    # a cap equal to the floor is allowed: every score is that
    rules = "基础分: 0.5\n销号: 0\n超期未完成: {责任: 0}\n上限: 0.5\n下限: 0.5\n"
    assert score(runner, tmp_path, "--format", "csv", rules=rules).splitlines()[1:] == [
        "1,住建局,0.5,0.5,0,0,0,1,0,0,按下限计",
        "1,财政局,0.5,0.5,0,0,0,0,0,0,",
    ]


def test_a_score_is_rounded_to_two_decimals(runner, tmp_path):
    rules = "超期未完成: {牵头: -0.125, 责任: -0.004}\n销号: 0\n"
    assert score(runner, tmp_path, "--format", "csv", rules=rules).splitlines()[1:] == [
        "1,财政局,100,100,0,0,0,1,0,0,",
        "2,住建局,99.88,100,0,0,0,1,0,0,",
    ]


# 报送周期 每月: 财政局 replies for its own task 3 to the May and June rounds on time; 住建局, the
# other lead unit, never does.
MONTHLY = (
    LIST.replace("办结审核: false\n", "办结审核: false\n报送周期: 每月\n")
    + """\
  - 序号: 3
    年度任务目标: 加强预算管理
    牵头部门: [财政局]
    责任部门: []
"""
)
REPLIES = LOG + "".join(
    f'{{"序号": 3, "日期": "{day}", "状态": "序时推进", "进度": 60, "说明": "", '
    f'"填报人": "财政局", "期间": "{period}", "回执": "r{period}", "收到日期": "{day}"}}\n'
    for period, day in (("2023-05", "2023-05-31"), ("2023-06", "2023-06-30"))
)


def test_a_round_ending_on_the_first_or_last_day_of_the_period_counts(runner, tmp_path):
    quarter = score(runner, tmp_path, "--explain", "--format", "tsv", tasks=MONTHLY, log=REPLIES)
    assert [line for line in quarter.splitlines() if "未报" in line] == [
        "住建局\t\t2023-05-31\t2023-05 未报（2023-05-31 前应报）\t-0.5",
        "住建局\t\t2023-06-30\t2023-06 未报（2023-06-30 前应报）\t-0.5",
    ]
    since = score(
        runner, tmp_path, "--since", "2023-05-31", "--until", "2023-06-29", "--explain",
        "--format", "tsv", tasks=MONTHLY, log=REPLIES,
    )  # fmt: skip
    assert [line for line in since.splitlines() if "未报" in line] == [
        "住建局\t\t2023-05-31\t2023-05 未报（2023-05-31 前应报）\t-0.5",
    ]


def test_states_are_taken_as_of_the_day_asked_for(runner, tmp_path):
    done = LOG + (
        '{"序号": 1, "日期": "2023-07-05", "状态": "已完成", "进度": 100, "说明": "开通", '
        '"填报人": "住建局"}\n'
    )
    later = score(
        runner, tmp_path, "--explain", "--format", "tsv", "--as-of", "2023-07-10", log=done
    )
    # 住建局 finished task 1 after the quarter, before the day asked for: not overdue then
    assert later == (
        "住建局\t2\t2023-06-10\t牵头任务已完成（未设办结审核，按填报计）\t+2\n"
        "财政局\t1\t2023-05-31\t责任任务超过完成时限 2023-05-31 未完成\t-1\n"
        "财政局\t2\t2023-06-12\t责任任务已完成（未设办结审核，按填报计）\t+1\n"
    )


def test_review_events_count_from_the_first_to_the_last_day_and_no_other(runner, tmp_path):
    reviewed = LIST.replace("办结审核: false\n", "")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "tasks.yaml").write_text(reviewed, encoding="utf-8")
    for args in (
        ["update", "2", "--status", "已完成", "--progress", "100", "--by", "住建局", "--date", "2023-03-25"],
        ["review", "2", "--approve", "--date", "2023-03-31"],
        ["update", "1", "--status", "已完成", "--progress", "100", "--by", "住建局", "--date", "2023-03-28"],
        ["review", "1", "--approve", "--date", "2023-04-01"],
        ["update", "2", "--status", "已完成", "--progress", "100", "--by", "财政局", "--date", "2023-06-25"],
        ["review", "2", "--return", "缺佐证", "--date", "2023-06-30"],
    ):  # fmt: skip
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["score", "--quarter", "2023Q2", "--explain", "--format", "tsv"])
    # the 销号 of 3-31 fell before the quarter; those of its first and last day count
    assert result.stdout == (
        "住建局\t1\t2023-04-01\t牵头任务销号\t+2\n"
        "财政局\t1\t2023-05-31\t责任任务超过完成时限 2023-05-31 未完成\t-1\n"
        "财政局\t2\t2023-06-30\t责任任务退回：缺佐证\t-2\n"
    )


def test_a_part_reported_done_on_the_first_or_last_day_counts_as_closed(runner, tmp_path):
    log = LOG.replace("2023-06-10", "2023-04-01").replace("2023-06-12", "2023-06-30")
    assert [
        line for line in score(runner, tmp_path, "--explain", "--format", "tsv", log=log).splitlines()
        if "已完成" in line
    ] == [
        "住建局\t2\t2023-04-01\t牵头任务已完成（未设办结审核，按填报计）\t+2",
        "财政局\t2\t2023-06-30\t责任任务已完成（未设办结审核，按填报计）\t+1",
    ]  # fmt: skip


def test_a_rules_file_may_hold_its_rules_under_the_lists_key(runner, tmp_path):
    rules = "考评规则:\n  超期未完成: {牵头: -3}\n"
    rows = score(runner, tmp_path, "--format", "csv", rules=rules).splitlines()[1:]
    assert rows == ["1,财政局,100,100,0,0,0,1,0,1,", "2,住建局,99,100,0,0,0,1,0,1,"]


def test_the_workbook_is_laid_out_to_print(runner, tmp_path):
    import openpyxl

    score(runner, tmp_path, "-o", "考评.xlsx")
    book = openpyxl.load_workbook(tmp_path / "考评.xlsx")
    sheet, detail = book["考评"], book["明细"]
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:K1"]
    assert (sheet["A1"].font.b, sheet["A1"].font.sz, sheet["A1"].alignment.horizontal) == (
        True,
        16,
        "center",
    )
    widths = {c: sheet.column_dimensions[c].width for c in "ABCDEFGHIJK"}
    assert widths == dict(zip("ABCDEFGHIJK", [6, 18, 8, 8, 6, 6, 6, 6, 6, 6, 10], strict=True))
    assert {c: detail.column_dimensions[c].width for c in "ABCDE"} == {
        "A": 18, "B": 6, "C": 12, "D": 70, "E": 8,
    }  # fmt: skip
    for row in (2, 3, 4):
        for cell in sheet[row]:
            assert cell.border.left.style == cell.border.bottom.style == "thin", cell.coordinate
            assert cell.alignment.horizontal == "center"
    assert [c.font.b for c in sheet[2]] == [True] * 11
    assert [c.font.b for c in sheet[3]] == [False] * 11
    assert [c.font.b for c in detail[1]] == [True] * 5
    assert [c.font.b for c in detail[2]] == [False] * 5
    assert [bool(c.alignment.wrap_text) for c in detail[2]] == [False, False, False, True, False]
    for each, rows in ((sheet, "$1:$2"), (detail, "$1:$1")):
        setup = each.page_setup
        assert (setup.orientation, setup.paperSize, each.print_title_rows) == (
            "landscape",
            9,
            rows,
        )
