"""Tests prompted by the mutants that survived issue 27's seeded runs of scripts/mutate.py
(docs/testing.md lists them). Each was checked by putting its mutant back and seeing it fail."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from taskctl.cli import cli
from taskctl.errors import InputError
from taskctl.loader import loads

LIST = """\
标题: 测试清单
年度: 2023
groups:
  各 镇 街道: [八角台街道, 台东街道]
sections:
- 编号: 一
  标题: 城市建设
  项数: 3
  任务:
  - 序号: 1
    年度任务目标: 新建5G基站200个
    责任领导: [张辉]
    牵头部门: [住建局]
    责任部门: [各有关部门, 财政局]
  - 序号: 2
    年度任务目标: 推进棚户区改造
    责任领导: [李明]
    牵头部门: [各有关部门]
    责任部门: [各镇街道, 财政局]
  - 序号: 3
    年度任务目标: 加强预算管理
    责任领导: [李明]
    牵头部门: [财政局]
    责任部门: [住建局]
"""


# query -------------------------------------------------------------------------------------


def test_an_id_range_of_a_million_and_one_is_the_largest_accepted():
    from taskctl.query import parse_ids

    assert len(parse_ids("1-1000001")) == 1_000_001
    with pytest.raises(InputError, match="过大"):
        parse_ids("1-1000002")


def test_a_blanket_word_spelled_out_in_groups_with_spaces_is_not_open():
    from taskctl.query import open_groups

    assert open_groups(loads(LIST)) == {"各有关部门"}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("lead", [(2, "lead")]),
        ("support", [(1, "support")]),
        ("all", [(1, "support"), (2, "lead")]),
    ],
)
def test_open_group_tasks_follow_the_role(role, expected):
    from taskctl.query import open_group_tasks

    rows = open_group_tasks(loads(LIST), role=role)
    assert [(r.task.id, r.role) for r in rows] == expected
    assert {r.via for r in rows} == {"各有关部门"}


def test_the_department_directory_lists_the_busiest_first():
    from taskctl.query import department_directory

    rows = department_directory(loads(LIST))
    assert [(r.name, r.lead, r.support, r.via_group) for r in rows] == [
        ("财政局", 1, 2, 0),
        ("住建局", 1, 1, 0),
        ("各有关部门", 1, 1, 0),
        ("各镇街道", 0, 1, 0),
        ("八角台街道", 0, 0, 1),
        ("台东街道", 0, 0, 1),
    ]


NESTED = """\
标题: 区清单
sections:
- 编号: 一（一）
  标题: 民生
  原文: （一）民生
  上级: [一、推动 经济发展]
  项数: null
  任务:
  - {序号: 1, 年度任务目标: 新建学校, 责任领导: [张伟], 牵头部门: [教育局], 责任部门: []}
- 编号: 一（二）
  标题: 保障民生
  原文: （二）保障民生
  上级: [一、推动 经济发展]
  项数: null
  任务:
  - {序号: 2, 年度任务目标: 新建医院, 责任领导: [张伟], 牵头部门: [卫健局], 责任部门: []}
- 编号: 二
  标题: 生态
  项数: null
  任务:
  - {序号: 3, 年度任务目标: 植树, 责任领导: [李梅], 牵头部门: [林业局], 责任部门: []}
