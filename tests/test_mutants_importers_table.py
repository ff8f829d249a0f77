"""Tests prompted by the mutants of taskctl/importers/table.py that survived issue 27's run
(scripts/mutate.py). Each was checked by putting its mutant back and seeing it fail.

Lists are small CSV (or TAB text) files built in the test, laid out as counties write them."""

from __future__ import annotations

import datetime as dt

import pytest

from taskctl.cli import cli
from taskctl.errors import DataFileError
from taskctl.importers import read_source


def _read(tmp_path, text: str, name: str = "台账.csv", **options):
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    return read_source(source, **options)


def _parts(result) -> list[tuple]:
    return [
        (s.numeral, s.title, s.declared, [t.id for t in s.tasks], s.path, s.written)
        for s in result.tasklist.sections
    ]


def test_parts_of_a_category_column_are_numbered_past_ten(tmp_path):
    categories = (
        "稳增长 促改革 调结构 惠民生 防风险 保稳定 抓项目 优环境 强基础 兴产业 美乡村 善治理"
    )
    lines = ["序号,类别,年度任务目标,牵头单位"]
    lines += [f"{n},{c},任务{n},县发改局" for n, c in enumerate(categories.split(), 1)]
    result = _read(tmp_path, "\n".join(lines) + "\n", year=2023)
    assert [(s.numeral, s.title) for s in result.tasklist.sections] == [
        ("一", "稳增长"), ("二", "促改革"), ("三", "调结构"), ("四", "惠民生"),
        ("五", "防风险"), ("六", "保稳定"), ("七", "抓项目"), ("八", "优环境"),
        ("九", "强基础"), ("十", "兴产业"), ("十一", "美乡村"), ("十二", "善治理"),
    ]  # fmt: skip


def test_unnumbered_parts_under_a_part_and_a_part_without_tasks(tmp_path):
    result = _read(
        tmp_path,
        "2023年重点任务,,\n"
        "序号,年度任务目标,牵头部门\n"
        "一、稳增长（2项）,,\n"
        "1,新建5G基站200个,县工信局\n"
        "2,开工项目30个,县发改局\n"
        "二、惠民生,,\n"
        "教育事业,,\n"
        "3,新增学位1200个,县教育局\n"
        "医疗卫生,,\n"
        "4,新建乡镇卫生院2所,县卫健局\n"
        "三、其他（0项）,,\n",
    )
    assert _parts(result) == [
        ("一", "稳增长", 2, [1, 2], (), ""),
        ("二·1", "教育事业", None, [3], ("二、惠民生",), "教育事业"),
        ("二·2", "医疗卫生", None, [4], ("二、惠民生",), "医疗卫生"),
        ("三", "其他", 0, [], (), ""),
    ]


def test_a_leader_named_in_a_part_heading_leads_its_tasks_without_one(tmp_path):
    result = _read(
        tmp_path,
        "某县2024年重点任务,,,\n"
        "序号,年度任务目标,责任领导,牵头部门\n"
        "一、王某某县长主抓重点工作,,,\n"
        "1,地区生产总值增长6%左右,,县发改局\n"
        "2,一般公共预算收入增长5%,李某,县财政局\n"
        "二、推行乡长负责制,,,\n"
        "3,乡镇便民服务中心全覆盖,,县政务服务中心\n",
    )
    assert [(t.id, t.section, t.leaders) for t in result.tasklist.tasks] == [
        (1, "一", ("王某某",)),
        (2, "一", ("李某",)),
        (3, "二", ()),
    ]
    # the CSV may have lost a merged cell: 序号 3's blank leader under 李某 is pointed out
    assert result.summary.warnings == (
        "第 7 行的责任领导为空而上一行有；若原表是合并单元格（另存为 CSV 时只留第一格），"
        "请核对，或改用 .xlsx/.docx 导入",
    )


def test_a_list_of_two_columns_is_read(tmp_path):
    result = _read(
        tmp_path,
        '重点工作,责任单位\n新建5G基站200个,县工信局\n开工项目30个,"县发改局、县住建局"\n',
        year=2023,
    )
    assert [(t.id, t.text, t.departments) for t in result.tasklist.tasks] == [
        (1, "新建5G基站200个", ("县工信局",)),
        (2, "开工项目30个", ("县发改局", "县住建局")),
    ]


