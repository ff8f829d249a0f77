"""Lists as real counties publish them (tests/layouts.py) import right the first time.

Every field of every task is checked: the model fields by equality, ``extra`` (what the model
compares loosely) as a dict of its own.
"""

from __future__ import annotations

import datetime as dt

import layouts
import pytest

from taskctl.errors import DataFileError, InputError
from taskctl.importers import read_source
from taskctl.loader import dumps, load, loads, save
from taskctl.model import Section, Task

D = dt.date


def _extras(tasklist):
    return [dict(task.extra) for task in tasklist.tasks]


def test_district_word_list_nested_parts_section_leaders_and_an_item_over_two_rows(tmp_path):
    path = tmp_path / "2019年分解表.docx"
    layouts.district_docx(path)
    result = read_source(path)
    tl = result.tasklist
    assert (tl.attachment, tl.title, tl.year, tl.rules) == (
        "附件",
        "2019年区政府工作报告重点工作任务分解表",
        2019,
        (),
    )
    parent = "一、推动经济高质量发展（4项）"
    assert tl.sections == (
        Section(
            "一（一）",
            "壮大实体经济",
            None,
            (
                Task(1, "新建5G基站200个，实现城区全覆盖", ("张  伟",), ("区工信局",), ("区发改局", "区住建局", "各街道"), "一（一）", D(2019, 6, 30)),
                Task(2, "新增规模以上工业企业10户", ("张  伟",), ("区工信局",), ("区统计局", "区市场监管局"), "一（一）", D(2019, 12, 31)),
            ),
            (parent,),
            "（一）壮大实体经济",
        ),
        Section(
            "一（二）",
            "优化营商环境（牵头领导：王  强、李  梅）",
            None,
            (
                Task(3, "推行“一网通办”，政务服务事项网上可办率达到90%", ("王  强", "李  梅"), ("区政务服务中心",), ("各有关部门",), "一（二）", D(2019, 12, 31)),
                Task(4, "建成区级企业服务中心\n开展“万人助万企”活动", ("王  强", "李  梅"), ("区发改局", "区工信局"), ("工业园（东山镇）", "区商务局"), "一（二）", D(2019, 9, 30)),
            ),
            (parent,),
            "（二）优化营商环境（牵头领导：王  强、李  梅）",
        ),
        Section(
            "二",
            "保障和改善民生",
            1,
            (Task(5, "改造老旧小区12个", ("赵  刚",), ("区住建局",), ("各街道、社区", "区财政局"), "二", D(2019, 5, 31)),),
        ),
    )  # fmt: skip
    assert _extras(tl) == [
        {"完成时限说明": "2019年6月底前", "责任部门原文": "区发改局，区住建局；各街道"},
        {"完成时限说明": "年底前", "责任部门原文": "区统计局、区市场监管局等"},
        {"完成时限说明": "持续推进"},
        {
            "完成时限说明": "9月投入使用\n一季度",
            "分项": [
                {"年度任务目标": "建成区级企业服务中心", "牵头部门": "区发改局", "责任部门": "工业园（东山镇）", "完成时限": "9月投入使用"},
                {"年度任务目标": "开展“万人助万企”活动", "牵头部门": "区工信局", "责任部门": "区商务局", "完成时限": "一季度"},
            ],
        },
        {"完成时限说明": "5月底前动工", "责任部门原文": "各街道、社区，区财政局"},
    ]  # fmt: skip
    assert tl.columns == (
        ("序  号", "序号"),
        ("重点工作任务", "年度任务目标"),
        ("区政府分管领导", "责任领导"),
        ("主要责任单位", "牵头部门"),
        ("配合单位", "责任部门"),
        ("完成时限", "完成时限"),
    )
    summary = result.summary
    assert (summary.rows, summary.tasks, summary.sections, summary.extra) == (10, 5, 3, ())
    assert summary.lines() == [
        "读取 10 行：5 项任务，3 个部分",
        "列：",
        "  序 号 → 序号（标题为“序号”）",
        "  重点工作任务 → 年度任务目标（标题含“任务”）",
        "  区政府分管领导 → 责任领导（标题含“领导”）",
        "  主要责任单位 → 牵头部门（标题为“主要责任单位”）",
        "  配合单位 → 责任部门（标题含“单位”）",
        "  完成时限 → 完成时限（标题含“时限”）",
    ]


