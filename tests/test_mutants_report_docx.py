"""The Word 通报 and 催办 notices read back through python-docx: the values GB/T 9704-2012 fixes
(page, margins, fonts and sizes, the 28.95 pt line of 22 a page, 28 characters a line, the page
number "— N —" on the outside edge), the numbering of headings, and where each block of the
outline lands. Written for the survivors of issue 27's mutation run of taskctl/report_docx.py."""

from __future__ import annotations

import io

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from taskctl.report_docx import _numeral, blocks_docx

MASTHEAD = {"name": "督查通报", "issue": "第3期", "office": "县政府督查室", "date": "2023年7月3日"}


def _document(blocks, title="关于重点工作进展情况的通报"):
    return docx.Document(io.BytesIO(blocks_docx(blocks, title)))


def _plain():
    return _document([("p", "现将有关情况通报如下：")])


# headings' numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "numeral"),
    [
        (0, "0"),
        (1, "一"),
        (2, "二"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (19, "十九"),
        (20, "二十"),
        (21, "二十一"),
        (30, "三十"),
        (99, "九十九"),
        (100, "一百"),
        (101, "一百零一"),
        (105, "一百零五"),
        (110, "一百一十"),
        (999, "九百九十九"),
        (1000, "一千"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
        (9999, "九千九百九十九"),
        (10_000, "10000"),
        (10_001, "10001"),
    ],
)
def test_a_heading_number_is_written_in_chinese_numerals(n, numeral):
    assert _numeral(n) == numeral


def test_headings_are_numbered_in_order_and_the_second_level_starts_again_under_each():
    numerals = (
        "一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六 十七 十八 十九 二十 二十一"
    )
    blocks = [("h1", "关于催办重点工作任务的通知")]
    expected = []
    for n, numeral in enumerate(numerals.split(), 1):
        blocks.append(("h2", f"任务{n}"))
        expected.append(("Heading 1", f"{numeral}、任务{n}"))
        if n in (1, 11):
            blocks += [("h3", "进展"), ("h3", "（九）已编号"), ("h3", "问题")]
            expected += [
                ("Heading 2", "（一）进展"),
                ("Heading 2", "（九）已编号"),
                ("Heading 2", "（三）问题"),
            ]
    blocks += [("h2", "二十三、已编号的不再编号"), ("h3", "要求")]
    expected += [("Heading 1", "二十三、已编号的不再编号"), ("Heading 2", "（一）要求")]
    headings = [
        (p.style.name, p.text)
        for p in _document(blocks).paragraphs
        if p.style.name.startswith("Heading")
    ]
    assert headings == expected


# styles ----------------------------------------------------------------------------------------


def _style_facts(style):
    rpr = style.element.rPr
    fonts = rpr.find(qn("w:rFonts"))
    ppr = style.element.pPr
    fmt = style.paragraph_format
    snap = ppr.find(qn("w:snapToGrid"))
    levels = [e.get(qn("w:val")) for e in ppr.findall(qn("w:outlineLvl"))]
    return {
        "based on": style.base_style.name if style.base_style is not None else None,
        "fonts": {k: fonts.get(qn(f"w:{k}")) for k in ("eastAsia", "ascii", "hAnsi", "cs")},
        "rFonts first": rpr[0].tag == qn("w:rFonts"),
        "size": [int(rpr.find(qn(t)).get(qn("w:val"))) / 2 for t in ("w:sz", "w:szCs")],
        "colour": rpr.find(qn("w:color")).get(qn("w:val")),
        "condensed twips": int(rpr.find(qn("w:spacing")).get(qn("w:val"))),
        "bold": rpr.find(qn("w:b")) is not None,
        "space": (fmt.space_before.pt, fmt.space_after.pt),
        "line": (
            fmt.line_spacing_rule,
            fmt.line_spacing
            if fmt.line_spacing is None
            else round(fmt.line_spacing.pt, 2)
            if hasattr(fmt.line_spacing, "pt")
            else fmt.line_spacing,
        ),
        "snap to grid": None if snap is None else snap.get(qn("w:val")),
        "first line indent": round(fmt.first_line_indent.pt, 2),
        "left indent": fmt.left_indent.pt,
        "alignment": fmt.alignment,
        "keep with next": fmt.keep_with_next,
        "widow control": fmt.widow_control,
        "outline levels": levels,
    }


def _expected(font, size, **changes):
    from docx.enum.text import WD_LINE_SPACING

    facts = {
        "based on": "Normal",
        "fonts": {
            "eastAsia": font,
            "ascii": "Times New Roman",
            "hAnsi": "Times New Roman",
            "cs": "Times New Roman",
        },
        "rFonts first": True,
        "size": [size, size],
        "colour": "000000",
        "condensed twips": -5 if size == 16 else 0,
        "bold": False,
        "space": (0.0, 0.0),
        "line": (WD_LINE_SPACING.EXACTLY, 28.95),
        "snap to grid": None,
        "first line indent": 0.0,
        "left indent": 0.0,
        "alignment": None,
        "keep with next": False,
        "widow control": True,
        "outline levels": [],
    }
    facts.update(changes)
    return facts


def test_every_style_has_the_fonts_sizes_and_lines_of_a_gongwen():
    from docx.enum.text import WD_ALIGN_PARAGRAPH as ALIGN
    from docx.enum.text import WD_LINE_SPACING

    styles = _plain().styles
    single = {"line": (WD_LINE_SPACING.SINGLE, 1.0), "snap to grid": "0"}
    two = 2 * (16 - 5 / 20)  # two characters of the grid's pitch: 28 a line of 156 mm
    expected = {
        "Normal": _expected("仿宋_GB2312", 16, **{"based on": None, "first line indent": two}),
        "公文标题": _expected("方正小标宋简体", 22, alignment=ALIGN.CENTER),
        "Heading 1": _expected(
            "黑体",
            16,
            **{"first line indent": two, "keep with next": True, "outline levels": ["0"]},
        ),
        "Heading 2": _expected(
            "楷体_GB2312",
            16,
            **{"first line indent": two, "keep with next": True, "outline levels": ["1"]},
        ),
        "表格文字": _expected("仿宋_GB2312", 12, alignment=ALIGN.LEFT, **single),
        "表格标题": _expected("黑体", 12, alignment=ALIGN.CENTER, **single),
        "公文页码": _expected("宋体", 14, **single),
    }
    assert {name: _style_facts(styles[name]) for name in expected} == expected


def test_the_document_defaults_are_the_body_font_in_chinese():
    defaults = _plain().styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    facts = [(child.tag.split("}")[1], dict(child.attrib)) for child in rpr]
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert facts == [
        (
            "rFonts",
            {
                f"{w}ascii": "Times New Roman",
                f"{w}hAnsi": "Times New Roman",
                f"{w}eastAsia": "仿宋_GB2312",
            },
        ),
        ("sz", {f"{w}val": "32"}),
        ("szCs", {f"{w}val": "32"}),
        ("lang", {f"{w}val": "en-US", f"{w}eastAsia": "zh-CN"}),
    ]
    # no paragraph default (the template's 10 pt after, 1.15 lines) to undo the styles' own
    assert list(defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))) == []