def test_a_part_row_whose_other_cells_hold_a_space_is_a_part(tmp_path):
    result = _read(
        tmp_path,
        "序号,年度任务目标,牵头部门\n一、稳增长, , \n1,新建5G基站200个,县工信局\n",
        year=2023,
    )
    assert _parts(result) == [("一", "稳增长", None, [1], (), "")]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (" 编号 ,名目 ,经办\n1,修路,\n", "「编号」、「名目」、「经办」"),
        ("编号,名目\n1,修路\n", "「编号」、「名目」"),
    ],
)
def test_an_unknown_layout_names_its_headings_trimmed(runner, tmp_path, text, found):
    source = tmp_path / "台账.csv"
    source.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["import", str(source), "-o", str(tmp_path / "t.yaml")])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"错误：{source} 第 1 行：找不到可识别的表头（至少要有任务一列和另一可识别的列）。"
        f"找到的列标题：{found}。任务列的标题含 任务/工作/事项/目标/实事/项目/"
        "内容/措施；其他列如 序号、责任领导、牵头单位、责任单位、完成时限；"
        "也可用 --columns 任务=原表列标题 指定\n"
    )


def _titled(tmp_path, first: str):
    return _read(
        tmp_path,
        f"附件1,,\n{first},,\n政府工作报告重点任务分解表,,\n（按分管领导排序）,,\n"
        "序号,年度任务目标,牵头部门\n1,新建5G基站200个,县工信局\n",
    )


def test_a_title_over_two_lines_joins_a_first_line_of_twenty_characters(tmp_path):
    # the note in brackets under the title is no title; the first line (20 characters) is joined
    tl = _titled(tmp_path, "某某县人民政府办公室关于印发2024年度").tasklist
    assert (tl.attachment, tl.title, tl.year) == (
        "附件1",
        "某某县人民政府办公室关于印发2024年度政府工作报告重点任务分解表",
        2024,
    )


def test_a_line_of_twenty_one_characters_above_the_title_is_not_joined(tmp_path):
    result = _titled(tmp_path, "某某县人民政府办公室关于印发的2024年度")
    tl = result.tasklist
    assert (tl.attachment, tl.title, tl.year) == ("附件1", "政府工作报告重点任务分解表", 2024)
    assert result.summary.warnings == (
        "标题中没有年度，按「某某县人民政府办公室关于印发的2024年度」取 2024 年",
    )


def test_blank_rows_and_a_repeated_heading_row_are_no_rows(tmp_path):
    # a title padded with spaces; a blank row; the heading repeated (a table over two pages)
    result = _read(
        tmp_path,
        "  2023年重点任务清单  ,,\n"
        "序号,年度任务目标,牵头部门\n"
        "1,新建5G基站200个,县工信局\n"
        ",,\n"
        "2,开工项目30个,县发改局\n"
        "序号,年度任务目标,牵头部门\n"
        "3,新增学位1200个,县教育局\n",
    )
    tl = result.tasklist
    assert (tl.title, tl.year, result.summary.lines()[0]) == (
        "2023年重点任务清单",
        2023,
        "读取 3 行：3 项任务，1 个部分",
    )
    assert [(t.id, t.text, t.lead_departments, dict(t.extra)) for t in tl.tasks] == [
        (1, "新建5G基站200个", ("县工信局",), {}),
        (2, "开工项目30个", ("县发改局",), {}),
        (3, "新增学位1200个", ("县教育局",), {}),
    ]


BODY = "序号,年度任务目标,牵头部门\n1,新建5G基站200个,县工信局\n"
THIS_YEAR = dt.date.today().year


