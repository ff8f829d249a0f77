"""Tests for the mutants of taskctl/units.py that survived issue 27's runs: who may report on
several tasks at once, and what a refusal lists."""

from __future__ import annotations

import pytest

from taskctl.errors import NameLookupError
from taskctl.loader import loads
from taskctl.units import list_facts, resolve_reporter

LIST = """\
标题: 测试清单
年度: 2023
groups:
  各镇街道: [八角台街道, 台东街道, 桑林镇, 高力房镇]
sections:
- 编号: 一
  标题: 城市建设
  任务:
  - 序号: 1
    年度任务目标: 新建5G基站200个
    牵头部门: [住建局]
    责任部门: [各镇街道, 财政局]
  - 序号: 2
    年度任务目标: 推进棚户区改造
    牵头部门: [住建局, 自然资源局]
    责任部门: [各镇街道, 财政局, 交通局]
  - 序号: 3
    年度任务目标: 加强预算管理
    牵头部门: [财政局]
    责任部门: [各有关部门]
"""


@pytest.fixture(params=["list", "facts"])
def held(request):
    tasklist = loads(LIST)
    return tasklist if request.param == "list" else list_facts(tasklist)


def test_a_unit_of_some_tasks_may_report_on_them_and_on_a_task_any_unit_may(held):
    # 住建局 leads 1 and 2; 3 names 各有关部门, which the list does not spell out
    for ids in ([3], [1], [1, 3], [3, 1], [1, 2, 3]):
        assert resolve_reporter("住建局", ids, held) == "住建局"
    assert resolve_reporter("zjj", [2, 3], held) == "住建局"


def test_a_refusal_names_the_first_task_the_unit_is_not_of_and_its_units(held):
    with pytest.raises(NameLookupError) as caught:
        resolve_reporter("交通局", [2, 1], held)
    # task 1 has six units: all listed, no …
    assert str(caught.value) == (
        "「交通局」不是序号 1 的责任单位；最接近的是 财政局、住建局（其单位：住建局、八角台街道、"
        "台东街道、桑林镇、高力房镇、财政局）；督查室自己填报时不写 --by 或写 --by 督查室"
    )


def test_a_group_written_with_spaces_expands_as_the_tasks_write_it():
    from taskctl.units import task_units

    tasklist = loads(LIST.replace("  各镇街道: [", "  各 镇 街道: ["))
    units = task_units(tasklist, tasklist.task(1))
    assert units.leads == ("住建局",)
    assert units.supports == ("八角台街道", "台东街道", "桑林镇", "高力房镇", "财政局")


def test_the_facts_name_every_unit_sorted_and_each_subitems_own():
    from test_mutants_subitems import LIST as ITEM

    facts = list_facts(loads(LIST))
    assert facts.names == tuple(
        sorted(
            [
                "住建局",
                "自然资源局",
                "财政局",
                "交通局",
                "八角台街道",
                "台东街道",
                "桑林镇",
                "高力房镇",
            ]
        )
    )
    tasklist = loads(ITEM)
    for held in (tasklist, list_facts(tasklist)):
        assert resolve_reporter("工业园", [(5, 1)], held) == "工业园"
        assert resolve_reporter("商务局", [(5, 2)], held) == "商务局"
        with pytest.raises(NameLookupError) as caught:
            resolve_reporter("商务局", [(5, 1)], held)
        assert str(caught.value).startswith("「商务局」不是序号 5.1 的责任单位")


def test_a_wrong_rule_names_the_list_file(tmp_path):
    from taskctl.errors import DataFileError
    from taskctl.loader import load
    from taskctl.units import rule

    path = tmp_path / "tasks.yaml"
    path.write_text(LIST.replace("groups:", "多单位汇总: 随便\ngroups:", 1), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        rule(load(path))
    assert str(caught.value) == (
        f"{path}：多单位汇总 应为 最弱牵头单位（默认：任务进度看最慢的牵头单位）或 主牵头单位"
        "（看列第一位的牵头单位），得到「随便」"
    )


def test_the_office_is_no_name_spaces_or_a_name_ending_in_督查室():
    from taskctl.units import is_office

    assert [is_office(n) for n in ("", " 　", "县政府督查室", "督查室 ", "住建局")] == [
        True,
        True,
        True,
        True,
        False,
    ]


def test_the_name_typed_is_read_without_the_spaces_around_it(held):
    assert resolve_reporter(" 县政府督查室\t", [1], held) == "县政府督查室"
    assert resolve_reporter("  ", [1], held) == ""
    assert resolve_reporter(" 住建局 ", [1, 2], held) == "住建局"
    with pytest.raises(NameLookupError) as caught:
        resolve_reporter(" 审计局 ", [1], held)
    assert str(caught.value).startswith("「审计局」不是序号 1 的责任单位")


def test_spaces_inside_a_typed_name_do_not_matter(held):
    # 3 names 各有关部门: any unit of the list may report on it
    assert resolve_reporter("自 然 资 源 局", [3], held) == "自然资源局"
    with pytest.raises(NameLookupError) as caught:
        resolve_reporter("交　　　　通　　　　居", [3], held)
    assert "；最接近的是 交通局（" in str(caught.value)


def test_a_unit_named_only_by_a_subitem_is_a_unit_of_the_list():
    from test_mutants_subitems import LIST as ITEM

    tasklist = loads(ITEM.replace("      责任部门: 商务局", "      责任部门: 统计局"))
    assert "统计局" in list_facts(tasklist).names


def test_the_hint_gives_the_three_closest_units_and_the_task_it_is_not_of(held):
    with pytest.raises(NameLookupError) as caught:
        resolve_reporter("局", [3], held)
    assert str(caught.value) == (
        "「局」不是序号 3 的责任单位；最接近的是 财政局、住建局、交通局（其单位：财政局）；"
        "督查室自己填报时不写 --by 或写 --by 督查室"
    )
    with pytest.raises(NameLookupError) as caught:
        resolve_reporter("交 通 局", [2, 1], held)
    assert str(caught.value).startswith("「交 通 局」不是序号 1 的责任单位")
    with pytest.raises(NameLookupError) as caught:
        resolve_reporter("自然资源局", [2, 1], held)  # it leads 2, and is none of 1's
    assert str(caught.value).startswith("「自然资源局」不是序号 1 的责任单位")


def test_a_group_member_written_with_spaces_and_a_seventh_unit_listed_as_more():
    text = LIST.replace("[八角台街道, 台东街道,", "[八角台 街道, 台东街道,").replace(
        "    责任部门: [各镇街道, 财政局]\n", "    责任部门: [各镇街道, 财政局, 交通局]\n"
    )
    tasklist = loads(text)
    with pytest.raises(NameLookupError) as caught:
        resolve_reporter("审计局", [1], tasklist)
    assert str(caught.value) == (
        "「审计局」不是序号 1 的责任单位；最接近的是 财政局、住建局、交通局（其单位：住建局、"
        "八角台街道、台东街道、桑林镇、高力房镇、财政局…）；督查室自己填报时不写 --by 或写 --by 督查室"
    )
