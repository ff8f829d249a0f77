"""Task lists laid out as other counties and cities publish them, built in code.

Each builder writes one file the way an office has it (a Word table with merged cells, the same
list in Excel with a title row and a 备注 column, the CSV that Excel's 另存为 writes in GBK, a
list written as paragraphs …). The rows are modelled on published 政府工作报告 task
decompositions; names are invented.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

# --- Word helpers -----------------------------------------------------------------------------


def _docx_table(document: Any, rows: list[list[str | None]], *, bold_rows: tuple[int, ...] = ()):
    """A table whose row of one value (the rest None) is merged across the whole width."""
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, values in enumerate(rows):
        if len([v for v in values if v is not None]) == 1 and values[0] is not None and width > 1:
            merged = table.cell(r, 0).merge(table.cell(r, width - 1))
            merged.text = values[0]
            if r in bold_rows:
                for run in merged.paragraphs[0].runs:
                    run.bold = True
            continue
        for c, value in enumerate(values):
            if value is not None:
                table.cell(r, c).text = value
        if r in bold_rows:
            for c in range(width):
                for run in table.cell(r, c).paragraphs[0].runs:
                    run.bold = True
    return table


def _merge_down(table: Any, col: int, top: int, bottom: int, text: str) -> None:
    merged = table.cell(top, col).merge(table.cell(bottom, col))
    merged.text = text


# --- A: a 区 list in Word: nested parts, leaders in a part row, a 序号 merged down -------------

DISTRICT_HEADINGS = [
    "序  号",
    "重点工作任务",
    "区政府分管领导",
    "主要责任单位",
    "配合单位",
    "完成时限",
]


def district_docx(path: Path) -> None:
    """2019年区政府工作报告重点工作任务分解 (Word): 一、 > （一） parts, a part naming its leaders,
    item 4 over two rows (序号 merged down), names split by 、，； with 等 and brackets."""
    import docx

    document = docx.Document()
    document.add_paragraph("附件")
    document.add_paragraph("2019年区政府工作报告重点工作任务分解表")
    rows: list[list[str | None]] = [
        DISTRICT_HEADINGS,
        ["一、推动经济高质量发展（4项）", None, None, None, None, None],
        ["（一）壮大实体经济", None, None, None, None, None],
        [
            "1",
            "新建5G基站200个，实现城区全覆盖",
            "张  伟",
            "区工信局",
            "区发改局，区住建局；各街道",
            "2019年6月底前",
        ],
        [
            "2",
            "新增规模以上工业企业10户",
            "张  伟",
            "区工信局",
            "区统计局、区市场监管局等",
            "年底前",
        ],
        ["（二）优化营商环境（牵头领导：王  强、李  梅）", None, None, None, None, None],
        [
            "3",
            "推行“一网通办”，政务服务事项网上可办率达到90%",
            "",
            "区政务服务中心",
            "各有关部门",
            "持续推进",
        ],
        ["4", "建成区级企业服务中心", "", "区发改局", "工业园（东山镇）", "9月投入使用"],
        ["", "开展“万人助万企”活动", "", "区工信局", "区商务局", "一季度"],
        ["二、保障和改善民生（1项）", None, None, None, None, None],
        ["5", "改造老旧小区12个", "赵  刚", "区住建局", "各街道、社区，区财政局", "5月底前动工"],
    ]
    table = _docx_table(document, rows)
    for col in (0,):
        _merge_down(table, col, 7, 8, "4")
    document.save(str(path))


# --- B: a 市 民生实事 list in Excel: title row, 项目名称 + 主要内容, 责任人 and 备注 ----------------

CITY_HEADINGS = [
    "序  号",
    "项目名称",
    "主要内容",
    "牵头市领导",
    "牵头责任单位",
    "协同配合单位",
    "完成时间",
    "责任人",
    "备  注",
]


def city_xlsx(path: Path) -> None:
    """2024年市政府民生实事项目清单 (Excel): a merged title row, a 类别 column, a leader merged
    down over two items, 责任人 and 备注 columns that map to no role."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "民生实事"
    sheet.append(["2024年市政府民生实事项目清单"])
    sheet.merge_cells("A1:J1")
    sheet.append(["类别", *CITY_HEADINGS])
    sheet.append(
        [
            "教育",
            1,
            "新建幼儿园",
            "新建公办幼儿园3所，新增学位900个",
            "刘  洋",
            "市教育局",
            "市发改委、市自然资源局",
            "2024年8月底前",
            "王晓明",
            "续建1所",
        ]
    )
    sheet.append(
        [
            "教育",
            2,
            "校园食堂提升",
            "改造中小学食堂20个",
            None,
            "市教育局",
            "市市场监管局",
            "上半年",
            "王晓明",
            None,
        ]
    )
    sheet.merge_cells("E3:E4")  # 刘  洋 leads both
    sheet.append(
        [
            "医疗",
            3,
            "社区医院建设",
            "建成社区医院5家",
            "陈  静",
            "市卫健委",
            "各县、市、区政府",
            "全年",
            "李  华",
            "省考核指标",
        ]
    )
    workbook.save(str(path))