@pytest.mark.parametrize(
    ("name", "text", "year", "found", "warning"),
    [
        ("2022年台账.csv", BODY, None, 2022, "标题中没有年度，按文件名取 2022 年"),
        ("2022年台账.csv", BODY, 2023, 2023, "清单写的是 2022 年，按 --year 取 2023 年"),
        ("台账.csv", "2024年重点任务,,\n" + BODY, 2023, 2023, "清单写的是 2024 年，按 --year 取 2023 年"),
        ("台账.csv", "2024年重点任务,,\n" + BODY, 2024, 2024, None),
        ("台账.csv", BODY, 2023, 2023, "清单中没有年度，按 --year 取 2023 年"),
        ("台账.csv", BODY, None, THIS_YEAR,
         f"清单中没有年度，按今年（{THIS_YEAR} 年）计；不对时用 --year YYYY 指定"),
    ],
)  # fmt: skip
def test_the_year_and_what_the_summary_says_of_it(tmp_path, name, text, year, found, warning):
    result = _read(tmp_path, text, name, year=year)
    assert result.tasklist.year == found
    assert result.summary.warnings == ((warning,) if warning else ())


def test_a_rule_in_a_unit_cell_beside_a_lead_column_is_the_lists_not_a_name(tmp_path):
    result = _read(
        tmp_path,
        "2023年重点任务,,,\n"
        "序号,年度任务目标,牵头单位,责任单位\n"
        '1,新建5G基站200个,县工信局,"县发改局（ 排在第一位的为牵头单位，下同 ）、县财政局"\n'
        "2,开工项目30个,县发改局,县住建局\n",
    )
    tl = result.tasklist
    assert tl.rules == ("排在第一位的为牵头单位",)
    assert result.summary.warnings == (
        "第 3 行的责任单位中注明「排在第一位的为牵头单位」：记入清单的规则，不作单位名称",
    )
    assert [(t.lead_departments, t.departments) for t in tl.tasks] == [
        (("县工信局",), ("县发改局", "县财政局")),
        (("县发改局",), ("县住建局",)),
    ]


@pytest.mark.parametrize(
    ("headings", "message"),
    [
        (
            "序号,年度任务目标,牵头单位",
            "已有牵头单位列「牵头单位」，--first-unit-leads（列第一位的为牵头单位）"
            "只用于没有单独牵头单位列的清单",
        ),
        (
            "序号,年度任务目标,责任领导",
            "没有责任单位列，--first-unit-leads（列第一位的为牵头单位）无从适用",
        ),
    ],
)
def test_first_unit_leads_needs_unit_columns_and_no_lead_column(
    runner, tmp_path, headings, message
):
    source = tmp_path / "2023年台账.csv"
    source.write_text(f"{headings}\n1,新建5G基站200个,县工信局\n", encoding="utf-8")
    out = tmp_path / "t.yaml"
    result = runner.invoke(cli, ["import", str(source), "-o", str(out), "--first-unit-leads"])
    assert (result.exit_code, result.stderr) == (2, f"错误：{message}\n")
    assert not out.exists()


BLANK = (
    "为空而上一行有；若原表是合并单元格（另存为 CSV 时只留第一格），请核对，或改用 .xlsx/.docx 导入"
)
HEAD = "2023年重点任务,,\n序号,年度任务目标,牵头部门\n"


def test_unnumbered_parts_before_any_numbered_one_are_numbered_in_turn(tmp_path):
    result = _read(
        tmp_path,
        HEAD + "经济发展,,\n1,新建5G基站200个,县工信局\n民生保障,,\n2,新增学位1200个,县教育局\n",
    )
    assert _parts(result) == [
        ("·1", "经济发展", None, [1], (), "经济发展"),
        ("·2", "民生保障", None, [2], (), "民生保障"),
    ]


def test_a_part_numbered_otherwise_keeps_its_heading_as_written(tmp_path):
    result = _read(
        tmp_path,
        HEAD + "第一部分 稳增长,,\n1,新建5G基站200个,县工信局\n"
        "二．惠民生（1项）,,\n2,新增学位1200个,县教育局\n",
    )
    assert _parts(result) == [
        ("一", "稳增长", None, [1], (), "第一部分 稳增长"),
        ("二", "惠民生", 1, [2], (), "二．惠民生（1项）"),
    ]


