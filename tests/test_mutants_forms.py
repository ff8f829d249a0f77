"""Tests prompted by the mutants of taskctl/forms.py that survived issue 27's runs: the form as
the unit filling it sees it (merged title, note and contact cells, which columns are centred,
how tall a row is for its text, the widest column, how it prints) and two units that would get
one file. Each was checked by putting its mutant back and seeing it fail."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from taskctl.errors import InputError
from taskctl.forms import HEADINGS, build_forms, form_xlsx, write_forms
from taskctl.loader import loads
from taskctl.period import parse_period
from taskctl.progress import Entry

# 90 columns (two per Chinese character): four lines of the 年度任务目标 column
RENEWAL = (
    "推进老旧小区改造，完成棚户区改造1200户，新建保障性租赁住房800套，城镇燃气管道更新改造5公里"
)
# 113 columns: four lines as well, not five
PARKS = (
    "实施城市更新行动，完成老旧小区改造12个，新建改造雨污管网30公里，建成城市口袋公园5个，"
    "城区主干道亮化工程年底前完工"
)
LIST = f"""\
标题: 2023年政府工作报告重点任务清单
年度: 2023
sections:
- 编号: 一
  标题: 城市建设
  任务:
  - 序号: 1
    年度任务目标: 新建5G基站200个
    责任领导: [张辉]
    牵头部门: [住建局]
  - 序号: 2
    年度任务目标: {RENEWAL}
    责任领导: [李明]
    牵头部门: [住建局]
  - 序号: 3
    年度任务目标: {PARKS}
    责任领导: [李明]
    牵头部门: [住建局]
  - 序号: 4
    年度任务目标: 推进棚户区改造
    责任领导: [张辉, 李明, 王强]
    牵头部门: [住建局]
"""
W26 = parse_period(week="2023-W26")
CST = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def sheet():
    """住建局's form for 2023-W26, task 1 last reported 序时推进 40 %."""
    reported = dt.datetime(2023, 6, 20, 9, tzinfo=CST)
    log = [Entry(1, dt.date(2023, 6, 20), "序时推进", 40, "基站选址完成", "住建局", reported)]
    (form,) = build_forms(loads(LIST), log, W26, only=["住建局"])
    return openpyxl.load_workbook(io.BytesIO(form_xlsx(form)))["填报"]


def test_title_and_note_span_the_table_and_each_contact_cell_two_columns(sheet):
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A1:N1", "A2:N2", "C3:D3", "H3:I3"}
    title = sheet["A1"]
    assert (title.alignment.horizontal, title.alignment.vertical) == ("center", "center")
    assert title.font.b
    assert sheet["A2"].alignment.wrap_text
    assert (sheet["B3"].value, sheet["G3"].value) == ("填报人：", "联系电话：")


def test_short_columns_are_centred_and_texts_wrap_from_the_top(sheet):
    """序号, 角色, 完成时限, 上期状态, 上期进度, 本期状态 and 本期进度 centred; the texts (年度任务目标,
    责任领导, 上期进展情况 and what the unit writes) wrap, top-aligned."""
    centred = {"序号", "角色", "完成时限", "上期状态", "上期进度", "本期状态", "本期进度"}
    for row in (5, 8):
        got = {
            heading: (cell.alignment.horizontal, cell.alignment.vertical, cell.alignment.wrap_text)
            for heading, cell in zip(HEADINGS, sheet[row], strict=True)
        }
        assert got == {
            heading: ("center", "center", True) if heading in centred else (None, "top", True)
            for heading in HEADINGS
        }


def test_a_row_is_as_tall_as_its_longest_text_and_never_below_three_lines(sheet):
    """15 pt a line: task 2's 年度任务目标 takes four lines of its column, as does task 3's
    (113 columns, not five lines); three 责任领导 are three lines, the least a row has."""
    assert [sheet.cell(r, 1).value for r in range(5, 9)] == [1, 2, 3, 4]
    assert [sheet.row_dimensions[r].height for r in range(5, 9)] == [45, 60, 60, 45]


