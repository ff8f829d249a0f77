"""import from Word, Excel, CSV and text in the layouts and encodings other counties send."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest
from conftest import BUNDLED, SOURCE

from taskctl.cli import cli
from taskctl.importers import read_source
from taskctl.loader import load
from taskctl.model import Section, Task

DEPUTY = "李  四"


def _docx(path, *, second_table: bool = True) -> None:
    """A Word attachment laid out like another county's: 牵头单位/配合单位/完成时限, merged cells."""
    import docx

    document = docx.Document()
    document.add_paragraph("附件2")
    document.add_paragraph("2024年重点工作任务清单")
    table = document.add_table(rows=5, cols=6)
    for col, heading in enumerate(
        ["序号", "工作任务", "牵头领导", "牵头单位", "配合单位", "完成时限"]
    ):
        table.cell(0, col).text = heading
    heading = table.cell(1, 0).merge(table.cell(1, 5))
    heading.text = "一、稳增长（4项）"
    rows = [
        ["1", "新建5G基站100个", None, "工信局", "各镇街道\n各有关部门", "2024年6月30日"],
        ["2", "开工项目30个", None, "发改局", "", "2024/12/31"],
        ["3", "清理拖欠账款", "王五", "财政局", None, "长期坚持"],
    ]
    for r, values in enumerate(rows, 2):
        for col, value in enumerate(values):
            if value is not None:
                table.cell(r, col).text = value
    leader = table.cell(2, 2).merge(table.cell(3, 2))  # one leader for 1 and 2
    leader.text = DEPUTY
    table.cell(4, 3).merge(table.cell(4, 4))  # 牵头单位 spread over 配合单位
    if second_table:  # the table continues on the next page with its heading repeated
        more = document.add_table(rows=2, cols=6)
        for col, value in enumerate(
            ["序 号", "工作任务", "牵头领导", "牵头单位", "配合单位", "完成时限"]
        ):
            more.cell(0, col).text = value
        for col, value in enumerate(["4", "盘活闲置厂房", "王五", "自然资源局", "经开区", ""]):
            more.cell(1, col).text = value
    document.save(str(path))


DOCX_TASKS = (
    Task(1, "新建5G基站100个", (DEPUTY,), ("工信局",), ("各镇街道", "各有关部门"), "一", dt.date(2024, 6, 30)),
    Task(2, "开工项目30个", (DEPUTY,), ("发改局",), (), "一", dt.date(2024, 12, 31)),
    Task(3, "清理拖欠账款", ("王五",), ("财政局",), (), "一", dt.date(2024, 12, 31)),  # 长期坚持
    Task(4, "盘活闲置厂房", ("王五",), ("自然资源局",), ("经开区",), "一"),
)  # fmt: skip


def test_docx_with_merged_cells_and_continued_table(tmp_path):
    path = tmp_path / "2024.docx"
    _docx(path)
    result = read_source(path)
    tasklist = result.tasklist
    assert (result.kind, result.encoding, result.ignored) == ("Word", None, ())
    assert (tasklist.attachment, tasklist.title, tasklist.year) == (
        "附件2",
        "2024年重点工作任务清单",
        2024,
    )
    assert tasklist.sections == (Section("一", "稳增长", 4, DOCX_TASKS),)
    assert [dict(t.extra) for t in tasklist.tasks] == [{}, {}, {"完成时限说明": "长期坚持"}, {}]


