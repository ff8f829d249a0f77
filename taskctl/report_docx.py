"""The 通报 as a Word document laid out as GB/T 9704-2012 asks of a 公文.

A4; margins top 37 mm, bottom 35, left 28, right 26 (a 156 × 225 mm text block); title in
2号 方正小标宋简体, body in 3号 仿宋_GB2312, first-level headings 黑体 (一、), second-level
楷体_GB2312 (（一）); 22 lines of 28 characters (a fixed 28.95 pt line and the document grid);
page numbers "— 1 —" in 4号 宋体, on the outside edge (odd pages right, even pages left, one
character in). Tables have borders, a header row repeated on each page and rows that do not
split. Each 公文 font is named in the document's font table with a fallback (华文中宋, 仿宋, 楷体,
宋体) that Word uses on a machine without it; LibreOffice substitutes through fontconfig.

The content is :func:`taskctl.report.outline`: the same sections and numbers as the Markdown.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from taskctl.report import Block, outline

PAGE_MM = (210.0, 297.0)
MARGINS_MM = {"top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0}
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]  # 156
LINE_PITCH_PT = 28.95  # 225 mm / 22 lines, as the 公文 templates set it
BODY_PT, TITLE_PT, PAGE_NUMBER_PT, TABLE_PT = 16.0, 22.0, 14.0, 12.0  # 3号, 2号, 4号, 小四

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
# What Word shows where the 公文 font is missing (w:altName in the font table).
FALLBACKS = {
    TITLE_FONT: "华文中宋",
    BODY_FONT: "仿宋",
    HEADING2_FONT: "楷体",
    HEADING1_FONT: "SimHei",
    PAGE_FONT: "SimSun",
}
NUMERALS = "一二三四五六七八九十"
# 28 characters of 3号 need a pitch of 156 mm / 28 = 15.79 pt: 16 pt condensed by 0.25 pt.
CONDENSE_TWIPS = -5
CELL_MARGIN_TWIPS = 57
WHOLE_ROW = 600  # characters: a row up to this long is kept on one page

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十, 105 → 一百零五, 110 → 一百一十, 1010 → 一千零一十: a
    heading's number however many headings (a 催办 notice may list hundreds of tasks)."""
    if n < 1:
        return str(n)
    if n < 20:
        return ("十" if n >= 10 else "") + (NUMERALS[n % 10 - 1] if n % 10 else "")
    if n >= 10_000:
        return str(n)
    digits = [int(d) for d in str(n)]
    units = ["", "十", "百", "千"]
    out, zero = "", False
    for place, digit in zip(range(len(digits) - 1, -1, -1), digits, strict=True):
        if digit == 0:
            zero = True
            continue
        if zero and out:
            out += "零"
        zero = False
        out += NUMERALS[digit - 1] + units[place]
    return out


def _fonts(
    element: Any, east_asia: str, size_pt: float | None = None, condense: bool = False
) -> None:
    """Set a run's or a style's fonts: the Chinese face in w:eastAsia, Times New Roman for
    Latin letters and digits, the size in both scripts."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    fonts = OxmlElement("w:rFonts")
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), LATIN_FONT)
    rpr.insert(0, fonts)
    for tag in ("w:b", "w:bCs", "w:color", "w:spacing", "w:sz", "w:szCs"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "000000")
    rpr.append(colour)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CONDENSE_TWIPS if condense else 0))
    rpr.append(spacing)
    if size_pt is not None:
        for tag in ("w:sz", "w:szCs"):
            size = OxmlElement(tag)
            size.set(qn("w:val"), str(round(size_pt * 2)))
            rpr.append(size)


# A paragraph's properties in the schema's order (CT_PPrBase, a sequence): Word refuses a file
# with an element out of it.
PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
    "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
    "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _after(tag: str) -> tuple[str, ...]:
    """The tags a paragraph's properties hold after ``tag``."""
    return PPR_ORDER[PPR_ORDER.index(tag) + 1 :]


# A run's properties after w:spacing, in the schema's order (EG_RPrBase): Word drops one out
# of it.
RPR_AFTER_SPACING = (
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
    "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
    "w:eastAsianLayout", "w:specVanish", "w:oMath",
)  # fmt: skip


