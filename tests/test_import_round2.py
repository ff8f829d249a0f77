"""Real lists, round 2 (issue 24): the headings, numbering and notes more offices use.

Each layout is built in code (tests/layouts.py: H–K) and every field of every task is checked.
"""

from __future__ import annotations

import datetime as dt

import layouts
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taskctl.cli import cli
from taskctl.importers import read_source
from taskctl.importers.deadlines import parse_phrase
from taskctl.importers.roles import category_values, choose
from taskctl.importers.split import ETC_WORDS, split_cell
from taskctl.importers.table import named_leaders
from taskctl.loader import load
from taskctl.model import Section, Task

D = dt.date
THIS_YEAR = dt.date.today().year
RULE = "列第一位的为牵头单位"


def _extras(tasklist):
    return [dict(task.extra) for task in tasklist.tasks]


# --- H: category column, 内容与要求, 责任\n单位, leaders in part headings, rule in a cell -------


def test_goals_word_list(tmp_path):
    path = tmp_path / "目标任务.docx"
    layouts.goals_docx(path)
    result = read_source(path)
    tl = result.tasklist
    assert (tl.attachment, tl.title, tl.year, tl.rules) == (
        "附件2",
        "某县2024年政府工作报告目标任务分解表",
        2024,
        (RULE,),
    )
    parent = "二、保障和改善民生"
    assert tl.sections == (
        Section("一", "王某某县长主抓重点工作", None, (
            Task(1, "地区生产总值增长6%左右，规模以上工业增加值增长8%", ("王某某",), ("县发改局",), ("县统计局", "县工信局"), "一", D(2024, 12, 31)),
            Task(2, "固定资产投资增长10%，新开工亿元以上项目30个", ("王某某",), ("县发改局",), ("经开区管委会",), "一", D(2024, 12, 31)),
            Task(3, "一般公共预算收入增长5%", ("王某某",), ("县税务局",), ("县财政局",), "一", D(2024, 12, 31)),
        )),
        Section("二（一）", "李某某副县长分管", None, (
            Task(4, "城镇新增就业3000人", ("李某某",), ("县人社局",), ("各乡镇",), "二（一）", D(2024, 12, 31)),
            Task(5, "新建改建农村公路100公里", ("李某某",), ("县交通运输局",), ("县财政局",), "二（一）", D(2024, 10, 31)),
        ), (parent,), "（一）李某某副县长分管"),
        Section("二（二）", "优化县长热线服务", None, (
            Task(6, "12345热线按时办结率达到95%", (), ("县政务服务中心",), (), "二（二）", D(2024, 12, 31)),
        ), (parent,), "（二）优化县长热线服务"),
    )  # fmt: skip
    assert _extras(tl) == [
        {"目标类型": "A类", "完成时限说明": "2024", "责任部门原文": "县发改局（列第一位者为工作牵头单位或汇总单位，下同）、县统计局、县工信局"},
        {"目标类型": "B类", "完成时限说明": "12月底前", "责任部门原文": "县发改局、经开区管委会等"},
        {"目标类型": "A类", "完成时限说明": "2024", "责任部门原文": "县税务局、县财政局"},
        {"目标类型": "A类", "完成时限说明": "年底前", "责任部门原文": "县人社局、各乡镇"},
        {"目标类型": "B类", "完成时限说明": "10月底前", "责任部门原文": "县交通运输局，县财政局等"},
        {"目标类型": "B类", "完成时限说明": "全年"},
    ]  # fmt: skip
    assert tl.columns == (
        ("序号", "序号"),
        ("目标类型", "目标类型"),
        ("内容与要求", "年度任务目标"),
        ("责任\n单位", "责任部门"),
        ("完成时限", "完成时限"),
    )
    assert result.summary.lines() == [
        "读取 10 行：6 项任务，3 个部分",
        "列：",
        "  序号 → 序号（标题为“序号”）",
        "  目标类型 → 原样保留（只有 A类、B类 2 种短值反复出现，是分类，不作任务）",
        "  内容与要求 → 年度任务目标（标题含“内容”）",
        "  责任 单位 → 责任部门（标题含“单位”）",
        "  完成时限 → 完成时限（标题含“时限”）",
        "注意：第 6 行的责任 单位中注明「列第一位者为工作牵头单位或汇总单位」："
        "按「列第一位的为牵头单位」，各项责任单位的第一个记为牵头部门",
    ]


