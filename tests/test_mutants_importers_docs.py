"""Tests prompted by issue 27's surviving mutants of the document importers (area c2):
deadlines, plan, paragraphs, docx, xlsx, markdown, jsondoc and the reader dispatch.

Each was checked against its mutant (scripts/mutate.py --rerun-survivors --also this file)."""

from __future__ import annotations

import datetime as dt

import pytest

from taskctl.cli import cli
from taskctl.importers.deadlines import parse_phrase
from taskctl.model import Section, Task

D = dt.date

# deadlines ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "month"),
    [
        ("一月底前", 1),
        ("二月底前", 2),
        ("三月底前", 3),
        ("四月底前", 4),
        ("五月底前", 5),
        ("六月底前", 6),
        ("七月底前", 7),
        ("八月底前", 8),
        ("九月底前", 9),
        ("十月底前", 10),
        ("十一月底前", 11),
        ("十二月底前", 12),
    ],
)
def test_a_month_written_in_chinese_numerals_ends_that_month(phrase, month):
    end = {2: 29, 4: 30, 6: 30, 9: 30, 11: 30}.get(month, 31)
    assert parse_phrase(phrase, 2024) == D(2024, month, end)


@pytest.mark.parametrize(
    ("phrase", "date"),
    [
        ("6月15日前", D(2024, 6, 15)),
        ("6月上旬", D(2024, 6, 10)),
        ("6月初", D(2024, 6, 10)),
        ("6月中旬", D(2024, 6, 20)),
        ("6月中", D(2024, 6, 20)),
        ("6月下旬", D(2024, 6, 30)),
        ("二季度", D(2024, 6, 30)),
        ("第四季度", D(2024, 12, 31)),
        ("上半年底前完成", D(2024, 6, 30)),
        # a month on a line of its own, then a date or a quarter on the next: both count
        ("12月\n6月30日", D(2024, 12, 31)),
        ("3月\n四季度", D(2024, 12, 31)),
        # a year named inside the phrase: that year's end
        ("2025年完成", D(2025, 12, 31)),
        ("2023年启动，2025年建成", D(2025, 12, 31)),
    ],
)
def test_deadline_phrases_of_part_of_a_month_quarters_and_stages(phrase, date):
    assert parse_phrase(phrase, 2024) == date


@pytest.mark.parametrize(
    "phrase", ["6月30日前", "6月上旬", "一季度", "上半年", "年底前", "持续推进"]
)
def test_without_the_lists_year_a_phrase_naming_none_gives_no_date(phrase):
    assert parse_phrase(phrase, None) is None


# jsondoc -----------------------------------------------------------------------------------

JSON_TASK = {
    "id": 1,
    "text": "新建5G基站100个",
    "leaders": ["王某某"],
    "lead_departments": ["县工信局"],
    "departments": ["各镇街道"],
    "section": "一",
    "deadline": "2024-06-30",
}


def _json(tmp_path, document):
    import json

    path = tmp_path / "清单.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_json_list_with_only_its_tasks_imports_with_untitled_parts(tmp_path):
    from taskctl.importers import read_source

    tl = read_source(_json(tmp_path, {"year": 2024, "tasks": [JSON_TASK]})).tasklist
    assert (tl.attachment, tl.title, tl.year, dict(tl.groups), tl.columns, tl.rules) == (
        "", "", 2024, {}, (), ()
    )  # fmt: skip
    assert tl.sections == (
        Section("一", "", None, (
            Task(1, "新建5G基站100个", ("王某某",), ("县工信局",), ("各镇街道",), "一", D(2024, 6, 30)),
        )),
    )  # fmt: skip