def test_the_font_table_names_each_gongwen_font_once_with_its_fallback():
    document = _plain()
    part = next(
        r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable")
    )
    root = docx.oxml.parse_xml(part.blob)
    fonts = {}
    for font in root.findall(qn("w:font")):
        name = font.get(qn("w:name"))
        assert name not in fonts, name
        fonts[name] = {child.tag.split("}")[1]: child.get(qn("w:val")) for child in font}
    gongwen = {"altName": None, "charset": "86", "family": "modern", "pitch": "fixed"}
    for name, alt in {
        "方正小标宋简体": "华文中宋",
        "仿宋_GB2312": "仿宋",
        "楷体_GB2312": "楷体",
        "黑体": "SimHei",
        "宋体": "SimSun",
    }.items():
        assert fonts[name] == {**gongwen, "altName": alt}


# page ------------------------------------------------------------------------------------------


def test_the_page_is_a4_portrait_on_a_grid_of_22_lines():
    from docx.enum.section import WD_ORIENT

    section = _plain().sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    sizes = (section.page_width, section.page_height)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    distances = (section.header_distance, section.footer_distance)
    assert [round(length.mm, 1) for length in sizes] == [210, 297]
    assert [round(length.mm, 1) for length in margins] == [37, 35, 28, 26]
    # the page number's dash 7 mm under the text block: its 4号 line's foot 25 mm up
    assert [round(length.mm, 1) for length in distances] == [15, 25]
    grids = section._sectPr.findall(qn("w:docGrid"))
    assert [dict(g.attrib) for g in grids] == [{qn("w:type"): "lines", qn("w:linePitch"): "579"}]