# --- C: the CSV Excel's 另存为 writes (GBK, CRLF) from a list with merged cells ---------------

COUNTY_CSV = (
    "2021年县政府工作报告目标任务分解表,,,,,\r\n"
    "序号,目标任务,牵头负责领导,牵头单位,责任单位,时间节点\r\n"
    "一、稳增长促发展,,,,,\r\n"
    "1,全年地区生产总值增长6%,孙  海,县发改局,各乡镇、街道,全年\r\n"
    "2,固定资产投资增长8%,,县发改局,县统计局,12月31日前\r\n"
    ",其中工业投资增长10%,,,县工信局,\r\n"
    '3,社会消费品零售总额增长7%,周  敏,县商务局,"县市场监管局\n县统计局",三季度\r\n'
    "二、防风险保稳定,,,,,\r\n"
    "4,化解政府隐性债务,周  敏,县财政局,县审计局；县金融办。,2021年11月\r\n"
)


def county_csv(path: Path) -> None:
    """2021年县政府工作报告目标任务分解表, 另存为 CSV (GBK): item 2 continues on a row without
    序号; the leader of item 2 is blank (merged with item 1 in the workbook, or not)."""
    path.write_bytes(COUNTY_CSV.encode("gbk"))


# --- D: no leader column, one 责任单位 column under the rule 列第一位的为牵头单位 --------------


def first_lead_docx(path: Path) -> None:
    """A list with only 责任单位, published with 「列第一位的为牵头单位」; a bold unnumbered row
    heads the tasks of a part."""
    import docx

    document = docx.Document()
    document.add_paragraph("2022年镇政府重点工作任务清单")
    document.add_paragraph("（列第一位的为牵头单位）")
    rows: list[list[str | None]] = [
        ["序号", "主要任务", "责任单位", "完成时限"],
        ["乡村振兴", None, None, None],
        ["1", "新建高标准农田1万亩", "农业农村办、财政所、自然资源所", "10月底前"],
        ["2", "培育家庭农场20家", "农业农村办", "下半年"],
        ["城镇建设", None, None, None],
        ["3", "完成集镇污水管网改造", "建设办，生态环境办", "2022年9月30日"],
    ]
    _docx_table(document, rows, bold_rows=(1, 4))
    document.save(str(path))


# --- E: a list published as paragraphs -------------------------------------------------------

PARAGRAPHS = [
    "2020年市政府工作报告重点任务分解",
    "一、扩大有效投资",
    "1.实施重点项目100个，完成投资300亿元。（责任领导：马  林；牵头单位：市发改委；责任单位：市住建局、市自然资源局）",
    "2.新开工城市更新项目15个。",
    "牵头负责领导：马  林",
    "牵头单位：市住建局",
    "责任单位：各区政府，市财政局",
    "完成时限：2020年10月底前",
    "二、提升城市品质",
    "3.建成口袋公园30个，",
    "新增绿地50公顷。（责任领导：高  峰；牵头单位：市园林局；责任单位：各区政府等）",
]