def test_a_part_numeral_in_the_id_column_and_its_title_in_the_task_column(tmp_path):
    # cells padded with spaces; a blank-looking 序号 (a space) continues the item above
    result = _read(
        tmp_path,
        HEAD + "一 ,稳增长,\n1,新建5G基站200个,县工信局\n"
        "（一）,  惠民生 ,\n2,新增学位1200个,县教育局\n ,新增幼儿园学位,县财政局\n",
    )
    assert _parts(result) == [
        ("一", "稳增长", None, [1], (), ""),
        ("一（一）", "惠民生", None, [2], ("一、稳增长",), "（一）惠民生"),
    ]
    task = result.tasklist.tasks[1]
    assert (task.text, task.lead_departments) == (
        "新增学位1200个\n新增幼儿园学位",
        ("县教育局", "县财政局"),
    )
    assert task.extra == {
        "分项": [
            {"年度任务目标": "新增学位1200个", "牵头部门": "县教育局"},
            {"年度任务目标": "新增幼儿园学位", "牵头部门": "县财政局"},
        ]
    }


def test_a_leader_row_is_a_part_whose_leader_leads_its_tasks_without_one(tmp_path):
    result = _read(
        tmp_path,
        "2023年重点任务,,,\n序号,年度任务目标,责任领导,牵头部门\n"
        "牵头领导：王某某,,,\n1,新建5G基站200个,,县工信局\n2,新增学位1200个,李某,县教育局\n",
    )
    assert _parts(result) == [("·1", "牵头领导：王某某", None, [1, 2], (), "牵头领导：王某某")]
    assert [t.leaders for t in result.tasklist.tasks] == [("王某某",), ("李某",)]


def test_numbered_points_in_the_task_column_are_the_items_own(tmp_path):
    result = _read(
        tmp_path,
        HEAD + "1,新建5G基站200个,县工信局\n,1.完成选址,\n,2.开工建设,\n"
        "2.其他,,\n2,新增学位1200个,县教育局\n",
    )
    assert _parts(result) == [("一", "", None, [1], (), ""), ("2", "其他", None, [2], (), "2.其他")]
    assert result.tasklist.tasks[0].text == "新建5G基站200个\n1.完成选址\n2.开工建设"


def test_a_row_of_only_an_id_is_refused(runner, tmp_path):
    source = tmp_path / "台账.csv"
    source.write_text(HEAD + "1,新建5G基站200个,县工信局\n 3 ,,\n", encoding="utf-8")
    result = runner.invoke(cli, ["import", str(source), "-o", str(tmp_path / "t.yaml")])
    assert (result.exit_code, result.stderr) == (
        2,
        f"错误：{source} 第 4 行：序号 3 这一行没有任务内容\n",
    )


def test_rows_shorter_than_the_heading_row(tmp_path):
    result = _read(
        tmp_path,
        "2023年重点任务\n序号,年度任务目标,责任领导,牵头部门,备注\n"
        "1,新建5G基站200个,张辉,县工信局\n2,开工项目30个\n",
    )
    assert [
        (t.id, t.text, t.leaders, t.lead_departments, dict(t.extra)) for t in result.tasklist.tasks
    ] == [
        (1, "新建5G基站200个", ("张辉",), ("县工信局",), {}),
        (2, "开工项目30个", (), (), {}),
    ]
    assert result.summary.warnings == (f"第 4 行的责任领导{BLANK}", f"第 4 行的牵头部门{BLANK}")


