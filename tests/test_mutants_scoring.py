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


def score(runner, tmp_path, *args: str, rules: str | None = None):
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "tasks.yaml").write_text(LIST, encoding="utf-8")
    (data / "progress.jsonl").write_text(LOG, encoding="utf-8")
    if rules is not None:
        (tmp_path / "rules.yaml").write_text(rules, encoding="utf-8")
        args = (*args, "--rules", "rules.yaml")
    result = runner.invoke(cli, ["score", "--quarter", "2023Q2", *args])
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