def test_a_tab_in_a_tasks_text_gives_its_row_the_height_a_space_would():
    """Word writes a tab inside a cell's text as \\t; the row is four lines tall (55
    characters), as with a space there, not six."""
    text = "推进老旧小区改造，完成棚户区改造任务，新建保障性租赁住房，{}城镇燃气管道更新改造全面完成，供水管网改造同步推进"
    heights = []
    for gap in ("\\t", " "):
        tasklist = loads(LIST.replace(RENEWAL, f'"{text.format(gap)}"'))
        assert tasklist.tasks[1].text == text.format(gap.replace("\\t", "\t"))
        (form,) = build_forms(tasklist, [], W26, only=["住建局"])
        sheet = openpyxl.load_workbook(io.BytesIO(form_xlsx(form)))["填报"]
        heights.append(sheet.row_dimensions[6].height)
    assert heights == [60, 60]


def test_the_task_column_is_the_widest_and_the_number_column_the_narrowest(sheet):
    widths = {
        heading: sheet.column_dimensions[openpyxl.utils.get_column_letter(col)].width
        for col, heading in enumerate(HEADINGS, 1)
    }
    assert max(widths, key=widths.get) == "年度任务目标"
    assert min(widths, key=widths.get) == "序号"


def test_the_forms_layout_is_the_one_reviewed_on_the_rendered_form(sheet):
    """A snapshot of the layout, as LibreOffice renders it to one A4 landscape page (14 tasks of
    住建局 in 2023-W26; looked at when the widths were last set): each column's width in
    characters, the title's size and the heights of the rows above the table. A change to any of
    them is a change of the form every unit gets, to be looked at again before this is."""
    widths = [
        sheet.column_dimensions[openpyxl.utils.get_column_letter(col)].width
        for col in range(1, len(HEADINGS) + 1)
    ]
    assert dict(zip(HEADINGS, widths, strict=True)) == {
        "序号": 7, "年度任务目标": 32, "责任领导": 10, "角色": 9, "完成时限": 12,
        "上期状态": 10, "上期进度": 8, "上期进展情况": 18, "本期状态": 12, "本期进度": 9,
        "进展情况": 24, "存在问题": 16, "下一步措施": 16, "佐证材料": 14,
    }  # fmt: skip
    assert sheet["A1"].font.sz == 16
    assert [sheet.row_dimensions[row].height for row in (1, 2, 3)] == [30, 32, 24]


def test_the_form_prints_one_page_wide_and_as_many_pages_tall_as_it_needs(sheet):
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize) == ("landscape", 9)  # A4
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_options.horizontalCentered


def test_two_units_whose_files_would_be_one_are_refused_before_any_is_written(tmp_path):
    """On Windows and macOS 2023-W26_5G专班.xlsx and 2023-W26_5g专班.xlsx are one file: the
    second form would overwrite the first."""
    text = LIST.replace("牵头部门: [住建局]\n  - 序号: 2", "牵头部门: [5G专班]\n  - 序号: 2", 1)
    text = text.replace("牵头部门: [住建局]\n  - 序号: 3", "牵头部门: [5g专班]\n  - 序号: 3", 1)
    forms = build_forms(loads(text), [], W26)
    assert [form.unit for form in forms] == ["5G专班", "5g专班", "住建局"]
    folder = tmp_path / "填报"
    with pytest.raises(InputError) as refused:
        write_forms(forms, folder)
    assert refused.value.message == (
        "单位「5G专班」与「5g专班」的文件名相同（2023-W26_5g专班.xlsx）；"
        "请在清单中把其中一个单位名改得可以区分"
    )
    assert not folder.exists()


