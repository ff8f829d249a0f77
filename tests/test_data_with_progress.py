"""validate and export once a progress log exists: unknown 序号 in the log, status columns."""

from __future__ import annotations

import csv
import io
import shutil

from conftest import BUNDLED, ROOT

from taskctl.cli import cli

SAMPLE = ROOT / "examples" / "sample-progress.jsonl"
STRAY = '{"序号": 999, "日期": "2023-06-30", "状态": "滞后", "说明": "", "填报人": "某局", "记录时间": "2023-06-30T10:00:00+08:00"}\n'


def office(tmp_path, extra: str = ""):
    (tmp_path / "data").mkdir()
    shutil.copy(BUNDLED, tmp_path / "data" / "tasks.yaml")
    log = tmp_path / "data" / "progress.jsonl"
    log.write_text(SAMPLE.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return log


def test_validate_reports_log_entries_for_missing_ids(runner, tmp_path):
    log = office(tmp_path, STRAY)
    lines = log.read_text(encoding="utf-8").count("\n")
    result = runner.invoke(cli, ["validate", "--format", "tsv"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == (
        f"错误\t序号 999\t进度\t{log.resolve()} 第 {lines} 行的记录所指的序号不在清单中"
    )
    assert result.stderr == "共 4 个错误，7 个警告\n"


def test_validate_without_a_log_checks_the_list_only(runner, tmp_path):
    (tmp_path / "data").mkdir()
    shutil.copy(BUNDLED, tmp_path / "data" / "tasks.yaml")
    result = runner.invoke(cli, ["validate", "--format", "tsv"])
    assert (result.exit_code, result.stderr) == (1, "共 3 个错误，7 个警告\n")


def test_export_adds_status_columns_once_progress_exists(runner, tmp_path):
    office(tmp_path)
    result = runner.invoke(
        cli, ["export", "--id", "2,3", "--format", "csv", "--as-of", "2023-07-02"]
    )
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    assert rows[0][-5:] == ["状态", "进度", "最近更新", "灯", "进展情况"]
    assert [row[0] for row in rows[1:]] == ["2", "3"]
    assert [row[-5:] for row in rows[1:]] == [
        ["滞后", "30%", "2023-06-12", "红", "部分企业停产检修"],
        ["序时推进", "50%", "2023-06-19", "黄", "1—5月完成全年一半"],
    ]


def test_export_shows_problem_and_next_step_once_written(runner, tmp_path):
    office(tmp_path)
    args = ["update", "3", "--status", "滞后", "--progress", "55", "--note", "项目开工",
            "--problem", "土地指标不足", "--next", "申请调剂", "--date", "2023-06-30"]  # fmt: skip
    assert runner.invoke(cli, args).exit_code == 0
    result = runner.invoke(
        cli, ["export", "--id", "2,3", "--format", "csv", "--as-of", "2023-07-02"]
    )
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    assert rows[0][-3:] == ["进展情况", "存在问题", "下一步措施"]
    assert [row[-3:] for row in rows[1:]] == [
        ["部分企业停产检修", "", ""],
        ["项目开工", "土地指标不足", "申请调剂"],
    ]


def test_export_xlsx_colours_the_light_cell(runner, tmp_path):
    import openpyxl

    office(tmp_path)
    out = tmp_path / "台账.xlsx"
    result = runner.invoke(cli, ["export", "-o", str(out), "--as-of", "2023-07-02"])
    assert result.exit_code == 0
    sheet = openpyxl.load_workbook(out).worksheets[0]
    header_row = next(r for r in range(1, 6) if sheet.cell(r, 1).value == "序号")
    headings = [c.value for c in sheet[header_row]]
    light = headings.index("灯") + 1
    row = next(
        r for r in range(header_row + 1, sheet.max_row + 1) if sheet.cell(r, 1).value in (2, "2")
    )
    assert sheet.cell(row, light).value == "红"
    assert sheet.cell(row, light).fill.fgColor.rgb == "00FFC7CE"
    assert sheet.cell(row, headings.index("进度") + 1).value == 30


def test_export_without_a_log_has_no_status_columns(runner, tmp_path):
    (tmp_path / "data").mkdir()
    shutil.copy(BUNDLED, tmp_path / "data" / "tasks.yaml")
    result = runner.invoke(cli, ["export", "--id", "2", "--format", "csv"])
    header = result.stdout_bytes.decode("utf-8-sig").splitlines()[0]
    assert header == "序号,部分,年度任务目标,责任领导,牵头部门,责任部门,完成时限"


def test_export_to_a_file_leaves_nothing_else_beside_it(runner, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    result = runner.invoke(cli, ["export", "-o", str(out / "台账.xlsx"), "--file", str(BUNDLED)])
    assert result.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["台账.xlsx"]