def _footer_facts(paragraph):
    runs = []
    for run in paragraph.runs:
        children = [c for c in run._r if c.tag != qn("w:rPr")]
        for child in children:
            tag = child.tag.split("}")[1]
            if tag == "fldChar":
                runs.append(("fldChar", child.get(qn("w:fldCharType"))))
            elif tag == "instrText":
                runs.append(("instrText", child.text, child.get(qn("xml:space"))))
            else:
                runs.append((tag, child.text))
    fmt = paragraph.paragraph_format
    return {
        "style": paragraph.style.name,
        "alignment": fmt.alignment,
        "indents": (fmt.left_indent, fmt.right_indent),
        "runs": runs,
    }


def test_page_numbers_are_dashed_page_fields_one_character_in_on_the_outside_edge():
    from docx.enum.text import WD_ALIGN_PARAGRAPH as ALIGN

    document = _plain()
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    field = [
        ("t", "— "),
        ("fldChar", "begin"),
        ("instrText", " PAGE ", "preserve"),
        ("fldChar", "separate"),
        ("t", "1"),
        ("fldChar", "end"),
        ("t", " —"),
    ]
    assert _footer_facts(section.footer.paragraphs[0]) == {
        "style": "公文页码",
        "alignment": ALIGN.RIGHT,
        "indents": (None, Pt(14)),
        "runs": field,
    }
    assert _footer_facts(section.even_page_footer.paragraphs[0]) == {
        "style": "公文页码",
        "alignment": ALIGN.LEFT,
        "indents": (Pt(14), None),
        "runs": field,
    }
    assert not section.footer.is_linked_to_previous
    assert not section.even_page_footer.is_linked_to_previous


# the schema's order ----------------------------------------------------------------------------

# CT_PPrBase (a sequence) and EG_RPrBase, ECMA-376 Part 1, 17.3.1.26 and 17.3.2.28
PPR = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
    "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
    "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
    "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle "
    "rPr sectPr pPrChange"
).split()
RPR = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
    "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
    "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
).split()

FULL = [
    ("masthead", MASTHEAD),
    ("h1", "关于重点工作进展情况的通报"),
    ("to", "各镇街道、县直各部门："),
    ("p", "现将有关情况通报如下："),
    ("h2", "总体情况"),
    ("h3", "滞后任务"),
    ("ul", ["住建局：1项", "财政局：2项"]),
    ("h3", "报送情况"),
    ("table", (["序号", "任务", "牵头单位"], [["1", "新建5G基站200个", "住建局"]])),
    ("h2", "下步要求"),
    ("p", "（一）各牵头单位要对照年度目标倒排工期。"),
    ("attachments", ["1．红灯任务清单", "2．久未填报单位"]),
    ("sign", "县政府督查室"),
    ("sign", "2023年7月3日"),
    ("annex", ("附件1", "红灯任务清单")),
    ("table", (["序号", "任务"], [["1", "新建5G基站200个"]])),
    ("table", (["序号", "任务"], [["2", "推进棚户区改造"]])),
]


def _out_of_order(element, order):
    """The children of ``element`` out of ``order`` or given twice."""
    tags = [child.tag.split("}")[1] for child in element]
    places = [order.index(tag) for tag in tags]
    return [tags[n] for n in range(1, len(tags)) if places[n] <= places[n - 1]]


