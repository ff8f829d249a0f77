"""Never a wrong picture with exit 0: a log that is not there, not a log, or damaged in the
middle is said to be so; entries no view will count, sections that share a number and a year
no date can hold are reported; tasks a department may hold through an open group are counted."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time

import openpyxl
import pytest
from conftest import BUNDLED, BUNDLED_NOTE, LIST_ERRORS

from taskctl.cli import cli
from taskctl.loader import loads
from taskctl.model import Section, Task, TaskList
from taskctl.validate import validate

AS_OF = "2023-06-30"
ENTRY = {"序号": 7, "日期": "2023-06-05", "状态": "序时推进", "进度": 40, "说明": "已开工"}
LINE = json.dumps(ENTRY, ensure_ascii=False) + "\n"
READERS = [
    ["list", "--as-of", AS_OF],
    ["dept", "住建局"],
    ["show", "7"],
    ["stats"],
    ["report", "--week", "2023-W26"],
    ["history", "7"],
    ["export", "--format", "csv"],
    ["validate"],
]


@pytest.fixture
def county(tmp_path):
    (tmp_path / "data").mkdir()
    shutil.copy(BUNDLED, tmp_path / "data" / "tasks.yaml")
    (tmp_path / "data" / "progress.jsonl").write_text(LINE, encoding="utf-8")
    return tmp_path / "data"


# A log that is not there ---------------------------------------------------------------------


@pytest.mark.parametrize("command", READERS, ids=lambda c: c[0])
def test_a_mistyped_log_is_an_error_for_every_reader(runner, county, command):
    result = runner.invoke(cli, [*command, "--ledger", "data/progres.jsonl"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "错误：data/progres.jsonl：进度台账不存在；请检查 --ledger 或 TASKCTL_PROGRESS 的拼写"
        "（新台账由 taskctl update 建立）\n"
    )


def test_a_mistyped_environment_log_is_an_error(runner, county, monkeypatch):
    monkeypatch.setenv("TASKCTL_PROGRESS", "data/progess.jsonl")
    result = runner.invoke(cli, ["stats", "--format", "tsv"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("错误：data/progess.jsonl：进度台账不存在")


def test_the_wrong_folder_says_so_once(runner, tmp_path):
    """Run where there is no data/: the bundled list, zero progress, and a note saying why."""
    result = runner.invoke(cli, ["export", "--format", "csv", "--as-of", AS_OF])
    assert result.exit_code == 0
    assert result.stderr == BUNDLED_NOTE + LIST_ERRORS  # once, though export asks twice
    result = runner.invoke(cli, ["update", "7", "--status", "done", "--date", AS_OF])
    assert result.exit_code == 0
    assert result.stderr == (
        "新建进度台账 data/progress.jsonl\n"
        "已填报 序号 7：已完成（2023-06-30）→ data/progress.jsonl\n"
    )
    again = runner.invoke(cli, ["update", "9", "--status", "done", "--date", AS_OF])
    assert again.stderr == "已填报 序号 9：已完成（2023-06-30）→ data/progress.jsonl\n"


def test_update_into_a_new_named_ledger_says_where(runner, county, tmp_path):
    result = runner.invoke(
        cli, ["update", "7", "--status", "done", "--date", AS_OF, "--ledger", "data/住建局.jsonl"]
    )
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == "新建进度台账 data/住建局.jsonl"


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_folder_log_that_does_not_exist_is_not_made_a_file(runner, county, monkeypatch, how):
    args = ["update", "7", "--status", "done", "--date", AS_OF, "--by", "住建局"]
    if how == "option":
        args += ["--ledger", "进度/"]
    else:
        monkeypatch.setenv("TASKCTL_PROGRESS", "进度/")
    result = runner.invoke(cli, args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "错误：进度/：文件夹不存在；请先建立该文件夹（mkdir），或写一个 .jsonl 文件名\n"
    )
    assert not (county.parent / "进度").exists()


# A log that is damaged -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "middle",
    [
        "这一行是手工加的备注\n",
        '{"序号": 8, "日期": "2023-06-06", "状态": "滞后",}\n',  # a trailing comma: hand-edited
        "<<<<<<< HEAD\n",  # a git merge of two units' files
    ],
)
def test_a_damaged_middle_line_is_an_error_naming_file_and_line(runner, county, middle):
    log = county / "progress.jsonl"
    log.write_text(LINE + middle + LINE, encoding="utf-8")
    result = runner.invoke(cli, ["list", "--as-of", AS_OF])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"错误：{log} 第 2 行：这一行不是有效的进度记录（文件中间的行已损坏或被改动）；"
        "请按其他各行的格式改正或删去这一行\n"
    )


def test_a_torn_last_line_stays_tolerated(runner, county):
    log = county / "progress.jsonl"
    log.write_text(LINE + LINE[:20], encoding="utf-8")
    result = runner.invoke(cli, ["history", "7", "--format", "tsv"])
    assert result.exit_code == 0
    assert result.stderr == f"警告：{log} 第 2 行不完整（可能是写入时被中断），已跳过\n"
    assert result.stdout.startswith("2023-06-05\t序时推进\t40%\t已开工")


@pytest.mark.parametrize("content", ["这不是台账", '{"序号": 7, "日期": "2023-'])
def test_a_log_with_no_record_at_all_is_an_error(runner, county, content):
    log = county / "progress.jsonl"
    log.write_text(content, encoding="utf-8")
    result = runner.invoke(cli, ["stats", "--format", "tsv"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"错误：{log}：没有一行有效的进度记录，不像进度台账；请检查 --ledger 所指的文件\n"
    )


# Entries no view counts, sections sharing a number, an impossible year -------------------------


def test_validate_reports_entries_dated_in_the_future_or_outside_the_year(runner, county):
    future = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    lines = [
        {**ENTRY, "日期": future},
        {**ENTRY, "序号": 9, "日期": "2022-12-30"},
    ]
    (county / "progress.jsonl").write_text(
        "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8"
    )
    result = runner.invoke(cli, ["validate", "--format", "json"])
    assert result.exit_code == 1
    found = [f for f in json.loads(result.stdout) if f["field"] == "日期"]
    log = county / "progress.jsonl"
    assert found == [
        {
            "severity": "error",
            "code": "future-date",
            "where": "序号 7",
            "ids": [7],
            "field": "日期",
            "message": f"{log} 第 1 行的记录日期 {future} 晚于今天，在那天之前各种统计都不会计入",
        },
        {
            "severity": "warning",
            "code": "date-outside-year",
            "where": "序号 9",
            "ids": [9],
            "field": "日期",
            "message": f"{log} 第 2 行的记录日期 2022-12-30 不在清单年度 2023 年内",
        },
    ]


TWO_NINES = BUNDLED.read_text(encoding="utf-8").replace("- 编号: 八\n", "- 编号: 九\n")


def test_two_sections_with_one_number_are_caught(runner, tmp_path):
    path = tmp_path / "tasks.yaml"
    path.write_text(TWO_NINES, encoding="utf-8")
    lines = TWO_NINES.splitlines()
    first = lines.index("- 编号: 九") + 1
    second = lines.index("- 编号: 九", first) + 1
    result = runner.invoke(cli, ["list", "--section", "九", "--file", str(path)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"错误：{path} 第 {second} 行：部分编号「九」重复（第一次出现在第 {first} 行）；"
        "每个部分的编号应唯一\n"
    )
    checked = runner.invoke(cli, ["validate", "--file", str(path), "--format", "json"])
    assert checked.exit_code == 1
    codes = [f["code"] for f in json.loads(checked.stdout)]
    assert "duplicate-section" in codes


@pytest.mark.parametrize("year", [0, 10000, -5, 99999999])
def test_a_year_no_date_can_hold_is_refused(runner, tmp_path, year):
    path = tmp_path / "tasks.yaml"
    path.write_text(
        BUNDLED.read_text(encoding="utf-8").replace("年度: 2023", f"年度: {year}"),
        encoding="utf-8",
    )
    for command in (["stats"], ["list", "--id", "1"], ["report"], ["validate"]):
        result = runner.invoke(cli, [*command, "--file", str(path)])
        assert (result.exit_code, result.stdout) == (2, ""), command
        assert result.stderr == (
            f"错误：{path} 第 7 行：年度 {year} 超出范围：应为 1 到 9999 之间的年份\n"
        )


# What a file leaves out ---------------------------------------------------------------------


def test_formula_cells_with_no_cached_value_are_named(runner, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "年度任务目标", "责任领导", "牵头部门", "责任部门"])
    sheet.append([1, "地区生产总值同比增长7%", "于德忱", "发改局", "各有关部门"])
    sheet.append([2, "规模以上工业增加值增长16%", "于德忱", "工信局", "各有关部门"])
    sheet["E2"] = '=IF(1,"各有关部门","")'  # no cached value: written by a program
    sheet["E3"] = '=IF(1,"各有关部门","")'
    source = tmp_path / "台账.xlsx"
    book.save(source)
    result = runner.invoke(cli, ["import", str(source), "-o", str(tmp_path / "tasks.yaml")])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        f"警告：{source}：单元格 E2、E3 是没有计算结果的公式（2 个），已按空白导入；"
        "请在 Excel/WPS 中打开、保存后再导入"
    )


def test_dept_says_how_many_tasks_name_an_open_group(runner, county):
    result = runner.invoke(cli, ["dept", "住建局", "--role", "support", "--format", "tsv"])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == (
        "另有 71 项任务写的是统称（各有关部门、各有关镇街道、各国有集团公司、各部门），"
        "groups 中没有列出所指单位，未计入；加 --include-open-groups 可一并列出\n"
        "没有符合条件的任务\n"
    )
    listed = runner.invoke(
        cli,
        ["dept", "住建局", "--role", "support", "--include-open-groups", "--format", "json"],
    )
    rows = json.loads(listed.stdout)
    assert len(rows) == 71 and listed.stderr == ""
    assert rows[0]["via"] == "各有关部门" and rows[0]["role"] == "support"
    assert {row["via"] for row in rows} == {
        "各有关部门",
        "各有关镇街道",
        "各国有集团公司",
        "各部门",
    }


# Scale of the checks ------------------------------------------------------------------------


def test_validate_is_linear_in_the_number_of_tasks():
    """40 000 tasks all led by one department: the old check looked each 序号 up in a list of
    the ones seen (800 million comparisons, minutes); now a second or so."""
    tasks = tuple(
        Task(i, f"任务{i}", ("于德忱",), ("住建局",), ("各镇街道",), "一") for i in range(1, 40_001)
    )
    tasklist = TaskList("清单", (Section("一", "城市建设", 40_000, tasks),), year=2023)
    start = time.perf_counter()
    findings = validate(tasklist)
    took = time.perf_counter() - start
    assert [f.code for f in findings] == ["undefined-group"]
    assert findings[0].message == "统称「各镇街道」（40000 项）在 groups 中没有列出所指单位"
    assert took < 10, took


def test_loads_checks_sections_like_load():
    with pytest.raises(Exception, match="部分编号「九」重复"):
        loads(TWO_NINES)
