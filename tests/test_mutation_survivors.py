"""Tests prompted by the mutants that survived issue 27's seeded runs of scripts/mutate.py
(docs/testing.md lists them). Each was checked by putting its mutant back and seeing it fail."""

from __future__ import annotations

import pytest

from taskctl.cli import cli
from taskctl.errors import InputError
from taskctl.loader import loads

LIST = """\
标题: 测试清单
年度: 2023
groups:
  各 镇 街道: [八角台街道, 台东街道]
sections:
- 编号: 一
  标题: 城市建设
  项数: 3
  任务:
  - 序号: 1
    年度任务目标: 新建5G基站200个
    责任领导: [张辉]
    牵头部门: [住建局]
    责任部门: [各有关部门, 财政局]
  - 序号: 2
    年度任务目标: 推进棚户区改造
    责任领导: [李明]
    牵头部门: [各有关部门]
    责任部门: [各镇街道, 财政局]
  - 序号: 3
    年度任务目标: 加强预算管理
    责任领导: [李明]
    牵头部门: [财政局]
    责任部门: [住建局]
"""


# query -------------------------------------------------------------------------------------


def test_an_id_range_of_a_million_and_one_is_the_largest_accepted():
    from taskctl.query import parse_ids

    assert len(parse_ids("1-1000001")) == 1_000_001
    with pytest.raises(InputError, match="过大"):
        parse_ids("1-1000002")


def test_a_blanket_word_spelled_out_in_groups_with_spaces_is_not_open():
    from taskctl.query import open_groups

    assert open_groups(loads(LIST)) == {"各有关部门"}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("lead", [(2, "lead")]),
        ("support", [(1, "support")]),
        ("all", [(1, "support"), (2, "lead")]),
    ],
)
def test_open_group_tasks_follow_the_role(role, expected):
    from taskctl.query import open_group_tasks

    rows = open_group_tasks(loads(LIST), role=role)
    assert [(r.task.id, r.role) for r in rows] == expected
    assert {r.via for r in rows} == {"各有关部门"}


def test_the_department_directory_lists_the_busiest_first():
    from taskctl.query import department_directory

    rows = department_directory(loads(LIST))
    assert [(r.name, r.lead, r.support, r.via_group) for r in rows] == [
        ("财政局", 1, 2, 0),
        ("住建局", 1, 1, 0),
        ("各有关部门", 1, 1, 0),
        ("各镇街道", 0, 1, 0),
        ("八角台街道", 0, 0, 1),
        ("台东街道", 0, 0, 1),
    ]


NESTED = """\
标题: 区清单
sections:
- 编号: 一（一）
  标题: 民生
  原文: （一）民生
  上级: [一、推动 经济发展]
  项数: null
  任务:
  - {序号: 1, 年度任务目标: 新建学校, 责任领导: [张伟], 牵头部门: [教育局], 责任部门: []}
- 编号: 一（二）
  标题: 保障民生
  原文: （二）保障民生
  上级: [一、推动 经济发展]
  项数: null
  任务:
  - {序号: 2, 年度任务目标: 新建医院, 责任领导: [张伟], 牵头部门: [卫健局], 责任部门: []}
- 编号: 二
  标题: 生态
  项数: null
  任务:
  - {序号: 3, 年度任务目标: 植树, 责任领导: [李梅], 牵头部门: [林业局], 责任部门: []}
"""


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("推动经济", [1, 2]),
        ("民生", [1, 2]),
        ("保障民生", [2]),
        ("（二）", [2]),
        ("(二)", [2]),
        ("二", [3]),
    ],
)
def test_nested_parts_are_found_by_any_word_of_any_heading_above_them(runner, tmp_path, query, ids):
    import json

    path = tmp_path / "tasks.yaml"
    path.write_text(NESTED, encoding="utf-8")
    result = runner.invoke(
        cli, ["list", "--file", str(path), "--section", query, "--format", "json"]
    )
    assert result.exit_code == 0, result.stderr
    assert [r["id"] for r in json.loads(result.stdout)] == ids
