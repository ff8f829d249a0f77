"""Tests prompted by the mutants of taskctl/export.py that survived issue 27's full run: what
each cell of the Excel 台账 says, its number format, the frozen header, the filter and the print
setup, read back with openpyxl from a small list exported by the real command."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl

from taskctl.cli import cli

LIST = """\
标题: 某县2023年政府工作报告重点任务分解清单
年度: 2023
sections:
- 编号: 一
  标题: 城市建设
  项数: 2
  任务:
  - 序号: 1
    年度任务目标: 新建5G基站200个
    责任领导: [张辉]
    牵头部门: [住建局, 交通局]
    责任部门: [财政局]
    完成时限: 2023-06-30
  - 序号: 2
    年度任务目标: 推进棚户区改造
    责任领导: [李明]
    牵头部门: [财政局]
    责任部门: [住建局]
"""

LOG = """\
{"序号": 1, "日期": "2023-06-20", "状态": "序时推进", "进度": 50, "说明": "完成选址", "填报人": "住建局"}
{"序号": 1, "日期": "2023-06-21", "状态": "滞后", "进度": 10, "说明": "资金未到位", "填报人": "交通局"}
{"序号": 2, "日期": "2023-06-22", "状态": "序时推进", "进度": 60, "说明": "拆迁过半", "填报人": "财政局"}
"""


def exported(runner, tmp_path: Path, *args: str, tasks: str = LIST, log: str | None = LOG):
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "tasks.yaml").write_text(tasks, encoding="utf-8")
    if log is not None:
        (data / "progress.jsonl").write_text(log, encoding="utf-8")
    out = tmp_path / "台账.xlsx"
    result = runner.invoke(cli, ["export", "-o", str(out), "--as-of", "2023-07-02", *args])
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(io.BytesIO(out.read_bytes()))


def values(sheet) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_the_ledger_says_what_each_task_and_each_lead_unit_stands_at(runner, tmp_path):
    book = exported(runner, tmp_path)
    assert book.sheetnames == ["台账", "统计", "填报记录"]
    sheet = book["台账"]
    assert values(sheet) == [
        ("某县2023年政府工作报告重点任务分解清单", *[None] * 12),
        ("序号", "部分", "年度任务目标", "责任领导", "牵头部门", "责任部门", "完成时限",
         "状态", "进度", "最近更新", "灯", "进展情况", "各牵头单位"),
        (1, "一、城市建设（2项）", "新建5G基站200个", "张辉", "住建局\n交通局", "财政局",
         dt.datetime(2023, 6, 30), "滞后", 10, dt.datetime(2023, 6, 21), "红", "资金未到位",
         "住建局 序时推进 50% 红灯\n交通局 滞后 10% 红灯"),
        (2, "一、城市建设（2项）", "推进棚户区改造", "李明", "财政局", "住建局",
         dt.datetime(2023, 12, 31), "序时推进", 60, dt.datetime(2023, 6, 22), "绿", "拆迁过半",
         None),
    ]  # fmt: skip
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:M4"
    assert sheet.print_title_rows == "$1:$2"
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:M1"]
    assert [sheet.cell(3, col).number_format for col in (1, 7, 9, 10)] == [
        "General", "yyyy-mm-dd", '0"%"', "yyyy-mm-dd",
    ]  # fmt: skip
    # the list's own 完成时限 in black, the year end standing in for a missing one in grey
    assert sheet["G3"].font.color.rgb != "00808080"
    assert sheet["G4"].font.color.rgb == "00808080"
    fills = [sheet.cell(r, 11).fill.fgColor.rgb for r in (3, 4)]
    assert fills == ["00FFC7CE", "00C6EFCE"]
    assert [sheet.cell(r, 11).alignment.horizontal for r in (3, 4)] == ["center", "center"]
    assert sheet["C3"].alignment.horizontal is None and sheet["C3"].alignment.wrap_text


def test_the_statistics_sheet_counts_each_leader_and_unit_per_light(runner, tmp_path):
    stats = exported(runner, tmp_path)["统计"]
    assert values(stats) == [
        ("责任领导", "任务数", "绿灯", "红灯", None, None),
        ("张辉", 1, 0, 1, None, None),
        ("李明", 1, 1, 0, None, None),
        (None, None, None, None, None, None),
        ("部门", "牵头", "责任", "经统称", "绿灯", "红灯"),
        ("住建局", 1, 1, 0, 1, 1),
        ("财政局", 1, 1, 0, 1, 1),
        ("交通局", 1, 0, 0, 0, 1),
    ]
    assert [c.font.b for c in stats[1][:4]] == [True] * 4
    assert [c.font.b for c in stats[5]] == [True] * 6


def test_the_history_sheet_lists_every_report_with_dates_and_percentages(runner, tmp_path):
    sheet = exported(runner, tmp_path)["填报记录"]
    assert values(sheet) == [
        ("填报记录", None, None, None, None, None, None, None),
        ("序号", "年度任务目标", "日期", "状态", "进度", "说明", "填报人", "记录时间"),
        (1, "新建5G基站200个", dt.datetime(2023, 6, 20), "序时推进", 50, "完成选址", "住建局", None),
        (1, "新建5G基站200个", dt.datetime(2023, 6, 21), "滞后", 10, "资金未到位", "交通局", None),
        (2, "推进棚户区改造", dt.datetime(2023, 6, 22), "序时推进", 60, "拆迁过半", "财政局", None),
    ]  # fmt: skip
    assert (sheet.freeze_panes, sheet.auto_filter.ref, sheet.print_title_rows) == (
        "A3",
        "A2:H5",
        "$1:$2",
    )
    assert [sheet.cell(3, c).number_format for c in (3, 5, 8)] == [
        "yyyy-mm-dd",
        '0"%"',
        "yyyy-mm-dd hh:mm:ss",
    ]


def test_the_ledger_names_each_units_review_and_the_statistics_count_them(runner, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "tasks.yaml").write_text(LIST, encoding="utf-8")
    for args in (
        ["update", "2", "--status", "已完成", "--progress", "100", "--by", "财政局", "--date", "2023-06-25"],
        ["update", "1", "--status", "已完成", "--progress", "100", "--by", "住建局", "--date", "2023-06-26"],
        ["review", "1", "--return", "缺佐证", "--date", "2023-06-28"],
    ):  # fmt: skip
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
    book = exported(runner, tmp_path, log=None)
    ledger = values(book["台账"])
    assert [row[-1] for row in ledger[1:]] == ["办结审核", "住建局 退回：缺佐证", "财政局 待审核"]
    assert values(book["统计"])[-5:] == [
        ("交通局", 1, 0, 0, 0, 1),
        (None, None, None, None, None, None),
        ("单位", "已销号", "待审核", "退回", None, None),
        ("住建局", 0, 0, 1, None, None),
        ("财政局", 0, 1, 0, None, None),
    ]


SOURCE = """\
标题: 某县重点工作台账
年度: 2023
原表列: {编号: 序号, 重点工作: 年度任务目标, 责任单位: 牵头部门}
sections:
- 编号: 一
  标题: 城市建设
  任务:
  - {序号: 1, 年度任务目标: 新建5G基站200个, 责任领导: [], 牵头部门: [住建局], 责任部门: []}
  - {序号: 2, 年度任务目标: 推进棚户区改造, 责任领导: [], 牵头部门: [财政局], 责任部门: []}