def test_cells_are_kept_trimmed_and_a_second_deadline_column_under_its_own_key(tmp_path):
    # a leader cell of a space names no one; item 2 runs over three rows (序号 left blank)
    result = _read(
        tmp_path,
        "序号,任务名称,年度任务目标,责任领导,牵头部门,完成时限,完成时限,备注\n"
        "1, 5G基站 ,新建5G基站200个, ,县工信局, 年底前 ,2023-12-31, 重点 \n"
        "2,项目,开工项目30个,李明,县发改局,按上级要求,,\n"
        ",项目,开工项目续,,,另行通知,, \n"
        ",,  ,,,持续推进,,\n",
        "2023年台账.csv",
    )
    one, two = result.tasklist.tasks
    assert (one.text, one.leaders, one.deadline, dict(one.extra)) == (
        "新建5G基站200个",
        (),
        dt.date(2023, 12, 31),
        {
            "任务名称": "5G基站",
            "完成时限说明": "年底前",
            "完成时限（原表列）": "2023-12-31",
            "备注": "重点",
        },
    )
    assert (two.text, two.leaders, two.deadline, dict(two.extra)) == (
        "开工项目30个\n开工项目续",
        ("李明",),
        dt.date(2023, 12, 31),
        {
            "任务名称": "项目",
            "完成时限说明": "按上级要求\n另行通知\n持续推进",
            "分项": [
                {"任务名称": "项目", "年度任务目标": "开工项目30个", "责任领导": "李明", "牵头部门": "县发改局", "完成时限": "按上级要求"},
                {"任务名称": "项目", "年度任务目标": "开工项目续", "完成时限": "另行通知"},
                {"完成时限": "持续推进"},
            ],
        },
    )  # fmt: skip
    assert result.summary.warnings == (
        "标题中没有年度，按文件名取 2023 年",
        "序号 2 的完成时限「按上级要求」换算不出日期，按年度末计",
    )
    assert result.summary.lines()[8] == "  完成时限 → 原样保留（已有「完成时限」作完成时限）"


def test_two_unit_columns_are_joined_and_no_cell_is_kept_as_written(tmp_path):
    result = _read(
        tmp_path,
        '序号,年度任务目标,责任单位,配合单位\n1,新建5G基站200个,"县工信局、县发改局","县财政局、县住建局"\n',
        "2023年台账.csv",
    )
    task = result.tasklist.tasks[0]
    assert (task.departments, dict(task.extra)) == (
        ("县工信局", "县发改局", "县财政局", "县住建局"),
        {},
    )
    assert result.tasklist.columns == (
        ("序号", "序号"),
        ("年度任务目标", "年度任务目标"),
        ("责任单位", "责任部门"),
        ("配合单位", "责任部门"),
    )


TAIAN = "序号,年度任务目标,责任领导,牵头部门,责任部门,完成时限"


@pytest.mark.parametrize(
    ("headings", "columns"),
    [
        (TAIAN, ()),
        (
            TAIAN + ",备注",
            (("序号", "序号"), ("年度任务目标", "年度任务目标"), ("责任领导", "责任领导"), ("牵头部门", "牵头部门"),
             ("责任部门", "责任部门"), ("完成时限", "完成时限"), ("备注", "备注")),
        ),
    ],
)  # fmt: skip
def test_the_taian_layout_records_no_columns_unless_one_is_kept_verbatim(
    tmp_path, headings, columns
):
    row = "1,新建5G基站200个,张辉,县工信局,县财政局,2023-06-30" + (
        "," if "备注" in headings else ""
    )
    result = _read(tmp_path, f"{headings}\n{row}\n", "2023年台账.csv")
    assert result.tasklist.columns == columns


def test_three_levels_of_parts_and_leaders_named_in_their_headings(tmp_path):
    top = "一、推动经济高质量发展（牵头领导：王某某、李某）"
    result = _read(
        tmp_path,
        "2023年重点任务,,\n序号,年度任务目标,责任领导\n"
        f"{top},,\n（一）壮大实体经济,,\n1.工业,,\n"
        "1,新建5G基站200个,\n2,新增规上企业10户,张辉\n"
        "2.服务业,,\n3,开工项目30个,\n"
        "（二）扩大有效投资（牵头领导：赵某）,,\n4,新增学位1200个,\n"
        "二、保障和改善民生,,\n5,新建乡镇卫生院2所,\n",
    )
    assert _parts(result) == [
        ("一（一）1", "工业", None, [1, 2], (top, "（一）壮大实体经济"), "1.工业"),
        ("一（一）2", "服务业", None, [3], (top, "（一）壮大实体经济"), "2.服务业"),
        ("一（二）", "扩大有效投资（牵头领导：赵某）", None, [4], (top,), "（二）扩大有效投资（牵头领导：赵某）"),
        ("二", "保障和改善民生", None, [5], (), ""),
    ]  # fmt: skip
    # a part's leaders lead its tasks (and its sub-parts') that name none of their own
    assert [t.leaders for t in result.tasklist.tasks] == [
        ("王某某", "李某"),
        ("张辉",),
        ("王某某", "李某"),
        ("赵某",),
        (),
    ]
    # only 序号 5's blank leader is pointed out: the others have their part's
    assert result.summary.warnings == (f"第 13 行的责任领导{BLANK}",)