def paragraphs_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    for text in PARAGRAPHS:
        document.add_paragraph(text)
    document.save(str(path))


def paragraphs_txt(path: Path, encoding: str = "utf-8") -> None:
    path.write_bytes("\r\n".join(PARAGRAPHS).encode(encoding))


# --- F: several tables in one Word file (附件1, 附件2) ----------------------------------------

ANNEX_HEADINGS = ["序号", "重点工作", "责任领导", "牵头部门", "责任部门"]


def annexes_docx(path: Path, *, same_layout: bool = True) -> None:
    """附件1 重点工作 and 附件2 民生实事, each its own table; the second in another layout when
    ``same_layout`` is false."""
    import docx

    document = docx.Document()
    document.add_paragraph("附件1")
    document.add_paragraph("2023年县政府重点工作任务分解")
    _docx_table(
        document,
        [
            ANNEX_HEADINGS,
            ["一、重点工作", None, None, None, None],
            ["1", "招商引资到位资金50亿元", "何  平", "招商局", "各镇街道"],
            ["2", "新增市场主体3000户", "何  平", "市场局", "税务局"],
        ],
    )
    document.add_paragraph("附件2")
    document.add_paragraph("2023年民生实事")
    second = (
        [ANNEX_HEADINGS, ["二、民生实事", None, None, None, None]]
        if same_layout
        else [["序号", "民生实事", "责任单位"]]
    )
    body = (
        [["3", "新建城市书房2个", "吴  敏", "文旅局", "各社区"]]
        if same_layout
        else [["1", "新建城市书房2个", "文旅局"]]
    )
    _docx_table(document, second + body)
    document.save(str(path))


# --- G: four levels of parts in one Word table, no leader and no lead-unit column -------------


def four_levels_docx(path: Path) -> None:
    """一、 > （一） > 1. > a bold unnumbered row, each a row merged across the table."""
    import docx

    document = docx.Document()
    document.add_paragraph("2025年市政府工作报告重点任务清单")
    rows: list[list[str | None]] = [
        ["序号", "重点任务", "责任单位", "完成时间"],
        ["一、着力扩大内需", None, None, None],
        ["（一）提振消费", None, None, None],
        ["1.促进汽车消费", None, None, None],
        ["新能源汽车", None, None, None],
        ["1", "新增充电桩2000个", "市发改委、市住建局", "11月底前"],
        ["2", "开展汽车促销活动4场", "市商务局", "每季度"],
        ["2.扩大服务消费", None, None, None],
        ["3", "新增家政服务网点50个", "市商务局、各区政府", "年内"],
        ["（二）扩大有效投资", None, None, None],
        ["4", "实施重点项目300个", "市发改委", "全年"],
    ]
    _docx_table(document, rows, bold_rows=(4,))
    document.save(str(path))


# --- H: a 县 list in Word: the title over two lines, a category column, 内容与要求, a unit
# heading broken inside its cell, leaders named in part headings, a rule inside a unit cell ---

GOALS_HEADINGS = ["序号", "目标类型", "内容与要求", "责任\n单位", "完成时限"]


def goals_docx(path: Path) -> None:
    """某县2024年 / 政府工作报告目标任务分解表 (Word): 目标类型 A类/B类 beside 内容与要求, the
    parts naming their leaders (王某某县长主抓…, （一）李某某副县长分管), the first unit cell
    saying 列第一位者为工作牵头单位或汇总单位，下同, a trailing 等, bare years."""
    import docx

    document = docx.Document()
    document.add_paragraph("附件2")
    document.add_paragraph("某县2024年")
    document.add_paragraph("政府工作报告目标任务分解表")
    rows: list[list[str | None]] = [
        GOALS_HEADINGS,
        ["一、王某某县长主抓重点工作", None, None, None, None],
        [
            "1",
            "A类",
            "地区生产总值增长6%左右，规模以上工业增加值增长8%",
            "县发改局（列第一位者为工作牵头单位或汇总单位，下同）、县统计局、县工信局",
            "2024",
        ],
        [
            "2",
            "B类",
            "固定资产投资增长10%，新开工亿元以上项目30个",
            "县发改局、经开区管委会等",
            "12月底前",
        ],
        ["3", "A类", "一般公共预算收入增长5%", "县税务局、县财政局", "2024"],
        ["二、保障和改善民生", None, None, None, None],
        ["（一）李某某副县长分管", None, None, None, None],
        ["4", "A类", "城镇新增就业3000人", "县人社局、各乡镇", "年底前"],
        ["5", "B类", "新建改建农村公路100公里", "县交通运输局，县财政局等", "10月底前"],
        ["（二）优化县长热线服务", None, None, None, None],
        ["6", "B类", "12345热线按时办结率达到95%", "县政务服务中心", "全年"],
    ]
    _docx_table(document, rows)
    document.save(str(path))