def test_a_json_list_keeps_its_heading_parts_extras_columns_and_rules(tmp_path):
    from taskctl.importers import read_source

    document = {
        "attachment": "附件1",
        "title": "某县2024年政府工作报告任务分解",
        "year": 2024,
        "groups": {"各镇街道": ["城关镇", "东城街道"]},
        "columns": [["序号", "序号"], ["工作任务", "年度任务目标"], ["备注", "备注"]],
        "rules": ["列第一位的为牵头单位"],
        "sections": [
            {"numeral": "一", "title": "稳增长", "declared": 1},
            {"numeral": "二", "title": "惠民生", "declared": None, "path": ["民生实事"],
             "written": "（二）惠民生"},
        ],
        "tasks": [
            {**JSON_TASK, "extra": {"备注": "与住建局会商"}},
            {"id": 2, "text": "城镇新增就业3000人", "leaders": [], "lead_departments": ["县人社局"],
             "departments": [], "section": "二", "deadline": None},
        ],
    }  # fmt: skip
    tl = read_source(_json(tmp_path, document)).tasklist
    assert (tl.attachment, tl.title, tl.year, dict(tl.groups)) == (
        "附件1", "某县2024年政府工作报告任务分解", 2024, {"各镇街道": ("城关镇", "东城街道")}
    )  # fmt: skip
    assert tl.columns == (("序号", "序号"), ("工作任务", "年度任务目标"), ("备注", "备注"))
    assert tl.rules == ("列第一位的为牵头单位",)
    assert tl.sections == (
        Section("一", "稳增长", 1, (
            Task(1, "新建5G基站100个", ("王某某",), ("县工信局",), ("各镇街道",), "一", D(2024, 6, 30),
                 {"备注": "与住建局会商"}),
        )),
        Section("二", "惠民生", None, (
            Task(2, "城镇新增就业3000人", (), ("县人社局",), (), "二"),
        ), ("民生实事",), "（二）惠民生"),
    )  # fmt: skip
    assert [dict(task.extra) for task in tl.tasks] == [{"备注": "与住建局会商"}, {}]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"deadline": "6月底前"}, "deadline 应为 YYYY-MM-DD，得到「6月底前」"),
        ({"extra": ["备注"]}, "extra 应为对象"),
    ],
)
def test_a_json_task_with_a_wrong_value_is_refused_naming_it(runner, tmp_path, change, message):
    source = _json(tmp_path, {"year": 2024, "tasks": [{**JSON_TASK, **change}]})
    result = runner.invoke(cli, ["import", str(source), "-o", str(tmp_path / "tasks.yaml")])
    assert (result.exit_code, result.stderr) == (2, f"错误：{source}：{message}\n")


@pytest.mark.parametrize(
    "columns",
    ["序号", [["序号", "序号", "序号"]], ["序号"], ["甲乙"], [["序号", "序号"], "工作任务"]],
)
def test_json_columns_other_than_heading_key_pairs_are_refused(runner, tmp_path, columns):
    source = _json(tmp_path, {"year": 2024, "columns": columns, "tasks": [JSON_TASK]})
    result = runner.invoke(cli, ["import", str(source), "-o", str(tmp_path / "tasks.yaml")])
    message = "columns 应为 [原表列标题, 键] 的列表"
    assert (result.exit_code, result.stderr) == (2, f"错误：{source}：{message}\n")


# plan: import --force over an existing list -------------------------------------------------


def _first_import(runner, tmp_path, rows="1,建设 5G基站,工信局\n2,规划评估,发改局\n"):
    source = tmp_path / "台账.csv"
    source.write_text("序号,重点工作,牵头单位\n" + rows, encoding="utf-8")
    out = tmp_path / "tasks.yaml"
    assert runner.invoke(cli, ["import", str(source), "-o", str(out)]).exit_code == 0
    return source, out


def _files(folder):
    """The folder's files but the lock file every writer of tasks.yaml keeps beside it."""
    return sorted(p.name for p in folder.iterdir() if p.name != "tasks.yaml.lock")