"""


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("推动经济", [1, 2]),
        ("民生", [1, 2]),
        ("保障民生", [2]),
        ("（二）", [2]),
        ("(二)", [2]),
        ("二", [3]),
    ],
)
def test_nested_parts_are_found_by_any_word_of_any_heading_above_them(runner, tmp_path, query, ids):
    import json

    path = tmp_path / "tasks.yaml"
    path.write_text(NESTED, encoding="utf-8")
    result = runner.invoke(
        cli, ["list", "--file", str(path), "--section", query, "--format", "json"]
    )
    assert result.exit_code == 0, result.stderr
    assert [r["id"] for r in json.loads(result.stdout)] == ids


# collect -----------------------------------------------------------------------------------


def collect_result(tmp_path, unit: str, text: str, tasklist=None):
    import datetime as dt

    from taskctl.collect import collect
    from taskctl.loader import load
    from taskctl.period import parse_period
    from tests.conftest import BUNDLED

    reply = tmp_path / f"{unit}.csv"
    reply.write_text(text, encoding="utf-8")
    now = dt.datetime(2023, 6, 30, 17, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    return collect(
        [reply],
        tasklist or load(BUNDLED),
        [],
        period=parse_period(week="2023-W26"),
        by=unit,
        now=now,
    )


def collect_csv(tmp_path, unit: str, text: str, tasklist=None):
    (got,) = collect_result(tmp_path, unit, text, tasklist).replies
    return got


def test_a_reply_typed_with_spaces_around_its_cells_is_read_as_meant(tmp_path):
    got = collect_csv(tmp_path, "住建局", "序号,状态,进度,进展情况\n 31 , 序时推进 , 20 , 开工 \n")
    assert got.problems == []
    assert [(e.id, e.status, e.progress, e.note) for e in got.entries] == [
        (31, "序时推进", 20, "开工")
    ]


def test_a_task_of_another_unit_names_the_first_twelve_of_the_units_own(tmp_path):
    got = collect_csv(tmp_path, "住建局", "序号,状态,进度,进展情况\n2,序时推进,20,开工\n")
    assert got.problems == [
        f"{tmp_path / '住建局.csv'} 第 2 行：序号 2 不是 住建局 的任务"
        "（住建局 的任务为 31、39、57、58、59、60、62、63、64、65、88、93…）"
    ]


@pytest.mark.parametrize(("held", "shown"), [(12, "12）"), (13, "12…）")])
def test_a_task_of_another_unit_names_at_most_twelve_of_the_units_own(tmp_path, held, shown):
    tasks = "".join(
        f"  - {{序号: {i}, 年度任务目标: 任务{i}, 责任领导: [张伟], "
        f"牵头部门: [{'住建局' if i <= held else '财政局'}], 责任部门: []}}\n"
        for i in range(1, 15)
    )
    groups = "groups:\n  县直各部门: [审计局]\n"
    tasklist = loads(
        f"标题: 测试清单\n{groups}sections:\n- 编号: 一\n  标题: 建设\n  任务:\n{tasks}"
    )
    got = collect_csv(tmp_path, "住建局", "序号,状态,进度\n14,序时推进,20\n", tasklist)
    assert got.problems[0].endswith(
        f"序号 14 不是 住建局 的任务（住建局 的任务为 1、2、3、4、5、6、7、8、9、10、11、{shown}"
    )
    nobody = collect_csv(tmp_path, "审计局", "序号,状态,进度\n14,序时推进,20\n", tasklist)
    assert (nobody.problems, nobody.refused) == (
        [f"{tmp_path / '审计局.csv'}：审计局 在本清单中没有任务；请核对单位名称"],
        True,
    )


def test_a_progress_that_is_no_whole_number_refuses_the_row(tmp_path):
    got = collect_csv(tmp_path, "住建局", "序号,状态,进度\n31,序时推进,二十\n39,序时推进,20.5\n")
    shown = tmp_path / "住建局.csv"
    assert (got.problems, got.entries) == (
        [
            f"{shown} 第 2 行：进度「二十」应为 0 到 100 的整数",
            f"{shown} 第 3 行：进度「20.5」应为 0 到 100 的整数",
        ],
        [],
    )


def test_a_row_with_a_bad_id_gets_its_one_problem_and_no_more(tmp_path):
    got = collect_csv(tmp_path, "住建局", "序号,状态,进度\n三十一,序时推进,20\n2,滞后,20\n")
    shown = tmp_path / "住建局.csv"
    assert got.problems[0] == f"{shown} 第 2 行：序号「三十一」应为整数（分项写 5.2）"
    assert [p.split("：")[0] for p in got.problems] == [f"{shown} 第 2 行", f"{shown} 第 3 行"]


def test_a_unit_replying_outside_the_role_collected_is_still_named_as_reported(tmp_path):
    from tests.test_protected_behaviours import LIST as TOWNS

    text = "序号,状态,进度\n2,序时推进,20\n"
    result = collect_result(tmp_path, "八角台街道", text, loads(TOWNS.format(year=2023)))
    assert [e.id for r in result.replies for e in r.entries] == [2]
    assert (result.reported, result.owed) == (["八角台街道"], ["住建局", "财政局"])


def test_a_row_already_refused_is_not_checked_any_further(tmp_path):
    got = collect_csv(tmp_path, "住建局", "序号,状态,进度\n2,已完成,20\n31,已完成,150\n")
    shown = tmp_path / "住建局.csv"
    assert [p.split("：")[0] for p in got.problems] == [f"{shown} 第 2 行", f"{shown} 第 3 行"]


# forms -------------------------------------------------------------------------------------


def test_the_form_shows_its_title_centred_and_which_columns_to_fill():
    import io

    import openpyxl

    from taskctl.forms import FILL_COLOUR, HEADER_COLOUR, build_forms, form_xlsx
    from taskctl.period import parse_period

    (form,) = build_forms(loads(LIST), [], parse_period(week="2023-W26"), only=["住建局"])
    sheet = openpyxl.load_workbook(io.BytesIO(form_xlsx(form)))["填报"]
    assert sheet["A1"].alignment.horizontal == "center"
    # one page wide, as many pages tall as the unit's tasks need (never shrunk onto one)
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    header = [(c.value, c.fill.fgColor.rgb[-6:]) for c in sheet[4]]
    assert [h for h, colour in header if colour == FILL_COLOUR] == [
        "本期状态",
        "本期进度",
        "进展情况",
        "存在问题",
        "下一步措施",
        "佐证材料",
    ]
    assert all(colour == HEADER_COLOUR for h, colour in header[:8])
    # the status and the percentage are centred; what units write at length starts top left
    assert [(c.alignment.horizontal, c.alignment.vertical) for c in sheet[5]][8:] == [
        ("center", "center"),
        ("center", "center"),
        (None, "top"),
        (None, "top"),
        (None, "top"),
        (None, "top"),  # 佐证材料
    ]


# remind ------------------------------------------------------------------------------------


def test_remind_chases_a_task_due_today_and_files_a_lead_written_with_spaces_under_its_name():
    import datetime as dt

    from taskctl.progress import Entry
    from taskctl.remind import notices

    text = LIST.replace(
        "    牵头部门: [财政局]\n", "    牵头部门: [财 政局]\n    完成时限: 2023-07-31\n"
    )
    tasklist = loads(text.replace("    牵头部门: [各有关部门]\n", "    牵头部门: [财政局]\n"))
    as_of = dt.date(2023, 7, 31)
    entries = [Entry(i, as_of, "序时推进", 95) for i in (1, 2, 3)]
    found = [
        (n.unit, item.state.task.id, item.reasons)
        for n in notices(tasklist, entries, as_of)
        for item in n.items
    ]
    assert found == [("财政局", 3, ("距完成时限 0 天",))]


# export ------------------------------------------------------------------------------------

TWO_UNIT_COLUMNS = """\
标题: 区清单
年度: 2023
原表列:
  序号: 序号
  重点工作: 年度任务目标
  完成时限: 完成时限
  责任单位: 责任部门
  配合单位: 责任部门