def test_a_place_before_a_title_is_no_leader(tmp_path):
    # 曹县县长 is the county's head, not a person named 曹县; 李某某 named twice leads once
    result = _read(
        tmp_path,
        "某市2023年重点任务,,\n序号,年度任务目标,责任领导\n"
        "一、李某某市长主抓、李某某市长分管,,\n1,新建5G基站200个,\n"
        "二、曹县县长牵头推进产业园建设,,\n2,开工项目30个,\n",
    )
    assert [(t.section, t.leaders) for t in result.tasklist.tasks] == [
        ("一", ("李某某",)),
        ("二", ()),
    ]


def _word(path, tables) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("2023年重点任务")
    for rows in tables:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                table.cell(r, c).text = value
        document.add_paragraph("")
    document.save(path)


FIRST = [["序号", "年度任务目标", "牵头部门"], ["1", "新建5G基站200个", "县工信局"]]
GO_ON = [["2", "开工项目30个", "县发改局"]]  # the table continued on the next page, no heading
OTHER = [["序号", "民生实事", "责任单位"], ["3", "新建城市书房2个", "县文旅局"]]


def test_a_table_continued_without_its_heading_row_is_read_with_the_first(tmp_path):
    path = tmp_path / "清单.docx"
    _word(path, [FIRST, GO_ON])
    result = read_source(path)
    assert [(t.id, t.text) for t in result.tasklist.tasks] == [
        (1, "新建5G基站200个"),
        (2, "开工项目30个"),
    ]
    assert result.summary.lines()[0] == "读取 2 行（表格 1、2）：2 项任务，1 个部分"


def test_tables_of_other_headings_are_named_also_one_without(runner, tmp_path):
    path = tmp_path / "清单.docx"
    _word(path, [FIRST, GO_ON, OTHER])
    result = runner.invoke(cli, ["import", str(path), "-o", str(tmp_path / "t.yaml")])
    assert (result.exit_code, result.stderr) == (
        2,
        f"错误：{path}：有 3 张表格，表头不同（表格1：序号/年度任务目标/牵头部门；表格2：（无表头）；"
        "表格3：序号/民生实事/责任单位）；请用 --table N 选一张导入，或用 --list-tables 查看\n",
    )
    third = read_source(path, table=3)
    assert (third.tasklist.title, [(t.id, t.text) for t in third.tasklist.tasks]) == (
        "2023年重点任务",
        [(3, "新建城市书房2个")],
    )
    assert third.summary.lines()[0] == "读取 1 行：1 项任务，1 个部分"


def test_a_rule_written_above_the_table_applies_to_a_list_without_a_lead_column(tmp_path):
    result = _read(
        tmp_path,
        "2023年重点任务,,\n（列 第一位的为牵头单位）,,\n"
        '序号, 重点工作 ,责任单位\n1,新建5G基站200个,"县工信局、县财政局"\n',
    )
    tl = result.tasklist
    assert (tl.title, tl.rules, tl.columns) == (
        "2023年重点任务",
        ("列第一位的为牵头单位",),
        (("序号", "序号"), ("重点工作", "年度任务目标"), ("责任单位", "责任部门")),
    )
    assert [(t.lead_departments, t.departments) for t in tl.tasks] == [
        (("县工信局",), ("县财政局",))
    ]
    assert result.summary.warnings == (
        "清单注明「列第一位的为牵头单位」：各项责任单位的第一个记为牵头部门",
    )


