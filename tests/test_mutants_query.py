"""Tests prompted by the mutants of taskctl/query.py that survived issue 27's full run: how
``list``, ``dept``, ``leaders`` and ``depts`` find parts, names and the tasks they hold."""

from __future__ import annotations

import json

import pytest

from taskctl.cli import cli

LIST = """\
标题: 测试清单
年度: 2023
groups:
  各镇街道: [八角台街道, 台东街道]
sections:
- 编号: 一
  标题: 城市 建设
  项数: 2
  任务:
  - 序号: 1
    年度任务目标: 新建5G基站200个
    责任领导: [张辉]
    牵头部门: [住建局]
    责任部门: [财政局]
  - 序号: 2
    年度任务目标: 推进棚户区 改造
    责任领导: [李明]
    牵头部门: [财政局]
    责任部门: [各镇街道]
- 编号: 二
  标题: 民生保障
  项数: 1
  任务:
  - 序号: 3
    年度任务目标: 新建学校3所
    责任领导: [张辉]
    牵头部门: [教育局]
    责任部门: [住建局, 财政局]
"""


def run(runner, tmp_path, *args: str, tasks: str = LIST):
    path = tmp_path / "tasks.yaml"
    path.write_text(tasks, encoding="utf-8")
    return runner.invoke(cli, [*args, "--file", str(path)])


def ids(result) -> list[int]:
    assert result.exit_code == 0, result.output
    return [record["id"] for record in json.loads(result.stdout)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("第 二 部分", [3]), ("城市建设", [1, 2]), ("城市 建设", [1, 2])],
)
def test_a_part_is_found_whatever_the_spaces_in_the_query_or_its_title(
    runner, tmp_path, query, expected
):
    assert ids(run(runner, tmp_path, "list", "--section", query, "--format", "json")) == expected


def test_a_number_is_never_read_as_pinyin_for_a_part(runner, tmp_path):
    tasks = LIST.replace("标题: 城市 建设", "标题: 5G网络建设")
    result = run(runner, tmp_path, "list", "--section", "5", tasks=tasks)
    assert (result.exit_code, result.stderr) == (
        2,
        "错误：没有「5」这一部分；本清单的部分为 一、二（也可写 1–2）\n",
    )


def test_a_part_is_found_by_the_pinyin_of_a_title_written_with_a_space(runner, tmp_path):
    assert ids(run(runner, tmp_path, "list", "--section", "csjs", "--format", "json")) == [1, 2]


NESTED = """\
标题: 区清单
sections:
- 编号: 一(一) 1
  标题: 建设产业园
  原文: 1.建设产业园
  上级: [一、发展经济, （一）推动二产融合]
  项数: null
  任务:
  - {序号: 1, 年度任务目标: 建设产业园, 责任领导: [张伟], 牵头部门: [工信局], 责任部门: []}
- 编号: 一（二）1
  标题: 新建学校
  原文: 1.新建学校
  上级: [一、发展经济, （二）改善民生]
  项数: null
  任务:
  - {序号: 2, 年度任务目标: 新建学校, 责任领导: [张伟], 牵头部门: [教育局], 责任部门: []}
- 编号: 一（二）2
  标题: 新建医院
  原文: 2.新建医院
  上级: [一、发展经济, （二）改善民生]
  项数: null
  任务:
  - {序号: 3, 年度任务目标: 新建医院, 责任领导: [李梅], 牵头部门: [卫健局], 责任部门: []}
"""


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("一（一）1", [1]),  # the numeral as written, brackets and spaces aside
        ("二", [2, 3]),  # the numeral of a middle level, not the 二 of 二产
        ("2", [3]),  # the numeral of the lowest level, not the second part
        ("1", [1, 2]),
        ("（二）", [2, 3]),
    ],
)
def test_a_nested_part_is_found_by_the_numeral_of_any_level(runner, tmp_path, query, expected):
    result = run(runner, tmp_path, "list", "--section", query, "--format", "json", tasks=NESTED)
    assert ids(result) == expected


def test_ids_may_be_written_with_spaces_after_the_commas(runner, tmp_path):
    assert ids(run(runner, tmp_path, "list", "--id", "1, 3", "--format", "json")) == [1, 3]
    assert ids(run(runner, tmp_path, "list", "--id", "1 - 2，3", "--format", "json")) == [1, 2, 3]


def test_filter_tasks_takes_the_ids_as_any_iterable():
    import taskctl

    tasklist = taskctl.loads(LIST)
    wanted = (number for number in (1, 3))  # read once: a generator
    assert [t.id for t in taskctl.filter_tasks(tasklist, ids=wanted)] == [1, 3]


@pytest.mark.parametrize(
    ("words", "expected"),
    [("5G", [1]), ("5g", [1]), ("棚户区改造", [2]), ("棚户区 改造", [2]), ("户区　改", [2])],
)
def test_grep_ignores_case_and_spaces_on_either_side(runner, tmp_path, words, expected):
    assert ids(run(runner, tmp_path, "list", "--grep", words, "--format", "json")) == expected


SPACED = """\
标题: 测试清单
年度: 2023
groups:
  各镇街道: [八角台 街道, 台东街道]
sections:
- 编号: 一
  标题: 城市建设
  项数: 2
  任务:
  - 序号: 1
    年度任务目标: 新建5G基站200个
    责任领导: [张 辉]
    牵头部门: [住建局]
    责任部门: [财政局]
  - 序号: 2
    年度任务目标: 推进棚户区改造
    责任领导: [张辉, 李明]
    牵头部门: [财政局]
    责任部门: [各镇街道]
"""


def test_a_leader_written_with_a_space_is_counted_once_under_one_name(runner, tmp_path):
    result = run(runner, tmp_path, "leaders", "--format", "tsv", tasks=SPACED)
    assert (result.exit_code, result.stdout) == (0, "张辉\t2\n李明\t1\n")


def test_a_group_member_written_with_a_space_is_counted_through_the_group(runner, tmp_path):
    result = run(runner, tmp_path, "depts", "--format", "tsv", tasks=SPACED)
    assert (result.exit_code, result.stdout) == (
        0,
        "财政局\t1\t1\t0\n住建局\t1\t0\t0\n各镇街道\t0\t1\t0\n八角台街道\t0\t0\t1\n台东街道\t0\t0\t1\n",
    )


def test_dept_lists_the_tasks_a_member_written_with_a_space_holds_through_its_group(
    runner, tmp_path
):
    result = run(runner, tmp_path, "dept", "八角台街道", "--format", "json", tasks=SPACED)
    assert result.exit_code == 0, result.output
    assert [(r["id"], r["role"], r["via"]) for r in json.loads(result.stdout)] == [
        (2, "support", "各镇街道")
    ]


def test_a_blank_leader_cell_entry_is_no_leader(runner, tmp_path):
    tasks = SPACED.replace("责任领导: [张 辉]", '责任领导: ["\u3000", 张辉]')
    result = run(runner, tmp_path, "leaders", "--format", "tsv", tasks=tasks)
    assert (result.exit_code, result.stdout) == (0, "张辉\t2\n李明\t1\n")