def test_paragraph_and_run_properties_are_in_the_schemas_order_each_once():
    """Word keeps to the order of the schema: a paragraph's properties out of it make the file
    unreadable, a run's are dropped (the 刊头's spread letters, the red rule under it). The
    template's headings have an outline level of their own: it is not written a second time."""
    document = _document(FULL)
    parts = {
        "styles": document.styles.element,
        "document": document.element,
        "footer": document.sections[0].footer._element,
        "even footer": document.sections[0].even_page_footer._element,
    }
    wrong = {}
    for name, root in parts.items():
        for tag, order in (("w:pPr", PPR), ("w:rPr", RPR)):
            for element in root.iter(qn(tag)):
                if bad := _out_of_order(element, order):
                    wrong.setdefault(name, []).append(bad)
    assert wrong == {}


# blocks ----------------------------------------------------------------------------------------


def _paragraph_facts(paragraph):
    fmt = paragraph.paragraph_format
    facts = [paragraph.style.name, paragraph.text]
    if paragraph.alignment is not None:
        facts.append(f"align {paragraph.alignment.name.lower()}")
    for name in ("first_line_indent", "right_indent", "space_before"):
        value = getattr(fmt, name)
        if value is not None:
            facts.append(f"{name.replace('_', ' ')} {value.pt:g}")
    if paragraph._p.xpath("./w:r/w:br[@w:type='page']"):
        facts.append("page break")
    return tuple(facts)