def test_goals_list_reads_back_from_its_excel_export(tmp_path):
    from taskctl.export import export

    source = tmp_path / "目标任务.docx"
    layouts.goals_docx(source)
    tl = read_source(source).tasklist
    out = tmp_path / "台账.xlsx"
    out.write_bytes(export(tl, "xlsx"))
    back = read_source(out).tasklist
    assert (back.sections, back.rules, back.year) == (tl.sections, tl.rules, tl.year)
    assert _extras(back) == _extras(tl)


def test_a_heading_over_two_lines_is_exported_over_two_lines(tmp_path):
    import openpyxl

    from taskctl.export import ROW_LINE_PT, export

    source = tmp_path / "目标任务.docx"
    layouts.goals_docx(source)
    out = tmp_path / "台账.xlsx"
    out.write_bytes(export(read_source(source).tasklist, "xlsx"))
    sheet = openpyxl.load_workbook(out).active
    header = next(r for r in range(1, 6) if sheet.cell(r, 1).value == "序号")
    at = [c.value for c in sheet[header]].index("责任\n单位") + 1
    assert sheet.cell(header, at).alignment.wrap_text
    assert sheet.row_dimensions[header].height >= 2 * ROW_LINE_PT


# --- I: 项目内容 beside 月度工作计划, 责任\n处室 and 配合科室, a bare year as a number ----------


PROJECT_TASKS = (
    Task(1, "市第一人民医院新院区建设", (), (), ("卫健处", "规划科", "财务科"), "一", D(2023, 12, 31)),
    Task(2, "城北污水处理厂提标改造", (), (), ("城建处", "环保科"), "一", D(2023, 9, 30)),
    Task(3, "智慧停车系统", (), (), ("交通处", "信息中心"), "一", D(2023, 12, 31)),
)  # fmt: skip


def test_projects_excel_plan_column_kept_beside_the_task(tmp_path):
    path = tmp_path / "重点项目.xlsx"
    layouts.projects_xlsx(path)
    result = read_source(path)
    tl = result.tasklist
    assert (tl.title, tl.year, tl.rules) == ("2023年市级重点项目推进表", 2023, ())
    assert tl.sections == (Section("一", "", None, PROJECT_TASKS),)
    assert _extras(tl) == [
        {"完成时限说明": "2023", "月度工作计划": "1月：完成施工图审查\n3月：主体开工\n6月：主体封顶\n12月：完成内部装修"},
        {"完成时限说明": "9月底前", "月度工作计划": "2月：完成招标\n5月：设备进场\n9月：通水调试"},
        {"完成时限说明": "2023年", "月度工作计划": "4月：完成方案\n8月：上线试运行"},
    ]  # fmt: skip
    assert tl.columns == (
        ("序号", "序号"),
        ("项目内容", "年度任务目标"),
        ("月度工作计划", "月度工作计划"),
        ("责任\n处室", "责任部门"),
        ("配合科室", "责任部门"),
        ("完成时间", "完成时限"),
    )
    assert result.summary.lines() == [
        "读取 3 行：3 项任务，1 个部分",
        "列：",
        "  序号 → 序号（标题为“序号”）",
        "  项目内容 → 年度任务目标（标题含“内容”）",
        "  月度工作计划 → 原样保留（标题含“月度”，是推进安排）",
        "  责任 处室 → 责任部门（标题含“处室”）",
        "  配合科室 → 责任部门（标题含“科室”）",
        "  完成时间 → 完成时限（标题含“时间”）",
    ]


def test_columns_by_hand_still_win_and_say_so(tmp_path):
    path = tmp_path / "重点项目.xlsx"
    layouts.projects_xlsx(path)
    result = read_source(path, columns="任务=月度工作计划")
    assert [t.text for t in result.tasklist.tasks][0] == (
        "1月：完成施工图审查\n3月：主体开工\n6月：主体封顶\n12月：完成内部装修"
    )
    assert _extras(result.tasklist)[0]["项目内容"] == "市第一人民医院新院区建设"
    assert result.summary.lines()[3:5] == [
        "  项目内容 → 原样保留（标题含“内容”；任务列已由 --columns 指定）",
        "  月度工作计划 → 年度任务目标（按 --columns 指定）",
    ]