def _style(
    document: Any,
    name: str,
    font: str,
    size_pt: float,
    *,
    base: str | None = "Normal",
    align: Any = None,
    indent_chars: float = 0,
    exact: bool = True,
    keep_with_next: bool = False,
    outline_level: int | None = None,
) -> Any:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    styles = document.styles
    style = (
        styles[name]
        if name in [s.name for s in styles]
        else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    if base is not None and style.name != base:
        style.base_style = styles[base]
    _fonts(style.element, font, size_pt, condense=exact and size_pt == BODY_PT)  # 28 a line
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if exact:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PITCH_PT)
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        ppr = style.element.get_or_add_pPr()
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        ppr.insert_element_before(snap, *_after("w:snapToGrid"))
    condensed = exact and size_pt == BODY_PT
    # indents in characters of the grid's pitch: 2 × 16 pt would leave 26 characters and a
    # third of a point for the 28th, and the line's last 。 would hang into the margin
    pitch = size_pt + (CONDENSE_TWIPS / 20 if condensed else 0)
    fmt.first_line_indent = Pt(pitch * indent_chars)
    fmt.left_indent = Pt(0)
    fmt.alignment = align
    fmt.keep_with_next = keep_with_next
    fmt.widow_control = True
    if outline_level is not None:
        ppr = style.element.get_or_add_pPr()
        for old in ppr.findall(qn("w:outlineLvl")):  # the template's headings have one
            ppr.remove(old)
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(outline_level))
        ppr.append(level)
    return style