def test_a_hand_added_deadline_is_carried_when_the_imported_text_has_spaces(runner, tmp_path):
    from taskctl.loader import load

    source, out = _first_import(runner, tmp_path)
    text = out.read_text(encoding="utf-8")
    text = text.replace(
        "年度任务目标: 建设 5G基站", "年度任务目标: 建设 5G基站\n    完成时限: 2024-06-30"
    )
    out.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["import", str(source), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.stderr
    assert "沿用原清单中手工添加的 完成时限（1 项）" in result.stderr.splitlines()
    assert [t.deadline for t in load(out).tasks] == [D(2024, 6, 30), None]


def test_taskctls_own_header_with_trailing_spaces_is_not_counted_as_a_comment(runner, tmp_path):
    source, out = _first_import(runner, tmp_path)
    lines = out.read_text(encoding="utf-8").split("\n")
    out.write_text("\n".join(line + "  " if line.startswith("#") else line for line in lines))
    result = runner.invoke(cli, ["import", str(source), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.stderr
    assert not [note for note in result.stderr.splitlines() if "注释" in note]


def test_import_force_where_links_cannot_be_made_still_keeps_the_backup(
    runner, tmp_path, monkeypatch
):
    import errno
    import os

    source, out = _first_import(runner, tmp_path)
    old = out.read_bytes()
    source.write_text("序号,重点工作,牵头单位\n1,建设5G基站200个,工信局\n", encoding="utf-8")

    def no_links(*args, **kwargs):  # a FAT-formatted USB drive, a network share
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(os, "link", no_links)
    result = runner.invoke(cli, ["import", str(source), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "tasks.yaml.bak").read_bytes() == old
    assert "年度任务目标: 建设5G基站200个" in out.read_text(encoding="utf-8")
    assert _files(tmp_path) == ["tasks.yaml", "tasks.yaml.bak", "台账.csv"]


def test_an_import_force_that_fails_on_a_full_disk_leaves_the_folder_as_it_was(
    runner, tmp_path, monkeypatch
):
    import errno
    import os

    from taskctl import fsutil

    source, out = _first_import(runner, tmp_path)
    old = out.read_bytes()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(fsutil.os, "fsync", full)
    result = runner.invoke(cli, ["import", str(source), "-o", str(out), "--force"])
    assert (result.exit_code, result.stderr) == (
        2, f"错误：{out}：磁盘已满，未写入任何内容；请腾出空间后重试\n"
    )  # fmt: skip
    assert out.read_bytes() == old
    assert _files(tmp_path) == ["tasks.yaml", "台账.csv"]


# paragraphs: lists written as numbered paragraphs ------------------------------------------


def _paragraphs(tmp_path, *lines):
    """The list of a text file of these lines: its title, its parts and its tasks."""
    from taskctl.importers import read_source

    path = tmp_path / "清单.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tl = read_source(path).tasklist
    parts = [(s.numeral, s.title, s.written) for s in tl.sections]
    tasks = [(t.id, t.text, t.leaders, t.lead_departments, t.departments) for t in tl.tasks]
    return tl.title, parts, tasks


def test_a_closing_bracket_after_a_last_semicolon_and_a_space_still_gives_the_columns(tmp_path):
    assert _paragraphs(
        tmp_path, "一、稳增长", "1.新建5G基站100个。（牵头单位：工信局；责任单位：各镇街道； ）"
    ) == (
        "",
        [("一", "稳增长", "")],
        [(1, "新建5G基站100个。", (), ("工信局",), ("各镇街道",))],
    )


def test_a_bracketed_note_that_names_no_column_stays_in_the_task(tmp_path):
    assert _paragraphs(
        tmp_path,
        "一、稳增长",
        "1.开工项目30个（注：含续建项目）",
        "牵头单位：发改局",
        "2.盘活闲置厂房（牵头单位：自然资源局；另行安排）",
        "牵头单位：工信局",
    ) == (
        "",
        [("一", "稳增长", "")],
        [
            (1, "开工项目30个（注：含续建项目）", (), ("发改局",), ()),
            (2, "盘活闲置厂房（牵头单位：自然资源局；另行安排）", (), ("工信局",), ()),
        ],
    )


def test_lines_of_spaces_and_spaces_around_lines_change_nothing(tmp_path):
    assert _paragraphs(
        tmp_path,
        "  某县2024年重点工作  ",
        "   ",
        "  王某某县长主抓重点工作  ",
        "   （一）稳增长   ",
        "  全面完成年度目标任务  ",
        "1.新建5G基站100个。",
        "   ",
        "  分两批建成  ",
        "牵头单位：工信局",
    ) == _paragraphs(
        tmp_path,
        "某县2024年重点工作",
        "王某某县长主抓重点工作",
        "（一）稳增长",
        "全面完成年度目标任务",
        "1.新建5G基站100个。",
        "分两批建成",
        "牵头单位：工信局",
    )


def test_a_line_of_text_under_a_part_heading_is_a_heading_of_its_own(tmp_path):
    from taskctl.importers import read_source

    path = tmp_path / "清单.txt"
    lines = ["某县2024年重点工作", "一、稳增长", "全面完成年度目标任务", "1.新建5G基站100个。"]
    path.write_text("\n".join([*lines, "牵头单位：工信局"]) + "\n", encoding="utf-8")
    tl = read_source(path).tasklist
    assert [(s.numeral, s.title, s.path) for s in tl.sections] == [
        ("一·1", "全面完成年度目标任务", ("一、稳增长",))
    ]
    assert [(t.id, t.text, t.lead_departments) for t in tl.tasks] == [
        (1, "新建5G基站100个。", ("工信局",))
    ]


# docx ----------------------------------------------------------------------------------------


def _read_docx(path):
    from taskctl.importers import read_source

    tl = read_source(path).tasklist
    parts = [(s.numeral, s.title) for s in tl.sections]
    tasks = [(t.id, t.text, t.leaders, t.lead_departments, t.deadline) for t in tl.tasks]
    return tl.title, parts, tasks


def test_word_paragraphs_bold_by_their_style_are_headings_unless_a_run_is_not_bold(tmp_path):
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    style = document.styles.add_style("要点", WD_STYLE_TYPE.PARAGRAPH)
    style.font.bold = True
    document.add_paragraph("某县2024年重点工作")
    document.add_paragraph("稳增长促发展", style="要点")  # bold by its style
    document.add_paragraph("1.新建5G基站100个。")
    document.add_paragraph("牵头单位：工信局")
    plain = document.add_paragraph(style="要点")  # the style is bold, the run says not
    plain.add_run("分两批建成").bold = False
    heading = document.add_paragraph()  # bold, with a space typed after it in plain
    heading.add_run("扩内需增活力").bold = True
    heading.add_run("  ")
    document.add_paragraph("2.开工项目30个。")
    document.add_paragraph("牵头单位：发改局")
    path = tmp_path / "清单.docx"
    document.save(str(path))
    assert _read_docx(path) == (
        "某县2024年重点工作",
        [("·1", "稳增长促发展"), ("·2", "扩内需增活力")],
        [
            (1, "新建5G基站100个。\n分两批建成", (), ("工信局",), None),
            (2, "开工项目30个。", (), ("发改局",), None),
        ],
    )


def test_word_table_a_bold_row_is_a_heading_and_merged_cells_keep_the_columns(tmp_path):
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_paragraph("某县2024年重点工作")
    table = document.add_table(rows=6, cols=5)
    rows = [
        ["序号", "工作任务", "牵头领导", "牵头单位", "完成时限"],
        ["1", "新建5G基站100个", "王某某", "工信局", "6月底前"],
        None,
        None,
        ["3", "盘活闲置厂房", "李某某", "自然资源局", "10月底前"],
        ["", "分两批实施", "", "", "11月底前"],
    ]
    for r, values in enumerate(rows):
        for c, value in enumerate(values or []):
            table.cell(r, c).text = value
    # in the task column alone: a heading by being bold (else more of the task above)
    table.cell(2, 1).paragraphs[0].add_run("扩内需增活力").bold = True
    table.cell(3, 0).text = "2"
    table.cell(3, 1).merge(table.cell(3, 3)).text = "开工项目30个"  # across three columns
    table.cell(3, 4).text = "9月底前"
    last = table.rows[5]._tr  # Word's way for a row whose first cell was deleted
    last.remove(last.tc_lst[0])
    before = OxmlElement("w:gridBefore")
    before.set(qn("w:val"), "1")
    last.get_or_add_trPr().insert(0, before)
    path = tmp_path / "清单.docx"
    document.save(str(path))
    assert _read_docx(path) == (
        "某县2024年重点工作",
        [("一", ""), ("·1", "扩内需增活力")],
        [
            (1, "新建5G基站100个", ("王某某",), ("工信局",), D(2024, 6, 30)),
            (2, "开工项目30个", (), (), D(2024, 9, 30)),
            (3, "盘活闲置厂房\n分两批实施", ("李某某",), ("自然资源局",), D(2024, 11, 30)),
        ],
    )


def test_list_tables_shows_the_first_row_of_several_cells_else_the_first_row(runner, tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("某县2024年重点工作")
    first = document.add_table(rows=3, cols=2)
    first.cell(0, 0).merge(first.cell(0, 1)).text = "重点工作任务分解表"
    for r, values in enumerate([["序号", "工作任务"], ["1", "新建5G基站100个"]], 1):
        for c, value in enumerate(values):
            first.cell(r, c).text = value
    document.add_paragraph("填报说明")
    document.add_paragraph("   ")  # a line of spaces under the caption
    notes = document.add_table(rows=2, cols=1)
    notes.cell(0, 0).text = "说明"
    notes.cell(1, 0).text = "各单位每月5日前报送"
    source = tmp_path / "分解表.docx"
    document.save(str(source))
    result = runner.invoke(cli, ["import", str(source), "--list-tables"])
    assert (result.exit_code, result.stdout) == (
        0,
        "1\t某县2024年重点工作\t序号/工作任务\t3\n2\t填报说明\t说明\t2\n",
    )


def test_a_word_file_with_xml_comments_in_its_body_is_read_and_its_tables_listed(runner, tmp_path):
    """Document generators leave XML comments between paragraphs and tables; Word opens such
    a file. They were taken for damage (import) or an internal error (--list-tables)."""
    import docx
    from lxml import etree

    document = docx.Document()
    document.add_paragraph("某县2024年重点工作")
    table = document.add_table(rows=3, cols=3)
    rows = [["序号", "工作任务", "牵头单位"], ["1", "新建5G基站100个", "工信局"]]
    rows.append(["2a", "开工项目30个", "发改局"])
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    body = document.element.body
    body.insert(0, etree.Comment(" 由模板生成 "))
    body.insert(2, etree.Comment(" 表格开始 "))
    source = tmp_path / "清单.docx"
    document.save(str(source))
    listed = runner.invoke(cli, ["import", str(source), "--list-tables"])
    assert (listed.exit_code, listed.stdout) == (
        0, "1\t某县2024年重点工作\t序号/工作任务/牵头单位\t3\n"
    )  # fmt: skip
    result = runner.invoke(cli, ["import", str(source), "-o", str(tmp_path / "tasks.yaml")])
    assert (result.exit_code, result.stderr) == (
        2, f"错误：{source} 第 4 行：序号应为数字，得到「2a」\n"
    )  # fmt: skip


@pytest.mark.parametrize("damage", ["gridSpan x", "no tblGrid"])
def test_a_damaged_word_table_is_one_clear_error_also_when_listing_tables(runner, tmp_path, damage):
    """A cell spanning "x" columns, a table without its w:tblGrid: import and --list-tables
    both call the file damaged (--list-tables stopped with an internal error)."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_paragraph("某县2024年重点工作")
    table = document.add_table(rows=2, cols=3)
    for r, values in enumerate([["序号", "工作任务", "牵头单位"], ["1", "新建5G基站", "工信局"]]):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    if damage == "gridSpan x":
        span = OxmlElement("w:gridSpan")
        span.set(qn("w:val"), "x")
        table.cell(1, 0)._tc.get_or_add_tcPr().append(span)
    else:
        table._tbl.remove(table._tbl.tblGrid)
    source = tmp_path / "清单.docx"
    document.save(str(source))
    message = f"错误：{source}：不是有效的 .docx 文件（已损坏，或是改了扩展名的其他文件）\n"
    for args in (["--list-tables"], ["-o", str(tmp_path / "tasks.yaml")]):
        result = runner.invoke(cli, ["import", str(source), *args])
        assert (result.exit_code, result.stderr) == (2, message)


def test_the_row_an_error_names_counts_no_blank_paragraph(runner, tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("附件1")
    document.add_paragraph("   ")
    document.add_paragraph("某县2024年重点工作")
    table = document.add_table(rows=3, cols=2)
    for r, values in enumerate(
        [["序号", "工作任务"], ["1", "新建5G基站100个"], ["2a", "开工项目"]]
    ):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    source = tmp_path / "清单.docx"
    document.save(str(source))
    result = runner.invoke(cli, ["import", str(source), "-o", str(tmp_path / "tasks.yaml")])
    assert (result.exit_code, result.stderr) == (
        2, f"错误：{source} 第 5 行：序号应为数字，得到「2a」\n"
    )  # fmt: skip


def test_word_paragraphs_name_the_paragraph_of_a_task_without_text(runner, tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("某县2024年重点工作")
    document.add_paragraph("1.（牵头单位：工信局）")
    source = tmp_path / "清单.docx"
    document.save(str(source))
    result = runner.invoke(cli, ["import", str(source), "-o", str(tmp_path / "tasks.yaml")])
    assert (result.exit_code, result.stderr) == (
        2, f"错误：{source} 第 2 行：序号 1 没有任务内容\n"
    )  # fmt: skip


def test_word_paragraphs_with_numbers_and_text_only_are_a_list(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("某县2024年重点工作")
    document.add_paragraph("1.新建5G基站100个。")
    document.add_paragraph("2.开工项目30个。")
    path = tmp_path / "清单.docx"
    document.save(str(path))
    assert _read_docx(path) == (
        "某县2024年重点工作",
        [("一", "")],
        [(1, "新建5G基站100个。", (), (), None), (2, "开工项目30个。", (), (), None)],
    )


def _claiming(tmp_path, total):
    """A Word file whose package says it unpacks to ``total`` bytes (its document.xml's size
    in the zip directory says so; the data is not there)."""
    import struct
    import zipfile

    import docx

    path = tmp_path / "清单.docx"
    document = docx.Document()
    document.add_paragraph("1.新建5G基站100个。")
    document.save(str(path))
    with zipfile.ZipFile(path) as package:
        members = package.infolist()
    others = sum(m.file_size for m in members if m.filename != "word/document.xml")
    raw = bytearray(path.read_bytes())
    name = b"word/document.xml"
    at = 0  # from the start: the central directory entries begin PK\1\2
    while True:
        at = raw.index(b"PK\x01\x02", at)
        length = struct.unpack_from("<H", raw, at + 28)[0]
        if raw[at + 46 : at + 46 + length] == name:
            struct.pack_into("<I", raw, at + 24, total - others)
            break
        at += 4
    path.write_bytes(bytes(raw))
    return path


def test_a_word_file_unpacking_to_over_256_mib_is_refused_before_it_is_read(runner, tmp_path):
    source = _claiming(tmp_path, (256 << 20) + 1)
    result = runner.invoke(cli, ["import", str(source), "-o", str(tmp_path / "tasks.yaml")])
    assert (result.exit_code, result.stderr) == (
        2, f"错误：{source}：解压后过大，不像一份清单；请检查文件\n"
    )  # fmt: skip
    at_the_limit = _claiming(tmp_path, 256 << 20)
    result = runner.invoke(cli, ["import", str(at_the_limit), "-o", str(tmp_path / "tasks.yaml")])
    assert result.exit_code == 0, result.stderr


# xlsx ----------------------------------------------------------------------------------------


def _workbook_merging(tmp_path, ref):
    """A small 台账 whose sheet says it merges ``ref`` (written into the sheet's XML)."""
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "工作任务", "牵头单位"])
    sheet.append([1, "新建5G基站100个", "工信局"])
    sheet.merge_cells("E9:E10")
    plain = tmp_path / "plain.xlsx"
    book.save(str(plain))
    path = tmp_path / "台账.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename.startswith("xl/worksheets/"):
                data = data.replace(b'ref="E9:E10"', f'ref="{ref}"'.encode())
            target.writestr(member, data)
    return path


def test_merged_ranges_covering_200_000_cells_at_most_are_read(runner, tmp_path):
    from taskctl.loader import load

    out = tmp_path / "tasks.yaml"
    source = _workbook_merging(tmp_path, "A100:AF6349")  # 32 columns × 6250 rows: the limit
    result = runner.invoke(cli, ["import", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert [(t.id, t.text) for t in load(out).tasks] == [(1, "新建5G基站100个")]
    source = _workbook_merging(tmp_path, "A100:AF6350")  # one row more
    result = runner.invoke(cli, ["import", str(source), "-o", str(out), "--force"])
    message = "合并单元格的范围过大，不像一份台账；请检查文件"
    assert (result.exit_code, result.stderr) == (2, f"错误：{source}：{message}\n")


# markdown ------------------------------------------------------------------------------------


def test_a_markdown_table_without_padding_reads_the_same_as_the_exported_one(tmp_path):
    """Also its first cell's first character: an extract of the list numbered from 12 keeps
    its 序号 (without them the tasks would be numbered 1, 2 …)."""
    from taskctl.importers import read_source

    def tasks(text):
        path = tmp_path / "清单.md"
        path.write_text(text, encoding="utf-8")
        return [(t.id, t.text, t.lead_departments) for t in read_source(path).tasklist.tasks]

    padded = "| 序号 | 工作任务 | 牵头单位 |\n|---|---|---|\n| 12 | 新建5G基站100个 | 工信局 |\n"
    bare = "|序号|工作任务|牵头单位|\n|---|---|---|\n|12|新建5G基站100个|工信局|\n"
    mixed = "|序号 | 工作任务|牵头单位 |\n|---|---|---|\n| 12|新建5G基站100个 | 工信局|\n"
    assert tasks(bare) == tasks(mixed) == tasks(padded) == [(12, "新建5G基站100个", ("工信局",))]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_markdown_table_without_its_closing_pipes_keeps_its_last_column(tmp_path, newline):
    """GitHub Markdown, and many editors, let a row end without `|`: the last cell is still a
    cell, and the separator row still separates."""
    from taskctl.importers import read_source

    path = tmp_path / "清单.md"
    path.write_bytes(
        newline.join(
            [
                "| 序号 | 工作任务 | 牵头单位",
                "|---|---|:---:",
                "| 12 | 新建5G基站100个 | 工信局  ",
                "",
            ]
        ).encode("utf-8")
    )
    assert [(t.id, t.text, t.lead_departments) for t in read_source(path).tasklist.tasks] == [
        (12, "新建5G基站100个", ("工信局",))
    ]


@pytest.mark.parametrize(
    "line",
    ["| 12 | 新建5G基站100个 | 工信局 |", "| 12 | 新建5G基站100个 | 工信局 |  ", "| 12 | 新建5G基站100个 | 工信局"],
)  # fmt: skip
def test_a_markdown_row_has_the_cells_between_its_pipes_and_no_more(line):
    """Spaces after the closing pipe (an editor's trailing whitespace) are no cell."""
    from taskctl.importers.markdown import split_markdown

    (row,) = split_markdown(line)
    assert row.cells == (("12",), ("新建5G基站100个",), ("工信局",))


def test_a_markdown_error_names_the_line_of_the_file(runner, tmp_path):
    source = tmp_path / "清单.md"
    source.write_text(
        "# 某县2024年重点工作\n\n| 序号 | 工作任务 | 牵头单位 |\n|---|---|---|\n"
        "| 1 | 新建5G基站100个 | 工信局 |\n| 2a | 开工项目30个 | 发改局 |\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["import", str(source), "-o", str(tmp_path / "tasks.yaml")])
    assert (result.exit_code, result.stderr) == (
        2, f"错误：{source} 第 6 行：序号应为数字，得到「2a」\n"
    )  # fmt: skip


# the reader chosen by the extension ----------------------------------------------------------


def test_an_unknown_extension_is_refused_listing_every_kind_in_order(runner, tmp_path):
    source = tmp_path / "清单.pdf"
    source.write_bytes(b"%PDF-1.4")
    result = runner.invoke(cli, ["import", str(source), "-o", str(tmp_path / "tasks.yaml")])
    known = ".csv、.docx、.json、.markdown、.md、.text、.tsv、.txt、.xlsm、.xlsx、.yaml、.yml"
    assert (result.exit_code, result.stderr) == (
        2, f"错误：{source}：不认识的文件类型「.pdf」；可导入 {known}\n"
    )  # fmt: skip


@pytest.mark.parametrize("ref", ["A100:C66766", "A6350:AF100", "AF100:A6350"])
def test_merged_ranges_over_200_000_cells_are_refused_however_written(runner, tmp_path, ref):
    # 3 × 66 667 = 200 001 cells; 32 × 6 251 from the bottom row or the right column
    source = _workbook_merging(tmp_path, ref)
    result = runner.invoke(cli, ["import", str(source), "-o", str(tmp_path / "tasks.yaml")])
    message = "合并单元格的范围过大，不像一份台账；请检查文件"
    assert (result.exit_code, result.stderr) == (2, f"错误：{source}：{message}\n")


def test_a_workbook_unpacking_to_over_256_mib_is_refused_before_it_is_read(runner, tmp_path):
    import openpyxl

    def claiming(total):
        book = openpyxl.Workbook()
        book.active.append(["序号", "工作任务", "牵头单位"])
        book.active.append([1, "新建5G基站100个", "工信局"])
        path = tmp_path / "台账.xlsx"
        book.save(str(path))
        return _claim_size(path, "xl/worksheets/sheet1.xml", total)

    out = tmp_path / "tasks.yaml"
    source = claiming((256 << 20) + 1)
    result = runner.invoke(cli, ["import", str(source), "-o", str(out)])
    message = "解压后过大，不像一份台账；请检查文件"
    assert (result.exit_code, result.stderr) == (2, f"错误：{source}：{message}\n")
    result = runner.invoke(cli, ["import", str(claiming(256 << 20)), "-o", str(out)])
    assert result.exit_code == 0, result.stderr


def _claim_size(path, name, total):
    """``path`` (a zip) rewritten so that its directory says ``name`` unpacks to what brings
    the whole package to ``total`` bytes (the data is not there)."""
    import struct
    import zipfile

    with zipfile.ZipFile(path) as package:
        others = sum(m.file_size for m in package.infolist() if m.filename != name)
    raw = bytearray(path.read_bytes())
    at = 0
    while True:
        at = raw.index(b"PK\x01\x02", at)
        length = struct.unpack_from("<H", raw, at + 28)[0]
        if raw[at + 46 : at + 46 + length] == name.encode():
            struct.pack_into("<I", raw, at + 24, total - others)
            break
        at += 4
    path.write_bytes(bytes(raw))
    return path


def test_items_numbered_like_parts_are_tasks_when_their_bracket_names_the_lead(tmp_path):
    from taskctl.importers import read_source

    path = tmp_path / "清单.txt"
    path.write_text(
        "一、稳增长\n（一）新建5G基站100个（牵头单位：工信局）\n（二）开工项目30个（牵头单位：发改局）\n",
        encoding="utf-8",
    )
    tl = read_source(path).tasklist
    assert [(s.numeral, s.title) for s in tl.sections] == [("一", "稳增长")]
    assert [(t.id, t.text, t.lead_departments, dict(t.extra)) for t in tl.tasks] == [
        (1, "新建5G基站100个", ("工信局",), {"原编号": "（一）"}),
        (2, "开工项目30个", ("发改局",), {"原编号": "（二）"}),
    ]


@pytest.mark.parametrize(("columns", "read"), [(64, 64), (65, 64)])
def test_a_word_table_is_read_to_its_64th_column(tmp_path, columns, read):
    """A list has 5–10 columns; the reader reads at most 64 of a table (docs/reliability.md),
    so a crafted table with thousands of cells in a row costs no more than that."""
    import docx

    from taskctl.importers.docx import read_docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=columns)
    for col in range(columns):
        table.cell(0, col).text = f"第{col + 1}列"
        table.cell(1, col).text = str(col + 1)
    source = tmp_path / "清单.docx"
    document.save(source)
    rows = read_docx(source)
    assert [len(row.cells) for row in rows] == [read, read]
    assert rows[0].cells[-1] == (f"第{read}列",)