def test_a_name_merged_down_over_an_items_rows_is_no_category(tmp_path):
    """项目名称 merged over the two rows of item 1 reads A, A, B, C: still the task's name."""
    import docx

    document = docx.Document()
    document.add_paragraph("2024年民生实事")
    rows = [
        ["序号", "项目名称", "建设内容", "责任单位"],
        ["1", "城市书房", "新建城市书房2个", "文旅局"],
        ["", "", "改造城市书房1个", "住建局"],
        ["2", "口袋公园", "建成口袋公园5个", "园林局"],
        ["3", "老旧小区", "改造老旧小区8个", "住建局"],
    ]
    table = layouts._docx_table(document, rows)
    layouts._merge_down(table, 0, 1, 2, "1")
    layouts._merge_down(table, 1, 1, 2, "城市书房")
    path = tmp_path / "实事.docx"
    document.save(str(path))
    result = read_source(path)
    assert [(t.title, t.text) for t in result.tasklist.tasks] == [
        ("城市书房", "新建城市书房2个\n改造城市书房1个"),
        ("口袋公园", "建成口袋公园5个"),
        ("老旧小区", "改造老旧小区8个"),
    ]
    assert result.summary.lines()[3] == "  项目名称 → 任务名称（标题含“名称”）"


# --- J: paragraphs numbered （一）（二） and 一是、二是, each followed by 责任单位 -------------


@pytest.mark.parametrize("build", [layouts.numbered_docx, layouts.numbered_txt])
def test_paragraphs_numbered_in_words_each_followed_by_its_units(tmp_path, build):
    path = tmp_path / ("镇清单.docx" if build is layouts.numbered_docx else "镇清单.txt")
    build(path)
    result = read_source(path)
    tl = result.tasklist
    assert (tl.title, tl.year, tl.rules) == (
        "2022年镇政府工作报告重点工作任务分解",
        2022,
        (RULE,),
    )
    assert tl.sections == (
        Section("一", "产业发展", None, (
            Task(1, "新建高标准农田5000亩，完成土地整治2000亩。", (), ("镇农业农村办",), ("镇自然资源所",), "一", D(2022, 10, 31)),
            Task(2, "培育家庭农场20家、农民专业合作社5家。", (), ("镇农业农村办",), (), "一"),
        )),
        Section("二", "张某某镇长主抓基层治理", None, (
            Task(3, "推进网格化管理全覆盖，\n配备专职网格员50名。", ("张某某",), ("镇综治中心",), ("各村",), "二", D(2022, 12, 31)),
            Task(4, "完成村级组织换届后续工作。", ("张某某",), ("镇组织办",), (), "二"),
        )),
    )  # fmt: skip
    assert _extras(tl) == [
        {"完成时限说明": "10月底前", "原编号": "（一）", "责任部门原文": "镇农业农村办（列第一位的为牵头单位，下同）、镇自然资源所"},
        {"原编号": "（二）", "责任部门原文": "镇农业农村办等"},
        {"完成时限说明": "2022", "原编号": "一是", "责任部门原文": "镇综治中心、各村"},
        {"原编号": "二是"},
    ]  # fmt: skip
    assert result.summary.columns[-1] == ("原编号", "原样保留")


def test_a_numbered_paragraph_without_units_is_a_part(tmp_path):
    path = tmp_path / "2021.txt"
    path.write_text(
        "2021年重点工作\n"
        "（一）李某某副县长分管\n"
        "一是新建公租房200套。\n"
        "责任单位：县住建局\n"
        "（二）优化营商环境\n"
        "一是推行证照分离改革。\n"
        "牵头单位：县市场监管局\n",
        encoding="utf-8",
    )
    tl = read_source(path).tasklist
    assert tl.sections == (
        Section("一", "李某某副县长分管", None, (Task(1, "新建公租房200套。", ("李某某",), (), ("县住建局",), "一"),), (), "（一）李某某副县长分管"),
        Section("二", "优化营商环境", None, (Task(2, "推行证照分离改革。", (), ("县市场监管局",), (), "二"),), (), "（二）优化营商环境"),
    )  # fmt: skip
    assert _extras(tl) == [{"原编号": "一是"}, {"原编号": "一是"}]


# --- K: 牵头股室/责任股室, no year anywhere -------------------------------------------------