def _page_setup(document: Any) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(15)
    # The page number's dash sits 7 mm below the text block.
    section.footer_distance = Mm(MARGINS_MM["bottom"] - 7 - 3)
    sect = section._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    grid = OxmlElement("w:docGrid")
    # A line grid only: LibreOffice spreads characters out under a character grid, so the
    # 28 characters come from the body style's condensed spacing instead (CONDENSE_TWIPS).
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))
    sect.append(grid)
    document.settings.odd_and_even_pages_header_footer = True
    for footer, align in (
        (section.footer, "right"),
        (section.even_page_footer, "left"),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = document.styles["公文页码"]
        fmt = paragraph.paragraph_format
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        if align == "right":
            fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            fmt.right_indent = Pt(PAGE_NUMBER_PT)
        else:
            fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
            fmt.left_indent = Pt(PAGE_NUMBER_PT)
        _page_field(paragraph)


def _page_field(paragraph: Any) -> None:
    """ "— N —" with N the PAGE field."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.add_run("— ")
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1")):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)
    paragraph.add_run(" —")


def _font_table(document: Any) -> None:
    """Name each 公文 font in word/fontTable.xml with its fallback (w:altName) and GB2312
    charset, as documents made in Word on a Chinese system do."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    part = next(
        rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable")
    )
    root = parse_xml(part.blob)
    known = {font.get(qn("w:name")) for font in root.findall(qn("w:font"))}
    for name, alt in FALLBACKS.items():
        if name in known:
            continue
        root.append(
            parse_xml(
                f'<w:font xmlns:w="{W_NS}" w:name="{name}"><w:altName w:val="{alt}"/>'
                '<w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/>'
                "</w:font>"
            )
        )
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _defaults(document: Any) -> None:
    """Document defaults: the body font and size (the grid's character pitch is reckoned from
    them) and Chinese as the East Asian language (line-breaking rules)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr):
        rpr.remove(child)
    fonts = OxmlElement("w:rFonts")
    for attr, value in (("ascii", LATIN_FONT), ("hAnsi", LATIN_FONT), ("eastAsia", BODY_FONT)):
        fonts.set(qn(f"w:{attr}"), value)
    rpr.append(fonts)
    for tag in ("w:sz", "w:szCs"):
        size = OxmlElement(tag)
        size.set(qn("w:val"), str(round(BODY_PT * 2)))
        rpr.append(size)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for child in list(ppr):
        ppr.remove(child)


def _styles(document: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    _defaults(document)

    _style(document, "Normal", BODY_FONT, BODY_PT, base=None, indent_chars=2)
    _style(document, "公文标题", TITLE_FONT, TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
    _style(
        document,
        "Heading 1",
        HEADING1_FONT,
        BODY_PT,
        indent_chars=2,
        keep_with_next=True,
        outline_level=0,
    )
    _style(
        document,
        "Heading 2",
        HEADING2_FONT,
        BODY_PT,
        indent_chars=2,
        keep_with_next=True,
        outline_level=1,
    )
    _style(document, "表格文字", BODY_FONT, TABLE_PT, exact=False, align=WD_ALIGN_PARAGRAPH.LEFT)
    _style(
        document,
        "表格标题",
        HEADING1_FONT,
        TABLE_PT,
        exact=False,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _style(document, "公文页码", PAGE_FONT, PAGE_NUMBER_PT, exact=False)


# Relative column widths by heading; a heading not listed counts 1.
WEIGHTS = {
    "序号": 0.95,
    "任务": 2.8,
    "年度任务目标": 3.2,
    "说明": 2.2,
    "原因": 2.6,
    "滞后原因": 2.2,
    "存在问题": 2.4,
    "牵头单位": 1.6,
    "单位": 2.0,
    "报送情况": 1.4,
    "久未填报项数": 1.6,
    "其中从未填报": 1.6,
    "红灯项数": 1.4,
    "其中超期": 1.4,
    "最新说明": 2.0,
    "牵头部门": 1.6,
    "填报人": 1.2,
    "最近填报": 2.2,
    "日期": 1.6,
    "状态": 1.25,
    "进度": 1.1,
    "序时进度": 1.5,
    "部分": 4.2,
    "责任领导": 1.6,
    "任务数": 1.0,
    "完成率": 1.2,
    "排名": 0.9,
    "已完成": 1.1,
    "按时完成": 1.2,
    "按时完成率": 1.4,
    "超期未完成": 1.4,
    "红": 0.6,
    "黄": 0.6,
    "绿": 0.6,
}


def _table(document: Any, headings: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A bordered table as wide as the text block; the header row repeats on each page and
    no row is split across pages."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    weights = [WEIGHTS.get(h, 1.0) for h in headings]
    widths = [Mm(TEXT_WIDTH_MM * w / sum(weights)) for w in weights]
    table = document.add_table(rows=1 + len(rows), cols=len(headings))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # writes <w:tblLayout w:type="fixed"/>
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")  # 1 mm either side: narrow columns keep their words
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    # in the schema's order: after tblLayout, before tblLook
    tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")
    for width, column in zip(widths, table.columns, strict=True):
        column.width = width
    for index, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        values = headings if index == 0 else rows[index - 1]
        if sum(len(v) for v in values) <= WHOLE_ROW:  # a longer row may run over pages
            tr_pr.append(OxmlElement("w:cantSplit"))
        if index == 0:
            tr_pr.append(OxmlElement("w:tblHeader"))
        for width, cell, value in zip(widths, row.cells, values, strict=True):
            cell.width = width
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles["表格标题" if index == 0 else "表格文字"]
            paragraph.add_run(value)


def render_docx(report: dict[str, Any], brief: bool = False) -> bytes:
    """The report (from :func:`taskctl.report.build_report`) as the bytes of a .docx file;
    ``brief``: the one-page 专报."""
    return blocks_docx(outline(report, brief), report["heading"])


NUMBERED = re.compile(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）")
RED = "C00000"
MASTHEAD_PT = 36.0  # the 刊头 in red 小标宋, as the county's printed 通报 have it


def _masthead(document: Any, payload: dict[str, str]) -> None:
    """刊头 in large red type, 第N期 under it, then the office (left) and the date (right)
    on one line over a red rule."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    name = document.add_paragraph(style="公文标题")
    run = name.add_run(payload["name"])
    run.font.size = Pt(MASTHEAD_PT)
    run.font.color.rgb = RGBColor.from_string(RED)
    fmt = name.paragraph_format
    fmt.line_spacing = Pt(MASTHEAD_PT * 1.3)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(round(MASTHEAD_PT * 20 * 0.25)))  # letters spread a quarter em
    run._r.get_or_add_rPr().insert_element_before(spacing, *RPR_AFTER_SPACING)
    issue = document.add_paragraph(payload["issue"])
    issue.alignment = WD_ALIGN_PARAGRAPH.CENTER
    issue.paragraph_format.first_line_indent = Pt(0)
    line = document.add_paragraph(f"{payload['office']}\t{payload['date']}")
    line.paragraph_format.first_line_indent = Pt(0)
    line.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "18"), ("space", "4"), ("color", RED)):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    ppr = line._p.get_or_add_pPr()
    ppr.insert_element_before(borders, *_after("w:pBdr"))


