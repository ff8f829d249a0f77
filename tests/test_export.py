"""export: the formats, the 台账 workbook, the formula guard and the status-column seam."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from conftest import BUNDLED, LIST_ERRORS

from taskctl.cli import cli
from taskctl.export import ExtraColumn, export, guard
from taskctl.importers import read_source
from taskctl.loader import load, loads

ROW_29 = (
    "29,四、聚焦乡村振兴，做实“三农”工作，以稳固的发展基础推进台安高质量发展（13项）,"
    "推进5处镇级污水处理厂建设，提升镇村污水处理能力,,各有关镇街道,,\r\n"
)
ROW_91 = (
    "91,八、聚焦百姓福祉，繁荣社会事业，以共享的发展成果推进台安高质量发展（23项）,"
    "推广“积分制”基层治理新模式，激发基层社会治理新活力,"
    '推广“积分制”基层治理新模式，激发基层社会治理新活力,党群中心,"各有关部门\n各镇街道",\r\n'
)


def _export(runner, *args: str):
    return runner.invoke(cli, ["export", "--file", str(BUNDLED), *args])


def test_csv_for_excel_has_bom_and_crlf(runner):
    result = _export(runner, "--id", "29,91", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbf")
    assert result.stdout_bytes.decode("utf-8-sig") == (
        "序号,部分,年度任务目标,责任领导,牵头部门,责任部门,完成时限\r\n" + ROW_29 + ROW_91
    )
    assert result.stderr == LIST_ERRORS  # --id 29,91: both of the list's errors


def test_markdown_export(runner):
    result = _export(runner, "--id", "91", "--format", "markdown")
    assert result.exit_code == 0
    assert result.stdout == (
        "附件1\n\n# 2023年《政府工作报告》工作任务分解清单\n\n"
        "| 序号 | 部分 | 年度任务目标 | 责任领导 | 牵头部门 | 责任部门 | 完成时限 |\n"
        "|---|---|---|---|---|---|---|\n"
        "| 91 | 八、聚焦百姓福祉，繁荣社会事业，以共享的发展成果推进台安高质量发展（23项） | "
        "推广“积分制”基层治理新模式，激发基层社会治理新活力 | "
        "推广“积分制”基层治理新模式，激发基层社会治理新活力 | 党群中心 | 各有关部门<br>各镇街道 |  |\n"
    )


def test_json_export_keys(runner):
    result = _export(runner, "--leader", "张辉", "--grep", "工业增加值", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert list(document) == ["title", "attachment", "year", "groups", "sections", "tasks"]
    assert document["sections"] == [
        {"numeral": "一", "title": "全县经济社会发展主要预期指标", "declared": 6}
    ]
    assert document["tasks"] == [
        {
            "id": 2,
            "section": "一",
            "text": "规模以上工业增加值增长16%",
            "leaders": ["张  辉"],
            "lead_departments": ["工信局"],
            "departments": ["各开发园区", "各镇街道"],
            "deadline": None,
            "extra": {},
        }
    ]


def test_yaml_view_loads_as_a_list(runner):
    result = _export(runner, "--section", "九")
    assert result.exit_code == 0
    view = loads(result.stdout)
    assert [t.id for t in view.tasks] == list(range(93, 103))
    assert view.sections == load(BUNDLED).sections[8:]


def test_format_from_suffix_and_message(runner, tmp_path):
    out = tmp_path / "台账.xlsx"
    result = _export(runner, "--leader", "于德忱", "-o", str(out))
    assert result.exit_code == 0
    assert (result.stdout, result.stderr) == ("", f"已导出 26 项任务 → {out}\n")
    assert out.read_bytes().startswith(b"PK")


def test_no_match_writes_nothing(runner, tmp_path):
    out = tmp_path / "x.csv"
    result = _export(runner, "--grep", "没有这样的任务", "-o", str(out))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "没有符合条件的任务\n")
    assert not out.exists()


def test_xlsx_refused_on_a_terminal(runner, monkeypatch):
    monkeypatch.setattr("taskctl.output.is_terminal", lambda stream: True)
    result = _export(runner, "--format", "xlsx")
    assert result.exit_code == 2
    assert (
        result.stderr
        == "错误：xlsx 是二进制文件，不能显示在终端；请用 -o 指定文件，如 -o 台账.xlsx\n"
    )


def _workbook(data: bytes):
    import openpyxl

    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_ledger_layout(tasklist):
    book = _workbook(export(tasklist, "xlsx"))
    assert book.sheetnames == ["台账", "统计"]
    sheet = book["台账"]
    assert (sheet["A1"].value, sheet["A2"].value) == ("附件1", tasklist.title)
    assert [c.value for c in sheet[3]] == [
        "序号", "部分", "年度任务目标", "责任领导", "牵头部门", "责任部门", "完成时限",
    ]  # fmt: skip
    assert all(c.font.b for c in sheet[3])
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref == "A3:G105"
    assert sheet.max_row == 105
    assert [sheet.cell(4, col).value for col in range(1, 7)] == [
        1, "一、全县经济社会发展主要预期指标（6项）", "地区生产总值同比增长7%", "于德忱", "发改局",
        "各开发园区\n各有关部门",
    ]  # fmt: skip
    assert sheet.cell(4, 3).alignment.wrap_text
    widths = {col: sheet.column_dimensions[col].width for col in "ABCDEF"}
    assert widths == {"A": 6, "B": 22, "C": 44, "D": 16, "E": 14, "F": 16}
    stats = book["统计"]
    assert [c.value for c in stats[1]][:3] == ["责任领导", "任务数", None]
    assert [c.value for c in stats[2]][:2] == ["于德忱", 26]
    dept_header = next(r for r in range(1, stats.max_row + 1) if stats.cell(r, 1).value == "部门")
    assert [c.value for c in stats[dept_header]][:4] == ["部门", "牵头", "责任", "经统称"]
    assert [c.value for c in stats[dept_header + 1]][:4] == ["各有关部门", 0, 67, 0]


def test_status_columns_seam_colours_cells_and_counts(tasklist):
    status = ExtraColumn(
        "status", "状态", {1: "序时推进", 2: "滞后"}, lights={1: "green", 2: "red"}
    )
    tasks = tasklist.tasks[:2]
    book = _workbook(export(tasklist, "xlsx", tasks, [status]))
    sheet = book["台账"]
    assert sheet.cell(3, 8).value == "状态"
    assert [sheet.cell(r, 8).value for r in (4, 5)] == ["序时推进", "滞后"]
    assert [sheet.cell(r, 8).fill.fgColor.rgb for r in (4, 5)] == ["00C6EFCE", "00FFC7CE"]
    stats = book["统计"]
    assert [c.value for c in stats[1]][:5] == ["责任领导", "任务数", "绿灯", "红灯", None]
    assert [c.value for c in stats[2]][:4] == ["于德忱", 1, 1, 0]
    csv_text = export(tasklist, "csv", tasks, [status]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert [row[-2:] for row in rows] == [["完成时限", "状态"], ["", "序时推进"], ["", "滞后"]]
    records = json.loads(export(tasklist, "json", tasks, [status]))["tasks"]
    assert [r["status"] for r in records] == ["序时推进", "滞后"]


DANGEROUS = """\
标题: 注入测试
sections:
- 编号: 一
  标题: 甲
  项数: 1
  任务:
  - 序号: 1
    年度任务目标: =HYPERLINK("http://evil.example","点此")
    责任领导: ['@SUM(A1:A9)']
    牵头部门: ['+1+1']
    责任部门: ["-2+3", "\\tcmd", "'=已转义"]