def test_city_excel_title_row_name_and_text_columns_and_kept_columns(tmp_path):
    path = tmp_path / "民生实事.xlsx"
    layouts.city_xlsx(path)
    result = read_source(path)
    tl = result.tasklist
    assert (tl.attachment, tl.title, tl.year) == ("", "2024年市政府民生实事项目清单", 2024)
    assert tl.sections == (
        Section("一", "教育", None, (
            Task(1, "新建公办幼儿园3所，新增学位900个", ("刘  洋",), ("市教育局",), ("市发改委", "市自然资源局"), "一", D(2024, 8, 31)),
            Task(2, "改造中小学食堂20个", ("刘  洋",), ("市教育局",), ("市市场监管局",), "一", D(2024, 6, 30)),
        )),
        Section("二", "医疗", None, (
            Task(3, "建成社区医院5家", ("陈  静",), ("市卫健委",), ("各县、市、区政府",), "二", D(2024, 12, 31)),
        )),
    )  # fmt: skip
    assert _extras(tl) == [
        {"任务名称": "新建幼儿园", "完成时限说明": "2024年8月底前", "责任人": "王晓明", "备注": "续建1所", "责任部门原文": "市发改委、市自然资源局"},
        {"任务名称": "校园食堂提升", "完成时限说明": "上半年", "责任人": "王晓明"},
        {"任务名称": "社区医院建设", "完成时限说明": "全年", "责任人": "李  华", "备注": "省考核指标"},
    ]  # fmt: skip
    assert [t.title for t in tl.tasks] == ["新建幼儿园", "校园食堂提升", "社区医院建设"]
    assert tl.columns[-2:] == (("责任人", "责任人"), ("备  注", "备注"))
    assert result.summary.extra == ("责任人", "备 注")
    assert result.summary.lines()[4:6] == [
        "  项目名称 → 任务名称（标题含“名称”）",
        "  主要内容 → 年度任务目标（标题含“内容”）",
    ]


def test_gbk_csv_from_merged_cells_continues_items_and_warns_of_blank_leaders(tmp_path):
    path = tmp_path / "分解表.csv"
    layouts.county_csv(path)
    result = read_source(path)
    tl = result.tasklist
    assert result.encoding == "GB18030/GBK"
    assert (tl.title, tl.year) == ("2021年县政府工作报告目标任务分解表", 2021)
    assert tl.sections == (
        Section("一", "稳增长促发展", None, (
            Task(1, "全年地区生产总值增长6%", ("孙  海",), ("县发改局",), ("各乡镇、街道",), "一", D(2021, 12, 31)),
            Task(2, "固定资产投资增长8%\n其中工业投资增长10%", (), ("县发改局",), ("县统计局", "县工信局"), "一", D(2021, 12, 31)),
            Task(3, "社会消费品零售总额增长7%", ("周  敏",), ("县商务局",), ("县市场监管局", "县统计局"), "一", D(2021, 9, 30)),
        )),
        Section("二", "防风险保稳定", None, (
            Task(4, "化解政府隐性债务", ("周  敏",), ("县财政局",), ("县审计局", "县金融办"), "二", D(2021, 11, 30)),
        )),
    )  # fmt: skip
    assert _extras(tl) == [
        {"完成时限说明": "全年"},
        {
            "完成时限说明": "12月31日前",
            "分项": [
                {"年度任务目标": "固定资产投资增长8%", "牵头部门": "县发改局", "责任部门": "县统计局", "完成时限": "12月31日前"},
                {"年度任务目标": "其中工业投资增长10%", "责任部门": "县工信局"},
            ],
        },
        {"完成时限说明": "三季度"},
        {"完成时限说明": "2021年11月", "责任部门原文": "县审计局；县金融办。"},
    ]  # fmt: skip
    assert result.summary.warnings == (
        "第 5 行的牵头负责领导为空而上一行有；若原表是合并单元格（另存为 CSV 时只留第一格），"
        "请核对，或改用 .xlsx/.docx 导入",
    )