"""


def test_a_list_under_its_own_headings_keeps_them_and_lights_its_tasks(runner, tmp_path):
    own = "".join(line + "\n" for line in LOG.splitlines() if "交通局" not in line)
    book = exported(runner, tmp_path, tasks=SOURCE, log=own)
    sheet = book["台账"]
    assert values(sheet)[1:] == [
        ("编号", "部分", "重点工作", "责任单位", "状态", "进度", "最近更新", "灯", "进展情况"),
        (1, "一、城市建设", "新建5G基站200个", "住建局", "序时推进", 50, dt.datetime(2023, 6, 20),
         "黄", "完成选址"),
        (2, "一、城市建设", "推进棚户区改造", "财政局", "序时推进", 60, dt.datetime(2023, 6, 22),
         "绿", "拆迁过半"),
    ]  # fmt: skip
    assert [sheet.cell(r, 8).fill.fgColor.rgb for r in (3, 4)] == ["00FFEB9C", "00C6EFCE"]


def test_a_list_whose_own_headings_have_no_id_gets_its_part_first(runner, tmp_path):
    tasks = SOURCE.replace("原表列: {编号: 序号, ", "原表列: {")
    (tmp_path / "tasks.yaml").write_text(tasks, encoding="utf-8")
    result = runner.invoke(cli, ["export", "--format", "csv", "--file", "tasks.yaml"])
    assert result.stdout.encode().decode("utf-8-sig").splitlines()[0] == "部分,重点工作,责任单位"


def test_a_list_whose_own_headings_have_no_id_still_lights_its_tasks(runner, tmp_path):
    # imported from a table without a 序号 column: each row's light is found by its task
    tasks = SOURCE.replace("原表列: {编号: 序号, ", "原表列: {")
    own = "".join(line + "\n" for line in LOG.splitlines() if "交通局" not in line)
    sheet = exported(runner, tmp_path, tasks=tasks, log=own)["台账"]
    assert [sheet.cell(2, c).value for c in (1, 2, 7)] == ["部分", "重点工作", "灯"]
    assert [sheet.cell(r, 7).value for r in (3, 4)] == ["黄", "绿"]
    assert [sheet.cell(r, 7).fill.fgColor.rgb for r in (3, 4)] == ["00FFEB9C", "00C6EFCE"]


def test_a_control_character_in_a_list_without_an_id_column_names_its_task(runner, tmp_path):
    tasks = SOURCE.replace("原表列: {编号: 序号, ", "原表列: {").replace(
        "推进棚户区改造", '"推进棚户区\\a改造"'
    )
    (tmp_path / "tasks.yaml").write_text(tasks, encoding="utf-8")
    result = runner.invoke(cli, ["export", "--file", "tasks.yaml", "-o", str(tmp_path / "a.xlsx")])
    assert result.exit_code == 2
    assert "序号 2 的 重点工作 含有控制字符，Excel 无法保存；请先在清单中删去" in result.output


SPREAD = """\
标题: 某县重点工作台账
年度: 2023
原表列: {编号: 序号, 重点工作: 年度任务目标, 责任单位: 牵头部门}
sections:
- 编号: 一
  标题: 城市建设
  任务:
  - 序号: 1
    年度任务目标: 新建5G基站200个；改造老旧小区
    责任领导: []
    牵头部门: [住建局]
    责任部门: []
    分项:
    - {年度任务目标: 新建5G基站200个, 牵头部门: 住建局}
    - {年度任务目标: 改造老旧小区, 牵头部门: 住建局}
