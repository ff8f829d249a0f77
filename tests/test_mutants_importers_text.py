"""Tests prompted by the mutants of taskctl/importers/text.py that survived issue 27's run
(scripts/mutate.py). Each was checked by putting its mutant back and seeing it fail."""

from __future__ import annotations

from taskctl.cli import cli

PARAGRAPHS = """\
2023年重点任务清单
一、稳增长
1.新建5G基站100个。
责任领导：王某某
责任单位：市税务局（列第一位者为工作牵头单位，下同）、市财政局
2.开工项目30个。
责任领导：李某
责任单位：市发改局
"""


def test_a_list_written_as_paragraphs_names_the_line_of_its_task(runner, tmp_path):
    # the rule note sits in the task of line 3: the summary names line 3, the file's own count
    source = tmp_path / "清单.txt"
    source.write_text(PARAGRAPHS, encoding="utf-8")
    result = runner.invoke(cli, ["import", str(source), "-o", str(tmp_path / "t.yaml")])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[:8] == [
        "编码：UTF-8",
        "读取 3 行：2 项任务，1 个部分",
        "列：",
        "  序号 → 序号（标题为“序号”）",
        "  任务 → 年度任务目标（标题为“任务”）",
        "  责任领导 → 责任领导（标题含“领导”）",
        "  责任单位 → 责任部门（标题含“单位”）",
        "注意：第 3 行的责任单位中注明「列第一位者为工作牵头单位」："
        "按「列第一位的为牵头单位」，各项责任单位的第一个记为牵头部门",
    ]


def test_paragraphs_numbered_like_parts_are_tasks_when_units_follow(tmp_path):
    from taskctl.importers import read_source

    source = tmp_path / "清单.txt"
    source.write_text(
        "2023年重点任务清单\n一、稳增长\n"
        "（一）新建5G基站100个。\n牵头单位：县工信局\n责任单位：县财政局\n配合单位：各镇街道\n"
        "（二）开工项目30个。\n牵头单位：县发改局\n配合单位：县住建局\n"
        "二、惠民生\n3.新增学位1200个。\n牵头单位：县教育局\n",
        encoding="utf-8",
    )
    result = read_source(source)
    assert result.summary.lines()[2:] == [
        "  序号 → 序号（标题为“序号”）",
        "  任务 → 年度任务目标（标题为“任务”）",
        "  牵头单位 → 牵头部门（标题含“牵头”）",
        "  责任单位 → 责任部门（标题含“单位”）",
        "  配合单位 → 责任部门（标题含“单位”）",
        "  原编号 → 原样保留（标题不对应已知的角色）",
    ]
    assert [
        (t.id, t.section, t.text, t.lead_departments, t.departments, dict(t.extra))
        for t in result.tasklist.tasks
    ] == [
        (1, "一", "新建5G基站100个。", ("县工信局",), ("县财政局", "各镇街道"), {"原编号": "（一）"}),
        (2, "一", "开工项目30个。", ("县发改局",), ("县住建局",), {"原编号": "（二）"}),
        (3, "二", "新增学位1200个。", ("县教育局",), (), {}),
    ]  # fmt: skip