@pytest.mark.parametrize("flag", [True, False])
def test_first_unit_leads_by_option_or_by_the_list_saying_so(tmp_path, flag):
    path = tmp_path / "镇.docx"
    layouts.first_lead_docx(path)
    result = read_source(path, first_unit_leads=flag)
    tl = result.tasklist
    assert (tl.title, tl.year, tl.rules) == (
        "2022年镇政府重点工作任务清单",
        2022,
        ("列第一位的为牵头单位",),
    )
    assert tl.sections == (
        Section("·1", "乡村振兴", None, (
            Task(1, "新建高标准农田1万亩", (), ("农业农村办",), ("财政所", "自然资源所"), "·1", D(2022, 10, 31)),
            Task(2, "培育家庭农场20家", (), ("农业农村办",), (), "·1", D(2022, 12, 31)),
        ), (), "乡村振兴"),
        Section("·2", "城镇建设", None, (
            Task(3, "完成集镇污水管网改造", (), ("建设办",), ("生态环境办",), "·2", D(2022, 9, 30)),
        ), (), "城镇建设"),
    )  # fmt: skip
    assert _extras(tl) == [
        {"完成时限说明": "10月底前", "责任部门原文": "农业农村办、财政所、自然资源所"},
        {"完成时限说明": "下半年"},
        {"责任部门原文": "建设办，生态环境办"},
    ]
    said = "清单注明「列第一位的为牵头单位」：各项责任单位的第一个记为牵头部门"
    assert (said in result.summary.warnings) is not flag
    assert "规则:\n- 列第一位的为牵头单位\n" in dumps(tl)
    assert loads(dumps(tl)).rules == ("列第一位的为牵头单位",)


def test_first_unit_leads_refused_where_there_is_a_lead_column(tmp_path):
    path = tmp_path / "区.docx"
    layouts.district_docx(path)
    with pytest.raises(InputError, match="已有牵头单位列「主要责任单位」"):
        read_source(path, first_unit_leads=True)


PARAGRAPH_TASKS = (
    Section("一", "扩大有效投资", None, (
        Task(1, "实施重点项目100个，完成投资300亿元。", ("马  林",), ("市发改委",), ("市住建局", "市自然资源局"), "一"),
        Task(2, "新开工城市更新项目15个。", ("马  林",), ("市住建局",), ("各区政府", "市财政局"), "一", D(2020, 10, 31)),
    )),
    Section("二", "提升城市品质", None, (
        Task(3, "建成口袋公园30个，\n新增绿地50公顷。", ("高  峰",), ("市园林局",), ("各区政府",), "二"),
    )),
)  # fmt: skip
PARAGRAPH_EXTRAS = [
    {"责任部门原文": "市住建局、市自然资源局"},
    {"完成时限说明": "2020年10月底前", "责任部门原文": "各区政府，市财政局"},
    {"责任部门原文": "各区政府等"},
]


@pytest.mark.parametrize("suffix", [".docx", ".txt"])
def test_lists_written_as_paragraphs(tmp_path, suffix):
    path = tmp_path / f"分解{suffix}"
    (layouts.paragraphs_docx if suffix == ".docx" else layouts.paragraphs_txt)(path)
    result = read_source(path)
    tl = result.tasklist
    assert (tl.title, tl.year) == ("2020年市政府工作报告重点任务分解", 2020)
    assert tl.sections == PARAGRAPH_TASKS
    assert _extras(tl) == PARAGRAPH_EXTRAS
    assert result.summary.columns == (
        ("序号", "序号"),
        ("任务", "年度任务目标"),
        ("责任领导", "责任领导"),
        ("牵头单位", "牵头部门"),
        ("责任单位", "责任部门"),
        ("完成时限", "完成时限"),
    )


def test_paragraph_text_in_gbk(tmp_path):
    path = tmp_path / "分解.txt"
    layouts.paragraphs_txt(path, "gbk")
    result = read_source(path)
    assert result.encoding == "GB18030/GBK"
    assert result.tasklist.sections == PARAGRAPH_TASKS