def test_last_periods_column_says_which_done_the_office_returned_and_why(runner, tmp_path):
    """A 已完成 sent back (退回) shows on the unit's next form with the date and the reason; one
    approved (已销号) or not yet reviewed (待审核) shows its note alone."""
    from taskctl.cli import cli
    from taskctl.progress import read_log

    (tmp_path / "tasks.yaml").write_text(LIST, encoding="utf-8")
    log = tmp_path / "progress.jsonl"
    common = ["--file", str(tmp_path / "tasks.yaml"), "--log", str(log)]
    for args in (
        ["update", "1", "--status", "已完成", "--by", "住建局", "--date", "2023-06-16",
         "--note", "200个基站全部建成"],
        ["update", "2", "--status", "已完成", "--by", "住建局", "--date", "2023-06-16",
         "--note", "改造完成"],
        ["update", "3", "--status", "已完成", "--by", "住建局", "--date", "2023-06-21",
         "--note", "公园建成"],
        ["review", "1", "--approve", "--date", "2023-06-19"],
        ["review", "2", "--return", "缺竣工验收报告", "--date", "2023-06-20"],
    ):  # fmt: skip
        result = runner.invoke(cli, [*args, *common])
        assert result.exit_code == 0, result.output
    (form,) = build_forms(loads(LIST), read_log(log), W26, only=["住建局"])
    sheet = openpyxl.load_workbook(io.BytesIO(form_xlsx(form)))["填报"]
    assert [sheet.cell(r, 8).value for r in range(5, 9)] == [
        "200个基站全部建成",
        "改造完成\n【退回 2023-06-20：缺竣工验收报告】",
        "公园建成",
        None,
    ]


def test_each_lead_unit_sees_its_own_last_report_not_the_other_leads():
    text = LIST.replace("牵头部门: [住建局]", "牵头部门: [住建局, 财政局]", 1)
    log = [
        Entry(1, dt.date(2023, 6, 19), "序时推进", 40, "基站选址完成", "住建局"),
        Entry(1, dt.date(2023, 6, 21), "滞后", 20, "配套资金未到位", "财政局"),
    ]
    forms = build_forms(loads(text), log, W26, only=["住建局", "财政局"])
    assert [
        (form.unit, row.last.status, row.last.progress, row.last.note)
        for form in forms
        for row in form.rows
        if row.task.id == 1
    ] == [("住建局", "序时推进", 40, "基站选址完成"), ("财政局", "滞后", 20, "配套资金未到位")]


def test_a_blanket_name_written_with_a_space_or_half_width_brackets_gets_no_form():
    """Imported lists keep their names as written: 开发区(园区) and 镇 街 are 统称 all the same;
    their members get the forms."""
    text = LIST.replace("年度: 2023\n", "年度: 2023\ngroups:\n  开发区(园区): [经开区, 农开区]\n"
                        "  镇 街: [八角台街道, 台东街道]\n")  # fmt: skip
    text = text.replace("牵头部门: [住建局]", "牵头部门: [开发区(园区)]", 1)
    text = text.replace("牵头部门: [住建局]", "牵头部门: [镇 街]", 1)
    expected = ["住建局", "经开区", "农开区", "八角台街道", "台东街道"]
    assert [form.unit for form in build_forms(loads(text), [], W26)] == expected


def test_a_role_other_than_lead_support_or_all_is_refused_also_for_named_units():
    with pytest.raises(InputError) as refused:
        build_forms(loads(LIST), [], W26, role="牵头", only=["住建局"])
    assert refused.value.message == "--role 应为 lead（牵头）、support（配合）或 all，得到「牵头」"


def test_a_form_of_one_task_checks_that_row_alone():
    text = LIST.replace("牵头部门: [住建局]", "牵头部门: [财政局]", 1)
    (form,) = build_forms(loads(text), [], W26, only=["财政局"])
    sheet = openpyxl.load_workbook(io.BytesIO(form_xlsx(form)))["填报"]
    checks = {dv.type: str(dv.sqref) for dv in sheet.data_validations.dataValidation}
    assert checks == {"list": "I5", "whole": "J5"}
    assert sheet.max_row == 5