def test_docx_cli_import_writes_yaml(runner, tmp_path):
    source = tmp_path / "2024.docx"
    _docx(source, second_table=False)
    out = tmp_path / "tasks.yaml"
    result = runner.invoke(cli, ["import", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == (
        "读取 4 行：3 项任务，1 个部分\n"
        "列：\n"
        "  序号 → 序号（标题为“序号”）\n"
        "  工作任务 → 年度任务目标（标题含“任务”）\n"
        "  牵头领导 → 责任领导（标题含“领导”）\n"
        "  牵头单位 → 牵头部门（标题含“牵头”）\n"
        "  配合单位 → 责任部门（标题含“单位”）\n"
        "  完成时限 → 完成时限（标题含“时限”）\n"
        f"已导入 3 项任务（1 个部分）→ {out}\n"
        f"检查发现 1 个错误，2 个警告；用 taskctl validate --file {out} 查看\n"
    )
    assert load(out).tasks == DOCX_TASKS[:3]
    assert "完成时限说明: 长期坚持" in out.read_text(encoding="utf-8")


def _xlsx(path) -> None:
    """A 台账 with a 类别 column (no section rows), a cover sheet, merged 类别 and leader cells."""
    import openpyxl

    workbook = openpyxl.Workbook()
    cover = workbook.active
    cover.title = "说明"
    cover["A1"] = "本表由县政府督查室汇总"
    sheet = workbook.create_sheet("任务")
    sheet["A1"] = "2024年民生实事台账"
    sheet.merge_cells("A1:H1")
    sheet.append(
        ["序号", "类别", "任务内容", "分管领导", "牵头部门", "责任单位", "完成时间", "备注"]
    )
    sheet.append(
        [
            1,
            "经济发展",
            "引进项目10个",
            "赵六",
            "招商局",
            "各开发园区、各镇街道",
            dt.datetime(2024, 9, 30),
            "",
        ]
    )
    sheet.append([2.0, None, "新增市场主体500户", None, "市场局", None, None, "新增"])
    sheet.append(
        [3, "民生保障", "改造老旧小区3个", "钱七", "住建局", "各镇街道", "2024-10-31", None]
    )
    sheet.merge_cells("B3:B4")
    sheet.merge_cells("D3:D4")
    workbook.save(path)


def test_xlsx_with_category_column_and_merged_cells(tmp_path):
    path = tmp_path / "台账.xlsx"
    _xlsx(path)
    result = read_source(path)
    assert (result.kind, result.ignored) == ("Excel", ())
    assert result.summary.extra == ("备注",)  # kept verbatim on each task, not dropped
    assert result.tasklist.title == "2024年民生实事台账"
    assert [dict(t.extra) for t in result.tasklist.tasks] == [
        {"责任部门原文": "各开发园区、各镇街道"},
        {"备注": "新增"},
        {},
    ]
    assert result.tasklist.sections == (
        Section(
            "一",
            "经济发展",
            None,
            (
                Task(1, "引进项目10个", ("赵六",), ("招商局",), ("各开发园区", "各镇街道"), "一", dt.date(2024, 9, 30)),
                Task(2, "新增市场主体500户", ("赵六",), ("市场局",), (), "一"),
            ),
        ),
        Section(
            "二",
            "民生保障",
            None,
            (Task(3, "改造老旧小区3个", ("钱七",), ("住建局",), ("各镇街道",), "二", dt.date(2024, 10, 31)),),
        ),
    )  # fmt: skip


def test_xlsx_cli_reports_ignored_columns(runner, tmp_path):
    source = tmp_path / "台账.xlsx"
    _xlsx(source)
    out = tmp_path / "tasks.yaml"
    result = runner.invoke(cli, ["import", str(source), "-o", str(out)])
    assert result.exit_code == 0
    assert result.stderr.splitlines()[:11] == [
        "读取 3 行：3 项任务，2 个部分",
        "列：",
        "  序号 → 序号（标题为“序号”）",
        "  类别 → 部分（标题为“类别”）",
        "  任务内容 → 年度任务目标（标题含“任务”）",
        "  分管领导 → 责任领导（标题含“领导”）",
        "  牵头部门 → 牵头部门（标题含“牵头”）",
        "  责任单位 → 责任部门（标题含“单位”）",
        "  完成时间 → 完成时限（标题含“时间”）",
        "  备注 → 原样保留（标题不对应已知的角色）",
        f"已导入 3 项任务（2 个部分）→ {out}",
    ]
    assert load(out).tasks[1].extra["备注"] == "新增"


CSV_TEXT = (
    "序号,任务,责任领导,牵头单位,协同单位,完成时限\n"
    '1,推进“放管服”改革，压减审批时限30%,于德忱,营商局,"各有关部门\n各镇街道",2023.6.30\n'
    "2,建设镕铸产业园,张  辉,工信局,,\n"
)
CSV_TASKS = (
    Task(1, "推进“放管服”改革，压减审批时限30%", ("于德忱",), ("营商局",), ("各有关部门", "各镇街道"), "一", dt.date(2023, 6, 30)),
    Task(2, "建设镕铸产业园", ("张  辉",), ("工信局",), (), "一"),
)  # fmt: skip


@pytest.mark.parametrize(
    ("codec", "newline", "label"),
    [
        ("utf-8", "\n", "UTF-8"),
        ("utf-8", "\r\n", "UTF-8"),
        ("utf-8-sig", "\r\n", "UTF-8（带 BOM）"),
        ("gb18030", "\r\n", "GB18030/GBK"),
        ("gbk", "\n", "GB18030/GBK"),
        ("utf-16", "\r\n", "UTF-16"),
    ],
)
def test_csv_encodings(runner, tmp_path, codec, newline, label):
    source = tmp_path / "list.csv"
    source.write_bytes(CSV_TEXT.replace("\n", newline).encode(codec))
    out = tmp_path / "tasks.yaml"
    result = runner.invoke(cli, ["import", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == f"编码：{label}"
    assert load(out).tasks == CSV_TASKS
    assert "\r" not in out.read_text(encoding="utf-8")


def test_gbk_crlf_text_export_gives_the_bundled_list(runner, tmp_path):
    source = tmp_path / "清单.txt"
    text = SOURCE.read_text(encoding="utf-8")
    source.write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    out = tmp_path / "tasks.yaml"
    result = runner.invoke(cli, ["import", str(source), "-o", str(out)])
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == "编码：GB18030/GBK"
    assert load(out).sections == load(BUNDLED).sections


def test_undecodable_bytes_are_an_error_not_mojibake(runner, tmp_path):
    source = tmp_path / "bad.csv"
    source.write_bytes("序号,任务\n".encode() + b"1,\xff\xfe\xfd\n")
    out = tmp_path / "tasks.yaml"
    result = runner.invoke(cli, ["import", str(source), "-o", str(out)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"错误：{source} 第 2 行：无法识别的编码：既不是 UTF-8，也不是 GB18030/GBK"
        "（从这一行起有无法解码的字节）；请以 UTF-8 另存后再试\n"
    )
    assert not out.exists()


def test_unmappable_layout_lists_found_and_known_headings(runner, tmp_path):
    source = tmp_path / "other.csv"
    source.write_text("编号,名目,经办\n1,修路,王五\n", encoding="utf-8")
    result = runner.invoke(cli, ["import", str(source), "-o", str(tmp_path / "t.yaml")])
    assert result.exit_code == 2
    assert result.stderr == (
        f"错误：{source} 第 1 行：找不到可识别的表头（至少要有任务一列和另一可识别的列）。"
        "找到的列标题：「编号」、「名目」、「经办」。任务列的标题含 任务/工作/事项/目标/实事/项目/"
        "内容/措施；其他列如 序号、责任领导、牵头单位、责任单位、完成时限；"
        "也可用 --columns 任务=原表列标题 指定\n"
    )
    assert not (tmp_path / "t.yaml").exists()


def test_refuses_to_overwrite_without_force(runner, tmp_path):
    out = tmp_path / "tasks.yaml"
    out.write_text("旧内容\n", encoding="utf-8")
    result = runner.invoke(cli, ["import", str(SOURCE), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr == f"错误：{out} 已存在；要覆盖请加 --force\n"
    assert out.read_text(encoding="utf-8") == "旧内容\n"
    forced = runner.invoke(cli, ["import", str(SOURCE), "-o", str(out), "--force"])
    assert forced.exit_code == 0
    assert load(out).sections == load(BUNDLED).sections


def test_groups_from_keeps_the_groups(runner, tmp_path):
    out = tmp_path / "tasks.yaml"
    result = runner.invoke(
        cli, ["import", str(SOURCE), "-o", str(out), "--groups-from", str(BUNDLED)]
    )
    assert result.exit_code == 0
    assert load(out) == load(BUNDLED).__class__(**{**load(BUNDLED).__dict__, "source": str(out)})


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("list.pdf", b"%PDF", "不认识的文件类型「.pdf」；可导入"),
        ("list.doc", b"\xd0\xcf", "旧版 .doc 文件无法直接读取；请在 Word/Excel/WPS 中另存为 .docx 或 .xlsx"),
        ("list.txt", b"PK\x03\x04rest", "这是 Word/Excel 文件（ZIP），不是文本；请把扩展名改为 .docx 或 .xlsx"),
        ("list.xlsx", b"plain text", "不是有效的 .xlsx 文件（已损坏，或是改了扩展名的其他文件）"),
        ("list.json", b"{\"tasks\": 3}", "不是 taskctl 导出的 JSON：顶层应有 tasks 列表"),
        ("list.txt", "序号\t任务\n".encode(), "行首缺少 TAB"),
        ("list.yaml", b"sections: []\nx: 2023-02-30\n", "含有无效的日期或数值（如 2023-02-30）"),
    ],
)  # fmt: skip
def test_refused_inputs(runner, tmp_path, name, content, message):
    source = tmp_path / name
    source.write_bytes(content)
    result = runner.invoke(cli, ["import", str(source), "-o", str(tmp_path / "t.yaml")])
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：") and message in result.stderr
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "t.yaml").exists()


def test_docx_without_table_is_refused(tmp_path):
    import docx

    from taskctl.errors import DataFileError

    path = tmp_path / "letter.docx"
    document = docx.Document()
    document.add_paragraph("通知")
    document.save(str(path))
    with pytest.raises(DataFileError, match="既没有表格"):
        read_source(path)
    assert zipfile.is_zipfile(path)


def test_repeated_id_in_source_is_refused(runner, tmp_path):
    source = tmp_path / "dup.csv"
    source.write_text("序号,任务,责任领导,牵头部门\n1,甲,王五,财政局\n1,乙,王五,财政局\n", "utf-8")
    result = runner.invoke(cli, ["import", str(source), "-o", str(tmp_path / "t.yaml")])
    assert result.exit_code == 2
    assert result.stderr == f"错误：{source}：序号 1 重复；请在原件中改正后再导入\n"
    validated = runner.invoke(cli, ["validate", str(source), "--format", "tsv"])
    assert validated.exit_code == 1
    assert validated.stdout == "错误\t序号 1\t序号\t序号重复\n"


def test_other_ways_of_numbering_parts(tmp_path):
    source = tmp_path / "parts.csv"
    source.write_text(
        "序号,任务内容,牵头单位\n（一）稳增长,,\n1,甲,财政局\n第二部分 惠民生（1项）,,\n2,乙,民政局\n",
        encoding="utf-8",
    )
    sections = read_source(source).tasklist.sections
    assert [(s.numeral, s.title, s.declared, [t.id for t in s.tasks]) for s in sections] == [
        ("一", "稳增长", None, [1]),
        ("二", "惠民生", 1, [2]),
    ]


def test_unrecognised_single_cell_row_names_the_line(tmp_path):
    from taskctl.errors import DataFileError

    source = tmp_path / "odd.csv"
    source.write_text("序号,任务,责任单位\n,,一带一路建设\n1,甲,乙\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        read_source(source)
    assert caught.value.message == (
        f"{source} 第 2 行：无法识别的单列行「一带一路建设」：部分标题应形如「一、…（6项）」"
    )