@pytest.mark.parametrize("year", [None, 2021])
def test_units_under_gushi_and_the_year_when_the_list_names_none(tmp_path, year):
    path = tmp_path / "市场监管局.csv"
    layouts.bureau_csv(path)
    result = read_source(path, year=year)
    tl = result.tasklist
    taken = year or THIS_YEAR
    assert (tl.title, tl.year) == ("", taken)
    assert tl.sections == (
        Section("一", "", None, (
            Task(1, "开展“双随机、一公开”抽查120次", (), ("执法股",), ("综合股", "法规股"), "一", D(taken, 6, 30)),
            Task(2, "办理群众投诉举报", (), ("投诉股",), ("各市场监管所",), "一", D(taken, 12, 31)),
        )),
    )  # fmt: skip
    assert _extras(tl) == [
        {"完成时限说明": "6月底前", "责任部门原文": "综合股、法规股"},
        {"完成时限说明": "全年", "责任部门原文": "各市场监管所等"},
    ]
    assert result.summary.warnings == (
        (f"清单中没有年度，按今年（{THIS_YEAR} 年）计；不对时用 --year YYYY 指定",)
        if year is None
        else ("清单中没有年度，按 --year 取 2021 年",)
    )
    assert result.summary.lines()[4:6] == [
        "  牵头股室 → 牵头部门（标题含“牵头”）",
        "  责任股室 → 责任部门（标题含“股室”）",
    ]


def test_year_option_wins_over_the_document_and_says_so(tmp_path):
    path = tmp_path / "目标任务.docx"
    layouts.goals_docx(path)
    result = read_source(path, year=2025)
    assert result.tasklist.year == 2025
    assert result.tasklist.tasks[4].deadline == D(2025, 10, 31)
    assert "清单写的是 2024 年，按 --year 取 2025 年" in result.summary.warnings
    assert read_source(path, year=2024).summary.warnings == read_source(path).summary.warnings