def test_several_tables_of_one_layout_are_one_list(tmp_path):
    path = tmp_path / "附件.docx"
    layouts.annexes_docx(path)
    result = read_source(path)
    tl = result.tasklist
    assert (tl.attachment, tl.title, tl.year) == ("附件1", "2023年县政府重点工作任务分解", 2023)
    assert tl.sections == (
        Section("一", "重点工作", None, (
            Task(1, "招商引资到位资金50亿元", ("何  平",), ("招商局",), ("各镇街道",), "一"),
            Task(2, "新增市场主体3000户", ("何  平",), ("市场局",), ("税务局",), "一"),
        )),
        Section("二", "民生实事", None, (Task(3, "新建城市书房2个", ("吴  敏",), ("文旅局",), ("各社区",), "二"),)),
    )  # fmt: skip
    assert _extras(tl) == [{}, {}, {}]
    assert result.summary.tables == (1, 2)
    assert result.summary.lines()[0] == "读取 5 行（表格 1、2）：3 项任务，2 个部分"
    one = read_source(path, table=2).tasklist
    assert [t.id for t in one.tasks] == [3]


def test_tables_of_different_layouts_need_table_n(tmp_path):
    from taskctl.importers.docx import TableInfo, list_tables

    path = tmp_path / "附件.docx"
    layouts.annexes_docx(path, same_layout=False)
    with pytest.raises(DataFileError) as caught:
        read_source(path)
    assert caught.value.message == (
        f"{path}：有 2 张表格，表头不同（表格1：序号/重点工作/责任领导/牵头部门/责任部门；"
        "表格2：序号/民生实事/责任单位）；请用 --table N 选一张导入，或用 --list-tables 查看"
    )
    second = read_source(path, table=2).tasklist
    assert second.tasks == (Task(1, "新建城市书房2个", (), (), ("文旅局",), "一"),)
    with pytest.raises(InputError, match="没有第 3 张表格；本文件的表格为 1–2"):
        read_source(path, table=3)
    assert list_tables(path) == [
        TableInfo(1, "2023年县政府重点工作任务分解", ("序号", "重点工作", "责任领导", "牵头部门", "责任部门"), 4),
        TableInfo(2, "2023年民生实事", ("序号", "民生实事", "责任单位"), 2),
    ]  # fmt: skip


def test_columns_by_hand(tmp_path):
    path = tmp_path / "手工.csv"
    path.write_text(
        "编号,要办的事,谁来办,一起办,截止\n1,修路3公里,交通局,各镇,6月底前\n", encoding="utf-8"
    )
    with pytest.raises(DataFileError, match="找不到可识别的表头"):
        read_source(path)
    result = read_source(
        path, columns="任务=要办的事，牵头部门=谁来办,责任部门=一起办,完成时限=截止"
    )
    this_year = dt.date.today().year
    assert result.tasklist.tasks == (
        Task(1, "修路3公里", (), ("交通局",), ("各镇",), "一", D(this_year, 6, 30)),
    )
    assert dict(result.tasklist.tasks[0].extra) == {"完成时限说明": "6月底前"}
    assert result.tasklist.columns == (
        ("编号", "序号"),
        ("要办的事", "年度任务目标"),
        ("谁来办", "牵头部门"),
        ("一起办", "责任部门"),
        ("截止", "完成时限"),
    )
    assert result.tasklist.year == this_year
    assert result.summary.warnings == (
        f"清单中没有年度，按今年（{this_year} 年）计；不对时用 --year YYYY 指定",
    )
    assert read_source(
        path, year=2021, columns="任务=要办的事，牵头部门=谁来办"
    ).summary.warnings == ("清单中没有年度，按 --year 取 2021 年",)
    with pytest.raises(DataFileError, match="找不到含有 「不存在」 的表头行"):
        read_source(path, columns="任务=不存在")
    with pytest.raises(InputError, match="不认识的角色「谁」"):
        read_source(path, columns="谁=要办的事")