sections:
- 编号: 一
  标题: 建设
  项数: null
  任务:
  - {序号: 1, 年度任务目标: 建学校, 责任领导: [], 牵头部门: [], 责任部门: [教育局, 财政局]}
  - {序号: 2, 年度任务目标: 建医院, 责任领导: [], 牵头部门: [], 责任部门: [卫健局],
     完成时限: 2023-06-30}
"""


def test_an_export_with_two_unit_columns_writes_the_names_under_the_first():
    import csv
    import io

    from taskctl.export import export

    text = export(loads(TWO_UNIT_COLUMNS), "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["序号", "部分", "重点工作", "完成时限", "责任单位", "配合单位"]
    assert [row[4:] for row in rows[1:]] == [["教育局\n财政局", ""], ["卫健局", ""]]


def test_the_ledger_greys_only_the_year_end_standing_in_for_a_missing_deadline():
    import datetime as dt
    import io

    import openpyxl

    from taskctl.export import export, status_columns
    from taskctl.tracking import task_states

    tasklist = loads(TWO_UNIT_COLUMNS)
    states = task_states(tasklist, [], dt.date(2023, 6, 1))
    book = openpyxl.load_workbook(
        io.BytesIO(export(tasklist, "xlsx", None, status_columns(states)))
    )
    sheet = book.worksheets[0]
    cells = [sheet.cell(r, 4) for r in (3, 4)]
    assert [c.value.date() for c in cells] == [dt.date(2023, 12, 31), dt.date(2023, 6, 30)]
    grey = [str(c.font.color.rgb if c.font.color else "").endswith("808080") for c in cells]
    assert grey == [True, False]


# report_docx -------------------------------------------------------------------------------


def _notice_styles():
    import io

    import docx

    from taskctl.report_docx import blocks_docx

    blocks = [
        ("h1", "催办通知"),
        ("to", "财政局："),
        ("h2", "一"),
        ("h3", "二"),
        ("p", "正文 ABC 123"),
    ]
    return docx.Document(io.BytesIO(blocks_docx(blocks, "催办通知"))).styles


@pytest.mark.parametrize("name", ["Normal", "公文标题", "Heading 1", "Heading 2"])
def test_each_style_names_its_fonts_once_latin_in_times_new_roman(name):
    from docx.oxml.ns import qn

    rpr = _notice_styles()[name].element.rPr
    (fonts,) = rpr.findall(qn("w:rFonts"))  # a second w:rFonts makes the file invalid
    assert {attr: fonts.get(qn(f"w:{attr}")) for attr in ("ascii", "hAnsi", "cs")} == dict.fromkeys(
        ("ascii", "hAnsi", "cs"), "Times New Roman"
    )


def test_only_the_headings_carry_an_outline_level():
    from docx.oxml.ns import qn

    found = {
        style.name: level.get(qn("w:val"))
        for style in _notice_styles()
        if style.element.pPr is not None
        and (level := style.element.pPr.find(qn("w:outlineLvl"))) is not None
    }
    assert all(value.isdigit() for value in found.values()), found
    assert {name: found.get(name) for name in ("Normal", "公文标题", "表格文字", "表格标题")} == (
        dict.fromkeys(("Normal", "公文标题", "表格文字", "表格标题"))
    )
    assert found["Heading 1"] == "0" and found["Heading 2"] == "1"


def test_the_document_defaults_to_chinese_for_east_asian_line_breaking():
    from docx.oxml.ns import qn

    defaults = _notice_styles().element.find(qn("w:docDefaults"))
    lang = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert (lang.get(qn("w:val")), lang.get(qn("w:eastAsia"))) == ("en-US", "zh-CN")


def test_report_tables_have_a_fixed_layout_as_wide_as_the_text():
    import io

    import docx
    from docx.oxml.ns import qn

    from taskctl.report_docx import blocks_docx

    blocks = [("h1", "通报"), ("table", (["序号", "年度任务目标"], [["1", "新建5G基站"]]))]
    document = docx.Document(io.BytesIO(blocks_docx(blocks, "通报")))
    (table,) = document.tables
    layout = table._tbl.tblPr.find(qn("w:tblLayout"))
    assert layout is not None and layout.get(qn("w:type")) == "fixed"


def test_headings_are_indented_two_characters_like_the_body():
    from docx.shared import Pt

    from taskctl.report_docx import BODY_PT, CONDENSE_TWIPS

    styles = _notice_styles()
    indents = {
        n: styles[n].paragraph_format.first_line_indent
        for n in ("Normal", "Heading 1", "Heading 2")
    }
    # two characters of the grid's pitch (16 pt condensed to 28 a line)
    pitch = BODY_PT + CONDENSE_TWIPS / 20
    assert indents == dict.fromkeys(("Normal", "Heading 1", "Heading 2"), Pt(pitch * 2))


# period ------------------------------------------------------------------------------------


@pytest.mark.parametrize("given", ["since", "until"])
def test_a_period_given_one_end_only_asks_for_the_other(given):
    import datetime as dt

    from taskctl.period import parse_period

    with pytest.raises(InputError) as caught:
        parse_period(**{given: dt.date(2023, 6, 1)})
    assert caught.value.message == (
        "--since 与 --until 须同时写明，如 --since 2023-06-01 --until 2023-06-15"
    )


@pytest.mark.parametrize("month", ["2023-01", "2023-12", "2023年1月"])
def test_the_first_and_last_months_are_periods(month):
    from taskctl.period import parse_period

    period = parse_period(month=month)
    assert period.label[:5] == "2023-" and period.start.day == 1
    assert (period.end - period.start).days == 30


@pytest.mark.parametrize("month", ["2023-00", "2023-13"])
def test_month_zero_and_thirteen_are_refused(month):
    from taskctl.period import parse_period

    with pytest.raises(InputError, match="应写成 2023-06"):
        parse_period(month=month)


# cache -------------------------------------------------------------------------------------


def test_a_load_served_from_the_cache_leaves_the_garbage_collector_on(tmp_path):
    import gc

    from taskctl.loader import load

    path = tmp_path / "tasks.yaml"
    path.write_text(LIST, encoding="utf-8")
    first = load(path)
    assert any(Path(os.environ["TASKCTL_CACHE_DIR"]).iterdir())  # the next load is a cached one
    assert gc.isenabled()
    assert load(path) == first
    assert gc.isenabled()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_a_cache_folder_owned_by_someone_else_is_not_used(runner, tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    os.chown(folder, 54321, 54321)
    monkeypatch.setenv("TASKCTL_CACHE_DIR", str(folder))
    path = tmp_path / "tasks.yaml"
    path.write_text(LIST, encoding="utf-8")
    result = runner.invoke(cli, ["list", "--file", str(path), "--format", "tsv"])
    assert result.exit_code == 0, result.stderr
    assert list(folder.iterdir()) == []


# importers ---------------------------------------------------------------------------------


def test_a_column_kept_verbatim_under_a_reserved_heading_keeps_it_apart(runner, tmp_path):
    from taskctl.loader import load

    source = tmp_path / "台账.csv"
    source.write_text(
        "序号,重点工作,牵头单位,完成时限\n1,建设5G基站,工信局,年底前\n", encoding="utf-8"
    )
    out = tmp_path / "tasks.yaml"
    result = runner.invoke(
        cli, ["import", str(source), "-o", str(out), "--columns", "保留=完成时限"]
    )
    assert result.exit_code == 0, result.stderr
    (task,) = load(out).tasks
    assert (task.deadline, task.extra["完成时限（原表列）"]) == (None, "年底前")


def test_an_unnumbered_part_in_a_path_is_numbered_under_its_parent(runner, tmp_path):
    from taskctl.loader import load

    source = tmp_path / "台账.csv"
    source.write_text(
        "序号,部分,重点工作,牵头单位\n1,一、经济发展 > 重点项目,建设5G基站,工信局\n2,二、民生,建学校,教育局\n",
        encoding="utf-8",
    )
    out = tmp_path / "tasks.yaml"
    result = runner.invoke(cli, ["import", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert [(s.numeral, s.title, s.path) for s in load(out).sections] == [
        ("一·1", "重点项目", ("一、经济发展",)),
        ("二", "民生", ()),
    ]


@pytest.mark.xfail(
    strict=True,
    reason="known bug (issue 27 report): each path re-opens its parent, so two unnumbered "
    "parts under one parent both become 一·1 and the import is refused",
)
def test_two_unnumbered_parts_under_one_parent_are_numbered_apart(runner, tmp_path):
    from taskctl.loader import load

    source = tmp_path / "台账.csv"
    source.write_text(
        "序号,部分,重点工作,牵头单位\n"
        "1,一、经济发展 > 重点项目,建设5G基站,工信局\n"
        "2,一、经济发展 > 民生实事,建学校,教育局\n",
        encoding="utf-8",
    )
    out = tmp_path / "tasks.yaml"
    result = runner.invoke(cli, ["import", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert [s.numeral for s in load(out).sections] == ["一·1", "一·2"]


def test_a_numbered_point_in_the_task_column_continues_the_item_and_a_heading_opens_a_part(
    runner, tmp_path
):
    from taskctl.loader import load

    source = tmp_path / "台账.csv"
    source.write_text(
        "序号,重点工作,牵头单位\n,一、经济,\n1,建设5G基站,工信局\n,1.城区全覆盖,\n"
        ",二、民生,\n2,建学校,教育局\n",
        encoding="utf-8",
    )
    out = tmp_path / "tasks.yaml"
    result = runner.invoke(cli, ["import", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    tasklist = load(out)
    assert [(s.numeral, [t.id for t in s.tasks]) for s in tasklist.sections] == [
        ("一", [1]),
        ("二", [2]),
    ]
    assert tasklist.tasks[0].text == "建设5G基站\n1.城区全覆盖"


def test_import_force_clears_the_half_made_backup_a_killed_import_left(runner, tmp_path):
    source = tmp_path / "台账.csv"
    source.write_text("序号,重点工作,牵头单位\n1,建设5G基站,工信局\n", encoding="utf-8")
    out = tmp_path / "tasks.yaml"
    assert runner.invoke(cli, ["import", str(source), "-o", str(out)]).exit_code == 0
    stale = tmp_path / ".taskctl-backup-99999-tasks.yaml"
    stale.write_bytes(out.read_bytes())
    result = runner.invoke(cli, ["import", str(source), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.stderr
    assert not stale.exists()
    assert [p.name for p in tmp_path.glob(".taskctl-backup-*")] == []
    assert (tmp_path / "tasks.yaml.bak").exists()


def test_a_lead_cell_of_blanks_is_chased_as_having_no_lead():
    import datetime as dt

    from taskctl.remind import NO_UNIT, notices

    tasklist = loads(LIST.replace("    牵头部门: [住建局]\n", "    牵头部门: [' ', '　']\n"))
    units = {
        n.unit: [i.state.task.id for i in n.items]
        for n in notices(tasklist, [], dt.date(2023, 7, 1))
    }
    assert units[NO_UNIT] == [1] and "" not in units


def test_the_history_sheet_is_titled_above_its_headings():
    import datetime as dt
    import io

    import openpyxl

    from taskctl.export import HISTORY_HEADINGS, export
    from taskctl.progress import Entry

    history = [Entry(1, dt.date(2023, 6, 1), "序时推进", 20, by="住建局")]
    book = openpyxl.load_workbook(io.BytesIO(export(loads(LIST), "xlsx", None, (), history)))
    sheet = book.worksheets[-1]
    assert sheet["A1"].value == "填报记录" and sheet["A1"].font.b
    assert [c.value for c in sheet[2]][: len(HISTORY_HEADINGS)] == list(HISTORY_HEADINGS)


def _import_twice(runner, tmp_path, edit):
    """Import a CSV, edit the written list by hand (``edit``), import again with --force:
    the notes of the second import, one per line."""
    source = tmp_path / "台账.csv"
    source.write_text("序号,重点工作,牵头单位\n1,建设5G基站,工信局\n2,规划评估,发改局\n")
    out = tmp_path / "tasks.yaml"
    assert runner.invoke(cli, ["import", str(source), "-o", str(out)]).exit_code == 0
    out.write_text(edit(out.read_text(encoding="utf-8")), encoding="utf-8")
    result = runner.invoke(cli, ["import", str(source), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.stderr
    notes = result.stderr.splitlines()
    # what the import says of the list it replaces, after its summary of the columns
    first = next(i for i, n in enumerate(notes) if n.startswith(("沿用原清单", "原清单")))
    return out, notes[first:]


def test_import_force_carries_groups_and_deadlines_and_counts_the_comments_it_drops(
    runner, tmp_path
):
    from taskctl.loader import load

    def edit(text):
        text = text.replace(
            "groups: {}\n",
            "groups:\n  各镇街道: [八角台街道]  # 问过民政局\n# 经开区的任务由李主任跟\n",
        )
        return text.replace(
            "年度任务目标: 建设5G基站", "年度任务目标: 建设 5G基站\n    完成时限: 2023-06-30"
        )

    out, notes = _import_twice(runner, tmp_path, edit)
    assert notes[:4] == [
        "沿用原清单的 groups（1 个统称）",
        "沿用原清单中手工添加的 完成时限（1 项）",
        f"原清单中的 2 行注释无法带入新文件，保留在备份 {out}.bak 中",
        f"原清单已备份为 {out}.bak",
    ]
    tasklist = load(out)
    assert dict(tasklist.groups) == {"各镇街道": ("八角台街道",)}
    assert [t.deadline for t in tasklist.tasks] == [dt.date(2023, 6, 30), None]


def test_import_force_over_a_list_without_groups_or_comments_says_only_the_backup(runner, tmp_path):
    out, notes = _import_twice(runner, tmp_path, lambda text: text)
    assert notes == [f"原清单已备份为 {out}.bak"] or notes[:1] == [f"原清单已备份为 {out}.bak"]


def test_import_force_over_a_list_it_cannot_read_says_so(runner, tmp_path):
    out, notes = _import_twice(runner, tmp_path, lambda text: "sections: [\n")
    assert notes[0] == (
        f"原清单无法读取（{out} 第 2 行：YAML 格式错误：did not find expected node content），"
        "未能沿用其 groups 和 完成时限"
    )


def test_a_paragraph_list_gives_a_part_leader_line_to_the_tasks_under_it(runner, tmp_path):
    from taskctl.loader import load

    source = tmp_path / "清单.txt"
    source.write_text(
        "一、稳增长\n牵头领导：王某\n1.新建5G基站。\n牵头单位：工信局\n"
        "   二、民生   \n2.建学校。\n牵头单位：教育局\n",
        encoding="utf-8",
    )
    out = tmp_path / "tasks.yaml"
    assert runner.invoke(cli, ["import", str(source), "-o", str(out)]).exit_code == 0
    tasklist = load(out)
    assert [(t.id, t.leaders, t.lead_departments) for t in tasklist.tasks] == [
        (1, ("王某",), ("工信局",)),
        (2, (), ("教育局",)),
    ]
    assert [(s.numeral, s.title) for s in tasklist.sections][-1] == ("二", "民生")


def test_a_bold_paragraph_between_tasks_is_a_heading_not_more_text():
    from taskctl.importers.paragraphs import paragraph_rows

    rows = paragraph_rows(
        [("1.新建5G基站。", 1, False), ("重点项目", 2, True), ("2.建学校。", 3, False)]
    )
    assert [(r.cells, r.bold) for r in rows] == [
        ((("序号",), ("任务",)), False),
        ((("1",), ("新建5G基站。",)), False),
        ((("重点项目",),), True),
        ((("2",), ("建学校。",)), False),
    ]


def test_a_paragraph_list_without_part_headings_still_gives_its_tasks():
    from taskctl.importers.paragraphs import paragraph_rows

    rows = paragraph_rows([("说明", 1, False), ("1.新建5G基站。（牵头单位：工信局）", 2, False)])
    assert [r.cells for r in rows] == [
        (("说明",),),
        (("序号",), ("任务",), ("牵头单位",)),
        (("1",), ("新建5G基站。",), ("工信局",)),
    ]
    assert [r.cells for r in paragraph_rows([("说明", 1, False), ("一、稳增长", 2, False)])] == [
        (("说明",),)
    ]


def test_a_tsv_named_in_capitals_is_read_as_tab_separated(runner, tmp_path):
    from taskctl.loader import load

    source = tmp_path / "台账.TSV"
    source.write_text(
        "序号\t重点工作\t牵头单位\n1\t建设5G基站，城区全覆盖\t工信局\n", encoding="utf-8"
    )
    out = tmp_path / "tasks.yaml"
    result = runner.invoke(cli, ["import", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert [(t.text, t.lead_departments) for t in load(out).tasks] == [
        ("建设5G基站，城区全覆盖", ("工信局",))
    ]


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        (b"\n\xe5\xbb\xba\xff\xff\n", 2),  # not UTF-8 nor GB18030, after a blank first line
        (b"\xe5\xba\x8f\xe5\x8f\xb7\n1\n2\x00\n", 3),  # a NUL on line 3
        (b"\x00", 1),
        (b"\n\x00", 2),
    ],
)
def test_a_file_that_is_no_text_is_refused_naming_the_line(tmp_path, raw, line):
    from taskctl.errors import DataFileError
    from taskctl.importers.encoding import decode

    with pytest.raises(DataFileError) as caught:
        decode(raw, tmp_path / "台账.csv")
    assert caught.value.line == line


def test_the_tab_text_export_keeps_its_last_row_without_a_blank_line_after_it():
    from taskctl.importers.text import parse_text

    text = "\t序号\n\t年度任务目标\n\t牵头部门\n\n\t一、稳增长\n\n\t1\n\t新建5G基站\n\t工信局"
    tasklist = parse_text(text)
    assert [(t.id, t.text, t.lead_departments) for t in tasklist.tasks] == [
        (1, "新建5G基站", ("工信局",))
    ]


def test_a_paragraph_list_of_tasks_without_labels_is_read_as_paragraphs():
    from taskctl.importers.text import parse_text

    tasklist = parse_text("一、稳增长\n1.新建5G基站。\n2.建学校。\n")
    assert [(t.id, t.text) for t in tasklist.tasks] == [(1, "新建5G基站。"), (2, "建学校。")]


@pytest.mark.parametrize(("text", "line"), [("一\n\n二\x00", 3), ("\x00", 1), ("\n\x00", 2)])
def test_text_holding_a_nul_is_refused_naming_its_line(text, line):
    from taskctl.errors import DataFileError
    from taskctl.importers.text import parse_text

    with pytest.raises(DataFileError) as caught:
        parse_text(text)
    assert caught.value.line == line
