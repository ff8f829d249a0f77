"""Tests prompted by the mutants of taskctl/importers/roles.py that survived issue 27's run
(scripts/mutate.py). Each was checked by putting its mutant back and seeing it fail.

Lists are CSV files built in the test; the import's summary says each column's role and why."""

from __future__ import annotations

import pytest

from taskctl.errors import InputError
from taskctl.importers import read_source
from taskctl.importers.roles import ROLE_NAMES, category_values, parse_columns_option


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


def _lines(result) -> list[str]:
    return result.summary.lines()[2:]


NOTE = "注意：清单中没有年度，按 --year 取 2023 年"


def test_id_person_and_lead_columns_by_other_words_and_a_blank_spacer_column(tmp_path):
    result = _read(
        tmp_path,
        "编号,重点工作,具体责任人,联系人,责任主体,,完成时限\n"
        "1,新建5G基站200个,王五,赵六,县工信局,,2023-06-30\n"
        "2,开工项目30个,王五,钱七,县发改局,,2023-12-31\n",
    )
    assert _lines(result) == [
        "  编号 → 序号（标题为“编号”）",
        "  重点工作 → 年度任务目标（标题含“工作”）",
        "  具体责任人 → 原样保留（标题含“责任人”）",
        "  联系人 → 原样保留（标题为“联系人”）",
        "  责任主体 → 牵头部门（标题为“责任主体”）",
        "  完成时限 → 完成时限（标题含“时限”）",
        NOTE,
    ]
    assert [(t.id, t.lead_departments, dict(t.extra)) for t in result.tasklist.tasks] == [
        (1, ("县工信局",), {"具体责任人": "王五", "联系人": "赵六"}),
        (2, ("县发改局",), {"具体责任人": "王五", "联系人": "钱七"}),
    ]


def test_a_requirement_is_the_task_when_the_only_task_like_column_is_a_category(tmp_path):
    result = _read(
        tmp_path,
        "序号,目标类型,工作要求,责任单位\n"
        "1,A类,新建5G基站200个,县工信局\n2,B类,开工项目30个,县发改局\n3,A类,新增学位1200个,县教育局\n",
    )
    assert _lines(result) == [
        "  序号 → 序号（标题为“序号”）",
        "  目标类型 → 原样保留（只有 A类、B类 2 种短值反复出现，是分类，不作任务）",
        "  工作要求 → 年度任务目标（标题含“要求”，但另无任务列）",
        "  责任单位 → 责任部门（标题含“单位”）",
        NOTE,
    ]
    assert [t.text for t in result.tasklist.tasks] == [
        "新建5G基站200个",
        "开工项目30个",
        "新增学位1200个",
    ]


def test_of_three_task_columns_the_first_is_the_name_the_second_the_task(tmp_path):
    result = _read(
        tmp_path,
        "序号,重点工作,工作任务,主要任务,责任单位\n1,5G基站,新建5G基站200个,年内完成,县工信局\n",
    )
    assert _lines(result) == [
        "  序号 → 序号（标题为“序号”）",
        "  重点工作 → 任务名称（标题含“工作”；两列像任务，第一列作名称）",
        "  工作任务 → 年度任务目标（标题含“任务”）",
        "  主要任务 → 原样保留（标题含“任务”；已有任务名称和任务内容两列）",
        "  责任单位 → 责任部门（标题含“单位”）",
        NOTE,
    ]
    task = result.tasklist.tasks[0]
    assert (task.text, dict(task.extra)) == (
        "新建5G基站200个",
        {"任务名称": "5G基站", "主要任务": "年内完成"},
    )


def test_categories_are_named_up_to_three(tmp_path):
    result = _read(
        tmp_path,
        "序号,目标类型,重点工作,事项类型,责任单位\n"
        "1,A类,任务1,甲,县工信局\n2,B类,任务2,乙,县工信局\n3,C类,任务3,丙,县工信局\n"
        "4,D类,任务4,甲,县工信局\n5,A类,任务5,乙,县工信局\n",
    )
    assert _lines(result)[1:4] == [
        "  目标类型 → 原样保留（只有 A类、B类、C类… 4 种短值反复出现，是分类，不作任务）",
        "  重点工作 → 年度任务目标（标题含“工作”）",
        "  事项类型 → 原样保留（只有 甲、乙、丙 3 种短值反复出现，是分类，不作任务）",
    ]


def test_category_values_at_their_limits():
    assert category_values(["A类", "B类", "A类"]) == ["A类", "B类"]  # three rows are enough
    assert category_values(["修建公路", "植树造林", "改造电网"]) is None  # nothing repeated
    five = ["一类", "二类", "三类", "四类", "五类"]
    assert category_values([*five, "一类"]) == five
    assert category_values(["约束性指标项", "预期性指标项", "约束性指标项"]) == [
        "约束性指标项",
        "预期性指标项",
    ]
    assert category_values([*five, "六类", "一类"]) is None  # six kinds are no category
    assert category_values(["新建幼儿园2所", "改造公园3个", "新建幼儿园2所"]) is None  # seven


def test_columns_given_by_hand_for_every_heading(tmp_path):
    result = _read(
        tmp_path,
        "重点工作,责任单位\n新建5G基站200个,县工信局\n",
        columns="任务=重点工作,责任部门=责任单位, ",
    )
    assert _lines(result) == [
        "  重点工作 → 年度任务目标（按 --columns 指定）",
        "  责任单位 → 责任部门（按 --columns 指定）",
        NOTE,
    ]


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ("任务=", "无法理解的列对应「任务=」：应写成 角色=原表列标题，如 任务=重点工作"),
        (
            "任务=重点工作，牵头",
            "无法理解的列对应「牵头」：应写成 角色=原表列标题，如 任务=重点工作",
        ),
        (" 负责 =重点工作", "不认识的角色「负责」；可用：" + "、".join(ROLE_NAMES)),
    ],
)
def test_columns_given_by_hand_that_cannot_be_read(columns, message):
    with pytest.raises(InputError) as error:
        parse_columns_option(columns)
    assert str(error.value) == message


def test_of_two_task_columns_the_first_is_the_name(tmp_path):
    result = _read(tmp_path, "序号,重点工作,工作任务,责任单位\n1,5G基站,新建5G基站200个,县工信局\n")
    assert _lines(result)[1:3] == [
        "  重点工作 → 任务名称（标题含“工作”；两列像任务，第一列作名称）",
        "  工作任务 → 年度任务目标（标题含“任务”）",
    ]