"""


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),
        ("'x", "''x"),
        ("a=1", "a=1"),
        ("", ""),
    ],
)
def test_guard(text, guarded):
    assert guard(text) == guarded


def test_formula_injection_neutralised_in_csv_and_xlsx_only(tmp_path):
    source = tmp_path / "tasks.yaml"
    source.write_text(DANGEROUS, encoding="utf-8")
    tasklist = load(source)
    csv_text = export(tasklist, "csv").decode("utf-8-sig")
    row = csv_text.splitlines()[1]
    assert row.startswith(
        '1,一、甲（1项）,"\'=HYPERLINK(""http://evil.example"",""点此"")",\'@SUM(A1:A9),\'+1+1,'
    )
    assert "\"'-2+3\n\tcmd\n'=已转义\"" in csv_text
    sheet = _workbook(export(tasklist, "xlsx"))["台账"]
    for col in (3, 4, 5, 6):
        cell = sheet.cell(3, col)
        assert (cell.data_type, cell.quotePrefix) == ("s", True), col
    assert sheet.cell(3, 3).value == '=HYPERLINK("http://evil.example","点此")'
    assert sheet.cell(3, 6).value == "-2+3\n\tcmd\n'=已转义"
    # The list itself is never altered, and the exports read back to it.
    assert source.read_text(encoding="utf-8") == DANGEROUS
    assert "'=" not in export(tasklist, "yaml").decode().replace("'=已转义", "")
    for fmt, suffix in (("csv", ".csv"), ("xlsx", ".xlsx")):
        path = tmp_path / f"out{suffix}"
        path.write_bytes(export(tasklist, fmt))
        assert read_source(path).tasklist.sections == tasklist.sections


def test_help_does_not_import_office_libraries():
    code = (
        "import sys\n"
        "from taskctl.cli import cli\n"
        "try:\n    cli.main(['--help'], prog_name='taskctl')\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('openpyxl', 'docx', 'rich', 'tabulate') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "[]"


def test_data_commands_have_summary_and_example(runner):
    for command in ("validate", "import", "export"):
        result = runner.invoke(cli, [command, "--help"])
        assert result.exit_code == 0
        assert "示例：\n" in result.stdout, command
        assert f"taskctl {command}" in result.stdout.split("示例：")[1], command