def test_import_cli_year_option_and_the_line_naming_it(runner, tmp_path):
    source = tmp_path / "市场监管局.csv"
    layouts.bureau_csv(source)
    out = tmp_path / "tasks.yaml"
    result = runner.invoke(cli, ["import", str(source), "-o", str(out)])
    assert (result.exit_code, result.stdout) == (0, "")
    assert (
        f"注意：清单中没有年度，按今年（{THIS_YEAR} 年）计；不对时用 --year YYYY 指定\n"
        in result.stderr
    )
    result = runner.invoke(
        cli, ["import", str(source), "-o", str(out), "--force", "--year", "2021"]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[:8] == [
        "编码：UTF-8（带 BOM）",
        "读取 2 行：2 项任务，1 个部分",
        "列：",
        "  序号 → 序号（标题为“序号”）",
        "  工作事项 → 年度任务目标（标题含“事项”）",
        "  牵头股室 → 牵头部门（标题含“牵头”）",
        "  责任股室 → 责任部门（标题含“股室”）",
        "  完成时限 → 完成时限（标题含“时限”）",
    ]
    assert "注意：清单中没有年度，按 --year 取 2021 年\n" in result.stderr
    assert load(out).year == 2021
    bad = runner.invoke(cli, ["import", str(source), "-o", str(out), "--force", "--year", "24"])
    assert bad.exit_code == 2
    assert "--year" in bad.stderr


# --- a rule written inside the 牵头单位 cell -------------------------------------------------


def test_a_rule_in_the_lead_column_is_kept_as_the_lists_rule(tmp_path):
    path = tmp_path / "2023年.csv"
    path.write_text(
        "序号,重点工作,牵头单位,配合单位\n"
        "1,争取专项债券20亿元,市财政局（排在第一位的为汇总单位，下同）、市发改委,各区政府\n"
        "2,盘活存量资产5亿元,市国资委、市财政局,\n",
        encoding="utf-8",
    )
    result = read_source(path)
    tl = result.tasklist
    assert tl.rules == ("排在第一位的为汇总单位",)
    assert tl.tasks == (
        Task(1, "争取专项债券20亿元", (), ("市财政局", "市发改委"), ("各区政府",), "一"),
        Task(2, "盘活存量资产5亿元", (), ("市国资委", "市财政局"), (), "一"),
    )
    assert _extras(tl) == [
        {"牵头部门原文": "市财政局（排在第一位的为汇总单位，下同）、市发改委"},
        {"牵头部门原文": "市国资委、市财政局"},
    ]
    assert result.summary.warnings[1:] == (
        "第 2 行的牵头单位中注明「排在第一位的为汇总单位」：记入清单的规则，不作单位名称",
    )


# --- the column chooser and the parsers --------------------------------------------------


@pytest.mark.parametrize(
    ("headings", "cells", "roles"),
    [
        (["序号", "内容与要求", "责任单位"], None, ["id", "text", "departments"]),
        (["序号", "工作内容及标准", "责任科室"], None, ["id", "text", "departments"]),
        (["序号", "重点工作", "一季度目标", "二季度目标", "牵头处室"], None, ["id", "text", "extra", "extra", "lead_departments"]),
        (["序号", "工作要求", "责任单位"], None, None),
        (["序号", "目标类型", "工作要求", "责任单位"], [[], ["约束性", "预期性", "预期性"], ["严控新增债务", "确保增长6%", "完成省定任务"], []], ["id", "extra", "text", "departments"]),
        (["序号", "项目名称", "建设内容", "责任单位"], [[], ["新建幼儿园", "改造公园", "新建幼儿园"], ["长句子一", "长句子二", "长句子三"], []], ["id", "extra", "text", "departments"]),
        (["序号", "年度任务目标", "责任单位"], [[], ["甲", "甲", "甲"], []], ["id", "text", "departments"]),
    ],
)  # fmt: skip
def test_choose_by_heading_and_cells(headings, cells, roles):
    chosen = choose(headings, None, cells)
    assert (None if chosen is None else [chosen[i][0] for i in range(len(headings))]) == roles


def test_category_values():
    assert category_values(["A类", "B类", "A类", " A 类"]) == ["A类", "B类"]
    assert category_values(["A类", "B类"]) is None  # two rows say nothing yet
    assert category_values(["新建幼儿园2所", "改造公园3个", "新建幼儿园2所"]) is None
    assert category_values(["一", "二", "三", "四", "五", "六", "一"]) is None


@pytest.mark.parametrize(
    ("heading", "leaders"),
    [
        ("一、王某某市长主抓重点工作", ("王某某",)),
        ("（二）李某某副县长分管", ("李某某",)),
        ("三、王  强市长、刘某副市长主抓", ("王  强", "刘某")),
        ("（一）张某县委常委、常务副县长牵头", ("张某",)),
        ("赵某某区委书记领衔推进", ("赵某某",)),
        ("（二）优化县长热线服务", ()),
        ("（三）深化市长热线改革", ()),
        ("四、推行乡长负责制", ()),
        ("（一）各乡镇镇长负责", ()),
        ("（五）金融办主任牵头", ()),
        ("（二）高新区主任负责", ()),
        ("（一）钟楼街道书记牵头", ()),
        ("五、支部书记、村主任培训", ()),
        ("一、常务副县长分管", ()),
        ("（二）区委书记主抓", ()),
        ("二、优化营商环境", ()),
    ],
)
def test_leaders_named_in_free_form_headings(heading, leaders):
    assert named_leaders(heading) == leaders


_SURNAME = st.sampled_from("王李张刘陈杨黄赵吴周徐孙马胡朱郭何罗高林")
_GIVEN = st.text(st.sampled_from("某伟强敏静丽军勇杰娟涛明超秀霞平刚桂英"), min_size=1, max_size=2)
_TITLE = st.sampled_from(["市长", "副市长", "县长", "副县长", "区长", "副区长", "书记", "主任", "镇长", "乡长", "常务副县长"])  # fmt: skip
_VERB = st.sampled_from(["主抓重点工作", "分管", "牵头", "负责", ""])


@settings(max_examples=200, deadline=None)
@given(_SURNAME, _GIVEN, _TITLE, _VERB, st.sampled_from(["", "一、", "（二）", "3."]))
def test_any_name_with_a_title_in_a_heading_is_its_leader(surname, given, title, verb, number):
    assert named_leaders(f"{number}{surname}{given}{title}{verb}") == (surname + given,)


_WORDS = st.sampled_from(
    ["推进", "深化", "优化", "市长热线", "县长信箱", "河长制", "乡长负责制", "营商环境", "重点项目",
     "主任", "书记", "常务", "建设", "乡村振兴", "基层治理", "各镇镇长", "支部书记", "（", "）", "、"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=6), st.sampled_from(["", "一、", "（二）"]))
def test_ordinary_heading_words_name_no_leader(words, number):
    assert named_leaders(number + "".join(words)) == ()


_SPLITTING = set("、，,；;。．.等各（()）【[】]〔〕\n\r")
_NAME = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=2, max_size=8).filter(
    lambda n: not _SPLITTING & set(n)
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_NAME, min_size=1, max_size=5),
    st.sampled_from(["、", "，", "；", "\n"]),
    st.sampled_from(["等", "等等", "等单位", "等有关部门", "等。"]),
    st.integers(0, 4),
)
def test_a_trailing_deng_goes_from_any_name(names, separator, etc, where):
    """…管委会等 → …管委会, after the last name or any other."""
    at = min(where, len(names) - 1)
    cell = separator.join(n + (etc if i == at else "") for i, n in enumerate(names))
    assert split_cell(cell) == tuple(names)


