"""Behaviours the bundled list and the sample log never exercise, each on data that triggers
it: names written with spaces, a department named next to its own group, a name inside a
longer one, the report's week boundary, validate's thresholds, the loader's refusals, the
formula guard on every sheet, the documented column winning, and appends that fail or wait."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import threading
import time

import pytest

from taskctl import fsutil
from taskctl.cli import cli
from taskctl.errors import DataFileError
from taskctl.loader import loads
from taskctl.progress import Entry, append, read_file
from taskctl.query import department_directory, department_tasks, resolve_department
from taskctl.report import build_report, parse_week, render_html, render_text, window
from taskctl.validate import check_cells, check_counts

LIST = """\
标题: 测试清单
年度: 2023
groups:
  县直各部门: [住建局, 财政局]
sections:
- 编号: 一
  标题: 城市建设
  项数: 2
  任务:
  - 序号: 1
    年度任务目标: 完成老旧小区改造20个
    责任领导: [张辉, 张 辉]
    牵头部门: [住 建 局]
    责任部门: [财政局]
  - 序号: 2
    年度任务目标: 推进棚户区改造
    责任领导: [李明]
    牵头部门: [县财政局]
    责任部门: [住 建 局, 县直各部门]
- 编号: 二
  标题: 财政管理
  项数: 1
  任务:
  - 序号: 3
    年度任务目标: 加强预算管理
    责任领导: [李明]
    牵头部门: [财政局]
    责任部门: [县直各部门]