def test_yaml_keeps_headings_parts_and_rows_and_loads_back(tmp_path):
    for name, build in (
        ("a.docx", layouts.district_docx),
        ("b.xlsx", layouts.city_xlsx),
        ("c.csv", layouts.county_csv),
        ("d.docx", layouts.first_lead_docx),
    ):
        source = tmp_path / name
        build(source)
        tl = read_source(source).tasklist
        out = tmp_path / f"{name}.yaml"
        save(tl, out)
        back = load(out)
        assert (back.sections, back.columns, back.rules, back.title, back.year) == (
            tl.sections,
            tl.columns,
            tl.rules,
            tl.title,
            tl.year,
        )
        assert _extras(back) == _extras(tl)
        assert dumps(back) == out.read_text(encoding="utf-8")


def test_a_list_that_cannot_be_read_is_one_error_not_half_a_list(tmp_path):
    path = tmp_path / "坏.csv"
    path.write_text("序号,重点工作,牵头单位\n1,修路,交通局\n二,建桥,住建局\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        read_source(path)
    assert caught.value.message == f"{path} 第 3 行：序号应为数字，得到「二」"
    path.write_text("序号,重点工作,牵头单位\n1,,交通局\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        read_source(path)
    assert caught.value.message == f"{path} 第 2 行：序号 1 没有任务内容"


def test_a_row_naming_a_leader_leads_the_tasks_under_it(tmp_path):
    path = tmp_path / "领导.csv"
    path.write_text(
        "序号,工作任务,牵头单位,责任单位\n"
        "一、项目建设,,,\n"
        "分管领导：钱  进,,,\n"
        "1,开工项目20个,发改局,各镇\n"
        "2,竣工项目10个,发改局,\n",
        encoding="utf-8",
    )
    tl = read_source(path).tasklist
    assert tl.sections == (
        Section(
            "一·1",
            "分管领导：钱  进",
            None,
            (
                Task(1, "开工项目20个", ("钱  进",), ("发改局",), ("各镇",), "一·1"),
                Task(2, "竣工项目10个", ("钱  进",), ("发改局",), (), "一·1"),
            ),
            ("一、项目建设",),
            "分管领导：钱  进",
        ),
    )
    assert _extras(tl) == [{}, {}]


def test_validate_counts_nested_parts_and_flags_a_repeated_number(tmp_path):
    from taskctl.validate import validate

    path = tmp_path / "重复.csv"
    path.write_text(
        "序号,重点工作,责任领导,牵头单位\n"
        "一、稳增长（3项）,,,\n"
        "（一）工业,,,\n"
        "1,技改项目10个,甲,工信局\n"
        "（一）农业,,,\n"
        "2,新建农田1万亩,乙,农业局\n",
        encoding="utf-8",
    )
    tl = read_source(path).tasklist
    assert [(s.numeral, s.path, s.written) for s in tl.sections] == [
        ("一（一）", ("一、稳增长（3项）",), "（一）工业"),
        ("一（一）", ("一、稳增长（3项）",), "（一）农业"),
    ]
    found = [(f.severity, f.code, f.where, f.message) for f in validate(tl)]
    assert found[:2] == [
        ("error", "count-mismatch", "一、稳增长（3项）", "标题写 3 项，其下各部分共列出 2 项"),
        (
            "error",
            "duplicate-section",
            "第一（一）部分",
            "编号重复：「一、稳增长（3项） > （一）农业」与「一、稳增长（3项） > （一）工业」",
        ),
    ]


def test_json_export_keeps_headings_paths_and_rows(tmp_path):
    from taskctl.export import export

    source = tmp_path / "区.docx"
    layouts.district_docx(source)
    tl = read_source(source).tasklist
    out = tmp_path / "list.json"
    out.write_bytes(export(tl, "json"))
    back = read_source(out).tasklist
    assert (back.sections, back.columns, back.rules) == (tl.sections, tl.columns, tl.rules)
    assert _extras(back) == _extras(tl)


def test_four_levels_of_parts_without_leader_or_lead_columns(tmp_path):
    from taskctl.validate import validate

    path = tmp_path / "2025.docx"
    layouts.four_levels_docx(path)
    result = read_source(path)
    tl = result.tasklist
    top, sub, car = "一、着力扩大内需", "（一）提振消费", "1.促进汽车消费"
    assert (tl.title, tl.year) == ("2025年市政府工作报告重点任务清单", 2025)
    assert tl.sections == (
        Section("一（一）1·1", "新能源汽车", None, (
            Task(1, "新增充电桩2000个", (), (), ("市发改委", "市住建局"), "一（一）1·1", D(2025, 11, 30)),
            Task(2, "开展汽车促销活动4场", (), (), ("市商务局",), "一（一）1·1", D(2025, 12, 31)),
        ), (top, sub, car), "新能源汽车"),
        Section("一（一）2", "扩大服务消费", None, (
            Task(3, "新增家政服务网点50个", (), (), ("市商务局", "各区政府"), "一（一）2", D(2025, 12, 31)),
        ), (top, sub), "2.扩大服务消费"),
        Section("一（二）", "扩大有效投资", None, (
            Task(4, "实施重点项目300个", (), (), ("市发改委",), "一（二）", D(2025, 12, 31)),
        ), (top,), "（二）扩大有效投资"),
    )  # fmt: skip
    assert _extras(tl) == [
        {"完成时限说明": "11月底前", "责任部门原文": "市发改委、市住建局"},
        {"完成时限说明": "每季度"},
        {"完成时限说明": "年内", "责任部门原文": "市商务局、各区政府"},
        {"完成时限说明": "全年"},
    ]
    assert result.summary.warnings == ()
    assert [(f.code, f.where) for f in validate(tl)] == [
        ("no-leader-column", "清单"),
        ("no-lead-column", "清单"),
        ("undefined-group", "序号 3"),
    ]


def test_part_numeral_in_the_id_column_and_year_from_the_file_name(tmp_path):
    path = tmp_path / "2022年台账.csv"
    path.write_text(
        "序号,重点工作,牵头单位,责任领导,完成时限\n"
        "一,稳增长,,,\n"
        "1,开工项目20个,发改局,甲,6月底前\n"
        "2,竣工项目10个,,,三季度\n"
        "(一),工业,,,\n"
        "3,技改项目5个,工信局,乙,\n",
        encoding="gbk",
    )
    result = read_source(path)
    tl = result.tasklist
    assert (tl.title, tl.year) == ("", 2022)
    assert tl.sections == (
        Section("一", "稳增长", None, (
            Task(1, "开工项目20个", ("甲",), ("发改局",), (), "一", D(2022, 6, 30)),
            Task(2, "竣工项目10个", (), (), (), "一", D(2022, 9, 30)),
        )),
        Section("一（一）", "工业", None, (
            Task(3, "技改项目5个", ("乙",), ("工信局",), (), "一（一）"),
        ), ("一、稳增长",), "(一)工业"),
    )  # fmt: skip
    assert _extras(tl) == [{"完成时限说明": "6月底前"}, {"完成时限说明": "三季度"}, {}]
    assert result.summary.warnings == (
        "标题中没有年度，按文件名取 2022 年",
        "第 4 行的责任领导为空而上一行有；若原表是合并单元格（另存为 CSV 时只留第一格），"
        "请核对，或改用 .xlsx/.docx 导入",
        "第 4 行的牵头单位为空而上一行有；若原表是合并单元格（另存为 CSV 时只留第一格），"
        "请核对，或改用 .xlsx/.docx 导入",
    )


def test_excel_bold_row_in_the_task_column_heads_a_part(tmp_path):
    import openpyxl
    from openpyxl.styles import Font

    path = tmp_path / "2023年实事.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["序号", "民生实事", "牵头单位"])
    sheet.append([None, "教育类", None])
    sheet["B2"].font = Font(bold=True)
    sheet.append([1, "新建幼儿园2所", "教育局"])
    sheet.append([None, "其中公办1所", None])  # not bold: more of item 1
    workbook.save(path)
    tl = read_source(path).tasklist
    assert tl.sections == (
        Section(
            "·1",
            "教育类",
            None,
            (Task(1, "新建幼儿园2所\n其中公办1所", (), ("教育局",), (), "·1"),),
            (),
            "教育类",
        ),
    )
    assert _extras(tl) == [
        {
            "分项": [
                {"年度任务目标": "新建幼儿园2所", "牵头部门": "教育局"},
                {"年度任务目标": "其中公办1所"},
            ]
        }
    ]
