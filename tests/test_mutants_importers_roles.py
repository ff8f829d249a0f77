"""Tests prompted by the mutants of taskctl/importers/roles.py that survived issue 27's run
(scripts/mutate.py). Each was checked by putting its mutant back and seeing it fail.

Lists are CSV files built in the test; the import's summary says each column's role and why."""

from __future__ import annotations

from taskctl.importers import read_source


def _read(tmp_path, text: str, name: str = "台账.csv", **options):
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    return read_source(source, year=2023, **options)


def _columns(result) -> list[str]:
    lines = result.summary.lines()
    return lines[2 : lines.index(next(x for x in lines if x.startswith("注意：")))]


def test_a_plan_beside_the_task_and_a_requirement_are_kept_verbatim(tmp_path):
    result = _read(
        tmp_path,
        "序号,重点工作,工作要求,月度工作计划,责任单位\n"
        "1,新建5G基站200个,6月底前完成选址,3月选址；6月开工,县工信局\n"
        "2,改造老旧小区12个,年底前全部完工,4月招标；10月完工,县住建局\n",
    )
    assert _columns(result) == [
        "  序号 → 序号（标题为“序号”）",
        "  重点工作 → 年度任务目标（标题含“工作”）",
        "  工作要求 → 原样保留（标题含“要求”，是说明，不作任务）",
        "  月度工作计划 → 原样保留（标题含“月度”，是推进安排）",
        "  责任单位 → 责任部门（标题含“单位”）",
    ]
    assert [(t.text, dict(t.extra)) for t in result.tasklist.tasks] == [
        ("新建5G基站200个", {"工作要求": "6月底前完成选址", "月度工作计划": "3月选址；6月开工"}),
        ("改造老旧小区12个", {"工作要求": "年底前全部完工", "月度工作计划": "4月招标；10月完工"}),
    ]


def test_without_a_plain_task_column_the_plan_is_the_task_not_the_requirement(tmp_path):
    result = _read(
        tmp_path,
        "序号,月度工作计划,工作要求,责任单位\n"
        "1,3月选址；6月开工,6月底前完成选址,县工信局\n"
        "2,4月招标；10月完工,年底前全部完工,县住建局\n",
    )
    assert _columns(result) == [
        "  序号 → 序号（标题为“序号”）",
        "  月度工作计划 → 年度任务目标（标题含“月度”，是推进安排）",
        "  工作要求 → 原样保留（标题含“要求”，是说明，不作任务）",
        "  责任单位 → 责任部门（标题含“单位”）",
    ]
    assert [(t.text, dict(t.extra)) for t in result.tasklist.tasks] == [
        ("3月选址；6月开工", {"工作要求": "6月底前完成选址"}),
        ("4月招标；10月完工", {"工作要求": "年底前全部完工"}),
    ]


def test_a_heading_of_more_than_fourteen_characters_names_no_role(tmp_path):
    # 完成情况（由责任单位每月填报）, 15 characters, says 单位 but is no unit column;
    # 责任单位（按照职责分工负责）, 14, is still read by its words
    result = _read(
        tmp_path,
        "序号,年度任务目标,完成情况（由责任单位每月填报）,责任单位（按照职责分工负责）\n"
        "1,新建5G基站200个,已完成选址,县工信局\n"
        "2,改造老旧小区12个,已招标,县住建局\n",
    )
    assert _columns(result) == [
        "  序号 → 序号（标题为“序号”）",
        "  年度任务目标 → 年度任务目标（标题含“任务”）",
        "  完成情况（由责任单位每月填报） → 原样保留（标题不对应已知的角色）",
        "  责任单位（按照职责分工负责） → 责任部门（标题含“单位”）",
    ]
    assert [(t.text, t.departments, dict(t.extra)) for t in result.tasklist.tasks] == [
        ("新建5G基站200个", ("县工信局",), {"完成情况（由责任单位每月填报）": "已完成选址"}),
        ("改造老旧小区12个", ("县住建局",), {"完成情况（由责任单位每月填报）": "已招标"}),
    ]