"""
AS_OF = "2023-06-30"


@pytest.fixture
def listfile(tmp_path):
    path = tmp_path / "tasks.yaml"
    path.write_text(LIST, encoding="utf-8")
    return path


def run(runner, listfile, *args: str):
    result = runner.invoke(cli, [*args, "--file", str(listfile), "--format", "tsv"])
    assert result.exit_code == 0, result.output
    return result.stdout


# Names -------------------------------------------------------------------------------------


def test_dept_finds_a_name_written_with_spaces_as_lead_and_as_support(runner, listfile):
    tasklist = loads(LIST)
    assert [(r.task.id, r.role, r.via) for r in department_tasks(tasklist, "住建局")] == [
        (1, "lead", None),
        (2, "support", None),
        (3, "support", "县直各部门"),
    ]
    out = run(runner, listfile, "dept", "住建局", "--as-of", AS_OF)
    assert [line.split("\t")[:3] for line in out.splitlines()] == [
        ["1", "牵头", ""],
        ["2", "责任", ""],
        ["3", "责任", "县直各部门"],
    ]


def test_a_department_named_next_to_its_group_counts_once(runner, listfile):
    rows = {r.name: (r.lead, r.support, r.via_group) for r in department_directory(loads(LIST))}
    # 序号 2 names 住建局 and 县直各部门 (which includes it): one 责任, not also one 经统称
    assert rows["住建局"] == (1, 1, 1)
    assert "住建局\t1\t1\t1" in run(runner, listfile, "depts").splitlines()


def test_the_stats_sheet_counts_a_department_named_next_to_its_group_once(tmp_path, listfile):
    import openpyxl

    from taskctl.export import to_xlsx

    path = tmp_path / "out.xlsx"
    path.write_bytes(to_xlsx(loads(LIST)))
    sheet = openpyxl.load_workbook(path)["统计"]
    rows = {r[0]: r[1:4] for r in sheet.iter_rows(values_only=True) if r[0]}
    assert rows["住建局"] == (1, 1, 1)


def test_a_whole_name_beats_a_longer_name_containing_it(runner, listfile):
    assert resolve_department(loads(LIST), "财政局") == "财政局"
    out = run(runner, listfile, "list", "--dept", "财政局", "--as-of", AS_OF)
    assert [line.split("\t")[0] for line in out.splitlines()] == ["1", "3"]
    out = run(runner, listfile, "list", "--dept", "县财政局", "--as-of", AS_OF)
    assert [line.split("\t")[0] for line in out.splitlines()] == ["2"]


def test_stats_by_leader_counts_a_task_once_when_its_cell_repeats_a_leader(runner, listfile):
    out = run(runner, listfile, "stats", "--group-by", "leader", "--as-of", AS_OF)
    counts = {line.split("\t")[0]: line.split("\t")[1] for line in out.splitlines()}
    assert counts == {"张辉": "1", "李明": "2", "合计": "3"}


# The progress log --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "shown"), [(150, "150"), (101, "101"), ("150%", "150"), (-1, "-1")]
)
def test_a_progress_out_of_range_written_by_hand_is_refused(tmp_path, written, shown):
    path = tmp_path / "progress.jsonl"
    record = {"序号": 1, "日期": "2023-06-05", "状态": "序时推进", "进度": written}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        read_file(path)
    assert info.value.message == f"{path} 第 1 行：进度 {shown} 超出范围：应为 0 到 100 的整数"


def test_an_append_whose_fsync_fails_is_an_error_and_leaves_the_log_as_it_was(
    tmp_path, monkeypatch
):
    path = tmp_path / "progress.jsonl"
    first = Entry(1, dt.date(2023, 6, 5), "滞后", note="资金未到位")
    append(path, [first])
    before = path.read_bytes()

    def failing(fd):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing)
    with pytest.raises(DataFileError) as info:
        append(path, [Entry(2, dt.date(2023, 6, 6), "已完成")])
    assert info.value.message == f"{path}：写入失败（Input/output error），未写入任何内容"
    assert path.read_bytes() == before


def test_an_append_waits_for_the_lock(tmp_path):
    path = tmp_path / "progress.jsonl"
    entry = Entry(1, dt.date(2023, 6, 5), "滞后")
    done = threading.Event()
    with fsutil.locked(path):
        writer = threading.Thread(target=lambda: (append(path, [entry]), done.set()))
        writer.start()
        time.sleep(0.3)  # however long the holder keeps it, nothing is written meanwhile
        assert not done.is_set() and not path.exists()
    writer.join(10)
    assert done.is_set()
    assert read_file(path) == [entry]


# The weekly report -------------------------------------------------------------------------


def test_the_report_week_starts_on_its_monday():
    tasklist = loads(LIST)
    monday, sunday = parse_week("2023-W26")
    assert monday == dt.date(2023, 6, 26)
    at = dt.datetime(2023, 6, 1, 9, tzinfo=dt.timezone.utc)
    entries = [
        Entry(1, monday, "已完成", 100, "已竣工", recorded_at=at),
        Entry(2, monday - dt.timedelta(days=3), "序时推进", 50, recorded_at=at),  # on time then
        Entry(2, monday, "滞后", 10, "资金未到位", recorded_at=at),
        Entry(2, monday + dt.timedelta(days=2), "滞后", 15, "仍未到位", recorded_at=at),
        Entry(3, monday - dt.timedelta(days=1), "已完成", 100, "上周日已完成", recorded_at=at),
    ]
    report = build_report(tasklist, entries, since=monday, until=sunday, as_of=sunday)
    assert [t["id"] for t in report["newly_completed"]] == [1]  # not 3, done the Sunday before
    assert [t["id"] for t in report["newly_behind"]] == [2]
    assert report["headline"]["entries_in_window"] == 3
    assert report["headline"]["tasks_reported_in_window"] == 2
    assert "收到填报3条，涉及2项任务" in render_text(report)
    # silence is behind too: a task first reported 滞后 was not on time before
    silent = [e for e in entries if e.date >= monday or e.id != 2]
    again = build_report(tasklist, silent, since=monday, until=sunday, as_of=sunday)
    assert again["newly_behind"] == []


def test_the_text_report_of_a_list_nobody_has_reported_on():
    """Every block in its place: masthead, the four sections, 无红灯任务, the units of the
    stale tasks named, then the 附件."""
    report = build_report(
        loads(LIST),
        [],
        since=dt.date(2023, 1, 2),
        until=dt.date(2023, 1, 8),
        as_of=dt.date(2023, 1, 8),
    )
    assert render_text(report) == (
        "督查通报\n"
        "第1期\n"
        "督查室　2023年1月9日\n"
        "========================================\n"
        "\n"
        "关于测试推进情况的通报\n"
        "========================================\n"
        "\n"
        "各责任单位：\n"
        "\n"
        "现将有关情况通报如下：\n"
        "\n"
        "【一、总体情况】\n"
        "\n"
        "截至2023年1月8日，全部任务共3项，已完成0项，完成率0.0%；序时推进0项，滞后0项，未启动3项。按亮灯情况，红灯0项，黄灯3项，绿灯0项。\n"
        "\n"
        "本期（2023年1月2日至1月8日）收到填报0条，涉及0项任务。本期新完成0项，新增滞后0项。\n"
        "\n"
        "【二、进展较好】\n"
        "\n"
        "本期无新完成的任务。\n"
        "\n"
        "【三、存在问题】\n"
        "\n"
        "（一）滞后任务\n"
        "\n"
        "本期无红灯任务。\n"
        "\n"
        "（二）报送情况\n"
        "\n"
        "3项任务14天以上未填报，涉及住建局、县财政局、财政局。\n"
        "\n"
        "【四、下步要求】\n"
        "\n"
        "（一）各单位要对照年度目标倒排工期，确保按序时推进。\n"
        "\n"
        "（二）红灯任务牵头单位要分析原因，下期报送整改进展。\n"
        "\n"
        "（三）对长期滞后、未按时报送的，督查室将跟踪督办。\n"
        "\n"
        "附件：1．滞后任务清单\n"
        "　　　2．久未填报情况\n"
        "\n"
        "督查室\n"
        "\n"
        "2023年1月9日\n"
        "\n"
        "----------------------------------------\n"
        "附件1\n"
        "滞后任务清单\n"
        "\n"
        "无红灯任务。\n"
        "\n"
        "----------------------------------------\n"
        "附件2\n"
        "久未填报情况\n"
        "\n"
        "3项任务14天以上未填报，按牵头单位计数如下：\n"
        "\n"
        "  序号：1  牵头单位：住建局  久未填报项数：1  其中从未填报：1\n"
        "  序号：2  牵头单位：县财政局  久未填报项数：1  其中从未填报：1\n"
        "  序号：3  牵头单位：财政局  久未填报项数：1  其中从未填报：1\n"
    )


def test_the_html_report_has_the_masthead_once_before_the_title():
    report = build_report(
        loads(LIST),
        [],
        since=dt.date(2023, 6, 26),
        until=dt.date(2023, 7, 2),
        as_of=dt.date(2023, 7, 2),
    )
    page = render_html(report)
    assert page.count('<header class="masthead">') == 1
    assert page.index('<header class="masthead">') < page.index("<h1>关于测试推进情况的通报</h1>")


def test_a_window_given_only_its_end_is_the_seven_days_ending_there():
    end = dt.date(2023, 6, 30)
    assert window(None, until=end) == (dt.date(2023, 6, 24), end, end)
    assert window(None, since=dt.date(2023, 6, 1), today=end) == (dt.date(2023, 6, 1), end, end)


# validate ----------------------------------------------------------------------------------


def test_a_section_listing_more_tasks_than_its_heading_declares():
    tasklist = loads(LIST.replace("项数: 1", "项数: 0"))
    findings = check_counts(tasklist)
    assert [(f.where, f.message) for f in findings] == [("第二部分", "标题写 0 项，实际列出 1 项")]


@pytest.mark.parametrize(("length", "flagged"), [(7, False), (8, True)])
def test_a_name_cell_holding_the_threshold_number_of_characters_of_the_text(length, flagged):
    text = "完成老旧小区改造20个"
    cell = text[:length]
    tasklist = loads(LIST.replace("牵头部门: [县财政局]", f"牵头部门: [{cell}]").replace(
        "推进棚户区改造", text
    ))  # fmt: skip
    found = [f for f in check_cells(tasklist) if f.code == "repeats-text"]
    assert [f.ids for f in found] == ([(2,)] if flagged else [])


# The loader --------------------------------------------------------------------------------


def test_the_loader_refuses_id_zero():
    with pytest.raises(DataFileError) as info:
        loads(LIST.replace("序号: 1\n", "序号: 0\n"), "tasks.yaml")
    assert info.value.message == "tasks.yaml 第 10 行：序号应为正整数，得到「0」"


def test_the_loader_refuses_an_id_repeated_in_another_section():
    with pytest.raises(DataFileError) as info:
        loads(LIST.replace("序号: 3\n", "序号: 1\n"), "tasks.yaml")
    assert info.value.message == (
        "tasks.yaml 第 24 行：序号 1 重复（第一次出现在第 10 行）；每项任务的序号应唯一"
    )


# Export and import -------------------------------------------------------------------------


def test_the_formula_guard_holds_on_every_sheet_of_the_xlsx(tmp_path):
    import openpyxl

    from taskctl.export import to_xlsx

    dangerous = LIST.replace("[李明]", '["=HYPERLINK(\\"http://x\\",\\"李明\\")"]').replace(
        "[财政局]", "[\"+cmd|' /C calc'!A0\"]"
    )
    path = tmp_path / "out.xlsx"
    path.write_bytes(to_xlsx(loads(dangerous)))
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["台账", "统计"]
    for sheet in workbook:
        risky = [c for row in sheet.iter_rows() for c in row if str(c.value)[:1] in "=+-@"]
        assert risky, sheet.title  # the sheet does hold such text
        for c in risky:
            assert (sheet.title, c.coordinate, c.data_type, c.quotePrefix) == (
                sheet.title,
                c.coordinate,
                "s",
                True,
            )


def _import_row(tmp_path, headings: list[str], values: list[str]):
    from taskctl.importers import read_list

    rows = [
        ["序号", "年度任务目标", "责任领导", *headings],
        ["一、城市建设（1项）"],
        ["1", "完成老旧小区改造20个", "张辉", *values],
    ]
    path = tmp_path / "清单.csv"
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    (task,) = read_list(path).tasks
    return task


@pytest.mark.parametrize("order", [1, -1])
def test_an_import_with_two_unit_columns_joins_them_as_documented(tmp_path, order):
    """docs/import.md: 单位/部门 columns (责任单位、配合单位…) are all 责任部门, 几列合为一处."""
    headings, values = (
        ["牵头部门", *["责任部门", "配合单位"][::order]],
        ["发改局", *["住建局", "财政局"][::order]],
    )
    task = _import_row(tmp_path, headings, values)
    assert task.lead_departments == ("发改局",)
    assert task.departments == tuple(["住建局", "财政局"][::order])


def test_an_import_with_two_lead_columns_keeps_the_first_and_the_other_verbatim(tmp_path):
    task = _import_row(
        tmp_path, ["牵头部门", "牵头单位", "责任部门"], ["发改局", "财政局", "住建局"]
    )
    assert (task.lead_departments, task.departments) == (("发改局",), ("住建局",))
    assert dict(task.extra)["牵头单位"] == "财政局"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "0,完成老旧小区改造20个,张辉,住建局",
            " 第 3 行：序号应为正整数，得到「0」",
        ),
        ("²,完成老旧小区改造20个,张辉,住建局", " 第 3 行：序号应为数字，得到「²」"),
        ("1, ,张辉,住建局", " 第 3 行：序号 1 没有任务内容"),
    ],
)
def test_an_import_refuses_a_row_the_list_could_not_load(tmp_path, runner, row, message):
    """What import writes must load again: no 序号 0, no task without its text."""
    path = tmp_path / "清单.csv"
    path.write_text(f"序号,年度任务目标,责任领导,牵头部门\n一、城市建设（1项）\n{row}\n", "utf-8")
    out = tmp_path / "tasks.yaml"
    result = runner.invoke(cli, ["import", str(path), "-o", str(out)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"错误：{path}{message.format(out=out)}\n"
    assert not out.exists()