def test_a_rule_written_above_the_table_is_not_applied_beside_a_lead_column(tmp_path):
    result = _read(
        tmp_path,
        "2023年重点任务,,,\n（列第一位的为牵头单位）,,,\n序号,重点工作,牵头单位,责任单位\n"
        '1,新建5G基站200个,县工信局,"县发改局、县财政局"\n',
    )
    tl = result.tasklist
    assert (tl.rules, result.summary.warnings) == ((), ())
    assert [(t.lead_departments, t.departments) for t in tl.tasks] == [
        (("县工信局",), ("县发改局", "县财政局"))
    ]


def test_nested_parts_in_a_part_column_as_export_writes_them(tmp_path):
    result = _read(
        tmp_path,
        "序号,部分,年度任务目标,牵头部门\n"
        "1,一、稳增长,新建5G基站200个,县工信局\n"
        "2,二、惠民生 > （一）教育,新增学位1200个,县教育局\n"
        "3, 二、惠民生 > （二）医疗,新建卫生院2所,县卫健局\n"
        "4,一、稳增长 ,开工项目30个,县发改局\n"
        "5,二、惠民生 > （一）教育,新建幼儿园1所,县教育局\n"
        "6,二、惠民生 > 社会保障,新增城镇就业3000人,县人社局\n",
        "2023年台账.csv",
    )
    assert _parts(result) == [
        ("一", "稳增长", None, [1, 4], (), ""),
        ("二（一）", "教育", None, [2, 5], ("二、惠民生",), "（一）教育"),
        ("二（二）", "医疗", None, [3], ("二、惠民生",), "（二）医疗"),
        ("二·1", "社会保障", None, [6], ("二、惠民生",), "社会保障"),
    ]


def test_without_the_rule_the_first_unit_does_not_lead(tmp_path):
    result = _read(
        tmp_path,
        '2023年重点任务,,\n序号,重点工作,责任单位\n1,新建5G基站200个,"县工信局、县财政局"\n',
    )
    assert (result.tasklist.rules, result.summary.warnings) == ((), ())
    assert [(t.lead_departments, t.departments) for t in result.tasklist.tasks] == [
        ((), ("县工信局", "县财政局"))
    ]


def test_a_part_heading_repeated_across_the_row_and_a_cell_repeating_the_task(tmp_path):
    # a heading merged across the row may come out in every cell; a lead cell that repeats
    # the task text is a slip of the document, kept whole for validate to point out
    result = _read(
        tmp_path,
        "序号,年度任务目标,牵头部门\n一、稳增长,一、稳增长,一、稳增长\n1,新建5G基站200个,县工信局\n"
        "2,推进县城建设、乡村振兴,推进县城建设、乡村振兴\n",
        "2023年台账.csv",
    )
    assert _parts(result) == [("一", "稳增长", None, [1, 2], (), "")]
    assert [t.lead_departments for t in result.tasklist.tasks] == [
        ("县工信局",),
        ("推进县城建设、乡村振兴",),
    ]


def test_a_list_without_ids_numbers_its_tasks_and_reads_its_part_rows(tmp_path):
    result = _read(
        tmp_path,
        "责任领导,重点工作,责任单位\n经济发展,,\n张辉,新建5G基站200个,县工信局\n"
        "民生保障,,\n李明,新增学位1200个,县教育局\n",
        "2023年台账.csv",
    )
    assert _parts(result) == [
        ("·1", "经济发展", None, [1], (), "经济发展"),
        ("·2", "民生保障", None, [2], (), "民生保障"),
    ]
    assert [(t.id, t.text, t.leaders) for t in result.tasklist.tasks] == [
        (1, "新建5G基站200个", ("张辉",)),
        (2, "新增学位1200个", ("李明",)),
    ]


@pytest.mark.parametrize(
    ("blanks", "shown"),
    [(10, "3、4、5、6、7、8、9、10、11、12"), (11, "3、4、5、6、7、8、9、10、11、12…")],
)
def test_blank_lead_cells_are_named_up_to_ten(tmp_path, blanks, shown):
    rows = "".join(f"{n},任务{n}, \n" for n in range(2, blanks + 2))  # a space is blank
    result = _read(
        tmp_path, f"序号,年度任务目标,牵头部门\n1,任务1,县工信局\n{rows}", "2023年台账.csv"
    )
    assert result.summary.warnings[1:] == (f"第 {shown} 行的牵头部门{BLANK}",)