def _annex(document: Any, label: str, title: str) -> None:
    """An attachment starts a page: 附件N flush left in 黑体, its title centred like a 标题."""
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    head = document.add_paragraph(style="Heading 1")
    head.add_run().add_break(WD_BREAK.PAGE)
    head.add_run(label)
    head.paragraph_format.first_line_indent = Pt(0)
    document.add_paragraph(title, style="公文标题")
    document.add_paragraph("")


def _printable(value: Any) -> Any:
    """``value`` (blocks, or any part of them) with every text made printable: a control
    character a note or a name brought in is shown as ``\x07`` (Word's XML cannot hold it),
    a lone surrogate as U+FFFD."""
    from taskctl.output import printable

    if isinstance(value, str):
        return printable(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_printable(v) for v in value)
    if isinstance(value, dict):
        return {k: _printable(v) for k, v in value.items()}
    return value


def blocks_docx(blocks: Sequence[Block], title: str) -> bytes:
    """Blocks (see :func:`taskctl.report.outline`) as a 公文-formatted .docx: ``h1`` the title,
    ``h2``/``h3`` headings numbered 一、/（一）, ``to`` the addressee (flush left), ``sign`` the
    signature and date (flush right)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()  # python-docx's template: a body with no paragraph
    _styles(document)
    _font_table(document)
    _page_setup(document)
    document.core_properties.title = _printable(title)
    document.core_properties.author = ""
    level1 = level2 = 0
    after_table = False
    previous = previous_kind = ""
    for kind, payload in _printable(blocks):
        if after_table:
            document.add_paragraph("")  # Word would merge two tables that touch
        after_table = kind == "table"
        if kind == "sign" and previous not in ("sign", "attachments"):
            document.add_paragraph("")  # the signature stands one line below the text
        previous_kind, previous = previous, kind
        if kind == "masthead":
            _masthead(document, payload)
        elif kind == "annex":
            _annex(document, *payload)
        elif kind == "attachments":
            document.add_paragraph("")
            for n, item in enumerate(payload):
                paragraph = document.add_paragraph(("附件：" if n == 0 else "") + item)
                if n:  # under the first item, past 附件：
                    paragraph.paragraph_format.first_line_indent = Pt(BODY_PT * 5)
            document.add_paragraph("")
        elif kind == "h1":
            heading = document.add_paragraph(payload, style="公文标题")
            if previous_kind == "masthead":  # half a line under the red rule
                heading.paragraph_format.space_before = Pt(LINE_PITCH_PT / 2)
            document.add_paragraph("")
        elif kind == "h2":
            level1, level2 = level1 + 1, 0
            numbered = NUMBERED.match(payload)
            text = payload if numbered else f"{_numeral(level1)}、{payload}"
            document.add_paragraph(text, style="Heading 1")
        elif kind == "h3":
            level2 += 1
            numbered = NUMBERED.match(payload)
            text = payload if numbered else f"（{_numeral(level2)}）{payload}"
            document.add_paragraph(text, style="Heading 2")
        elif kind == "p":
            document.add_paragraph(payload)
        elif kind == "to":
            document.add_paragraph(payload).paragraph_format.first_line_indent = Pt(0)
        elif kind == "sign":
            paragraph = document.add_paragraph(payload)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.first_line_indent = Pt(0)
            paragraph.paragraph_format.right_indent = Pt(BODY_PT * 4)
        elif kind == "ul":
            for item in payload:
                document.add_paragraph(item)
        elif kind == "table":
            _table(document, *payload)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