def _body(document):
    """Each paragraph and table of the body in order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out = []
    for child in document.element.body.iterchildren(qn("w:p"), qn("w:tbl")):
        if child.tag == qn("w:tbl"):
            table = Table(child, document)
            out.append(("table", [[c.text for c in row.cells] for row in table.rows]))
        else:
            out.append(_paragraph_facts(Paragraph(child, document)))
    return out


def test_every_block_of_the_outline_lands_where_a_gongwen_has_it():
    assert _body(_document(FULL)) == [
        ("公文标题", "督查通报"),
        ("Normal", "第3期", "align center", "first line indent 0"),
        ("Normal", "县政府督查室\t2023年7月3日", "first line indent 0"),
        ("公文标题", "关于重点工作进展情况的通报", "space before 14.45"),
        ("Normal", ""),
        ("Normal", "各镇街道、县直各部门：", "first line indent 0"),
        ("Normal", "现将有关情况通报如下："),
        ("Heading 1", "一、总体情况"),
        ("Heading 2", "（一）滞后任务"),
        ("Normal", "住建局：1项"),
        ("Normal", "财政局：2项"),
        ("Heading 2", "（二）报送情况"),
        ("table", [["序号", "任务", "牵头单位"], ["1", "新建5G基站200个", "住建局"]]),
        ("Normal", ""),
        ("Heading 1", "二、下步要求"),
        ("Normal", "（一）各牵头单位要对照年度目标倒排工期。"),
        ("Normal", ""),
        ("Normal", "附件：1．红灯任务清单"),
        ("Normal", "2．久未填报单位", "first line indent 80"),
        ("Normal", ""),
        ("Normal", "县政府督查室", "align right", "first line indent 0", "right indent 64"),
        ("Normal", "2023年7月3日", "align right", "first line indent 0", "right indent 64"),
        ("Heading 1", "附件1", "first line indent 0", "page break"),
        ("公文标题", "红灯任务清单"),
        ("Normal", ""),
        ("table", [["序号", "任务"], ["1", "新建5G基站200个"]]),
        ("Normal", ""),
        ("table", [["序号", "任务"], ["2", "推进棚户区改造"]]),
    ]


def test_a_notice_without_masthead_or_attachments_signs_one_line_below_the_text():
    blocks = [
        ("h1", "关于催办重点工作任务的通知"),
        ("to", "住建局："),
        ("p", "请于7月10日前报送进展。"),
        ("sign", "县政府督查室"),
        ("sign", "2023年7月3日"),
    ]
    document = _document(blocks, "催办通知")
    sign = ("align right", "first line indent 0", "right indent 64")
    assert _body(document) == [
        ("公文标题", "关于催办重点工作任务的通知"),
        ("Normal", ""),
        ("Normal", "住建局：", "first line indent 0"),
        ("Normal", "请于7月10日前报送进展。"),
        ("Normal", ""),
        ("Normal", "县政府督查室", *sign),
        ("Normal", "2023年7月3日", *sign),
    ]
    assert (document.core_properties.title, document.core_properties.author) == ("催办通知", "")


def test_the_masthead_is_large_red_spread_type_over_a_red_rule():
    from docx.enum.text import WD_TAB_ALIGNMENT

    document = _document([("masthead", MASTHEAD)])
    name, _issue, line = document.paragraphs
    (run,) = name.runs
    assert (run.font.size, str(run.font.color.rgb)) == (Pt(36), "C00000")
    assert name.paragraph_format.line_spacing == Pt(36 * 1.3)
    spread = run._r.rPr.find(qn("w:spacing"))
    assert spread.get(qn("w:val")) == "180"  # a quarter of 36 pt, in twentieths
    (stop,) = line.paragraph_format.tab_stops
    assert (round(stop.position.mm, 1), stop.alignment) == (156, WD_TAB_ALIGNMENT.RIGHT)
    (rule,) = line._p.pPr.findall(qn("w:pBdr"))
    (bottom,) = rule
    assert bottom.tag == qn("w:bottom")
    assert {k.split("}")[1]: v for k, v in bottom.attrib.items()} == {
        "val": "single",
        "sz": "18",
        "space": "4",
        "color": "C00000",
    }


# tables ----------------------------------------------------------------------------------------


def _table(headings, rows):
    (table,) = _document([("table", (headings, rows))]).tables
    return table


def test_a_table_spans_the_text_block_in_proportion_to_its_headings():
    table = _table(["序号", "任务", "牵头单位", "备注"], [["1", "新建5G基站200个", "住建局", ""]])
    widths = [round(column.width.mm, 1) for column in table.columns]
    # 序号 0.95, 任务 2.8, 牵头单位 1.6, a heading not listed 1: of 156 mm
    assert widths == [23.3, 68.8, 39.3, 24.6]  # 6.35 parts
    for row in table.rows:
        assert [round(cell.width.mm, 1) for cell in row.cells] == widths
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    assert [
        (side.tag.split("}")[1], side.get(qn("w:w")), side.get(qn("w:type"))) for side in margins
    ] == [("left", "57", "dxa"), ("right", "57", "dxa")]
    assert table.style.name == "Table Grid"
    assert table.alignment == 1  # centred


def test_the_header_row_repeats_and_rows_up_to_600_characters_are_kept_whole():
    rows = [["1", "甲" * 299, "住建局"], ["2", "乙" * 300, "住建局"], ["3", "丙" * 596, "住建局"]]
    table = _table(["序号", "任务", "牵头单位"], rows)
    facts = []
    for row in table.rows:
        props = row._tr.trPr
        facts.append(
            (
                props.find(qn("w:cantSplit")) is not None,
                props.find(qn("w:tblHeader")) is not None,
                {cell.paragraphs[0].style.name for cell in row.cells},
            )
        )
    # 1 + 299 + 3 = 303, 1 + 300 + 3 = 304, 1 + 596 + 3 = 600 characters; the header 8
    assert facts == [
        (True, True, {"表格标题"}),
        (True, False, {"表格文字"}),
        (True, False, {"表格文字"}),
        (True, False, {"表格文字"}),
    ]
    longer = _table(["序号", "任务"], [["1", "丁" * 600], ["22", "戊" * 597]])
    kept = [row._tr.trPr.find(qn("w:cantSplit")) is not None for row in longer.rows]
    assert kept == [True, False, True]  # 601 characters may run over a page; 599 not
    assert [row.cells[0].text for row in longer.rows] == ["序号", "1", "22"]