def test_part_headings_written_in_the_task_column(tmp_path):
    result = _read(
        tmp_path,
        "序号,年度任务目标,牵头部门\n,一、稳增长,\n1,新建5G基站200个,县工信局\n"
        ",二、惠民生,\n 教育事业 ,,\n2,新增学位1200个,县教育局\n",
        "2023年台账.csv",
    )
    assert _parts(result) == [
        ("一", "稳增长", None, [1], (), ""),
        ("二·1", "教育事业", None, [2], ("二、惠民生",), "教育事业"),
    ]


def test_a_category_is_told_by_the_rows_of_several_cells_only(tmp_path):
    # the part heading in the first column is no value of it; rows of two cells count
    result = _read(
        tmp_path,
        "目标类型,重点工作,责任单位\n一、推动经济高质量发展,,\nA类,新建5G基站200个,\n"
        "B类,开工项目30个,县发改局\nA类,新增学位1200个,\nB类,新建卫生院2所,\n",
        "2023年台账.csv",
    )
    assert result.summary.lines()[2:5] == [
        "  目标类型 → 原样保留（只有 A类、B类 2 种短值反复出现，是分类，不作任务）",
        "  重点工作 → 年度任务目标（标题含“工作”）",
        "  责任单位 → 责任部门（标题含“单位”）",
    ]
    assert [(t.text, dict(t.extra)) for t in result.tasklist.tasks] == [
        ("新建5G基站200个", {"目标类型": "A类"}),
        ("开工项目30个", {"目标类型": "B类"}),
        ("新增学位1200个", {"目标类型": "A类"}),
        ("新建卫生院2所", {"目标类型": "B类"}),
    ]


def test_the_text_export_read_by_parse_text():
    from taskctl.importers.text import parse_text

    tl = parse_text(
        "\t2023年重点任务\n\n\t序号\n\t年度任务目标\n\t牵头部门\n\n\t1\n\t新建5G基站200个\n\t县工信局\n"
    )
    assert (tl.title, tl.year) == ("2023年重点任务", 2023)
    assert [(t.id, t.text, t.lead_departments) for t in tl.tasks] == [
        (1, "新建5G基站200个", ("县工信局",))
    ]


def test_two_tables_of_other_headings_are_refused_without_table_n(tmp_path):
    path = tmp_path / "清单.docx"
    _word(path, [FIRST, OTHER])
    with pytest.raises(DataFileError) as caught:
        read_source(path)
    assert caught.value.message == (
        f"{path}：有 2 张表格，表头不同（表格1：序号/年度任务目标/牵头部门；"
        "表格2：序号/民生实事/责任单位）；请用 --table N 选一张导入，或用 --list-tables 查看"
    )


def test_a_unit_cell_of_only_a_line_break_in_a_later_row_names_no_unit(tmp_path):
    # an item over two rows; in the second the 牵头单位 cell holds only a line break
    # (Alt+Enter in an empty Excel cell) and the task cell is empty: no name "\n"
    result = _read(
        tmp_path,
        '序号,工作任务,牵头单位,责任单位\n1,推进项目建设,发改局,财政局\n,,"\n",住建局\n',
        year=2024,
    )
    task = result.tasklist.task(1)
    assert (task.lead_departments, task.departments) == (("发改局",), ("财政局", "住建局"))


def test_an_unnumbered_part_row_after_a_nested_part_column_is_the_first_of_its_kind(tmp_path):
    # the parts the 部分 column names (一 and 一（一）) are numbered; the part row of one cell
    # after them is the first unnumbered part at the top: ·1
    result = _read(
        tmp_path,
        "序号,部分,年度任务目标,牵头部门\n"
        "1,一、稳增长 > （一）扩投资,新开工项目30个,县发改局\n"
        "教育事业,,,\n"
        "2,,新增学位1200个,县教育局\n",
        year=2023,
    )
    assert [(p[0], p[1], p[3]) for p in _parts(result)] == [
        ("一（一）", "扩投资", [1]),
        ("·1", "教育事业", [2]),
    ]