@pytest.mark.parametrize("word", sorted(ETC_WORDS))
def test_a_word_ending_in_deng_is_kept(word):
    assert split_cell(word) == (word,)
    assert split_cell(f"市发改委、{word}") == ("市发改委", word)


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("市发改委、经开区管委会等", ("市发改委", "经开区管委会")),
        ("经开区管委会等\n市财政局", ("经开区管委会", "市财政局")),
        ("县一中、县二中等", ("县一中", "县二中")),
        ("等", ("等",)),
    ],
)
def test_trailing_deng_examples(cell, names):
    assert split_cell(cell) == names


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1900, 2099),
    st.one_of(st.none(), st.integers(1900, 2099)),
    st.sampled_from(["", " ", "\u3000", "\n"]),
    st.sampled_from(["", "年", "年度"]),
)
def test_a_bare_year_is_its_end(year, list_year, space, unit):
    assert parse_phrase(f"{space}{year}{unit}{space}", list_year) == D(year, 12, 31)


@settings(max_examples=300, deadline=None)
@given(st.integers(1900, 2099), st.sampled_from(["完成{}户", "新增{}个", "{}.6", "{}5", "1{}"]))
def test_a_number_within_words_is_not_a_year(number, form):
    assert parse_phrase(form.format(number), None) is None


_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5).filter(lambda c: c not in "等各是")
_ITEM_TEXT = st.text(_CJK, min_size=2, max_size=20)
_UNIT = st.text(_CJK, min_size=2, max_size=8)
_NUMERALS = "一二三四五六七八九十"


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(_ITEM_TEXT, st.lists(_UNIT, min_size=1, max_size=3)), min_size=1, max_size=4),
        min_size=1,
        max_size=3,
    ),
    st.sampled_from(["（{}）", "{}是"]),
)  # fmt: skip
def test_paragraph_items_numbered_in_words_read_back(sections, style):
    from taskctl.importers.text import parse_text

    lines = ["2024年重点工作"]
    for number, items in enumerate(sections):
        lines.append(f"{_NUMERALS[number]}、部分{number}")
        for index, (text, units) in enumerate(items):
            lines.append(style.format(_NUMERALS[index]) + text + "。")
            lines.append("责任单位：" + "、".join(units))
    tl = parse_text("\n".join(lines))
    flat = [item for items in sections for item in items]
    assert [t.id for t in tl.tasks] == list(range(1, len(flat) + 1))
    assert [t.text for t in tl.tasks] == [text + "。" for text, _ in flat]
    assert [t.departments for t in tl.tasks] == [tuple(units) for _, units in flat]
    assert [t.extra["原编号"] for t in tl.tasks] == [
        style.format(_NUMERALS[index]) for items in sections for index in range(len(items))
    ]
    assert [len(s.tasks) for s in tl.sections] == [len(items) for items in sections]


def test_the_year_from_a_line_above_the_table(tmp_path):
    path = tmp_path / "清单.csv"
    path.write_text(
        "重点工作任务清单,,\n（2023年度）,,\n序号,重点工作,责任单位\n1,修路3公里,交通局\n",
        encoding="utf-8",
    )
    result = read_source(path)
    assert (result.tasklist.title, result.tasklist.year) == ("重点工作任务清单", 2023)
    assert result.summary.warnings == ("标题中没有年度，按「（2023年度）」取 2023 年",)


def test_a_paragraph_numbered_zero_is_no_task():
    """Found by the text fuzz test: 「0.」 made a task with 序号 0 (a table's 序号 0 is refused
    when the list is checked before writing)."""
    from taskctl.errors import TaskctlError
    from taskctl.importers.text import parse_text

    with pytest.raises(TaskctlError):
        parse_text("0.\x01")