"""


def test_an_item_spread_over_rows_without_a_deadline_column_keeps_its_id_cells(runner, tmp_path):
    # no 完成时限 among the list's own headings: no cell stands in the year end, the 编号 cell
    # of the item's second row stays blank
    own = LOG.splitlines()[0] + "\n"
    sheet = exported(runner, tmp_path, tasks=SPREAD, log=own)["台账"]
    assert [row[:4] for row in values(sheet)[1:]] == [
        ("编号", "部分", "重点工作", "责任单位"),
        (1, "一、城市建设", "新建5G基站200个", "住建局"),
        (None, "一、城市建设", "改造老旧小区", "住建局"),
    ]


def test_json_export_is_indented_by_two_spaces(runner, tmp_path):
    (tmp_path / "tasks.yaml").write_text(LIST, encoding="utf-8")
    result = runner.invoke(cli, ["export", "--format", "json", "--file", "tasks.yaml"])
    assert result.stdout.startswith(
        '{\n  "title": "某县2023年政府工作报告重点任务分解清单",\n  "attachment": "",\n'
    )


def test_lights_follow_the_id_wherever_the_lists_own_headings_put_it(runner, tmp_path):
    tasks = SOURCE.replace(
        "{编号: 序号, 重点工作: 年度任务目标,", "{重点工作: 年度任务目标, 编号: 序号,"
    )
    own = "".join(line + "\n" for line in LOG.splitlines() if "交通局" not in line)
    sheet = exported(runner, tmp_path, tasks=tasks, log=own)["台账"]
    assert [sheet.cell(2, c).value for c in (1, 2, 3, 8)] == ["重点工作", "编号", "部分", "灯"]
    assert [sheet.cell(r, 8).fill.fgColor.rgb for r in (3, 4)] == ["00FFEB9C", "00C6EFCE"]


def test_the_attachment_line_and_the_title_head_the_ledger_in_their_sizes(runner, tmp_path):
    tasks = LIST.replace("标题: ", "附件: 附件1\n标题: ", 1)
    sheet = exported(runner, tmp_path, tasks=tasks)["台账"]
    assert [sheet.cell(r, 1).value for r in (1, 2, 3)] == [
        "附件1",
        "某县2023年政府工作报告重点任务分解清单",
        "序号",
    ]
    assert [(sheet.cell(r, 1).font.b, sheet.cell(r, 1).font.sz) for r in (1, 2)] == [
        (True, 12),
        (True, 16),
    ]
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A2:M2"]
    assert (sheet.freeze_panes, sheet.print_title_rows) == ("A4", "$1:$3")


def test_the_ledger_is_laid_out_to_print(runner, tmp_path):
    """Widths and heights as the 台账 prints them (see test_export.test_xlsx_ledger_layout):
    each column as wide as its text up to its limit, each row as tall as its wrapped lines."""
    book = exported(runner, tmp_path)
    sheet = book["台账"]
    widths = {c: sheet.column_dimensions[c].width for c in "ABCDEFGHIJKLM"}
    assert widths == dict(
        zip("ABCDEFGHIJKLM", [6, 21, 17, 10, 10, 10, 12, 10, 6, 12, 6, 12, 26], strict=True)
    )
    assert [sheet.row_dimensions[r].height for r in (1, 2, 3, 4)] == [30, 18.5, 33, 18.5]
    header = sheet["A2"]
    assert (header.fill.fgColor.rgb, header.border.left.style, header.font.b) == (
        "00D9D9D9",
        "thin",
        True,
    )
    assert (header.alignment.horizontal, header.alignment.vertical) == ("center", "center")
    assert (sheet["A3"].alignment.horizontal, sheet["A3"].alignment.vertical) == ("center", "top")
    assert sheet["C3"].alignment.vertical == "top"
    margins = sheet.page_margins
    assert (margins.left, margins.right, margins.top, margins.bottom, margins.footer) == (
        0.4, 0.4, 0.6, 0.6, 0.3,
    )  # fmt: skip
    assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert sheet.print_options.horizontalCentered
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    history = book["填报记录"]
    assert {c: history.column_dimensions[c].width for c in "ABCDEFGH"} == dict(
        zip("ABCDEFGH", [6, 40, 11, 9, 6, 30, 10, 19], strict=True)
    )
    assert (history["A1"].font.b, history["A1"].font.sz) == (True, 14)
    head = history["A2"]
    assert (head.fill.fgColor.rgb, head.border.left.style, head.alignment.horizontal) == (
        "00D9D9D9",
        "thin",
        "center",
    )
    cell = history["F3"]
    assert (cell.border.left.style, cell.alignment.wrap_text, cell.alignment.vertical) == (
        "thin",
        True,
        "top",
    )
    assert book["统计"].column_dimensions["A"].width == 24


def test_the_history_sheet_orders_one_days_reports_by_when_they_were_recorded(runner, tmp_path):
    log = (
        '{"序号": 1, "日期": "2023-06-22", "状态": "滞后", "进度": 10, "说明": "资金未到位", '
        '"填报人": "交通局", "记录时间": "2023-06-22T16:00:00+08:00"}\n'
        '{"序号": 1, "日期": "2023-06-22", "状态": "序时推进", "进度": 50, "说明": "完成选址", '
        '"填报人": "住建局", "记录时间": "2023-06-22T09:30:00+08:00"}\n'
        '{"序号": 2, "日期": "2023-06-22", "状态": "序时推进", "进度": 60, "说明": "手工补录", '
        '"填报人": "财政局"}\n'
        '{"序号": 1, "日期": "2023-06-20", "状态": "序时推进", "进度": 30, "说明": "开始选址", '
        '"填报人": "住建局", "记录时间": "2023-06-20T10:00:00+08:00"}\n'
    )
    sheet = exported(runner, tmp_path, log=log)["填报记录"]
    assert [(row[0], row[5], row[7]) for row in values(sheet)[2:]] == [
        (1, "开始选址", dt.datetime(2023, 6, 20, 10, 0)),
        (2, "手工补录", None),
        (1, "完成选址", dt.datetime(2023, 6, 22, 9, 30)),
        (1, "资金未到位", dt.datetime(2023, 6, 22, 16, 0)),
    ]


def test_the_filters_of_a_one_task_ledger_cover_its_one_row(runner, tmp_path):
    book = exported(runner, tmp_path, "--id", "2")
    assert book["台账"].auto_filter.ref == "A2:L3"  # no 各牵头单位: task 2 has one lead unit
    assert book["填报记录"].auto_filter.ref == "A2:H3"


def test_the_statistics_count_a_name_written_with_spaces_under_its_light(runner, tmp_path):
    tasks = LIST.replace("责任领导: [张辉]", "责任领导: [张 辉]").replace(
        "牵头部门: [财政局]", "牵头部门: [财 政局]"
    )
    stats = exported(runner, tmp_path, tasks=tasks)["统计"]
    assert values(stats)[1] == ("张辉", 1, 0, 1, None, None)
    assert values(stats)[6] == ("财政局", 1, 1, 0, 1, 1)


def test_a_csv_export_with_progress_is_text_with_its_columns(runner, tmp_path):
    exported(runner, tmp_path)
    result = runner.invoke(cli, ["export", "--format", "csv", "--as-of", "2023-07-02"])
    rows = result.stdout.encode().decode("utf-8-sig").splitlines()
    assert rows[0] == (
        "序号,部分,年度任务目标,责任领导,牵头部门,责任部门,完成时限,状态,进度,最近更新,灯,进展情况,各牵头单位"
    )
    assert (
        rows[-1]
        == "2,一、城市建设（2项）,推进棚户区改造,李明,财政局,住建局,,序时推进,60%,2023-06-22,绿,拆迁过半,"
    )


def test_long_progress_texts_wrap_at_their_columns_limits(runner, tmp_path):
    long = "征收范围内共涉及住户一千二百余户，已签约过半，剩余住户正在逐户做工作"
    log = (
        '{"序号": 1, "日期": "2023-06-20", "状态": "序时推进", "进度": 50, "说明": "选址完成", '
        '"填报人": "住建局"}\n'
        '{"序号": 1, "日期": "2023-06-21", "状态": "序时推进", "进度": 45, '
        f'"说明": "{long}", "存在问题": "{long}", "下一步措施": "{long}", '
        '"填报人": "经济开发区管委会"}\n'
    )
    data = tmp_path / "data"
    data.mkdir()
    (data / "tasks.yaml").write_text(LIST.replace("交通局", "经济开发区管委会"), encoding="utf-8")
    (data / "progress.jsonl").write_text(log, encoding="utf-8")
    for args in (
        ["update", "2", "--status", "已完成", "--progress", "100", "--by", "财政局", "--date", "2023-06-25"],
        ["review", "2", "--return", long, "--date", "2023-06-28"],
    ):  # fmt: skip
        assert runner.invoke(cli, args).exit_code == 0
    tasks = LIST.replace("交通局", "经济开发区管委会")
    sheet = exported(runner, tmp_path, tasks=tasks, log=None)["台账"]
    widths = {
        sheet.cell(2, c).value: sheet.column_dimensions[chr(64 + c)].width for c in range(8, 17)
    }
    assert widths == {
        "状态": 10, "进度": 6, "最近更新": 12, "灯": 6, "进展情况": 32, "存在问题": 26,
        "下一步措施": 26, "各牵头单位": 26, "办结审核": 22,
    }  # fmt: skip