# --- I: a 市 重点项目 list in Excel: 项目内容 beside a monthly plan, 责任处室 broken over two
# lines in its cell and a 配合科室 column, the year as a bare number ---------------------------

PROJECT_HEADINGS = ["序号", "项目内容", "月度工作计划", "责任\n处室", "配合科室", "完成时间"]


def projects_xlsx(path: Path) -> None:
    """2023年市级重点项目推进表 (Excel): the plan column is longer than the task and kept as
    its own column; 完成时间 holds the number 2023."""
    import openpyxl
    from openpyxl.styles import Alignment

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["2023年市级重点项目推进表"])
    sheet.merge_cells("A1:F1")
    sheet.append(PROJECT_HEADINGS)
    sheet["D2"].alignment = Alignment(wrap_text=True)
    sheet.append(
        [
            1,
            "市第一人民医院新院区建设",
            "1月：完成施工图审查\n3月：主体开工\n6月：主体封顶\n12月：完成内部装修",
            "卫健处",
            "规划科、财务科",
            2023,
        ]
    )
    sheet.append(
        [
            2,
            "城北污水处理厂提标改造",
            "2月：完成招标\n5月：设备进场\n9月：通水调试",
            "城建处",
            "环保科",
            "9月底前",
        ]
    )
    sheet.append(
        [
            3,
            "智慧停车系统",
            "4月：完成方案\n8月：上线试运行",
            "交通处、信息中心",
            None,
            "2023年",
        ]
    )
    workbook.save(str(path))


# --- J: a 镇 list written as paragraphs numbered （一）（二） and 一是、二是, each item followed by
# a 责任单位 line ---------------------------------------------------------------------------

NUMBERED_PARAGRAPHS = [
    "2022年镇政府工作报告",
    "重点工作任务分解",
    "一、产业发展",
    "（一）新建高标准农田5000亩，完成土地整治2000亩。",
    "责任单位：镇农业农村办（列第一位的为牵头单位，下同）、镇自然资源所",
    "完成时限：10月底前",
    "（二）培育家庭农场20家、农民专业合作社5家。",
    "责任单位：镇农业农村办等",
    "二、张某某镇长主抓基层治理",
    "一是推进网格化管理全覆盖，",
    "配备专职网格员50名。",
    "责任单位：镇综治中心、各村",
    "完成时限：2022",
    "二是完成村级组织换届后续工作。",
    "责任单位：镇组织办",
]


def numbered_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    for text in NUMBERED_PARAGRAPHS:
        document.add_paragraph(text)
    document.save(str(path))


def numbered_txt(path: Path) -> None:
    path.write_bytes("\r\n".join(NUMBERED_PARAGRAPHS).encode("gbk"))


# --- K: a 县 list saved as CSV from a sheet headed 牵头股室 / 责任股室, no year anywhere --------

BUREAU_CSV = (
    "序号,工作事项,牵头股室,责任股室,完成时限\r\n"
    "1,开展“双随机、一公开”抽查120次,执法股,综合股、法规股,6月底前\r\n"
    "2,办理群众投诉举报,投诉股,各市场监管所等,全年\r\n"
)


def bureau_csv(path: Path) -> None:
    path.write_bytes(BUREAU_CSV.encode("utf-8-sig"))
